/**
 * Client JWT authentication (CDS Hooks 2.0 "Trusting CDS Clients"): a minimal express app mounts
 * the middleware on the two CDS endpoints; keys are made with jose here; the clock is frozen; the
 * replay store is an in-memory double of `rememberJti`; JWK Set URLs are served by nock with every
 * other connection refused.
 */
import { randomUUID } from 'node:crypto';
import express from 'express';
import {
  base64url,
  exportJWK,
  exportSPKI,
  generateKeyPair,
  SignJWT,
  type CryptoKey,
  type JWK,
  type JWTPayload,
} from 'jose';
import nock from 'nock';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createClientAuth, type ClientAuthOptions } from '../../src/http/client-auth.js';
import type { FetchJwks } from '../../src/http/jwks-cache.js';
import { parseIssuers, type TrustedIssuer } from '../../src/config/client-issuers.js';
import { createLogger } from '../../src/http/logger.js';
import { StoreError, type Store } from '../../src/store/types.js';

const NOW = new Date('2026-03-02T10:00:00Z');
const NOW_S = NOW.getTime() / 1000;
const BASE = 'https://cds.example.org';
const SERVICE_PATH = '/cds-services/vcf-assess';
const FEEDBACK_PATH = `${SERVICE_PATH}/feedback`;
const SERVICE_URL = `${BASE}${SERVICE_PATH}`;
const FEEDBACK_URL = `${BASE}${FEEDBACK_PATH}`;

const EHR = 'https://ehr.hospital.example/';
const SANDBOX = 'https://sandbox.cds-hooks.org';
const SANDBOX_JKU = 'https://sandbox.cds-hooks.org/.well-known/jwks.json';
const FIXED = 'https://ehr2.example';
const FIXED_JWKS_URL = 'https://keys.ehr2.example/jwks.json';
const TENANTED = 'https://tenanted.example';
const EVIL_JKU = 'https://evil.example/jwks.json';

interface Pair {
  readonly privateKey: CryptoKey;
  readonly publicKey: CryptoKey;
  readonly publicJwk: JWK;
}

async function pair(alg: 'ES256' | 'ES384' | 'RS384', kid: string): Promise<Pair> {
  const { privateKey, publicKey } = await generateKeyPair(alg);
  return { privateKey, publicKey, publicJwk: { ...(await exportJWK(publicKey)), kid } };
}

let ehrEc: Pair;
let ehrRsa: Pair;
let ehrEs256: Pair;
let sandboxEc: Pair;
let fixedEc: Pair;
let attacker: Pair;
let ehrEcPem: string;
let issuers: TrustedIssuer[];

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  ehrEc = await pair('ES384', 'ehr-es384');
  ehrRsa = await pair('RS384', 'ehr-rs384');
  ehrEs256 = await pair('ES256', 'ehr-es256');
  sandboxEc = await pair('ES384', 'sandbox-1');
  fixedEc = await pair('ES384', 'fixed-1');
  attacker = await pair('ES384', 'ehr-es384');
  ehrEcPem = await exportSPKI(ehrEc.publicKey);
  // The ES256 key is in the EHR's set, but ES256 is not among its algorithms: tokens are refused.
  const parsed = parseIssuers(
    JSON.stringify([
      { iss: EHR, jwks: { keys: [ehrEc.publicJwk, ehrRsa.publicJwk, ehrEs256.publicJwk] } },
      { iss: SANDBOX, jku: [SANDBOX_JKU], algorithms: ['ES384'] },
      { iss: FIXED, jwksUrl: FIXED_JWKS_URL },
      { iss: TENANTED, jwks: { keys: [ehrEc.publicJwk] }, tenant: 'hospital-a' },
    ]),
  );
  expect(parsed.errors).toEqual([]);
  issuers = parsed.issuers;
});

afterEach(() => {
  nock.cleanAll();
});

afterAll(() => {
  nock.enableNetConnect();
});

