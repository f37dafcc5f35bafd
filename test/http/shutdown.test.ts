/**
 * Graceful shutdown (issue 5, item 3), on the real entry point in its own process: on SIGTERM the
 * service stops accepting, finishes the request in flight (its audit record committed before its
 * answer), closes the store and exits 0.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/http/logger.js';
import { projectRoot } from '../../src/project-root.js';
import { openStore } from '../../src/store/index.js';
import { examplePatientId, examplePrefetch, patientView } from '../support/hook-requests.js';

const NAME = 'malignant';
const data = examplePrefetch(NAME) as Record<string, unknown>;
let fhir: Server;
let fhirUrl = '';
let dataDir = '';

beforeAll(async () => {
  // A FHIR server that takes 800 ms to answer: the hook request is in flight when SIGTERM comes.
  fhir = createServer((req, res) => {
    const url = req.url ?? '';
    const body = url.startsWith('/Patient/')
      ? data['patient']
      : url.startsWith('/Observation')
        ? data['findings']
        : data['conditions'];
    setTimeout(() => {
      res.setHeader('content-type', 'application/fhir+json');
      res.end(JSON.stringify(body));
    }, 800);
  });
  await new Promise<void>((r) => fhir.listen(0, '127.0.0.1', r));
  fhirUrl = `http://127.0.0.1:${(fhir.address() as AddressInfo).port}`;
  dataDir = mkdtempSync(join(tmpdir(), 'vcf-shutdown-'));
});
afterAll(() => {
  fhir.closeAllConnections();
  fhir.close();
  rmSync(dataDir, { recursive: true, force: true });
});

function post(port: number, body: unknown): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/cds-services/vcf-assessment',
        headers: { 'content-type': 'application/json' },
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

/** The real entry point in its own process, on `dir`; resolves once it listens. */
async function startMain(dir: string) {
  const child = spawn(
    process.execPath,
    [join(projectRoot(), 'node_modules/tsx/dist/cli.mjs'), 'src/main.ts'],
    {
      cwd: projectRoot(),
      env: {
        ...process.env,
        PORT: '0',
        HOST: '127.0.0.1',
        DATA_DIR: dir,
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const out = { log: '' };
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start: ${out.log}`)), 15_000);
    child.stdout.on('data', (c: Buffer) => {
      out.log += c.toString();
      const m = /"port":(\d+)[^\n]*"msg":"vcf-cds listening"/.exec(out.log);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
  });
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, port, out, exited };
}

async function auditCount(dir: string, hookInstance: string): Promise<number> {
  const store = await openStore({ dataDir: dir }, createLogger('silent'));
  try {
    return (await store.listAudit({ hookInstance })).length;
  } finally {
    await store.close();
  }
}

describe('graceful shutdown', () => {
  it('finishes the request in flight, stores its audit, closes the store and exits 0', async () => {
    const { child, port, out, exited } = await startMain(dataDir);

    const hookInstance = 'a3c1f0de-0b7e-4d1e-9f55-5e2d9a7c0001';
    const inFlight = post(port, {
      ...patientView(examplePatientId(NAME), { fhirServer: fhirUrl }),
      hookInstance,
    });
    await new Promise((r) => setTimeout(r, 300)); // the service is now waiting on the FHIR server
    child.kill('SIGTERM');

    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text).cards[0].extension['vcf-cds-assessment'].level).toBe('T10');
    expect(await exited).toBe(0);
    expect(out.log).toMatch(/"msg":"shutting down"/);
    expect(out.log).toMatch(/"msg":"stopped"/);
    // No longer listening.
    await expect(post(port, patientView('p1'))).rejects.toThrow();
    // The audit record of the request in flight was written before the store closed.
    expect(await auditCount(dataDir, hookInstance)).toBe(1);
  }, 30_000);
});
