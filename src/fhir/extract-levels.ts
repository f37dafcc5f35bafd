/**
 * The resources at hand -> the engine's findings per vertebral level, the patient context, and a
 * disposition for every resource met. Pure: no I/O, the clock comes in as `options.now`. The same
 * input gives the same output whatever the order of items and entries, and no input makes it
 * throw.
 * @see docs/clinical-logic.md section 1 (input contract and handling rules)
 */
import { isErrorOutcome } from './operation-outcome.js';
import { SIGNS, type Finding, type Sign } from '../engine/index.js';
import { ageInYears } from './patient-age.js';
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
} from './cancer-history.js';
import { choiceKeys } from './fhir-rules.js';
import type {
  Disposition,
  ExtractionOptions,
  ExtractionResult,
  LevelExtraction,
  LevelNote,
} from './extraction-result.js';
import { selectLatest, type Candidate } from './latest-finding.js';
import {
  describeFinding,
  readObservation,
  USED_STATUSES,
  type ReadingOptions,
} from './observation-to-finding.js';
import { ADC_MAXIMUM } from './units.js';
import { referenceTarget } from './references.js';
import { nameResource, unpack, type MetResource, type UnpackedData } from './unpack.js';
import { validateJsonResource } from './validate-resource.js';
import { levelFromBodySite, levelRank, UNSPECIFIED_LEVEL } from './vertebral-level.js';

type Json = Readonly<Record<string, unknown>>;
type Evidence = ExtractionResult['cancerHistoryEvidence'][number];

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * A sign's place in the engine's order (SIGNS), for sorting findings and notes. Built from the end
 * so that a sign listed twice keeps its first place, as indexOf would give.
 */
const SIGN_RANK: ReadonlyMap<Sign, number> = new Map(
  SIGNS.map((sign, i) => [sign, i] as const).reverse(),
);
/** SIGNS.indexOf(sign), without the search. */
const signRank = (sign: Sign): number => SIGN_RANK.get(sign) ?? -1;

/** Options as given by a caller that may not respect the types. */
function readOptions(options: unknown): {
  patientId: string | undefined;
  cancerSnomedCodes: readonly string[];
  now: Date | undefined;
  jsonParsed: boolean;
  reading: ReadingOptions;
  notes: string[];
} {
  const o = (typeof options === 'object' && options !== null ? options : {}) as Json;
  const codes = Array.isArray(o['cancerSnomedCodes']) ? (o['cancerSnomedCodes'] as unknown[]) : [];
  const now = o['now'];
  const minimum = o['adcMinimum'];
  const notes: string[] = [];
  const validMinimum =
    typeof minimum === 'number' && Number.isFinite(minimum) && minimum > 0 && minimum < ADC_MAXIMUM;
  if (minimum !== undefined && !validMinimum) {
    // The configuration checks it first; a caller that did not is told, and nothing is guessed.
    notes.push(
      `The ADC minimum setting (${String(minimum)}) is not a number between 0 and ${ADC_MAXIMUM} x10^-3 mm2/s: it was not applied.`,
    );
  }
  return {
    patientId:
      typeof o['patientId'] === 'string' && o['patientId'] !== '' ? o['patientId'] : undefined,
    cancerSnomedCodes: codes.filter((c): c is string => typeof c === 'string'),
    now: now instanceof Date && !Number.isNaN(now.getTime()) ? now : undefined,
    jsonParsed: o['jsonParsed'] === true,
    reading: { adc: validMinimum ? { minimum } : {} },
    notes,
  };
}

interface CandidateGroup {
  readonly level: string;
  readonly sign: Sign;
  readonly list: Candidate[];
}

