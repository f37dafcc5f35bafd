/**
 * Composition: one validated Config and the outside world (store, logger, clock, ids) in, the
 * express app out. `main.ts` and the tests build the service through this one function, so the
 * tests exercise the real wiring.
 */
import type { Express } from 'express';
import type { Logger } from 'pino';
import { createFhirFetcher, isFetchFailure, type FhirFetcher } from './fhir/fetch/fhir-server.js';
import type { Config } from './config/index.js';
import { createApp } from './http/app.js';
import { buildClientAuth } from './http/client-auth.js';
import { createMetrics, type Metrics } from './http/metrics.js';
import { createMetricsApp } from './http/metrics-app.js';
import { rateLimit, sharedCounterWaitMs, type RateCounter } from './http/rate-limit.js';
import type { Store } from './store/types.js';
import { orderCodeSets } from './terminology/index.js';

export interface Runtime {
  readonly store: Store;
  readonly logger: Logger;
  readonly now: () => Date;
  readonly newId: () => string;
  /** Secret key of the audit's patient id hash (resolveAuditIdKey). */
  readonly auditIdKey: Uint8Array;
  /** Process-wide metrics (CPU, memory, event loop) beside the service's own; off in tests. */
  readonly defaultMetrics?: boolean;
}

export interface Service {
  readonly app: Express;
  readonly metrics: Metrics;
  /** The app for METRICS_PORT's listener when it is set (then `app` has no /metrics). */
  readonly metricsApp: Express | undefined;
}

export function createService(config: Config, runtime: Runtime): Service {
  const { store, logger, now, newId } = runtime;
  const metrics = createMetrics({ defaultMetrics: runtime.defaultMetrics ?? false });
  const baseFetcher = createFhirFetcher(config.fhir);
  const fetcher: FhirFetcher = async (request) => {
    const result = await baseFetcher(request);
    if (isFetchFailure(result)) {
      metrics.countFetchError(result.reason);
      logger.warn({ reason: result.reason, status: result.status }, 'FHIR fetch failed');
    }
    return result;
  };
  // With PostgreSQL every replica counts in the same table; the embedded store serves one replica.
  const shared: RateCounter | undefined =
    store.kind === 'postgres'
      ? { hit: (key, windowMs, at, call) => store.hitRateLimit(key, windowMs, at, call) }
      : undefined;
  const app = createApp({
    hook: {
      engine: config.engine,
      cancerSnomedCodes: config.cancerSnomedCodes,
      ...(config.adcMinimum !== undefined ? { adcMinimum: config.adcMinimum } : {}),
      orderCodes: orderCodeSets(config),
      fetcher,
      now,
      newId,
      auditIdKey: runtime.auditIdKey,
      ...(config.publicBaseUrl !== undefined ? { publicBaseUrl: config.publicBaseUrl } : {}),
    },
    store,
    logger,
    metrics,
    bodyLimit: config.http.bodyLimit,
    corsOrigins: config.http.corsOrigins,
    trustProxy: config.http.trustProxy,
    clientAuth: buildClientAuth(config, store, now, logger),
    rateLimit: rateLimit({
      limits: config.http.rateLimit,
      ...(shared === undefined ? {} : { shared }),
      sharedWaitMs: sharedCounterWaitMs(config.store.deadlineMs),
      now,
      logger,
    }),
    playground: config.playground,
    storeDeadlineMs: config.store.deadlineMs,
    metricsHere: config.metricsPort === undefined,
  });
  const metricsApp = config.metricsPort === undefined ? undefined : createMetricsApp(metrics);
  return { app, metrics, metricsApp };
}
