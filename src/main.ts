/**
 * Entry point: configuration -> wiring -> listen. The only module that reads process.env.
 */
import { randomUUID } from 'node:crypto';
import { loadConfig, startupWarnings } from './config/index.js';
import { knowledgeErrors } from './knowledge/index.js';
import { createLogger } from './http/logger.js';
import { createService } from './service.js';
import { openStore, resolveAuditIdKey } from './store/index.js';

async function main(): Promise<void> {
  const { config, errors } = loadConfig(process.env);
  const kb = knowledgeErrors();
  if (errors.length > 0 || kb.length > 0) {
    for (const e of [...errors, ...kb.map((k) => `knowledge base: ${k}`)]) {
      console.error(`vcf-cds: ${e}`);
    }
    console.error('vcf-cds: refusing to start; see README "Settings".');
    process.exit(1);
  }

  const logger = createLogger(config.logLevel);
  for (const warning of startupWarnings(config)) logger.warn(warning);
  const store = await openStore(config.store, logger);
  const auditIdKey = await resolveAuditIdKey(config, logger);
  const { app, metricsApp } = createService(config, {
    store,
    logger,
    now: () => new Date(),
    newId: randomUUID,
    auditIdKey,
    defaultMetrics: true,
  });

  const server = app.listen(config.port, config.host ?? '0.0.0.0', () => {
    const address = server.address();
    const port = typeof address === 'object' && address !== null ? address.port : config.port;
    logger.info({ port, store: store.kind, clientAuth: config.auth.enabled }, 'vcf-cds listening');
  });
  // Above common load-balancer idle timeouts, so the balancer closes idle sockets first.
  server.keepAliveTimeout = 65_000;
  server.requestTimeout = 30_000;
  const metricsServer =
    metricsApp && config.metricsPort !== undefined
      ? metricsApp.listen(config.metricsPort, config.host ?? '0.0.0.0', () => {
          logger.info({ port: config.metricsPort }, 'metrics listening (GET /metrics)');
        })
      : undefined;

  // Graceful shutdown: stop accepting, finish requests in flight, then close the store.
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      logger.error('requests still in flight after 10 s; exiting');
      process.exit(1);
    }, 10_000);
    force.unref();
    // Metrics stop with the service; a scrape in flight is not waited for.
    metricsServer?.close();
    metricsServer?.closeAllConnections();
    server.close(() => {
      store
        .close()
        .catch((error: unknown) => {
          logger.error(
            { err: (error as { code?: string })?.code ?? 'unknown' },
            'store close failed',
          );
        })
        .finally(() => {
          logger.info('stopped');
          process.exit(0);
        });
    });
    server.closeIdleConnections();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('unhandledRejection', (reason) => {
    logger.error({ err: (reason as { code?: string })?.code ?? 'unknown' }, 'unhandled rejection');
  });
}

main().catch((error: unknown) => {
  console.error('vcf-cds: failed to start:', (error as Error)?.message ?? error);
  process.exit(1);
});
