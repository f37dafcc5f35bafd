/**
 * One vertebral level's findings in, one Assessment out (docs/clinical-logic.md sections 2-3). Pure: no I/O,
 * no clock, no randomness; identical input gives identical output.
 */
import { ADC_IMPLAUSIBLY_LOW, CARD_LIMITS, KNOWLEDGE_BASE_VERSION } from '../knowledge/index.js';
import type {
  Assessment,
  Caveat,
  Category,
  Direction,
  EvidenceItem,
  HeldByRule,
  KeyDiscriminator,
  LevelInput,
  Outcome,
  PretestBasis,
  ReaderDiscordance,
  RedFlag,
  SafeguardVerdict,
  SetAsideItem,
  SignConflict,
  WhatIf,
} from './assessment.js';
import { SIGNS, isMriSign, type Finding, type Sign } from './finding.js';
import { constellation, g4Safeguard } from './key-discriminators.js';
import { adcBand, adcLikelihoodOf, rowLikelihood, type AdcBand } from './likelihood.js';
import { normaliseConflicts, normaliseFindings } from './normalise.js';
import { hasMalignantKeySign, redFlagsOf } from './red-flags.js';
import { DEFAULT_ENGINE_SETTINGS, type EngineSettings } from './settings.js';
import { ENGINE_VERSION } from './version.js';
import { logit, logOddsAtOrAbove, logOddsAtOrBelow } from './thresholds.js';

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

const NO_SIGNS: ReadonlySet<never> = new Set();

/**
 * The category P(malignant) alone gives. Inclusive thresholds (>= 0.90, <= 0.10) are compared on
 * the log-odds scale the evidence is summed on, with a tolerance (thresholds.ts), so the result
 * does not hang on the rounding of 1 / (1 + exp(-x)).
 */
function categoryOf(logOdds: number, settings: EngineSettings): Category {
  if (logOddsAtOrAbove(logOdds, settings.malignantThreshold)) return 'malignant-favoured';
  if (logOddsAtOrBelow(logOdds, settings.benignThreshold)) return 'benign-favoured';
  return 'indeterminate';
}

/** What `evaluate` found; `evidence` and `setAside` are filled only when asked for. */
interface Evaluation {
  readonly category: Category;
  readonly probabilityMalignant: number;
  readonly probabilityCategory: Category;
  readonly limitedBy: HeldByRule[];
  readonly evidence: EvidenceItem[];
  readonly setAside: SetAsideItem[];
  readonly safeguard: SafeguardVerdict;
  readonly keys: ReturnType<typeof constellation>;
  readonly band: AdcBand | undefined;
  readonly redFlags: RedFlag[];
  readonly readerDiscordance: ReaderDiscordance[];
  /** Whether DWI signal was multiplied in (the card then states the DWI direction tension). */
  readonly dwiWeighed: boolean;
}

const READERS = ['ct-impression', 'mri-impression'] as const;

/**
 * Reader impressions that point the other way from a definite category (docs/clinical-logic.md section 3,
 * reader discordance): a reader who said malignant against benign-favoured signs, or benign against
 * malignant-favoured ones. Every value of a conflicted impression counts: a reader said it.
 */
function discordantReaders(
  category: Category,
  weighed: ReadonlyMap<Sign, Finding>,
  conflicts: readonly SignConflict[],
): ReaderDiscordance[] {
  if (category === 'indeterminate') return [];
  const against = category === 'benign-favoured' ? 'malignant' : 'benign';
  const out: ReaderDiscordance[] = [];
  for (const sign of READERS) {
    const values = [
      weighed.get(sign)?.value,
      ...(conflicts.find((c) => c.sign === sign)?.values ?? []),
    ];
    if (values.includes(against)) out.push({ sign, value: against });
  }
  return out;
}

/**
 * The rules that each, on its own, hold `probabilityCategory` back (docs/clinical-logic.md section 3), in
 * the order of the spec's list of rule names.
 */
