/**
 * The vcf-finding-observation profile checked on one Observation: required elements, the
 * invariants vcf-1 .. vcf-18, the required binding of `code` and the allowed value[x] types. Reads
 * `unknown` defensively, so it can run on a resource that failed the FHIR schema too.
 * @see CLINICAL-SPEC section 1; profiles/StructureDefinition-vcf-finding-observation.json
 */
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

/** The codings of a CodeableConcept, with their index (for paths). A plain loop: it runs often. */
function codings(concept: unknown): { readonly coding: Json; readonly index: number }[] {
  const list = asObject(concept)?.['coding'];
  const out: { coding: Json; index: number }[] = [];
  if (!Array.isArray(list)) return out;
  for (let index = 0; index < list.length; index++) {
    const coding = asObject(list[index]);
    if (coding) out.push({ coding, index });
  }
  return out;
}

/** The distinct codes of CodeSystem vcf-finding that Observation.code carries, in order. */
export function findingCodesOf(resource: unknown): string[] {
  const codes = codings(asObject(resource)?.['code'])
    .filter(({ coding }) => coding['system'] === PROFILE.findingCode.system)
    .map(({ coding }) => coding['code'])
    .filter((c): c is string => typeof c === 'string');
  return [...new Set(codes)];
}

/** The profile applies to an Observation that carries a vcf-finding code or claims the profile. */
export function profileApplies(resource: unknown): boolean {
  const r = asObject(resource);
  if (r?.['resourceType'] !== 'Observation') return false;
  const claimed = asArray(asObject(r['meta'])?.['profile']).some(
    (p) => typeof p === 'string' && p.split('|')[0] === PROFILE.url,
  );
  return (
    claimed ||
    codings(r['code']).some(({ coding }) => coding['system'] === PROFILE.findingCode.system)
  );
}

/** The value[x] property present (e.g. `valueQuantity`), if any. */
export function valueKeyOf(resource: Json): string | undefined {
  return Object.keys(resource)
    .filter((k) => /^value[A-Z]/.test(k) && resource[k] !== undefined)
    .sort()[0];
}

function hasElement(resource: Json, elementId: string): boolean {
  const name = elementId.slice(elementId.indexOf('.') + 1);
  if (name.endsWith('[x]')) {
    const stem = name.slice(0, -3);
    return Object.keys(resource).some(
      (k) => k.startsWith(stem) && /^[A-Z]/.test(k.slice(stem.length)) && resource[k] !== undefined,
    );
  }
  const value = resource[name];
  return value !== undefined && value !== null && !(Array.isArray(value) && value.length === 0);
}

const CONCERN_OF_ELEMENT: Readonly<Record<string, ProfileConcern>> = {
  'Observation.subject': 'subject',
  'Observation.effective[x]': 'effective',
  'Observation.category': 'category',
  'Observation.code': 'code',
};

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
  const at = childPath(root, valueKey);
  const value = resource[valueKey];
  if (valueKey === 'valueCodeableConcept' && rule.coded) {
    const { system, codes } = rule.coded;
    const ofSystem = codings(value).filter(({ coding }) => coding['system'] === system);
    if (ofSystem.some(({ coding }) => codes.includes(coding['code'] as string))) return undefined;
    const first = ofSystem[0];
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
    if (typeof q['value'] !== 'number') {
      return { path: childPath(at, 'value'), concern: 'value', found: shown(q['value']) };
    }
    const display = typeof q['unit'] === 'string' ? ` (unit display ${shown(q['unit'])})` : '';
    if (q['system'] !== rule.quantity.system) {
      return {
        path: childPath(at, 'system'),
        concern: 'unit',
        found: shown(q['system']) + display,
      };
    }
    if (!rule.quantity.units.includes(q['code'] as string)) {
      return { path: childPath(at, 'code'), concern: 'unit', found: shown(q['code']) + display };
    }
    return undefined;
  }
  if (valueKey === 'valueBoolean' && rule.boolean && typeof value === 'boolean') return undefined;
  return { path: at, concern: 'value', found: `a value of type ${valueKey.slice('value'.length)}` };
}

