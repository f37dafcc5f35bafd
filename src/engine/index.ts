/**
 * The clinical core's public face: pure functions from findings to an assessment.
 * No I/O, no FHIR, no Node built-ins: it runs in a browser as it is.
 */
export * from './finding.js';
export * from './assessment.js';
export { assessLevel } from './assess.js';
export { compressionDegreeFromHeightLoss } from './compression-degree.js';
export { KEY_DISCRIMINATORS, KEY_DISCRIMINATOR_SIGNS } from './key-discriminators.js';
export {
  adcBand,
  adcLikelihood,
  likelihoodRatio,
  rowLikelihood,
  type AdcBand,
  type EvidenceSource,
} from './likelihood.js';
export { asValidFinding } from './normalise.js';
export { isKeySign, KEY_SIGNS } from './red-flags.js';
export {
  DEFAULT_ENGINE_SETTINGS,
  settingsErrors,
  settingsFingerprint,
  type EngineSettings,
} from './settings.js';
export { ENGINE_VERSION } from './version.js';
export { reachesBenign, reachesMalignant } from './thresholds.js';