function holdingRules(
  probabilityCategory: Category,
  keysMet: boolean,
  safeguard: SafeguardVerdict,
  redFlags: readonly RedFlag[],
  discordance: readonly ReaderDiscordance[],
): HeldByRule[] {
  if (probabilityCategory === 'indeterminate') return [];
  const malignant = probabilityCategory === 'malignant-favoured';
  const rules: HeldByRule[] = [];
  if (!keysMet) rules.push('constellation-rule');
  // Applied or pending, the safeguard holds a G4 lesion back from malignant-favoured only.
  if (malignant && (safeguard.status === 'applied' || safeguard.status === 'pending')) {
    rules.push('g4-safeguard');
  }
  if (!malignant && redFlags.length > 0) rules.push('red-flag');
  if (malignant && !hasMalignantKeySign(redFlags)) rules.push('key-sign-agreement');
  if (discordance.length > 0) rules.push('reader-discordance');
  return rules;
}

/**
 * The probability and category of a set of findings, without what-ifs. With `detail` false (the
 * what-ifs, which need only category and probability) no evidence or set-aside item is built.
 * `conflicts` are same-time conflicts: their signs are not weighed and count as unknown.
 */
function evaluate(
  bySign: ReadonlyMap<Sign, Finding>,
  conflicts: readonly SignConflict[],
  settings: EngineSettings,
  pretestProbability: number,
  detail: boolean,
): Evaluation {
  const evidence: EvidenceItem[] = [];
  const setAside: SetAsideItem[] = [];
  let weighed = bySign;
  let conflicted: ReadonlySet<Sign> = NO_SIGNS;
  if (conflicts.length > 0) {
    conflicted = new Set(conflicts.map((c) => c.sign));
    const rest = new Map<Sign, Finding>();
    for (const [sign, finding] of bySign) {
      if (!conflicted.has(sign)) rest.set(sign, finding);
      else if (detail) setAside.push({ finding, sign, reason: 'conflicting-sign' });
    }
    weighed = rest;
  }
  const adcFinding = weighed.get('adc');
  const band: AdcBand | undefined =
    adcFinding && typeof adcFinding.value === 'number'
      ? adcBand(adcFinding.value, settings.adc)
      : undefined;
  const redFlags = redFlagsOf(weighed, conflicts, settings.adc);
  const safeguard = g4Safeguard(
    weighed,
    band,
    redFlags.length === 0 ? NO_SIGNS : new Set(redFlags.map((f) => f.sign)),
  );
  // Section 2: the MRI impression counts only when no MRI sign and no ADC carries weight. A DWI
  // signal the site's setting drops weighs nothing, so it does not stand in for the impression.
  let mriSignsWeighed = adcFinding !== undefined;
  if (!mriSignsWeighed) {
    for (const s of weighed.keys()) {
      if (isMriSign(s) && (s !== 'dwi-signal' || settings.useDwi)) {
        mriSignsWeighed = true;
        break;
      }
    }
  }

  let logOdds = logit(pretestProbability);
  for (const sign of SIGNS) {
    const finding = weighed.get(sign);
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
  const keys = constellation(bySign, conflicted);
  const readerDiscordance = discordantReaders(probabilityCategory, weighed, conflicts);
  const limitedBy = holdingRules(
    probabilityCategory,
    keys.met,
    safeguard,
    redFlags,
    readerDiscordance,
  );
  return {
    category: limitedBy.length > 0 ? 'indeterminate' : probabilityCategory,
    probabilityMalignant,
    probabilityCategory,
    limitedBy,
    evidence,
    setAside,
    safeguard,
    keys,
    band,
    redFlags,
    // Named only when it held the category: a reader who agrees with an indeterminate level, or
    // whose disagreement another rule already settled, is shown with the evidence, not as a rule.
    readerDiscordance: limitedBy.includes('reader-discordance') ? readerDiscordance : [],
    dwiWeighed: settings.useDwi && weighed.has('dwi-signal'),
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

/** The outcome with `added` known: it replaces a finding or a conflict of its sign. */
function outcomeWith(
  bySign: ReadonlyMap<Sign, Finding>,
  conflicts: readonly SignConflict[],
  added: Finding,
  settings: EngineSettings,
  pretest: number,
): Outcome {
  const next = new Map(bySign);
  next.set(added.sign, added);
  const rest = conflicts.filter((c) => c.sign !== added.sign);
  const r = evaluate(next, rest, settings, pretest, false);
  return { category: r.category, probabilityMalignant: r.probabilityMalignant };
}

/** The evidence items that move the odds most, largest |ln LR| first; LR 1 moves nothing. */
function driversOf(evidence: readonly EvidenceItem[]): EvidenceItem[] {
  return evidence
    .filter((e) => e.lr !== 1)
    .map((e) => ({ e, weight: Math.abs(Math.log(e.lr)) }))
    .sort((a, b) => b.weight - a.weight)
    .slice(0, CARD_LIMITS.drivers)
    .map((x) => x.e);
}

/** DWI and ADC weighed in opposite directions (both must have been weighed). */
function diffusionDisagreementOf(
  evidence: readonly EvidenceItem[],
  band: AdcBand | undefined,
): Assessment['diffusionDisagreement'] {
  const dwi = evidence.find((e) => e.sign === 'dwi-signal');
  if (dwi === undefined || band === undefined) return undefined;
  if (dwi.direction === 'benign' && band === 'below-cutoff') return 'high-dwi-low-adc';
  if (dwi.direction === 'malignant' && band === 'at-or-above-cutoff') return 'low-dwi-high-adc';
  return undefined;
}

/**
 * Assesses one vertebral level.
 * @see docs/clinical-logic.md sections 2 (evidence), 3 (combining and deciding), 5 (ADC, pre-test).
 */
export function assessLevel(
  input: LevelInput,
  settings: EngineSettings = DEFAULT_ENGINE_SETTINGS,
): Assessment {
  const given = normaliseConflicts(input?.conflicts);
  const normalised = normaliseFindings(
    given.findings.length === 0 ? input?.findings : [...(input?.findings ?? []), ...given.findings],
  );
  const conflicts = given.conflicts;
  const pretest = pretestOf(settings, input?.knownCancerHistory === true);
  const r = evaluate(normalised.bySign, conflicts, settings, pretest.probability, true);

  const whatIf: WhatIf[] = r.keys.missing.map((discriminator) => {
    const [benign, benignLabel, malignant, malignantLabel] = whatIfFindings(
      discriminator,
      settings,
    );
    return {
      discriminator,
      ifBenignFinding: benignLabel,
      ifBenign: outcomeWith(normalised.bySign, conflicts, benign, settings, pretest.probability),
      ifMalignantFinding: malignantLabel,
      ifMalignant: outcomeWith(
        normalised.bySign,
        conflicts,
        malignant,
        settings,
        pretest.probability,
      ),
    };
  });

  const drivers = driversOf(r.evidence);
  const caveats: Caveat[] = ALWAYS.slice();
  if (r.dwiWeighed) caveats.push('dwi-direction-tension');
  if (r.band !== undefined) caveats.push('adc-protocol-dependent');
  if (drivers.some((e) => e.sign === 't1-low-signal' || e.sign === 't2-low-signal')) {
    caveats.push('t1-t2-complement-rows');
  }
  const diffusionDisagreement = diffusionDisagreementOf(r.evidence, r.band);

  const adcValue = r.band === undefined ? undefined : normalised.bySign.get('adc')?.value;
  const reference = normalised.bySign.get('adc-reference')?.value;
  const adc =
    typeof adcValue === 'number' && r.band !== undefined
      ? {
          value: adcValue,
          band: r.band,
          implausiblyLow: adcValue < ADC_IMPLAUSIBLY_LOW.value,
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
    redFlags: r.redFlags,
    readerDiscordance: r.readerDiscordance,
    conflicts,
    drivers,
    ...(diffusionDisagreement !== undefined ? { diffusionDisagreement } : {}),
    pretest,
    thresholds: { malignant: settings.malignantThreshold, benign: settings.benignThreshold },
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
