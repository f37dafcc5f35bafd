/**
 * The vcf-finding-observation profile checked on one Observation: required elements, the
 * invariants vcf-1 .. vcf-18, the required binding of `code` and the allowed value[x] types. Reads
 * `unknown` defensively, so it can run on a resource that failed the FHIR schema too.
 * @see docs/clinical-logic.md section 1; profiles/StructureDefinition-vcf-finding-observation.json
 */
import { isChoiceOf } from './fhir-rules.js';
import { childPath } from './json-value.js';
import { PROFILE, type ValueRule } from './profile-contract.js';
import { VERTEBRAL_LEVEL_SYSTEM } from '../terminology/index.js';
import { referenceTarget } from './references.js';

/** What a profile issue is about; the extraction turns it into an ignore reason. */
export type ProfileConcern =
  'category' | 'code' | 'subject' | 'effective' | 'value-missing' | 'value' | 'unit' | 'body-site';

export interface ProfileIssue {
  readonly kind: 'profile';
  /** FHIRPath-like element, e.g. `Observation.valueQuantity.code`. */
  readonly path: string;
  readonly message: string;
  /** The invariant broken (vcf-1 .. vcf-18); absent for cardinality, type and binding rules. */
  readonly key?: string;
  readonly concern: ProfileConcern;
  /** What was found instead, when that helps: `"G5"`, `"mm2"`, `a value of type String`. */
  readonly found?: string;
}

type Json = Readonly<Record<string, unknown>>;

const asObject = (x: unknown): Json | undefined =>
  typeof x === 'object' && x !== null && !Array.isArray(x) ? (x as Json) : undefined;
const asArray = (x: unknown): readonly unknown[] => (Array.isArray(x) ? x : []);

/** The coding list of a CodeableConcept (entries not yet checked to be objects), or none. */
function codingList(concept: unknown): readonly unknown[] {
  const list = asObject(concept)?.['coding'];
  return Array.isArray(list) ? list : [];
}

/** Does the CodeableConcept carry a coding of `system` (and `code`, when given)? */
function hasCoding(concept: unknown, system: string, code?: string): boolean {
  for (const item of codingList(concept)) {
    const coding = asObject(item);
    if (coding?.['system'] === system && (code === undefined || coding['code'] === code)) {
      return true;
    }
  }
  return false;
}

/** The distinct codes of CodeSystem vcf-finding that Observation.code carries, in order. */
export function findingCodesOf(resource: unknown): string[] {
  const codes: string[] = [];
  for (const item of codingList(asObject(resource)?.['code'])) {
    const coding = asObject(item);
    const code = coding?.['code'];
    if (
      coding?.['system'] === PROFILE.findingCode.system &&
      typeof code === 'string' &&
      !codes.includes(code)
    ) {
      codes.push(code);
    }
  }
  return codes;
}

/** The profile applies to an Observation that carries a vcf-finding code or claims the profile. */
export function profileApplies(resource: unknown): boolean {
  const r = asObject(resource);
  if (r?.['resourceType'] !== 'Observation') return false;
  const claimed = asArray(asObject(r['meta'])?.['profile']).some(
    (p) => typeof p === 'string' && p.split('|')[0] === PROFILE.url,
  );
  return claimed || hasCoding(r['code'], PROFILE.findingCode.system);
}

/**
 * The value[x] property present (e.g. `valueQuantity`), if any; the first by name if several
 * (two are a FHIR rule broken, see fhir-rules.ts: such an Observation is never read).
 */
export function valueKeyOf(resource: Json): string | undefined {
  let first: string | undefined;
  for (const k of Object.keys(resource)) {
    if (isChoiceOf(k, 'value') && resource[k] !== undefined && (first === undefined || k < first)) {
      first = k;
    }
  }
  return first;
}

/** A required element, read once from the profile: how to tell it is there, and its words. */
interface RequiredElement {
  /** `.category`: the path after the resource's root. */
  readonly suffix: string;
  readonly concern: ProfileConcern;
  isPresent(resource: Json): boolean;
}

