/**
 * The reference standard a site validates against: each case's biopsy result (benign or
 * malignant), read from a CSV file or from FHIR Observations. Format (README, "vcf-cds validate"):
 *
 * CSV: a header row with `patient_id` and `reference` (any order; other columns are ignored),
 * optionally `level` (C1..S1 or "unspecified"); `reference` is `benign` or `malignant`
 * (case-insensitive); empty lines and lines starting with `#` are skipped.
 *
 * FHIR: an Observation with code BIOPSY_REFERENCE_CODE, status final / amended / corrected,
 * subject the patient, valueCodeableConcept from the vcf-finding-value system (`benign` or
 * `malignant`, the codes the reader impressions use), bodySite (optional) the level, coded as
 * findings' bodySite are. Status entered-in-error is skipped; any other status is an error.
 */
import { parse } from 'csv-parse/sync';
import type { Truth } from '../validation/index.js';
import {
  CANONICAL_BASE,
  VCF_FINDING_VALUE_SYSTEM,
  VERTEBRAL_LEVEL_SYSTEM,
  VERTEBRAL_LEVELS,
} from '../terminology/index.js';
import { CliError, placeText, type Place } from './cli-error.js';
import { resourceName, type SourcedResource } from './read-resources.js';

/** The code system of the CLI's own validation codes (profiles/CodeSystem-vcf-validation.json). */
export const VALIDATION_SYSTEM = `${CANONICAL_BASE}/CodeSystem/vcf-validation`;

/** Observation.code of a case's reference (biopsy) result. */
export const BIOPSY_REFERENCE_CODE = {
  system: VALIDATION_SYSTEM,
  code: 'biopsy-reference',
  display: 'Biopsy result of the vertebral compression fracture (reference standard)',
} as const;

export interface ReferenceResult {
  readonly patientId: string;
  /** The vertebral level the biopsy sampled; absent = the patient's only assessed level. */
  readonly level?: string;
  readonly reference: Truth;
  /** Where it was read, for messages. */
  readonly place: Place;
}

const LEVEL_NAMES = new Set([...VERTEBRAL_LEVELS, 'unspecified']);

function truthOf(raw: string): Truth | undefined {
  const v = raw.trim().toLowerCase();
  return v === 'benign' || v === 'malignant' ? v : undefined;
}

