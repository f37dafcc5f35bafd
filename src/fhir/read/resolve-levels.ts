/**
 * From the candidates to each level's findings: the latest kept, same-time conflicts named. One
 * idea of extractLevels (../extract-levels.ts).
 */
import type { Finding } from '../../engine/index.js';
import type { LevelExtraction, LevelNote } from '../extraction-result.js';
import { selectLatest } from '../latest-finding.js';
import { describeFinding } from '../observation-to-finding.js';
import { levelRank } from '../vertebral-level.js';
import { compare, signRank, type State, disposition } from './state.js';

/** Resolves each level and sign's candidates into findings, notes and dispositions. */
export function resolveLevels(state: State): LevelExtraction[] {
  type Provenance = LevelExtraction['provenance'][number];
  type Conflict = LevelExtraction['conflicts'][number];
  const byLevel = new Map<
    string,
    { findings: Finding[]; notes: LevelNote[]; provenance: Provenance[]; conflicts: Conflict[] }
  >();
  const levelOf = (level: string) => {
    const entry = byLevel.get(level) ?? { findings: [], notes: [], provenance: [], conflicts: [] };
    byLevel.set(level, entry);
    return entry;
  };
  for (const { level, sign, list } of state.candidates) {
    const selection = selectLatest(list);
    for (const { candidate, why } of selection.superseded) {
      state.dispositions.push(
        disposition(
          candidate.ref,
          'Observation',
          candidate.versionId,
          'superseded',
          undefined,
          `${describeFinding(level, candidate.finding)}: not used, ${why}`,
          level,
          sign,
        ),
      );
    }
    if (selection.kind === 'unresolved') {
      // Two readers at the same time: neither value is weighed, but the conflict is itself a fact
      // the engine reasons on (unknown sign; a red flag when one value is a key sign's malignant
      // one), so the level is assessed with it and the resources count as used.
      levelOf(level).conflicts.push({
        sign,
        reports: selection.tied.map((c) => ({
          ref: c.ref,
          ...(c.versionId !== undefined ? { versionId: c.versionId } : {}),
          value: c.finding.value,
        })),
      });
      for (const c of selection.tied) {
        state.dispositions.push(
          disposition(
            c.ref,
            'Observation',
            c.versionId,
            'used',
            undefined,
            `${describeFinding(level, c.finding)}: disagrees with a finding of the same time; neither is weighed (the sign counts as unknown)`,
            level,
            sign,
          ),
        );
      }
      continue;
    }
    const { kept } = selection;
    const entry = levelOf(level);
    entry.findings.push(kept.finding);
    entry.provenance.push({
      sign,
      ref: kept.ref,
      ...(kept.versionId !== undefined ? { versionId: kept.versionId } : {}),
      ...(kept.received !== undefined ? { received: kept.received } : {}),
    });
    const differing =
      selection.superseded.length === 0
        ? []
        : selection.superseded
            .map((s) => s.candidate)
            .filter((c) => c.finding.value !== kept.finding.value);
    if (differing.length > 0) {
      entry.notes.push({
        kind: 'conflict',
        sign,
        kept: { ref: kept.ref, value: kept.finding.value },
        superseded: differing.map((c) => ({ ref: c.ref, value: c.finding.value })),
      });
    }
    if (kept.preliminary) entry.notes.push({ kind: 'preliminary', sign, ref: kept.ref });
    state.dispositions.push(
      disposition(
        kept.ref,
        'Observation',
        kept.versionId,
        'used',
        undefined,
        describeFinding(level, kept.finding) +
          (kept.preliminary ? ' (preliminary)' : '') +
          (kept.note ? ` (${kept.note})` : ''),
        level,
        sign,
      ),
    );
  }
  const noteKey = (n: LevelNote) =>
    n.kind === 'note'
      ? `2|${n.detail}`
      : `${n.kind === 'conflict' ? 0 : 1}|${String(signRank(n.sign)).padStart(2, '0')}`;
  return [...byLevel.entries()]
    .sort(([a], [b]) => levelRank(a) - levelRank(b) || compare(a, b))
    .map(([level, e]) => {
      // A level has one finding per sign at most: placing each at its sign's rank sorts them.
      const atRank: number[] = [];
      e.findings.forEach((f, i) => (atRank[signRank(f.sign)] = i));
      const findings: Finding[] = [];
      const provenance: Provenance[] = [];
      for (const i of atRank) {
        if (i === undefined) continue;
        const finding = e.findings[i];
        const p = e.provenance[i];
        if (finding) findings.push(finding);
        if (p) provenance.push(p);
      }
      return {
        level,
        findings,
        notes: [...e.notes].sort((x, y) => compare(noteKey(x), noteKey(y))),
        provenance,
        conflicts: e.conflicts.sort((x, y) => signRank(x.sign) - signRank(y.sign)),
      };
    });
}
