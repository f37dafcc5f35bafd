/**
 * The real service for tests whose FHIR server is nock: no network but loopback (supertest's
 * own), interceptors cleared after each test, the service closed at the end.
 */
import nock from 'nock';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { startTestService, type TestService } from './test-service.js';

/** Registers the hooks; the returned function gives the service once `beforeAll` ran. */
export function serviceBehindNock(
  options: Parameters<typeof startTestService>[0] = {},
): () => TestService {
  let svc: TestService | undefined;
  beforeAll(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
    svc = await startTestService(options);
  });
  afterEach(() => {
    nock.cleanAll();
  });
  afterAll(async () => {
    nock.enableNetConnect();
    await svc?.close();
  });
  return () => {
    if (svc === undefined) throw new Error('the service starts in beforeAll');
    return svc;
  };
}
