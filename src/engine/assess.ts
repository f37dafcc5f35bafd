/**
 * One vertebral level's findings in, one Assessment out (CLINICAL-SPEC sections 2-3). Pure: no I/O,
 * no clock, no randomness; identical input gives identical output.
 */
import { KNOWLEDGE_BASE_VERSION } from '../knowledge/index.js';
import type {
  Assessment,
  Caveat,
  Category,
  Direction,
  EvidenceItem,
  KeyDiscriminator,
  LevelInput,
  Outcome,
  PretestBasis,
  SafeguardVerdict,
  SetAsideItem,
  WhatIf,
} from './assessment.js';
import { SIGNS, isMriSign, type Finding, type Sign } from './finding.js';
import { constellation, g4Safeguard } from './key-discriminators.js';
import { adcBand, adcLikelihoodOf, rowLikelihood, type AdcBand } from './likelihood.js';
import { normaliseFindings } from './normalise.js';
import { DEFAULT_ENGINE_SETTINGS, type EngineSettings } from './settings.js';
import { ENGINE_VERSION } from './version.js';

const ALWAYS: readonly Caveat[] = [
  'biopsy-reference-standard',
  'single-centre-study',
  'independence-assumption',
];

function direction(lr: number): Direction {
  return lr > 1 ? 'malignant' : lr < 1 ? 'benign' : 'neutral';
}

function pretestOf(
  settings: EngineSettings,
  knownCancerHistory: boolean,
): { probability: number; basis: PretestBasis } {
  // A known cancer history raises the pre-test probability; it never lowers a site's own figure.
  if (
    knownCancerHistory &&
    settings.cancerHistoryPretestProbability > settings.pretestProbability
  ) {
    return { probability: settings.cancerHistoryPretestProbability, basis: 'cancer-history' };
  }
  const basis =
    settings.pretestProbability === DEFAULT_ENGINE_SETTINGS.pretestProbability
      ? 'study-cohort'
      : 'site-setting';
  return { probability: settings.pretestProbability, basis };
}

const logit = (p: number): number => Math.log(p / (1 - p));

/**
 * Slack when comparing log-odds with a threshold's log-odds: a numerical tolerance, not a clinical
 * number. Exact arithmetic that lands on a threshold (e.g. a pre-test of 0.90 and no findings, or
 * LRs whose product is exactly 1) must count as reaching it, whatever the rounding of the last bit;
 * 1e-9 in log-odds is about 1e-10 in probability near 0.9, far below anything shown or meant.
 */
const THRESHOLD_TOLERANCE_LOG_ODDS = 1e-9;

/**
 * The category P(malignant) alone gives. Inclusive thresholds (>= 0.90, <= 0.10) are compared on
 * the log-odds scale the evidence is summed on, with THRESHOLD_TOLERANCE_LOG_ODDS of slack, so the
 * result does not hang on the rounding of 1 / (1 + exp(-x)).
 */
function categoryOf(logOdds: number, settings: EngineSettings): Category {
  if (logOdds >= logit(settings.malignantThreshold) - THRESHOLD_TOLERANCE_LOG_ODDS) {
    return 'malignant-favoured';
  }
  if (logOdds <= logit(settings.benignThreshold) + THRESHOLD_TOLERANCE_LOG_ODDS) {
    return 'benign-favoured';
  }
  return 'indeterminate';
}

/** What `evaluate` found; `evidence` and `setAside` are filled only when asked for. */
interface Evaluation {
  readonly category: Category;
  readonly probabilityMalignant: number;
  readonly probabilityCategory: Category;
  readonly limitedBy: ('constellation-rule' | 'g4-safeguard')[];
  readonly evidence: EvidenceItem[];
  readonly setAside: SetAsideItem[];
  readonly safeguard: SafeguardVerdict;
  readonly keys: ReturnType<typeof constellation>;
  readonly band: AdcBand | undefined;
  /** Whether DWI signal was multiplied in (the card then states the DWI direction tension). */
  readonly dwiWeighed: boolean;
}

