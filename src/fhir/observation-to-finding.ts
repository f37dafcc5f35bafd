/**
 * One Observation -> one finding for one level, or the reason it is not used. The handling rules
 * of docs/clinical-logic.md section 1, in this order: valid FHIR; a vcf-finding code, one of the 15; the
 * hook's patient; status; dataAbsentReason; the profile's rules (category, effective[x], value
 * type and ValueSet, unit); the level; the value read for the engine.
 * @see docs/clinical-logic.md section 1
 */
import {
  asValidFinding,
  compressionDegreeFromHeightLoss,
  formatFindingValue,
  isSign,
  SIGN_LABELS,
  type Finding,
  type Sign,
} from '../engine/index.js';
import { effectiveInterval, timeInterval, type TimeInterval } from './effective-time.js';
import type { IgnoreReason } from './extraction-result.js';
import { PROFILE } from './profile-contract.js';
import {
  findingCodesOf,
  valueKeyOf,
  type ProfileConcern,
  type ProfileIssue,
} from './profile-rules.js';
import { adcFromQuantity, heightLossFromQuantity, type AdcBounds } from './units.js';
import type { ValidationResult } from './validate-resource.js';
import { levelsNamed, UNSPECIFIED_LEVEL } from './vertebral-level.js';

type Json = Readonly<Record<string, unknown>>;

/** Statuses whose findings are used (docs/clinical-logic.md section 1); preliminary ones say so. */
export const USED_STATUSES: readonly string[] = ['final', 'amended', 'corrected', 'preliminary'];

export type ObservationReading =
  | {
      readonly kind: 'finding';
      readonly level: string;
      readonly finding: Finding;
      readonly preliminary: boolean;
      readonly effective: TimeInterval;
      readonly issued?: TimeInterval;
      /** How the value was read, when there is something to say (a unit converted). */
      readonly note?: string;
      /** An ADC's value and UCUM unit as sent, before conversion (a unit slip shows beside it). */
      readonly received?: ReceivedQuantity;
    }
  /** No vcf-finding code but members: a panel, followed but not a finding itself. */
  | { readonly kind: 'panel' }
  | {
      readonly kind: 'ignored';
      readonly reason: IgnoreReason;
      readonly detail: string;
      readonly level?: string;
      readonly sign?: Sign;
    };

/** A valueQuantity as sent: its number and UCUM code. */
export interface ReceivedQuantity {
  readonly value: number;
  readonly unit: string;
}

type FindingReading = Extract<ObservationReading, { kind: 'finding' }>;
type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Which reason each profile concern gives, most fundamental first. */
const CONCERN_REASON: readonly (readonly [ProfileConcern, IgnoreReason])[] = [
  ['code', 'profile-violation'],
  ['subject', 'profile-violation'],
  ['category', 'profile-violation'],
  ['effective', 'profile-violation'],
  ['value-missing', 'profile-violation'],
  ['value', 'wrong-value'],
  ['unit', 'unknown-unit'],
  ['body-site', 'unknown-level'],
];

function codingText(concept: unknown): string {
  const codings = (concept as { coding?: unknown } | undefined)?.coding;
  const first = Array.isArray(codings) ? (codings[0] as Json | undefined) : undefined;
  if (typeof first?.['code'] === 'string') {
    return typeof first['system'] === 'string'
      ? `${first['system']}|${first['code']}`
      : first['code'];
  }
  return 'no coding';
}

/** A dataAbsentReason as a reader says it: its display, else its code, else its text. */
function absentReasonText(concept: unknown): string {
  const c = concept as { coding?: unknown; text?: unknown } | undefined;
  const first = Array.isArray(c?.coding) ? (c.coding[0] as Json | undefined) : undefined;
  if (typeof first?.['display'] === 'string') return first['display'];
  if (typeof first?.['code'] === 'string') return first['code'];
  return typeof c?.text === 'string' ? c.text : 'no reason coded';
}

function ignored(
  reason: IgnoreReason,
  detail: string,
  where: { level?: string; sign?: Sign } = {},
): ObservationReading {
  return {
    kind: 'ignored',
    reason,
    detail,
    ...(where.level !== undefined ? { level: where.level } : {}),
    ...(where.sign !== undefined ? { sign: where.sign } : {}),
  };
}

/** A profile issue in the words of a disposition: what is wrong, where, what was found, which rule. */
function profileDetail(issue: ProfileIssue): string {
  const key = issue.key ? ` (${issue.key})` : '';
  const valueType = /\.(value[A-Z][A-Za-z]*)$/.exec(issue.path)?.[1];
  if (issue.concern === 'value' && valueType !== undefined) {
    return `wrong value type (${valueType}): ${issue.message}${key}`;
  }
  const found = issue.found !== undefined ? ` (found ${issue.found})` : '';
  const what =
    issue.concern === 'value'
      ? 'value not allowed'
      : issue.concern === 'unit'
        ? 'unit not accepted'
        : 'breaks the vcf-finding profile';
  return `${what}: ${issue.path}${found}: ${issue.message}${key}`;
}

