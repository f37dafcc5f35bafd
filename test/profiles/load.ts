/**
 * Reads the FHIR artefacts and example bundles of `profiles/` (parsed JSON), for the tests of
 * any layer. The examples are the single source of the example patients: see
 * profiles/examples/README.md.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Bundle, CodeSystem, ConceptMap, StructureDefinition, ValueSet } from 'fhir/r4.js';
import { projectRoot } from '../../src/project-root.js';

export const PROFILES_DIR = join(projectRoot(), 'profiles');
export const EXAMPLES_DIR = join(PROFILES_DIR, 'examples');
const BUNDLE_SUFFIX = '.bundle.json';

/** The names of the example bundles (`profiles/examples/<name>.bundle.json`), sorted. */
export function listExamples(): string[] {
  return readdirSync(EXAMPLES_DIR)
    .filter((f) => f.endsWith(BUNDLE_SUFFIX))
    .map((f) => f.slice(0, -BUNDLE_SUFFIX.length))
    .sort();
}

/** One example patient's transaction Bundle, parsed. Throws on an unknown name. */
export function loadExampleBundle(name: string): Bundle {
  if (!listExamples().includes(name)) throw new Error(`no example bundle named ${name}`);
  return readJson(join(EXAMPLES_DIR, name + BUNDLE_SUFFIX)) as Bundle;
}

/** Every example bundle, parsed, by name. */
export function loadAllExampleBundles(): { name: string; bundle: Bundle }[] {
  return listExamples().map((name) => ({ name, bundle: loadExampleBundle(name) }));
}

/**
 * Every FHIR resource file under profiles/ (examples included), as paths relative to profiles/:
 * every JSON file but the FHIR package manifest, profiles/package.json.
 */
export function listProfileJsonFiles(dir: string = PROFILES_DIR): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((d) =>
      d.isDirectory()
        ? listProfileJsonFiles(join(dir, d.name))
        : d.name.endsWith('.json') && !(dir === PROFILES_DIR && d.name === 'package.json')
          ? [relative(PROFILES_DIR, join(dir, d.name))]
          : [],
    )
    .sort();
}

/** A JSON file of profiles/, by path relative to profiles/. */
export function loadProfileJson(path: string): unknown {
  return readJson(join(PROFILES_DIR, path));
}

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8')) as unknown;
}

export const loadCodeSystem = (id: string) =>
  loadProfileJson(`CodeSystem-${id}.json`) as CodeSystem;
export const loadValueSet = (id: string) => loadProfileJson(`ValueSet-${id}.json`) as ValueSet;
export const loadConceptMap = (id: string) =>
  loadProfileJson(`ConceptMap-${id}.json`) as ConceptMap;
export const loadStructureDefinition = (id: string) =>
  loadProfileJson(`StructureDefinition-${id}.json`) as StructureDefinition;
