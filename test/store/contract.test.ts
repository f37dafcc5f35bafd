/**
 * The store contract, one table of tests run on both backends (SQLite and a real PostgreSQL):
 * what the CDS layer relies on (durable feedback and audit, every report kept, a shared replay
 * cache and rate limit across replicas, safe migrations, an orderly close).
 */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StoreError, type AuditRecord, type Store } from '../../src/store/index.js';
import { BACKENDS, type Place } from './backends.js';
import { captureLogger, type CapturedLogger } from './capture-logger.js';
import { acceptedFeedback, audit, feedback, SECRET_COMMENT } from './records.js';

const T0 = new Date('2026-01-05T10:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const HOUR = 3_600_000;

describe.each(BACKENDS)('$name store', (backend) => {
  let place: Place;
  let log: CapturedLogger;
  let store: Store;

  beforeEach(async () => {
    place = await backend.fresh();
    log = captureLogger();
    store = await place.open(log.logger);
  });

  afterEach(async () => {
    await place.dispose();
    // Free text from clinicians is stored, never logged (nor anything else a record holds).
    expect(log.text()).not.toContain('Jane Roe');
    expect(log.text()).not.toContain('a'.repeat(64));
  });

  it('reports its kind and answers ping', async () => {
    expect(store.kind).toBe(backend.kind);
    await expect(store.ping()).resolves.toBeUndefined();
  });

  it('stores feedback exactly as received and reads it back newest last', async () => {
    const items = [feedback(), acceptedFeedback(), feedback({ clientId: 'c\u0000lient' })];
    await store.saveFeedback(items);
    await store.saveFeedback([]);
    expect(await store.listFeedback()).toEqual(items);
    expect((await store.listFeedback())[0]?.overrideReason?.userComment).toBe(SECRET_COMMENT);
  });

  it('keeps every different report of a card, and a repeated report once (idempotent)', async () => {
    const first = feedback();
    const again = {
      ...first,
      outcome: 'accepted' as const,
      outcomeTimestamp: '2026-01-05T10:20:00Z',
    };
    const later = { ...first, outcomeTimestamp: '2026-01-05T10:30:00Z' };
    await store.saveFeedback([first]);
    // A retry (same service, card, outcome and outcomeTimestamp) resolves and adds no row, even
    // with other details changed: the first report stays as it was.
    await store.saveFeedback([{ ...first, receivedAt: '2026-01-05T10:12:00.000Z' }]);
    await store.saveFeedback([again, again, first]);
    await store.saveFeedback([{ ...first, serviceId: 'other-service' }, later]);
    expect(await store.listFeedback({ card: first.card })).toEqual([
      first,
      again,
      { ...first, serviceId: 'other-service' },
      later,
    ]);
    expect(await place.count('feedback')).toBe(4);
  });

  it('stores a report once when two instances receive its retry at the same moment', async () => {
    const second = await place.open(log.logger);
    const item = feedback();
    const record = audit();
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        Promise.all([
          (i % 2 ? store : second).saveFeedback([item]),
          (i % 2 ? second : store).saveAudit(record),
        ]),
      ),
    );
    expect(await store.listFeedback({ card: item.card })).toEqual([item]);
    expect(await store.listAudit({ hookInstance: record.hookInstance })).toEqual([record]);
  });

  it('keeps one audit record per service, hook instance, levels and patient; a repeat keeps the first', async () => {
    const first = audit();
    await store.saveAudit(first);
    // A retried hook call: a new record id and time, the same call. The first record stays.
    await store.saveAudit({ ...first, id: randomUUID(), time: '2026-01-05T10:12:00.000Z' });
    const otherLevels = {
      ...first,
      id: randomUUID(),
      outputs: [
        ...first.outputs,
        { ...(first.outputs[0] as AuditRecord['outputs'][number]), level: 'L2' },
      ],
    };
    const otherService = { ...first, id: randomUUID(), serviceId: 'vcf-procedure-check' };
    // A client that reuses the hookInstance for another patient: another assessment, audited.
    const otherPatient = { ...first, id: randomUUID(), patientIdHash: 'b'.repeat(64) };
    await store.saveAudit(otherLevels);
    await store.saveAudit(otherService);
    await store.saveAudit(otherPatient);
    expect(await store.listAudit({ hookInstance: first.hookInstance })).toEqual([
      first,
      otherLevels,
      otherService,
      otherPatient,
    ]);
  });

  it('ping commits a probe row (a store that can only read is not ready)', async () => {
    await store.ping();
    await store.ping();
    expect(await place.count('store_probe')).toBe(1);
  });

  it('does not store a write whose deadline has already passed', async () => {
    const item = feedback();
    const error = await store.saveFeedback([item], { deadline: 0 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).code).toBe('STORE_UNAVAILABLE');
    await expect(store.ping({ deadline: 0 })).rejects.toBeInstanceOf(StoreError);
    expect(await store.listFeedback({ card: item.card })).toEqual([]);
  });

  it('filters feedback by card and by service', async () => {
    const a = feedback({ serviceId: 'svc-a' });
    const b = acceptedFeedback({ serviceId: 'svc-b' });
    await store.saveFeedback([a, b]);
    expect(await store.listFeedback({ card: a.card })).toEqual([a]);
    expect(await store.listFeedback({ serviceId: 'svc-b' })).toEqual([b]);
    expect(await store.listFeedback({ card: a.card, serviceId: 'svc-b' })).toEqual([]);
    // PostgreSQL text cannot hold NUL: such a value is still stored whole and still found.
    const odd = feedback({ card: 'card\u0000with-nul', serviceId: 'svc\u0000c' });
    await store.saveFeedback([odd]);
    expect(await store.listFeedback({ card: odd.card, serviceId: odd.serviceId })).toEqual([odd]);
  });

  it('stores audit records and reads them back by hook instance', async () => {
    const one = audit();
    const two = audit({ hookInstance: one.hookInstance, outputs: [] });
    const other = audit();
    await Promise.all([store.saveAudit(one), store.saveAudit(two), store.saveAudit(other)]);
    expect(await store.listAudit({ hookInstance: one.hookInstance })).toEqual([one, two]);
    expect(await store.listAudit()).toHaveLength(3);
  });

  it('keeps every write across a restart (close, then open again)', async () => {
    const f = feedback();
    const a = audit();
    await store.saveFeedback([f]);
    await store.saveAudit(a);
    expect(await store.rememberJti('iss', 'jti-1', at(HOUR), T0)).toBe(true);
    await store.close();
    const reopened = await place.open(log.logger);
    expect(await reopened.listFeedback()).toEqual([f]);
    expect(await reopened.listAudit()).toEqual([a]);
    expect(await reopened.rememberJti('iss', 'jti-1', at(HOUR), at(1_000))).toBe(false);
  });

  it('remembers a jti: new, replay, other issuer, expired then new again', async () => {
    expect(await store.rememberJti('iss-a', 'j', at(HOUR), T0)).toBe(true);
    expect(await store.rememberJti('iss-a', 'j', at(HOUR), at(1))).toBe(false);
    expect(await store.rememberJti('iss-b', 'j', at(HOUR), at(2))).toBe(true);
    expect(await store.rememberJti('iss-a', 'j', at(2 * HOUR), at(HOUR - 1))).toBe(false);
    // At its expiry instant the entry is gone: the same jti is accepted and remembered anew.
    expect(await store.rememberJti('iss-a', 'j', at(2 * HOUR), at(HOUR))).toBe(true);
    expect(await store.rememberJti('iss-a', 'j', at(3 * HOUR), at(HOUR + 1))).toBe(false);
  });

  it('lets exactly one of many concurrent callers on two instances claim a jti', async () => {
    const second = await place.open(log.logger);
    const instances = [store, second];
    for (const jti of ['fresh', 'expired']) {
      if (jti === 'expired') expect(await store.rememberJti('iss', jti, at(10), T0)).toBe(true);
      const results = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          (instances[i % 2] as Store).rememberJti('iss', jti, at(HOUR), at(20)),
        ),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
    }
  });

  it('counts rate-limit hits across two instances in one fixed window', async () => {
    const second = await place.open(log.logger);
    const window = 60_000;
    const hits = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        (i % 2 === 0 ? store : second).hitRateLimit('iss:a', window, at(i * 100)),
      ),
    );
    expect([...hits].sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(await second.hitRateLimit('iss:b', window, at(5))).toBe(1);
    // T0 is on a minute boundary: the next window starts counting from one again.
    expect(await store.hitRateLimit('iss:a', window, at(window))).toBe(1);
    expect(await second.hitRateLimit('iss:a', window, at(window + 1))).toBe(2);
    await expect(store.hitRateLimit('iss:a', 0, T0)).rejects.toBeInstanceOf(RangeError);
  });

  it('loses nothing when two instances save feedback concurrently', async () => {
    const second = await place.open(log.logger);
    const batches = Array.from({ length: 120 }, (_, i) =>
      Array.from({ length: (i % 3) + 1 }, () => (i % 2 ? feedback() : acceptedFeedback())),
    );
    await Promise.all(
      batches.map((items, i) => (i % 2 === 0 ? store : second).saveFeedback(items)),
    );
    const all = batches.flat();
    expect(await place.count('feedback')).toBe(all.length);
    const stored = await second.listFeedback();
    expect(new Set(stored.map((f) => f.card))).toEqual(new Set(all.map((f) => f.card)));
  });

  it('applies migrations once: idempotent on reopen, safe when instances open at once', async () => {
    const versions = await place.migrations();
    expect(versions.length).toBeGreaterThan(0);
    const more = await Promise.all(Array.from({ length: 4 }, () => place.open(log.logger)));
    await Promise.all(more.map((s) => s.close()));
    await store.close();
    await place.open(log.logger);
    expect(await place.migrations()).toEqual(versions);
  });

  it('migrates safely when several instances open an empty database at the same moment', async () => {
    const empty = await backend.fresh();
    try {
      const stores = await Promise.all(Array.from({ length: 4 }, () => empty.open(log.logger)));
      await Promise.all(
        stores.map((s, i) => s.saveFeedback([feedback({ serviceId: `svc-${i}` })])),
      );
      expect(await empty.count('feedback')).toBe(4);
      expect(new Set(await empty.migrations()).size).toBe((await empty.migrations()).length);
    } finally {
      await empty.dispose();
    }
  });

  it('waits for pending writes on close, then rejects every call with STORE_CLOSED', async () => {
    const items = Array.from({ length: 25 }, () => feedback());
    const pending = items.map((f) => store.saveFeedback([f]));
    const auditing = store.saveAudit(audit());
    await store.close();
    await expect(Promise.all([...pending, auditing])).resolves.toBeDefined();
    expect(await place.count('feedback')).toBe(items.length);
    expect(await place.count('audit')).toBe(1);
    await expect(store.close()).resolves.toBeUndefined();
    const calls: [string, () => Promise<unknown>][] = [
      ['saveFeedback', () => store.saveFeedback([feedback()])],
      ['saveFeedback([])', () => store.saveFeedback([])],
      ['saveAudit', () => store.saveAudit(audit())],
      ['listFeedback', () => store.listFeedback()],
      ['listAudit', () => store.listAudit()],
      ['rememberJti', () => store.rememberJti('i', randomUUID(), at(HOUR), T0)],
      ['hitRateLimit', () => store.hitRateLimit('k', 60_000, T0)],
      ['ping', () => store.ping()],
    ];
    for (const [name, call] of calls) {
      const error = await call().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error, name).toBeInstanceOf(StoreError);
      expect((error as StoreError).code, name).toBe('STORE_CLOSED');
    }
  });

  it('purges expired jti and rate-limit rows opportunistically', async () => {
    await store.rememberJti('iss', 'old', at(1_000), T0);
    await store.hitRateLimit('k', 60_000, T0);
    await store.rememberJti('iss', 'live', at(10 * HOUR), at(2_000));
    expect(await place.count('jti_cache')).toBe(2);
    // The purge runs at most once a minute of the callers' clock; this call is two hours later.
    await store.rememberJti('iss', 'new', at(10 * HOUR), at(2 * HOUR));
    await store.ping();
    await store.close(); // also waits for the purge, which runs in the background
    expect(await place.count('jti_cache')).toBe(2); // live + new
    expect(await place.count('rate_limit')).toBe(0);
  });
});
