/**
 * CDS Hooks feedback: validated, stored durably before the 200, every report kept (the same card
 * may be reported more than once), 503 when the store cannot take it.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from '../support/test-service.js';

let svc: TestService;
beforeAll(async () => {
  svc = await startTestService();
});
afterAll(async () => {
  await svc.close();
});

const CARD = 'b8f4d2a0-6c1e-4f3a-9d2b-7e5c1a0f4b21';
const accepted = {
  card: CARD,
  outcome: 'accepted',
  acceptedSuggestions: [{ id: 'e56e1945-20b3-4393-8503-a1a20fd73152' }],
  outcomeTimestamp: '2026-11-24T10:00:00Z',
};
const overridden = {
  card: CARD,
  outcome: 'overridden',
  overrideReason: {
    reason: {
      system: 'https://w3id.org/vcf-cds/fhir/CodeSystem/override-reason',
      code: 'biopsy-done-or-scheduled',
      display: 'Biopsy already done or scheduled',
    },
    userComment: 'Biopsy booked for Thursday',
  },
  outcomeTimestamp: '2026-11-24T10:05:00-05:00',
};

const send = (body: unknown, service = 'vcf-assessment') =>
  request(svc.app)
    .post(`/cds-services/${service}/feedback`)
    .send(body as object);

describe('feedback', () => {
  it('stores accepted and overridden reports, each kept, a retried one once, and answers only once stored', async () => {
    await send({ feedback: [accepted] }).expect(200);
    // The second `accepted` repeats the first (same card, outcome and outcomeTimestamp): a retry.
    const retried = await send({ feedback: [overridden, accepted] }).expect(200);
    expect(retried.body).toEqual({ stored: 2 });
    await send({ feedback: [overridden] }).expect(200);
    const stored = await svc.store.listFeedback({ card: CARD });
    expect(stored.map((f) => f.outcome)).toEqual(['accepted', 'overridden']);
    expect(stored[1]).toMatchObject({
      serviceId: 'vcf-assessment',
      overrideReason: {
        reason: { code: 'biopsy-done-or-scheduled' },
        userComment: 'Biopsy booked for Thursday',
      },
      outcomeTimestamp: '2026-11-24T10:05:00-05:00',
    });
    expect(stored[0]?.acceptedSuggestions).toEqual([
      { id: 'e56e1945-20b3-4393-8503-a1a20fd73152' },
    ]);
  });

  it.each([
    ['no feedback array', { card: CARD }],
    ['empty feedback array', { feedback: [] }],
    ['unknown outcome', { feedback: [{ ...accepted, outcome: 'ignored' }] }],
    [
      'missing card',
      { feedback: [{ outcome: 'accepted', outcomeTimestamp: accepted.outcomeTimestamp }] },
    ],
    ['bad timestamp', { feedback: [{ ...accepted, outcomeTimestamp: 'yesterday' }] }],
    ['a placeholder card', { feedback: [{ ...accepted, card: '<card uuid>' }] }],
    [
      'overrideReason on an accepted card',
      { feedback: [{ ...accepted, overrideReason: overridden.overrideReason }] },
    ],
  ])('400 with an OperationOutcome: %s', async (_name, body) => {
    const res = await send(body).expect(400);
    expect(res.body.resourceType).toBe('OperationOutcome');
    expect(res.body.issue.length).toBeGreaterThan(0);
  });

  it.each([
    [
      'an impossible date-time',
      { ...accepted, outcomeTimestamp: '2020-13-45T99:99Z' },
      'outcomeTimestamp',
    ],
    ['no seconds', { ...accepted, outcomeTimestamp: '2026-11-24T10:00Z' }, 'outcomeTimestamp'],
    ['no offset', { ...accepted, outcomeTimestamp: '2026-11-24T10:00:00' }, 'outcomeTimestamp'],
    [
      '29 February of a common year',
      { ...accepted, outcomeTimestamp: '2026-02-29T10:00:00Z' },
      'outcomeTimestamp',
    ],
    ['a card that is not a uuid', { ...accepted, card: 'card-1' }, 'card'],
    ['a uuid with braces', { ...accepted, card: `{${CARD}}` }, 'card'],
    ['an empty overrideReason', { ...overridden, overrideReason: {} }, 'overrideReason'],
    [
      'an empty comment only',
      { ...overridden, overrideReason: { userComment: '' } },
      'overrideReason.userComment',
    ],
  ])('400 naming the element, nothing stored: %s', async (_name, item, element) => {
    const before = (await svc.store.listFeedback()).length;
    const res = await send({ feedback: [item] }).expect(400);
    expect(res.body.issue[0].expression).toEqual([`feedback[0].${element}`]);
    expect((await svc.store.listFeedback()).length).toBe(before);
  });

  it('RFC 3339 lowercase t and z, and an upper-case uuid: stored as sent', async () => {
    const item = {
      ...accepted,
      card: CARD.toUpperCase(),
      outcomeTimestamp: '2026-11-24t10:00:00.5z',
    };
    await send({ feedback: [item] }).expect(200);
    const [stored] = await svc.store.listFeedback({ card: CARD.toUpperCase() });
    expect(stored?.outcomeTimestamp).toBe('2026-11-24t10:00:00.5z');
  });

  it('a null item: one clear issue, not a list of schema internals', async () => {
    const res = await send({ feedback: [accepted, null] }).expect(400);
    expect(res.body.issue).toEqual([
      {
        severity: 'error',
        code: 'value',
        diagnostics: 'feedback[1] must be a JSON object',
        expression: ['feedback[1]'],
      },
    ]);
  });

  it('acceptedSuggestions on an overridden card: named as only for "accepted"', async () => {
    const res = await send({
      feedback: [{ ...overridden, acceptedSuggestions: accepted.acceptedSuggestions }],
    }).expect(400);
    expect(res.body.issue.map((i: { diagnostics: string }) => i.diagnostics)).toEqual([
      'feedback[0].acceptedSuggestions is only for outcome "accepted"',
    ]);
  });

  it.each([
    [
      'fractional seconds and an offset',
      { ...accepted, outcomeTimestamp: '1985-04-12T23:20:50.52+02:00' },
    ],
    ['a leap day', { ...accepted, outcomeTimestamp: '2024-02-29T00:00:00Z' }],
    [
      'a comment without a coded reason',
      { ...overridden, overrideReason: { userComment: 'seen' } },
    ],
    [
      'overridden without a reason (spec example)',
      { card: CARD, outcome: 'overridden', outcomeTimestamp: '2020-12-11T00:00:00Z' },
    ],
    // The spec makes acceptedSuggestions the client's duty, not a reason to lose the report.
    [
      'accepted without acceptedSuggestions',
      { card: CARD, outcome: 'accepted', outcomeTimestamp: '2026-11-24T10:00:00Z' },
    ],
  ])('stored: %s', async (_name, item) => {
    await send({ feedback: [item] }).expect(200);
  });

  it('the comment is stored but never logged', async () => {
    await send({
      feedback: [
        {
          ...overridden,
          overrideReason: { ...overridden.overrideReason, userComment: 'patient Jane Roe 1950' },
        },
      ],
    }).expect(200);
    expect(svc.rawLog()).not.toContain('Jane Roe');
  });

  it('503 when the store cannot take the write; nothing claimed stored', async () => {
    const broken = await startTestService();
    await broken.store.close();
    const res = await request(broken.app)
      .post('/cds-services/vcf-assessment/feedback')
      .send({ feedback: [accepted] })
      .expect(503);
    expect(res.body.issue[0].code).toBe('transient');
    await broken.close().catch(() => undefined);
  });
});