/** In-memory double of `Store.rememberJti` (true = new, false = replay before expiry). */
function memoryJti() {
  const seen = new Map<string, number>();
  const calls: { issuer: string; jti: string; expiresAt: Date }[] = [];
  const rememberJti: Store['rememberJti'] = async (issuer, jti, expiresAt, now) => {
    calls.push({ issuer, jti, expiresAt });
    const key = `${issuer}\u0000${jti}`;
    const until = seen.get(key);
    if (until !== undefined && until > now.getTime()) return false;
    seen.set(key, expiresAt.getTime());
    return true;
  };
  return { rememberJti, calls };
}

function setup(overrides: Partial<ClientAuthOptions> = {}) {
  const lines: string[] = [];
  const logger = createLogger('info', { write: (line: string) => void lines.push(line) });
  const jti = memoryJti();
  const auth = createClientAuth({
    enabled: true,
    issuers,
    publicBaseUrl: BASE,
    rememberJti: jti.rememberJti,
    now: () => NOW,
    logger,
    ...overrides,
  });
  const app = express();
  const echo: express.RequestHandler = (_req, res) => {
    res.json({ client: res.locals['client'] ?? null });
  };
  app.post('/cds-services/:id', auth('service'), echo);
  app.post('/cds-services/:id/feedback', auth('feedback'), echo);
  const logs = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  return { app, logs, lines, jti };
}

interface TokenSpec {
  readonly alg?: string;
  /** A thunk: table rows are built before the keys exist. Default: the EHR's ES384 key. */
  readonly key?: () => CryptoKey | Uint8Array;
  /** null: leave the header parameter out. */
  readonly kid?: string | null;
  readonly typ?: string | null;
  readonly jku?: string;
  readonly claims?: Record<string, unknown>;
  readonly omit?: readonly string[];
}

async function token(spec: TokenSpec = {}): Promise<string> {
  const claims: Record<string, unknown> = {
    iss: EHR,
    aud: SERVICE_URL,
    iat: NOW_S,
    exp: NOW_S + 300,
    jti: randomUUID(),
    ...spec.claims,
  };
  for (const name of spec.omit ?? []) delete claims[name];
  const kid = spec.kid === undefined ? 'ehr-es384' : spec.kid;
  const typ = spec.typ === undefined ? 'JWT' : spec.typ;
  return new SignJWT(claims as JWTPayload)
    .setProtectedHeader({
      alg: spec.alg ?? 'ES384',
      ...(kid !== null ? { kid } : {}),
      ...(typ !== null ? { typ } : {}),
      ...(spec.jku !== undefined ? { jku: spec.jku } : {}),
    })
    .sign(spec.key?.() ?? ehrEc.privateKey);
}

/** An unsecured JWT (`alg: none`), crafted by hand: jose will not make one that verifies. */
function unsecured(alg: string): string {
  const enc = (o: object) => base64url.encode(JSON.stringify(o));
  const claims = { iss: EHR, aud: SERVICE_URL, iat: NOW_S, exp: NOW_S + 300, jti: randomUUID() };
  return `${enc({ alg, typ: 'JWT', kid: 'ehr-es384' })}.${enc(claims)}.`;
}

function post(app: express.Express, path: string, authorization?: string) {
  const req = request(app).post(path);
  return authorization === undefined ? req : req.set('Authorization', authorization);
}

function jwksReply(...pairs: Pair[]) {
  return { keys: pairs.map((p) => p.publicJwk) };
}

