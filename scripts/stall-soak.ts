/**
 * Stall soak (issue 15; not part of `npm test`): the service on a private PostgreSQL under a steady
 * load of patient-view calls (with prefetch) and feedback reports, with the whole cluster frozen
 * (SIGSTOP) for a while in the middle, as a paused VM or a frozen disk would. Then every answer is
 * checked against the database: a 200 must have exactly one row, any other answer none (except the
 * ambiguous case, a COMMIT sent whose acknowledgement was lost, counted apart). Every request that
 * was not answered 200 is then retried once, and every 200 once more: retries add no row.
 *
 *   npx tsx scripts/stall-soak.ts
 *
 * Settings (environment): SOAK_RATE requests a second, half of each kind (80); SOAK_SECONDS (60);
 * SOAK_STALL_AT seconds into the run (20); SOAK_STALL_SECONDS (20); STORE_DEADLINE_MS passed to the
 * service (its default when unset).
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { openSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { benchRequestBody } from './bench-fixtures.js';
import { freePort, startTestPostgres } from './test-postgres.js';

const RATE = Number(process.env['SOAK_RATE'] ?? 80);
const SECONDS = Number(process.env['SOAK_SECONDS'] ?? 60);
const STALL_AT = Number(process.env['SOAK_STALL_AT'] ?? 20);
const STALL_SECONDS = Number(process.env['SOAK_STALL_SECONDS'] ?? 20);
const ROOT = new URL('..', import.meta.url).pathname;

interface Sent {
  readonly kind: 'patient-view' | 'feedback';
  /** hookInstance or card: what the row is found by. */
  readonly key: string;
  readonly body: string;
  readonly at: number;
  status?: number;
  ms?: number;
}

/** The PIDs of the cluster this process started: its postmaster, then every child of it. */
function clusterPids(): number[] {
  const base = '/tmp';
  for (const name of readdirSync(base).filter((n) => n.startsWith('vcf-pg-'))) {
    try {
      if (Number(readFileSync(join(base, name, 'owner.pid'), 'utf8')) !== process.pid) continue;
      const postmaster = Number(
        readFileSync(join(base, name, 'data', 'postmaster.pid'), 'utf8').split('\n')[0],
      );
      const children = readdirSync('/proc')
        .filter((p) => /^\d+$/.test(p))
        .filter((p) => {
          try {
            const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
            return Number(stat.split(') ')[1]?.split(' ')[1]) === postmaster;
          } catch {
            return false;
          }
        })
        .map(Number);
      return [postmaster, ...children];
    } catch {
      // Not ours.
    }
  }
  throw new Error('the cluster started by this run was not found under /tmp');
}

function signal(pids: readonly number[], sig: 'SIGSTOP' | 'SIGCONT'): void {
  for (const pid of pids) {
    try {
      process.kill(pid, sig);
    } catch {
      // A backend that ended meanwhile.
    }
  }
}

