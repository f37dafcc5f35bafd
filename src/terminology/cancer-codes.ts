/**
 * SNOMED CT concepts that mark a Condition as a malignant neoplasm (besides ICD-10 C00-C97), the
 * default of VCF_CANCER_SNOMED_CODES. Without a terminology server descendants cannot be tested,
 * so a site adds the concepts its EHR records.
 */
export const CANCER_SNOMED_CODES_DEFAULT: readonly string[] = [
  '363346000', // Malignant neoplastic disease (disorder)
];
