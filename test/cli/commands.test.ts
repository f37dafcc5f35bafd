/**
 * The three commands end to end, called as functions (fast), through the real FHIR layer and
 * engine, plus ONE spawned smoke test of the `vcf-cds` entry point under tsx.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  appendFileSync,
  cpSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Category } from '../../src/engine/index.js';
import { projectRoot } from '../../src/project-root.js';
import { EXAMPLES_DIR } from '../profiles/load.js';
import { run } from './run-cli.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'vcf-cds-cli-'));
const example = (name: string) => join(EXAMPLES_DIR, `${name}.bundle.json`);

/** profiles/examples/README.md, "The patients": expected category per level. */
const EXPECTED: readonly [string, string, Readonly<Record<string, Category>>][] = [
  ['benign', 'vcf-example-benign', { L1: 'benign-favoured' }],
  ['malignant', 'vcf-example-malignant', { T10: 'malignant-favoured' }],
  ['g4-safeguard', 'vcf-example-g4-safeguard', { T12: 'benign-favoured' }],
  ['g4-malignant', 'vcf-example-g4-malignant', { T8: 'malignant-favoured' }],
  ['incomplete', 'vcf-example-incomplete', { L4: 'indeterminate' }],
  ['two-level', 'vcf-example-two-level', { T12: 'benign-favoured', L3: 'malignant-favoured' }],
  ['messy', 'vcf-example-messy', { L2: 'benign-favoured' }],
];

/** "Level -> row cells" from the assess table of one patient. */
function tableRows(out: string): Map<string, string[]> {
  const rows = new Map<string, string[]>();
  for (const line of out.split('\n')) {
    const cells = line.trim().split(/\s{2,}/);
    if (/^(C|T|L|S)\d{1,2}$|^Unspecified level$/.test(cells[0] ?? '')) rows.set(cells[0]!, cells);
  }
  return rows;
}

