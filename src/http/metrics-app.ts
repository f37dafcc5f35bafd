/**
 * Serving the Prometheus metrics: on the service's own app, or (METRICS_PORT) on a listener of
 * their own that the ingress never publishes, so request counts, latencies and process figures
 * are not readable from the internet.
 */
import express, { type RequestHandler } from 'express';
import type { Metrics } from './metrics.js';

/** GET /metrics: the Prometheus text exposition. */
export function metricsHandler(metrics: Metrics): RequestHandler {
  return async (_req, res) => {
    res.type(metrics.contentType).send(await metrics.render());
  };
}

/** The METRICS_PORT listener's app: GET /metrics and nothing else. */
export function createMetricsApp(metrics: Metrics): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.get('/metrics', metricsHandler(metrics));
  app.use((_req, res) => {
    res.status(404).type('text/plain').send('This port serves GET /metrics only.\n');
  });
  return app;
}
