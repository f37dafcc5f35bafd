/**
 * The rules of the vcf-finding-observation profile, read from the published StructureDefinition
 * (profiles/StructureDefinition-vcf-finding-observation.json) so that the profile stays their
 * single source: invariant keys and human text, the value rule of each finding code (vcf-4 ..
 * vcf-18), the required elements and the allowed value[x] types. The FHIRPath expressions are
 * read by pattern (they have a fixed shape, checked in test/profiles); a shape not recognised
 * stops the import, as a bad knowledge base stops the service.
 * @see docs/clinical-logic.md section 1 (input contract)
 */
import structureDefinition from '../../profiles/StructureDefinition-vcf-finding-observation.json' with { type: 'json' };
import findingCodeSystem from '../../profiles/CodeSystem-vcf-finding.json' with { type: 'json' };
import levelCodeSystem from '../../profiles/CodeSystem-vertebral-level.json' with { type: 'json' };
import {
  VCF_FINDING_SYSTEM,
  VCF_FINDING_VALUE_SYSTEM,
  VERTEBRAL_LEVEL_SYSTEM,
} from '../terminology/index.js';

export const UCUM = 'http://unitsofmeasure.org';
export const OBSERVATION_CATEGORY_SYSTEM =
  'http://terminology.hl7.org/CodeSystem/observation-category';

/** One invariant of the profile: its key and the words it is published with. */
export interface Invariant {
  readonly key: string;
  readonly human: string;
}

/** What value[x] one finding code takes (one of vcf-4 .. vcf-18). */
export interface ValueRule extends Invariant {
  /** valueCodeableConcept with a coding of this system and one of these codes. */
  readonly coded?: { readonly system: string; readonly codes: readonly string[] };
  /** valueQuantity with a value, this system and one of these unit codes. */
  readonly quantity?: { readonly system: string; readonly units: readonly string[] };
  /** valueBoolean. */
  readonly boolean: boolean;
}

export interface ProfileContract {
  readonly url: string;
  /** vcf-1: category includes this coding. */
  readonly category: Invariant & { readonly system: string; readonly code: string };
  /** vcf-2: code carries a coding of this system. */
  readonly findingCode: Invariant & { readonly system: string };
  /** vcf-3: a value or a dataAbsentReason. */
  readonly valueOrAbsent: Invariant;
  /** vcf-4 .. vcf-18, by finding code. */
  readonly valueRules: ReadonlyMap<string, ValueRule>;
  /** The codes of CodeSystem vcf-finding (the required binding of Observation.code). */
  readonly findingCodes: ReadonlySet<string>;
  /** The codes of CodeSystem vertebral-level. */
  readonly levelCodes: ReadonlySet<string>;
  /** Elements with min 1 in the differential, e.g. `Observation.subject`. */
  readonly requiredElements: readonly string[];
  /** value[x] types allowed, as JSON property suffixes: `Quantity`, `CodeableConcept`, `Boolean`. */
  readonly valueTypes: readonly string[];
}

interface RawElement {
  readonly id: string;
  readonly min?: number;
  readonly type?: readonly { readonly code: string }[];
  readonly constraint?: readonly {
    readonly key: string;
    readonly human: string;
    readonly expression: string;
  }[];
}

/**
 * Group `i` of a match, as a string of its own. A regex group is a slice of the whole expression,
 * and V8 compares such a slice with another string several times slower than a plain string:
 * these systems and codes are compared with the codings of every resource read.
 */
const captured = (m: RegExpExecArray | RegExpMatchArray, i: number): string =>
  JSON.parse(JSON.stringify(m[i] ?? '')) as string;

const quoted = (list: string): string[] =>
  [...list.matchAll(/'([^']+)'/g)].map((m) => captured(m, 1));