/** How the Observations are read, beyond the profile: the settings that bound a value. */
export interface ReadingOptions {
  /** ADC and adc-reference: the configured minimum, if any (10^-3 mm2/s). */
  readonly adc: AdcBounds;
}

/** The value of the Observation as the engine's finding, or why it cannot be one. */
function readValue(
  sign: Sign,
  r: Json,
  options: ReadingOptions,
):
  | { finding: Finding; note?: string; received?: ReceivedQuantity }
  | { reason: IgnoreReason; detail: string } {
  const valueKey = valueKeyOf(r);
  const rule = PROFILE.valueRules.get(sign);
  const value = valueKey === undefined ? undefined : r[valueKey];
  let candidate: unknown;
  let note: string | undefined;
  let received: ReceivedQuantity | undefined;
  if (valueKey === 'valueCodeableConcept' && rule?.coded) {
    // Every code of the value system counts: two that differ (preserved and destroyed) leave the
    // finding unknown, whichever the sender meant. Codings of other systems cannot be read.
    const coded = rule.coded;
    const codings = (value as { coding?: unknown }).coding as unknown[];
    const codes: string[] = [];
    for (const c of codings) {
      const coding = (typeof c === 'object' && c !== null ? c : {}) as Json;
      const code = coding['code'];
      if (coding['system'] === coded.system && typeof code === 'string' && !codes.includes(code)) {
        codes.push(code);
      }
    }
    if (codes.length > 1) {
      return { reason: 'wrong-value', detail: `codings disagree: ${codes.join(', ')}` };
    }
    candidate = { sign, value: codes[0] };
  } else if (valueKey === 'valueBoolean') {
    candidate = { sign, value };
  } else if (valueKey === 'valueQuantity' && rule?.quantity) {
    const reading =
      sign === 'compression-degree'
        ? heightLossFromQuantity(value, rule.quantity.units)
        : adcFromQuantity(value, rule.quantity.units, SIGN_LABELS[sign], options.adc);
    if (!reading.ok) return { reason: reading.reason, detail: reading.detail };
    if (sign === 'compression-degree') {
      const grade = compressionDegreeFromHeightLoss(reading.value);
      if (grade === undefined) {
        return { reason: 'wrong-value', detail: 'height loss cannot be graded' };
      }
      candidate = { sign, value: grade };
      note = `${Number((reading.value * 100).toPrecision(12))}% height loss read as ${grade}`;
    } else {
      candidate = { sign, value: reading.value };
      // Read ok: the number and a UCUM code are there (readQuantity checked both).
      const q = value as { value: number; code: string };
      received = { value: q.value, unit: q.code };
    }
    if (reading.note !== undefined) note = note ? `${note}; ${reading.note}` : reading.note;
  }
  const finding = asValidFinding(candidate);
  if (finding === undefined) {
    return { reason: 'wrong-value', detail: `the value is not one the engine reads for ${sign}` };
  }
  return {
    finding,
    ...(note !== undefined ? { note } : {}),
    ...(received !== undefined ? { received } : {}),
  };
}

const NO_OPTIONS: ReadingOptions = { adc: {} };

/**
 * The sign of an Observation that failed the schema, when it reads as one of the hook patient's
 * findings: exactly one vcf-finding code of the contract and the hook's patient as subject.
 */
function ownSign(r: Json, isHookPatient: (reference: unknown) => boolean): Sign | undefined {
  try {
    const known = findingCodesOf(r).filter((c) => PROFILE.findingCodes.has(c));
    const subject = (r['subject'] as Json | undefined)?.['reference'];
    const [code] = known;
    return known.length === 1 && isSign(code) && isHookPatient(subject) ? code : undefined;
  } catch {
    return undefined; // a structure the schema already refused: no sign can be read
  }
}

/**
 * Reads one Observation. `validation` is its validateResource result; `isHookPatient` tells
 * whether a subject reference names the hook's patient.
 */
