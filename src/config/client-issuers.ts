/**
 * The CDS clients this service trusts: the `CDS_CLIENT_ISSUERS` setting, parsed and checked once
 * at start. CDS Hooks asks services to "limit the CDS Clients they trust by maintaining an
 * allowlist of iss and jku urls"; this is that allow-list, plus out-of-band keys for clients that
 * send no `jku`.
 *
 * Format: a JSON array, one object per trusted issuer:
 *
 * | key          | required | meaning |
 * |--------------|----------|---------|
 * | `iss`        | yes      | The token's `iss`, compared exactly (mind a trailing slash). |
 * | `jku`        | one of   | https URL, or array of them: the `jku` header values honoured for this issuer, compared exactly. Any other `jku` is refused and never fetched. |
 * | `jwksUrl`    | the      | https URL of the issuer's JWK Set, used when the token has no `jku` (also accepted as a `jku`). |
 * | `jwks`       | three    | Inline JWK Set `{ "keys": [...] }`, public EC/RSA keys, each with a unique `kid`; used when the token has no `jku`. Not with `jwksUrl`. |
 * | `algorithms` | no       | Signing algorithms accepted from this issuer; default `["ES384","RS384"]` (the spec's recommendation). Asymmetric only: ES256/384/512, RS256/384/512, PS256/384/512. |
 * | `tenant`     | no       | String or array: when set, the token's `tenant` claim must be one of these. |
 *
 * Example (the CDS Hooks sandbox, and an EHR with a key given out of band):
 * ```json
 * [
 *   { "iss": "https://sandbox.cds-hooks.org",
 *     "jku": ["https://sandbox.cds-hooks.org/.well-known/jwks.json"],
 *     "algorithms": ["ES384"] },
 *   { "iss": "https://ehr.hospital.example/",
 *     "jwks": { "keys": [ { "kty": "EC", "crv": "P-384", "kid": "ehr-2026", "x": "...", "y": "..." } ] },
 *     "tenant": "hospital-a" }
 * ]
 * ```
 *
 * @see https://cds-hooks.hl7.org/2.0/#trusting-cds-clients
 */
import type { JSONWebKeySet, JWK } from 'jose';

/** Asymmetric JWS algorithms an issuer entry may allow. Never `none`, never HMAC (spec: SHALL NOT). */
export const SUPPORTED_ALGORITHMS = [
  'ES256',
  'ES384',
  'ES512',
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
] as const;

export type SigningAlgorithm = (typeof SUPPORTED_ALGORITHMS)[number];

/** The algorithms CDS Hooks 2.0 RECOMMENDS; accepted when an issuer entry says nothing. */
export const DEFAULT_ALGORITHMS: readonly SigningAlgorithm[] = ['ES384', 'RS384'];

/** One trusted CDS client issuer, validated. */
export interface TrustedIssuer {
  /** The exact `iss` claim value. */
  readonly iss: string;
  /** `jku` header values honoured for this issuer (exact match); may be empty. */
  readonly jku: readonly string[];
  /** JWK Set URL used when the token names no `jku`. */
  readonly jwksUrl?: string;
  /** Out-of-band public keys used when the token names no `jku`. */
  readonly jwks?: JSONWebKeySet;
  /** Algorithms accepted from this issuer (a subset of `SUPPORTED_ALGORITHMS`). */
  readonly algorithms: readonly SigningAlgorithm[];
  /** When set, the token's `tenant` must be one of these. */
  readonly tenants?: readonly string[];
}

const ENTRY_KEYS = ['iss', 'jku', 'jwksUrl', 'jwks', 'algorithms', 'tenant'] as const;
const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] as const;
const EC_CURVES = ['P-256', 'P-384', 'P-521'];
const SETTING = 'CDS_CLIENT_ISSUERS';

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isSupported(alg: string): alg is SigningAlgorithm {
  return (SUPPORTED_ALGORITHMS as readonly string[]).includes(alg);
}

function nonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

