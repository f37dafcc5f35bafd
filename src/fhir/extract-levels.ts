/**
 * The resources at hand -> the engine's findings per vertebral level, the patient context, and a
 * disposition for every resource met. Pure: no I/O, the clock comes in as `options.now`. The same
 * input gives the same output whatever the order of items and entries, and no input makes it
 * throw.
 * @see docs/clinical-logic.md section 1 (input contract and handling rules)
 */
import type { ExtractionOptions, ExtractionResult } from './extraction-result.js';
import { unpack, type MetResource, type UnpackedData } from './unpack.js';
import { compare, type State, dispose } from './read/state.js';
import { readOptions } from './read/options.js';
import { readObservationResource } from './read/observations.js';
import { readCondition, uncheckedNote } from './read/conditions.js';
import { readPatient, readOperationOutcome } from './read/patient-and-outcomes.js';
import { resolveLevels } from './read/resolve-levels.js';

function readResource(state: State, met: MetResource): void {
  if (met.notJson !== undefined) {
    return dispose(state, met, 'ignored', `not JSON data: ${met.notJson}`, {
      reason: 'invalid-resource',
    });
  }
  switch (met.resourceType) {
    case 'Observation':
      return readObservationResource(state, met);
    case 'Condition':
      return readCondition(state, met);
    case 'Patient':
      return readPatient(state, met);
    case 'OperationOutcome':
      return readOperationOutcome(state, met);
    case 'unknown':
      return dispose(state, met, 'ignored', 'not a FHIR resource: it has no resourceType', {
        reason: 'invalid-resource',
      });
    default:
      return dispose(state, met, 'ignored', `a ${met.resourceType} is not read by this service`, {
        reason: 'not-relevant',
      });
  }
}

/** Reads one resource, so that a resource no rule foresaw cannot stop the others being read. */
function readGuarded(state: State, met: MetResource): void {
  try {
    readResource(state, met);
  } catch {
    dispose(state, met, 'ignored', 'could not be read (unexpected structure)', {
      reason: 'invalid-resource',
    });
  }
}

/**
 * Extracts the findings of each vertebral level from the resources at hand, applying every
 * handling rule of docs/clinical-logic.md section 1, with the patient context (known cancer history, age)
 * and a disposition for every resource met. Pure and deterministic; never throws.
 * @see docs/clinical-logic.md section 1
 */
export function extractLevels(
  items: readonly unknown[],
  options: ExtractionOptions,
): ExtractionResult {
  const { patientId, cancerSnomedCodes, now, jsonParsed, reading, notes } = readOptions(options);
  let data: UnpackedData;
  try {
    data = unpack(items, jsonParsed);
  } catch {
    data = unpack([]);
    data = { ...data, notes: ['The data given could not be read.'] };
  }
  const state: State = {
    data,
    patientId,
    cancerSnomedCodes,
    now,
    jsonParsed,
    reading,
    dispositions: [...data.unresolved],
    candidates: [],
    groupOf: new Map(),
    evidence: [],
    unchecked: [],
    notes: [...data.notes, ...notes],
    // Unread pages of a search: findings may be missing, as with an error OperationOutcome.
    dataIncomplete: data.pagesMissing === true,
    queue: [...data.resources],
  };
  if (patientId === undefined) state.notes.push('No patient id was given: no finding can be used.');
  // Members of panels join the queue as they are met (contained ones are new resources).
  for (let i = 0; i < state.queue.length; i++) {
    const met = state.queue[i];
    if (met) readGuarded(state, met);
  }
  const levels = resolveLevels(state);
  const unchecked = uncheckedNote(state);
  if (unchecked !== undefined) state.notes.push(unchecked);
  // Refs are mostly distinct: one string comparison decides.
  const dispositions = state.dispositions.sort((a, b) =>
    a.ref !== b.ref ? (a.ref < b.ref ? -1 : 1) : compare(a.use, b.use),
  );
  const evidence = state.evidence.sort((a, b) => compare(a.ref, b.ref));
  return {
    levels,
    knownCancerHistory: evidence.length > 0,
    cancerHistoryEvidence: evidence,
    ...(state.patient ? { patient: state.patient } : {}),
    dispositions,
    notes: [...new Set(state.notes)].sort(compare),
    dataIncomplete: state.dataIncomplete,
  };
}
