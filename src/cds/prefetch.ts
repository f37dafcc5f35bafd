/**
 * Gathers the data a service needs: prefetch first, the client's FHIR server second.
 * - a key present with a value: used as is;
 * - a key present and null: "no data" (not fetched);
 * - a key absent, holding an OperationOutcome, or a Bundle with an error OperationOutcome among
 *   its entries (the EHR's query failed, wholly or in part): fetched from fhirServer, concurrently;
 * - data that cannot be obtained: 412; so is a server's answer that holds nothing but an error
 *   OperationOutcome (HTTP 200 or not). A server's answer with data and an error OperationOutcome
 *   is used, and the card says the data may be incomplete (the FHIR layer's dataIncomplete).
 * @see https://cds-hooks.hl7.org/2.0/#prefetch-template (and CDS-HOOKS-NOTES.md)
 */
import {
  checkOutcomes,
  isOperationOutcome,
  MAX_JSON_DEPTH,
  nestedDeeperThan,
} from '../fhir/index.js';
import { appError, type AppError } from '../app/errors.js';
import { isFetchFailure, nextLink, originOf, type FhirFetcher } from '../fhir/fetch/fhir-server.js';
import type { HookRequest } from './request.js';
import { PREFETCH, type PrefetchKey } from './services.js';

export interface GatheredData {
  /** Resources and Bundles as received, unpacked later by the FHIR layer. */
  readonly items: readonly unknown[];
  /**
   * The items are all JSON.parse output within MAX_JSON_DEPTH (see ExtractionOptions.jsonParsed):
   * the request body was (the caller says so) and every fetched page nests no deeper.
   */
  readonly jsonParsed: boolean;
  /** Which keys came from where, for the audit and the logs (never the data itself). */
  readonly origin: Readonly<Record<PrefetchKey, 'prefetch' | 'prefetch-null' | 'fhir-server'>>;
}

/** Replaces the prefetch tokens the spec allows; values are URL-encoded. */
export function renderTemplate(template: string, request: HookRequest): string {
  return template.replace(/\{\{\s*context\.(\w+)\s*\}\}/g, (_m, key: string) => {
    const value = (request.context as Readonly<Record<string, unknown>>)[key];
    return typeof value === 'string' ? encodeURIComponent(value) : '';
  });
}

/**
 * A prefetched value that stands where data should be but is none, or is cut short: a bare
 * OperationOutcome (any severity: there is no data beside it), or a Bundle holding an error one.
 */
function failedPrefetch(value: unknown): boolean {
  return isOperationOutcome(value) || checkOutcomes([value]).error;
}

/** The `next` link of a prefetched searchset Bundle, or undefined (not a paged search). */
function nextPage(value: unknown): string | undefined {
  const bundle = value as { resourceType?: unknown; type?: unknown } | null;
  return bundle?.resourceType === 'Bundle' && bundle.type === 'searchset'
    ? nextLink(bundle)
    : undefined;
}

/** The link's URL when it is on the fhirServer's own origin (the token goes nowhere else). */
function sameOrigin(link: string, server: string): string | undefined {
  const origin = originOf(server);
  return origin !== undefined && originOf(link, server) === origin
    ? new URL(link, server).href
    : undefined;
}

/** One query to run on the fhirServer: a prefetch key's template, or a prefetched page's next link. */
interface Query {
  readonly key: PrefetchKey;
  readonly query: string;
  /** A continuation of a prefetched search (the key stays 'prefetch' in the origin record). */
  readonly continues: boolean;
}

/**
 * `bodyParsed`: the request came from JSON.parse and was checked with nestedDeeperThan (the HTTP
 * adapter does both), so its prefetch values need no walk to prove they are JSON data.
 *
 * A prefetched search holding a `next` link is followed on the fhirServer (same origin only), as
 * CDS Hooks asks of paged prefetch: findings on the later pages count like the first. Without a
 * fhirServer, or with a link to another host, the first page is used and the card says that later
 * pages were not read (the FHIR layer's note).
 */
export async function gatherData(
  request: HookRequest,
  fetcher: FhirFetcher,
  bodyParsed = false,
): Promise<GatheredData | AppError> {
  const keys = Object.keys(PREFETCH) as PrefetchKey[];
  const prefetch = request.prefetch ?? {};
  const server = request.fhirServer;
  const items: unknown[] = [];
  const origin = {} as Record<PrefetchKey, 'prefetch' | 'prefetch-null' | 'fhir-server'>;
  const queries: Query[] = [];
  const missing: PrefetchKey[] = [];
  for (const key of keys) {
    const value = Object.hasOwn(prefetch, key) ? prefetch[key] : undefined;
    if (value === null) {
      origin[key] = 'prefetch-null';
    } else if (value !== undefined && !failedPrefetch(value)) {
      origin[key] = 'prefetch';
      items.push(value);
      const next = nextPage(value);
      const query =
        next !== undefined && server !== undefined ? sameOrigin(next, server) : undefined;
      if (query !== undefined) queries.push({ key, query, continues: true });
    } else {
      missing.push(key);
      queries.push({ key, query: renderTemplate(PREFETCH[key], request), continues: false });
    }
  }
  if (queries.length === 0) return { items, jsonParsed: bodyParsed, origin };

  if (server === undefined) {
    return appError(
      'data-unavailable',
      `Prefetch ${missing.map((k) => `"${k}"`).join(', ')} missing (or an OperationOutcome: the EHR could not get it, wholly or in part) and no fhirServer to fetch it from.`,
    );
  }
  const token = request.fhirAuthorization?.access_token;
  const results = await Promise.all(
    queries.map((q) =>
      fetcher({ fhirServer: server, query: q.query, ...(token ? { accessToken: token } : {}) }),
    ),
  );
  const failures: string[] = [];
  let jsonParsed = bodyParsed;
  results.forEach((r, i) => {
    const q = queries[i] as Query;
    const what = `"${q.key}"${q.continues ? ' (its next page)' : ''}`;
    if (isFetchFailure(r)) {
      failures.push(`${what}: ${r.detail}`);
    } else if (checkOutcomes(r).errorOnly) {
      // The server's own words stay out of the answer: they may name the patient.
      failures.push(`${what}: the FHIR server answered with an error OperationOutcome, no data`);
    } else {
      if (!q.continues) origin[q.key] = 'fhir-server';
      items.push(...r);
      // Parsed by the FHIR client; a page nested too deep is left for the walk to name.
      if (r.some((page) => nestedDeeperThan(page, MAX_JSON_DEPTH))) jsonParsed = false;
    }
  });
  if (failures.length > 0) {
    return appError(
      'data-unavailable',
      `Could not obtain the data from fhirServer: ${failures.join('; ')}.`,
    );
  }
  return { items, jsonParsed, origin };
}