/** A choice element `effective[x]`: any `effective<Type>` property with a value. */
function hasChoice(resource: Json, stem: string): boolean {
  for (const k of Object.keys(resource)) {
    if (isChoiceOf(k, stem) && resource[k] !== undefined) return true;
  }
  return false;
}

function hasValue(value: unknown): boolean {
  return value !== undefined && value !== null && !(Array.isArray(value) && value.length === 0);
}

const CONCERN_OF_ELEMENT: Readonly<Record<string, ProfileConcern>> = {
  'Observation.subject': 'subject',
  'Observation.effective[x]': 'effective',
  'Observation.category': 'category',
  'Observation.code': 'code',
};

const REQUIRED_ELEMENTS: readonly RequiredElement[] = PROFILE.requiredElements.map((elementId) => {
  const name = elementId.slice(elementId.indexOf('.') + 1);
  const stem = name.endsWith('[x]') ? name.slice(0, -3) : undefined;
  return {
    suffix: elementId.slice('Observation'.length),
    concern: CONCERN_OF_ELEMENT[elementId] ?? 'value',
    isPresent:
      stem !== undefined
        ? (resource: Json) => hasChoice(resource, stem)
        : (resource: Json) => hasValue(resource[name]),
  };
});

/** The value[x] properties the profile allows, and the words for any other. */
const VALUE_KEY_LIST = PROFILE.valueTypes.map((t) => `value${t}`);
const VALUE_KEYS: ReadonlySet<string> = new Set(VALUE_KEY_LIST);
const VALUE_TYPES_RULE = `must be one of ${VALUE_KEY_LIST.join(', ')} in the vcf-finding profile`;

/** What was given, for a message: a string quoted, anything else as JSON, or "nothing". */
function shown(x: unknown): string {
  return x === undefined ? 'nothing' : JSON.stringify(x);
}

type ValueProblem = { path: string; concern: ProfileConcern; found: string };

/** Does the value satisfy the code's value rule? If not, where, about what, and what was found. */
function valueProblem(
  root: string,
  resource: Json,
  valueKey: string,
  rule: ValueRule,
): ValueProblem | undefined {
  const value = resource[valueKey];
  if (valueKey === 'valueCodeableConcept' && rule.coded) {
    const { system, codes } = rule.coded;
    const list = codingList(value);
    let first: { coding: Json; index: number } | undefined;
    for (let index = 0; index < list.length; index++) {
      const coding = asObject(list[index]);
      if (coding?.['system'] !== system) continue;
      if (codes.includes(coding['code'] as string)) return undefined;
      first ??= { coding, index };
    }
    const at = childPath(root, valueKey);
    return first
      ? {
          path: childPath(childPath(childPath(at, 'coding'), first.index), 'code'),
          concern: 'value',
          found: shown(first.coding['code']),
        }
      : { path: childPath(at, 'coding'), concern: 'value', found: `no coding of ${system}` };
  }
  if (valueKey === 'valueQuantity' && rule.quantity) {
    const q = asObject(value) ?? {};
    const at = childPath(root, valueKey);
    if (typeof q['value'] !== 'number') {
      return { path: childPath(at, 'value'), concern: 'value', found: shown(q['value']) };
    }
    const display = () =>
      typeof q['unit'] === 'string' ? ` (unit display ${shown(q['unit'])})` : '';
    if (q['system'] !== rule.quantity.system) {
      return {
        path: childPath(at, 'system'),
        concern: 'unit',
        found: shown(q['system']) + display(),
      };
    }
    if (!rule.quantity.units.includes(q['code'] as string)) {
      return { path: childPath(at, 'code'), concern: 'unit', found: shown(q['code']) + display() };
    }
    return undefined;
  }
  if (valueKey === 'valueBoolean' && rule.boolean && typeof value === 'boolean') return undefined;
  return {
    path: childPath(root, valueKey),
    concern: 'value',
    found: `a value of type ${valueKey.slice('value'.length)}`,
  };
}