/**
 * The probability and category of a set of findings, without what-ifs. With `detail` false (the
 * what-ifs, which need only category and probability) no evidence or set-aside item is built.
 */
function evaluate(
  bySign: ReadonlyMap<Sign, Finding>,
  settings: EngineSettings,
  pretestProbability: number,
  detail: boolean,
): Evaluation {
  const evidence: EvidenceItem[] = [];
  const setAside: SetAsideItem[] = [];
  const adcFinding = bySign.get('adc');
  const band: AdcBand | undefined =
    adcFinding && typeof adcFinding.value === 'number'
      ? adcBand(adcFinding.value, settings.adc)
      : undefined;
  const safeguard = g4Safeguard(bySign, band);
  // Section 2: the MRI impression counts only when no MRI sign and no ADC carries weight. A DWI
  // signal the site's setting drops weighs nothing, so it does not stand in for the impression.
  let mriSignsWeighed = adcFinding !== undefined;
  if (!mriSignsWeighed) {
    for (const s of bySign.keys()) {
      if (isMriSign(s) && (s !== 'dwi-signal' || settings.useDwi)) {
        mriSignsWeighed = true;
        break;
      }
    }
  }

  let logOdds = logit(pretestProbability);
  for (const sign of SIGNS) {
    const finding = bySign.get(sign);
    if (finding === undefined) continue;
    if (sign === 'dwi-signal' && !settings.useDwi) {
      if (detail) setAside.push({ finding, sign, reason: 'dwi-disabled' });
      continue;
    }
    if (sign === 'mri-impression' && mriSignsWeighed) {
      if (detail) setAside.push({ finding, sign, reason: 'mri-impression-superseded' });
      continue;
    }
    if (sign === 'adc-reference') {
      if (detail) setAside.push({ finding, sign, reason: 'no-published-weight' });
      continue;
    }
    const row =
      sign === 'adc'
        ? band === undefined
          ? undefined
          : adcLikelihoodOf(band, settings.adc)
        : rowLikelihood(sign, finding.value as string | boolean);
    if (row === undefined) continue; // unreachable: normalise admits only values with a row
    if (sign === 'lesion-extent' && finding.value === 'G4' && safeguard.status === 'applied') {
      if (detail) {
        evidence.push({
          sign,
          finding,
          lr: 1,
          direction: 'neutral',
          source: row.source,
          neutralisedBySafeguard: { tableLr: row.lr },
        });
      }
      continue;
    }
    logOdds += row.logLr;
    if (detail) {
      evidence.push({
        sign,
        finding,
        lr: row.lr,
        direction: direction(row.lr),
        source: row.source,
      });
    }
  }

  // Summing logs keeps the product of many LRs finite; clamp so P stays a number.
  const clamped = Math.max(-700, Math.min(700, logOdds));
  const probabilityMalignant = 1 / (1 + Math.exp(-clamped));
  const probabilityCategory = categoryOf(clamped, settings);
  const keys = constellation(bySign, settings.useDwi);
  const limitedBy: ('constellation-rule' | 'g4-safeguard')[] = [];
  let category = probabilityCategory;
  if (!keys.met && category !== 'indeterminate') {
    limitedBy.push('constellation-rule');
    category = 'indeterminate';
  }
  // Applied or pending, the safeguard holds a G4 lesion back from malignant-favoured; it never
  // holds back benign-favoured.
  if (
    (safeguard.status === 'applied' || safeguard.status === 'pending') &&
    probabilityCategory === 'malignant-favoured'
  ) {
    limitedBy.push('g4-safeguard');
    category = 'indeterminate';
  }
  return {
    category,
    probabilityMalignant,
    probabilityCategory,
    limitedBy,
    evidence,
    setAside,
    safeguard,
    keys,
    band,
    dwiWeighed: settings.useDwi && bySign.has('dwi-signal'),
  };
}

/**
 * The findings assumed on each side for a missing key discriminator. For diffusion, ADC (the
 * discriminator the paper and the safeguard use): the cut-off itself is in the benign range, and
 * any value below it gives the same band, so half the cut-off stands for "below"; the number is
 * never shown, only the band.
 */
