/**
 * Observation.bodySite (or ServiceRequest.bodySite) -> vertebral level: a code of CodeSystem
 * vertebral-level, or a SNOMED CT vertebra concept mapped by the published ConceptMap
 * (profiles/ConceptMap-snomed-vertebra-to-vertebral-level.json, read as data: its single source).
 * Free text is never read: "T12" in `bodySite.text` alone is not a level.
 * @see docs/clinical-logic.md section 1 (the vertebral level is Observation.bodySite)
 */
import conceptMap from '../../profiles/ConceptMap-snomed-vertebra-to-vertebral-level.json' with { type: 'json' };
import { SNOMED, VERTEBRAL_LEVEL_SYSTEM, VERTEBRAL_LEVELS } from '../terminology/index.js';

/** The level of findings without a bodySite (docs/clinical-logic.md section 1). */
export const UNSPECIFIED_LEVEL = 'unspecified';

/**
 * ConceptMap equivalences under which the SNOMED CT concept lies within one vertebra. `wider`
 * (the level is wider than the concept: a vertebral body) still names one level; `narrower` or
 * `inexact` would not.
 */
const MAPPING_EQUIVALENCES = new Set(['equivalent', 'equal', 'wider', 'subsumes']);

const LEVELS = new Set(VERTEBRAL_LEVELS);

function readSnomedMap(): ReadonlyMap<string, string> {
  const map = new Map<string, string>();
  for (const group of conceptMap.group) {
    if (group.source !== SNOMED || group.target !== VERTEBRAL_LEVEL_SYSTEM) continue;
    for (const element of group.element) {
      const targets = element.target.filter(
        (t) => MAPPING_EQUIVALENCES.has(t.equivalence) && LEVELS.has(t.code),
      );
      const levels = new Set(targets.map((t) => t.code));
      // A concept mapped to two levels names neither.
      if (levels.size === 1) map.set(element.code, [...levels][0] ?? '');
    }
  }
  if (map.size === 0) throw new Error('ConceptMap snomed-vertebra-to-vertebral-level maps nothing');
  return map;
}

/** SNOMED CT concept id -> level code ('T12'), from the ConceptMap. */
export const SNOMED_TO_LEVEL: ReadonlyMap<string, string> = readSnomedMap();

/** The level one Coding names, or undefined when it names none (other systems included). */
function levelOfCoding(coding: unknown): string | undefined {
  if (typeof coding !== 'object' || coding === null) return undefined;
  const { system, code } = coding as { system?: unknown; code?: unknown };
  if (typeof code !== 'string') return undefined;
  if (system === VERTEBRAL_LEVEL_SYSTEM) return LEVELS.has(code) ? code : undefined;
  if (system === SNOMED) return SNOMED_TO_LEVEL.get(code);
  return undefined;
}

/**
 * The distinct vertebral levels the codings of one CodeableConcept name, in coding order (empty
 * when it names none). Codings of other systems are passed over. Never throws.
 */
export function levelsNamed(bodySite: unknown): string[] {
  const levels: string[] = [];
  if (typeof bodySite !== 'object' || bodySite === null) return levels;
  const codings = (bodySite as { coding?: unknown }).coding;
  if (!Array.isArray(codings)) return levels;
  for (const coding of codings as unknown[]) {
    const named = levelOfCoding(coding);
    if (named !== undefined && !levels.includes(named)) levels.push(named);
  }
  return levels;
}

/**
 * The vertebral level ('C1'..'S1') one CodeableConcept names, or undefined when it names none or
 * its codings name different levels (never a guess). Codings of other systems are passed over.
 * Never throws, whatever it is given.
 * @see docs/clinical-logic.md section 1
 */
export function levelFromBodySite(bodySite: unknown): string | undefined {
  const levels = levelsNamed(bodySite);
  return levels.length === 1 ? levels[0] : undefined;
}

/** Spine order (C1..S1), 'unspecified' last: for sorting levels. */
export function levelRank(level: string): number {
  const i = VERTEBRAL_LEVELS.indexOf(level);
  return i === -1 ? VERTEBRAL_LEVELS.length : i;
}
