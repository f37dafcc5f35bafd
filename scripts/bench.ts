/**
 * `npm run bench`: one run, on this machine, of
 *  - the engine's assessments per second (one core);
 *  - HTTP throughput and latency (p50, p99) of vcf-assessment with a full prefetch (one patient, two
 *    levels, all signs) against a baseline in the same run: a bare express 5 app that parses the
 *    same body and returns a fixed card list;
 *  - the same without prefetch, against a local FHIR server double that answers at once;
 *  - resident memory after the load, and the time from process start to the first response.
 * Prints the figures and ratios and writes them to bench-results.json. Asserts nothing: the
 * targets are read by a person (BENCHMARKS.md).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { measureEngine } from './bench-engine.js';
import { benchRequestBody } from './bench-fixtures.js';
import { projectRoot } from '../src/project-root.js';

const DURATION = Number(process.env['BENCH_SECONDS'] ?? 10);
const CONNECTIONS = Number(process.env['BENCH_CONNECTIONS'] ?? 20);
const ROOT = projectRoot();
/** Unmeasured load before each measured one: a long-running server's JIT-compiled steady state. */
const WARMUP = Number(process.env['BENCH_WARMUP_SECONDS'] ?? 3);

/**
 * Node's flags in package.json's `start` script (`node <flags> dist/src/main.js`): every server of
 * the run is started with them, so the service is measured as `npm start` runs it and the baseline
 * on the same V8 settings.
 */
const START_NODE_FLAGS: readonly string[] = (() => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    scripts: { start: string };
  };
  const words = pkg.scripts.start.split(/\s+/);
  if (words[0] !== 'node') throw new Error(`start script is not "node ...": ${pkg.scripts.start}`);
  return words.slice(1).filter((w) => w.startsWith('--'));
})();

interface Started {
  readonly child: ChildProcess;
  readonly port: number;
  /** Milliseconds from spawn to the first successful response. */
  readonly startMs: number;
}

