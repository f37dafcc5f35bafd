/** Configuration: the service's settings and the clinical settings the command line shares. */
export { loadConfig, type Config } from './service-config.js';
export { loadClinicalSettings, type ClinicalSettings } from './clinical-settings.js';
export type { Env } from './env-reader.js';
export { startupWarnings } from './startup-warnings.js';