/** Why `value` is not an acceptable https URL, or undefined when it is. */
function httpsUrlProblem(value: unknown): string | undefined {
  if (!nonEmptyString(value)) return 'must be a non-empty URL string';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `${JSON.stringify(value)} is not a valid absolute URL`;
  }
  if (url.protocol !== 'https:') return `${JSON.stringify(value)} must be an https URL`;
  if (url.username !== '' || url.password !== '') {
    return `${JSON.stringify(value)} must not contain credentials`;
  }
  if (url.hash !== '') return `${JSON.stringify(value)} must not contain a fragment`;
  if (value !== value.trim()) return `${JSON.stringify(value)} has surrounding spaces`;
  return undefined;
}

/** Every problem with one public JWK (never echoes key material). */
function jwkProblems(key: unknown, where: string, algorithms: readonly string[]): string[] {
  if (!isRecord(key)) return [`${where} must be a JWK object`];
  const problems: string[] = [];
  const { kty, kid, alg, use } = key;
  if (kty === 'oct') {
    problems.push(`${where} is a symmetric ("oct") key; CDS Hooks forbids shared secrets`);
  } else if (kty === 'EC') {
    if (typeof key['crv'] !== 'string' || !EC_CURVES.includes(key['crv'])) {
      problems.push(`${where} "crv" must be one of ${EC_CURVES.join(', ')}`);
    }
    if (!nonEmptyString(key['x']) || !nonEmptyString(key['y'])) {
      problems.push(`${where} needs "x" and "y"`);
    }
  } else if (kty === 'RSA') {
    if (!nonEmptyString(key['n']) || !nonEmptyString(key['e'])) {
      problems.push(`${where} needs "n" and "e"`);
    }
  } else {
    problems.push(`${where} "kty" must be "EC" or "RSA"`);
  }
  const secret = PRIVATE_JWK_MEMBERS.find((member) => member in key);
  if (secret !== undefined) {
    problems.push(
      `${where} contains private key material ("${secret}"); configure the public key only`,
    );
  }
  if (!nonEmptyString(kid)) problems.push(`${where} needs a "kid" (tokens name their key by kid)`);
  if (use !== undefined && use !== 'sig') problems.push(`${where} "use" must be "sig"`);
  if (alg !== undefined && (typeof alg !== 'string' || !algorithms.includes(alg))) {
    problems.push(
      `${where} "alg" ${JSON.stringify(alg)} is not among this issuer's algorithms (${algorithms.join(', ')})`,
    );
  }
  return problems;
}

