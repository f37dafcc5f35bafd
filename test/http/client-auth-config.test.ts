/**
 * The `CDS_CLIENT_ISSUERS` setting (parseIssuers) and the JWK Set cache's own allow-list (the
 * start-up checks around them are in test/config.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { ClientAuthError } from '../../src/http/client-auth-error.js';
import { parseIssuers } from '../../src/config/client-issuers.js';
import { createJwksCache } from '../../src/http/jwks-cache.js';

const EC_KEY = {
  kty: 'EC',
  crv: 'P-384',
  kid: 'example-kid',
  use: 'sig',
  alg: 'ES384',
  // The public key of the CDS Hooks 2.0.1 specification's example.
  x: '46SDH7Znh821wblCBglA61sNE9ZrHYKKt3qRtRTmSXyOI_FIGBLWrWa0GPUkDCEk',
  y: 'XMcRuuoGW7CXjQdy-F5i3FeBE0x9hPLdeFdSoDd3ELmx404tLX0VRRcqzAsPhXcI',
};
const RSA_KEY = { kty: 'RSA', kid: 'rsa-1', n: 'sXch', e: 'AQAB' };
const SANDBOX = {
  iss: 'https://sandbox.cds-hooks.org',
  jku: ['https://sandbox.cds-hooks.org/.well-known/jwks.json'],
  algorithms: ['ES384'],
};

describe('parseIssuers: good configurations', () => {
  it('the CDS Hooks sandbox (jku allow-list, ES384)', () => {
    expect(parseIssuers(JSON.stringify([SANDBOX]))).toEqual({
      issuers: [
        {
          iss: 'https://sandbox.cds-hooks.org',
          jku: ['https://sandbox.cds-hooks.org/.well-known/jwks.json'],
          algorithms: ['ES384'],
        },
      ],
      errors: [],
    });
  });

  it.each([
    {
      name: 'inline keys, default algorithms, one tenant',
      entry: { iss: 'https://ehr.example/', jwks: { keys: [EC_KEY, RSA_KEY] }, tenant: 't1' },
      expected: {
        iss: 'https://ehr.example/',
        jku: [],
        jwks: { keys: [EC_KEY, RSA_KEY] },
        algorithms: ['ES384', 'RS384'],
        tenants: ['t1'],
      },
    },
    {
      name: 'a fixed jwksUrl and a jku given as a single string',
      entry: {
        iss: 'urn:ehr:2',
        jwksUrl: 'https://keys.ehr2.example/jwks',
        jku: 'https://keys.ehr2.example/jwks-next',
        algorithms: ['RS256', 'RS384', 'RS384'],
        tenant: ['a', 'b'],
      },
      expected: {
        iss: 'urn:ehr:2',
        jku: ['https://keys.ehr2.example/jwks-next'],
        jwksUrl: 'https://keys.ehr2.example/jwks',
        algorithms: ['RS256', 'RS384'],
        tenants: ['a', 'b'],
      },
    },
  ])('$name', ({ entry, expected }) => {
    expect(parseIssuers(JSON.stringify([entry]))).toEqual({ issuers: [expected], errors: [] });
  });
});

function entryCount(json: string): number {
  try {
    const raw: unknown = JSON.parse(json);
    return Array.isArray(raw) ? raw.length : 0;
  } catch {
    return 0;
  }
}

describe('parseIssuers: every problem is listed, naming the entry', () => {
  const one = (entry: unknown) => JSON.stringify([entry]);
  it.each([
    { name: 'not JSON', json: '[{"iss":', error: /^CDS_CLIENT_ISSUERS: not valid JSON/ },
    {
      name: 'an object, not an array',
      json: JSON.stringify(SANDBOX),
      error: /non-empty JSON array/,
    },
    { name: 'an empty array', json: '[]', error: /non-empty JSON array/ },
    {
      name: 'an entry that is not an object',
      json: '["https://x"]',
      error: /^CDS_CLIENT_ISSUERS\[0\]: must be an object/,
    },
    {
      name: 'no iss',
      json: one({ jku: SANDBOX.jku }),
      error: /\[0\]: "iss" must be a non-empty string/,
    },
    {
      name: 'iss with spaces',
      json: one({ ...SANDBOX, iss: ' https://x ' }),
      error: /"iss" must be a non-empty string/,
    },
    {
      name: 'an unknown key (typo)',
      json: one({ ...SANDBOX, jwks_uri: 'https://x/jwks' }),
      error: /\[0\] \("https:\/\/sandbox.cds-hooks.org"\): unknown key "jwks_uri"/,
    },
    { name: 'no key source', json: one({ iss: 'https://x' }), error: /needs a key source/ },
    {
      name: 'jku over http',
      json: one({ ...SANDBOX, jku: ['http://x/jwks'] }),
      error: /"jku"\[0\] "http:\/\/x\/jwks" must be an https URL/,
    },
    {
      name: 'jku not a URL',
      json: one({ ...SANDBOX, jku: ['jwks.json'] }),
      error: /not a valid absolute URL/,
    },
    {
      name: 'jku with a fragment',
      json: one({ ...SANDBOX, jku: ['https://x/jwks#k'] }),
      error: /must not contain a fragment/,
    },
    {
      name: 'jku with credentials',
      json: one({ ...SANDBOX, jku: ['https://u:p@x/jwks'] }),
      error: /must not contain credentials/,
    },
    {
      name: 'an empty jku list',
      json: one({ ...SANDBOX, jku: [] }),
      error: /"jku" must list at least one URL/,
    },
    {
      name: 'jwksUrl over http',
      json: one({ iss: 'i', jwksUrl: 'http://x/jwks' }),
      error: /"jwksUrl" "http:\/\/x\/jwks" must be an https URL/,
    },
    {
      name: 'both jwks and jwksUrl',
      json: one({ iss: 'i', jwks: { keys: [EC_KEY] }, jwksUrl: 'https://x/jwks' }),
      error: /either "jwks" or "jwksUrl"/,
    },
    {
      name: 'jwks without keys',
      json: one({ iss: 'i', jwks: { keys: [] } }),
      error: /"jwks" must be a JWK Set/,
    },
    {
      name: 'a symmetric key',
      json: one({ iss: 'i', jwks: { keys: [{ kty: 'oct', k: 'c2VjcmV0', kid: 's' }] } }),
      error: /symmetric \("oct"\) key/,
    },
    {
      name: 'a private key',
      json: one({ iss: 'i', jwks: { keys: [{ ...EC_KEY, d: 'SeFX' }] } }),
      error: /private key material \("d"\)/,
    },
    {
      name: 'a key without kid',
      json: one({ iss: 'i', jwks: { keys: [{ ...EC_KEY, kid: undefined }] } }),
      error: /needs a "kid"/,
    },
    {
      name: 'two keys with one kid',
      json: one({ iss: 'i', jwks: { keys: [EC_KEY, { ...RSA_KEY, kid: 'example-kid' }] } }),
      error: /keys\[1\]" repeats kid "example-kid" of keys\[0\]/,
    },
    {
      name: 'an EC key on an odd curve',
      json: one({ iss: 'i', jwks: { keys: [{ ...EC_KEY, alg: undefined, crv: 'secp256k1' }] } }),
      error: /"crv" must be one of/,
    },
    {
      name: 'an RSA key without n',
      json: one({ iss: 'i', jwks: { keys: [{ kty: 'RSA', kid: 'r', e: 'AQAB' }] } }),
      error: /needs "n" and "e"/,
    },
    {
      name: 'an encryption key',
      json: one({ iss: 'i', jwks: { keys: [{ ...EC_KEY, use: 'enc' }] } }),
      error: /"use" must be "sig"/,
    },
    {
      name: 'a key alg the issuer does not allow',
      json: one({ iss: 'i', jwks: { keys: [{ ...EC_KEY, alg: 'ES256' }] } }),
      error: /"alg" "ES256" is not among this issuer's algorithms/,
    },
    {
      name: 'algorithms HS256',
      json: one({ ...SANDBOX, algorithms: ['HS256'] }),
      error: /"HS256" is forbidden/,
    },
    {
      name: 'algorithms none',
      json: one({ ...SANDBOX, algorithms: ['none'] }),
      error: /"none" is forbidden/,
    },
    {
      name: 'an unknown algorithm',
      json: one({ ...SANDBOX, algorithms: ['ES999'] }),
      error: /"ES999" is not supported/,
    },
    {
      name: 'empty algorithms',
      json: one({ ...SANDBOX, algorithms: [] }),
      error: /"algorithms" must be a non-empty array/,
    },
    {
      name: 'an empty tenant',
      json: one({ ...SANDBOX, tenant: '' }),
      error: /"tenant" must be a non-empty string/,
    },
    {
      name: 'a duplicate iss',
      json: JSON.stringify([SANDBOX, SANDBOX]),
      error: /\[1\] \("https:\/\/sandbox.cds-hooks.org"\): duplicates the "iss" of entry \[0\]/,
    },
  ])('$name', ({ json, error }) => {
    const { issuers, errors } = parseIssuers(json);
    expect(errors).toContainEqual(expect.stringMatching(error));
    // The faulty entry is left out of `issuers` (each row has exactly one faulty entry).
    expect(issuers).toHaveLength(Math.max(0, entryCount(json) - 1));
  });

  it('lists all problems of all entries at once, keeps the good entries apart', () => {
    const { issuers, errors } = parseIssuers(
      JSON.stringify([
        { iss: 'https://a', jku: ['http://a/jwks'], algorithms: ['HS256'] },
        SANDBOX,
        { iss: 'https://c', jwks: { keys: [{ ...EC_KEY, d: 'x' }] }, color: 'blue' },
      ]),
    );
    expect(errors).toHaveLength(4);
    expect(errors.filter((e) => e.startsWith('CDS_CLIENT_ISSUERS[0] ("https://a")'))).toHaveLength(
      2,
    );
    expect(errors.filter((e) => e.startsWith('CDS_CLIENT_ISSUERS[2] ("https://c")'))).toHaveLength(
      2,
    );
    expect(issuers.map((i) => i.iss)).toEqual(['https://sandbox.cds-hooks.org']);
  });

  it('never echoes key material in a message', () => {
    const { errors } = parseIssuers(
      JSON.stringify([{ iss: 'i', jwks: { keys: [{ ...EC_KEY, d: 'SECRET-D' }] } }]),
    );
    expect(errors.join('\n')).not.toContain('SECRET-D');
  });
});

describe('the JWK Set cache refuses URLs outside the configuration (defence in depth)', () => {
  it('throws ERR_JKU_NOT_ALLOWED before any fetch', () => {
    let fetched = false;
    const cache = createJwksCache({
      allowedUrls: ['https://sandbox.cds-hooks.org/.well-known/jwks.json'],
      fetchJwks: async () => {
        fetched = true;
        return new Response('{"keys":[]}');
      },
    });
    expect(() => cache.remote('https://evil.example/jwks.json')).toThrow(ClientAuthError);
    expect(() => cache.remote('https://evil.example/jwks.json')).toThrow('ERR_JKU_NOT_ALLOWED');
    expect(cache.remote('https://sandbox.cds-hooks.org/.well-known/jwks.json')).toBe(
      cache.remote('https://sandbox.cds-hooks.org/.well-known/jwks.json'),
    );
    expect(fetched).toBe(false);
  });
});