export function readObservation(
  r: Json,
  validation: ValidationResult,
  isHookPatient: (reference: unknown) => boolean,
  options: ReadingOptions = NO_OPTIONS,
): ObservationReading {
  // The first schema issue and how many there are; and whether the profile found anything.
  let firstSchemaIssue: ValidationResult['issues'][number] | undefined;
  let schemaIssueCount = 0;
  let profileIssueCount = 0;
  let obs6 = false;
  for (const issue of validation.issues) {
    if (issue.kind === 'profile') {
      profileIssueCount++;
    } else if (issue.kind === 'invariant') {
      // obs-6 (a value and a dataAbsentReason): the data-absent rule below covers it.
      obs6 ||= issue.key === 'obs-6';
    } else {
      firstSchemaIssue ??= issue;
      schemaIssueCount++;
    }
  }
  if (firstSchemaIssue !== undefined) {
    const more = schemaIssueCount > 1 ? ` (and ${schemaIssueCount - 1} more)` : '';
    // Which finding was lost, when it is plainly one of the patient's: the level's card then says
    // a finding of it was not used (a destroyed pedicle dated 2026-02-30 must not vanish).
    const sign = ownSign(r, isHookPatient);
    return ignored(
      'invalid-resource',
      `${sign !== undefined ? `${SIGN_LABELS[sign]}: ` : ''}not valid FHIR R4: ${firstSchemaIssue.path} ${firstSchemaIssue.message}${more}`,
      sign !== undefined ? { sign } : {},
    );
  }

  const codes = findingCodesOf(r);
  if (codes.length === 0) {
    return Array.isArray(r['hasMember']) && r['hasMember'].length > 0
      ? { kind: 'panel' }
      : ignored('unknown-code', `code (${codingText(r['code'])}) is not a vcf-finding code`);
  }
  const known = codes.filter((c) => PROFILE.findingCodes.has(c));
  if (known.length === 0) {
    return ignored(
      'unknown-code',
      `code "${codes[0] ?? ''}" is not one of the ${PROFILE.findingCodes.size} vcf-finding codes`,
    );
  }
  if (known.length > 1) {
    return ignored(
      'unknown-code',
      `code carries several vcf-finding codes (${known.join(', ')}): which finding it reports is unclear`,
    );
  }
  const sign = known[0];
  if (!isSign(sign))
    return ignored('unknown-code', `code "${String(sign)}" is not a sign the engine reads`);

  const subject = (r['subject'] as Json | undefined)?.['reference'];
  if (r['subject'] !== undefined && !isHookPatient(subject)) {
    return ignored('other-subject', "subject is not the hook's patient", { sign });
  }
  const status = r['status'];
  if (typeof status !== 'string' || !USED_STATUSES.includes(status)) {
    return ignored(
      'status',
      `status ${String(status)} (only final, amended, corrected or preliminary are used)`,
      { sign },
    );
  }
  if (r['dataAbsentReason'] !== undefined) {
    const contradiction = obs6
      ? ' (a value is given too, which FHIR R4 obs-6 forbids: neither is read)'
      : '';
    return ignored(
      'data-absent',
      `no value (dataAbsentReason: ${absentReasonText(r['dataAbsentReason'])})${contradiction}`,
      { sign },
    );
  }

  if (profileIssueCount > 0) {
    const profileIssues = validation.issues.filter((i) => i.kind === 'profile');
    for (const [concern, reason] of CONCERN_REASON) {
      // An invariant (with its key) says more than a bare type or cardinality rule.
      const issue =
        profileIssues.find((i) => i.concern === concern && i.key !== undefined) ??
        profileIssues.find((i) => i.concern === concern);
      if (issue) return ignored(reason, profileDetail(issue), { sign });
    }
  }

  const levels = r['bodySite'] === undefined ? [UNSPECIFIED_LEVEL] : levelsNamed(r['bodySite']);
  const level = levels.length === 1 ? levels[0] : undefined;
  if (level === undefined) {
    return ignored(
      'unknown-level',
      levels.length > 1
        ? `bodySite codings name different levels: ${levels.join(', ')}`
        : `bodySite (${codingText(r['bodySite'])}) names no vertebral level (a vertebral-level code or a SNOMED CT vertebra of the ConceptMap)`,
      { sign },
    );
  }

  const read = readValue(sign, r, options);
  if ('reason' in read) return ignored(read.reason, read.detail, { level, sign });

  const effective = effectiveInterval(r);
  if (effective === undefined) {
    return ignored('profile-violation', 'Observation.effective[x] gives no date', { level, sign });
  }
  const issued = timeInterval(r['issued']);
  const reading: Mutable<FindingReading> = {
    kind: 'finding',
    level,
    finding: read.finding,
    preliminary: status === 'preliminary',
    effective,
  };
  if (issued !== undefined) reading.issued = issued;
  if (read.note !== undefined) reading.note = read.note;
  if (read.received !== undefined) reading.received = read.received;
  return reading;
}

/** "Compression degree degree-3 at L2" for a disposition's detail. */
export function describeFinding(level: string, finding: Finding): string {
  return `${SIGN_LABELS[finding.sign]} ${formatFindingValue(finding)} at ${level}`;
}
