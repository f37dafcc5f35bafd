/**
 * The shape of `/playground/contract.json`: the input contract as the page needs it, built by the
 * server from the engine's vocabulary (src/http/playground.ts), so the page never repeats it.
 * Types only: shared by the server (Node) and the page (browser).
 */

export interface Coding {
  readonly system: string;
  readonly code: string;
  readonly display: string;
}

interface SignBase {
  readonly sign: string;
  readonly label: string;
  readonly display: string;
}

export interface QuantitySign extends SignBase {
  readonly kind: 'quantity';
  readonly unit: { readonly code: string; readonly display: string };
}
export interface BooleanSign extends SignBase {
  readonly kind: 'boolean';
}
export interface CodedSign extends SignBase {
  readonly kind: 'coded';
  readonly values: readonly { readonly code: string; readonly display: string }[];
}
export type ContractSign = QuantitySign | BooleanSign | CodedSign;

export interface PlaygroundContract {
  /** The patient-view service the sign form calls. */
  readonly service: { readonly id: string; readonly hook: string };
  readonly profile: string;
  readonly systems: {
    readonly finding: string;
    readonly value: string;
    readonly level: string;
    readonly observationCategory: string;
    readonly ucum: string;
  };
  readonly levels: readonly string[];
  readonly signs: readonly ContractSign[];
  /** Codes the EHR mode's draft orders use (order-select / order-sign). */
  readonly orders: {
    /** CPT 22510 (C/T levels) and 22511 (L/S levels). */
    readonly vertebroplastyCervicothoracic: Coding;
    readonly vertebroplastyLumbosacral: Coding;
    readonly biopsy: Coding;
  };
  /** Defaults of the EHR (no-prefetch) mode: the local sandbox of `npm run sandbox`. */
  readonly ehr: { readonly fhirServer: string; readonly patientId: string };
}
