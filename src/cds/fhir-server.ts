/**
 * Fetching what the client did not prefetch from its `fhirServer`, with fhir-kit-client: the
 * client's access token as bearer, one timeout per query, `next` links followed. The token is
 * transient: it is never stored or logged.
 * @see https://cds-hooks.hl7.org/2.0/#fhir-resource-access
 */
import { Client } from 'fhir-kit-client';

export interface FetchRequest {
  readonly fhirServer: string;
  readonly accessToken?: string;
  /** Relative query, e.g. "Observation?patient=123&code=...". */
  readonly query: string;
}

export type FetchFailure = {
  readonly kind: 'fetch-failure';
  readonly reason:
    'timeout' | 'unreachable' | 'http-error' | 'not-json' | 'not-fhir' | 'too-many-pages';
  readonly status?: number;
  readonly detail: string;
};

/** Fetches a query and returns every page (or the single resource) as parsed JSON. */
export type FhirFetcher = (request: FetchRequest) => Promise<unknown[] | FetchFailure>;

export function isFetchFailure(x: unknown): x is FetchFailure {
  return typeof x === 'object' && x !== null && (x as { kind?: unknown }).kind === 'fetch-failure';
}

function nextLink(bundle: unknown): string | undefined {
  const links = (bundle as { link?: unknown }).link;
  if (!Array.isArray(links)) return undefined;
  const next = links.find((l: unknown) => (l as { relation?: unknown })?.relation === 'next') as
    { url?: unknown } | undefined;
  return typeof next?.url === 'string' ? next.url : undefined;
}

function failure(reason: FetchFailure['reason'], detail: string, status?: number): FetchFailure {
  return { kind: 'fetch-failure', reason, detail, ...(status !== undefined ? { status } : {}) };
}

function classify(error: unknown, timedOut: boolean): FetchFailure {
  if (timedOut) return failure('timeout', 'the FHIR server did not answer in time');
  const e = error as { response?: { status?: unknown }; name?: unknown; message?: unknown };
  if (typeof e?.response?.status === 'number' && e.response.status < 300) {
    // fhir-kit-client reports a 2xx body it could not parse as a response error.
    return failure('not-json', 'the FHIR server answered with something that is not JSON');
  }
  if (typeof e?.response?.status === 'number') {
    return failure(
      'http-error',
      `the FHIR server answered HTTP ${e.response.status}`,
      e.response.status,
    );
  }
  if (e?.name === 'SyntaxError' || (typeof e?.message === 'string' && /JSON/i.test(e.message))) {
    return failure('not-json', 'the FHIR server answered with something that is not JSON');
  }
  return failure('unreachable', 'the FHIR server could not be reached');
}

/**
 * A fetcher with a timeout per query (covering all of its pages) and a bound on pages. Pages are
 * followed only on the fhirServer's own origin, so the bearer token never leaves for another host.
 */
export function createFhirFetcher(options: { timeoutMs: number; maxPages: number }): FhirFetcher {
  return async ({ fhirServer, accessToken, query }) => {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, options.timeoutMs);
    try {
      const client = new Client({
        baseUrl: fhirServer,
        customHeaders: {
          Accept: 'application/fhir+json',
          ...(accessToken ? { Authorization: `Bearer ${accessToken}` } : {}),
        },
      });
      const origin = new URL(fhirServer).origin;
      const pages: unknown[] = [];
      let url: string | undefined = query;
      while (url !== undefined) {
        if (pages.length >= options.maxPages) {
          return failure('too-many-pages', `more than ${options.maxPages} pages of results`);
        }
        const page: unknown = await client.request(url, { options: { signal: controller.signal } });
        if (
          typeof page !== 'object' ||
          page === null ||
          typeof (page as { resourceType?: unknown }).resourceType !== 'string'
        ) {
          return failure(
            'not-fhir',
            'the FHIR server answered with JSON that is not a FHIR resource',
          );
        }
        pages.push(page);
        const next = nextLink(page);
        url = next !== undefined && new URL(next, fhirServer).origin === origin ? next : undefined;
      }
      return pages;
    } catch (error) {
      return classify(error, timedOut);
    } finally {
      clearTimeout(timer);
    }
  };
}
