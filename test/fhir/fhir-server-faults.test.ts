/**
 * Fault tests against real sockets on loopback (no nock in this file, so no interceptor): a FHIR
 * server that is down, slow, drops the connection, answers garbage, answers too much, redirects,
 * or is not on the allow-list.
 */
import { createServer, type Server } from 'node:http';
import { gzipSync } from 'node:zlib';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFhirFetcher, isFetchFailure } from '../../src/fhir/fetch/fhir-server.js';

let server: Server;
let base = '';
let hits = 0;
/** Bytes the endless server managed to write before the client hung up. */
let endlessWritten = 0;
let endlessClosed: Promise<void> = Promise.resolve();

const LIMIT = 100_000;
const bigBundle = (bytes: number) =>
  JSON.stringify({
    resourceType: 'Bundle',
    type: 'searchset',
    entry: [{ resource: { resourceType: 'Basic', id: 'x'.repeat(bytes) } }],
  });

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = req.url ?? '';
    hits += 1;
    if (url.startsWith('/big/')) {
      // Declares its size: refused before a byte of the body is read.
      res.setHeader('content-type', 'application/fhir+json');
      res.end(bigBundle(LIMIT * 2));
    } else if (url.startsWith('/endless/')) {
      // No Content-Length, 16 KiB chunks for up to 50 MB: the client must hang up early.
      res.setHeader('content-type', 'application/fhir+json');
      endlessWritten = 0;
      endlessClosed = new Promise((resolve) => res.on('close', resolve));
      res.write('{"resourceType":"Bundle","entry":[');
      const chunk = `${'{"resource":{"resourceType":"Basic"}},'.repeat(400)}`;
      const pump = () => {
        while (!res.destroyed && endlessWritten < 50_000_000) {
          endlessWritten += chunk.length;
          if (!res.write(chunk)) {
            res.once('drain', pump);
            return;
          }
        }
        if (!res.destroyed) res.end('{}]}');
      };
      pump();
    } else if (url.startsWith('/gzip/')) {
      // 10 MB of JSON compressed to a few KB: the decompressed bytes count.
      res.setHeader('content-type', 'application/fhir+json');
      res.setHeader('content-encoding', 'gzip');
      res.end(gzipSync(bigBundle(10_000_000)));
    } else if (url.startsWith('/paged/')) {
      // Each page 60% of the limit: the second one passes it (the limit is per query).
      res.setHeader('content-type', 'application/fhir+json');
      const page = JSON.parse(bigBundle(LIMIT * 0.6));
      page.link = [{ relation: 'next', url: `${base}/paged/Observation?page=2` }];
      res.end(JSON.stringify(page));
    } else if (url.startsWith('/redirect/')) {
      res.writeHead(302, { location: `${base}/ok/Patient/p1` });
      res.end();
    } else if (url.startsWith('/slow/')) {
      setTimeout(
        () => res.end(JSON.stringify({ resourceType: 'Patient', id: 'p1' })),
        1500,
      ).unref();
    } else if (url.startsWith('/drop/')) {
      req.socket.destroy();
    } else if (url.startsWith('/garbage/')) {
      res.setHeader('content-type', 'application/fhir+json');
      res.end('{"resourceType": "Bundle", "entry": [ {"resou');
    } else if (url.startsWith('/half/')) {
      res.writeHead(200, { 'content-type': 'application/fhir+json', 'content-length': '1000' });
      res.write('{"resourceType":"Bundle"');
      setTimeout(() => req.socket.destroy(), 20).unref();
    } else {
      res.end(JSON.stringify({ resourceType: 'Patient', id: 'p1' }));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const fetcher = createFhirFetcher({ timeoutMs: 300, maxPages: 3, maxResponseBytes: LIMIT });

describe('a misbehaving FHIR server never crashes the fetch', () => {
  it('answers in time: the resource comes back', async () => {
    const r = await fetcher({ fhirServer: `${base}/ok`, query: 'Patient/p1' });
    expect(r).toEqual([{ resourceType: 'Patient', id: 'p1' }]);
  });

  it.each([
    ['slow (beyond the timeout)', 'slow', 'timeout'],
    ['dropping the connection', 'drop', 'unreachable'],
    ['cut off half-way through the body', 'half', 'unreachable'],
    ['answering truncated JSON', 'garbage', 'not-json'],
  ])('%s', async (_name, path, reason) => {
    const started = Date.now();
    const r = await fetcher({ fhirServer: `${base}/${path}`, query: 'Patient/p1' });
    expect(isFetchFailure(r) && r.reason).toBe(reason);
    expect(Date.now() - started).toBeLessThan(1200);
  });

  it('down (connection refused)', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const r = await fetcher({ fhirServer: `http://127.0.0.1:${port}/r4`, query: 'Patient/p1' });
    expect(isFetchFailure(r) && r.reason).toBe('unreachable');
  });
});

