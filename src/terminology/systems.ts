/** Code system URLs used across the layers. */
export const CANONICAL_BASE = 'https://w3id.org/vcf-cds/fhir';
export const VCF_FINDING_SYSTEM = `${CANONICAL_BASE}/CodeSystem/vcf-finding`;
export const VCF_FINDING_VALUE_SYSTEM = `${CANONICAL_BASE}/CodeSystem/vcf-finding-value`;
export const VERTEBRAL_LEVEL_SYSTEM = `${CANONICAL_BASE}/CodeSystem/vertebral-level`;
export const OVERRIDE_REASON_SYSTEM = `${CANONICAL_BASE}/CodeSystem/override-reason`;
export const SNOMED = 'http://snomed.info/sct';
export const CPT = 'http://www.ama-assn.org/go/cpt';
/** CPT's OID as a URI (HL7 OID registry 2.16.840.1.113883.6.12): some EHRs send CPT under it. */
export const CPT_OID = 'urn:oid:2.16.840.1.113883.6.12';
export const LOINC = 'http://loinc.org';
