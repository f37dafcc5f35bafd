/**
 * Reading an Observation: exclusions, panels and their members, the finding it gives. One idea of
 * extractLevels (../extract-levels.ts).
 */
import type { Candidate } from '../latest-finding.js';
import { readObservation, USED_STATUSES } from '../observation-to-finding.js';
import { nameResource, type MetResource } from '../unpack.js';
import { validateJsonResource } from '../validate-resource.js';
import { levelFromBodySite, UNSPECIFIED_LEVEL } from '../vertebral-level.js';
import { type Json, type State, type Mutable, dispose, isHookPatient } from './state.js';

/** Why a panel's own status or subject excludes it, if they do. */
export interface Exclusion {
  readonly reason: 'status' | 'other-subject';
  readonly why: string;
}

export function exclusionOf(state: State, resource: Json): Exclusion | undefined {
  const status = resource['status'];
  if (typeof status !== 'string' || !USED_STATUSES.includes(status)) {
    return { reason: 'status', why: `status is ${String(status)}` };
  }
  if (
    resource['subject'] !== undefined &&
    !isHookPatient(state, (resource['subject'] as Json | undefined)?.['reference'])
  ) {
    return { reason: 'other-subject', why: "subject is not the hook's patient" };
  }
  return undefined;
}

/**
 * Follows a panel's hasMember within the data at hand; returns the words for its disposition.
 * A contained member has no life of its own: when the panel's status or subject excludes it
 * (`exclusion`), its contained members are ignored with it, whatever they say of themselves.
 */
export function followMembers(
  state: State,
  met: MetResource,
  exclusion: Exclusion | undefined,
): string {
  const members = Array.isArray(met.resource['hasMember'])
    ? (met.resource['hasMember'] as unknown[])
    : [];
  const followed: string[] = [];
  const excluded: string[] = [];
  const missing: string[] = [];
  for (const m of members) {
    const reference = (typeof m === 'object' && m !== null ? (m as Json) : {})['reference'];
    if (typeof reference !== 'string') continue;
    let target: MetResource | undefined;
    if (reference.startsWith('#')) {
      const contained = Array.isArray(met.resource['contained'])
        ? (met.resource['contained'] as unknown[])
        : [];
      const found = contained.find(
        (c) => typeof c === 'object' && c !== null && (c as Json)['id'] === reference.slice(1),
      );
      if (found) target = nameResource(found as Json, undefined, met.ref, state.jsonParsed);
      if (target !== undefined && exclusion !== undefined) {
        state.seen ??= new Set(state.data.resources.map((r) => r.ref));
        if (!state.seen.has(target.ref)) {
          state.seen.add(target.ref);
          excluded.push(target.ref);
          dispose(
            state,
            target,
            'ignored',
            `contained in ${met.ref}, whose ${exclusion.why}: a contained resource shares its container's status and subject`,
            { reason: exclusion.reason },
          );
        }
        continue;
      }
    } else {
      target = state.data.resolve(reference);
    }
    if (target === undefined) {
      missing.push(reference);
      continue;
    }
    followed.push(target.ref);
    state.seen ??= new Set(state.data.resources.map((r) => r.ref));
    if (!state.seen.has(target.ref)) {
      state.seen.add(target.ref);
      state.queue.push(target);
    }
  }
  for (const reference of missing) {
    state.notes.push(
      `Panel ${met.ref} lists a member (${reference}) that is not in the data at hand; it was not read.`,
    );
  }
  const parts = [`panel: ${followed.length} member(s) followed (${followed.join(', ')})`];
  if (excluded.length > 0) {
    parts.push(`${excluded.length} contained member(s) not used (${excluded.join(', ')})`);
  }
  if (missing.length > 0) parts.push(`${missing.length} not in the data at hand`);
  return parts.join('; ');
}

/** The level of a finding rejected before its level was read: its bodySite's, or unspecified. */
export function levelOfRejected(met: MetResource): string | undefined {
  const bodySite = met.resource['bodySite'];
  return bodySite === undefined ? UNSPECIFIED_LEVEL : levelFromBodySite(bodySite);
}

export function readObservationResource(state: State, met: MetResource): void {
  const validation = validateJsonResource(met.resource);
  const reading = readObservation(
    met.resource,
    validation,
    (ref) => isHookPatient(state, ref),
    state.reading,
  );
  const validForFhir = validation.issues.every(
    (i) => i.kind === 'profile' || i.kind === 'invariant',
  );
  const hasMembers =
    validForFhir &&
    Array.isArray(met.resource['hasMember']) &&
    met.resource['hasMember'].length > 0;
  const exclusion = hasMembers ? exclusionOf(state, met.resource) : undefined;
  const membersDetail = hasMembers ? followMembers(state, met, exclusion) : undefined;
  if (reading.kind === 'panel') {
    if (exclusion !== undefined) {
      dispose(state, met, 'ignored', `panel whose ${exclusion.why}; ${membersDetail ?? ''}`, {
        reason: exclusion.reason,
      });
    } else {
      dispose(state, met, 'context', membersDetail ?? 'panel');
    }
    return;
  }
  if (reading.kind === 'ignored') {
    const detail = membersDetail ? `${reading.detail}; ${membersDetail}` : reading.detail;
    // The level a rejected finding was for, when its bodySite says (the card of that level lists
    // it; a level whose every finding was rejected still gets a card).
    const level = reading.level ?? (reading.sign !== undefined ? levelOfRejected(met) : undefined);
    dispose(state, met, 'ignored', detail, {
      reason: reading.reason,
      ...(level !== undefined ? { level } : {}),
      ...(reading.sign !== undefined ? { sign: reading.sign } : {}),
    });
    return;
  }
  // Two maps rather than one keyed by `${level}|${sign}`: no new string to hash per finding.
  let bySign = state.groupOf.get(reading.level);
  if (bySign === undefined) {
    bySign = new Map();
    state.groupOf.set(reading.level, bySign);
  }
  let group = bySign.get(reading.finding.sign);
  if (group === undefined) {
    group = { level: reading.level, sign: reading.finding.sign, list: [] };
    bySign.set(reading.finding.sign, group);
    state.candidates.push(group);
  }
  const candidate: Mutable<Candidate> = {
    ref: met.ref,
    finding: reading.finding,
    preliminary: reading.preliminary,
    effective: reading.effective,
  };
  if (met.versionId !== undefined) candidate.versionId = met.versionId;
  if (reading.issued !== undefined) candidate.issued = reading.issued;
  if (reading.received !== undefined) candidate.received = reading.received;
  if (membersDetail !== undefined || reading.note !== undefined) {
    candidate.note = [reading.note, membersDetail].filter((x) => x !== undefined).join('; ');
  }
  group.list.push(candidate);
}
