/**
 * Reading the Patient (age) and OperationOutcomes (data that may be cut short). One idea of
 * extractLevels (../extract-levels.ts).
 */
import { isErrorOutcome } from '../operation-outcome.js';
import { ageInYears } from '../patient-age.js';
import type { MetResource } from '../unpack.js';
import { type Json, type State, dispose, firstSchemaProblem } from './state.js';

export function readPatient(state: State, met: MetResource): void {
  if (state.patientId === undefined || met.resource['id'] !== state.patientId) {
    return dispose(state, met, 'ignored', "another patient (not the hook's patient)", {
      reason: 'other-subject',
    });
  }
  const problem = firstSchemaProblem(met);
  if (problem) return dispose(state, met, 'ignored', problem, { reason: 'invalid-resource' });
  const age = state.now ? ageInYears(met.resource['birthDate'], state.now) : undefined;
  state.patient = { ref: met.ref, ...(age !== undefined ? { ageYears: age } : {}) };
  dispose(
    state,
    met,
    'context',
    age !== undefined ? `the hook's patient, aged ${age} (context only)` : "the hook's patient",
  );
}

/** Issues a data source reported, e.g. an OperationOutcome in a searchset ("search.mode": "outcome"). */
export function readOperationOutcome(state: State, met: MetResource): void {
  const issues = Array.isArray(met.resource['issue']) ? (met.resource['issue'] as unknown[]) : [];
  const texts = issues.slice(0, 5).map((x) => {
    const i = (typeof x === 'object' && x !== null ? x : {}) as Json;
    const details = (i['details'] as Json | undefined)?.['text'];
    const said = [i['diagnostics'], details].find((t) => typeof t === 'string') as
      string | undefined;
    const head = [i['severity'], i['code']].filter((t) => typeof t === 'string').join(' ');
    const words = said ? `${head}: ${said.slice(0, 200)}` : head;
    return words || 'an issue';
  });
  const more = issues.length > 5 ? ` (and ${issues.length - 5} more)` : '';
  const summary = texts.length > 0 ? texts.join('; ') + more : 'no issue listed';
  if (isErrorOutcome(met.resource)) {
    state.dataIncomplete = true;
    state.notes.push(
      `Data may be incomplete: the data source reported ${summary}; findings it did not return may change this assessment.`,
    );
  } else {
    state.notes.push(`The data source reported: ${summary}.`);
  }
  dispose(state, met, 'context', `OperationOutcome: ${summary}`);
}
