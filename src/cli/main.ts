#!/usr/bin/env node
/**
 * Entry point of the `vcf-cds` command (package.json "bin"). Like src/main.ts for the service,
 * the only CLI module that reads process.env and process.argv: the engine settings come from the
 * same VCF_* variables as the service, so a site validates exactly what it runs.
 *
 * Everything else is imported dynamically, inside a try: the FHIR layer loads its precompiled
 * validators when it is imported, and a missing `generated/` must end in one line naming
 * `npm run generate`, not in a stack trace (startup-error.ts).
 */
import { randomUUID } from 'node:crypto';
import { startupErrorLine, STARTUP_EXIT_CODE } from './startup-error.js';

/** CI is set by CI systems (GitHub Actions, GitLab, ...); "false" or "0" means it is not. */
function isCi(value: string | undefined): boolean {
  return value !== undefined && value !== '' && value !== 'false' && value !== '0';
}

async function main(): Promise<number> {
  const debug = process.env['VCF_CDS_DEBUG'] !== undefined;
  let modules;
  try {
    modules = await Promise.all([
      import('../config/index.js'),
      import('../knowledge/index.js'),
      import('./run.js'),
    ]);
  } catch (error) {
    process.stderr.write(startupErrorLine(error));
    if (debug && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    return STARTUP_EXIT_CODE;
  }
  const [{ loadClinicalSettings }, { knowledgeErrors }, { runCli }] = modules;
  // Only the clinical settings matter here; a bad PORT or DATABASE_URL is the server's business.
  const { settings: config, errors } = loadClinicalSettings(process.env);
  const kb = knowledgeErrors();
  if (errors.length > 0 || kb.length > 0) {
    for (const e of [...errors, ...kb.map((k) => `knowledge base: ${k}`)]) {
      process.stderr.write(`vcf-cds: ${e}\n`);
    }
    return 1;
  }
  return runCli(
    process.argv.slice(2),
    {
      io: {
        out: (text) => process.stdout.write(text),
        err: (text) => process.stderr.write(text),
        // A progress bar only for a person at a terminal: not in CI logs, not into a file or pipe.
        interactive: process.stderr.isTTY === true && !isCi(process.env['CI']),
        terminal: process.stderr,
      },
      engine: config.engine,
      cancerSnomedCodes: config.cancerSnomedCodes,
      ...(config.adcMinimum !== undefined ? { adcMinimum: config.adcMinimum } : {}),
      now: () => new Date(),
      newId: randomUUID,
    },
    debug,
  );
}

process.exitCode = await main();