interface State {
  readonly data: UnpackedData;
  readonly patientId: string | undefined;
  readonly cancerSnomedCodes: readonly string[];
  readonly now: Date | undefined;
  readonly jsonParsed: boolean;
  readonly reading: ReadingOptions;
  readonly dispositions: Disposition[];
  /** The candidates of each level and sign, in the order first met; `groupOf` finds them. */
  readonly candidates: CandidateGroup[];
  readonly groupOf: Map<string, Map<Sign, CandidateGroup>>;
  readonly evidence: Evidence[];
  /** Active Conditions coded in no system checked for cancer: `Condition/x (SNOMED CT ...)`. */
  readonly unchecked: string[];
  readonly notes: string[];
  /** An error OperationOutcome was met: the source says its data may be cut short. */
  dataIncomplete: boolean;
  patient?: { ref: string; ageYears?: number };
  /** Refs read or queued; made when a panel is first followed (most data have none). */
  seen?: Set<string>;
  readonly queue: MetResource[];
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * A disposition, its properties in their documented order; optional ones only when given (no
 * spreads: this runs for every resource).
 */
function disposition(
  ref: string,
  resourceType: string,
  versionId: string | undefined,
  use: Disposition['use'],
  reason: Disposition['reason'],
  detail: string,
  level: string | undefined,
  sign: Sign | undefined,
): Disposition {
  const d: Mutable<Disposition> = { ref, resourceType } as Mutable<Disposition>;
  if (versionId !== undefined) d.versionId = versionId;
  d.use = use;
  if (reason !== undefined) d.reason = reason;
  d.detail = detail;
  if (level !== undefined) d.level = level;
  if (sign !== undefined) d.sign = sign;
  return d;
}

function dispose(
  state: State,
  met: MetResource,
  use: Disposition['use'],
  detail: string,
  extra: Partial<Pick<Disposition, 'reason' | 'level' | 'sign'>> = {},
): void {
  state.dispositions.push(
    disposition(
      met.ref,
      met.resourceType,
      met.versionId,
      use,
      extra.reason,
      detail,
      extra.level,
      extra.sign,
    ),
  );
}

/** Does a reference name the hook's patient? `Patient/<id>`, `.../Patient/<id>`, or a fullUrl of it. */
function isHookPatient(state: State, reference: unknown): boolean {
  if (state.patientId === undefined || typeof reference !== 'string') return false;
  const target = referenceTarget(reference);
  if (target) return target.resourceType === 'Patient' && target.id === state.patientId;
  const found = state.data.resolve(reference);
  return found?.resourceType === 'Patient' && found.resource['id'] === state.patientId;
}

/**
 * The first issue that makes the resource not valid FHIR R4 JSON. Base invariants (obs-6, con-4)
 * are left to the handling rules that cover them.
 */
function firstSchemaProblem(met: MetResource): string | undefined {
  const v = validateJsonResource(met.resource);
  const issue = v.issues.find((i) => i.kind !== 'profile' && i.kind !== 'invariant');
  return issue ? `not valid FHIR R4: ${issue.path} ${issue.message}` : undefined;
}

/** Why a panel's own status or subject excludes it, if they do. */
interface Exclusion {
  readonly reason: 'status' | 'other-subject';
  readonly why: string;
}

function exclusionOf(state: State, resource: Json): Exclusion | undefined {
  const status = resource['status'];
  if (typeof status !== 'string' || !USED_STATUSES.includes(status)) {
    return { reason: 'status', why: `status is ${String(status)}` };
  }
  if (
    resource['subject'] !== undefined &&
    !isHookPatient(state, (resource['subject'] as Json | undefined)?.['reference'])
  ) {
    return { reason: 'other-subject', why: "subject is not the hook's patient" };
  }
  return undefined;
}

/**
 * Follows a panel's hasMember within the data at hand; returns the words for its disposition.
 * A contained member has no life of its own: when the panel's status or subject excludes it
 * (`exclusion`), its contained members are ignored with it, whatever they say of themselves.
 */
function followMembers(state: State, met: MetResource, exclusion: Exclusion | undefined): string {
  const members = Array.isArray(met.resource['hasMember'])
    ? (met.resource['hasMember'] as unknown[])
    : [];
  const followed: string[] = [];
  const excluded: string[] = [];
  const missing: string[] = [];
  for (const m of members) {
    const reference = (typeof m === 'object' && m !== null ? (m as Json) : {})['reference'];
    if (typeof reference !== 'string') continue;
    let target: MetResource | undefined;
    if (reference.startsWith('#')) {
      const contained = Array.isArray(met.resource['contained'])
        ? (met.resource['contained'] as unknown[])
        : [];
      const found = contained.find(
        (c) => typeof c === 'object' && c !== null && (c as Json)['id'] === reference.slice(1),
      );
      if (found) target = nameResource(found as Json, undefined, met.ref, state.jsonParsed);
      if (target !== undefined && exclusion !== undefined) {
        state.seen ??= new Set(state.data.resources.map((r) => r.ref));
        if (!state.seen.has(target.ref)) {
          state.seen.add(target.ref);
          excluded.push(target.ref);
          dispose(
            state,
            target,
            'ignored',
            `contained in ${met.ref}, whose ${exclusion.why}: a contained resource shares its container's status and subject`,
            { reason: exclusion.reason },
          );
        }
        continue;
      }
    } else {
      target = state.data.resolve(reference);
    }
    if (target === undefined) {
      missing.push(reference);
      continue;
    }
    followed.push(target.ref);
    state.seen ??= new Set(state.data.resources.map((r) => r.ref));
    if (!state.seen.has(target.ref)) {
      state.seen.add(target.ref);
      state.queue.push(target);
    }
  }
  for (const reference of missing) {
    state.notes.push(
      `Panel ${met.ref} lists a member (${reference}) that is not in the data at hand; it was not read.`,
    );
  }
  const parts = [`panel: ${followed.length} member(s) followed (${followed.join(', ')})`];
  if (excluded.length > 0) {
    parts.push(`${excluded.length} contained member(s) not used (${excluded.join(', ')})`);
  }
  if (missing.length > 0) parts.push(`${missing.length} not in the data at hand`);
  return parts.join('; ');
}

/** The level of a finding rejected before its level was read: its bodySite's, or unspecified. */
function levelOfRejected(met: MetResource): string | undefined {
  const bodySite = met.resource['bodySite'];
  return bodySite === undefined ? UNSPECIFIED_LEVEL : levelFromBodySite(bodySite);
}

function readObservationResource(state: State, met: MetResource): void {
  const validation = validateJsonResource(met.resource);
  const reading = readObservation(
    met.resource,
    validation,
    (ref) => isHookPatient(state, ref),
    state.reading,
  );
  const validForFhir = validation.issues.every(
    (i) => i.kind === 'profile' || i.kind === 'invariant',
  );
  const hasMembers =
    validForFhir &&
    Array.isArray(met.resource['hasMember']) &&
    met.resource['hasMember'].length > 0;
  const exclusion = hasMembers ? exclusionOf(state, met.resource) : undefined;
  const membersDetail = hasMembers ? followMembers(state, met, exclusion) : undefined;
  if (reading.kind === 'panel') {
    if (exclusion !== undefined) {
      dispose(state, met, 'ignored', `panel whose ${exclusion.why}; ${membersDetail ?? ''}`, {
        reason: exclusion.reason,
      });
    } else {
      dispose(state, met, 'context', membersDetail ?? 'panel');
    }
    return;
  }
  if (reading.kind === 'ignored') {
    const detail = membersDetail ? `${reading.detail}; ${membersDetail}` : reading.detail;
    // The level a rejected finding was for, when its bodySite says (the card of that level lists
    // it; a level whose every finding was rejected still gets a card).
    const level = reading.level ?? (reading.sign !== undefined ? levelOfRejected(met) : undefined);
    dispose(state, met, 'ignored', detail, {
      reason: reading.reason,
      ...(level !== undefined ? { level } : {}),
      ...(reading.sign !== undefined ? { sign: reading.sign } : {}),
    });
    return;
  }
  // Two maps rather than one keyed by `${level}|${sign}`: no new string to hash per finding.
  let bySign = state.groupOf.get(reading.level);
  if (bySign === undefined) {
    bySign = new Map();
    state.groupOf.set(reading.level, bySign);
  }
  let group = bySign.get(reading.finding.sign);
  if (group === undefined) {
    group = { level: reading.level, sign: reading.finding.sign, list: [] };
    bySign.set(reading.finding.sign, group);
    state.candidates.push(group);
  }
  const candidate: Mutable<Candidate> = {
    ref: met.ref,
    finding: reading.finding,
    preliminary: reading.preliminary,
    effective: reading.effective,
  };
  if (met.versionId !== undefined) candidate.versionId = met.versionId;
  if (reading.issued !== undefined) candidate.issued = reading.issued;
  if (reading.received !== undefined) candidate.received = reading.received;
  if (membersDetail !== undefined || reading.note !== undefined) {
    candidate.note = [reading.note, membersDetail].filter((x) => x !== undefined).join('; ');
  }
  group.list.push(candidate);
}

/** Active, for the note on Conditions not checked for cancer: as a cancer history would need. */
function looksActive(r: Json): boolean {
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

function readCondition(state: State, met: MetResource): void {
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
const UNCHECKED_NAMED = 5;

/** The note on active Conditions no rule could check for cancer, when no cancer history was found. */
function uncheckedNote(state: State): string | undefined {
  if (state.evidence.length > 0 || state.unchecked.length === 0) return undefined;
  const list = [...state.unchecked].sort(compare);
  const named = list.slice(0, UNCHECKED_NAMED).join(', ');
  const more = list.length > UNCHECKED_NAMED ? ` and ${list.length - UNCHECKED_NAMED} more` : '';
  return `${list.length} active Condition(s) coded outside ICD-10 and the configured SNOMED CT cancer list (VCF_CANCER_SNOMED_CODES) were not checked for cancer: ${named}${more}.`;
}

function readPatient(state: State, met: MetResource): void {
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
function readOperationOutcome(state: State, met: MetResource): void {
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

/** Resolves each level and sign's candidates into findings, notes and dispositions. */
function resolveLevels(state: State): LevelExtraction[] {
  type Provenance = LevelExtraction['provenance'][number];
  type Conflict = LevelExtraction['conflicts'][number];
  const byLevel = new Map<
    string,
    { findings: Finding[]; notes: LevelNote[]; provenance: Provenance[]; conflicts: Conflict[] }
  >();
  const levelOf = (level: string) => {
    const entry = byLevel.get(level) ?? { findings: [], notes: [], provenance: [], conflicts: [] };
    byLevel.set(level, entry);
    return entry;
  };
  for (const { level, sign, list } of state.candidates) {
    const selection = selectLatest(list);
    for (const { candidate, why } of selection.superseded) {
      state.dispositions.push(
        disposition(
          candidate.ref,
          'Observation',
          candidate.versionId,
          'superseded',
          undefined,
          `${describeFinding(level, candidate.finding)}: not used, ${why}`,
          level,
          sign,
        ),
      );
    }
    if (selection.kind === 'unresolved') {
      // Two readers at the same time: neither value is weighed, but the conflict is itself a fact
      // the engine reasons on (unknown sign; a red flag when one value is a key sign's malignant
      // one), so the level is assessed with it and the resources count as used.
      levelOf(level).conflicts.push({
        sign,
        reports: selection.tied.map((c) => ({
          ref: c.ref,
          ...(c.versionId !== undefined ? { versionId: c.versionId } : {}),
          value: c.finding.value,
        })),
      });
      for (const c of selection.tied) {
        state.dispositions.push(
          disposition(
            c.ref,
            'Observation',
            c.versionId,
            'used',
            undefined,
            `${describeFinding(level, c.finding)}: disagrees with a finding of the same time; neither is weighed (the sign counts as unknown)`,
            level,
            sign,
          ),
        );
      }
      continue;
    }
    const { kept } = selection;
    const entry = levelOf(level);
    entry.findings.push(kept.finding);
    entry.provenance.push({
      sign,
      ref: kept.ref,
      ...(kept.versionId !== undefined ? { versionId: kept.versionId } : {}),
      ...(kept.received !== undefined ? { received: kept.received } : {}),
    });
    const differing =
      selection.superseded.length === 0
        ? []
        : selection.superseded
            .map((s) => s.candidate)
            .filter((c) => c.finding.value !== kept.finding.value);
    if (differing.length > 0) {
      entry.notes.push({
        kind: 'conflict',
        sign,
        kept: { ref: kept.ref, value: kept.finding.value },
        superseded: differing.map((c) => ({ ref: c.ref, value: c.finding.value })),
      });
    }
    if (kept.preliminary) entry.notes.push({ kind: 'preliminary', sign, ref: kept.ref });
    state.dispositions.push(
      disposition(
        kept.ref,
        'Observation',
        kept.versionId,
        'used',
        undefined,
        describeFinding(level, kept.finding) +
          (kept.preliminary ? ' (preliminary)' : '') +
          (kept.note ? ` (${kept.note})` : ''),
        level,
        sign,
      ),
    );
  }
  const noteKey = (n: LevelNote) =>
    n.kind === 'note'
      ? `2|${n.detail}`
      : `${n.kind === 'conflict' ? 0 : 1}|${String(signRank(n.sign)).padStart(2, '0')}`;
  return [...byLevel.entries()]
    .sort(([a], [b]) => levelRank(a) - levelRank(b) || compare(a, b))
    .map(([level, e]) => {
      // A level has one finding per sign at most: placing each at its sign's rank sorts them.
      const atRank: number[] = [];
      e.findings.forEach((f, i) => (atRank[signRank(f.sign)] = i));
      const findings: Finding[] = [];
      const provenance: Provenance[] = [];
      for (const i of atRank) {
        if (i === undefined) continue;
        const finding = e.findings[i];
        const p = e.provenance[i];
        if (finding) findings.push(finding);
        if (p) provenance.push(p);
      }
      return {
        level,
        findings,
        notes: [...e.notes].sort((x, y) => compare(noteKey(x), noteKey(y))),
        provenance,
        conflicts: e.conflicts.sort((x, y) => signRank(x.sign) - signRank(y.sign)),
      };
    });
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
