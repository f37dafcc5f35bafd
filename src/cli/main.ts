#!/usr/bin/env node
/**
 * Entry point of the `vcf-cds` command (package.json "bin"). Like src/main.ts for the service,
 * the only CLI module that reads process.env and process.argv: the engine settings come from the
 * same VCF_* variables as the service, so a site validates exactly what it runs.
 */
import { randomUUID } from 'node:crypto';
import { loadClinicalSettings } from '../config/index.js';
import { knowledgeErrors } from '../knowledge/index.js';
import { runCli } from './run.js';

function main(): number {
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
        interactive: process.stderr.isTTY === true,
      },
      engine: config.engine,
      cancerSnomedCodes: config.cancerSnomedCodes,
      now: () => new Date(),
      newId: randomUUID,
    },
    process.env['VCF_CDS_DEBUG'] !== undefined,
  );
}

process.exitCode = main();
