/**
 * Configuration: read once from the environment at start, validated, frozen, passed down.
 * Nothing else reads process.env (ARCHITECTURE.md). Every key is listed in the README.
 */
import { isIP } from 'node:net';
import { parseIssuers, type TrustedIssuer } from './client-issuers.js';
import { FHIR_MAX_RESPONSE_BYTES_DEFAULT } from '../fhir/fetch/fhir-server.js';
import { RATE_LIMIT_DEFAULTS, type RateLimits } from './rate-limits.js';
import { parseAuditIdKey } from './audit-id-key-format.js';
import { STORE_DEADLINE_MS_DEFAULT } from './store-deadline.js';
import { loadClinicalSettings, type ClinicalSettings } from './clinical-settings.js';
import { envReader, isPositiveInteger, type Env } from './env-reader.js';

export interface Config extends ClinicalSettings {
  readonly port: number;
  readonly host: string | undefined;
  /**
   * METRICS_PORT: when set, /metrics is served on this port alone (its own listener, same HOST)
   * and no longer on `port`, the one a load balancer or ingress publishes.
   */
  readonly metricsPort: number | undefined;
  /** Public URL of this service, e.g. https://cds.example.org (the JWT `aud`). */
  readonly publicBaseUrl: string | undefined;
  readonly fhir: {
    readonly timeoutMs: number;
    readonly maxPages: number;
    /** Most bytes read from a client's FHIR server for one query, all its pages together. */
    readonly maxResponseBytes: number;
    /** FHIR_SERVER_ALLOWLIST as origins; undefined: any fhirServer (sandboxes, local use). */
    readonly allowedOrigins: readonly string[] | undefined;
  };
  readonly http: {
    readonly bodyLimit: string;
    readonly corsOrigins: readonly string[] | '*';
    /** Requests a minute per authenticated client and per anonymous address (rate-limit.ts). */
    readonly rateLimit: RateLimits;
    /**
     * Express's `trust proxy`: false, the number of proxies in front (hops), or the addresses /
     * CIDR ranges of the proxies. Never "trust everything", which would let a client choose its
     * own address (the rate-limit key) with X-Forwarded-For.
     */
    readonly trustProxy: TrustProxy;
  };
  /** The backend, and STORE_DEADLINE_MS: the most store time one request may take, all calls together. */
  readonly store: ({ readonly dataDir: string } | { readonly postgresUrl: string }) & {
    readonly deadlineMs: number;
  };
  /**
   * AUDIT_ID_KEY decoded: the secret of the audit's patient id hash. Unset with SQLite: a key kept
   * in DATA_DIR is used (src/store/audit-id-key.ts); required with PostgreSQL.
   */
  readonly auditIdKey: Uint8Array | undefined;
  /** CDS client authentication (README "Security"): the trusted issuers, parsed and checked. */
  readonly auth: { readonly enabled: boolean; readonly issuers: readonly TrustedIssuer[] };
  readonly logLevel: string;
  /** Serve the /playground page (synthetic data; its requests are audited like any other). */
  readonly playground: boolean;
}

export type TrustProxy = false | number | readonly string[];

/** Names express (proxy-addr) accepts for well-known ranges. */
const PROXY_RANGE_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

function isAddressOrCidr(item: string): boolean {
  if (PROXY_RANGE_NAMES.includes(item)) return true;
  const [address, prefix, ...rest] = item.split('/');
  const version = isIP(address ?? '');
  if (version === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128);
}

/** TRUST_PROXY: unset/false, a hop count, or a comma-separated list of addresses and CIDRs. */
function trustProxySetting(read: ReturnType<typeof envReader>): TrustProxy {
  const raw = read.text('TRUST_PROXY');
  if (raw === undefined || ['false', 'no', 'off', '0'].includes(raw.toLowerCase())) return false;
  if (['true', 'yes', 'on'].includes(raw.toLowerCase())) {
    read.errors.push(
      'TRUST_PROXY=true would trust every X-Forwarded-For entry, which a client can forge (its rate-limit key); give the number of proxies in front of the service (e.g. 1) or their addresses / CIDR ranges',
    );
    return false;
  }
  if (/^\d+$/.test(raw)) {
    const hops = Number(raw);
    if (hops <= 10) return hops;
  }
  const items = raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const bad = items.filter((i) => !isAddressOrCidr(i));
  if (items.length === 0 || bad.length > 0) {
    read.errors.push(
      `TRUST_PROXY=${JSON.stringify(raw)}: expected false, a number of proxies (1-10) or a comma-separated list of proxy addresses / CIDR ranges (${PROXY_RANGE_NAMES.join(', ')} allowed)`,
    );
    return false;
  }
  return items;
}

