/**
 * The supported Node.js lines (package.json `engines`) are true to every runtime dependency: npm
 * warns EBADENGINE when a package's own `engines` refuses the Node it is installed on, and a
 * package that says it needs a newer Node may use what an older one lacks. The Docker image runs
 * an exact release of a supported LTS line.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/project-root.js';

const root = projectRoot();
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  engines: { node: string };
};
const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
  packages: Record<
    string,
    { version?: string; dev?: boolean; devOptional?: boolean; engines?: { node?: string } }
  >;
};

/** The LTS lines of December 2026 (26 active; 22, 24 maintenance) and Node 20, as on CI. */
const SUPPORTED_MAJORS = [20, 22, 24, 26];

/** The lowest release of a line that `engines` admits: the low end of its `||` clause. */
function lowestAdmitted(major: number): string {
  const clause = pkg.engines.node
    .split('||')
    .map((c) => c.trim())
    .find((c) => semver.intersects(c, `^${major}.0.0`));
  return clause === undefined ? `${major}.0.0` : semver.minVersion(clause)!.version;
}

/** The lowest and a late release of each supported line. */
const versions = SUPPORTED_MAJORS.flatMap((major) => [lowestAdmitted(major), `${major}.99.0`]);

describe('package.json engines', () => {
  it('admits every supported line, and no odd (never LTS) or unreleased line', () => {
    for (const major of SUPPORTED_MAJORS) {
      expect(semver.intersects(pkg.engines.node, `^${major}.0.0`), `Node ${major}`).toBe(true);
    }
    for (const v of ['18.20.0', '21.7.0', '23.11.0', '25.9.0', '27.0.0', '28.0.0']) {
      expect(semver.satisfies(v, pkg.engines.node), v).toBe(false);
    }
    expect(semver.satisfies(process.version, pkg.engines.node)).toBe(true);
  });

  it.each(versions)('Node %s: no runtime dependency refuses it (no EBADENGINE)', (version) => {
    const refusing = Object.entries(lock.packages)
      .filter(([path, p]) => path !== '' && !p.dev && !p.devOptional && p.engines?.node)
      .map(([path, p]) => ({ name: path.replace(/^.*node_modules\//, ''), ...p }))
      .filter((p) => !semver.satisfies(version, p.engines!.node!))
      .map((p) => `${p.name}@${p.version} wants node ${p.engines!.node}`);
    expect(refusing).toEqual([]);
  });
});

describe('Dockerfile', () => {
  const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');

  it('builds and runs on one exact release of a supported LTS line', () => {
    const image = /^ARG NODE_IMAGE=node:(\d+)\.(\d+)\.(\d+)-[a-z]+-slim$/m.exec(dockerfile);
    expect(image, 'ARG NODE_IMAGE=node:<major.minor.patch>-<debian>-slim').not.toBeNull();
    const version = image!.slice(1, 4).join('.');
    expect(semver.satisfies(version, pkg.engines.node)).toBe(true);
    expect(Number(image![1]) % 2).toBe(0); // even majors become LTS
    const froms = [...dockerfile.matchAll(/^FROM (\S+)/gm)].map((m) => m[1]);
    expect(froms).toEqual(['${NODE_IMAGE}', '${NODE_IMAGE}']);
  });
});
