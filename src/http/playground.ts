/**
 * GET /playground: a page where a person picks the signs of a level, loads an example patient,
 * opens a card's playground link (signs in the URL fragment) or calls a hook without prefetch
 * against a FHIR server, sends a real CDS Hooks request to this service, and sees the cards as an
 * EHR would show them (docs/clinical-logic.md section 4). Static files only: the page calls the public
 * endpoints.
 *
 * - `/playground`: the page (scripts from 'self' only, so it runs under the app's CSP);
 * - `/playground/playground.js`: the page's TypeScript (playground/client) bundled by esbuild into
 *   generated/playground by `npm run generate`; `/playground/playground.css`;
 * - `/playground/contract.json`: the input contract of docs/clinical-logic.md section 1, built from the
 *   engine's vocabulary and the published CodeSystems, so the page never repeats it;
 * - `/playground/examples[/:name]`: the example patients of `profiles/examples` (transaction Bundles).
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { Router, type Response } from 'express';
import findingCodeSystem from '../../profiles/CodeSystem-vcf-finding.json' with { type: 'json' };
import valueCodeSystem from '../../profiles/CodeSystem-vcf-finding-value.json' with { type: 'json' };
import {
  CODED_SIGN_VALUES,
  SIGNS,
  SIGN_LABELS,
  isBooleanSign,
  isCodedSign,
  isQuantitySign,
} from '../engine/index.js';
import { projectRoot } from '../project-root.js';
import { appError } from '../app/errors.js';
import { sendError } from './send-error.js';
import type { Coding, ContractSign, PlaygroundContract } from './playground/client/contract.js';
import {
  AUGMENTATION_CPT,
  BIOPSY_CPT,
  CANONICAL_BASE,
  VCF_FINDING_SYSTEM,
  VCF_FINDING_VALUE_SYSTEM,
  VERTEBRAL_LEVELS,
  VERTEBRAL_LEVEL_SYSTEM,
} from '../terminology/index.js';

const ROOT = projectRoot();
/** The page's script, bundled by `npm run generate:playground` (esbuild) from playground/client. */
const BUNDLE_DIR = join(ROOT, 'generated', 'playground');
const EXAMPLES_DIR = join(ROOT, 'profiles', 'examples');
const SUFFIX = '.bundle.json';
/** The service the sign form calls: the patient-view one (the HTTP layer passes its definition). */
export interface PlaygroundService {
  readonly id: string;
  readonly hook: string;
}
const PATIENT_VIEW_SERVICE: PlaygroundService = { id: 'vcf-assessment', hook: 'patient-view' };
/**
 * The EHR mode's defaults (DECISIONS.md, "Local sandbox"): the FHIR server `npm run sandbox`
 * starts, and an example patient it holds (profiles/examples/benign.bundle.json).
 */
export const EHR_DEFAULTS = {
  fhirServer: 'http://localhost:8103/fhir/R4',
  patientId: 'vcf-example-benign',
} as const;

function cpt(codes: readonly Coding[], code: string): Coding {
  const found = codes.find((c) => c.code === code);
  if (found === undefined) throw new Error(`CPT ${code} missing from src/terminology`);
  return { system: found.system, code: found.code, display: found.display };
}

/**
 * The page's files: beside this module when a build copies them there, else in the source tree
 * (`dist/` holds only compiled TypeScript).
 */
function pageDir(): string {
  const here = join(dirname(fileURLToPath(import.meta.url)), 'playground');
  return existsSync(join(here, 'index.html')) ? here : join(ROOT, 'src', 'http', 'playground');
}

function displays(cs: {
  concept: readonly { code: string; display?: string }[];
}): Map<string, string> {
  return new Map(cs.concept.map((c) => [c.code, c.display ?? c.code]));
}

