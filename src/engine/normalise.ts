/**
 * Checks each incoming finding against the input contract at run time: the engine is called with
 * data that came over the wire, so a bad value is set aside with a reason, never thrown or guessed.
 */
import type { SetAsideItem, SignConflict } from './assessment.js';
import { signKind, type Finding, type Sign } from './finding.js';

export interface NormalisedFindings {
  /** At most one finding per sign: the first valid one. */
  readonly bySign: ReadonlyMap<Sign, Finding>;
  readonly setAside: readonly SetAsideItem[];
}

/** The finding if it is a sign and value of the contract (ADC finite and positive), else undefined. */
export function asValidFinding(x: unknown): Finding | undefined {
  if (typeof x !== 'object' || x === null) return undefined;
  const { sign, value } = x as { sign?: unknown; value?: unknown };
  const kind = signKind(sign);
  if (kind === undefined) return undefined;
  if (kind === 'boolean') return typeof value === 'boolean' ? (x as Finding) : undefined;
  if (kind === 'quantity') {
    return typeof value === 'number' && Number.isFinite(value) && value > 0
      ? (x as Finding)
      : undefined;
  }
  return typeof value === 'string' && kind.has(value) ? (x as Finding) : undefined;
}

export function normaliseFindings(findings: unknown): NormalisedFindings {
  const bySign = new Map<Sign, Finding>();
  const setAside: SetAsideItem[] = [];
  if (!Array.isArray(findings)) return { bySign, setAside };
  for (const item of findings as unknown[]) {
    const finding = asValidFinding(item);
    if (finding === undefined) {
      setAside.push({ finding: item, reason: 'invalid-finding' });
    } else if (bySign.has(finding.sign)) {
      setAside.push({ finding, sign: finding.sign, reason: 'duplicate-sign' });
    } else {
      bySign.set(finding.sign, finding);
    }
  }
  return { bySign, setAside };
}

/**
 * Same-time conflicts as given, checked against the contract: a sign of the contract with at least
 * two distinct valid values (a "conflict" whose values agree, or of which only one is valid, is no
 * conflict: its valid value, if any, stands as a finding). One entry per sign, values in order.
 */
export function normaliseConflicts(conflicts: unknown): {
  conflicts: SignConflict[];
  findings: Finding[];
} {
  const out: SignConflict[] = [];
  const findings: Finding[] = [];
  if (!Array.isArray(conflicts)) return { conflicts: out, findings };
  const bySign = new Map<Sign, Finding['value'][]>();
  for (const item of conflicts as unknown[]) {
    if (typeof item !== 'object' || item === null) continue;
    const { sign, values } = item as { sign?: unknown; values?: unknown };
    if (!Array.isArray(values)) continue;
    for (const value of values as unknown[]) {
      const finding = asValidFinding({ sign, value });
      if (finding === undefined) continue;
      const list = bySign.get(finding.sign) ?? [];
      if (!list.includes(finding.value)) list.push(finding.value);
      bySign.set(finding.sign, list);
    }
  }
  for (const [sign, values] of bySign) {
    if (values.length > 1) out.push({ sign, values });
    else if (values[0] !== undefined) findings.push({ sign, value: values[0] } as Finding);
  }
  return { conflicts: out, findings };
}
