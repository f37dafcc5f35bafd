/**
 * Prefetch first, the FHIR server second (CDS Hooks 2.0 "Prefetch"): a paged prefetched search is
 * completed from the fhirServer, on its own origin only, with the client's token.
 */
import { describe, expect, it } from 'vitest';
import type { FetchRequest, FhirFetcher } from '../../src/fhir/fetch/fhir-server.js';
import { gatherData } from '../../src/cds/prefetch.js';
import { isAppError } from '../../src/app/errors.js';
import type { HookRequest } from '../../src/cds/request.js';

const SERVER = 'https://fhir.example.org/r4';
const page = (id: string, next?: string) => ({
  resourceType: 'Bundle',
  type: 'searchset',
  ...(next ? { link: [{ relation: 'next', url: next }] } : {}),
  entry: [{ resource: { resourceType: 'Observation', id } }],
});

function request(findings: unknown, fhirServer?: string): HookRequest {
  return {
    hook: 'patient-view',
    hookInstance: 'a1b2c3d4-0000-4000-8000-000000000000',
    ...(fhirServer ? { fhirServer } : {}),
    ...(fhirServer
      ? {
          fhirAuthorization: {
            access_token: 'TOKEN',
            token_type: 'Bearer',
            expires_in: 300,
            scope: 'patient/*.read',
            subject: 'vcf-cds',
          },
        }
      : {}),
    context: { userId: 'Practitioner/1', patientId: 'p1' },
    prefetch: { patient: { resourceType: 'Patient', id: 'p1' }, findings, conditions: null },
  } as unknown as HookRequest;
}

/** A FHIR server double that answers each query with the pages given for it. */
function server(pages: Record<string, unknown[]>): { fetcher: FhirFetcher; calls: FetchRequest[] } {
  const calls: FetchRequest[] = [];
  return {
    calls,
    fetcher: async (r) => {
      calls.push(r);
      return (
        pages[r.query] ?? {
          kind: 'fetch-failure',
          reason: 'http-error',
          status: 404,
          detail: 'the FHIR server answered HTTP 404',
        }
      );
    },
  };
}

describe('gatherData', () => {
  it("follows a prefetched search's next link on the fhirServer, with the token", async () => {
    const next = `${SERVER}/Observation?page=2`;
    const s = server({ [next]: [page('o2')] });
    const data = await gatherData(request(page('o1', next), SERVER), s.fetcher);
    expect(isAppError(data)).toBe(false);
    expect(s.calls).toEqual([{ fhirServer: SERVER, query: next, accessToken: 'TOKEN' }]);
    expect(JSON.stringify(data)).toContain('"o2"');
  });

  it('a next page that cannot be fetched is data that cannot be obtained (412)', async () => {
    const s = server({});
    const data = await gatherData(
      request(page('o1', `${SERVER}/Observation?page=2`), SERVER),
      s.fetcher,
    );
    expect(isAppError(data) && data.code).toBe('data-unavailable');
  });

  it('never sends the token to another host; without a fhirServer the first page is used', async () => {
    const s = server({});
    const elsewhere = await gatherData(
      request(page('o1', 'https://other.example.org/Observation?page=2'), SERVER),
      s.fetcher,
    );
    expect(s.calls).toEqual([]);
    expect(isAppError(elsewhere)).toBe(false);
    const none = await gatherData(request(page('o1', `${SERVER}/Observation?page=2`)), s.fetcher);
    expect(s.calls).toEqual([]);
    expect(isAppError(none)).toBe(false);
  });
});