describe('valid tokens pass and name the client', () => {
  it.each([
    { name: 'ES384, inline keys', spec: {} as TokenSpec, path: SERVICE_PATH },
    {
      name: 'RS384, inline keys',
      spec: { alg: 'RS384', kid: 'ehr-rs384', key: () => ehrRsa.privateKey },
      path: SERVICE_PATH,
    },
    {
      name: 'feedback endpoint with the /feedback URL as aud (as the sandbox does)',
      spec: { claims: { aud: FEEDBACK_URL } },
      path: FEEDBACK_PATH,
    },
    {
      name: 'aud as an array containing the URL',
      spec: { claims: { aud: ['https://other.example/x', SERVICE_URL] } },
      path: SERVICE_PATH,
    },
    { name: 'no typ header', spec: { typ: null }, path: SERVICE_PATH },
    { name: 'typ application/jwt', spec: { typ: 'application/JWT' }, path: SERVICE_PATH },
    {
      name: 'expired 59 s ago (within the 60 s skew)',
      spec: { claims: { iat: NOW_S - 359, exp: NOW_S - 59 } },
      path: SERVICE_PATH,
    },
    {
      name: 'iat 60 s ahead (within the skew)',
      spec: { claims: { iat: NOW_S + 60, exp: NOW_S + 360 } },
      path: SERVICE_PATH,
    },
    {
      name: 'lifetime of exactly one hour',
      spec: { claims: { exp: NOW_S + 3600 } },
      path: SERVICE_PATH,
    },
    { name: 'query string ignored for aud', spec: {}, path: `${SERVICE_PATH}?x=1` },
  ])('$name', async ({ spec, path }) => {
    const { app, jti } = setup();
    const res = await post(app, path, `Bearer ${await token(spec)}`);
    expect(res.status).toBe(200);
    expect(res.body.client).toEqual({ iss: EHR });
    expect(jti.calls).toHaveLength(1);
  });

  it('remembers the jti until exp + skew, under its issuer', async () => {
    const { app, jti } = setup();
    const res = await post(app, SERVICE_PATH, `Bearer ${await token({ claims: { jti: 'j-1' } })}`);
    expect(res.status).toBe(200);
    expect(jti.calls).toEqual([
      { issuer: EHR, jti: 'j-1', expiresAt: new Date((NOW_S + 300 + 60) * 1000) },
    ]);
  });

  it('accepts the scheme in any case ("bearer")', async () => {
    const { app } = setup();
    const res = await post(app, SERVICE_PATH, `bearer ${await token()}`);
    expect(res.status).toBe(200);
  });

  it('passes the tenant through', async () => {
    const { app } = setup();
    const res = await post(
      app,
      SERVICE_PATH,
      `Bearer ${await token({ claims: { iss: TENANTED, tenant: 'hospital-a' } })}`,
    );
    expect(res.status).toBe(200);
    expect(res.body.client).toEqual({ iss: TENANTED, tenant: 'hospital-a' });
  });
});

interface Rejection {
  readonly name: string;
  readonly authorization: () => Promise<string | undefined>;
  readonly reason: string;
  readonly path?: string;
}

const bearer =
  (spec: TokenSpec = {}) =>
  async () =>
    `Bearer ${await token(spec)}`;