/** The input contract as the page needs it (docs/clinical-logic.md section 1). */
export function playgroundContract(
  service: PlaygroundService = PATIENT_VIEW_SERVICE,
): PlaygroundContract {
  const findingDisplay = displays(findingCodeSystem);
  const valueDisplay = displays(valueCodeSystem);
  return {
    service: { id: service.id, hook: service.hook },
    profile: `${CANONICAL_BASE}/StructureDefinition/vcf-finding-observation`,
    systems: {
      finding: VCF_FINDING_SYSTEM,
      value: VCF_FINDING_VALUE_SYSTEM,
      level: VERTEBRAL_LEVEL_SYSTEM,
      observationCategory: 'http://terminology.hl7.org/CodeSystem/observation-category',
      ucum: 'http://unitsofmeasure.org',
    },
    levels: VERTEBRAL_LEVELS,
    orders: {
      vertebroplastyCervicothoracic: cpt(AUGMENTATION_CPT, '22510'),
      vertebroplastyLumbosacral: cpt(AUGMENTATION_CPT, '22511'),
      biopsy: cpt(BIOPSY_CPT, '20225'),
    },
    ehr: EHR_DEFAULTS,
    signs: SIGNS.map((sign): ContractSign => {
      const base = {
        sign,
        label: SIGN_LABELS[sign],
        display: findingDisplay.get(sign) ?? SIGN_LABELS[sign],
      };
      // docs/clinical-logic.md section 1: ADC as valueQuantity in UCUM 10*-3.mm2/s.
      if (isQuantitySign(sign))
        return {
          ...base,
          kind: 'quantity',
          unit: { code: '10*-3.mm2/s', display: 'x10^-3 mm2/s' },
        };
      if (isBooleanSign(sign)) return { ...base, kind: 'boolean' };
      if (isCodedSign(sign)) {
        return {
          ...base,
          kind: 'coded',
          values: CODED_SIGN_VALUES[sign].map((code) => ({
            code,
            display: valueDisplay.get(code) ?? code,
          })),
        };
      }
      throw new Error(`sign ${sign} has no kind`);
    }),
  };
}

function exampleNames(): string[] {
  try {
    return readdirSync(EXAMPLES_DIR)
      .filter((f) => f.endsWith(SUFFIX))
      .map((f) => f.slice(0, -SUFFIX.length))
      .sort();
  } catch {
    return [];
  }
}

function notFound(res: Response, diagnostics: string): void {
  sendError(res, appError('unknown-service', diagnostics));
}

/** Mount with `app.use(playgroundRouter(service))` before the app's 404 handler. */
export function playgroundRouter(service: PlaygroundService = PATIENT_VIEW_SERVICE): Router {
  const router = Router();
  const dir = pageDir();
  const contract = JSON.stringify(playgroundContract(service));
  router.get('/playground', (_req, res) => {
    if (!existsSync(join(BUNDLE_DIR, 'playground.js'))) {
      notFound(res, 'The playground script is not built: run `npm run generate`.');
      return;
    }
    res.set('Cache-Control', 'no-cache');
    res.sendFile(join(dir, 'index.html'), (error) => {
      if (error && !res.headersSent)
        notFound(res, 'The playground page is not installed with this build.');
    });
  });
  router.get('/playground/contract.json', (_req, res) => {
    res.type('application/json').send(contract);
  });
  router.get('/playground/examples', (_req, res) => {
    res.json({ examples: exampleNames() });
  });
  router.get('/playground/examples/:name', (req, res) => {
    const name = String(req.params['name']);
    // Only names from the listing: no path is ever built from raw input.
    if (!exampleNames().includes(name)) {
      notFound(res, 'No such example.');
      return;
    }
    res.type('application/fhir+json').send(readFileSync(join(EXAMPLES_DIR, name + SUFFIX), 'utf8'));
  });
  // The bundle and its source map (generated/), and the stylesheet: nothing else of the folder
  // (the TypeScript sources stay unserved).
  router.use(
    '/playground',
    express.static(BUNDLE_DIR, { index: false, cacheControl: true, maxAge: 0 }),
  );
  router.get('/playground/playground.css', (_req, res) => {
    res.sendFile(join(dir, 'playground.css'), (error) => {
      if (error && !res.headersSent) notFound(res, 'The playground stylesheet is not installed.');
    });
  });
  return router;
}
