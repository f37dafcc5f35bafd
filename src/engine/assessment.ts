/**
 * What the engine says about one vertebral level (docs/clinical-logic.md sections 3 and 4): a category, a
 * probability, and everything a clinician needs to check it line by line.
 */
import type { Finding, Sign } from './finding.js';
import type { AdcBand, EvidenceSource } from './likelihood.js';

/** The three categories of docs/clinical-logic.md section 3; public contract names. */
export type Category = 'malignant-favoured' | 'benign-favoured' | 'indeterminate';

/** The four key discriminators of the constellation rule (docs/clinical-logic.md section 3). */
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
  /** A finding for a sign also reported with conflicting values at the same time. */
  | 'conflicting-sign'
  /** Not a sign or value of the input contract. */
  | 'invalid-finding';

/** A finding that was looked at but not multiplied in, and why. */
export interface SetAsideItem {
  readonly finding: unknown;
  readonly sign?: Sign;
  readonly reason: SetAsideReason;
}

export type SafeguardState = 'favours-benign' | 'favours-malignant' | 'unknown';

/**
 * The rules that can hold a category back from the one P(malignant) alone gives (docs/clinical-logic.md
 * section 3). Public names: they appear in the card extension's `heldBy`.
 */
export type HeldByRule =
  'constellation-rule' | 'g4-safeguard' | 'red-flag' | 'key-sign-agreement' | 'reader-discordance';

/** The signs a key discriminator is read from at its malignant value (diffusion: ADC only). */
export type KeySign = 'pedicle' | 'paravertebral-soft-tissue' | 'enhancement-pattern' | 'adc';

/**
 * A key discriminator at its malignant value (pedicle destroyed, paravertebral soft tissue
 * involved, nodular enhancement, ADC below the cut-off): such a level is never benign-favoured
 * (docs/clinical-logic.md section 3, red-flag rule). `conflict`: the sign was reported with different values
 * at the same time, and one of them is the malignant one.
 */
export interface RedFlag {
  readonly sign: KeySign;
  readonly kind: 'finding' | 'conflict';
  /** The value(s) reported: one for a finding, every distinct value for a conflict. */
  readonly values: readonly Finding['value'][];
}

/** A reader's impression pointing against the category the signs reach (docs/clinical-logic.md section 3). */
export interface ReaderDiscordance {
  readonly sign: 'ct-impression' | 'mri-impression';
  readonly value: 'benign' | 'malignant';
}

/**
 * Two findings of one sign at one level with the same time and different values (two readers):
 * neither is multiplied in, and the sign counts as unknown (docs/clinical-logic.md section 1).
 */
export interface SignConflict {
  readonly sign: Sign;
  /** Every distinct value reported, in the order given. */
  readonly values: readonly Finding['value'][];
}
export type SafeguardDiscriminator =
  'pedicle' | 'paravertebral-soft-tissue' | 'enhancement-pattern' | 'adc';

/**
 * The G4 safeguard's verdict (docs/clinical-logic.md section 3), for a G4 lesion:
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
  | 'adc-protocol-dependent'
  /** T1 or T2 rows are among the drivers: complements of printed rows; acute oedema is T2 bright. */
  | 't1-t2-complement-rows';

export interface Assessment {
  readonly category: Category;
  readonly probabilityMalignant: number;
  /** The category P(malignant) alone would give, before the rules of docs/clinical-logic.md section 3. */
  readonly probabilityCategory: Category;
  /**
   * Every rule that, on its own, holds the category back from `probabilityCategory` (empty when
   * none does), in the order of HELD_BY_RULES. `g4-safeguard` is set both when the safeguard
   * applied and when it is pending (see `safeguard.status` for which).
   */
  readonly limitedBy: readonly HeldByRule[];
  /** Key discriminators at their malignant value, incl. same-time conflicts with one (red flags). */
  readonly redFlags: readonly RedFlag[];
  /** Reader impressions pointing against the category the signs reach; set when they held it. */
  readonly readerDiscordance: readonly ReaderDiscordance[];
  /** Signs reported with different values at the same time: not weighed, unknown. */
  readonly conflicts: readonly SignConflict[];
  /**
   * The two or three evidence items that move the odds most (largest |ln LR|, LR 1 left out), in
   * that order: the card's "Driven by" line.
   */
  readonly drivers: readonly EvidenceItem[];
  /**
   * DWI and ADC weighed in opposite directions: high DWI with ADC below the cut-off (restricted
   * diffusion, which the wider literature ties to malignancy) or low DWI with ADC at or above it.
   */
  readonly diffusionDisagreement?: 'high-dwi-low-adc' | 'low-dwi-high-adc';
  readonly pretest: { readonly probability: number; readonly basis: PretestBasis };
  /** The category thresholds in force (settings), so no display rounds a probability across one. */
  readonly thresholds: { readonly malignant: number; readonly benign: number };
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
    /** Below the plausibility floor (ADC_IMPLAUSIBLY_LOW): a likely unit slip; used as received. */
    readonly implausiblyLow: boolean;
    readonly cutoff: number;
    readonly sourceId: string;
    /** ADC of the fracture / ADC of an adjacent normal vertebra: information only. */
    readonly referenceRatio?: number;
  };
  /** The ADC rule in force, shown on every card (docs/clinical-logic.md section 5), ADC present or not. */
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
  /** Same-time conflicts (docs/clinical-logic.md section 1): a conflicted sign's findings are not weighed. */
  readonly conflicts?: readonly SignConflict[];
}
