/**
 * `vcf-cds simulate --n N --seed S [--out DIR|FILE.ndjson]`: a SYNTHETIC cohort (simulate.ts) in
 * the formats `assess` and `validate` read as they are:
 * - DIR: one transaction Bundle per patient (`<id>.bundle.json`) and `reference.csv`
 *   (patient_id,reference,level), the CSV form of the reference results;
 * - FILE.ndjson (or stdout when --out is absent): one resource per line, each patient's
 *   resources followed by a biopsy reference Observation, the FHIR form.
 * Everything is tagged HTEST (test health data) with meta.source SIMULATE_SOURCE, and `validate`
 * labels its report a simulated cohort.
 */
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { extname, join } from 'node:path';
import { intOption, parseArgs, stringOption } from './args.js';
import { CliError } from './cli-error.js';
import { openTextSink, writeText } from './files.js';
import type { CliContext } from './cli-context.js';
import { progress } from './progress.js';
import { referenceObservation } from './reference-result.js';
import { simulateCohort, type SimulatedPatient } from './simulate.js';
import { SIMULATED_META } from './synthetic-tag.js';

export const SIMULATE_USAGE = `Usage: vcf-cds simulate [--n N] [--seed S] [--out DIR|FILE.ndjson]

  --n N        number of synthetic patients (default 100)
  --seed S     seed of the generator; the same seed gives the same cohort (default 1)
  --out DIR    one transaction Bundle per patient plus reference.csv, in DIR
  --out F.ndjson  NDJSON of resources with a biopsy reference Observation per patient
               (without --out: NDJSON on standard output)

SYNTHETIC data: each sign is drawn independently per class from the paper's counts, which is
the independence the engine assumes, so results on it flatter the engine.
`;

function resourcesOf(p: SimulatedPatient): Record<string, unknown>[] {
  const entries = p.bundle['entry'] as { resource: Record<string, unknown> }[];
  return entries.map((e) => e.resource);
}

function ndjsonLines(p: SimulatedPatient): string {
  const reference = referenceObservation(p.patientId, p.truth, p.level, { meta: SIMULATED_META });
  return [...resourcesOf(p), reference].map((r) => JSON.stringify(r)).join('\n') + '\n';
}

function prepareDirectory(dir: string): void {
  try {
    if (existsSync(dir)) {
      // Never mix a new cohort into files already there: validate reads every file of DIR.
      const clash = readdirSync(dir).find((f) =>
        ['.json', '.ndjson', '.jsonl', '.csv'].includes(extname(f)),
      );
      if (clash !== undefined) {
        throw new CliError(
          'ERR_FILE',
          `the directory already holds cohort files (${clash}); choose an empty one`,
          {
            file: dir,
          },
        );
      }
    } else mkdirSync(dir, { recursive: true });
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(
      'ERR_FILE',
      `cannot create the directory (${String((error as { code?: unknown }).code ?? error)})`,
      {
        file: dir,
      },
    );
  }
}

/** Runs `simulate`; the summary line goes to stderr so NDJSON on stdout stays clean. */
export function simulateCommand(argv: readonly string[], ctx: CliContext): number {
  const args = parseArgs(argv, { values: ['n', 'seed', 'out'] });
  if (args.positional.length > 0) {
    throw new CliError('ERR_USAGE', `simulate takes no FILE\n\n${SIMULATE_USAGE}`);
  }
  const n = intOption(args, 'n', 100, 1);
  const seed = intOption(args, 'seed', 1, 0);
  if (typeof n === 'string') throw new CliError('ERR_USAGE', n);
  if (typeof seed === 'string') throw new CliError('ERR_USAGE', seed);
  const out = stringOption(args, 'out');
  const label = `SYNTHETIC cohort: vcf-cds simulate --n ${n} --seed ${seed} (drawn from Zhao et al. 2026, Tables 2-5); not patient data`;
  const counter = progress(ctx.io, 'simulated patients', n);

  if (out === undefined || extname(out).toLowerCase() === '.ndjson') {
    // Written patient by patient: a large cohort never has to fit in one string.
    const sink =
      out === undefined ? { write: ctx.io.out, close: () => undefined } : openTextSink(out);
    let i = 0;
    try {
      for (const p of simulateCohort(n, seed)) {
        sink.write(ndjsonLines(p));
        counter.tick(++i);
      }
    } finally {
      sink.close();
    }
    counter.finish();
    ctx.io.err(
      `vcf-cds: ${label}; ${n} patients as NDJSON${out ? ` in ${out}` : ''}, each with a biopsy reference Observation, tagged HTEST.\n`,
    );
    return 0;
  }

  prepareDirectory(out);
  const csv = [`# ${label}`, 'patient_id,reference,level'];
  let i = 0;
  for (const p of simulateCohort(n, seed)) {
    writeText(join(out, `${p.patientId}.bundle.json`), `${JSON.stringify(p.bundle, null, 1)}\n`);
    csv.push(`${p.patientId},${p.truth},${p.level}`);
    counter.tick(++i);
  }
  counter.finish();
  writeText(join(out, 'reference.csv'), `${csv.join('\n')}\n`);
  ctx.io.err(
    `vcf-cds: ${label}; ${n} transaction Bundles and reference.csv in ${out}, tagged HTEST.\n`,
  );
  return 0;
}
