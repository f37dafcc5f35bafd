/** A FHIR server double for the benchmark: answers the three prefetch queries at once. */
import { createServer } from 'node:http';
import { benchObservations, benchPatient, searchset } from './bench-fixtures.js';

const patient = JSON.stringify(benchPatient);
const observations = JSON.stringify(searchset(benchObservations));
const conditions = JSON.stringify(searchset([]));

createServer((req, res) => {
  const url = req.url ?? '';
  res.setHeader('content-type', 'application/fhir+json');
  if (url.startsWith('/fhir/Patient/')) res.end(patient);
  else if (url.startsWith('/fhir/Observation')) res.end(observations);
  else if (url.startsWith('/fhir/Condition')) res.end(conditions);
  else {
    res.statusCode = 404;
    res.end(
      JSON.stringify({
        resourceType: 'OperationOutcome',
        issue: [{ severity: 'error', code: 'not-found' }],
      }),
    );
  }
}).listen(Number(process.env['PORT'] ?? 3000), '127.0.0.1');
