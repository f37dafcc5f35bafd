/**
 * The command line's dispatcher: argv in, exit code out, output through the injected io. The one
 * place where errors become messages: a CliError prints one line naming file, line and resource;
 * anything else is an internal error, reported without a stack unless VCF_CDS_DEBUG is set.
 */
import { assessCommand, ASSESS_USAGE } from './assess-command.js';
import { CliError, errorLine } from './cli-error.js';
import type { CliContext } from './cli-context.js';
import { simulateCommand, SIMULATE_USAGE } from './simulate-command.js';
import { validateCommand, VALIDATE_USAGE } from './validate-command.js';
import { versionLine } from './version.js';

export const USAGE = `vcf-cds: benign vs malignant vertebral compression fracture, from CT/MRI findings as
FHIR R4 Observations (Zhao et al., Front. Med. 2026). Decision support, not a diagnosis.

Commands:
  vcf-cds assess FILE [--json] [--patient ID]
  vcf-cds validate COHORT [--reference FILE.csv] [--positive benign|malignant]
                          [--out REPORT.html] [--json] [--allow-unmatched]
  vcf-cds simulate [--n N] [--seed S] [--out DIR|FILE.ndjson]
  vcf-cds help [COMMAND]
  vcf-cds --version | -V

Options of every command:
  --quiet, -q   no progress bar (shown otherwise on a terminal for long runs, never when
                CI is set or stderr is not a terminal); warnings and errors still go to stderr

Engine settings come from the same VCF_* environment variables as the service (README, "Settings").
How the assessment works, every rule, number and source: docs/clinical-logic.md (in the package;
the service serves it at /method).
`;

const COMMANDS = {
  assess: { run: assessCommand, usage: ASSESS_USAGE },
  validate: { run: validateCommand, usage: VALIDATE_USAGE },
  simulate: { run: simulateCommand, usage: SIMULATE_USAGE },
} as const;

type CommandName = keyof typeof COMMANDS;
const isCommand = (s: string | undefined): s is CommandName =>
  s !== undefined && Object.hasOwn(COMMANDS, s);

/** argv without --quiet / -q (before any "--"), and whether it was there. */
function takeQuiet(argv: readonly string[]): { argv: string[]; quiet: boolean } {
  const end = argv.indexOf('--');
  const head = end === -1 ? argv : argv.slice(0, end);
  const tail = end === -1 ? [] : argv.slice(end);
  const kept = head.filter((a) => a !== '--quiet' && a !== '-q');
  return { argv: [...kept, ...tail], quiet: kept.length !== head.length };
}

/** Runs one command line; returns the process exit code (0 ok, 1 bad input, 2 usage, 70 internal). */
export function runCli(allArgs: readonly string[], given: CliContext, debug = false): number {
  const { argv, quiet } = takeQuiet(allArgs);
  const ctx: CliContext = quiet ? { ...given, io: { ...given.io, interactive: false } } : given;
  const [name, ...rest] = argv;
  try {
    if (name === '--version' || name === '-V') {
      ctx.io.out(versionLine());
      return 0;
    }
    if (name === undefined) throw new CliError('ERR_USAGE', `no command\n\n${USAGE}`);
    if (name === 'help' || name === '--help' || name === '-h') {
      const topic = rest[0];
      ctx.io.out(isCommand(topic) ? COMMANDS[topic].usage : USAGE);
      return 0;
    }
    if (!isCommand(name))
      throw new CliError('ERR_USAGE', `unknown command ${JSON.stringify(name)}\n\n${USAGE}`);
    if (rest.includes('--help') || rest.includes('-h')) {
      ctx.io.out(COMMANDS[name].usage);
      return 0;
    }
    return COMMANDS[name].run(rest, ctx);
  } catch (error) {
    if (error instanceof CliError) {
      ctx.io.err(`${errorLine(error)}\n`);
      return error.exitCode;
    }
    const message = error instanceof Error ? error.message : String(error);
    ctx.io.err(`vcf-cds: internal error: ${message}\n`);
    if (debug && error instanceof Error && error.stack) ctx.io.err(`${error.stack}\n`);
    return 70;
  }
}
