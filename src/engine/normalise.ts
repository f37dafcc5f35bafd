/**
 * Checks each incoming finding against the input contract at run time: the engine is called with
 * data that came over the wire, so a bad value is set aside with a reason, never thrown or guessed.
 */
import type { SetAsideItem } from './assessment.js';
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
