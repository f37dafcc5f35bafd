/**
 * From the resources at hand to one assessed report per vertebral level: the FHIR layer extracts
 * findings per level, the engine assesses each, and the data-quality facts travel with them.
 */
import {
  ENGINE_VERSION,
  assessLevel,
  settingsFingerprint,
  type EngineSettings,
  type Finding,
  type Sign,
} from '../engine/index.js';
import { KNOWLEDGE_BASE_VERSION } from '../knowledge/index.js';
import {
  extractLevels,
  levelFromBodySite,
  levelRank,
  UNSPECIFIED_LEVEL,
  type Disposition,
  type LevelExtraction,
  type LevelNote,
} from '../fhir/index.js';
import type { DataQuality, LevelReport, PatientContext } from '../present/level-report.js';
import { valueWords } from '../present/value-labels.js';

export interface PatientAssessment {
  readonly reports: readonly LevelReport[];
  readonly patient: PatientContext;
  /** Every resource used (or superseded by a later one) but the Patient, by id and version, for the audit. */
  readonly inputs: readonly { resourceType: string; id: string; versionId?: string }[];
  /** Maps an order's bodySite to a level, the same way findings are mapped. */
  readonly levelOf: (bodySite: unknown) => string | undefined;
  /** A report for a level with no findings (an order may target one). */
  readonly unassessedLevel: (level: string) => LevelReport;
  /**
   * Levels whose vertebral findings were all rejected (or, when no level could be read from them
   * and nothing else was assessed, one report for the patient): each gets a card saying so
   * (docs/clinical-logic.md section 1: ignored resources are listed), since no card would read as "no
   * fracture". Not assessed levels: they stay out of `reports` (and of RiskAssessments).
   */
  readonly unusableLevels: readonly LevelReport[];
  readonly engineVersion: string;
  readonly knowledgeBaseVersion: string;
  /** 'default', or a hash of the site's engine settings (pre-test, thresholds, DWI, ADC rule). */
  readonly settingsFingerprint: string;
}

export interface AssessDeps {
  readonly engine: EngineSettings;
  readonly cancerSnomedCodes: readonly string[];
  /** VCF_ADC_MINIMUM: the smallest ADC accepted (no default). */
  readonly adcMinimum?: number;
  readonly now: () => Date;
}

function valueText(sign: Sign, value: Finding['value']): string {
  return valueWords({ sign, value } as Finding);
}

function qualityOf(
  notes: readonly LevelNote[],
  sameTime: LevelExtraction['conflicts'] = [],
): DataQuality {
  const preliminary: DataQuality['preliminary'][number][] = [];
  const conflicts: DataQuality['conflicts'][number][] = [];
  const other: string[] = [];
  for (const note of notes) {
    if (note.kind === 'preliminary') preliminary.push({ sign: note.sign, ref: note.ref });
    else if (note.kind === 'conflict') {
      conflicts.push({
        sign: note.sign,
        kept: { ref: note.kept.ref, value: valueText(note.sign, note.kept.value) },
        superseded: note.superseded.map((s) => ({
          ref: s.ref,
          value: valueText(note.sign, s.value),
        })),
      });
    } else other.push(note.detail);
  }
  return {
    preliminary,
    conflicts,
    sameTime: sameTime.map((c) => ({
      sign: c.sign,
      reports: c.reports.map((x) => ({ ref: x.ref, value: valueText(c.sign, x.value) })),
    })),
    other,
  };
}

/** "Observation/abc" -> "abc"; a ref that is not `Type/id` (no id in the data) is kept whole. */
function idOf(d: Disposition): string {
  const prefix = `${d.resourceType}/`;
  return d.ref.startsWith(prefix) ? d.ref.slice(prefix.length) : d.ref;
}

/**
 * Extracts and assesses every level of one patient. `jsonParsed`: the items are JSON.parse output
 * within the depth bound (ExtractionOptions.jsonParsed).
 */
