/**
 * vitest globalSetup: a real PostgreSQL for the whole run (scripts/test-postgres.ts). A private
 * throwaway cluster is started (PostgreSQL installed from Debian's packages first if absent) and
 * removed afterwards; with VCF_TEST_PG_URL set, that server is used instead. Tests read the URL
 * with `inject('vcfTestPostgres')` and create a database of their own on it
 * (test/store/pg-database.ts), so test files running in parallel workers never share tables.
 */
import type { TestProject } from 'vitest/node';
import { startTestPostgres } from '../../scripts/test-postgres.js';

declare module 'vitest' {
  export interface ProvidedContext {
    vcfTestPostgres: {
      /** A role that may CREATE DATABASE. */
      readonly url: string;
      /** The server's OS user when the cluster is private to this run (same machine). */
      readonly local?: { readonly uid: number; readonly gid: number };
    };
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const server = await startTestPostgres();
  project.provide('vcfTestPostgres', {
    url: server.url,
    ...(server.local === undefined ? {} : { local: server.local }),
  });
  return () => server.stop();
}
