/**
 * What the FHIR layer did not use, and what it flagged, worded for the command line: every
 * resource set aside with its reason and where it was read (file, line, Bundle entry), and the
 * preliminary / conflicting findings behind each level. A site that codes one sign wrong for
 * every patient must see it, not just get quietly worse results (issue 7 audit).
 */
import type { PatientAssessment } from '../app/assess-patient.js';
import type { LevelReport } from '../present/level-report.js';
import { levelLabel } from '../present/format.js';
import { SIGN_LABELS } from '../engine/index.js';
import type { Origin, SourcedResource } from './read-resources.js';

/** A resource the FHIR layer did not use for any level. */
export interface SkippedInput {
  /** As the FHIR layer names it: "Observation/abc", a fullUrl, or a content-hash name. */
  readonly ref: string;
  /** The FHIR layer's words for why. */
  readonly reason: string;
  /** Where it was read ("c.ndjson:12", "p1.bundle.json entry[3]"); empty when not traceable. */
  readonly origins: readonly string[];
}

/** "file:line entry[i]", the parts known. */
export function originText(origin: Origin): string {
  const line = origin.line === undefined ? '' : `:${origin.line}`;
  const entry = origin.entry === undefined ? '' : ` entry[${origin.entry}]`;
  return `${origin.file}${line}${entry}`;
}

/**
 * Finds where a ref was read: by `Type/id`, by fullUrl, or (a contained resource,
 * "Observation/x#c1") by its container. A resource given in two files has two origins.
 */
function originLookup(resources: readonly SourcedResource[]): (ref: string) => string[] {
  const byKey = new Map<string, string[]>();
  const add = (key: string, origin: string) => {
    const list = byKey.get(key);
    if (list === undefined) byKey.set(key, [origin]);
    else if (!list.includes(origin)) list.push(origin);
  };
  for (const s of resources) {
    const text = originText(s.origin);
    const id = s.resource['id'];
    if (typeof id === 'string') add(`${s.resource.resourceType}/${id}`, text);
    if (s.origin.fullUrl !== undefined) add(s.origin.fullUrl, text);
  }
  return (ref) => byKey.get(ref) ?? byKey.get(ref.split('#')[0]!) ?? [];
}

/** The resources of `resources` the assessment set aside, with reason and origin. */
export function skippedInputs(
  assessed: PatientAssessment,
  resources: readonly SourcedResource[],
): SkippedInput[] {
  const lookup = originLookup(resources);
  return assessed.patient.ignored.map((i) => ({
    ref: i.ref,
    reason: i.reason,
    origins: lookup(i.ref),
  }));
}

/** "Observation/x (c.ndjson:4): reason", one skipped input in a line. */
export function skippedText(s: SkippedInput): string {
  const where = s.origins.length > 0 ? ` (${s.origins.join(', ')})` : '';
  return `${s.ref}${where}: ${s.reason}`;
}

/** The data-quality notes of one level, each a sentence: preliminary, conflicts, others. */
export function levelNotes(r: LevelReport): string[] {
  const q = r.quality;
  const notes: string[] = [];
  if (q.preliminary.length > 0) {
    notes.push(
      `Rests on preliminary findings: ${q.preliminary.map((p) => `${SIGN_LABELS[p.sign]} (${p.ref})`).join(', ')}.`,
    );
  }
  for (const c of q.conflicts) {
    notes.push(
      `Conflict on ${SIGN_LABELS[c.sign]}: kept ${c.kept.value} (${c.kept.ref}, the latest); also reported ${c.superseded.map((s) => `${s.value} (${s.ref})`).join(', ')}.`,
    );
  }
  notes.push(...q.other);
  return notes;
}

/** Every level's notes, prefixed by its level, then the notes about the patient's data as a whole. */
export function patientNotes(assessed: PatientAssessment): string[] {
  return [
    ...assessed.reports.flatMap((r) => levelNotes(r).map((n) => `${levelLabel(r.level)}: ${n}`)),
    ...assessed.patient.notes,
  ];
}

/** A skipped input of one patient. */
export interface PatientSkippedInput extends SkippedInput {
  readonly patientId: string;
}

/** The skipped inputs of a cohort grouped by reason, the commonest first. */
export interface SkippedReason {
  readonly reason: string;
  readonly count: number;
  readonly patients: number;
  /** Where the first few were read (up to `examples`). */
  readonly examples: readonly string[];
}

/** Groups skipped inputs by their reason's wording; ties by reason, for a stable order. */
export function skippedByReason(
  skipped: readonly PatientSkippedInput[],
  examples = 3,
): SkippedReason[] {
  const byReason = new Map<string, { count: number; patients: Set<string>; examples: string[] }>();
  for (const s of skipped) {
    let r = byReason.get(s.reason);
    if (r === undefined) {
      r = { count: 0, patients: new Set(), examples: [] };
      byReason.set(s.reason, r);
    }
    r.count++;
    r.patients.add(s.patientId);
    if (r.examples.length < examples) r.examples.push(s.origins[0] ?? s.ref);
  }
  return [...byReason.entries()]
    .map(([reason, r]) => ({
      reason,
      count: r.count,
      patients: r.patients.size,
      examples: r.examples,
    }))
    .sort((a, b) => b.count - a.count || (a.reason < b.reason ? -1 : a.reason > b.reason ? 1 : 0));
}

/** The multi-line stderr warning of `validate` (empty when nothing was skipped). */
export function skippedWarning(skipped: readonly PatientSkippedInput[]): string {
  if (skipped.length === 0) return '';
  const patients = new Set(skipped.map((s) => s.patientId)).size;
  const lines = skippedByReason(skipped).map(
    (r) =>
      `  ${r.count} x ${r.reason} (${r.patients} patient${r.patients === 1 ? '' : 's'}; e.g. ${r.examples.join(', ')})`,
  );
  return `vcf-cds: warning: ${skipped.length} input resource(s) of ${patients} assessed patient(s) were not used, so their signs did not count:\n${lines.join('\n')}\n`;
}
