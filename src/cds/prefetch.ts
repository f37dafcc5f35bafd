/**
 * Gathers the data a service needs: prefetch first, the client's FHIR server second.
 * - a key present with a value: used as is;
 * - a key present and null: "no data" (not fetched);
 * - a key absent, or holding only an OperationOutcome: fetched from fhirServer, concurrently;
 * - data that cannot be obtained: 412.
 * @see https://cds-hooks.hl7.org/2.0/#prefetch-template (and CDS-HOOKS-NOTES.md)
 */
import { MAX_JSON_DEPTH, nestedDeeperThan } from '../fhir/index.js';
import { cdsError, type CdsError } from './outcome.js';
import { isFetchFailure, type FhirFetcher } from './fhir-server.js';
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

function isOperationOutcome(x: unknown): boolean {
  return (x as { resourceType?: unknown })?.resourceType === 'OperationOutcome';
}

/**
 * `bodyParsed`: the request came from JSON.parse and was checked with nestedDeeperThan (the HTTP
 * adapter does both), so its prefetch values need no walk to prove they are JSON data.
 */
export async function gatherData(
  request: HookRequest,
  fetcher: FhirFetcher,
  bodyParsed = false,
): Promise<GatheredData | CdsError> {
  const keys = Object.keys(PREFETCH) as PrefetchKey[];
  const prefetch = request.prefetch ?? {};
  const items: unknown[] = [];
  const origin = {} as Record<PrefetchKey, 'prefetch' | 'prefetch-null' | 'fhir-server'>;
  const toFetch: PrefetchKey[] = [];
  for (const key of keys) {
    const value = Object.hasOwn(prefetch, key) ? prefetch[key] : undefined;
    if (value === null) {
      origin[key] = 'prefetch-null';
    } else if (value !== undefined && !isOperationOutcome(value)) {
      origin[key] = 'prefetch';
      items.push(value);
    } else {
      toFetch.push(key);
    }
  }
  if (toFetch.length === 0) return { items, jsonParsed: bodyParsed, origin };

  const server = request.fhirServer;
  if (server === undefined) {
    return cdsError(
      'data-unavailable',
      `Prefetch ${toFetch.map((k) => `"${k}"`).join(', ')} missing (or an OperationOutcome) and no fhirServer to fetch it from.`,
    );
  }
  const token = request.fhirAuthorization?.access_token;
  const results = await Promise.all(
    toFetch.map((key) =>
      fetcher({
        fhirServer: server,
        query: renderTemplate(PREFETCH[key], request),
        ...(token ? { accessToken: token } : {}),
      }),
    ),
  );
  const failures: string[] = [];
  let jsonParsed = bodyParsed;
  results.forEach((r, i) => {
    const key = toFetch[i] as PrefetchKey;
    if (isFetchFailure(r)) {
      failures.push(`"${key}": ${r.detail}`);
    } else {
      origin[key] = 'fhir-server';
      items.push(...r);
      // Parsed by the FHIR client; a page nested too deep is left for the walk to name.
      if (r.some((page) => nestedDeeperThan(page, MAX_JSON_DEPTH))) jsonParsed = false;
    }
  });
  if (failures.length > 0) {
    return cdsError(
      'data-unavailable',
      `Could not obtain the data from fhirServer: ${failures.join('; ')}.`,
    );
  }
  return { items, jsonParsed, origin };
}