function whatIfFindings(
  d: KeyDiscriminator,
  settings: EngineSettings,
): [Finding, string, Finding, string] {
  switch (d) {
    case 'pedicle':
      return [
        { sign: d, value: 'preserved' },
        'pedicle preserved',
        { sign: d, value: 'destroyed' },
        'pedicle destroyed',
      ];
    case 'paravertebral-soft-tissue':
      return [
        { sign: d, value: false },
        'no paravertebral soft tissue',
        { sign: d, value: true },
        'paravertebral soft tissue involved',
      ];
    case 'enhancement-pattern':
      return [
        { sign: d, value: 'flocculent' },
        'flocculent enhancement',
        { sign: d, value: 'nodular' },
        'nodular enhancement',
      ];
    case 'diffusion':
      return [
        { sign: 'adc', value: settings.adc.cutoff },
        `ADC >= ${settings.adc.cutoff} x10^-3 mm2/s`,
        { sign: 'adc', value: settings.adc.cutoff / 2 },
        `ADC < ${settings.adc.cutoff} x10^-3 mm2/s`,
      ];
  }
}

function outcomeWith(
  bySign: ReadonlyMap<Sign, Finding>,
  added: Finding,
  settings: EngineSettings,
  pretest: number,
): Outcome {
  const next = new Map(bySign);
  next.set(added.sign, added);
  const r = evaluate(next, settings, pretest, false);
  return { category: r.category, probabilityMalignant: r.probabilityMalignant };
}

/**
 * Assesses one vertebral level.
 * @see CLINICAL-SPEC.md sections 2 (evidence), 3 (combining and deciding), 5 (ADC, pre-test).
 */
export function assessLevel(
  input: LevelInput,
  settings: EngineSettings = DEFAULT_ENGINE_SETTINGS,
): Assessment {
  const normalised = normaliseFindings(input?.findings);
  const pretest = pretestOf(settings, input?.knownCancerHistory === true);
  const r = evaluate(normalised.bySign, settings, pretest.probability, true);

  const whatIf: WhatIf[] = r.keys.missing.map((discriminator) => {
    const [benign, benignLabel, malignant, malignantLabel] = whatIfFindings(
      discriminator,
      settings,
    );
    return {
      discriminator,
      ifBenignFinding: benignLabel,
      ifBenign: outcomeWith(normalised.bySign, benign, settings, pretest.probability),
      ifMalignantFinding: malignantLabel,
      ifMalignant: outcomeWith(normalised.bySign, malignant, settings, pretest.probability),
    };
  });

  const caveats: Caveat[] = ALWAYS.slice();
  if (r.dwiWeighed) caveats.push('dwi-direction-tension');
  if (r.band !== undefined) caveats.push('adc-protocol-dependent');

  const adcValue = normalised.bySign.get('adc')?.value;
  const reference = normalised.bySign.get('adc-reference')?.value;
  const adc =
    typeof adcValue === 'number' && r.band !== undefined
      ? {
          value: adcValue,
          band: r.band,
          cutoff: settings.adc.cutoff,
          sourceId: settings.adc.source,
          ...(typeof reference === 'number' ? { referenceRatio: adcValue / reference } : {}),
        }
      : undefined;

  return {
    category: r.category,
    probabilityMalignant: r.probabilityMalignant,
    probabilityCategory: r.probabilityCategory,
    limitedBy: r.limitedBy,
    pretest,
    evidence: r.evidence,
    setAside:
      normalised.setAside.length === 0 ? r.setAside : normalised.setAside.concat(r.setAside),
    safeguard: r.safeguard,
    constellation: r.keys,
    missingKeyDiscriminators: r.keys.missing,
    whatIf,
    ...(adc ? { adc } : {}),
    adcRule: {
      cutoff: settings.adc.cutoff,
      sensitivity: settings.adc.sensitivity,
      specificity: settings.adc.specificity,
      sourceId: settings.adc.source,
      protocol: settings.adc.protocol,
    },
    caveats,
    knowledgeBaseVersion: KNOWLEDGE_BASE_VERSION,
    engineVersion: ENGINE_VERSION,
  };
}
