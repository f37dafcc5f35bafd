/**
 * `npm run sandbox`: the no-prefetch path end to end on a laptop. Starts a real FHIR R4 server
 * (test/support/fhir-sandbox.ts: Medplum's FHIR router, in memory, open, no token) at
 * http://localhost:8103/fhir/R4 (SANDBOX_FHIR_PORT) loaded with every example Bundle of
 * profiles/examples, then the service itself (src/main.ts, as `npm start` runs it, on PORT or
 * 3000), and prints the URLs and a curl for a patient-view call without prefetch.
 * Development tooling: run with tsx from the source tree, not part of the build.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { startFhirSandbox, SANDBOX_BASE_PATH } from '../test/support/fhir-sandbox.js';
import { listExamples } from '../test/profiles/load.js';
import { projectRoot } from '../src/project-root.js';
import { serviceOfHook } from '../src/cds/services.js';

const fhirPort = Number(process.env['SANDBOX_FHIR_PORT'] ?? 8103);
const servicePort = Number(process.env['PORT'] ?? 3000);

async function waitForService(url: string, child: ReturnType<typeof spawn>): Promise<void> {
  for (let i = 0; i < 120; i++) {
    if (child.exitCode !== null) throw new Error(`the service exited (code ${child.exitCode})`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`the service did not answer ${url} within 60 s`);
}

async function main(): Promise<void> {
  const fhir = await startFhirSandbox({ port: fhirPort });
  await fhir.loadExamples();
  const fhirBase = `http://localhost:${fhirPort}${SANDBOX_BASE_PATH}`;

  const service = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: projectRoot(),
    env: { ...process.env, PORT: String(servicePort) },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const stop = () => {
    if (service.exitCode === null) service.kill('SIGTERM');
    void fhir.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  service.on('exit', (code) => {
    console.error(`vcf-cds exited (code ${code}); stopping the FHIR server.`);
    void fhir.close().then(() => process.exit(code ?? 1));
  });

  const origin = `http://localhost:${servicePort}`;
  await waitForService(`${origin}/healthz`, service);
  const patientView = `${origin}/cds-services/${serviceOfHook('patient-view').id}`;
  const body = JSON.stringify({
    hook: 'patient-view',
    hookInstance: randomUUID(),
    fhirServer: fhirBase,
    context: { userId: 'Practitioner/example', patientId: 'vcf-example-two-level' },
  });
  const auth = process.env['CDS_CLIENT_ISSUERS']
    ? "\n# CDS_CLIENT_ISSUERS is set: add -H 'Authorization: Bearer <JWT>' signed by an allowed issuer."
    : '';
  console.log(`
vcf-cds sandbox ready (Ctrl-C stops both)
  CDS Hooks discovery: ${origin}/cds-services
  FHIR server (R4):    ${fhirBase}   (open: no token needed)
  Playground:          ${origin}/playground
  Example patients:    ${listExamples()
    .map((n) => `vcf-example-${n}`)
    .join(', ')}

patient-view without prefetch (the service fetches Patient, findings and Conditions itself):${auth}
curl -s -H 'Content-Type: application/json' ${patientView} -d '${body}'
`);
}

main().catch((error: unknown) => {
  const code = (error as { code?: string }).code;
  console.error(
    code === 'EADDRINUSE'
      ? `sandbox: port ${fhirPort} is in use (set SANDBOX_FHIR_PORT)`
      : `sandbox: ${(error as Error).message ?? String(error)}`,
  );
  process.exit(1);
});