/**
 * Every rule of the profile the Observation breaks (empty: it conforms). `root` names the
 * resource in paths: `Observation`, or `Bundle.entry[2].resource` for a resource in a Bundle.
 * Plain loops, no closures: this runs on every vcf-finding Observation.
 */
export function profileIssues(resource: unknown, root = 'Observation'): ProfileIssue[] {
  const r = asObject(resource);
  if (!r) return [];
  const issues: ProfileIssue[] = [];

  for (const element of REQUIRED_ELEMENTS) {
    if (!element.isPresent(r)) {
      issues.push({
        kind: 'profile',
        path: root + element.suffix,
        message: 'is required by the vcf-finding profile (min 1)',
        concern: element.concern,
      });
    }
  }

  let hasImaging = false;
  for (const category of asArray(r['category'])) {
    if (hasCoding(category, PROFILE.category.system, PROFILE.category.code)) {
      hasImaging = true;
      break;
    }
  }
  if (!hasImaging) {
    issues.push({
      kind: 'profile',
      path: `${root}.category`,
      message: PROFILE.category.human,
      key: PROFILE.category.key,
      concern: 'category',
    });
  }

  // The codings of Observation.code in CodeSystem vcf-finding, with their index (for paths).
  const findingCodings: { readonly code: unknown; readonly index: number }[] = [];
  const codeList = codingList(r['code']);
  for (let index = 0; index < codeList.length; index++) {
    const coding = asObject(codeList[index]);
    if (coding?.['system'] === PROFILE.findingCode.system) {
      findingCodings.push({ code: coding['code'], index });
    }
  }
  if (findingCodings.length === 0) {
    issues.push({
      kind: 'profile',
      path: `${root}.code`,
      message: PROFILE.findingCode.human,
      key: PROFILE.findingCode.key,
      concern: 'code',
    });
  }
  for (const { code, index } of findingCodings) {
    if (typeof code !== 'string' || !PROFILE.findingCodes.has(code)) {
      issues.push({
        kind: 'profile',
        path: childPath(childPath(`${root}.code.coding`, index), 'code'),
        message: 'is not a code of CodeSystem vcf-finding (required binding)',
        concern: 'code',
        found: shown(code),
      });
    }
  }

  const subjectType = referenceTarget(asObject(r['subject'])?.['reference'])?.resourceType;
  if (subjectType !== undefined && subjectType !== 'Patient') {
    issues.push({
      kind: 'profile',
      path: `${root}.subject.reference`,
      message: `must reference a Patient, not a ${subjectType}`,
      concern: 'subject',
    });
  }

  const valueKey = valueKeyOf(r);
  if (valueKey === undefined && r['dataAbsentReason'] === undefined) {
    issues.push({
      kind: 'profile',
      path: `${root}.value[x]`,
      message: PROFILE.valueOrAbsent.human,
      key: PROFILE.valueOrAbsent.key,
      concern: 'value-missing',
    });
  }
  if (valueKey !== undefined) {
    if (!VALUE_KEYS.has(valueKey)) {
      issues.push({
        kind: 'profile',
        path: childPath(root, valueKey),
        message: VALUE_TYPES_RULE,
        concern: 'value',
        found: `a value of type ${valueKey.slice('value'.length)}`,
      });
    }
    for (const { code } of findingCodings) {
      const rule = PROFILE.valueRules.get(code as string);
      const problem = rule && valueProblem(root, r, valueKey, rule);
      if (rule && problem) {
        issues.push({ kind: 'profile', ...problem, message: rule.human, key: rule.key });
      }
    }
  }

  const siteList = codingList(r['bodySite']);
  for (let index = 0; index < siteList.length; index++) {
    const coding = asObject(siteList[index]);
    if (!coding) continue;
    const code = coding['code'];
    if (coding['system'] === VERTEBRAL_LEVEL_SYSTEM && !PROFILE.levelCodes.has(code as string)) {
      issues.push({
        kind: 'profile',
        path: childPath(childPath(`${root}.bodySite.coding`, index), 'code'),
        message: 'is not a code of CodeSystem vertebral-level',
        concern: 'body-site',
        found: shown(code),
      });
    }
  }
  return issues;
}