const REJECTIONS: readonly Rejection[] = [
  // Authorization header
  {
    name: 'no Authorization header',
    authorization: async () => undefined,
    reason: 'ERR_AUTH_HEADER_MISSING',
  },
  {
    name: 'Basic scheme',
    authorization: async () => 'Basic dXNlcjpwYXNz',
    reason: 'ERR_AUTH_HEADER_MALFORMED',
  },
  {
    name: 'Bearer without a token',
    authorization: async () => 'Bearer',
    reason: 'ERR_AUTH_HEADER_MALFORMED',
  },
  {
    name: 'Bearer with a non-JWT',
    authorization: async () => 'Bearer abc',
    reason: 'ERR_AUTH_HEADER_MALFORMED',
  },
  {
    name: 'Bearer with two tokens',
    authorization: async () => `Bearer ${await token()} ${await token()}`,
    reason: 'ERR_AUTH_HEADER_MALFORMED',
  },
  {
    name: 'a JWE-shaped token (5 parts)',
    authorization: async () => 'Bearer a.b.c.d.e',
    reason: 'ERR_AUTH_HEADER_MALFORMED',
  },
  { name: 'garbled JWT', authorization: async () => 'Bearer a.b.c', reason: 'ERR_JWT_MALFORMED' },
  // Algorithm and header
  {
    name: 'alg none',
    authorization: async () => `Bearer ${unsecured('none')}`,
    reason: 'ERR_JOSE_ALG_NOT_ALLOWED',
  },
  {
    name: 'alg NONE',
    authorization: async () => `Bearer ${unsecured('NONE')}`,
    reason: 'ERR_JOSE_ALG_NOT_ALLOWED',
  },
  {
    name: 'HS256 keyed with the public key PEM (alg confusion)',
    authorization: async () =>
      `Bearer ${await token({ alg: 'HS256', key: () => new TextEncoder().encode(ehrEcPem) })}`,
    reason: 'ERR_JOSE_ALG_NOT_ALLOWED',
  },
  {
    name: 'HS384 keyed with the public JWK JSON (alg confusion)',
    authorization: async () =>
      `Bearer ${await token({ alg: 'HS384', key: () => new TextEncoder().encode(JSON.stringify(ehrEc.publicJwk)) })}`,
    reason: 'ERR_JOSE_ALG_NOT_ALLOWED',
  },
  {
    name: 'ES256, not in the issuer algorithms',
    authorization: bearer({ alg: 'ES256', kid: 'ehr-es256', key: () => ehrEs256.privateKey }),
    reason: 'ERR_JOSE_ALG_NOT_ALLOWED',
  },
  { name: 'typ not JWT', authorization: bearer({ typ: 'at+jwt' }), reason: 'ERR_JWT_TYP' },
  { name: 'no kid', authorization: bearer({ kid: null }), reason: 'ERR_JWT_KID_MISSING' },
  {
    name: 'unknown kid',
    authorization: bearer({ kid: 'nope' }),
    reason: 'ERR_JWKS_NO_MATCHING_KEY',
  },
  // Issuer and signature
  {
    name: 'unknown issuer',
    authorization: bearer({ claims: { iss: 'https://stranger.example' } }),
    reason: 'ERR_JWT_ISSUER_UNTRUSTED',
  },
  {
    name: 'issuer differing by a trailing slash',
    authorization: bearer({ claims: { iss: 'https://ehr.hospital.example' } }),
    reason: 'ERR_JWT_ISSUER_UNTRUSTED',
  },
  { name: 'no iss', authorization: bearer({ omit: ['iss'] }), reason: 'ERR_JWT_ISSUER_UNTRUSTED' },
  {
    name: 'signed by another key under the trusted kid',
    authorization: bearer({ key: () => attacker.privateKey, kid: 'ehr-es384' }),
    reason: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
  },
  {
    name: 'payload swapped after signing',
    authorization: async () => {
      const [h, , s] = (await token()).split('.');
      const [, p] = (await token({ claims: { tenant: 'x' } })).split('.');
      return `Bearer ${h}.${p}.${s}`;
    },
    reason: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
  },
  // Audience
  {
    name: 'aud of another service',
    authorization: bearer({ claims: { aud: `${BASE}/cds-services/other` } }),
    reason: 'ERR_JWT_AUDIENCE',
  },
  {
    name: 'aud of the discovery endpoint',
    authorization: bearer({ claims: { aud: `${BASE}/cds-services` } }),
    reason: 'ERR_JWT_AUDIENCE',
  },
  {
    name: 'aud on another host',
    authorization: bearer({ claims: { aud: `https://cds.other.example${SERVICE_PATH}` } }),
    reason: 'ERR_JWT_AUDIENCE',
  },
  {
    name: 'service URL as aud on the feedback endpoint',
    authorization: bearer({ claims: { aud: SERVICE_URL } }),
    path: FEEDBACK_PATH,
    reason: 'ERR_JWT_AUDIENCE',
  },
  {
    name: 'feedback URL as aud on the service endpoint',
    authorization: bearer({ claims: { aud: FEEDBACK_URL } }),
    reason: 'ERR_JWT_AUDIENCE',
  },
  { name: 'no aud', authorization: bearer({ omit: ['aud'] }), reason: 'ERR_JWT_CLAIM_MISSING' },
  // Times
  {
    name: 'expired beyond the skew',
    authorization: bearer({ claims: { iat: NOW_S - 400, exp: NOW_S - 61 } }),
    reason: 'ERR_JWT_EXPIRED',
  },
  {
    name: 'iat in the future beyond the skew',
    authorization: bearer({ claims: { iat: NOW_S + 61, exp: NOW_S + 300 } }),
    reason: 'ERR_JWT_IAT_FUTURE',
  },
  {
    name: 'nbf in the future beyond the skew',
    authorization: bearer({ claims: { nbf: NOW_S + 120 } }),
    reason: 'ERR_JWT_NOT_YET_VALID',
  },
  {
    name: 'lifetime over one hour',
    authorization: bearer({ claims: { exp: NOW_S + 3601 } }),
    reason: 'ERR_JWT_LIFETIME',
  },
  {
    name: 'exp before iat',
    authorization: bearer({ claims: { iat: NOW_S, exp: NOW_S - 10 } }),
    reason: 'ERR_JWT_LIFETIME',
  },
  { name: 'no exp', authorization: bearer({ omit: ['exp'] }), reason: 'ERR_JWT_CLAIM_MISSING' },
  { name: 'no iat', authorization: bearer({ omit: ['iat'] }), reason: 'ERR_JWT_CLAIM_MISSING' },
  {
    name: 'exp not a number',
    authorization: bearer({ claims: { exp: String(NOW_S + 300) } }),
    reason: 'ERR_JWT_CLAIM_INVALID',
  },
  // jti and tenant
  { name: 'no jti', authorization: bearer({ omit: ['jti'] }), reason: 'ERR_JWT_CLAIM_MISSING' },
  {
    name: 'empty jti',
    authorization: bearer({ claims: { jti: '' } }),
    reason: 'ERR_JWT_JTI_INVALID',
  },
  {
    name: 'numeric jti',
    authorization: bearer({ claims: { jti: 42 } }),
    reason: 'ERR_JWT_JTI_INVALID',
  },
  {
    name: 'tenant not a string',
    authorization: bearer({ claims: { tenant: 7 } }),
    reason: 'ERR_JWT_TENANT',
  },
  {
    name: 'tenant the issuer does not allow',
    authorization: bearer({ claims: { iss: TENANTED, tenant: 'hospital-b' } }),
    reason: 'ERR_JWT_TENANT',
  },
  {
    name: 'no tenant where the issuer requires one',
    authorization: bearer({ claims: { iss: TENANTED } }),
    reason: 'ERR_JWT_TENANT',
  },
  // jku
  {
    name: 'issuer with a jku allow-list, token without jku',
    authorization: bearer({ kid: 'sandbox-1', claims: { iss: SANDBOX } }),
    reason: 'ERR_JKU_REQUIRED',
  },
  {
    name: 'RS384 from an ES384-only issuer (refused before any fetch)',
    authorization: bearer({
      alg: 'RS384',
      kid: 'x',
      key: () => ehrRsa.privateKey,
      jku: SANDBOX_JKU,
      claims: { iss: SANDBOX },
    }),
    reason: 'ERR_JOSE_ALG_NOT_ALLOWED',
  },
];

