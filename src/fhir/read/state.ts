/**
 * The state of one extraction: what has been met, the dispositions, the candidates per level and
 * sign. One idea of extractLevels (../extract-levels.ts).
 */
import { SIGNS, type Sign } from '../../engine/index.js';
import type { Disposition, ExtractionResult } from '../extraction-result.js';
import type { Candidate } from '../latest-finding.js';
import type { ReadingOptions } from '../observation-to-finding.js';
import { referenceTarget } from '../references.js';
import type { MetResource, UnpackedData } from '../unpack.js';
import { validateJsonResource } from '../validate-resource.js';

export type Json = Readonly<Record<string, unknown>>;
export type Evidence = ExtractionResult['cancerHistoryEvidence'][number];

export const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * A sign's place in the engine's order (SIGNS), for sorting findings and notes. Built from the end
 * so that a sign listed twice keeps its first place, as indexOf would give.
 */
export const SIGN_RANK: ReadonlyMap<Sign, number> = new Map(
  SIGNS.map((sign, i) => [sign, i] as const).reverse(),
);
/** SIGNS.indexOf(sign), without the search. */
export const signRank = (sign: Sign): number => SIGN_RANK.get(sign) ?? -1;

export interface CandidateGroup {
  readonly level: string;
  readonly sign: Sign;
  readonly list: Candidate[];
}

export interface State {
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

export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * A disposition, its properties in their documented order; optional ones only when given (no
 * spreads: this runs for every resource).
 */
export function disposition(
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

export function dispose(
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
export function isHookPatient(state: State, reference: unknown): boolean {
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
export function firstSchemaProblem(met: MetResource): string | undefined {
  const v = validateJsonResource(met.resource);
  const issue = v.issues.find((i) => i.kind !== 'profile' && i.kind !== 'invariant');
  return issue ? `not valid FHIR R4: ${issue.path} ${issue.message}` : undefined;
}