/** Validates one entry; pushes every problem to `problems`, returns the issuer when it has none. */
function parseEntry(entry: unknown, label: string, problems: string[]): TrustedIssuer | undefined {
  const before = problems.length;
  const fail = (message: string) => problems.push(`${label}: ${message}`);
  if (!isRecord(entry)) {
    fail('must be an object with at least "iss" and one of "jku", "jwksUrl", "jwks"');
    return undefined;
  }

  for (const key of Object.keys(entry)) {
    if (!(ENTRY_KEYS as readonly string[]).includes(key)) {
      fail(`unknown key ${JSON.stringify(key)} (allowed: ${ENTRY_KEYS.join(', ')})`);
    }
  }

  const { iss } = entry;
  if (!nonEmptyString(iss) || iss !== iss.trim()) {
    fail('"iss" must be a non-empty string without surrounding spaces');
  }

  let algorithms: readonly SigningAlgorithm[] = DEFAULT_ALGORITHMS;
  if (entry['algorithms'] !== undefined) {
    const given = entry['algorithms'];
    if (!Array.isArray(given) || given.length === 0) {
      fail('"algorithms" must be a non-empty array');
    } else {
      const accepted: SigningAlgorithm[] = [];
      for (const alg of given) {
        if (typeof alg === 'string' && isSupported(alg)) {
          accepted.push(alg);
        } else if (typeof alg === 'string' && (alg.toLowerCase() === 'none' || /^HS/i.test(alg))) {
          fail(
            `"algorithms": ${JSON.stringify(alg)} is forbidden (CDS Hooks: no "none", no symmetric algorithms)`,
          );
        } else {
          fail(
            `"algorithms": ${JSON.stringify(alg)} is not supported (use ${SUPPORTED_ALGORITHMS.join(', ')})`,
          );
        }
      }
      algorithms = [...new Set(accepted)];
    }
  }

  let jku: string[] = [];
  if (entry['jku'] !== undefined) {
    const given = entry['jku'];
    const list: unknown[] = Array.isArray(given) ? given : [given];
    if (list.length === 0) fail('"jku" must list at least one URL (or be left out)');
    list.forEach((url, i) => {
      const problem = httpsUrlProblem(url);
      if (problem !== undefined) fail(`"jku"${Array.isArray(given) ? `[${i}]` : ''} ${problem}`);
    });
    jku = [...new Set(list.filter((u): u is string => typeof u === 'string'))];
  }

  const jwksUrl = entry['jwksUrl'];
  if (jwksUrl !== undefined) {
    const problem = httpsUrlProblem(jwksUrl);
    if (problem !== undefined) fail(`"jwksUrl" ${problem}`);
  }

  const jwks = entry['jwks'];
  if (jwks !== undefined) {
    if (!isRecord(jwks) || !Array.isArray(jwks['keys']) || jwks['keys'].length === 0) {
      fail('"jwks" must be a JWK Set: { "keys": [ ...at least one public key ] }');
    } else {
      const keys: unknown[] = jwks['keys'];
      const kids = new Map<string, number>();
      keys.forEach((key, i) => {
        for (const p of jwkProblems(key, `"jwks.keys[${i}]"`, algorithms)) fail(p);
        const kid = isRecord(key) ? key['kid'] : undefined;
        if (typeof kid === 'string') {
          const first = kids.get(kid);
          if (first !== undefined) {
            fail(`"jwks.keys[${i}]" repeats kid ${JSON.stringify(kid)} of keys[${first}]`);
          } else {
            kids.set(kid, i);
          }
        }
      });
    }
    if (jwksUrl !== undefined) fail('give either "jwks" or "jwksUrl", not both');
  }

  if (entry['jku'] === undefined && jwksUrl === undefined && jwks === undefined) {
    fail('needs a key source: "jku" (allow-list), "jwksUrl" or "jwks"');
  }

  let tenants: string[] | undefined;
  if (entry['tenant'] !== undefined) {
    const given = entry['tenant'];
    const list: unknown[] = Array.isArray(given) ? given : [given];
    if (list.length === 0 || !list.every(nonEmptyString)) {
      fail('"tenant" must be a non-empty string or a non-empty array of them');
    } else {
      tenants = list as string[];
    }
  }

  if (problems.length > before || typeof iss !== 'string') return undefined;
  return {
    iss,
    jku,
    ...(typeof jwksUrl === 'string' ? { jwksUrl } : {}),
    ...(isRecord(jwks) ? { jwks: { keys: jwks['keys'] as JWK[] } } : {}),
    algorithms,
    ...(tenants !== undefined ? { tenants } : {}),
  };
}

/**
 * Parses and validates the `CDS_CLIENT_ISSUERS` setting (format in this module's header). Lists
 * every problem, each naming the entry (`CDS_CLIENT_ISSUERS[1] ("https://ehr.example")`). Use
 * `issuers` only when `errors` is empty; it holds just the entries that had no problem.
 *
 * @see https://cds-hooks.hl7.org/2.0/#trusting-cds-clients
 */
export function parseIssuers(json: string): { issuers: TrustedIssuer[]; errors: string[] } {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (error) {
    return {
      issuers: [],
      errors: [`${SETTING}: not valid JSON (${(error as Error).message})`],
    };
  }
  if (!Array.isArray(raw) || raw.length === 0) {
    return {
      issuers: [],
      errors: [`${SETTING}: expected a non-empty JSON array of trusted issuers`],
    };
  }

  const errors: string[] = [];
  const issuers: TrustedIssuer[] = [];
  const seen = new Map<string, number>();
  raw.forEach((entry: unknown, index) => {
    const iss = isRecord(entry) && typeof entry['iss'] === 'string' ? entry['iss'] : undefined;
    const label = `${SETTING}[${index}]${iss !== undefined ? ` (${JSON.stringify(iss)})` : ''}`;
    const first = iss !== undefined ? seen.get(iss) : undefined;
    if (first !== undefined) errors.push(`${label}: duplicates the "iss" of entry [${first}]`);
    else if (iss !== undefined) seen.set(iss, index);
    const issuer = parseEntry(entry, label, errors);
    if (issuer !== undefined && first === undefined) issuers.push(issuer);
  });
  return { issuers, errors };
}
