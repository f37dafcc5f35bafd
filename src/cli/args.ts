/** A small argv parser: positional arguments, `--flag value` / `--flag=value` options and switches. */
import { CliError } from './cli-error.js';

/** Positional arguments and options (`true` for a switch). */
export interface ParsedArgs {
  readonly positional: readonly string[];
  readonly options: Readonly<Record<string, string | true>>;
}

export interface ArgSpec {
  /** Options that take a value (`--out report.html`). */
  readonly values?: readonly string[];
  /** Switches that never take a value (`--json`), so `--json FILE` keeps FILE positional. */
  readonly switches?: readonly string[];
}

/**
 * Parses argv. Without a spec every option is accepted (a following non-option word is its
 * value); with a spec an unknown option, a missing value or a valued switch is a usage error.
 */
export function parseArgs(argv: readonly string[], spec?: ArgSpec): ParsedArgs {
  const positional: string[] = [];
  const options: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--') || arg === '-') {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const key = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
    const inline = eq === -1 ? undefined : arg.slice(eq + 1);
    const next = argv[i + 1];
    if (spec === undefined) {
      if (inline !== undefined) options[key] = inline;
      else if (next !== undefined && !next.startsWith('--')) {
        options[key] = next;
        i++;
      } else options[key] = true;
      continue;
    }
    if (spec.switches?.includes(key)) {
      if (inline !== undefined) throw new CliError('ERR_USAGE', `--${key} takes no value`);
      options[key] = true;
    } else if (spec.values?.includes(key)) {
      const value = inline ?? next;
      if (value === undefined || (inline === undefined && value.startsWith('--'))) {
        throw new CliError('ERR_USAGE', `--${key} needs a value`);
      }
      options[key] = value;
      if (inline === undefined) i++;
    } else {
      throw new CliError('ERR_USAGE', `unknown option --${key}`);
    }
  }
  return { positional, options };
}

/** An integer option, or an error message naming it. */
export function intOption(
  args: ParsedArgs,
  name: string,
  fallback: number,
  min: number,
): number | string {
  const raw = args.options[name];
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (raw === true || !Number.isInteger(n) || n < min) {
    return `--${name} must be an integer >= ${min}`;
  }
  return n;
}

/** A string option (undefined when absent). */
export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const raw = args.options[name];
  return typeof raw === 'string' ? raw : undefined;
}
