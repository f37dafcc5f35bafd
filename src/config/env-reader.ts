/**
 * Typed reads of environment variables that collect every problem instead of stopping at the
 * first (ARCHITECTURE.md: the start-up names every bad key at once).
 */
export type Env = Readonly<Record<string, string | undefined>>;

export interface EnvReader {
  /** A number, or `fallback` when unset; a value failing `check` is an error naming `what`. */
  num(key: string, fallback: number, check: (n: number) => boolean, what: string): number;
  bool(key: string, fallback: boolean): boolean;
  /** A trimmed string, or undefined when unset or blank. */
  text(key: string): string | undefined;
  /** A comma-separated list of SNOMED CT concept ids (6 to 18 digits), or `fallback` when unset. */
  snomedList(key: string, fallback: readonly string[]): readonly string[];
  readonly errors: string[];
}

export const isProbability = (n: number): boolean => n > 0 && n < 1;
export const isPositiveInteger = (n: number): boolean => Number.isInteger(n) && n > 0;

export function envReader(env: Env): EnvReader {
  const errors: string[] = [];
  const text = (key: string) => {
    const raw = env[key]?.trim();
    return raw === undefined || raw === '' ? undefined : raw;
  };
  return {
    errors,
    text,
    num(key, fallback, check, what) {
      const raw = text(key);
      if (raw === undefined) return fallback;
      const n = Number(raw);
      if (!Number.isFinite(n) || !check(n)) {
        errors.push(`${key}=${JSON.stringify(raw)}: ${what}`);
        return fallback;
      }
      return n;
    },
    bool(key, fallback) {
      const raw = text(key)?.toLowerCase();
      if (raw === undefined) return fallback;
      if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
      if (['0', 'false', 'no', 'off'].includes(raw)) return false;
      errors.push(`${key}=${JSON.stringify(env[key])}: expected true or false`);
      return fallback;
    },
    snomedList(key, fallback) {
      const raw = text(key);
      if (raw === undefined) return fallback;
      const codes = raw
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');
      for (const code of codes) {
        if (!/^\d{6,18}$/.test(code)) {
          errors.push(`${key}: ${JSON.stringify(code)} is not a SNOMED CT concept id`);
        }
      }
      return codes;
    },
  };
}