describe('vcf-cds assess on the example bundles', () => {
  it.each(EXPECTED)('%s: the categories the examples README describes', (name, patient, levels) => {
    const r = run(['assess', example(name), '--patient', patient]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const rows = tableRows(r.out);
    expect([...rows.keys()].sort()).toEqual(Object.keys(levels).sort());
    for (const [level, category] of Object.entries(levels)) {
      expect(rows.get(level)![1]).toMatch(new RegExp(`^${category}`));
    }
    expect(r.out).toContain('biopsy is the reference standard');
  });

  it('table columns: safeguard verdict, missing discriminators, preliminary, probability as the card shows it', () => {
    expect(tableRows(run(['assess', example('g4-safeguard')]).out).get('T12')![3]).toBe('applied');
    expect(tableRows(run(['assess', example('g4-malignant')]).out).get('T8')![3]).toBe(
      'not applied',
    );
    const incomplete = tableRows(run(['assess', example('incomplete')]).out).get('L4')!;
    expect(incomplete[1]).toBe('indeterminate (preliminary findings)');
    expect(incomplete[4]).toBe(
      'pedicle, paravertebral-soft-tissue, enhancement-pattern, diffusion',
    );
    expect(incomplete[2]).toMatch(/^(<1%|>99%|\d{1,2}%)$/);
    expect(tableRows(run(['assess', example('malignant')]).out).get('T10')![4]).toBe('none');
  });

  it('groups by patient: the other subject in messy is its own patient', () => {
    const out = run(['assess', example('messy')]).out;
    expect(out).toContain('Patient vcf-example-messy (SYNTHETIC');
    expect(out).toContain('Patient vcf-example-messy-other');
  });

  it('--json: a Bundle of RiskAssessments, labelled synthetic', () => {
    const r = run(['assess', example('two-level'), '--json']);
    expect(r.code).toBe(0);
    const bundle = JSON.parse(r.out) as {
      resourceType: string;
      entry: { resource: Record<string, unknown> }[];
    };
    expect(bundle.resourceType).toBe('Bundle');
    const codes = bundle.entry.map(
      (e) =>
        (e.resource['prediction'] as { qualitativeRisk: { coding: { code: string }[] } }[])[0]!
          .qualitativeRisk.coding[0]!.code,
    );
    expect(codes).toEqual(['benign-favoured', 'malignant-favoured']);
    expect(bundle.entry.every((e) => e.resource['resourceType'] === 'RiskAssessment')).toBe(true);
    expect(JSON.stringify(bundle.entry[0]!.resource['meta'])).toContain('HTEST');
  });

  it('findings that name their patient by urn:uuid (a transaction Bundle) are used', () => {
    const bundle = JSON.parse(readFileSync(example('benign'), 'utf8')) as {
      entry: { fullUrl?: string; resource: Record<string, unknown> }[];
    };
    const urn = 'urn:uuid:11111111-1111-4111-8111-111111111111';
    for (const e of bundle.entry) {
      if (e.resource['resourceType'] === 'Patient') e.fullUrl = urn;
      else if (e.resource['subject'] !== undefined) e.resource['subject'] = { reference: urn };
    }
    const file = join(tmp(), 'urn.bundle.json');
    writeFileSync(file, JSON.stringify(bundle));
    const r = run(['assess', file]);
    expect(r.code).toBe(0);
    expect(tableRows(r.out).get('L1')![1]).toBe('benign-favoured');
    expect(r.out).not.toMatch(/not used|ignored/i);
  });

  it('a directory of Bundles is read as one input', () => {
    const r = run(['assess', EXAMPLES_DIR, '--patient', 'vcf-example-benign']);
    expect(r.code).toBe(0);
    expect(tableRows(r.out).get('L1')![1]).toBe('benign-favoured');
  });
});

describe('inputs set aside are shown, never only counted', () => {
  const messy = example('messy');

  it('assess lists each resource not used under its patient, with where it was read and why', () => {
    const r = run(['assess', messy, '--patient', 'vcf-example-messy']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('Not used (4 resources):');
    // profiles/examples/README.md, "messy": entered-in-error, dataAbsentReason, unknown code, wrong type.
    for (const [id, reason] of [
      ['pedicle-entered-in-error', /status entered-in-error/],
      ['enhancement-pattern-absent', /dataAbsentReason/],
      ['unknown-code', /marrow-oedema-pattern/],
      ['lesion-extent-wrong-type', /wrong value type/],
    ] as const) {
      const line = r.out.split('\n').find((l) => l.includes(`vcf-example-messy-l2-${id} (`));
      expect(line).toMatch(new RegExp(`\\(${messy.replace(/[.]/g, '\\.')} entry\\[\\d+\\]\\): `));
      expect(line).toMatch(reason);
    }
    expect(r.out).toMatch(
      /L2: Conflict on Compression degree: kept degree 3 \(>2\/3 height loss\) \(Observation\/vcf-example-messy-l2-compression-degree-later, the latest\); also reported degree 2/,
    );
    expect(run(['assess', example('incomplete')]).out).toMatch(
      /L4: Rests on preliminary findings: Lesion extent \(Observation\/vcf-example-incomplete-l4-lesion-extent\)/,
    );
  });

  it('assess --json carries them in RiskAssessment.note, and says so on stderr', () => {
    const r = run(['assess', messy, '--patient', 'vcf-example-messy', '--json']);
    expect(r.code).toBe(0);
    const bundle = JSON.parse(r.out) as { entry: { resource: { note: { text: string }[] } }[] };
    const notes = bundle.entry[0]!.resource.note.map((n) => n.text);
    expect(notes[0]).toMatch(/Decision support, not a diagnosis/);
    expect(notes.filter((n) => n.startsWith('Not used: Observation/'))).toHaveLength(4);
    expect(notes).toContainEqual(
      expect.stringMatching(
        /^Not used: Observation\/vcf-example-messy-l2-unknown-code \(.+ entry\[\d+\]\): code/,
      ),
    );
    expect(notes).toContainEqual(expect.stringMatching(/^Conflict on Compression degree: kept/));
    expect(r.err).toMatch(/warning: 4 resource\(s\) of 1 patient\(s\) not used/);
  });

  it('a patient whose every finding is unusable is listed, not dropped', () => {
    const file = join(tmp(), 'unusable.ndjson');
    writeFileSync(
      file,
      [
        '{"resourceType":"Patient","id":"p1"}',
        '{"resourceType":"Observation","id":"o1","status":"cancelled","code":{"coding":[{"system":"https://w3id.org/vcf-cds/fhir/CodeSystem/vcf-finding","code":"pedicle"}]},"subject":{"reference":"Patient/p1"}}',
      ].join('\n'),
    );
    const table = run(['assess', file]);
    expect(table.out).toContain('no vertebral compression fracture findings');
    expect(table.out).toMatch(
      new RegExp(`Observation/o1 \\(${file.replace(/[.]/g, '\\.')}:2\\): status`),
    );
    const json = run(['assess', file, '--json']);
    expect(JSON.parse(json.out)).toMatchObject({ entry: [] });
    expect(json.err).toMatch(
      /Patient\/p1: no level assessed; not used:\n  - Observation\/o1 \(.+:2\): status/,
    );
  });

  it('validate warns with counts per reason and the first origins, and the report tables them', () => {
    const file = join(tmp(), 'miscoded.ndjson');
    run(['simulate', '--n', '12', '--seed', '4', '--out', file]);
    // A site that codes the pedicle "intact" for every patient, a value outside the ValueSet.
    const text = readFileSync(file, 'utf8')
      .split('\n')
      .map((l) =>
        l.includes('"code":"pedicle"')
          ? l.replace(/"code":"(preserved|destroyed)"/, '"code":"intact"')
          : l,
      )
      .join('\n');
    writeFileSync(file, text);
    const pedicleLines = text
      .split('\n')
      .flatMap((l, i) => (l.includes('"code":"intact"') ? [`${file}:${i + 1}`] : []));
    expect(pedicleLines).toHaveLength(12);
    const html = join(tmp(), 'r.html');
    const r = run(['validate', file, '--out', html]);
    expect(r.code).toBe(0);
    expect(r.err).toContain(
      'warning: 12 input resource(s) of 12 assessed patient(s) were not used, so their signs did not count:',
    );
    const reasonLine = r.err.split('\n').find((l) => l.startsWith('  12 x '))!;
    expect(reasonLine).toMatch(/"intact".*pedicle/);
    expect(reasonLine).toContain(`(12 patients; e.g. ${pedicleLines.slice(0, 3).join(', ')})`);
    expect(r.out).toMatch(/not used: 12 input resource\(s\)/);
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('12 input resource(s) of 12 assessed patient(s) were NOT USED');
    expect(page).toContain('All 12 resources not used');
  });
});

describe('vcf-cds simulate', () => {
  it('is deterministic per seed (NDJSON on stdout), and the seed matters', () => {
    const a = run(['simulate', '--n', '15', '--seed', '7']);
    const b = run(['simulate', '--n', '15', '--seed', '7']);
    const c = run(['simulate', '--n', '15', '--seed', '8']);
    expect(a.code).toBe(0);
    expect(a.out).toBe(b.out);
    expect(a.out).not.toBe(c.out);
    expect(a.err).toMatch(/SYNTHETIC/);
    const lines = a.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.every((r) => JSON.stringify(r['meta']).includes('HTEST'))).toBe(true);
    // simulate's own mark, which lets a report name it (other HTEST data is not its output).
    expect(
      lines.every(
        (r) =>
          (r['meta'] as { source?: string }).source ===
          'https://w3id.org/vcf-cds/fhir/vcf-cds-simulate',
      ),
    ).toBe(true);
    expect(lines.filter((r) => String(r['id']).endsWith('-biopsy'))).toHaveLength(15);
  });

  it('streams patient by patient: stdout and --out F.ndjson are the same bytes as before streaming', () => {
    // SHA-256 of `simulate --n 40 --seed 42` from the version that built the whole output as one
    // string (commit 503fd12); a deliberate change of the cohort format updates this value.
    const BEFORE_STREAMING = '838db16dc0d8d64dbcbd420257fa1bbf7852b7bbac2e036936199a2d8db5d035';
    const chunks: string[] = [];
    const toStdout = run(['simulate', '--n', '40', '--seed', '42'], {
      io: { out: (t) => void chunks.push(t), err: () => undefined, interactive: false },
    });
    expect(toStdout.code).toBe(0);
    // One write per patient, never the whole cohort at once.
    expect(chunks).toHaveLength(40);
    const stdout = chunks.join('');
    expect(createHash('sha256').update(stdout).digest('hex')).toBe(BEFORE_STREAMING);
    const file = join(tmp(), 'cohort.ndjson');
    expect(run(['simulate', '--n', '40', '--seed', '42', '--out', file]).code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(stdout);
  });

  it('an --out file that cannot be written is one ERR_FILE line', () => {
    const r = run(['simulate', '--n', '2', '--out', '/nonexistent-dir/c.ndjson']);
    expect(r.code).toBe(1);
    expect(r.err).toBe('vcf-cds: /nonexistent-dir/c.ndjson: cannot write (ENOENT)\n');
  });

  it('is deterministic per seed (directory form)', () => {
    const [d1, d2] = [tmp(), tmp()];
    run(['simulate', '--n', '5', '--seed', '11', '--out', join(d1, 'c')]);
    run(['simulate', '--n', '5', '--seed', '11', '--out', join(d2, 'c')]);
    const files = readdirSync(join(d1, 'c')).sort();
    expect(files).toHaveLength(6);
    expect(files).toContain('reference.csv');
    for (const f of files) {
      expect(readFileSync(join(d1, 'c', f), 'utf8')).toBe(readFileSync(join(d2, 'c', f), 'utf8'));
    }
  });

  it('refuses a directory that already holds cohort files', () => {
    const d = tmp();
    run(['simulate', '--n', '2', '--out', d]);
    const r = run(['simulate', '--n', '2', '--out', d]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/already holds cohort files/);
  });
});

describe('vcf-cds simulate then validate', () => {
  const dir = join(tmp(), 'cohort');
  run(['simulate', '--n', '120', '--seed', '3', '--out', dir]);

  it('directory + reference.csv: an HTML report with two SVG plots and the metrics', () => {
    const html = join(tmp(), 'report.html');
    const r = run(['validate', dir, '--out', html]);
    expect(r.err).toMatch(/report written to/);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^SIMULATED COHORT/);
    expect(r.out).toMatch(/vcf-cds validation: 120 cases/);
    const page = readFileSync(html, 'utf8');
    expect(page.match(/<svg /g)).toHaveLength(2);
    expect(page).not.toMatch(/<script/i);
    for (const text of [
      'Accuracy',
      'Sensitivity',
      'Specificity',
      'PPV',
      'NPV',
      "Cohen's kappa",
      'AUC',
      'Brier score',
      'SIMULATED COHORT',
      'Share indeterminate',
    ]) {
      expect(page).toContain(text);
    }
  });

  it('NDJSON with biopsy Observations gives the same results as the CSV form', () => {
    const file = join(tmp(), 'cohort.ndjson');
    expect(run(['simulate', '--n', '120', '--seed', '3', '--out', file]).code).toBe(0);
    const fromNdjson = JSON.parse(run(['validate', file, '--json']).out) as {
      summary: { n: number; byCategory: unknown; roc: { auc: number } };
      source: { kind: string };
    };
    const fromDir = JSON.parse(run(['validate', dir, '--json']).out) as typeof fromNdjson;
    expect(fromNdjson.summary.n).toBe(120);
    expect(fromNdjson.source.kind).toBe('synthetic');
    expect(fromNdjson.summary.byCategory).toEqual(fromDir.summary.byCategory);
    expect(fromNdjson.summary.roc.auc).toBe(fromDir.summary.roc.auc);
  });

  it('--positive benign swaps the tables, not the AUC', () => {
    const m = JSON.parse(run(['validate', dir, '--json']).out) as {
      summary: {
        indeterminateAsMalignant: { table: { tp: number; tn: number } };
        roc: { auc: number };
      };
    };
    const b = JSON.parse(run(['validate', dir, '--json', '--positive', 'benign']).out) as typeof m;
    expect(b.summary.indeterminateAsMalignant.table.tp).toBe(
      m.summary.indeterminateAsMalignant.table.tn,
    );
    expect(b.summary.roc.auc).toBe(m.summary.roc.auc);
  });
});

describe('vcf-cds validate: matching references to levels', () => {
  const csv = (lines: string[]) => {
    const file = join(tmp(), 'reference.csv');
    writeFileSync(file, ['patient_id,reference,level', ...lines].join('\n'));
    return file;
  };

  it('a wrong level (no findings there) is an error naming file:line, not a silent exclusion', () => {
    const ref = csv([
      'vcf-example-benign,benign,L1',
      'vcf-example-malignant,malignant,T11', // the findings are at T10
      'vcf-example-g4-malignant,malignant,T3', // at T8
    ]);
    const r = run(['validate', EXAMPLES_DIR, '--reference', ref]);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toBe(
      `vcf-cds: ${ref}:3: Patient/vcf-example-malignant: no findings at T11 (findings at T10) (2 references match no level): correct the reference, or pass --allow-unmatched to report such cases as not counted\n`,
    );
    const allowed = run(['validate', EXAMPLES_DIR, '--reference', ref, '--allow-unmatched']);
    expect(allowed.code).toBe(0);
    expect(allowed.err).toMatch(/warning: 2 case\(s\) not counted/);
    expect(allowed.out).toMatch(/1 cases \(0 malignant, 1 benign by biopsy\)/);
  });

  it('a level names the case; with --allow-unmatched a level without findings is listed as not counted', () => {
    const ref = csv([
      'vcf-example-two-level,benign,T12',
      'vcf-example-two-level,malignant,L3',
      'vcf-example-benign,benign,T3',
      'vcf-example-incomplete,malignant,',
    ]);
    expect(run(['validate', EXAMPLES_DIR, '--reference', ref, '--json']).code).toBe(1);
    const r = run(['validate', EXAMPLES_DIR, '--reference', ref, '--json', '--allow-unmatched']);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/warning: 1 case\(s\) not counted/);
    const body = JSON.parse(r.out) as {
      cases: { patientId: string; level: string; category: string }[];
      excluded: { patientId: string; reason: string; where: string }[];
      unreferencedPatients: number;
      patientsWithSeveralCases: number;
    };
    expect(body.cases.map((c) => `${c.patientId} ${c.level} ${c.category}`)).toEqual([
      'vcf-example-two-level T12 benign-favoured',
      'vcf-example-two-level L3 malignant-favoured',
      'vcf-example-incomplete L4 indeterminate',
    ]);
    expect(body.excluded).toEqual([
      expect.objectContaining({ patientId: 'vcf-example-benign', where: `${ref}:4` }),
    ]);
    expect(body.excluded[0]!.reason).toMatch(/no findings at T3 \(findings at L1\)/);
    expect(body.patientsWithSeveralCases).toBe(1);
    // 8 patients in the examples (messy holds two), 3 referenced.
    expect(body.unreferencedPatients).toBe(5);
  });

  it('HTEST-tagged data not written by simulate (the examples) is called synthetic/test data', () => {
    const ref = csv(['vcf-example-benign,benign,', 'vcf-example-malignant,malignant,']);
    const html = join(tmp(), 'examples.html');
    const r = run(['validate', EXAMPLES_DIR, '--reference', ref, '--out', html]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^SYNTHETIC\/TEST DATA \(HTEST tag/);
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('synthetic/test data (HTEST tag)');
    expect(page).not.toContain('vcf-cds simulate');
  });

  it('no level for a patient with several levels is an error naming the CSV line', () => {
    const ref = csv(['vcf-example-benign,benign,', 'vcf-example-two-level,benign,']);
    const r = run(['validate', EXAMPLES_DIR, '--reference', ref]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(
      new RegExp(
        `${ref.replace(/[.]/g, '\\.')}:3: Patient/vcf-example-two-level: the patient has findings at 2 levels \\(T12, L3\\)`,
      ),
    );
  });
});

describe('bad input: one line naming file, line and resource; exit code != 0; no stack', () => {
  const noStack = (err: string) => expect(err).not.toMatch(/\n\s+at /);

  it('a missing file', () => {
    const r = run(['assess', '/nonexistent/cohort.json']);
    expect(r.code).toBe(1);
    expect(r.err).toBe('vcf-cds: /nonexistent/cohort.json: no such file or directory\n');
  });

  it('broken JSON on line 3 of an NDJSON file', () => {
    const file = join(tmp(), 'cohort.ndjson');
    writeFileSync(
      file,
      [
        '{"resourceType":"Patient","id":"p1"}',
        '{"resourceType":"Observation","id":"o1","subject":{"reference":"Patient/p1"}}',
        '{"resourceType":"Observation","id":"o2",',
      ].join('\n'),
    );
    for (const command of ['assess', 'validate']) {
      const r = run([command, file]);
      expect(r.code).toBe(1);
      expect(r.err).toContain(`${file}:3: not valid JSON`);
      noStack(r.err);
    }
  });

  it('a reference CSV naming a patient the cohort does not hold', () => {
    const dir = join(tmp(), 'cohort');
    run(['simulate', '--n', '3', '--seed', '5', '--out', dir]);
    appendFileSync(join(dir, 'reference.csv'), 'ghost-patient,benign,L1\n');
    const r = run(['validate', dir]);
    expect(r.code).toBe(1);
    // Line 1 is the SYNTHETIC comment, line 2 the header, 3-5 the patients.
    expect(r.err).toBe(
      `vcf-cds: ${join(dir, 'reference.csv')}:6: Patient/ghost-patient: no resources for this patient in ${dir}\n`,
    );
  });

  it('a cohort without any reference result', () => {
    const r = run(['validate', example('benign')]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/no reference results/);
  });

  it('usage errors exit 2', () => {
    expect(run(['frobnicate']).code).toBe(2);
    expect(run(['assess']).code).toBe(2);
    expect(run(['validate', 'x', '--positive', 'maybe']).err).toMatch(/--positive must be/);
    expect(run(['simulate', '--n', '0']).code).toBe(2);
  });
});

describe('the vcf-cds entry point (spawned once)', () => {
  it('npx tsx src/cli/main.ts assess runs and exits 0', () => {
    const out = execFileSync('npx', ['tsx', 'src/cli/main.ts', 'assess', example('benign')], {
      cwd: projectRoot(),
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 60_000,
    });
    expect(out).toMatch(/L1\s+benign-favoured/);
  }, 60_000);

  it('without generated validators: one line naming `npm run generate`, no stack trace', () => {
    // A checkout that never ran `npm run generate`: the sources, no generated/.
    const root = tmp();
    for (const part of ['src', 'profiles', 'package.json']) {
      cpSync(join(projectRoot(), part), join(root, part), { recursive: true });
    }
    symlinkSync(join(projectRoot(), 'node_modules'), join(root, 'node_modules'));
    const { VCF_CDS_DEBUG: _debug, ...withoutDebug } = process.env;
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', 'assess', example('benign')],
      { cwd: root, encoding: 'utf8', timeout: 60_000, env: withoutDebug },
    );
    expect(r.status).toBe(70);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(
      /^vcf-cds: cannot start: FHIR validators not found at .*generated\/fhir-validators\.js: run `npm run generate`[^\n]*\n$/,
    );
  }, 60_000);
});
