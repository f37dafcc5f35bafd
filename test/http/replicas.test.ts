/**
 * Scale-out (issue 5, item 6): two service instances on one PostgreSQL database hold no state a
 * replica would need. Feedback sent to either is all there; a JWT used on one replica is a replay
 * on the other; the rate limit counts a client's calls on both.
 */
import { randomUUID } from 'node:crypto';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/http/logger.js';
import { openPostgresStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/types.js';
import { createTestDatabase, type TestDatabase } from '../store/pg-database.js';
import { examplePatientView } from '../support/hook-requests.js';
import { FROZEN_NOW, startTestService, type TestService } from '../support/test-service.js';

const BASE = 'https://cds.example.org';
const ISS = 'https://ehr.example.org';
const PER_MINUTE = 10;

let db: TestDatabase;
let stores: Store[] = [];
let replicas: TestService[] = [];
let privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
/** One clock for both replicas, so the test can move to a fresh rate-limit window. */
let clock = FROZEN_NOW;

async function token(path: string): Promise<string> {
  const iat = Math.floor(FROZEN_NOW.getTime() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: 'ES384', kid: 'k1', typ: 'JWT' })
    .setIssuer(ISS)
    .setAudience(`${BASE}${path}`)
    .setIssuedAt(iat)
    .setExpirationTime(iat + 300)
    .setJti(randomUUID())
    .sign(privateKey);
}

beforeAll(async () => {
  const keys = await generateKeyPair('ES384');
  privateKey = keys.privateKey;
  const jwk = { ...(await exportJWK(keys.publicKey)), kid: 'k1' };
  db = await createTestDatabase();
  const env = {
    CDS_CLIENT_AUTH: 'true',
    PUBLIC_BASE_URL: BASE,
    CDS_CLIENT_ISSUERS: JSON.stringify([{ iss: ISS, jwks: { keys: [jwk] } }]),
    RATE_LIMIT_CLIENT_PER_MINUTE: String(PER_MINUTE),
    // The shared counter gets a twentieth of this; a loaded test machine must not make it time out
    // (each replica would then count alone, which a test of its own covers: rate-limit.test.ts).
    STORE_DEADLINE_MS: '20000',
  };
  for (let i = 0; i < 2; i++) {
    const store = await openPostgresStore({ url: db.url, logger: createLogger('silent') });
    stores.push(store);
    replicas.push(await startTestService({ env, store, now: () => clock }));
  }
});
afterAll(async () => {
  for (const r of replicas) await r.close();
  for (const s of stores) await s.close();
  await db.drop();
});

describe('two replicas, one PostgreSQL database', () => {
  it('loses no feedback sent concurrently to both replicas', async () => {
    const n = 8; // under the per-minute limit, which these calls count toward
    const sends = Array.from({ length: n }, async (_, i) => {
      const path = '/cds-services/vcf-assessment/feedback';
      return request(replicas[i % 2]!.app)
        .post(path)
        .set('authorization', `Bearer ${await token(path)}`)
        .send({
          feedback: Array.from({ length: 25 }, (_, j) => ({
            card: `00000000-0000-4000-8000-${String(i * 100 + j).padStart(12, '0')}`,
            outcome: 'accepted',
            outcomeTimestamp: '2026-11-25T10:00:00Z',
          })),
        });
    });
    const statuses = (await Promise.all(sends)).map((r) => r.status);
    expect(statuses).toEqual(Array(n).fill(200));
    // Read through the other replica's store: all 200 rows, whichever replica took them.
    expect(await stores[1]!.listFeedback()).toHaveLength(n * 25);
    expect((await db.query<{ n: string }>('SELECT count(*) AS n FROM feedback'))[0]?.n).toBe(
      String(n * 25),
    );
  });

  it('a token used on one replica is a replay on the other', async () => {
    const path = '/cds-services/vcf-assessment';
    const jwt = await token(path);
    const body = examplePatientView('benign');
    await request(replicas[0]!.app)
      .post(path)
      .set('authorization', `Bearer ${jwt}`)
      .send(body)
      .expect(200);
    await request(replicas[1]!.app)
      .post(path)
      .set('authorization', `Bearer ${jwt}`)
      .send(body)
      .expect(401);
  });

  it('the rate limit counts the client across both replicas', async () => {
    // A fresh one-minute window (tokens issued at FROZEN_NOW are still valid two minutes on).
    clock = new Date(FROZEN_NOW.getTime() + 120_000);
    const path = '/cds-services/vcf-assessment';
    const statuses: number[] = [];
    // Alternating replicas: each sees only (PER_MINUTE + 2) / 2 calls, under the limit on its own.
    for (let i = 0; i < PER_MINUTE + 2; i++) {
      const res = await request(replicas[i % 2]!.app)
        .post(path)
        .set('authorization', `Bearer ${await token(path)}`)
        .send(examplePatientView('benign'));
      statuses.push(res.status);
    }
    expect(statuses).toEqual([...Array(PER_MINUTE).fill(200), 429, 429]);
  });
});