async function waitReady(url: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} never became ready`);
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function send(base: string, s: Sent): Promise<Sent> {
  const path =
    s.kind === 'patient-view'
      ? '/cds-services/vcf-assessment'
      : '/cds-services/vcf-assessment/feedback';
  const t0 = performance.now();
  try {
    const res = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: s.body,
      signal: AbortSignal.timeout(60_000),
    });
    await res.arrayBuffer();
    s.status = res.status;
  } catch {
    s.status = 0; // no answer at all
  }
  s.ms = performance.now() - t0;
  return s;
}

function request(kind: Sent['kind'], at: number): Sent {
  const key = randomUUID();
  const body =
    kind === 'patient-view'
      ? { ...benchRequestBody({ prefetch: true }), hookInstance: key }
      : {
          feedback: [
            { card: key, outcome: 'accepted', outcomeTimestamp: new Date().toISOString() },
          ],
        };
  return { kind, key, body: JSON.stringify(body), at };
}

function histogram(list: readonly Sent[]): string {
  const counts = new Map<number, number>();
  for (const s of list) counts.set(s.status ?? -1, (counts.get(s.status ?? -1) ?? 0) + 1);
  return [...counts.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([status, n]) => `${status}: ${n}`)
    .join(', ');
}

/** Rows per key: audit records by hookInstance, feedback by card. */
async function rowsOf(db: pg.Client, list: readonly Sent[]): Promise<Map<string, number>> {
  const rows = new Map<string, number>();
  for (const [kind, table, column] of [
    ['patient-view', 'audit', 'hook_instance'],
    ['feedback', 'feedback', 'card'],
  ] as const) {
    const keys = list.filter((s) => s.kind === kind).map((s) => s.key);
    const found = await db.query<{ key: string; n: string }>(
      `SELECT ${column} AS key, count(*) AS n FROM ${table} WHERE ${column} = ANY($1) GROUP BY 1`,
      [keys],
    );
    for (const r of found.rows) rows.set(r.key, Number(r.n));
  }
  return rows;
}

async function main(): Promise<void> {
  const server = await startTestPostgres(process.env, () => undefined);
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  await admin.query('CREATE DATABASE vcf_soak');
  await admin.end();
  const dbUrl = new URL(server.url);
  dbUrl.pathname = '/vcf_soak';
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: dbUrl.toString(),
      AUDIT_ID_KEY: Buffer.alloc(32, 5).toString('base64'),
      LOG_LEVEL: process.env['SOAK_LOG'] ? 'warn' : 'error',
      // The soak is one address sending everything, retries included: not what the limit is for.
      RATE_LIMIT_ADDRESS_PER_MINUTE: '1000000',
    },
    // SOAK_LOG=<file>: the service's log lines (warnings and errors), for a run that goes wrong.
    stdio: [
      'ignore',
      process.env['SOAK_LOG'] ? openSync(process.env['SOAK_LOG'], 'w') : 'ignore',
      'inherit',
    ],
  });
  const base = `http://127.0.0.1:${port}`;
  const stop = () => {
    child.kill('SIGTERM');
    server.stop();
  };
  try {
    await waitReady(`${base}/readyz`);
    // Warm-up, not measured: the pool fills, V8 compiles the hot paths.
    const warm = Array.from({ length: RATE * 3 }, (_, i) =>
      send(base, request(i % 2 === 0 ? 'patient-view' : 'feedback', 0)),
    );
    await Promise.all(warm);
    const pids = clusterPids();
    console.log(
      `after a 3 s warm-up, load: ${RATE} req/s (half patient-view with prefetch, half feedback) for ${SECONDS} s; ` +
        `PostgreSQL frozen (SIGSTOP, ${pids.length} processes) from ${STALL_AT} s for ${STALL_SECONDS} s; ` +
        `STORE_DEADLINE_MS ${process.env['STORE_DEADLINE_MS'] ?? 'default'}`,
    );

    const all: Promise<Sent>[] = [];
    const readiness: { at: number; status: number }[] = [];
    const t0 = performance.now();
    const total = RATE * SECONDS;
    let stalled = false;
    let resumed = false;
    const probe = setInterval(() => {
      const at = (performance.now() - t0) / 1000;
      void fetch(`${base}/readyz`, { signal: AbortSignal.timeout(10_000) }).then(
        (r) => readiness.push({ at, status: r.status }),
        () => readiness.push({ at, status: 0 }),
      );
    }, 1_000);
    for (let i = 0; i < total; i++) {
      const due = t0 + (i * 1000) / RATE;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const elapsed = (performance.now() - t0) / 1000;
      if (!stalled && elapsed >= STALL_AT) {
        stalled = true;
        // Now, not at start: the backends the pool opened since must be frozen too.
        signal(clusterPids(), 'SIGSTOP');
      }
      if (stalled && !resumed && elapsed >= STALL_AT + STALL_SECONDS) {
        resumed = true;
        signal(clusterPids(), 'SIGCONT');
      }
      all.push(send(base, request(i % 2 === 0 ? 'patient-view' : 'feedback', elapsed)));
    }
    if (!resumed) signal(clusterPids(), 'SIGCONT');
    const results = await Promise.all(all);
    clearInterval(probe);
    const sendSeconds = (performance.now() - t0) / 1000;
    // Let the server finish rolling back what the service gave up on.
    await new Promise((r) => setTimeout(r, 3_000));

    const db = new pg.Client({ connectionString: dbUrl.toString() });
    await db.connect();
    const rows = await rowsOf(db, results);
    const ms = results.map((s) => s.ms ?? 0).sort((a, b) => a - b);
    const during = results.filter((s) => s.at >= STALL_AT && s.at < STALL_AT + STALL_SECONDS);
    const duringMs = during.map((s) => s.ms ?? 0).sort((a, b) => a - b);
    const ok = results.filter((s) => s.status === 200);
    const notOk = results.filter((s) => s.status !== 200);
    const okRight = ok.filter((s) => rows.get(s.key) === 1).length;
    const notOkWithRow = notOk.filter((s) => (rows.get(s.key) ?? 0) > 0);
    const rowsFound = [...rows.values()].reduce((a, b) => a + b, 0);

    console.log(`sent ${results.length} in ${sendSeconds.toFixed(1)} s`);
    console.log(`status histogram: ${histogram(results)}`);
    for (const kind of ['patient-view', 'feedback'] as const)
      console.log(`  ${kind}: ${histogram(results.filter((s) => s.kind === kind))}`);
    console.log(`  sent during the stall (${during.length}): ${histogram(during)}`);
    console.log(
      `latency ms: p50 ${percentile(ms, 50).toFixed(0)}, p99 ${percentile(ms, 99).toFixed(0)}, ` +
        `slowest ${ms[ms.length - 1]?.toFixed(0)}; during the stall p50 ` +
        `${percentile(duringMs, 50).toFixed(0)}, slowest ${duringMs[duringMs.length - 1]?.toFixed(0)}`,
    );
    console.log(
      `rows: expected ${ok.length} (one per 200), found ${rowsFound}; 200 with exactly one row: ` +
        `${okRight}/${ok.length}; answers other than 200 with a row (the ambiguous COMMIT): ` +
        `${notOkWithRow.length}/${notOk.length}`,
    );
    const unready = readiness.filter((r) => r.status !== 200).map((r) => r.at.toFixed(0));
    console.log(`/readyz not ready at seconds: ${unready.join(', ') || 'never'}`);

    // Retries: every answer other than 200 once, and every 200 once more (the EHR never saw it).
    const retried: Sent[] = [];
    const queue = [...notOk, ...ok];
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        for (let s = queue.shift(); s !== undefined; s = queue.shift())
          retried.push(await send(base, { kind: s.kind, key: s.key, body: s.body, at: s.at }));
      }),
    );
    const afterRetry = await rowsOf(db, results);
    const exactlyOne = results.filter((s) => afterRetry.get(s.key) === 1).length;
    console.log(
      `retries: ${histogram(retried)}; keys with exactly one row after the retries: ` +
        `${exactlyOne}/${results.length}`,
    );
    await db.end();
  } finally {
    stop();
  }
}

await main();
process.exit(0);
