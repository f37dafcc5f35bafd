/**
 * `assess` and `validate` read NDJSON as a stream and group by patient through batch files on
 * disk (src/cli/patient-batches.ts). Forced onto that path with tiny batches, and fed a file whose
 * patients' resources are NOT contiguous (as a Bulk Data export's per-type files are), they must
 * give exactly what the in-memory path gives on the same data in its natural order, and leave no
 * temporary file behind. Also: --version and --quiet.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/project-root.js';
import { run } from './run-cli.js';

const dir = () => mkdtempSync(join(tmpdir(), 'vcf-cds-stream-'));
const ON_DISK = { batches: { inMemoryBytes: 0, batchSize: 3 } };

/** A simulated cohort in its natural order, and the same lines reordered: every Patient first,
 * then every other resource last-patient-first, biopsy references at the very end. */
function cohorts(n: number): { natural: string; scattered: string } {
  const out = run(['simulate', '--n', String(n), '--seed', '11']).out;
  const lines = out.trim().split('\n');
  const type = (l: string) => (JSON.parse(l) as { resourceType: string }).resourceType;
  const isBiopsy = (l: string) => l.includes('-biopsy"');
  const patients = lines.filter((l) => type(l) === 'Patient');
  const biopsies = lines.filter(isBiopsy);
  const rest = lines.filter((l) => type(l) !== 'Patient' && !isBiopsy(l)).reverse();
  const d = dir();
  const natural = join(d, 'natural.ndjson');
  const scattered = join(d, 'scattered.ndjson');
  writeFileSync(natural, out);
  writeFileSync(scattered, [...patients, ...rest, ...biopsies].join('\n') + '\n');
  return { natural, scattered };
}

/** Batch directories still in the test's TMPDIR. */
const leftBehind = () => readdirSync(tmp).filter((f) => f.startsWith('vcf-cds-batches-'));

let tmpBefore: string | undefined;
let tmp: string;
beforeEach(() => {
  // Batch files go to os.tmpdir(): a fresh one per test shows what is left behind.
  tmpBefore = process.env['TMPDIR'];
  tmp = dir();
  process.env['TMPDIR'] = tmp;
});
afterEach(() => {
  if (tmpBefore === undefined) delete process.env['TMPDIR'];
  else process.env['TMPDIR'] = tmpBefore;
});

describe('streaming NDJSON, grouped by patient on disk', () => {
  it('validate: the same report from scattered resources in batches as from the natural order in memory', () => {
    const { natural, scattered } = cohorts(25);
    const inMemory = run(['validate', natural, '--json']);
    const onDisk = run(['validate', scattered, '--json'], ON_DISK);
    expect(inMemory.code).toBe(0);
    expect(onDisk.code).toBe(0);
    const a = JSON.parse(inMemory.out) as { cases: unknown[]; summary: unknown; source: unknown };
    const b = JSON.parse(onDisk.out) as typeof a;
    expect(a.cases).toHaveLength(25);
    expect(b.cases).toEqual(a.cases);
    expect(b.summary).toEqual(a.summary);
    expect(b.source).toEqual({ ...(a.source as object), path: scattered });
    expect(leftBehind()).toEqual([]);
  });

  it('assess (table and --json): every patient whole, in order of first appearance', () => {
    const { natural, scattered } = cohorts(8);
    for (const json of [[], ['--json']]) {
      const inMemory = run(['assess', natural, ...json]);
      const onDisk = run(['assess', scattered, ...json], ON_DISK);
      expect(onDisk.code).toBe(0);
      expect(onDisk.out.replaceAll(scattered, natural)).toBe(inMemory.out);
    }
    const patients = run(['assess', scattered], ON_DISK).out.match(/^Patient \S+/gm) ?? [];
    expect(patients).toHaveLength(8);
    expect(new Set(patients).size).toBe(8);
    const bundle = JSON.parse(run(['assess', scattered, '--json'], ON_DISK).out) as {
      entry: unknown[];
    };
    expect(bundle.entry.length).toBeGreaterThanOrEqual(8);
    expect(leftBehind()).toEqual([]);
  });

  it('an error half-way (a broken line) still removes the batch files', () => {
    const { natural } = cohorts(6);
    const broken = join(dir(), 'broken.ndjson');
    const lines = readFileSync(natural, 'utf8').trim().split('\n');
    lines.splice(20, 0, '{"resourceType": "Observation", ');
    writeFileSync(broken, lines.join('\n'));
    const r = run(['validate', broken], ON_DISK);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${broken}:21`);
    expect(leftBehind()).toEqual([]);
  });
});

describe('vcf-cds --version and --quiet', () => {
  const version = (
    JSON.parse(readFileSync(join(projectRoot(), 'package.json'), 'utf8')) as { version: string }
  ).version;

  it('--version and -V print the package version, engine and knowledge base', () => {
    for (const flag of ['--version', '-V']) {
      const r = run([flag]);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(
        new RegExp(
          `^vcf-cds ${version.replaceAll('.', '\\.')} \\(engine \\S+, knowledge base \\S+\\)\\n$`,
        ),
      );
      expect(r.err).toBe('');
    }
  });

  it('--quiet (anywhere, or -q) turns the progress bar off and changes nothing else', () => {
    const { natural } = cohorts(60);
    const seen: string[] = [];
    const terminal = {
      isTTY: true,
      columns: 100,
      write: (t: string) => seen.push(t) > 0,
      on: () => terminal,
      once: () => terminal,
      removeListener: () => terminal,
    } as unknown as NodeJS.WritableStream;
    const io = { out: () => undefined, err: () => undefined, interactive: true, terminal };
    expect(run(['validate', natural], { io }).code).toBe(0);
    expect(seen.join('')).toContain('assessed patients [');
    seen.length = 0;
    for (const argv of [
      ['--quiet', 'validate', natural],
      ['validate', natural, '-q'],
    ]) {
      expect(run(argv, { io }).code).toBe(0);
    }
    expect(seen).toEqual([]);
    const quiet = run(['validate', '--quiet', natural]);
    expect(quiet.out).toBe(run(['validate', natural]).out);
  });
});
