import { describe, expect, it } from 'vitest';
import { parseHookRequest } from '../../src/cds/request.js';
import { parseFeedback } from '../../src/cds/feedback.js';
import { errorResponse, isAppError } from '../../src/app/errors.js';

const valid = {
  hook: 'patient-view',
  hookInstance: 'd1577c69-dfbe-44ad-ba6d-3e05e953b2ea',
  context: { userId: 'Practitioner/1', patientId: 'p1' },
};

describe('CDS Hooks request validation', () => {
  it('accepts a minimal patient-view request, with unknown extensions ignored', () => {
    const r = parseHookRequest(
      { ...valid, extension: { 'com.example.x': { a: 1 } } },
      'patient-view',
    );
    expect(isAppError(r)).toBe(false);
  });

  it.each([
    ['not an object', 'hello', '(body)'],
    ['an array', [valid], '(body)'],
    ['no context', { ...valid, context: undefined }, 'context'],
    ['no patientId', { ...valid, context: { userId: 'Practitioner/1' } }, 'context.patientId'],
    ['wrong hook for the service', { ...valid, hook: 'order-sign' }, 'hook'],
    ['no hookInstance', { ...valid, hookInstance: undefined }, 'hookInstance'],
    [
      'fhirAuthorization without fhirServer',
      { ...valid, fhirAuthorization: { access_token: 'x', token_type: 'Bearer' } },
      'fhirServer',
    ],
    [
      'token type not Bearer',
      {
        ...valid,
        fhirServer: 'https://f.example',
        fhirAuthorization: { access_token: 'x', token_type: 'MAC' },
      },
      'fhirAuthorization.token_type',
    ],
    ['prefetch value a string', { ...valid, prefetch: { patient: 'x' } }, 'prefetch.patient'],
  ])('rejects %s with 400 naming %s', (_name, body, expression) => {
    const r = parseHookRequest(JSON.parse(JSON.stringify(body ?? null)), 'patient-view');
    expect(isAppError(r)).toBe(true);
    if (!isAppError(r)) return;
    const { status, body: outcome } = errorResponse(r);
    expect(status).toBe(400);
    expect(outcome.resourceType).toBe('OperationOutcome');
    const text = JSON.stringify(outcome.issue);
    expect(text).toContain(expression);
  });

  it('order-sign needs draftOrders; order-select also needs selections', () => {
    const base = { ...valid, hook: 'order-sign' };
    expect(isAppError(parseHookRequest(base, 'order-sign'))).toBe(true);
    const signed = {
      ...base,
      context: { ...valid.context, draftOrders: { resourceType: 'Bundle', entry: [] } },
    };
    expect(isAppError(parseHookRequest(signed, 'order-sign'))).toBe(false);
    expect(isAppError(parseHookRequest({ ...signed, hook: 'order-select' }, 'order-select'))).toBe(
      true,
    );
    const selected = {
      ...signed,
      hook: 'order-select',
      context: { ...signed.context, selections: ['ServiceRequest/1'] },
    };
    expect(isAppError(parseHookRequest(selected, 'order-select'))).toBe(false);
  });
});

describe('feedback validation', () => {
  const item = {
    card: 'b8f4d2a0-6c1e-4f3a-9d2b-7e5c1a0f4b21',
    outcome: 'accepted',
    outcomeTimestamp: '2026-11-24T10:00:00Z',
  };

  it('accepts the specification body, the same card twice included', () => {
    const r = parseFeedback('vcf-assessment', {
      feedback: [
        item,
        {
          ...item,
          outcome: 'overridden',
          overrideReason: { reason: { code: 'clinical-judgement' }, userComment: 'x' },
        },
        { ...item, acceptedSuggestions: [{ id: 's1' }] },
      ],
    });
    expect(isAppError(r)).toBe(false);
    expect(r).toHaveLength(3);
  });

  it.each([
    ['no feedback array', { card: 'c1' }],
    ['an empty list', { feedback: [] }],
    ['an unknown outcome', { feedback: [{ ...item, outcome: 'ignored' }] }],
    ['no timestamp', { feedback: [{ card: 'c1', outcome: 'accepted' }] }],
    ['a timestamp that is not one', { feedback: [{ ...item, outcomeTimestamp: 'yesterday' }] }],
    ['a card that is not a uuid', { feedback: [{ ...item, card: 'c1' }] }],
    [
      'an override reason on an accepted card',
      { feedback: [{ ...item, overrideReason: { reason: { code: 'x' } } }] },
    ],
  ])('rejects %s with 400', (_name, body) => {
    const r = parseFeedback('vcf-assessment', body);
    expect(isAppError(r) && errorResponse(r).status).toBe(400);
  });

  it('an unknown service is 404', () => {
    const r = parseFeedback('nope', { feedback: [item] });
    expect(isAppError(r) && errorResponse(r).status).toBe(404);
  });
});
