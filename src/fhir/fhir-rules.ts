/**
 * Rules of FHIR R4 that its JSON schema does not express, for the resource types validated here:
 * one type per choice element (`valueBoolean` and `valueString` together are two values, and
 * picking one would be a guess), dates that name a day of the calendar (the schema's pattern lets
 * "2026-02-30" through), and the base invariants obs-6 (no value with a dataAbsentReason) and
 * con-4 (an abated Condition is not active).
 * @see https://hl7.org/fhir/R4/formats.html#choice, https://hl7.org/fhir/R4/observation.html#invs,
 * https://hl7.org/fhir/R4/condition.html#invs
 */
import { CONDITION_CLINICAL_SYSTEM } from './cancer-history.js';
import { calendarProblem } from './effective-time.js';

type Json = Readonly<Record<string, unknown>>;

/** A FHIR R4 rule broken that makes the resource invalid JSON FHIR. */
export interface FhirRuleIssue {
  readonly kind: 'fhir-rule';
  readonly path: string;
  readonly message: string;
  readonly rule: 'one-choice-type' | 'calendar-date';
}

/**
 * A base invariant of FHIR R4 broken. The resource is not valid, but the extraction has a handling
 * rule for it (obs-6: the Observation is ignored as data-absent; con-4: the Condition as abated).
 */
export interface FhirInvariantIssue {
  readonly kind: 'invariant';
  readonly path: string;
  readonly message: string;
  readonly key: 'obs-6' | 'con-4';
}

const asObject = (x: unknown): Json | undefined =>
  typeof x === 'object' && x !== null && !Array.isArray(x) ? (x as Json) : undefined;

/** Does a property name start with `stem` followed by a capital letter (`valueQuantity` for `value`)? */
export function isChoiceOf(key: string, stem: string): boolean {
  if (key.length <= stem.length) return false;
  const next = key.charCodeAt(stem.length);
  return next >= 0x41 && next <= 0x5a && key.startsWith(stem);
}

/** The choice elements `<stem>[x]` of each type (FHIR R4), at the resource's root. */
const CHOICE_ELEMENTS: Readonly<Record<string, readonly string[]>> = {
  Observation: ['effective', 'value'],
  Condition: ['onset', 'abatement'],
  Patient: ['deceased', 'multipleBirth'],
  ServiceRequest: ['quantity', 'occurrence', 'asNeeded'],
};

/** Elements of type date, dateTime or instant, by type (`a.b`: b inside a; arrays walked). */
const DATE_ELEMENTS: Readonly<Record<string, readonly string[]>> = {
  Observation: [
    'effectiveDateTime',
    'effectiveInstant',
    'effectivePeriod.start',
    'effectivePeriod.end',
    'effectiveTiming.event',
    'issued',
    'valueDateTime',
    'valuePeriod.start',
    'valuePeriod.end',
  ],
  Condition: [
    'onsetDateTime',
    'onsetPeriod.start',
    'onsetPeriod.end',
    'abatementDateTime',
    'abatementPeriod.start',
    'abatementPeriod.end',
    'recordedDate',
  ],
  Patient: ['birthDate', 'deceasedDateTime'],
  ServiceRequest: [
    'occurrenceDateTime',
    'occurrencePeriod.start',
    'occurrencePeriod.end',
    'authoredOn',
  ],
  Bundle: ['timestamp'],
};
const SPLIT_DATE_ELEMENTS: ReadonlyMap<string, readonly (readonly string[])[]> = new Map(
  Object.entries(DATE_ELEMENTS).map(([type, paths]) => [type, paths.map((p) => p.split('.'))]),
);
const META_LAST_UPDATED: readonly string[] = ['meta', 'lastUpdated'];

/** The choice properties present for `stem`, in the resource's order. */
export function choiceKeys(resource: Json, stem: string): string[] {
  const keys: string[] = [];
  for (const k of Object.keys(resource)) {
    if (isChoiceOf(k, stem) && resource[k] !== undefined) keys.push(k);
  }
  return keys;
}

/**
 * Pushes a calendar-date issue for every value at `path` (below `root`) that names no day. The
 * path text is built only for an issue (`indices[j]`: the array index met after step j, if any):
 * this runs on every resource, and almost every date is a good one.
 */
