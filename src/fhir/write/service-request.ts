/**
 * The one writer of a ServiceRequest for a vertebra: the cards' proposals (a biopsy, an MRI, a CT:
 * intent `proposal`) and the playground's draft orders (a vertebroplasty, a biopsy: intent
 * `order`). Pure data, no Node built-in (the playground's browser bundle uses it).
 */
import { VERTEBRAL_LEVEL_SYSTEM } from '../../terminology/systems.js';

export interface ServiceRequestSpec {
  readonly id?: string;
  readonly intent: 'proposal' | 'order';
  readonly patientId: string;
  /** C1..S1, or `unspecified` (no bodySite). */
  readonly level: string;
  readonly codings: readonly {
    readonly system: string;
    readonly code: string;
    readonly display: string;
  }[];
  readonly text: string;
  readonly reason?: string;
}

export function serviceRequest(spec: ServiceRequestSpec): Record<string, unknown> {
  return {
    resourceType: 'ServiceRequest',
    ...(spec.id !== undefined ? { id: spec.id } : {}),
    status: 'draft',
    intent: spec.intent,
    code: spec.codings.length > 0 ? { coding: spec.codings, text: spec.text } : { text: spec.text },
    subject: { reference: `Patient/${spec.patientId}` },
    ...(spec.level === 'unspecified'
      ? {}
      : {
          bodySite: [
            {
              coding: [
                {
                  system: VERTEBRAL_LEVEL_SYSTEM,
                  code: spec.level,
                  display: `${spec.level} vertebra`,
                },
              ],
            },
          ],
        }),
    ...(spec.reason !== undefined ? { reasonCode: [{ text: spec.reason }] } : {}),
  };
}