/**
 * RATE_LIMIT_CLIENT_PER_MINUTE and RATE_LIMIT_ADDRESS_PER_MINUTE. RATE_LIMIT_PER_MINUTE, the one
 * limit of earlier releases, still sets both when given (startupWarnings names the new settings).
 */
function rateLimits(read: ReturnType<typeof envReader>): RateLimits {
  const legacy = read.num('RATE_LIMIT_PER_MINUTE', 0, isPositiveInteger, POSITIVE_INTEGER);
  const legacyOr = (fallback: number) => (legacy > 0 ? legacy : fallback);
  return {
    clientPerMinute: read.num(
      'RATE_LIMIT_CLIENT_PER_MINUTE',
      legacyOr(RATE_LIMIT_DEFAULTS.clientPerMinute),
      isPositiveInteger,
      POSITIVE_INTEGER,
    ),
    addressPerMinute: read.num(
      'RATE_LIMIT_ADDRESS_PER_MINUTE',
      legacyOr(RATE_LIMIT_DEFAULTS.addressPerMinute),
      isPositiveInteger,
      POSITIVE_INTEGER,
    ),
    legacySetting: legacy > 0,
  };
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const POSITIVE_INTEGER = 'expected a positive integer';

/** The CDS client authentication settings; the JWT audience needs PUBLIC_BASE_URL. */
function authSettings(read: ReturnType<typeof envReader>, publicBaseUrl: string | undefined) {
  const enabled = read.bool('CDS_CLIENT_AUTH', false);
  if (!enabled) return { enabled, issuers: [] };
  let issuers: readonly TrustedIssuer[] = [];
  const json = read.text('CDS_CLIENT_ISSUERS');
  if (json === undefined)
    read.errors.push('CDS_CLIENT_AUTH is on but CDS_CLIENT_ISSUERS is not set');
  else {
    const parsed = parseIssuers(json);
    read.errors.push(...parsed.errors);
    issuers = parsed.issuers;
  }
  // Derived from the Host header instead, a token minted for another service trusting the same
  // EHR could be replayed here.
  if (publicBaseUrl === undefined) {
    read.errors.push('CDS_CLIENT_AUTH is on but PUBLIC_BASE_URL is not set (the JWT audience)');
  }
  return { enabled, issuers };
}

/**
 * FHIR_SERVER_ALLOWLIST: comma-separated origins (scheme, host, port; no path), each normalised as
 * URL.origin gives it, so "https://EHR.example:443" matches a fhirServer "https://ehr.example/r4".
 */
function allowedOrigins(read: ReturnType<typeof envReader>): readonly string[] | undefined {
  const raw = read.text('FHIR_SERVER_ALLOWLIST');
  if (raw === undefined) return undefined;
  const origins: string[] = [];
  const items = raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  for (const item of items) {
    let url: URL | undefined;
    try {
      url = new URL(item);
    } catch {
      url = undefined;
    }
    if (
      url === undefined ||
      !/^https?:$/.test(url.protocol) ||
      (url.pathname !== '/' && url.pathname !== '') ||
      url.search !== '' ||
      url.hash !== '' ||
      url.username !== ''
    ) {
      read.errors.push(
        `FHIR_SERVER_ALLOWLIST: ${JSON.stringify(item)} is not an origin (e.g. https://ehr.example.org:8443)`,
      );
    } else origins.push(url.origin);
  }
  if (items.length === 0) {
    read.errors.push('FHIR_SERVER_ALLOWLIST is set but names no origin');
  }
  return origins;
}

/** METRICS_PORT: a port number other than PORT's, or undefined (metrics on the service's port). */
function metricsPort(read: ReturnType<typeof envReader>, servicePort: number): number | undefined {
  if (read.text('METRICS_PORT') === undefined) return undefined;
  const isPort = (n: number) => Number.isInteger(n) && n >= 1 && n < 65536;
  const port = read.num('METRICS_PORT', 0, isPort, 'expected a port number (1-65535)');
  if (port === 0) return undefined;
  if (port === servicePort) {
    read.errors.push(
      `METRICS_PORT=${port} is PORT too: give the metrics a port of their own, or unset METRICS_PORT`,
    );
    return undefined;
  }
  return port;
}

/** Reads the environment; `errors` names every problem (start-up stops on any). */
export function loadConfig(env: Env): { config: Config; errors: string[] } {
  const clinical = loadClinicalSettings(env);
  const read = envReader(env);

  const publicBaseUrl = read.text('PUBLIC_BASE_URL')?.replace(/\/+$/, '') || undefined;
  if (publicBaseUrl !== undefined && !/^https?:\/\/[^/]+/.test(publicBaseUrl)) {
    read.errors.push(`PUBLIC_BASE_URL=${JSON.stringify(publicBaseUrl)}: expected an http(s) URL`);
  }
  const cors = read.text('CORS_ORIGINS');
  const bodyLimit = read.text('BODY_LIMIT') ?? '5mb';
  if (!/^\d+(kb|mb)$/i.test(bodyLimit)) {
    read.errors.push(`BODY_LIMIT=${JSON.stringify(bodyLimit)}: expected e.g. 5mb or 500kb`);
  }
  const logLevel = read.text('LOG_LEVEL') ?? 'info';
  if (!LOG_LEVELS.includes(logLevel)) {
    read.errors.push(
      `LOG_LEVEL=${JSON.stringify(logLevel)}: expected one of ${LOG_LEVELS.join(', ')}`,
    );
  }
  const postgresUrl = read.text('DATABASE_URL');
  if (postgresUrl !== undefined && !/^postgres(ql)?:\/\//.test(postgresUrl)) {
    read.errors.push('DATABASE_URL: expected a postgres:// or postgresql:// URL');
  }

  const auditIdKeyText = read.text('AUDIT_ID_KEY');
  let auditIdKey: Uint8Array | undefined;
  if (auditIdKeyText !== undefined) {
    const parsed = parseAuditIdKey(auditIdKeyText);
    // The value is a secret: never echoed in the error.
    if (Buffer.isBuffer(parsed)) auditIdKey = parsed;
    else read.errors.push(`AUDIT_ID_KEY: ${parsed.error}`);
  } else if (postgresUrl !== undefined) {
    read.errors.push(
      'AUDIT_ID_KEY is required with DATABASE_URL: every replica must hash patient ids with the same secret key (e.g. openssl rand -base64 32, from your secret store)',
    );
  }

  const port = read.num(
    'PORT',
    3000,
    (n) => Number.isInteger(n) && n >= 0 && n < 65536,
    'expected a port number',
  );
  const config: Config = {
    ...clinical.settings,
    port,
    host: read.text('HOST'),
    metricsPort: metricsPort(read, port),
    publicBaseUrl,
    fhir: {
      timeoutMs: read.num(
        'FHIR_TIMEOUT_MS',
        3000,
        isPositiveInteger,
        `${POSITIVE_INTEGER} (milliseconds)`,
      ),
      maxPages: read.num('FHIR_MAX_PAGES', 20, isPositiveInteger, POSITIVE_INTEGER),
      maxResponseBytes: read.num(
        'FHIR_MAX_RESPONSE_BYTES',
        FHIR_MAX_RESPONSE_BYTES_DEFAULT,
        isPositiveInteger,
        `${POSITIVE_INTEGER} (bytes)`,
      ),
      allowedOrigins: allowedOrigins(read),
    },
    http: {
      bodyLimit,
      corsOrigins: cors === undefined || cors === '*' ? '*' : cors.split(',').map((s) => s.trim()),
      rateLimit: rateLimits(read),
      trustProxy: trustProxySetting(read),
    },
    store: {
      ...(postgresUrl !== undefined
        ? { postgresUrl }
        : { dataDir: read.text('DATA_DIR') ?? './data' }),
      deadlineMs: read.num(
        'STORE_DEADLINE_MS',
        STORE_DEADLINE_MS_DEFAULT,
        (n) => Number.isInteger(n) && n >= 100 && n <= 60_000,
        'expected milliseconds from 100 to 60000',
      ),
    },
    auditIdKey,
    auth: authSettings(read, publicBaseUrl),
    logLevel,
    playground: read.bool('PLAYGROUND', true),
  };
  return { config: Object.freeze(config), errors: [...clinical.errors, ...read.errors] };
}