describe('rejected tokens get a plain 401 and a log line with only a reason code', () => {
  it.each(REJECTIONS)('$name -> 401 $reason', async ({ authorization, reason, path }) => {
    const { app, logs, lines, jti } = setup();
    const header = await authorization();
    const res = await post(app, path ?? SERVICE_PATH, header);
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer');
    expect(res.text).toBe('');
    expect(logs()).toContainEqual(expect.objectContaining({ reason, level: 40 }));
    const jwt = header?.split(' ')[1];
    if (jwt !== undefined && jwt.length > 8) {
      for (const part of jwt.split('.').filter((p) => p.length > 8)) {
        expect(lines.join('\n')).not.toContain(part);
      }
    }
    // A refused token never occupies a jti.
    expect(jti.calls).toHaveLength(0);
  });
});

describe('replay', () => {
  it('refuses a second use of the same token, accepts a new jti', async () => {
    const { app, logs } = setup();
    const once = await token({ claims: { jti: 'replay-1' } });
    expect((await post(app, SERVICE_PATH, `Bearer ${once}`)).status).toBe(200);
    const again = await post(app, SERVICE_PATH, `Bearer ${once}`);
    expect(again.status).toBe(401);
    expect(again.text).toBe('');
    expect(logs()).toContainEqual(
      expect.objectContaining({ reason: 'ERR_JWT_JTI_REPLAY', iss: EHR }),
    );
    const fresh = await token({ claims: { jti: 'replay-2' } });
    expect((await post(app, SERVICE_PATH, `Bearer ${fresh}`)).status).toBe(200);
  });

  it('logs a hash of the jti, never the jti itself', async () => {
    const { app, lines, logs } = setup();
    const t = await token({ claims: { jti: 'secret-jti-value', aud: `${BASE}/elsewhere` } });
    await post(app, SERVICE_PATH, `Bearer ${t}`);
    expect(logs()[0]).toMatchObject({ jtiHash: expect.stringMatching(/^[0-9a-f]{16}$/) });
    expect(lines.join('')).not.toContain('secret-jti-value');
  });

  it('a forged token does not burn the jti of a real one', async () => {
    const { app } = setup();
    const forged = await token({ key: () => attacker.privateKey, claims: { jti: 'shared' } });
    expect((await post(app, SERVICE_PATH, `Bearer ${forged}`)).status).toBe(401);
    const real = await token({ claims: { jti: 'shared' } });
    expect((await post(app, SERVICE_PATH, `Bearer ${real}`)).status).toBe(200);
  });

  it('answers 503 with an OperationOutcome when the replay store fails, and lets nothing through', async () => {
    const { app, logs } = setup({
      rememberJti: () => Promise.reject(new StoreError('STORE_UNAVAILABLE', 'down')),
    });
    const res = await post(app, SERVICE_PATH, `Bearer ${await token()}`);
    expect(res.status).toBe(503);
    expect(res.body).toEqual({
      resourceType: 'OperationOutcome',
      issue: [{ severity: 'error', code: 'transient', diagnostics: expect.any(String) }],
    });
    expect(logs()).toContainEqual(
      expect.objectContaining({ reason: 'ERR_STORE_UNAVAILABLE', level: 50 }),
    );
  });

  it('also 503 when rememberJti throws synchronously', async () => {
    const { app } = setup({
      rememberJti: () => {
        throw new StoreError('STORE_CLOSED', 'closed');
      },
    });
    expect((await post(app, SERVICE_PATH, `Bearer ${await token()}`)).status).toBe(503);
  });
});

