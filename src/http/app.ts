/**
 * The HTTP adapter: express 5 routes that hand bodies to `cds/` and send what it returns. Handlers
 * are a few lines and `return` after every response (ARCHITECTURE.md).
 */
import express, {
  type NextFunction,
  type Request,
  type RequestHandler,
  type Response,
} from 'express';
import type { Logger } from 'pino';
import { discoveryDocument, SERVICES } from '../cds/services.js';
import { handleHookRequest, type HookDeps } from '../cds/handle-hook.js';
import type { AuditDraft } from '../app/audit-draft.js';
import { commitAudit } from '../app/commit-audit.js';
import { storeFeedback } from '../app/store-feedback.js';
import { parseFeedback } from '../cds/feedback.js';
import { handleAssessBundle } from '../cds/assess-bundle.js';
import { appError, isAppError } from '../app/errors.js';
import { sendError } from './send-error.js';
import type { Store } from '../store/types.js';
import type { ClientIdentity } from './client-auth.js';
import { corsMiddleware } from './cors.js';
import { MAX_JSON_DEPTH, nestedDeeperThan } from '../fhir/index.js';
import { methodRouter } from './method-page.js';
import { playgroundRouter } from './playground.js';
import { securityHeaders } from './security-headers.js';
import { budgetOf, storeBudgetMiddleware } from './store-budget.js';
import type { Metrics } from './metrics.js';
import { metricsHandler } from './metrics-app.js';

export interface AppDeps {
  readonly hook: HookDeps;
  readonly store: Store;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly bodyLimit: string;
  readonly corsOrigins: readonly string[] | '*';
  /** Express's `trust proxy` (TRUST_PROXY): false, a hop count, or proxy addresses / CIDRs. */
  readonly trustProxy: false | number | readonly string[];
  /** Client JWT check for a CDS endpoint; `audience` is the URL invoked. Off: passes through. */
  readonly clientAuth: (kind: 'service' | 'feedback') => RequestHandler;
  /** Per-client rate limit; answers 429 itself. */
  readonly rateLimit: RequestHandler;
  /** Serve /playground (PLAYGROUND setting). */
  readonly playground: boolean;
  /** STORE_DEADLINE_MS: the store time one request may take, all its store calls together. */
  readonly storeDeadlineMs: number;
  /** Serve /metrics on this app: true unless METRICS_PORT gives them a listener of their own. */
  readonly metricsHere: boolean;
}

/** After parsing: a body nested deeper than any FHIR content is refused before anything walks it. */
const limitDepth: RequestHandler = (req, res, next) => {
  if (nestedDeeperThan(req.body, MAX_JSON_DEPTH)) {
    sendError(
      res,
      appError('invalid-request', `The request body nests deeper than ${MAX_JSON_DEPTH} levels.`),
    );
    return;
  }
  next();
};

/** A Host header as a URL authority: a name or address and a port, nothing else. */
const HOST = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

/**
 * The hook's dependencies with the base URL of the cards' links: PUBLIC_BASE_URL when set, else
 * the origin this request reached (local use, the sandbox), as express reads it behind the
 * trusted proxies; undefined when the Host is not a plain authority (the answer is then 400).
 */
function hookDepsFor(hook: HookDeps, req: Request): HookDeps | undefined {
  if (hook.publicBaseUrl !== undefined) return hook;
  const host = req.get('host');
  // RFC 9112 section 3.2: a request whose Host is not a valid authority is answered 400.
  if (host === undefined || !HOST.test(host)) return undefined;
  return { ...hook, publicBaseUrl: `${req.protocol}://${host}` };
}

/** JSON bodies only: anything else is 415 before parsing. */
const requireJson: RequestHandler = (req, res, next) => {
  if (
    req.method === 'POST' &&
    !req.is(['application/json', 'application/fhir+json', 'application/*+json'])
  ) {
    sendError(res, appError('unsupported-media-type', 'Send the body as application/json.'));
    return;
  }
  next();
};

/** The authenticated client's JWT iss, when client authentication is on. */
function clientIdOf(res: Response): string | undefined {
  return (res.locals['client'] as ClientIdentity | undefined)?.iss;
}

/**
 * Commits the audit record of an assessment before its answer is sent (src/app/commit-audit.ts).
 * False when the 503 has been sent.
 */
async function auditCommitted(
  deps: AppDeps,
  res: Response,
  draft: AuditDraft,
  fhir = false,
): Promise<boolean> {
  const result = await commitAudit(draft, clientIdOf(res), {
    store: deps.store,
    now: deps.hook.now,
    newId: deps.hook.newId,
    budget: budgetOf(res),
    logger: deps.logger,
    observe: (seconds, outcome) => deps.metrics.observeAuditCommit(seconds, outcome),
  });
  if (!result.ok) sendError(res, result.error, fhir);
  return result.ok;
}

