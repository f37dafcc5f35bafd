/**
 * Engine throughput: assessments per second for a full 14-finding level on one core
 * (issue target: >= 100,000/s on the 2-core development machine). Prints figures; asserts nothing.
 * Usage: npm run bench:engine [-- --seconds 3] [-- --json]
 */
import { availableParallelism, cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { assessLevel, type Finding } from '../src/engine/index.js';
import { classicMetastatic } from '../test/engine/fixtures.js';

/** A full level: all 14 findings (every sign but the reference ADC), the classic metastatic picture. */
export const FULL_LEVEL: readonly Finding[] = classicMetastatic;

/** Runs assessLevel in a tight loop for `seconds` and returns assessments per second. */
export function measureEngine(seconds: number): {
  perSecond: number;
  iterations: number;
  meanMicros: number;
} {
  const input = { findings: FULL_LEVEL };
  for (let i = 0; i < 20_000; i++) assessLevel(input); // warm-up: let the JIT settle
  let iterations = 0;
  let sink = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  while (performance.now() < end) {
    for (let i = 0; i < 1000; i++) sink += assessLevel(input).probabilityMalignant;
    iterations += 1000;
  }
  const elapsed = (performance.now() - start) / 1000;
  if (sink < 0) console.log(sink); // keeps the result alive
  return { perSecond: iterations / elapsed, iterations, meanMicros: (elapsed * 1e6) / iterations };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = process.argv.indexOf('--seconds');
  const seconds = arg > 0 ? Number(process.argv[arg + 1]) : 3;
  const r = measureEngine(seconds);
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify({ engineAssessmentsPerSecond: Math.round(r.perSecond), ...r, cpu }));
  } else {
    console.log(`machine: ${cpu}, ${availableParallelism()} cores, node ${process.version}`);
    console.log(
      `engine: ${Math.round(r.perSecond).toLocaleString('en')} assessments/s on one core`,
    );
    console.log(
      `        (${r.iterations.toLocaleString('en')} full 14-finding levels, ${r.meanMicros.toFixed(2)} us each)`,
    );
    console.log(`target: >= 100,000/s -> ${r.perSecond >= 100_000 ? 'met' : 'MISSED'}`);
  }
}