describe('jku: honoured only when allow-listed, fetched with a cache', () => {
  const sandboxToken = (spec: TokenSpec = {}) =>
    token({
      kid: 'sandbox-1',
      jku: SANDBOX_JKU,
      key: () => sandboxEc.privateKey,
      ...spec,
      claims: { iss: SANDBOX, ...spec.claims },
    });

  it.each([
    { name: 'an attacker URL on a trusted issuer', iss: EHR, jku: EVIL_JKU },
    {
      name: 'a look-alike host',
      iss: SANDBOX,
      jku: 'https://sandbox.cds-hooks.org.evil.example/.well-known/jwks.json',
    },
    { name: 'the allow-listed URL plus a query', iss: SANDBOX, jku: `${SANDBOX_JKU}?v=2` },
    {
      name: 'the allow-listed URL over http',
      iss: SANDBOX,
      jku: SANDBOX_JKU.replace('https', 'http'),
    },
    { name: 'another issuer’s allow-listed URL', iss: EHR, jku: SANDBOX_JKU },
  ])('refuses $name without fetching it', async ({ iss, jku }) => {
    const url = new URL(jku);
    const trap = nock(url.origin)
      .get(url.pathname)
      .query(true)
      .reply(200, jwksReply(attacker))
      .persist();
    const { app, logs } = setup();
    const t = await token({ key: () => attacker.privateKey, jku, claims: { iss } });
    const res = await post(app, SERVICE_PATH, `Bearer ${t}`);
    expect(res.status).toBe(401);
    expect(logs()).toContainEqual(expect.objectContaining({ reason: 'ERR_JKU_NOT_ALLOWED' }));
    expect(trap.isDone()).toBe(false);
  });

  it('fetches an allow-listed jku once and serves later tokens from the cache', async () => {
    let fetches = 0;
    const scope = nock('https://sandbox.cds-hooks.org')
      .get('/.well-known/jwks.json')
      .times(5)
      .reply(() => {
        fetches += 1;
        return [200, jwksReply(sandboxEc)];
      });
    const { app } = setup();
    for (let i = 0; i < 3; i += 1) {
      const res = await post(app, SERVICE_PATH, `Bearer ${await sandboxToken()}`);
      expect(res.status).toBe(200);
      expect(res.body.client).toEqual({ iss: SANDBOX });
    }
    expect(fetches).toBe(1);
    // An unknown kid right after a fetch does not refetch (jose's cooldown): no fetch storm.
    const unknown = await post(
      app,
      SERVICE_PATH,
      `Bearer ${await sandboxToken({ kid: 'rotated' })}`,
    );
    expect(unknown.status).toBe(401);
    expect(fetches).toBe(1);
    scope.persist(false);
  });

  it('checks the signature against the fetched keys', async () => {
    nock('https://sandbox.cds-hooks.org')
      .get('/.well-known/jwks.json')
      .reply(200, jwksReply(sandboxEc));
    const { app, logs } = setup();
    const forged = await sandboxToken({ key: () => attacker.privateKey });
    expect((await post(app, SERVICE_PATH, `Bearer ${forged}`)).status).toBe(401);
    expect(logs()).toContainEqual(
      expect.objectContaining({ reason: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED', iss: SANDBOX }),
    );
  });

  it('uses a fixed jwksUrl when the token has no jku, and accepts it as a jku', async () => {
    let fetches = 0;
    nock('https://keys.ehr2.example')
      .get('/jwks.json')
      .times(3)
      .reply(() => {
        fetches += 1;
        return [200, jwksReply(fixedEc)];
      });
    const { app } = setup();
    const spec = { kid: 'fixed-1', key: () => fixedEc.privateKey, claims: { iss: FIXED } };
    expect((await post(app, SERVICE_PATH, `Bearer ${await token(spec)}`)).status).toBe(200);
    const withJku = await token({ ...spec, jku: FIXED_JWKS_URL });
    expect((await post(app, SERVICE_PATH, `Bearer ${withJku}`)).status).toBe(200);
    expect(fetches).toBe(1);
  });

  it.each([
    {
      name: 'answers 500',
      serve: () => nock('https://sandbox.cds-hooks.org').get('/.well-known/jwks.json').reply(500),
    },
    {
      name: 'is not JSON',
      serve: () =>
        nock('https://sandbox.cds-hooks.org').get('/.well-known/jwks.json').reply(200, '<html>'),
    },
    {
      name: 'redirects (not followed)',
      serve: () =>
        nock('https://sandbox.cds-hooks.org')
          .get('/.well-known/jwks.json')
          .reply(302, '', { Location: EVIL_JKU }),
    },
    { name: 'cannot be reached', serve: () => undefined },
  ])('503 when the allow-listed JWK Set $name', async ({ serve }) => {
    serve();
    const { app, logs } = setup({ jwksTimeoutMs: 100 });
    const res = await post(app, SERVICE_PATH, `Bearer ${await sandboxToken()}`);
    expect(res.status).toBe(503);
    expect(res.body.resourceType).toBe('OperationOutcome');
    expect(logs()).toContainEqual(expect.objectContaining({ reason: 'ERR_JWKS_UNAVAILABLE' }));
  });

  it('503 when the allow-listed JWK Set is too slow (timeout, injected fetch)', async () => {
    let calls = 0;
    const hang: FetchJwks = (_url, { signal }) => {
      calls += 1;
      return new Promise((_resolve, reject) => {
        signal.addEventListener('abort', () => reject(signal.reason));
      });
    };
    const { app, logs } = setup({ jwksTimeoutMs: 50, fetchJwks: hang });
    const res = await post(app, SERVICE_PATH, `Bearer ${await sandboxToken()}`);
    expect(res.status).toBe(503);
    expect(calls).toBe(1);
    expect(logs()).toContainEqual(expect.objectContaining({ reason: 'ERR_JWKS_UNAVAILABLE' }));
  });
});

describe('audience derivation without publicBaseUrl', () => {
  const aud = (base: string) => ({ claims: { aud: `${base}${SERVICE_PATH}` } });

  it.each([
    {
      name: 'from the Host header',
      trustProxy: false,
      headers: { Host: 'cds.internal:8080' },
      spec: aud('http://cds.internal:8080'),
      status: 200,
    },
    {
      name: 'from X-Forwarded-Proto/-Host behind a trusted proxy',
      trustProxy: true,
      headers: { 'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': 'cds.example.org, proxy.local' },
      spec: aud('https://cds.example.org'),
      status: 200,
    },
    {
      name: 'X-Forwarded-* ignored when the proxy is not trusted',
      trustProxy: false,
      headers: {
        Host: 'cds.internal',
        'X-Forwarded-Proto': 'https',
        'X-Forwarded-Host': 'cds.example.org',
      },
      spec: aud('https://cds.example.org'),
      status: 401,
    },
    {
      name: 'a nonsense forwarded protocol',
      trustProxy: true,
      headers: { 'X-Forwarded-Proto': 'gopher', 'X-Forwarded-Host': 'cds.example.org' },
      spec: aud('gopher://cds.example.org'),
      status: 401,
    },
  ])('$name -> $status', async ({ trustProxy, headers, spec, status }) => {
    const { app } = setup({ publicBaseUrl: undefined, trustProxy });
    const res = await request(app)
      .post(SERVICE_PATH)
      .set(headers)
      .set('Authorization', `Bearer ${await token(spec)}`);
    expect(res.status).toBe(status);
  });

  it('publicBaseUrl with a path prefix and a trailing slash', async () => {
    const { app } = setup({ publicBaseUrl: 'https://h.example/vcf/' });
    const t = await token(aud('https://h.example/vcf'));
    expect((await post(app, SERVICE_PATH, `Bearer ${t}`)).status).toBe(200);
  });
});

describe('authentication off', () => {
  it.each([
    { name: 'no header', authorization: undefined },
    { name: 'garbage header', authorization: 'Bearer nonsense' },
  ])('passes through and sets no client ($name)', async ({ authorization }) => {
    const { app, jti, lines } = setup({ enabled: false });
    const res = await post(app, SERVICE_PATH, authorization);
    expect(res.status).toBe(200);
    expect(res.body.client).toBeNull();
    expect(jti.calls).toHaveLength(0);
    expect(lines).toHaveLength(0);
  });
});
