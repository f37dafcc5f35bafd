/**
 * The CDS Services this server offers. Discovery (GET /cds-services) is built from these same
 * definitions, so what is advertised is what runs (CDS Hooks 2.0, "Discovery").
 */

/** Observation search for every finding of the input contract: any code of the vcf-finding system. */
const FINDINGS_QUERY =
  'Observation?patient={{context.patientId}}&code=https://w3id.org/vcf-cds/fhir/CodeSystem/vcf-finding|&_count=200';

/**
 * Prefetch shared by every service: they all assess the same findings (issue 4).
 * Keys are public: an EHR may send any of them, or null for "no data".
 */
export const PREFETCH = {
  patient: 'Patient/{{context.patientId}}',
  findings: FINDINGS_QUERY,
  conditions: 'Condition?patient={{context.patientId}}&_count=200',
} as const;

export type PrefetchKey = keyof typeof PREFETCH;

export type HookName = 'patient-view' | 'order-select' | 'order-sign';

export interface ServiceDefinition {
  readonly id: string;
  readonly hook: HookName;
  readonly title: string;
  readonly description: string;
  readonly prefetch: typeof PREFETCH;
  readonly usageRequirements: string;
}

const USAGE =
  'Needs MRI/CT findings of the vertebral compression fracture as FHIR R4 Observations coded with https://w3id.org/vcf-cds/fhir/CodeSystem/vcf-finding (profile and examples: https://w3id.org/vcf-cds/fhir). Decision support only: biopsy is the reference standard.';

const PROCEDURE_CHECK_DESCRIPTION =
  'checks the level a vertebroplasty or kyphoplasty targets: a fracture that is not benign-favoured should be biopsied before or with the procedure (critical card when no biopsy is ordered with it).';

/**
 * One id per hook: the CDS Hooks sandbox (and other clients) store services by id, so two
 * entries sharing an id would leave one hook unserved. `vcf-procedure-check` keeps order-sign (its
 * first hook); order-select has its own id.
 */
export const SERVICES: readonly ServiceDefinition[] = [
  {
    id: 'vcf-assessment',
    hook: 'patient-view',
    title: 'Vertebral compression fracture: benign or malignant?',
    description:
      'Assesses each vertebral level with recorded CT/MRI findings: likelihood of malignancy, the evidence behind it, the G4 safeguard, what is missing and what to do next (Zhao et al., Front. Med. 2026).',
    prefetch: PREFETCH,
    usageRequirements: USAGE,
  },
  {
    id: 'vcf-procedure-select',
    hook: 'order-select',
    title: 'Vertebral augmentation check (order select)',
    description: `When a vertebroplasty or kyphoplasty is selected, ${PROCEDURE_CHECK_DESCRIPTION}`,
    prefetch: PREFETCH,
    usageRequirements: USAGE,
  },
  {
    id: 'vcf-procedure-check',
    hook: 'order-sign',
    title: 'Vertebral augmentation check (order sign)',
    description: `When a vertebroplasty or kyphoplasty is about to be signed, ${PROCEDURE_CHECK_DESCRIPTION}`,
    prefetch: PREFETCH,
    usageRequirements: USAGE,
  },
];

/** The definition with this id. */
export function findService(id: string): ServiceDefinition | undefined {
  return SERVICES.find((s) => s.id === id);
}

/** The hooks a service id answers, in discovery order; empty for an unknown id. */
export function hooksOf(id: string): HookName[] {
  return SERVICES.filter((s) => s.id === id).map((s) => s.hook);
}

/** The definition of service `id` for `hook`, if the service answers that hook. */
export function serviceForHook(id: string, hook: unknown): ServiceDefinition | undefined {
  return SERVICES.find((s) => s.id === id && s.hook === hook);
}

/** The discovery response body. */
export function discoveryDocument(): { services: ServiceDefinition[] } {
  return { services: SERVICES.map((s) => ({ ...s, prefetch: { ...s.prefetch } })) };
}

/** The service that answers `hook` (one per hook). */
export function serviceOfHook(hook: HookName): ServiceDefinition {
  return SERVICES.find((s) => s.hook === hook) as ServiceDefinition;
}
