/**
 * Reading a Condition: the cancer-history rules (docs/clinical-logic.md section 5). One idea of
 * extractLevels (../extract-levels.ts).
 */
import {
  ACTIVE_CLINICAL_STATUSES,
  CONDITION_CLINICAL_SYSTEM,
  CONDITION_VERIFICATION_SYSTEM,
  describeConditionCode,
  EXCLUDING_VERIFICATION_STATUSES,
  hasIcd10Coding,
  malignantNeoplasmCoding,
  statusCode,
  unreadableStatus,
} from '../cancer-history.js';
import { choiceKeys } from '../fhir-rules.js';
import type { MetResource } from '../unpack.js';
import {
  type Json,
  compare,
  type State,
  dispose,
  isHookPatient,
  firstSchemaProblem,
} from './state.js';

/** Active, for the note on Conditions not checked for cancer: as a cancer history would need. */
export function looksActive(r: Json): boolean {
  const clinical = statusCode(r['clinicalStatus'], CONDITION_CLINICAL_SYSTEM);
  const verification = statusCode(r['verificationStatus'], CONDITION_VERIFICATION_SYSTEM);
  return (
    clinical !== undefined &&
    ACTIVE_CLINICAL_STATUSES.includes(clinical) &&
    !(verification !== undefined && EXCLUDING_VERIFICATION_STATUSES.includes(verification)) &&
    choiceKeys(r, 'abatement').length === 0
  );
}

/** A Condition of the hook's patient coded as a malignant neoplasm, read as leniently as it allows. */
function lostCancer(state: State, r: Json): boolean {
  try {
    return (
      isHookPatient(state, (r['subject'] as Json | undefined)?.['reference']) &&
      malignantNeoplasmCoding(r['code'], state.cancerSnomedCodes) !== undefined
    );
  } catch {
    return false; // a structure no rule can read: nothing to say of it
  }
}

export function readCondition(state: State, met: MetResource): void {
  const problem = firstSchemaProblem(met);
  if (problem) {
    // A cancer Condition of this patient that cannot be read (a date without its time zone) would
    // silently lower the pre-test probability: the data are then said to be incomplete.
    if (lostCancer(state, met.resource)) {
      state.dataIncomplete = true;
      state.notes.push(
        `${met.ref}, coded as a malignant neoplasm, could not be read (${problem}): a known cancer history may be missing.`,
      );
    }
    return dispose(state, met, 'ignored', problem, { reason: 'invalid-resource' });
  }
  const r = met.resource;
  if (!isHookPatient(state, (r['subject'] as Json | undefined)?.['reference'])) {
    return dispose(state, met, 'ignored', "subject is not the hook's patient", {
      reason: 'other-subject',
    });
  }
  const coding = malignantNeoplasmCoding(r['code'], state.cancerSnomedCodes);
  if (!coding) {
    // Only ICD-10 can be checked without a terminology server; a cancer coded only in another
    // system (a SNOMED CT concept outside the configured list) would otherwise pass unseen.
    if (!hasIcd10Coding(r['code']) && looksActive(r)) {
      state.unchecked.push(`${met.ref} (${describeConditionCode(r['code'])})`);
    }
    return dispose(
      state,
      met,
      'ignored',
      'not ICD-10 C00-C97 and not in the configured SNOMED CT list',
      { reason: 'not-relevant' },
    );
  }
  const label = coding.display ? `${coding.code} ${coding.display}` : coding.code;
  const unreadableVerification = unreadableStatus(
    r['verificationStatus'],
    CONDITION_VERIFICATION_SYSTEM,
    'verificationStatus',
    'condition-ver-status',
  );
  if (unreadableVerification !== undefined) {
    return dispose(
      state,
      met,
      'ignored',
      `${label}: ${unreadableVerification}; whether the diagnosis was refuted cannot be read`,
      { reason: 'status' },
    );
  }
  const verification = statusCode(r['verificationStatus'], CONDITION_VERIFICATION_SYSTEM);
  if (verification !== undefined && EXCLUDING_VERIFICATION_STATUSES.includes(verification)) {
    return dispose(
      state,
      met,
      'ignored',
      `${label}: verificationStatus ${verification}, not a known cancer history`,
      { reason: 'status' },
    );
  }
  // Whatever the clinicalStatus (active, recurrence, relapse, remission, resolved, or none) and
  // abated or not: a cancer in remission is a history of malignancy, which is what the cancer
  // history pre-test probability is about (Luo 2016: "patients with known malignancy"). Only a
  // refuted or entered-in-error diagnosis (above) is no history (docs/clinical-logic.md section 1).
  const clinical = statusCode(r['clinicalStatus'], CONDITION_CLINICAL_SYSTEM);
  const course =
    clinical !== undefined && !ACTIVE_CLINICAL_STATUSES.includes(clinical)
      ? ` (clinicalStatus ${clinical})`
      : choiceKeys(r, 'abatement').length > 0
        ? ' (abated)'
        : '';
  const unconfirmed = verification !== undefined && verification !== 'confirmed';
  if (unconfirmed) {
    state.notes.push(
      `The known cancer history rests in part on ${met.ref} (${label}), whose verificationStatus is ${verification}.`,
    );
  }
  state.evidence.push({ ref: met.ref, ...coding });
  dispose(
    state,
    met,
    'context',
    `known cancer history: ${label}${course}${unconfirmed ? ` (verificationStatus ${verification})` : ''}`,
  );
}

/** How many unchecked Conditions a note names; the rest are counted. */
export const UNCHECKED_NAMED = 5;

/** The note on active Conditions no rule could check for cancer, when no cancer history was found. */
export function uncheckedNote(state: State): string | undefined {
  if (state.evidence.length > 0 || state.unchecked.length === 0) return undefined;
  const list = [...state.unchecked].sort(compare);
  const named = list.slice(0, UNCHECKED_NAMED).join(', ');
  const more = list.length > UNCHECKED_NAMED ? ` and ${list.length - UNCHECKED_NAMED} more` : '';
  return `${list.length} active Condition(s) coded outside ICD-10 and the configured SNOMED CT cancer list (VCF_CANCER_SNOMED_CODES) were not checked for cancer: ${named}${more}.`;
}