describe('an answer larger than maxResponseBytes (FHIR_MAX_RESPONSE_BYTES) is refused as too-large', () => {
  const tooLarge = async (path: string) => {
    const r = await createFhirFetcher({ timeoutMs: 5000, maxPages: 3, maxResponseBytes: LIMIT })({
      fhirServer: `${base}/${path}`,
      query: 'Observation?patient=p1',
    });
    expect(isFetchFailure(r) && r.reason).toBe('too-large');
    expect(isFetchFailure(r) && r.detail).toMatch(/FHIR_MAX_RESPONSE_BYTES = 100000 bytes/);
  };

  it('declared by Content-Length', async () => {
    await tooLarge('big');
  });

  it('streamed without a length: the connection is dropped soon after the limit', async () => {
    await tooLarge('endless');
    await endlessClosed;
    // The client hung up: far less than the 50 MB the server would have sent (socket buffers
    // account for the slack).
    expect(endlessWritten).toBeLessThan(20_000_000);
  });

  it('compressed: the decompressed size counts (a gzip bomb)', async () => {
    await tooLarge('gzip');
  });

  it('over several pages of one query', async () => {
    await tooLarge('paged');
  });

  it('within the limit: read as before', async () => {
    const r = await createFhirFetcher({
      timeoutMs: 5000,
      maxPages: 1,
      maxResponseBytes: LIMIT * 3,
    })({
      fhirServer: `${base}/big`,
      query: 'Observation?patient=p1',
    });
    expect(isFetchFailure(r)).toBe(false);
  });
});

describe('where the fetcher does not go', () => {
  it('a redirect is not followed (the token and the allow-list stay with the fhirServer)', async () => {
    const before = hits;
    const r = await fetcher({
      fhirServer: `${base}/redirect`,
      accessToken: 't',
      query: 'Patient/p1',
    });
    expect(isFetchFailure(r) && r.reason).toBe('http-error');
    expect(isFetchFailure(r) && r.detail).toMatch(/HTTP 302 \(redirects are not followed\)/);
    expect(hits - before).toBe(1);
  });

  it('a fhirServer whose origin is not allowed: no connection at all', async () => {
    const allowList = createFhirFetcher({
      timeoutMs: 300,
      maxPages: 3,
      allowedOrigins: ['https://ehr.example.org'],
    });
    const before = hits;
    const r = await allowList({ fhirServer: `${base}/ok`, query: 'Patient/p1' });
    expect(isFetchFailure(r) && r.reason).toBe('not-allowed');
    expect(isFetchFailure(r) && r.detail).toMatch(/FHIR_SERVER_ALLOWLIST/);
    expect(hits).toBe(before);
    const ok = createFhirFetcher({ timeoutMs: 300, maxPages: 3, allowedOrigins: [base] });
    expect(await ok({ fhirServer: `${base}/ok`, query: 'Patient/p1' })).toHaveLength(1);
  });
});
