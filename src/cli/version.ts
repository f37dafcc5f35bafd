/** `vcf-cds --version`: the package version, and the engine and knowledge base it runs. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ENGINE_VERSION } from '../engine/index.js';
import { KNOWLEDGE_BASE_VERSION } from '../knowledge/index.js';
import { projectRoot } from '../project-root.js';

/** The version in package.json (read at run time: the same file npm publishes). */
export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(join(projectRoot(), 'package.json'), 'utf8')) as {
    version?: unknown;
  };
  return typeof pkg.version === 'string' ? pkg.version : 'unknown';
}

export function versionLine(): string {
  return `vcf-cds ${packageVersion()} (engine ${ENGINE_VERSION}, knowledge base ${KNOWLEDGE_BASE_VERSION})\n`;
}
