/**
 * The procedure check on order-select and order-sign (docs/clinical-logic.md section 4): a vertebral
 * augmentation ordered for a level that is not benign-favoured, without a biopsy, raises a
 * critical card.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { draftOrder, examplePatientId, orderRequest } from '../support/hook-requests.js';
import { startTestService, type TestService } from '../support/test-service.js';

const CPT = 'http://www.ama-assn.org/go/cpt';
const kyphoplastyLumbar = { system: CPT, code: '22514' };
const vertebroplastyThoracic = { system: CPT, code: '22510' };
const biopsy = { system: CPT, code: '20225' };
const mri = { system: 'http://loinc.org', code: '24967-4' };

let svc: TestService;
beforeAll(async () => {
  svc = await startTestService();
});
afterAll(async () => {
  await svc.close();
});

type Card = {
  indicator: string;
  summary: string;
  detail: string;
  overrideReasons?: unknown[];
  suggestions?: { label: string }[];
  extension: { 'vcf-cds-assessment': { level: string; category: string } };
};

async function cards(service: string, body: Record<string, unknown>): Promise<Card[]> {
  const res = await request(svc.app).post(`/cds-services/${service}`).send(body).expect(200);
  return (res.body as { cards: Card[] }).cards;
}

describe.each([
  ['vcf-procedure-check', 'order-sign'],
  ['vcf-procedure-select', 'order-select'],
] as const)('%s on %s', (service, hook) => {
  const pid = examplePatientId('malignant');

  it('vertebroplasty of a malignant-favoured level without biopsy: critical card', async () => {
    const [card, ...rest] = await cards(
      service,
      orderRequest(hook, 'malignant', [draftOrder('vp1', pid, vertebroplastyThoracic, 'T10')]),
    );
    expect(rest).toEqual([]);
    expect(card!.indicator).toBe('critical');
    expect(card!.extension['vcf-cds-assessment']).toMatchObject({
      level: 'T10',
      category: 'malignant-favoured',
    });
    expect(card!.summary).toMatch(/vertebroplasty ordered without biopsy/);
    expect(card!.summary.length).toBeLessThan(140);
    expect(card!.overrideReasons?.length).toBeGreaterThan(0);
    expect(card!.suggestions?.map((s) => s.label).join()).toMatch(/biopsy of T10/);
  });

  it('with a biopsy ordered alongside: warning, not critical', async () => {
    const [card] = await cards(
      service,
      orderRequest(hook, 'malignant', [
        draftOrder('vp1', pid, vertebroplastyThoracic, 'T10'),
        draftOrder('bx1', pid, biopsy, 'T10'),
      ]),
    );
    expect(card!.indicator).toBe('warning');
  });

  it('kyphoplasty of a benign-favoured level: an info card, never critical', async () => {
    const benign = examplePatientId('benign');
    const [card] = await cards(
      service,
      orderRequest(hook, 'benign', [draftOrder('kp1', benign, kyphoplastyLumbar, 'L1')]),
    );
    expect(card!.indicator).toBe('info');
    expect(card!.extension['vcf-cds-assessment'].category).toBe('benign-favoured');
  });

  it('kyphoplasty of the malignant level of a two-level patient targets that level only', async () => {
    const two = examplePatientId('two-level');
    const result = await cards(
      service,
      orderRequest(hook, 'two-level', [draftOrder('kp1', two, kyphoplastyLumbar, 'L3')]),
    );
    expect(result.map((c) => [c.extension['vcf-cds-assessment'].level, c.indicator])).toEqual([
      ['L3', 'critical'],
    ]);
  });

  it('no augmentation among the draft orders: no card', async () => {
    expect(
      await cards(service, orderRequest(hook, 'malignant', [draftOrder('mri1', pid, mri, 'T10')])),
    ).toEqual([]);
  });

  it('an augmentation of a level with no findings is not called benign: critical, and says no findings are recorded', async () => {
    const [card] = await cards(
      service,
      orderRequest(hook, 'malignant', [draftOrder('vp2', pid, vertebroplastyThoracic, 'T4')]),
    );
    expect(card!.indicator).toBe('critical');
    expect(card!.extension['vcf-cds-assessment']).toMatchObject({
      level: 'T4',
      category: 'indeterminate',
    });
    expect(card!.detail).toMatch(/No imaging findings are recorded for T4/);
  });
});

describe('order-select: every augmentation in the draft is checked', () => {
  it('selecting another order keeps the critical card of a vertebroplasty still in the draft', async () => {
    const pid = examplePatientId('malignant');
    const body = orderRequest(
      'order-select',
      'malignant',
      [draftOrder('vp1', pid, vertebroplastyThoracic, 'T10'), draftOrder('mri1', pid, mri, 'T10')],
      ['ServiceRequest/mri1'],
    );
    const [card, ...others] = await cards('vcf-procedure-select', body);
    expect(others).toEqual([]);
    expect(card?.indicator).toBe('critical');
    expect(card?.extension['vcf-cds-assessment'].level).toBe('T10');
  });

  it('order-select without selections is a bad request (400)', async () => {
    const body = orderRequest('order-select', 'malignant', []);
    delete (body['context'] as Record<string, unknown>)['selections'];
    const res = await request(svc.app)
      .post('/cds-services/vcf-procedure-select')
      .send(body)
      .expect(400);
    expect(res.body.issue[0].expression).toContain('context.selections');
  });
});