function checkDates(
  value: unknown,
  path: readonly string[],
  i: number,
  root: string,
  indices: (number | undefined)[],
  out: FhirRuleIssue[],
): void {
  if (Array.isArray(value)) {
    for (let n = 0; n < value.length; n++) {
      indices[i] = n;
      checkDates(value[n], path, i, root, indices, out);
    }
    indices[i] = undefined;
    return;
  }
  if (i === path.length) {
    const problem = calendarProblem(value);
    if (problem) {
      let at = root;
      for (let j = 0; j <= i; j++) {
        if (j > 0) at += `.${path[j - 1] as string}`;
        if (indices[j] !== undefined) at += `[${indices[j] as number}]`;
      }
      out.push({ kind: 'fhir-rule', path: at, message: problem, rule: 'calendar-date' });
    }
    return;
  }
  const next = asObject(value)?.[path[i] as string];
  if (next !== undefined) checkDates(next, path, i + 1, root, indices, out);
}

/** Does the clinicalStatus say the Condition is over (resolved, remission or inactive)? */
function notActive(clinicalStatus: unknown): boolean {
  const list = asObject(clinicalStatus)?.['coding'];
  if (!Array.isArray(list)) return false;
  return list.some((c: unknown) => {
    const coding = asObject(c);
    return (
      coding?.['system'] === CONDITION_CLINICAL_SYSTEM &&
      (coding['code'] === 'resolved' ||
        coding['code'] === 'remission' ||
        coding['code'] === 'inactive')
    );
  });
}

/**
 * The FHIR R4 rules (above) a resource of `type` breaks; `root` names it in paths. Reads
 * `unknown` defensively (the resource may have failed the schema).
 */
export function fhirRuleIssues(
  resource: Json,
  type: string,
  root: string,
): (FhirRuleIssue | FhirInvariantIssue)[] {
  const issues: (FhirRuleIssue | FhirInvariantIssue)[] = [];
  for (const stem of CHOICE_ELEMENTS[type] ?? []) {
    const keys = choiceKeys(resource, stem);
    if (keys.length > 1) {
      issues.push({
        kind: 'fhir-rule',
        path: `${root}.${stem}[x]`,
        message: `has ${keys.length} types (${keys.join(', ')}): FHIR R4 allows one type per choice element`,
        rule: 'one-choice-type',
      });
    }
  }
  if (type === 'Observation' && Array.isArray(resource['component'])) {
    resource['component'].forEach((c: unknown, i) => {
      const component = asObject(c);
      const keys = component ? choiceKeys(component, 'value') : [];
      if (keys.length > 1) {
        issues.push({
          kind: 'fhir-rule',
          path: `${root}.component[${i}].value[x]`,
          message: `has ${keys.length} types (${keys.join(', ')}): FHIR R4 allows one type per choice element`,
          rule: 'one-choice-type',
        });
      }
    });
  }
  const dates: FhirRuleIssue[] = [];
  checkDates(resource, META_LAST_UPDATED, 0, root, [], dates);
  for (const path of SPLIT_DATE_ELEMENTS.get(type) ?? [])
    checkDates(resource, path, 0, root, [], dates);
  for (const d of dates) issues.push(d);

  if (
    type === 'Observation' &&
    resource['dataAbsentReason'] !== undefined &&
    choiceKeys(resource, 'value').length > 0
  ) {
    issues.push({
      kind: 'invariant',
      path: `${root}.dataAbsentReason`,
      message:
        'SHALL only be present if Observation.value[x] is not present (obs-6): a value and a reason it is absent contradict each other',
      key: 'obs-6',
    });
  }
  if (
    type === 'Condition' &&
    choiceKeys(resource, 'abatement').length > 0 &&
    !notActive(resource['clinicalStatus'])
  ) {
    issues.push({
      kind: 'invariant',
      path: `${root}.abatement[x]`,
      message:
        'If condition is abated, then clinicalStatus must be either inactive, resolved, or remission (con-4)',
      key: 'con-4',
    });
  }
  return issues;
}
