/**
 * Fetching what the client did not prefetch from its `fhirServer`: the client's access token as
 * bearer, one timeout per query, `next` links followed, and at most `maxResponseBytes` read per
 * query. The token is transient: it is never stored or logged.
 *
 * Node's own fetch (undici), not fhir-kit-client: fhir-kit-client reads every answer whole
 * (`response.text()`) and lets no caller see or stop the body, so a 60 MB searchset was held (and
 * parsed, ~10x) before anything could refuse it. Here the body is read as a stream, counted, and
 * the connection dropped the moment the query passes the limit (decompressed bytes, so a gzip bomb
 * is caught too).
 * @see https://cds-hooks.hl7.org/2.0/#fhir-resource-access
 */

/** Default of FHIR_MAX_RESPONSE_BYTES: 5 MiB, as BODY_LIMIT's default (the same data prefetched). */
export const FHIR_MAX_RESPONSE_BYTES_DEFAULT = 5 * 1024 * 1024;

export interface FetchRequest {
  readonly fhirServer: string;
  readonly accessToken?: string;
  /** Relative query, e.g. "Observation?patient=123&code=...". */
  readonly query: string;
}

export type FetchFailure = {
  readonly kind: 'fetch-failure';
  readonly reason:
    | 'timeout'
    | 'unreachable'
    | 'http-error'
    | 'not-json'
    | 'not-fhir'
    | 'too-many-pages'
    | 'too-large'
    | 'not-allowed';
  readonly status?: number;
  readonly detail: string;
};

/** Fetches a query and returns every page (or the single resource) as parsed JSON. */
export type FhirFetcher = (request: FetchRequest) => Promise<unknown[] | FetchFailure>;

export function isFetchFailure(x: unknown): x is FetchFailure {
  return typeof x === 'object' && x !== null && (x as { kind?: unknown }).kind === 'fetch-failure';
}

/** The `next` link of a searchset page, if any. */
export function nextLink(bundle: unknown): string | undefined {
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
  if (error instanceof SyntaxError) {
    return failure('not-json', 'the FHIR server answered with something that is not JSON');
  }
  return failure('unreachable', 'the FHIR server could not be reached');
}

/** The origin of `url` (relative to `base`), or undefined when it is no URL. */
export function originOf(url: string, base?: string): string | undefined {
  try {
    return new URL(url, base).origin;
  } catch {
    return undefined;
  }
}

/**
 * Characters RFC 3986 lets stand in a path or query (unreserved, sub-delims, ":", "@", "/", "?")
 * and percent-escapes already made; anything else is percent-encoded as UTF-8.
 */
const URI_SAFE = /%[0-9A-Fa-f]{2}|[A-Za-z0-9\-._~!$&'()*+,;=:@/?]+/y;

/**
 * The path and query of `url` with every character RFC 3986 forbids there percent-encoded: the
 * token system's `|` of `code=system|` (WHATWG URL parsing and fetch leave `|`, `^`, `[`, `]`, `{`,
 * `}` and `\` raw, and Tomcat, under HAPI FHIR, refuses such a request line with 400). What is
 * already encoded stays as it is, so a server's own `next` link (`%7C`) is not encoded twice.
 */
export function rfc3986(pathAndQuery: string): string {
  let out = '';
  for (let i = 0; i < pathAndQuery.length;) {
    URI_SAFE.lastIndex = i;
    const safe = URI_SAFE.exec(pathAndQuery);
    if (safe) {
      out += safe[0];
      i += safe[0].length;
    } else {
      const char = String.fromCodePoint(pathAndQuery.codePointAt(i) as number);
      // UTF-8 bytes (a lone surrogate becomes U+FFFD's, as WHATWG URL parsing does).
      for (const byte of Buffer.from(char, 'utf8')) {
        out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
      }
      i += char.length;
    }
  }
  return out;
}

/**
 * The URL to request: a query relative to the base URL, as FHIR clients join them, or an absolute
 * URL (a `next` link); its fragment dropped (never sent) and its path and query RFC 3986-clean.
 */
export function requestUrl(base: string, url: string): string {
  const joined = /^https?:\/\//i.test(url)
    ? url
    : `${base.replace(/\/+$/, '')}/${url.replace(/^\/+/, '')}`;
  const parsed = new URL(joined);
  return `${parsed.origin}${rfc3986(parsed.pathname)}${rfc3986(parsed.search)}`;
}

/**
 * The body as text with its size, or undefined once more than `budget` bytes came (the stream is
 * then cancelled, dropping the connection).
 */
async function readCapped(
  response: Response,
  budget: number,
): Promise<{ text: string; bytes: number } | undefined> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > budget) {
    await response.body?.cancel();
    return undefined;
  }
  if (response.body === null) return { text: '', bytes: 0 };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > budget) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  return { text: Buffer.concat(chunks).toString('utf8'), bytes: total };
}

export interface FhirFetcherOptions {
  readonly timeoutMs: number;
  readonly maxPages: number;
  /** Most bytes read for one query, all its pages together (FHIR_MAX_RESPONSE_BYTES). */
  readonly maxResponseBytes?: number;
  /** Origins a fhirServer may have (FHIR_SERVER_ALLOWLIST); undefined: any. */
  readonly allowedOrigins?: readonly string[] | undefined;
}

/**
 * A fetcher with a timeout per query (covering all of its pages), a bound on pages and on bytes.
 * Pages are followed only on the fhirServer's own origin, so the bearer token never leaves for
 * another host; redirects are not followed either (the same reason, and the allow-list's).
 */
export function createFhirFetcher(options: FhirFetcherOptions): FhirFetcher {
  const maxBytes = options.maxResponseBytes ?? FHIR_MAX_RESPONSE_BYTES_DEFAULT;
  const allowed = options.allowedOrigins;
  return async ({ fhirServer, accessToken, query }) => {
    const origin = originOf(fhirServer);
    if (origin === undefined) return failure('unreachable', 'the fhirServer URL cannot be parsed');
    if (allowed !== undefined && !allowed.includes(origin)) {
      return failure(
        'not-allowed',
        `the fhirServer origin ${origin} is not on this service's allow-list (FHIR_SERVER_ALLOWLIST)`,
      );
    }
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, options.timeoutMs);
    const headers: Record<string, string> = {
      Accept: 'application/fhir+json',
      ...(accessToken ? { Authorization: `Bearer ${accessToken}` } : {}),
    };
    try {
      const pages: unknown[] = [];
      let budget = maxBytes;
      let url: string | undefined = query;
      while (url !== undefined) {
        if (pages.length >= options.maxPages) {
          return failure('too-many-pages', `more than ${options.maxPages} pages of results`);
        }
        const response = await fetch(requestUrl(fhirServer, url), {
          headers,
          signal: controller.signal,
          redirect: 'manual',
        });
        if (!response.ok) {
          await response.body?.cancel();
          const redirect = response.status >= 300 && response.status < 400;
          return failure(
            'http-error',
            `the FHIR server answered HTTP ${response.status}${redirect ? ' (redirects are not followed)' : ''}`,
            response.status,
          );
        }
        const read = await readCapped(response, budget);
        if (read === undefined) {
          return failure(
            'too-large',
            `the FHIR server's answer is larger than this service reads for one query (FHIR_MAX_RESPONSE_BYTES = ${maxBytes} bytes)`,
          );
        }
        budget -= read.bytes;
        const page: unknown = JSON.parse(read.text);
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
        url = next !== undefined && originOf(next, fhirServer) === origin ? next : undefined;
      }
      return pages;
    } catch (error) {
      return classify(error, timedOut);
    } finally {
      clearTimeout(timer);
    }
  };
}
