/**
 * Settings that are valid but that an operator should hear about at start: logged as warnings,
 * the service starts all the same.
 */
import { CANCER_SNOMED_CODES_DEFAULT } from '../terminology/index.js';
import type { Config } from './service-config.js';

export function startupWarnings(
  config: Pick<
    Config,
    'cancerSnomedCodes' | 'augmentationSnomedCodes' | 'biopsySnomedCodes' | 'http'
  >,
): string[] {
  const warnings: string[] = [];
  if (config.http.rateLimit.legacySetting) {
    warnings.push(
      `RATE_LIMIT_PER_MINUTE is set: it now sets both RATE_LIMIT_CLIENT_PER_MINUTE (${config.http.rateLimit.clientPerMinute}) and RATE_LIMIT_ADDRESS_PER_MINUTE (${config.http.rateLimit.addressPerMinute}); set those instead (README "Rate limits": one EHR is one client, and its every chart opening a call)`,
    );
  }
  const codes = config.cancerSnomedCodes;
  if (
    codes.length === CANCER_SNOMED_CODES_DEFAULT.length &&
    codes.every((c, i) => c === CANCER_SNOMED_CODES_DEFAULT[i])
  ) {
    // No terminology server: SNOMED CT descendants cannot be tested (src/terminology/cancer-codes.ts).
    warnings.push(
      `VCF_CANCER_SNOMED_CODES is the default (${CANCER_SNOMED_CODES_DEFAULT.join(', ')} only): cancer history coded only in SNOMED CT is recognised only for the configured concepts, not their descendants; list the concepts your EHR records (ICD-10 C00-C97 always count)`,
    );
  }
  // No SNOMED CT concept has a verified default (src/terminology/procedures.ts): until a site lists
  // its own, an order coded only in SNOMED CT passes the order hooks unchecked.
  if (config.augmentationSnomedCodes.length === 0) {
    warnings.push(
      'VCF_AUGMENTATION_SNOMED_CODES is empty: a vertebroplasty or kyphoplasty ordered with a SNOMED CT code only (no CPT) is not checked by the order hooks; list the concepts your EHR uses',
    );
  }
  if (config.biopsySnomedCodes.length === 0) {
    warnings.push(
      'VCF_BIOPSY_SNOMED_CODES is empty: a vertebral biopsy ordered with a SNOMED CT code only (no CPT) is not seen by the order hooks, which then ask for a biopsy already ordered; list the concepts your EHR uses',
    );
  }
  return warnings;
}
