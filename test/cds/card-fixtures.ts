/** What the card tests share: a level report straight from the engine, an empty patient context. */
import {
  assessLevel,
  DEFAULT_ENGINE_SETTINGS,
  type Finding,
  type SignConflict,
} from '../../src/engine/index.js';
import { thresholdsOf } from '../../src/present/format.js';
import type { DataQuality, LevelReport, PatientContext } from '../../src/present/level-report.js';

let n = 0;
/** Card and suggestion uuids, in order. */
export const newId = () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;
export const thresholds = thresholdsOf(DEFAULT_ENGINE_SETTINGS);
/** The service's public base URL, with a path prefix (a reverse proxy): links must keep it. */
export const baseUrl = 'https://cds.example.org/vcf';
/** A card context for patient-view (no order). */
export const ctx = { patientId: 'p1', newId, thresholds, baseUrl };
export const patient: PatientContext = {
  cancerHistory: [],
  ignored: [],
  notes: [],
  assessedLevels: 1,
};
export const noQuality: DataQuality = { preliminary: [], conflicts: [], sameTime: [], other: [] };

/** One level's report, with no data-quality facts (same-time conflicts as the FHIR layer passes them). */
export function report(
  findings: readonly Finding[],
  level = 'L1',
  history = false,
  conflicts: readonly SignConflict[] = [],
): LevelReport {
  return {
    level,
    assessment: assessLevel({ findings, knownCancerHistory: history, conflicts }),
    quality: noQuality,
    basis: [],
  };
}