export function assessPatient(
  patientId: string,
  items: readonly unknown[],
  deps: AssessDeps,
  jsonParsed = false,
): PatientAssessment {
  const extraction = extractLevels(items, {
    patientId,
    cancerSnomedCodes: deps.cancerSnomedCodes,
    ...(deps.adcMinimum !== undefined ? { adcMinimum: deps.adcMinimum } : {}),
    now: deps.now(),
    jsonParsed,
  });
  const knownCancerHistory = extraction.knownCancerHistory;
  const noFindingsReport = (level: string, note: string, rejected = 0): LevelReport => ({
    level,
    assessment: assessLevel({ findings: [], knownCancerHistory }, deps.engine),
    quality: { preliminary: [], conflicts: [], sameTime: [], other: [note] },
    basis: [],
    ...(rejected > 0 ? { rejectedFindings: rejected } : {}),
  });
  // This patient's vertebral findings that could not be used, by the level they were for
  // (undefined: none could be read): named on an assessed level's card, or a card of their own.
  const rejectedAt = new Map<string | undefined, { sign: Sign; detail: string }[]>();
  for (const d of extraction.dispositions) {
    if (d.use !== 'ignored' || d.sign === undefined || d.reason === 'other-subject') continue;
    const list = rejectedAt.get(d.level) ?? [];
    list.push({ sign: d.sign, detail: d.detail });
    rejectedAt.set(d.level, list);
  }
  const reports: LevelReport[] = extraction.levels.map((l) => {
    const adcReceived = l.provenance.find((p) => p.sign === 'adc')?.received;
    const rejected = rejectedAt.get(l.level);
    return {
      level: l.level,
      assessment: assessLevel(
        {
          findings: l.findings,
          knownCancerHistory,
          conflicts: l.conflicts.map((c) => ({
            sign: c.sign,
            values: c.reports.map((x) => x.value),
          })),
        },
        deps.engine,
      ),
      quality: qualityOf(l.notes, l.conflicts),
      // The conflicting reports shaped the result too (a red flag, an unknown sign).
      basis: [...l.provenance, ...l.conflicts.flatMap((c) => c.reports)].map((p) => ({
        ref: p.ref,
        ...(p.versionId ? { versionId: p.versionId } : {}),
      })),
      ...(adcReceived !== undefined ? { adcReceived } : {}),
      ...(rejected !== undefined ? { rejected } : {}),
    };
  });
  const assessedLevels = new Set(reports.map((r) => r.level));
  const unusable: LevelReport[] = [];
  for (const [level, { length: n }] of rejectedAt) {
    if (level === undefined || assessedLevels.has(level)) continue;
    const where = level === UNSPECIFIED_LEVEL ? 'an unspecified level' : level;
    const text =
      n === 1
        ? `The 1 finding recorded for ${where} could not be used (each listed under Data quality).`
        : `None of the ${n} findings recorded for ${where} could be used (each listed under Data quality).`;
    unusable.push(noFindingsReport(level, text, n));
  }
  const noLevel = rejectedAt.get(undefined)?.length ?? 0;
  if (reports.length === 0 && unusable.length === 0 && noLevel > 0) {
    unusable.push(
      noFindingsReport(
        UNSPECIFIED_LEVEL,
        noLevel === 1
          ? 'The 1 vertebral finding recorded for this patient could not be used, and no level could be read from it (each listed under Data quality).'
          : `None of the ${noLevel} vertebral findings recorded for this patient could be used, and no level could be read from them (each listed under Data quality).`,
        noLevel,
      ),
    );
  }
  unusable.sort((a, b) => levelRank(a.level) - levelRank(b.level));
  const patient: PatientContext = {
    ...(extraction.patient?.ageYears !== undefined
      ? { ageYears: extraction.patient.ageYears }
      : {}),
    cancerHistory: extraction.cancerHistoryEvidence.map((c) => ({
      ref: c.ref,
      label: c.display ? `${c.code} ${c.display}` : c.code,
    })),
    // A resource of a type this service does not read (a Procedure in a search) is no finding
    // the clinician lost: it stays in the extraction result, off the card.
    ignored: extraction.dispositions
      .filter((d) => d.use === 'ignored' && d.reason !== 'not-relevant')
      .map((d) => ({
        ref: d.ref,
        reason: d.detail,
        ...(d.level !== undefined ? { level: d.level } : {}),
        ...(d.sign !== undefined ? { sign: d.sign } : {}),
      })),
    notes: extraction.notes,
    ...(extraction.dataIncomplete ? { dataIncomplete: true } : {}),
    assessedLevels: extraction.levels.length,
  };
  // The Patient is recorded only as the hash of its id (the audit's patientIdHash), never by id.
  const inputs = extraction.dispositions
    .filter((d) => d.use !== 'ignored' && d.resourceType !== 'Patient')
    .map((d) => ({
      resourceType: d.resourceType,
      id: idOf(d),
      ...(d.versionId ? { versionId: d.versionId } : {}),
    }));
  return {
    reports,
    patient,
    inputs,
    levelOf: levelFromBodySite,
    unassessedLevel: (level) =>
      noFindingsReport(level, `No imaging findings are recorded for ${level}.`),
    unusableLevels: unusable,
    engineVersion: ENGINE_VERSION,
    knowledgeBaseVersion: KNOWLEDGE_BASE_VERSION,
    settingsFingerprint: settingsFingerprint(deps.engine),
  };
}
