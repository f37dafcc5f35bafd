/**
 * Issue 12, failure 3: an optional request field sent as `null` (older clients send
 * `"fhirAuthorization": null`) is read as absent; a required one stays an error (400).
 */
import { describe, expect, it } from 'vitest';
import { parseHookRequest, type HookRequest } from '../../src/cds/request.js';
import { errorResponse, isAppError } from '../../src/app/errors.js';
import type { HookName } from '../../src/cds/services.js';

const draftOrders = { resourceType: 'Bundle', entry: [] };
const base: Record<HookName, Record<string, unknown>> = {
  'patient-view': {
    hook: 'patient-view',
    hookInstance: 'd1577c69-dfbe-44ad-ba6d-3e05e953b2ea',
    context: { userId: 'Practitioner/1', patientId: 'p1' },
  },
  'order-select': {
    hook: 'order-select',
    hookInstance: 'd1577c69-dfbe-44ad-ba6d-3e05e953b2eb',
    context: { patientId: 'p1', draftOrders, selections: ['ServiceRequest/1'] },
  },
  'order-sign': {
    hook: 'order-sign',
    hookInstance: 'd1577c69-dfbe-44ad-ba6d-3e05e953b2ec',
    context: { patientId: 'p1', draftOrders },
  },
};
const server = 'https://fhir.example.org/r4';
const token = { access_token: 'x', token_type: 'Bearer' };

/** The body with `value` set at `path` (dot-separated). */
function withField(hook: HookName, path: string, value: unknown): Record<string, unknown> {
  const body = structuredClone(base[hook]);
  const keys = path.split('.');
  let at = body;
  for (const k of keys.slice(0, -1)) at = (at[k] ??= {}) as Record<string, unknown>;
  at[keys.at(-1) as string] = value;
  return body;
}

function parsed(hook: HookName, body: Record<string, unknown>): HookRequest {
  const r = parseHookRequest(body, hook);
  if (isAppError(r)) throw new Error(JSON.stringify(errorResponse(r).body.issue));
  return r;
}

describe('an optional field sent as null is read as absent', () => {
  it.each([
    ['patient-view', 'fhirServer'],
    ['patient-view', 'fhirAuthorization'],
    ['patient-view', 'prefetch'],
    ['patient-view', 'extension'],
    ['patient-view', 'context.userId'],
    ['patient-view', 'context.encounterId'],
    ['order-select', 'context.encounterId'],
    ['order-sign', 'context.selections'],
    ['order-sign', 'context.userId'],
  ] as const)('%s: %s', (hook, path) => {
    const r = parsed(hook, withField(hook, path, null));
    const [first, second] = path.split('.') as [string, string | undefined];
    const holder = (
      second === undefined ? r : (r as unknown as Record<string, unknown>)[first]
    ) as Record<string, unknown>;
    expect(Object.hasOwn(holder, second ?? first)).toBe(false);
  });

  it.each(['expires_in', 'scope', 'subject', 'patient'])(
    'fhirAuthorization.%s, beside a valid token',
    (field) => {
      const body = { ...base['patient-view'], fhirServer: server, fhirAuthorization: { ...token } };
      (body.fhirAuthorization as Record<string, unknown>)[field] = null;
      const r = parsed('patient-view', body);
      expect(r.fhirAuthorization).toEqual(token);
    },
  );

  it('fhirAuthorization and fhirServer both null, with a prefetch: valid', () => {
    const r = parsed('patient-view', {
      ...base['patient-view'],
      fhirServer: null,
      fhirAuthorization: null,
      prefetch: { patient: null },
    });
    expect(r.fhirServer).toBeUndefined();
    expect(r.fhirAuthorization).toBeUndefined();
    // A null prefetch value keeps its meaning: "no data", not to be fetched.
    expect(r.prefetch).toEqual({ patient: null });
  });
});

describe('a required field sent as null is still a 400 naming it', () => {
  it.each([
    ['patient-view', 'hookInstance'],
    ['patient-view', 'context'],
    ['patient-view', 'context.patientId'],
    ['order-sign', 'context.draftOrders'],
    ['order-select', 'context.selections'],
  ] as const)('%s: %s', (hook, path) => {
    const r = parseHookRequest(withField(hook, path, null), hook);
    expect(isAppError(r)).toBe(true);
    if (!isAppError(r)) return;
    const { status, body } = errorResponse(r);
    expect(status).toBe(400);
    expect(JSON.stringify(body.issue)).toContain(path);
  });

  it('a token with fhirServer null is refused: the token needs its server', () => {
    const r = parseHookRequest(
      { ...base['patient-view'], fhirServer: null, fhirAuthorization: token },
      'patient-view',
    );
    expect(isAppError(r)).toBe(true);
  });

  it('fhirAuthorization.access_token null is refused', () => {
    const r = parseHookRequest(
      {
        ...base['patient-view'],
        fhirServer: server,
        fhirAuthorization: { ...token, access_token: null },
      },
      'patient-view',
    );
    expect(isAppError(r)).toBe(true);
  });
});
