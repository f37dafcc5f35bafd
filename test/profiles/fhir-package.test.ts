/**
 * profiles/ is a FHIR package (the FHIR NPM package specification): a manifest with name,
 * version, canonical, fhirVersions and the core dependency; an ImplementationGuide listing every
 * artefact and example; every conformance resource draft and experimental until 1.0, dated, with
 * its publisher; the README's table naming every artefact.
 * @see https://hl7.org/fhir/packages.html
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ImplementationGuide } from 'fhir/r4.js';
import { describe, expect, it } from 'vitest';
import { PROFILES_DIR, listExamples, listProfileJsonFiles, loadProfileJson } from './load.js';

const CANONICAL = 'https://w3id.org/vcf-cds/fhir';
const manifest = JSON.parse(readFileSync(join(PROFILES_DIR, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  canonical: string;
  fhirVersions: string[];
  dependencies: Record<string, string>;
};
const artefacts = listProfileJsonFiles().filter((f) => !f.startsWith('examples/'));
const conformance = artefacts.map(
  (file) =>
    [
      file,
      loadProfileJson(file) as {
        resourceType: string;
        id: string;
        version: string;
        status: string;
        experimental?: boolean;
        date?: string;
        publisher?: string;
      },
    ] as const,
);
const ig = loadProfileJson('ImplementationGuide-vcf-cds.json') as ImplementationGuide;

describe('profiles/package.json', () => {
  it('names the package, its canonical, FHIR R4 and the R4 core package it builds on', () => {
    expect(manifest).toMatchObject({
      name: 'vcf-cds.fhir',
      canonical: CANONICAL,
      fhirVersions: ['4.0.1'],
      dependencies: { 'hl7.fhir.r4.core': '4.0.1' },
    });
    // FHIR package names: lower-case dot-separated tokens; versions: SemVer.
    expect(manifest.name).toMatch(/^[a-z][a-z0-9-]*(\.[a-z0-9-]+)+$/);
    expect(manifest.version).toMatch(/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/);
  });
});

describe('every conformance resource', () => {
  const prerelease = Number(manifest.version.split('.')[0]) < 1;

  it.each(conformance)(
    '%s: the package version, draft and experimental before 1.0, dated, published',
    (_file, r) => {
      expect(r.version).toBe(manifest.version);
      if (prerelease) expect(r).toMatchObject({ status: 'draft', experimental: true });
      expect(r.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(r.publisher).toBe('vcf-cds project');
    },
  );
});

describe('ImplementationGuide vcf-cds', () => {
  it('carries the package id, version and FHIR version of the manifest', () => {
    expect(ig).toMatchObject({
      url: `${CANONICAL}/ImplementationGuide/vcf-cds`,
      packageId: manifest.name,
      version: manifest.version,
      fhirVersion: manifest.fhirVersions,
    });
  });

  it('lists every artefact of profiles/ (not itself) and every example patient, as examples', () => {
    const listed = (ig.definition?.resource ?? []).map((r) => ({
      reference: r.reference.reference,
      example: r.exampleBoolean,
    }));
    const expected = [
      ...conformance
        .filter(([, r]) => r.resourceType !== 'ImplementationGuide')
        .map(([, r]) => ({ reference: `${r.resourceType}/${r.id}`, example: false })),
      ...listExamples().map((name) => ({
        reference: `Bundle/${(loadProfileJson(`examples/${name}.bundle.json`) as { id: string }).id}`,
        example: true,
      })),
    ];
    expect(listed).toEqual(expected);
  });
});

describe('profiles/README.md', () => {
  const readme = readFileSync(join(PROFILES_DIR, 'README.md'), 'utf8');

  it('names every artefact file (ValueSets of the coded signs by their pattern)', () => {
    const unnamed = artefacts.filter((file) => {
      if (readme.includes(`\`${file}\``)) return false;
      const sign = /^ValueSet-(.+)\.json$/.exec(file)?.[1];
      return !(
        sign !== undefined &&
        readme.includes('`ValueSet-<sign>.json`') &&
        readme.includes(`\`${sign}\``)
      );
    });
    expect(unnamed).toEqual([]);
  });
});