export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  // Every CDS answer is computed for one request: an ETag would hash each body for nothing.
  app.set('etag', false);
  app.set(
    'trust proxy',
    typeof deps.trustProxy === 'object' ? [...deps.trustProxy] : deps.trustProxy,
  );
  app.set('query parser', 'simple');
  app.use(storeBudgetMiddleware(deps.storeDeadlineMs));
  app.use(securityHeaders());
  app.use(corsMiddleware(deps.corsOrigins));
  app.use(deps.metrics.middleware);
  app.use(requestLog(deps.logger));

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  // Ready only while the store commits (a probe row) within the store deadline.
  app.get('/readyz', async (_req, res) => {
    try {
      await budgetOf(res).run((call) => deps.store.ping(call));
      res.json({ status: 'ready', store: deps.store.kind });
    } catch {
      res.status(503).json({ status: 'not ready', store: deps.store.kind });
    }
  });
  // With METRICS_PORT set the metrics have a listener of their own (metricsApp) and this one,
  // the published port, answers /metrics 404 like any unknown path.
  if (deps.metricsHere) app.get('/metrics', metricsHandler(deps.metrics));

  app.get('/cds-services', (_req, res) => {
    res.json(discoveryDocument());
  });

  const json = express.json({
    limit: deps.bodyLimit,
    // Any JSON value is parsed, so a top-level null or 5 is answered "not a request", not "not JSON".
    strict: false,
    type: ['application/json', 'application/fhir+json', 'application/*+json'],
  });

  app.post(
    '/cds-services/:id',
    deps.clientAuth('service'),
    deps.rateLimit,
    requireJson,
    json,
    limitDepth,
    async (req, res) => {
      const id = String(req.params['id']);
      // The body is JSON.parse output and limitDepth has checked its nesting.
      const hookDeps = hookDepsFor(deps.hook, req);
      if (hookDeps === undefined) {
        sendError(
          res,
          appError('invalid-request', 'The Host header is not a host name or address with a port.'),
        );
        return;
      }
      const result = await handleHookRequest(id, req.body, hookDeps, true);
      if (result.status !== 200 || !('audit' in result)) {
        res.status(result.status).json(result.body);
        return;
      }
      if (!(await auditCommitted(deps, res, result.audit))) return;
      deps.metrics.countAssessments(
        result.audit.serviceId,
        result.audit.outputs.map((o) => o.category),
      );
      res.json(result.body);
      return;
    },
  );

  app.post(
    '/cds-services/:id/feedback',
    deps.clientAuth('feedback'),
    deps.rateLimit,
    requireJson,
    json,
    limitDepth,
    async (req, res) => {
      const id = String(req.params['id']);
      const items = parseFeedback(id, req.body);
      if (isAppError(items)) {
        sendError(res, items);
        return;
      }
      const stored = await storeFeedback(id, items, clientIdOf(res), {
        store: deps.store,
        now: deps.hook.now,
        budget: budgetOf(res),
        logger: deps.logger,
      });
      if (!stored.ok) {
        sendError(res, stored.error);
        return;
      }
      res.status(200).json(stored.value);
      return;
    },
  );

  app.post(
    '/api/assess',
    deps.clientAuth('service'),
    deps.rateLimit,
    requireJson,
    json,
    limitDepth,
    async (req, res) => {
      const patient = typeof req.query['patient'] === 'string' ? req.query['patient'] : undefined;
      const result = handleAssessBundle(req.body, patient, deps.hook, true);
      if ('audit' in result && !(await auditCommitted(deps, res, result.audit, true))) return;
      res.status(result.status).type('application/fhir+json').json(result.body);
      return;
    },
  );

  app.use(methodRouter());
  if (deps.playground) {
    // The page calls the patient-view service as discovery defines it.
    const patientView = SERVICES.find((s) => s.hook === 'patient-view');
    app.use(playgroundRouter(patientView));
  }

  app.use((_req: Request, res: Response) => {
    sendError(
      res,
      appError('unknown-service', 'No such endpoint; GET /cds-services lists the CDS Services.'),
    );
  });
  app.use(errorHandler(deps.logger));
  return app;
}

function errorCode(error: unknown): string {
  const e = error as { code?: unknown; name?: unknown };
  return typeof e?.code === 'string' ? e.code : typeof e?.name === 'string' ? e.name : 'unknown';
}

/** Maps body-parser and unexpected errors; never sends a stack, never disguises a 500 as a 400. */
function errorHandler(logger: Logger) {
  return (error: unknown, _req: Request, res: Response, next: NextFunction): void => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const e = error as { type?: unknown; status?: unknown };
    if (e?.type === 'entity.too.large') {
      sendError(
        res,
        appError('too-large', 'The request body is larger than this service accepts.'),
      );
    } else if (e?.type === 'entity.parse.failed') {
      sendError(res, appError('invalid-request', 'The request body is not valid JSON.'));
    } else if (e?.type === 'encoding.unsupported' || e?.type === 'charset.unsupported') {
      sendError(
        res,
        appError(
          'unsupported-media-type',
          'Unsupported content encoding or charset; send UTF-8 JSON.',
        ),
      );
    } else if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500) {
      sendError(res, appError('invalid-request', 'The request could not be read.'));
    } else {
      logger.error({ err: errorCode(error) }, 'unexpected error');
      sendError(res, appError('internal', 'internal'));
    }
  };
}

/** One log line per request: method, route, status, time. No bodies, no headers, no patient data. */
function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const start = process.hrtime.bigint();
    res.on('finish', () => {
      logger.info(
        {
          method: req.method,
          // A path no route matched is not logged: a stray client may put an MRN in it
          // (GET /Patient/<MRN>); the service's own paths carry no patient data.
          path:
            req.route === undefined && res.statusCode === 404
              ? '(unmatched)'
              : req.path.startsWith('/cds-services/')
                ? req.path
                : req.path.slice(0, 64),
          status: res.statusCode,
          ms: Number(process.hrtime.bigint() - start) / 1e6,
        },
        'request',
      );
    });
    next();
  };
}
