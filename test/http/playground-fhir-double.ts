/**
 * A tiny FHIR server double for the playground's no-prefetch mode: the browser calls the service,
 * which calls this over a real socket (nock cannot see that path). Answers the three queries of the
 * service's prefetch templates (src/cds/services.ts) from the example transaction Bundles, and
 * records every request line it was sent.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { EXAMPLES_DIR } from '../profiles/load.js';

type Resource = { resourceType: string; id: string; subject?: { reference?: string } };

export interface FhirDouble {
  /** The base URL to give as fhirServer ("http://127.0.0.1:PORT/fhir/R4"). */
  readonly base: string;
  /** Request paths with their queries, in order. */
  readonly requests: string[];
  close(): Promise<void>;
}

function loadExamples(): Resource[] {
  return readdirSync(EXAMPLES_DIR)
    .filter((f) => f.endsWith('.bundle.json'))
    .flatMap((f) => {
      const bundle = JSON.parse(readFileSync(join(EXAMPLES_DIR, f), 'utf8')) as {
        entry?: { resource?: Resource }[];
      };
      return (bundle.entry ?? []).flatMap((e) => (e.resource ? [e.resource] : []));
    });
}

const outcome = (code: string, diagnostics: string) =>
  JSON.stringify({
    resourceType: 'OperationOutcome',
    issue: [{ severity: 'error', code, diagnostics }],
  });

export async function startFhirDouble(): Promise<FhirDouble> {
  const resources = loadExamples();
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://double');
    requests.push(`${url.pathname}${url.search}`);
    res.setHeader('content-type', 'application/fhir+json');
    const path = url.pathname.replace(/^\/fhir\/R4\//, '');
    const read = /^Patient\/([^/]+)$/.exec(path);
    if (read) {
      const patient = resources.find((r) => r.resourceType === 'Patient' && r.id === read[1]);
      if (patient === undefined) {
        res.statusCode = 404;
        res.end(outcome('not-found', `Patient/${read[1]} is not known`));
      } else res.end(JSON.stringify(patient));
      return;
    }
    if (path === 'Observation' || path === 'Condition') {
      const patient = url.searchParams.get('patient');
      const matches = resources.filter(
        (r) => r.resourceType === path && r.subject?.reference === `Patient/${patient}`,
      );
      res.end(
        JSON.stringify({
          resourceType: 'Bundle',
          type: 'searchset',
          total: matches.length,
          ...(matches.length > 0
            ? { entry: matches.map((resource) => ({ resource, search: { mode: 'match' } })) }
            : {}),
        }),
      );
      return;
    }
    res.statusCode = 404;
    res.end(outcome('not-supported', `${path} is not served by this double`));
  });
  server.listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve).once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}/fhir/R4`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
