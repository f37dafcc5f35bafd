/**
 * The fetcher against nock: bearer token, paging, failure classes. The timeout is generous (2 s) so
 * a loaded machine does not fail these; the real timeout is tested in fhir-server-faults.
 */
import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createFhirFetcher, isFetchFailure, requestUrl } from '../../src/fhir/fetch/fhir-server.js';

const server = 'http://fhir.test/r4';
const fetcher = createFhirFetcher({ timeoutMs: 2000, maxPages: 3 });

beforeAll(() => {
  nock.disableNetConnect();
});
afterEach(() => {
  nock.cleanAll();
});

const page = (n: number, next?: string) => ({
  resourceType: 'Bundle',
  type: 'searchset',
  entry: [{ resource: { resourceType: 'Observation', id: `o${n}` } }],
  ...(next ? { link: [{ relation: 'next', url: next }] } : {}),
});

describe('fetching from the client FHIR server', () => {
  it('sends the bearer token and follows next links', async () => {
    const scope = nock('http://fhir.test', { reqheaders: { authorization: 'Bearer secret-token' } })
      .get('/r4/Observation')
      .query({ patient: 'p1' })
      .reply(200, page(1, `${server}/Observation?page=2`))
      .get('/r4/Observation')
      .query({ page: '2' })
      .reply(200, page(2));
    const r = await fetcher({
      fhirServer: server,
      accessToken: 'secret-token',
      query: 'Observation?patient=p1',
    });
    expect(isFetchFailure(r)).toBe(false);
    expect(r).toHaveLength(2);
    scope.done();
  });

  it('does not follow a next link to another host (the token stays home)', async () => {
    nock('http://fhir.test')
      .get('/r4/Observation')
      .query(true)
      .reply(200, page(1, 'http://evil.test/steal'));
    const evil = nock('http://evil.test').get('/steal').reply(200, page(9));
    const r = await fetcher({ fhirServer: server, accessToken: 't', query: 'Observation?x=1' });
    expect(r).toHaveLength(1);
    expect(evil.isDone()).toBe(false);
  });

  it.each([
    [
      'answers 500',
      () =>
        nock('http://fhir.test')
          .get('/r4/Patient/p1')
          .reply(500, { resourceType: 'OperationOutcome' }),
      'http-error',
    ],
    [
      'answers HTML',
      () => nock('http://fhir.test').get('/r4/Patient/p1').reply(200, '<html>login</html>'),
      'not-json',
    ],
    [
      'answers JSON that is not FHIR',
      () => nock('http://fhir.test').get('/r4/Patient/p1').reply(200, { hello: 'world' }),
      'not-fhir',
    ],
  ])('fails cleanly when the server %s', async (_name, arrange, reason) => {
    arrange();
    const r = await fetcher({ fhirServer: server, query: 'Patient/p1' });
    expect(isFetchFailure(r) && r.reason).toBe(reason);
  });

  it('stops after the page limit', async () => {
    nock('http://fhir.test')
      .get('/r4/Observation')
      .query(true)
      .times(5)
      .reply(200, page(1, `${server}/Observation?more=1`));
    const r = await fetcher({ fhirServer: server, query: 'Observation?x=1' });
    expect(isFetchFailure(r) && r.reason).toBe('too-many-pages');
  });
});

describe('requestUrl: RFC 3986-clean request targets', () => {
  const base = 'https://fhir.example.org/r4';
  it.each([
    [
      'the findings template: `|` encoded',
      'Observation?patient=p1&code=https://w3id.org/vcf-cds/fhir/CodeSystem/vcf-finding|&_count=200',
      'https://fhir.example.org/r4/Observation?patient=p1&code=https://w3id.org/vcf-cds/fhir/CodeSystem/vcf-finding%7C&_count=200',
    ],
    [
      "a server's next link, already encoded: left as it is (no %257C)",
      'https://fhir.example.org/r4/Observation?code=https%3A%2F%2Fw3id.org%2Fx%7C&_offset=200',
      'https://fhir.example.org/r4/Observation?code=https%3A%2F%2Fw3id.org%2Fx%7C&_offset=200',
    ],
    [
      "a server's next link with raw `|`, `[`, `^`, `{` : encoded",
      'https://fhir.example.org/r4/Observation?code=a|b&x=[1]^{2}',
      'https://fhir.example.org/r4/Observation?code=a%7Cb&x=%5B1%5D%5E%7B2%7D',
    ],
    [
      'a stray % and non-ASCII: encoded; the fragment dropped',
      'Patient?name=100%&family=Müller#frag',
      'https://fhir.example.org/r4/Patient?name=100%25&family=M%C3%BCller',
    ],
  ])('%s', (_name, url, expected) => {
    expect(requestUrl(base, url)).toBe(expected);
  });
});
