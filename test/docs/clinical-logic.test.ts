/**
 * docs/clinical-logic.md states every number the service uses, for the clinician reading the
 * method page. The numbers live once, in src/knowledge/: these tests hold the page to them, so a
 * changed count or rule cannot leave the page saying something else. They also check that no
 * user-facing file points at material a user's clone does not have.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  BENIGN_THRESHOLD,
  CANCER_HISTORY_PRETEST_PROBABILITY,
  DEFAULT_ADC_RULE,
  DEFAULT_PRETEST_PROBABILITY,
  ADC_IMPLAUSIBLY_LOW,
  FREE_WATER_DIFFUSIVITY_37C,
  G4_SAFEGUARD_MIN_BENIGN,
  MALIGNANT_THRESHOLD,
  MIN_KEY_DISCRIMINATORS_KNOWN,
  SIGN_TABLES,
  lrStrength,
  pearsonChiSquare,
} from '../../src/knowledge/index.js';
import { likelihoodRatio } from '../../src/engine/likelihood.js';
import { projectRoot } from '../../src/project-root.js';

const root = projectRoot();
const doc = readFileSync(join(root, 'docs', 'clinical-logic.md'), 'utf8');

/** The rows of the LR table: | `sign` | `value` | paper row | benign | malignant | LR | points to |. */
const LR_ROW =
  /^\| `([a-z0-9-]+)` \| `([^`]+)` \| [^|]+ \| (\d+) \| (\d+) \| ([\d.]+) \| ([^|]+) \|$/;

function lrRows() {
  return doc
    .split('\n')
    .map((line) => LR_ROW.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map(([, sign, value, benign, malignant, lr, pointsTo]) => ({
      sign: sign!,
      value: value!,
      benign: Number(benign),
      malignant: Number(malignant),
      lr: lr!,
      pointsTo: pointsTo!.trim(),
    }));
}

/** The chi-square table's rows (printed, recomputed), in the page's order. */
function chiSquareRows(): [string, string][] {
  const start = doc.indexOf('| Comparison (table) | Printed chi-square | Recomputed |');
  expect(start).toBeGreaterThan(0);
  const rows: [string, string][] = [];
  for (const line of doc.slice(start).split('\n').slice(2)) {
    const m = /^\| [^|]+ \| ([\d.]+) \| ([\d.]+) \|$/.exec(line);
    if (m === null) break;
    rows.push([m[1]!, m[2]!]);
  }
  return rows;
}

describe('docs/clinical-logic.md against the knowledge base', () => {
  it("lists every row of the paper's counts once, with its counts, its LR to 3 decimals and its strength", () => {
    const rows = lrRows();
    const expected = SIGN_TABLES.flatMap((t) =>
      t.rows.map((r) => {
        const lr = likelihoodRatio(r);
        return {
          sign: t.sign,
          value: String(r.value),
          benign: r.benign,
          malignant: r.malignant,
          lr: lr.toFixed(3),
          pointsTo: `${lr > 1 ? 'malignant' : 'benign'}, ${lrStrength(lr) ?? ''}`,
        };
      }),
    );
    expect(rows).toEqual(expected);
  });

  it('prints each chi-square as the paper does and as recomputed from the counts', () => {
    const tables = SIGN_TABLES.filter((t) => t.reportedChiSquare !== undefined);
    expect(chiSquareRows()).toEqual(
      tables.map((t) => [t.reportedChiSquare!.toFixed(3), pearsonChiSquare(t.rows).toFixed(3)]),
    );
  });

  it('states the default ADC rule and the two LRs it gives', () => {
    const { cutoff, sensitivity: se, specificity: sp } = DEFAULT_ADC_RULE;
    expect(doc).toContain(`ADC cut-off\n  **${cutoff} x10^-3 mm2/s**`);
    expect(doc).toContain(`sensitivity **${(se * 100).toFixed(1)}%**`);
    expect(doc).toContain(`specificity **${(sp * 100).toFixed(1)}%**`);
    expect(doc).toContain(`${se} / (1 - ${sp}) = **${(se / (1 - sp)).toFixed(3)}**`);
    expect(doc).toContain(`(1 - ${se}) / ${sp} = **${((1 - se) / sp).toFixed(3)}**`);
  });

  it('states the pre-test probabilities, thresholds, rule counts and the free-water bound in use', () => {
    expect(doc).toContain(`74/150 = **${DEFAULT_PRETEST_PROBABILITY.value.toFixed(4)}**`);
    expect(doc).toContain(`| **${CANCER_HISTORY_PRETEST_PROBABILITY.value}** |`);
    expect(doc).toContain(`P(malignant) >= **${MALIGNANT_THRESHOLD.value.toFixed(2)}**`);
    expect(doc).toContain(`P(malignant) <= **${BENIGN_THRESHOLD.value.toFixed(2)}**`);
    expect(doc).toContain(`**at least ${MIN_KEY_DISCRIMINATORS_KNOWN.value} of the 4** key`);
    expect(doc).toContain(`at least **${G4_SAFEGUARD_MIN_BENIGN.value} of the 4** favour benign`);
    expect(doc).toContain(`**${FREE_WATER_DIFFUSIVITY_37C.value} x10^-3 mm2/s**`);
    expect(doc).toContain(
      `An ADC below **${ADC_IMPLAUSIBLY_LOW.value} x10^-3 mm2/s** after conversion`,
    );
  });
});

/** Files a user reads: documentation, the API description, the FHIR artefacts, the playground. */
function userFacingFiles(): string[] {
  const files = ['README.md', 'BENCHMARKS.md', 'openapi.yaml', 'src/fhir/README.md'];
  const walk = (dir: string, keep: (name: string) => boolean) => {
    for (const name of readdirSync(join(root, dir))) {
      const path = `${dir}/${name}`;
      if (statSync(join(root, path)).isDirectory()) walk(path, keep);
      else if (keep(name)) files.push(path);
    }
  };
  walk('docs', () => true);
  walk('profiles', (n) => n.endsWith('.md') || n.endsWith('.json'));
  walk('src/http/playground', (n) => n.endsWith('.html'));
  return files;
}

describe('user-facing files', () => {
  it('point at docs/clinical-logic.md, never at a clinical spec outside the repository', () => {
    const offending = userFacingFiles().filter((f) =>
      /\.\.\/shared|CLINICAL-SPEC/.test(readFileSync(join(root, f), 'utf8')),
    );
    expect(offending).toEqual([]);
  });
});
