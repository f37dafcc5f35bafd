/**
 * The same finding twice for one level: the latest effective[x] wins, then the latest issued; if
 * the values differ, the card names the conflict. When neither criterion orders the findings that
 * disagree, none of them is used (choosing one would be a guess). Findings that agree are one
 * finding: a final one is kept over a preliminary one, then the first by ref.
 * @see docs/clinical-logic.md section 1 (same finding twice)
 */
import type { Finding } from '../engine/index.js';
import { isAfter, type TimeInterval } from './effective-time.js';
import type { ReceivedQuantity } from './observation-to-finding.js';

export interface Candidate {
  readonly ref: string;
  readonly versionId?: string;
  readonly finding: Finding;
  readonly preliminary: boolean;
  readonly effective: TimeInterval;
  readonly issued?: TimeInterval;
  readonly note?: string;
  /** An ADC's value and unit as sent (observation-to-finding). */
  readonly received?: ReceivedQuantity;
}

export type Selection =
  | {
      readonly kind: 'chosen';
      readonly kept: Candidate;
      /** Older findings, and agreeing ones at the same time, with why each lost. */
      readonly superseded: readonly { readonly candidate: Candidate; readonly why: string }[];
    }
  | {
      readonly kind: 'unresolved';
      /** The latest findings, which disagree and cannot be ordered: none is used. */
      readonly tied: readonly Candidate[];
      readonly superseded: readonly { readonly candidate: Candidate; readonly why: string }[];
    };

const byRef = (a: Candidate, b: Candidate) => (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0);

/**
 * Those not surely earlier than another one, by the given time, in their given order. One is
 * surely earlier when another's interval starts after its own ends; so it suffices to know the
 * latest start among the others: the latest start of all, or, for the one holding it, the
 * runner-up. Linear: many copies of one finding must not cost their square.
 */
function latest(
  candidates: readonly Candidate[],
  time: (c: Candidate) => TimeInterval | undefined,
): Candidate[] {
  let top: Candidate | undefined;
  let topLo = -Infinity;
  let secondLo = -Infinity;
  for (const c of candidates) {
    const t = time(c);
    if (t === undefined) continue;
    if (t.lo > topLo) {
      secondLo = topLo;
      topLo = t.lo;
      top = c;
    } else if (t.lo > secondLo) {
      secondLo = t.lo;
    }
  }
  return candidates.filter((c) => {
    const t = time(c);
    // An unknown time is never after nor before anything (isAfter).
    if (t === undefined) return true;
    const latestOtherStart = c === top ? secondLo : topLo;
    return !isAfter({ lo: latestOtherStart, hi: latestOtherStart }, t);
  });
}

/** Picks the finding to use among several for one sign at one level (at least one given). */
export function selectLatest(candidates: readonly Candidate[]): Selection {
  // The usual case, one finding per sign and level: nothing to compare.
  const [only] = candidates;
  if (candidates.length === 1 && only !== undefined) {
    return { kind: 'chosen', kept: only, superseded: [] };
  }
  const sorted = [...candidates].sort(byRef);
  const byEffective = latest(sorted, (c) => c.effective);
  const front = latest(byEffective, (c) => c.issued);
  const inEffective = new Set(byEffective);
  const inFront = new Set(front);
  const superseded = sorted
    .filter((c) => !inFront.has(c))
    .map((candidate) => ({
      candidate,
      why: inEffective.has(candidate)
        ? 'a finding with the same effective date was issued later'
        : 'a later finding (effective[x]) replaces it',
    }));
  const values = new Set(front.map((c) => c.finding.value));
  if (values.size > 1) return { kind: 'unresolved', tied: front, superseded };
  const kept = front.find((c) => !c.preliminary) ?? front[0] ?? sorted[0];
  if (kept === undefined) throw new Error('selectLatest needs at least one candidate');
  const same = front
    .filter((c) => c !== kept)
    .map((candidate) => ({ candidate, why: 'the same finding, reported again' }));
  return { kind: 'chosen', kept, superseded: [...superseded, ...same] };
}
