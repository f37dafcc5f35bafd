/**
 * From the resources at hand to one assessed report per vertebral level: the FHIR layer extracts
 * findings per level, the engine assesses each, and the data-quality facts travel with them.
 */
import {
  ENGINE_VERSION,
  assessLevel,
  settingsFingerprint,
  formatFindingValue,
  type EngineSettings,
  type Finding,
  type Sign,
} from '../engine/index.js';
import { KNOWLEDGE_BASE_VERSION } from '../knowledge/index.js';
import {
  extractLevels,
  levelFromBodySite,
  UNSPECIFIED_LEVEL,
  type Disposition,
  type LevelNote,
} from '../fhir/index.js';
import type { DataQuality, LevelReport, PatientContext } from './level-report.js';

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
   * When vertebral findings of this patient were recorded but none could be used: the report of
   * a card saying so (CLINICAL-SPEC section 1: ignored resources are listed), since no card at
   * all would read as "no fracture". Not an assessed level: `reports` stays empty.
   */
  readonly noUsableFindings: LevelReport | undefined;
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
  return formatFindingValue({ sign, value } as Finding);
}

function qualityOf(notes: readonly LevelNote[]): DataQuality {
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
  return { preliminary, conflicts, other };
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
  const noFindingsReport = (level: string, note: string): LevelReport => ({
    level,
    assessment: assessLevel({ findings: [], knownCancerHistory }, deps.engine),
    quality: { preliminary: [], conflicts: [], other: [note] },
    basis: [],
  });
  const reports: LevelReport[] = extraction.levels.map((l) => ({
    level: l.level,
    assessment: assessLevel({ findings: l.findings, knownCancerHistory }, deps.engine),
    quality: qualityOf(l.notes),
    basis: l.provenance.map((p) => ({
      ref: p.ref,
      ...(p.versionId ? { versionId: p.versionId } : {}),
    })),
  }));
  const rejected = extraction.dispositions.filter(
    (d) => d.use === 'ignored' && d.sign !== undefined && d.reason !== 'other-subject',
  ).length;
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
      .map((d) => ({ ref: d.ref, reason: d.detail })),
    notes: extraction.notes,
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
    noUsableFindings:
      reports.length === 0 && rejected > 0
        ? noFindingsReport(
            UNSPECIFIED_LEVEL,
            `${rejected} vertebral finding${rejected === 1 ? ' was' : 's were'} recorded for this patient, none usable (see Not used).`,
          )
        : undefined,
    engineVersion: ENGINE_VERSION,
    knowledgeBaseVersion: KNOWLEDGE_BASE_VERSION,
    settingsFingerprint: settingsFingerprint(deps.engine),
  };
}
