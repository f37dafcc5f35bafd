/**
 * Fault tests against real sockets on loopback (no nock in this file, so no interceptor): a FHIR
 * server that is down, slow, drops the connection, or answers garbage.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFhirFetcher, isFetchFailure } from '../../src/cds/fhir-server.js';

let server: Server;
let base = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = req.url ?? '';
    if (url.startsWith('/slow/')) {
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

const fetcher = createFhirFetcher({ timeoutMs: 300, maxPages: 3 });

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
