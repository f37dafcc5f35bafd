/** What the card tests share: a level report straight from the engine, an empty patient context. */
import { assessLevel, DEFAULT_ENGINE_SETTINGS, type Finding } from '../../src/engine/index.js';
import { thresholdsOf } from '../../src/cds/format.js';
import type { LevelReport, PatientContext } from '../../src/cds/level-report.js';

let n = 0;
/** Card and suggestion uuids, in order. */
export const newId = () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;
export const thresholds = thresholdsOf(DEFAULT_ENGINE_SETTINGS);
export const patient: PatientContext = {
  cancerHistory: [],
  ignored: [],
  notes: [],
  assessedLevels: 1,
};
export const noQuality = { preliminary: [], conflicts: [], other: [] };

/** One level's report, with no data-quality facts. */
export function report(findings: readonly Finding[], level = 'L1', history = false): LevelReport {
  return {
    level,
    assessment: assessLevel({ findings, knownCancerHistory: history }),
    quality: noQuality,
    basis: [],
  };
}
