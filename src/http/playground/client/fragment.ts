/**
 * The playground link a card carries (DECISIONS.md, "Playground link from a card"):
 * `/playground#level=L1&pedicle=destroyed&paravertebral-soft-tissue=true&adc=0.75`.
 * In the fragment, so it never reaches a server log. Keys: `level` (a level code or
 * `unspecified`) and the contract's sign codes; values: the contract's value codes, true/false
 * for boolean signs, a decimal number (10^-3 mm2/s) for quantity signs. Anything else is ignored
 * and named, never guessed. Pure (no DOM): tested in Node.
 */
import type { PlaygroundContract } from './contract.js';

/** The level key's value for "no bodySite". */
export const UNSPECIFIED_LEVEL = 'unspecified';

export interface FragmentSigns {
  /** A contract level, UNSPECIFIED_LEVEL, or undefined when the link names none. */
  readonly level?: string;
  /** Sign code -> value, each valid for the contract. */
  readonly signs: ReadonlyMap<string, string>;
  /** What was ignored, worded for the notice ("colour=red: unknown key"). */
  readonly ignored: readonly string[];
}

const DECIMAL = /^(?:\d+(?:\.\d*)?|\.\d+)$/;

/** The signs of a URL fragment (with or without its leading '#'). */
export function parseFragment(hash: string, contract: PlaygroundContract): FragmentSigns {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const signs = new Map<string, string>();
  const ignored: string[] = [];
  let level: string | undefined;
  const seen = new Set<string>();
  for (const [key, value] of params) {
    const shown = `${key}=${value}`;
    if (seen.has(key)) {
      ignored.push(`${shown}: given more than once (only the first is read)`);
      continue;
    }
    seen.add(key);
    if (key === 'level') {
      if (value === UNSPECIFIED_LEVEL || contract.levels.includes(value)) level = value;
      else ignored.push(`${shown}: not a vertebral level`);
      continue;
    }
    const sign = contract.signs.find((s) => s.sign === key);
    if (sign === undefined) {
      ignored.push(`${shown}: unknown key`);
      continue;
    }
    const ok =
      sign.kind === 'quantity'
        ? DECIMAL.test(value) && Number.isFinite(Number(value))
        : sign.kind === 'boolean'
          ? value === 'true' || value === 'false'
          : sign.values.some((v) => v.code === value);
    if (ok) signs.set(key, value);
    else
      ignored.push(
        `${shown}: not a value of ${sign.label}` +
          (sign.kind === 'quantity' ? ` (a decimal number of ${sign.unit.display})` : ''),
      );
  }
  return { ...(level !== undefined ? { level } : {}), signs, ignored };
}
