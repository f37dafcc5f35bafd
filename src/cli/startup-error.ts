/**
 * The one line the `vcf-cds` command prints when it cannot even load: most often the precompiled
 * FHIR validators are missing (a checkout without `npm run generate`, see
 * src/fhir/schema-validators.ts), which would otherwise end in a raw stack trace of the import.
 */

/** Exit code of a command that could not start (as runCli's internal errors: EX_SOFTWARE). */
export const STARTUP_EXIT_CODE = 70;

/** "vcf-cds: cannot start: <first line of the message>", naming `npm run generate` for validators. */
export function startupErrorLine(error: unknown): string {
  const message = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
  const hint =
    /validator/i.test(message) && !message.includes('npm run generate')
      ? ' (run `npm run generate` in the vcf-cds folder)'
      : '';
  return `vcf-cds: cannot start: ${message}${hint}\n`;
}