function parseValueRule(key: string, human: string, body: string): ValueRule | string {
  const coded =
    /value\.ofType\(CodeableConcept\)\.coding\.where\(system = '([^']+)' and \(code in \(([^)]*)\)\)\)\.exists\(\)/.exec(
      body,
    );
  const quantityIn =
    /value\.ofType\(Quantity\)\.where\(system = '([^']+)' and \(code in \(([^)]*)\)\) and value\.exists\(\)\)\.exists\(\)/.exec(
      body,
    );
  const quantityOne =
    /value\.ofType\(Quantity\)\.where\(system = '([^']+)' and code = '([^']+)' and value\.exists\(\)\)\.exists\(\)/.exec(
      body,
    );
  const boolean = body.includes('value.ofType(boolean).exists()');
  const quantity = quantityIn
    ? { system: captured(quantityIn, 1), units: quoted(quantityIn[2] ?? '') }
    : quantityOne
      ? { system: captured(quantityOne, 1), units: [captured(quantityOne, 2)] }
      : undefined;
  if (!coded && !quantity && !boolean) return `${key}: value rule not recognised`;
  return {
    key,
    human,
    boolean,
    ...(coded ? { coded: { system: captured(coded, 1), codes: quoted(coded[2] ?? '') } } : {}),
    ...(quantity ? { quantity } : {}),
  };
}

/** Reads the contract from the StructureDefinition JSON; a string says what could not be read. */
export function readProfileContract(sd: unknown): ProfileContract | string {
  const s = sd as { url?: unknown; differential?: { element?: unknown } };
  const elements = (
    Array.isArray(s?.differential?.element) ? s.differential.element : []
  ) as RawElement[];
  const root = elements.find((e) => e.id === 'Observation');
  const constraints = root?.constraint ?? [];
  let category: ProfileContract['category'] | undefined;
  let findingCode: ProfileContract['findingCode'] | undefined;
  let valueOrAbsent: Invariant | undefined;
  const valueRules = new Map<string, ValueRule>();
  for (const { key, human, expression } of constraints) {
    const implies =
      /^code\.coding\.where\(system = '([^']+)' and code = '([^']+)'\)\.exists\(\) implies \((.*)\)$/.exec(
        expression,
      );
    const cat =
      /^category\.coding\.where\(system = '([^']+)' and code = '([^']+)'\)\.exists\(\)$/.exec(
        expression,
      );
    const code = /^code\.coding\.where\(system = '([^']+)'\)\.exists\(\)$/.exec(expression);
    if (implies) {
      const rule = parseValueRule(key, human, implies[3] ?? '');
      if (typeof rule === 'string') return rule;
      valueRules.set(captured(implies, 2), rule);
    } else if (cat) {
      category = { key, human, system: captured(cat, 1), code: captured(cat, 2) };
    } else if (code) {
      findingCode = { key, human, system: captured(code, 1) };
    } else if (expression === 'value.exists() or dataAbsentReason.exists()') {
      valueOrAbsent = { key, human };
    } else {
      return `${key}: invariant not recognised`;
    }
  }
  if (!category || !findingCode || !valueOrAbsent) return 'vcf-1, vcf-2 or vcf-3 not found';
  const valueElement = elements.find((e) => e.id === 'Observation.value[x]');
  const valueTypes = (valueElement?.type ?? []).map((t) =>
    t.code === 'boolean' ? 'Boolean' : t.code,
  );
  return {
    url: typeof s.url === 'string' ? s.url : '',
    category,
    findingCode,
    valueOrAbsent,
    valueRules,
    findingCodes: new Set(findingCodeSystem.concept.map((c) => c.code)),
    levelCodes: new Set(levelCodeSystem.concept.map((c) => c.code)),
    requiredElements: elements.filter((e) => (e.min ?? 0) >= 1).map((e) => e.id),
    valueTypes,
  };
}

function loadContract(): ProfileContract {
  const contract = readProfileContract(structureDefinition);
  if (typeof contract === 'string') {
    throw new Error(`StructureDefinition vcf-finding-observation could not be read: ${contract}`);
  }
  // The profile and the code of the other layers must name the same systems.
  const systems = [
    [contract.findingCode.system, VCF_FINDING_SYSTEM],
    [findingCodeSystem.url, VCF_FINDING_SYSTEM],
    [levelCodeSystem.url, VERTEBRAL_LEVEL_SYSTEM],
    ...[...contract.valueRules.values()].flatMap((r) => [
      ...(r.coded ? [[r.coded.system, VCF_FINDING_VALUE_SYSTEM]] : []),
      ...(r.quantity ? [[r.quantity.system, UCUM]] : []),
    ]),
  ];
  for (const [found, expected] of systems) {
    if (found !== expected) throw new Error(`profile names system ${found}, expected ${expected}`);
  }
  return contract;
}

/** The profile's rules, read once at import. */
export const PROFILE: ProfileContract = loadContract();