/** Parses a reference CSV (see the module comment). */
export function parseReferenceCsv(text: string, file: string): ReferenceResult[] {
  let rows: { record: string[]; info: { lines: number } }[];
  try {
    rows = parse(text, {
      info: true,
      comment: '#',
      skip_empty_lines: true,
      trim: true,
      relax_column_count: true,
      bom: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (error) {
    const line = (error as { lines?: unknown }).lines;
    throw new CliError(
      'ERR_SYNTAX',
      `not valid CSV (${error instanceof Error ? error.message : String(error)})`,
      { file, ...(typeof line === 'number' ? { line } : {}) },
    );
  }
  const [header, ...records] = rows;
  if (header === undefined) throw new CliError('ERR_REFERENCE', 'the CSV file is empty', { file });
  const columns = header.record.map((c) => c.trim().toLowerCase());
  const col = (name: string) => columns.indexOf(name);
  const [idCol, refCol, levelCol] = [col('patient_id'), col('reference'), col('level')];
  if (idCol === -1 || refCol === -1) {
    throw new CliError(
      'ERR_REFERENCE',
      'the header must name the columns patient_id and reference (and optionally level)',
      { file, line: header.info.lines },
    );
  }
  return records.map(({ record, info }) => {
    const place: Place = { file, line: info.lines };
    const patientId = record[idCol]?.trim() ?? '';
    if (patientId === '') throw new CliError('ERR_REFERENCE', 'patient_id is empty', place);
    const rawRef = record[refCol] ?? '';
    const reference = truthOf(rawRef);
    if (reference === undefined) {
      throw new CliError(
        'ERR_REFERENCE',
        `reference must be "benign" or "malignant", not ${JSON.stringify(rawRef)}`,
        { ...place, resource: `Patient/${patientId}` },
      );
    }
    const level = levelCol === -1 ? '' : (record[levelCol]?.trim() ?? '');
    if (level !== '' && !LEVEL_NAMES.has(level)) {
      throw new CliError(
        'ERR_REFERENCE',
        `level ${JSON.stringify(level)} is not C1-C7, T1-T12, L1-L5, S1 or "unspecified"`,
        { ...place, resource: `Patient/${patientId}` },
      );
    }
    return { patientId, reference, ...(level !== '' ? { level } : {}), place };
  });
}

function codings(concept: unknown): { system?: unknown; code?: unknown }[] {
  if (typeof concept !== 'object' || concept === null) return [];
  const c = (concept as Record<string, unknown>)['coding'];
  return Array.isArray(c) ? (c as { system?: unknown; code?: unknown }[]) : [];
}

/** Whether a resource is a reference (biopsy) result Observation. */
export function isReferenceObservation(r: Readonly<Record<string, unknown>>): boolean {
  return (
    r['resourceType'] === 'Observation' &&
    codings(r['code']).some(
      (c) => c?.system === BIOPSY_REFERENCE_CODE.system && c?.code === BIOPSY_REFERENCE_CODE.code,
    )
  );
}

const USABLE_STATUS = new Set(['final', 'amended', 'corrected']);

/**
 * The reference result a biopsy Observation carries, undefined when it is entered-in-error.
 * `levelOf` maps bodySite to a level the way findings are mapped (the FHIR layer's function).
 */
export function referenceFromObservation(
  item: SourcedResource,
  patientId: string | undefined,
  levelOf: (bodySite: unknown) => string | undefined,
): ReferenceResult | undefined {
  const r = item.resource;
  const place: Place = {
    file: item.origin.file,
    ...(item.origin.line !== undefined ? { line: item.origin.line } : {}),
    resource: resourceName(r),
  };
  const status = r['status'];
  if (status === 'entered-in-error') return undefined;
  if (typeof status !== 'string' || !USABLE_STATUS.has(status)) {
    throw new CliError(
      'ERR_REFERENCE',
      `biopsy reference status ${JSON.stringify(status)}: only final, amended or corrected results can be the reference`,
      place,
    );
  }
  if (patientId === undefined) {
    throw new CliError('ERR_REFERENCE', 'biopsy reference names no Patient subject', place);
  }
  const value = codings(r['valueCodeableConcept']).find(
    (c) => c?.system === VCF_FINDING_VALUE_SYSTEM,
  );
  const reference = typeof value?.code === 'string' ? truthOf(value.code) : undefined;
  if (reference === undefined) {
    throw new CliError(
      'ERR_REFERENCE',
      `biopsy reference needs valueCodeableConcept ${VCF_FINDING_VALUE_SYSTEM}|benign or |malignant`,
      place,
    );
  }
  let level: string | undefined;
  if (r['bodySite'] !== undefined) {
    level = levelOf(r['bodySite']);
    if (level === undefined) {
      throw new CliError(
        'ERR_REFERENCE',
        'biopsy reference bodySite is not a vertebral level',
        place,
      );
    }
  }
  return { patientId, reference, ...(level !== undefined ? { level } : {}), place };
}

/** A biopsy reference Observation (what `simulate` writes and `validate` reads). */
export function referenceObservation(
  patientId: string,
  reference: Truth,
  level: string,
  extra: Readonly<Record<string, unknown>> = {},
): Record<string, unknown> {
  return {
    resourceType: 'Observation',
    id: `${patientId}-biopsy`,
    ...extra,
    status: 'final',
    code: { coding: [BIOPSY_REFERENCE_CODE], text: 'Biopsy result (reference standard)' },
    subject: { reference: `Patient/${patientId}` },
    bodySite: { coding: [{ system: VERTEBRAL_LEVEL_SYSTEM, code: level }] },
    valueCodeableConcept: { coding: [{ system: VCF_FINDING_VALUE_SYSTEM, code: reference }] },
  };
}

/**
 * One reference per (patient, level): duplicates that agree are merged, duplicates that
 * disagree are an error naming both places.
 */
export function mergeReferences(all: readonly ReferenceResult[]): ReferenceResult[] {
  const byKey = new Map<string, ReferenceResult>();
  for (const r of all) {
    const key = `${r.patientId}\u0000${r.level ?? ''}`;
    const seen = byKey.get(key);
    if (seen === undefined) byKey.set(key, r);
    else if (seen.reference !== r.reference) {
      throw new CliError(
        'ERR_REFERENCE',
        `Patient/${r.patientId}${r.level ? ` level ${r.level}` : ''}: reference ${r.reference} contradicts ${seen.reference} at ${placeText(seen.place)}`,
        r.place,
      );
    }
  }
  return [...byKey.values()];
}
