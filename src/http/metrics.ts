/**
 * Prometheus metrics: request counts and latency by service and status, assessments by category,
 * FHIR fetch errors, and how long the audit record's commit (its fsync included) holds an answer
 * back. One registry per app instance, so tests do not share counters.
 */
import type { RequestHandler } from 'express';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { findService } from '../cds/services.js';

export interface Metrics {
  readonly middleware: RequestHandler;
  countAssessments(serviceId: string, categories: readonly string[]): void;
  countFetchError(reason: string): void;
  /** Seconds an audit record took to commit, by outcome ('stored' or 'failed'). */
  observeAuditCommit(seconds: number, outcome: 'stored' | 'failed'): void;
  render(): Promise<string>;
  readonly contentType: string;
}

const FIXED_ROUTES: ReadonlySet<string> = new Set([
  '/cds-services',
  '/healthz',
  '/readyz',
  '/metrics',
  '/api/assess',
  '/playground',
]);
const SERVICE_PATH = /^\/cds-services\/([^/]+)(\/feedback)?\/?$/;

/**
 * The route label, from the path alone, so every answer is labelled alike whichever middleware
 * sent it (401, 413, 415, 429 and 400s before the handler included). Known service ids only
 * (else `unknown`) and a fixed list of routes: an attacker cannot grow the label set.
 */
export function routeOf(path: string): string {
  const m = SERVICE_PATH.exec(path);
  if (m) {
    const id = findService(m[1]!)?.id ?? 'unknown';
    return m[2] ? `feedback:${id}` : `service:${id}`;
  }
  if (path.startsWith('/playground/')) return '/playground';
  return FIXED_ROUTES.has(path) ? path : 'other';
}

export function createMetrics(options: { defaultMetrics: boolean }): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics) collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: 'vcf_cds_http_requests_total',
    help: 'HTTP requests by route and status',
    labelNames: ['route', 'status'],
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'vcf_cds_http_request_duration_seconds',
    help: 'HTTP request latency by route and status',
    labelNames: ['route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const assessments = new Counter({
    name: 'vcf_cds_assessments_total',
    help: 'Level assessments returned as cards, by service and category',
    labelNames: ['service', 'category'],
    registers: [registry],
  });
  const fetchErrors = new Counter({
    name: 'vcf_cds_fhir_fetch_errors_total',
    help: 'Failed queries to a client FHIR server, by reason',
    labelNames: ['reason'],
    registers: [registry],
  });
  // Every answer with cards waits for this commit: a slow disk's fsync shows here first.
  const auditCommit = new Histogram({
    name: 'vcf_cds_audit_commit_duration_seconds',
    help: 'Time from handing an audit record to the store to its commit, by outcome',
    labelNames: ['outcome'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const auditCommitSeries = {
    stored: auditCommit.labels('stored'),
    failed: auditCommit.labels('failed'),
  };
  // The label-bound children of the two request series, one per route and status: binding labels
  // hashes them, which would otherwise happen twice per request. Routes are a fixed set and
  // statuses few, so the map stays small.
  const bound = new Map<string, { count: () => void; observe: (seconds: number) => void }>();
  const seriesFor = (route: string, status: number) => {
    const key = `${route} ${status}`;
    let series = bound.get(key);
    if (series === undefined) {
      const counted = requests.labels(route, String(status));
      const observed = latency.labels(route, String(status));
      series = { count: () => counted.inc(), observe: (s) => observed.observe(s) };
      bound.set(key, series);
    }
    return series;
  };
  const assessmentSeriesMap = new Map<string, ReturnType<typeof assessments.labels>>();
  const assessmentSeries = (service: string, category: string) => {
    const key = `${service} ${category}`;
    let series = assessmentSeriesMap.get(key);
    if (series === undefined) {
      series = assessments.labels(service, category);
      assessmentSeriesMap.set(key, series);
    }
    return series;
  };
  return {
    middleware: (req, res, next) => {
      const start = process.hrtime.bigint();
      // The path as received: a router that strips a mount prefix cannot change it.
      const route = routeOf(req.originalUrl.split('?', 1)[0] ?? '');
      res.on('finish', () => {
        const series = seriesFor(route, res.statusCode);
        series.count();
        series.observe(Number(process.hrtime.bigint() - start) / 1e9);
      });
      next();
    },
    countAssessments: (service, categories) => {
      for (const category of categories) assessmentSeries(service, category).inc();
    },
    countFetchError: (reason) => fetchErrors.inc({ reason }),
    observeAuditCommit: (seconds, outcome) => auditCommitSeries[outcome].observe(seconds),
    render: () => registry.metrics(),
    contentType: registry.contentType,
  };
}