/**
 * Every rule of the profile the Observation breaks (empty: it conforms). `root` names the
 * resource in paths: `Observation`, or `Bundle.entry[2].resource` for a resource in a Bundle.
 */
export function profileIssues(resource: unknown, root = 'Observation'): ProfileIssue[] {
  const r = asObject(resource);
  if (!r) return [];
  const issues: ProfileIssue[] = [];
  const at = (elementId: string) => root + elementId.slice('Observation'.length);

  for (const element of PROFILE.requiredElements) {
    if (!hasElement(r, element)) {
      issues.push({
        kind: 'profile',
        path: at(element),
        message: 'is required by the vcf-finding profile (min 1)',
        concern: CONCERN_OF_ELEMENT[element] ?? 'value',
      });
    }
  }

  const hasImaging = asArray(r['category']).some((c) =>
    codings(c).some(
      ({ coding }) =>
        coding['system'] === PROFILE.category.system && coding['code'] === PROFILE.category.code,
    ),
  );
  if (!hasImaging) {
    issues.push({
      kind: 'profile',
      path: at('Observation.category'),
      message: PROFILE.category.human,
      key: PROFILE.category.key,
      concern: 'category',
    });
  }

  const codeCodings = codings(r['code']);
  const findingCodings = codeCodings.filter(
    ({ coding }) => coding['system'] === PROFILE.findingCode.system,
  );
  if (findingCodings.length === 0) {
    issues.push({
      kind: 'profile',
      path: at('Observation.code'),
      message: PROFILE.findingCode.human,
      key: PROFILE.findingCode.key,
      concern: 'code',
    });
  }
  for (const { coding, index } of findingCodings) {
    const code = coding['code'];
    if (typeof code !== 'string' || !PROFILE.findingCodes.has(code)) {
      issues.push({
        kind: 'profile',
        path: childPath(childPath(at('Observation.code.coding'), index), 'code'),
        message: 'is not a code of CodeSystem vcf-finding (required binding)',
        concern: 'code',
        found: shown(code),
      });
    }
  }

  const subject = asObject(r['subject']);
  const subjectType = referenceTarget(subject?.['reference'])?.resourceType;
  if (subjectType !== undefined && subjectType !== 'Patient') {
    issues.push({
      kind: 'profile',
      path: at('Observation.subject.reference'),
      message: `must reference a Patient, not a ${subjectType}`,
      concern: 'subject',
    });
  }

  const valueKey = valueKeyOf(r);
  if (valueKey === undefined && r['dataAbsentReason'] === undefined) {
    issues.push({
      kind: 'profile',
      path: at('Observation.value[x]'),
      message: PROFILE.valueOrAbsent.human,
      key: PROFILE.valueOrAbsent.key,
      concern: 'value-missing',
    });
  }
  if (valueKey !== undefined) {
    if (!PROFILE.valueTypes.some((t) => valueKey === `value${t}`)) {
      issues.push({
        kind: 'profile',
        path: childPath(root, valueKey),
        message: `must be one of ${PROFILE.valueTypes.map((t) => `value${t}`).join(', ')} in the vcf-finding profile`,
        concern: 'value',
        found: `a value of type ${valueKey.slice('value'.length)}`,
      });
    }
    for (const { coding } of findingCodings) {
      const rule = PROFILE.valueRules.get(coding['code'] as string);
      const problem = rule && valueProblem(root, r, valueKey, rule);
      if (rule && problem) {
        issues.push({ kind: 'profile', ...problem, message: rule.human, key: rule.key });
      }
    }
  }

  for (const { coding, index } of codings(r['bodySite'])) {
    const code = coding['code'];
    if (coding['system'] === VERTEBRAL_LEVEL_SYSTEM && !PROFILE.levelCodes.has(code as string)) {
      issues.push({
        kind: 'profile',
        path: childPath(childPath(at('Observation.bodySite.coding'), index), 'code'),
        message: 'is not a code of CodeSystem vertebral-level',
        concern: 'body-site',
        found: shown(code),
      });
    }
  }
  return issues;
}
