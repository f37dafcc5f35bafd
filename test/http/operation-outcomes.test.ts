/**
 * Issue 12, failure 4: an OperationOutcome where data should be. CDS Hooks: a service SHOULD
 * check prefetched data for OperationOutcomes and SHALL answer 412 when the data it needs cannot
 * be obtained. An error OperationOutcome in the data (prefetched, or a server's HTTP 200 answer)
 * is fetched again from fhirServer, else 412; a card built on data a server flagged as incomplete
 * says so and is never `info`. A warning OperationOutcome is a note, nothing more.
 * The FHIR server is nock.
 */
import nock from 'nock';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { examplePatientId, examplePrefetch, patientView } from '../support/hook-requests.js';
import { serviceBehindNock } from '../support/nock-service.js';

const FHIR = 'http://fhir.test';
const BASE = `${FHIR}/r4`;
/** The benign example: an `info` card when its data is whole. */
const NAME = 'benign';
const PID = examplePatientId(NAME);
const data = examplePrefetch(NAME) as {
  patient: unknown;
  findings: { resourceType: 'Bundle'; entry: unknown[] };
  conditions: unknown;
};

const errorOutcome = {
  resourceType: 'OperationOutcome',
  issue: [{ severity: 'error', code: 'timeout', diagnostics: 'Search timed out' }],
};
const warningOutcome = {
  resourceType: 'OperationOutcome',
  issue: [{ severity: 'warning', code: 'informational', diagnostics: 'Results may be cached' }],
};
const outcomeEntry = (resource: unknown) => ({ resource, search: { mode: 'outcome' } });
const onlyOutcome = (outcome: unknown) => ({
  resourceType: 'Bundle',
  type: 'searchset',
  entry: [outcomeEntry(outcome)],
});
const withOutcome = (outcome: unknown) => ({
  ...data.findings,
  entry: [...data.findings.entry, outcomeEntry(outcome)],
});

const service = serviceBehindNock();

type Card = { summary: string; detail: string; indicator: string };

/** A patient-view call with `findings` prefetched as given (the other keys whole). */
async function call(findings: unknown, fhirServer?: string) {
  const body = patientView(PID, {
    ...(fhirServer ? { fhirServer } : {}),
    prefetch: { patient: data.patient, conditions: data.conditions, findings },
  });
  const res = await request(service().app).post('/cds-services/vcf-assessment').send(body);
  return res as unknown as {
    status: number;
    body: { cards: Card[]; issue: { diagnostics: string }[] };
  };
}

/** nock for the findings query, answering `reply` with HTTP 200. */
const findingsQuery = (reply: unknown) =>
  nock(FHIR)
    .get('/r4/Observation')
    .query((q) => q['patient'] === PID)
    .reply(200, reply as Record<string, unknown>);

describe('the data whole: the benign card is info (the baseline)', () => {
  it('info, no word of incomplete data', async () => {
    const res = await call(data.findings);
    expect(res.status).toBe(200);
    expect(res.body.cards[0]?.indicator).toBe('info');
    expect(JSON.stringify(res.body.cards)).not.toMatch(/incomplete/i);
  });

  it('a warning OperationOutcome beside the findings is a note: still info', async () => {
    const res = await call(withOutcome(warningOutcome));
    expect(res.status).toBe(200);
    const card = res.body.cards[0] as Card;
    expect(card.indicator).toBe('info');
    expect(card.detail).toContain('Results may be cached');
    expect(card.summary).not.toMatch(/incomplete/);
  });
});

describe('a prefetched searchset holding an error OperationOutcome', () => {
  it.each([
    ['whose only entry is the OperationOutcome', onlyOutcome(errorOutcome)],
    ['with findings and the OperationOutcome', withOutcome(errorOutcome)],
  ])('%s, no fhirServer: 412 (was 200)', async (_name, findings) => {
    const res = await call(findings);
    expect(res.status).toBe(412);
    expect(res.body.issue[0]?.diagnostics).toMatch(/"findings".*OperationOutcome/);
  });

  it.each([
    ['whose only entry is the OperationOutcome', onlyOutcome(errorOutcome)],
    ['with findings and the OperationOutcome', withOutcome(errorOutcome)],
  ])('%s, with fhirServer: fetched again, the card of the whole data', async (_name, findings) => {
    const scope = findingsQuery(data.findings);
    const res = await call(findings, BASE);
    scope.done();
    expect(res.status).toBe(200);
    expect(res.body.cards[0]?.indicator).toBe('info');
    expect(JSON.stringify(res.body.cards)).not.toMatch(/incomplete/i);
  });
});

describe('a FHIR server answering the search with HTTP 200 and an error OperationOutcome', () => {
  it.each([
    ['bare', errorOutcome],
    ['as the only entry of a searchset', onlyOutcome(errorOutcome)],
  ])('%s: 412 (was 200 with no cards)', async (_name, reply) => {
    const scope = findingsQuery(reply);
    const res = await call(undefined, BASE);
    scope.done();
    expect(res.status).toBe(412);
    expect(res.body.issue[0]?.diagnostics).toMatch(/"findings".*error OperationOutcome/);
    // The server's own words are not echoed.
    expect(JSON.stringify(res.body)).not.toContain('Search timed out');
  });

  it('with findings beside it: the card says the data may be incomplete, never info', async () => {
    const scope = findingsQuery(withOutcome(errorOutcome));
    const res = await call(undefined, BASE);
    scope.done();
    expect(res.status).toBe(200);
    const card = res.body.cards[0] as Card;
    expect(card.indicator).toBe('warning');
    expect(card.summary).toMatch(/data may be incomplete/);
    expect(card.detail).toMatch(/Data may be incomplete: the data source reported error timeout/);
  });
});