async function waitFor(url: string, init: RequestInit, deadlineMs: number): Promise<void> {
  const deadline = performance.now() + deadlineMs;
  for (;;) {
    try {
      const r = await fetch(url, init);
      if (r.ok) {
        await r.arrayBuffer();
        return;
      }
    } catch {
      // not listening yet
    }
    if (performance.now() > deadline) throw new Error(`no answer from ${url}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function start(
  script: string,
  port: number,
  env: Record<string, string>,
  probe: { path: string; init: RequestInit },
): Promise<Started> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [...START_NODE_FLAGS, script], {
    cwd: ROOT,
    // The service logs as `npm start` does (info, one line per request), to /dev/null.
    env: { ...process.env, PORT: String(port), ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  await waitFor(`http://127.0.0.1:${port}${probe.path}`, probe.init, 15_000);
  return { child, port, startMs: performance.now() - t0 };
}

/** CPU seconds (user + system, every thread) a process has used so far. */
function cpuSeconds(pid: number | undefined): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  // After the command: state is field 3, utime and stime fields 14 and 15 (proc(5)), in clock ticks.
  const ticks = Number(fields[11]) + Number(fields[12]);
  return ticks / 100;
}

function rssMb(pid: number | undefined): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

/**
 * Requests per second of the fixed-rate run: below what either server sustains on this machine,
 * so its latencies are a request's own cost, not the queue a saturated server builds.
 */
const FIXED_RATE = Number(process.env['BENCH_FIXED_RATE'] ?? 100);

async function load(url: string, body: string, pid: number | undefined, rate?: number) {
  const request = {
    url,
    method: 'POST' as const,
    headers: { 'content-type': 'application/json' },
    body,
  };
  const saturating = { ...request, connections: CONNECTIONS };
  if (rate === undefined && WARMUP > 0) await autocannon({ ...saturating, duration: WARMUP });
  const cpuBefore = cpuSeconds(pid);
  const r = await autocannon(
    rate === undefined
      ? { ...saturating, duration: DURATION }
      : { ...request, connections: 5, duration: DURATION, overallRate: rate },
  );
  const errors = r.errors + r.timeouts + r.non2xx;
  const cpu = cpuSeconds(pid) - cpuBefore;
  return {
    requestsPerSecond: r.requests.average,
    /** Server CPU (all its threads) per answered request: the cost, whatever the parallelism. */
    cpuMsPerRequest: r.requests.total > 0 ? (cpu * 1000) / r.requests.total : NaN,
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    errors,
  };
}

async function stop(s: Started): Promise<void> {
  await new Promise<void>((resolve) => {
    s.child.once('exit', () => resolve());
    s.child.kill('SIGTERM');
  });
}

async function main(): Promise<void> {
  const machine = `${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} cores, node ${process.version}`;
  console.log(`machine: ${machine}`);
  console.log(
    `load: autocannon, ${CONNECTIONS} connections, ${DURATION} s per run after ${WARMUP} s unmeasured`,
  );
  console.log(`node flags (npm start's): ${START_NODE_FLAGS.join(' ') || 'none'}\n`);

  const engine = measureEngine(3);
  console.log(
    `engine        ${Math.round(engine.perSecond).toLocaleString('en')} assessments/s (one core, 14-finding level)`,
  );

  const withPrefetch = JSON.stringify(benchRequestBody({ prefetch: true }));
  const dataDir = mkdtempSync(join(tmpdir(), 'vcf-bench-'));
  const probe = {
    path: '/cds-services/vcf-assessment',
    init: { method: 'POST', headers: { 'content-type': 'application/json' }, body: withPrefetch },
  };

  // Baseline: bare express 5, same body parsing, a fixed card list.
  const baseline = await start(join(ROOT, 'dist/scripts/bench-baseline.js'), 39101, {}, probe);
  const base = await load(
    `http://127.0.0.1:${baseline.port}/cds-services/vcf-assessment`,
    withPrefetch,
    baseline.child.pid,
  );
  const baseFixed = await load(
    `http://127.0.0.1:${baseline.port}/cds-services/vcf-assessment`,
    withPrefetch,
    baseline.child.pid,
    FIXED_RATE,
  );
  await stop(baseline);

  const service = await start(
    join(ROOT, 'dist/src/main.js'),
    39102,
    { DATA_DIR: dataDir, RATE_LIMIT_PER_MINUTE: '100000000' },
    probe,
  );
  const ours = await load(
    `http://127.0.0.1:${service.port}/cds-services/vcf-assessment`,
    withPrefetch,
    service.child.pid,
  );
  const oursFixed = await load(
    `http://127.0.0.1:${service.port}/cds-services/vcf-assessment`,
    withPrefetch,
    service.child.pid,
    FIXED_RATE,
  );

  // Without prefetch: the service fetches from a local FHIR double that answers at once.
  const fhir = await start(
    join(ROOT, 'dist/scripts/bench-fhir-double.js'),
    39103,
    {},
    { path: '/fhir/Patient/bench-patient', init: {} },
  );
  const noPrefetch = JSON.stringify(
    benchRequestBody({ prefetch: false, fhirServer: `http://127.0.0.1:${fhir.port}/fhir` }),
  );
  const fetched = await load(
    `http://127.0.0.1:${service.port}/cds-services/vcf-assessment`,
    noPrefetch,
    service.child.pid,
  );
  const rss = rssMb(service.child.pid);
  await stop(fhir);
  await stop(service);
  rmSync(dataDir, { recursive: true, force: true });

  const ratio = ours.requestsPerSecond / base.requestsPerSecond;
  const p99Ratio = ours.p99Ms / Math.max(base.p99Ms, 1);
  const row = (name: string, r: typeof base) =>
    `${name.padEnd(28)} ${Math.round(r.requestsPerSecond).toString().padStart(7)} req/s   p50 ${String(r.p50Ms).padStart(4)} ms   p99 ${String(r.p99Ms).padStart(4)} ms   CPU ${r.cpuMsPerRequest.toFixed(2)} ms/req   errors ${r.errors}`;
  console.log(row('baseline (bare express)', base));
  console.log(row('vcf-assessment, prefetch', ours));
  console.log(row('vcf-assessment, FHIR fetch', fetched));
  console.log('');
  console.log(`throughput ratio to baseline  ${(ratio * 100).toFixed(0)}%   (target >= 70%)`);
  console.log(
    `p99 ratio to baseline         ${p99Ratio.toFixed(2)}x  (target <= 2x; baseline p99 below 1 ms counts as 1 ms)`,
  );
  console.log(
    `at a fixed ${FIXED_RATE} req/s (below both servers' capacity): baseline p50 ${baseFixed.p50Ms} ms, p99 ${baseFixed.p99Ms} ms; vcf-assessment p50 ${oursFixed.p50Ms} ms, p99 ${oursFixed.p99Ms} ms (${(oursFixed.p99Ms / Math.max(baseFixed.p99Ms, 1)).toFixed(2)}x)`,
  );
  console.log(`p99 without prefetch          ${fetched.p99Ms} ms (target well under 500 ms)`);
  console.log(`RSS after load                ${rss.toFixed(0)} MB (target < 200 MB)`);
  console.log(`start to first response       ${service.startMs.toFixed(0)} ms (target < 1500 ms)`);

  const results = {
    date: new Date().toISOString(),
    machine,
    load: {
      tool: 'autocannon',
      connections: CONNECTIONS,
      durationSeconds: DURATION,
      warmupSeconds: WARMUP,
    },
    nodeFlags: START_NODE_FLAGS,
    engineAssessmentsPerSecond: Math.round(engine.perSecond),
    baseline: base,
    withPrefetch: ours,
    fixedRate: { requestsPerSecond: FIXED_RATE, baseline: baseFixed, withPrefetch: oursFixed },
    withoutPrefetch: fetched,
    throughputRatio: ratio,
    p99Ratio,
    rssMbAfterLoad: rss,
    startToFirstResponseMs: service.startMs,
  };
  writeFileSync(join(ROOT, 'bench-results.json'), JSON.stringify(results, null, 2) + '\n');
  console.log('\nwritten: bench-results.json');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
