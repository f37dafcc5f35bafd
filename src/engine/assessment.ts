/**
 * What the engine says about one vertebral level (CLINICAL-SPEC sections 3 and 4): a category, a
 * probability, and everything a clinician needs to check it line by line.
 */
import type { Finding, Sign } from './finding.js';
import type { AdcBand, EvidenceSource } from './likelihood.js';

/** The three categories of CLINICAL-SPEC section 3; public contract names. */
export type Category = 'malignant-favoured' | 'benign-favoured' | 'indeterminate';

/** The four key discriminators of the constellation rule (CLINICAL-SPEC section 3). */
export type KeyDiscriminator =
  'pedicle' | 'paravertebral-soft-tissue' | 'enhancement-pattern' | 'diffusion';

export type Direction = 'malignant' | 'benign' | 'neutral';

/** A piece of evidence multiplied into the odds. */
export interface EvidenceItem {
  readonly sign: Sign;
  readonly finding: Finding;
  readonly lr: number;
  readonly direction: Direction;
  readonly source: EvidenceSource;
  /** Set when the G4 safeguard set this LR to 1; holds the LR the paper's counts give. */
  readonly neutralisedBySafeguard?: { readonly tableLr: number };
}

export type SetAsideReason =
  /** DWI dropped by the site's setting (the DWI direction tension). */
  | 'dwi-disabled'
  /**
   * The reader's MRI impression when an MRI sign or ADC carries weight (they carry that
   * information); a DWI signal dropped by the setting does not count.
   */
  | 'mri-impression-superseded'
  /** The ADC of a normal vertebra: shown as a ratio, no weight (no published cut-off). */
  | 'no-published-weight'
  /** A second finding for a sign already given: the caller must resolve duplicates. */
  | 'duplicate-sign'
  /** Not a sign or value of the input contract. */
  | 'invalid-finding';

/** A finding that was looked at but not multiplied in, and why. */
export interface SetAsideItem {
  readonly finding: unknown;
  readonly sign?: Sign;
  readonly reason: SetAsideReason;
}

export type SafeguardState = 'favours-benign' | 'favours-malignant' | 'unknown';
export type SafeguardDiscriminator =
  'pedicle' | 'paravertebral-soft-tissue' | 'enhancement-pattern' | 'adc';

/**
 * The G4 safeguard's verdict (CLINICAL-SPEC section 3), for a G4 lesion:
 * - `applied`: at least 3 of the 4 benign discriminators favour benign and none favours malignancy;
 *   the G4 finding's LR is set to 1 and the level may not be called malignant-favoured.
 * - `pending`: none favours malignancy and fewer than 3 favour benign, but the unknown ones could
 *   still make it apply. The G4 finding keeps its LR (the safeguard has not applied), yet the level
 *   may not be called malignant-favoured until `toObtain` is known: the spec says which to obtain
 *   "before a G4 lesion is called malignant".
 * - `not-applied`: a discriminator favours malignancy, or too few could favour benign.
 */
export type SafeguardVerdict =
  | { readonly status: 'not-applicable' }
  | {
      readonly status: 'applied' | 'pending' | 'not-applied';
      readonly discriminators: readonly {
        readonly discriminator: SafeguardDiscriminator;
        readonly state: SafeguardState;
      }[];
      readonly favoursBenign: number;
      readonly favoursMalignant: number;
      /** Discriminators to obtain before a G4 lesion is called malignant. */
      readonly toObtain: readonly SafeguardDiscriminator[];
    };

export interface Outcome {
  readonly category: Category;
  readonly probabilityMalignant: number;
}

/** What one missing key discriminator would change, alone, if it came back either way. */
export interface WhatIf {
  readonly discriminator: KeyDiscriminator;
  /** The value assumed for each side, e.g. "pedicle preserved" / "ADC >= 0.89". */
  readonly ifBenignFinding: string;
  readonly ifBenign: Outcome;
  readonly ifMalignantFinding: string;
  readonly ifMalignant: Outcome;
}

export type PretestBasis = 'study-cohort' | 'site-setting' | 'cancer-history';

export type Caveat =
  | 'biopsy-reference-standard'
  | 'single-centre-study'
  | 'independence-assumption'
  | 'dwi-direction-tension'
  | 'adc-protocol-dependent';

export interface Assessment {
  readonly category: Category;
  readonly probabilityMalignant: number;
  /** The category P(malignant) alone would give, before the constellation rule and safeguard. */
  readonly probabilityCategory: Category;
  /**
   * Which rules held the category back from `probabilityCategory`. `g4-safeguard` is set both when
   * the safeguard applied and when it is pending (see `safeguard.status` for which).
   */
  readonly limitedBy: readonly ('constellation-rule' | 'g4-safeguard')[];
  readonly pretest: { readonly probability: number; readonly basis: PretestBasis };
  readonly evidence: readonly EvidenceItem[];
  readonly setAside: readonly SetAsideItem[];
  readonly safeguard: SafeguardVerdict;
  readonly constellation: {
    readonly known: readonly KeyDiscriminator[];
    readonly missing: readonly KeyDiscriminator[];
    readonly required: number;
    readonly met: boolean;
  };
  /** Same list as `constellation.missing`; the public contract's name. */
  readonly missingKeyDiscriminators: readonly KeyDiscriminator[];
  readonly whatIf: readonly WhatIf[];
  readonly adc?: {
    readonly value: number;
    readonly band: AdcBand;
    readonly cutoff: number;
    readonly sourceId: string;
    /** ADC of the fracture / ADC of an adjacent normal vertebra: information only. */
    readonly referenceRatio?: number;
  };
  /** The ADC rule in force, shown on every card (CLINICAL-SPEC section 5), ADC present or not. */
  readonly adcRule: {
    readonly cutoff: number;
    readonly sensitivity: number;
    readonly specificity: number;
    readonly sourceId: string;
    readonly protocol: string;
  };
  readonly caveats: readonly Caveat[];
  readonly knowledgeBaseVersion: string;
  readonly engineVersion: string;
}

/** Input for one level. */
export interface LevelInput {
  readonly findings: readonly Finding[];
  readonly knownCancerHistory?: boolean;
}
