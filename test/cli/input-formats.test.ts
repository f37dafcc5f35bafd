/** Reading the cohort formats: JSON Bundles, NDJSON, directories, reference CSV and FHIR. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../src/cli/args.js';
import { CliError, errorLine } from '../../src/cli/cli-error.js';
import { groupByPatient } from '../../src/cli/group-by-patient.js';
import { listResourceFiles, readResourceFile } from '../../src/cli/read-resources.js';
import {
  BIOPSY_REFERENCE_CODE,
  isReferenceObservation,
  mergeReferences,
  parseReferenceCsv,
  referenceFromObservation,
  referenceObservation,
} from '../../src/cli/reference-result.js';
import { SYNTHETIC_TAG } from '../../src/cli/synthetic-tag.js';
import { readText } from '../../src/cli/files.js';
import { EXAMPLES_DIR } from '../profiles/load.js';
import { run } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'vcf-cds-cli-'));

function caught(fn: () => unknown): CliError {
  try {
    fn();
  } catch (error) {
    if (error instanceof CliError) return error;
    throw error;
  }
  throw new Error('expected a CliError');
}

describe('argument parsing', () => {
  it('switches never swallow the next word; unknown options are usage errors', () => {
    const a = parseArgs(['--json', 'file.json', '--patient=p1'], {
      values: ['patient'],
      switches: ['json'],
    });
    expect(a.positional).toEqual(['file.json']);
    expect(a.options).toEqual({ json: true, patient: 'p1' });
    expect(caught(() => parseArgs(['--nope'], { switches: ['json'] })).code).toBe('ERR_USAGE');
    expect(caught(() => parseArgs(['--out'], { values: ['out'] })).message).toMatch(
      /needs a value/,
    );
  });
});

describe('resource files', () => {
  it('NDJSON: a broken line is named by file and line', () => {
    const file = join(dir, 'broken.ndjson');
    writeFileSync(
      file,
      '{"resourceType":"Patient","id":"p1"}\n\n{"resourceType":"Observation", "id": \n',
    );
    const e = caught(() => readResourceFile(file));
    expect(e.code).toBe('ERR_SYNTAX');
    expect(e.place).toMatchObject({ file, line: 3 });
    expect(errorLine(e)).toMatch(
      new RegExp(`^vcf-cds: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3: not valid JSON`),
    );
  });

  it('JSON: a syntax error is located by line; a non-resource is named', () => {
    const file = join(dir, 'broken.json');
    writeFileSync(file, '{\n  "resourceType": "Bundle",\n  entry: []\n}\n');
    expect(caught(() => readResourceFile(file)).place.line).toBe(3);
    const noType = join(dir, 'no-type.json');
    writeFileSync(
      noType,
      JSON.stringify({ resourceType: 'Bundle', id: 'b', entry: [{ resource: { id: 'x' } }] }),
    );
    expect(caught(() => readResourceFile(noType)).place).toMatchObject({
      file: noType,
      resource: 'Bundle/b entry[0]',
    });
  });

  it('a missing file or an empty directory is an ERR_FILE', () => {
    expect(caught(() => listResourceFiles(join(dir, 'nope.json'))).code).toBe('ERR_FILE');
    const empty = mkdtempSync(join(tmpdir(), 'vcf-cds-empty-'));
    expect(caught(() => listResourceFiles(empty)).message).toMatch(/no \.json or \.ndjson/);
  });

  it('a UTF-8 byte order mark at the start of a JSON, NDJSON or CSV file is not an error', () => {
    const BOM = '\uFEFF';
    const bundle = join(dir, 'bom.bundle.json');
    writeFileSync(bundle, BOM + readFileSync(join(EXAMPLES_DIR, 'benign.bundle.json'), 'utf8'));
    const assessed = run(['assess', bundle]);
    expect(assessed.err).toBe('');
    expect(assessed.code).toBe(0);
    expect(assessed.out).toMatch(/L1\s+benign-favoured/);

    const ndjson = join(dir, 'bom.ndjson');
    writeFileSync(ndjson, `${BOM}{"resourceType":"Patient","id":"p1"}\n`);
    expect(readResourceFile(ndjson).map((i) => i.resource['id'])).toEqual(['p1']);

    const csv = join(dir, 'bom.csv');
    writeFileSync(csv, `${BOM}patient_id,reference\np1,benign\n`);
    expect(readText(csv).startsWith('patient_id')).toBe(true);
    expect(parseReferenceCsv(readText(csv), csv)[0]).toMatchObject({ patientId: 'p1' });
    // Only a LEADING mark is dropped: text is otherwise read as it is.
    writeFileSync(csv, `a${BOM}b`);
    expect(readText(csv)).toBe(`a${BOM}b`);
  });

  it('Bundles are unpacked; HTEST on the Bundle marks its entries synthetic', () => {
    const file = join(dir, 'tagged.json');
    writeFileSync(
      file,
      JSON.stringify({
        resourceType: 'Bundle',
        type: 'collection',
        meta: { tag: [SYNTHETIC_TAG] },
        entry: [
          { fullUrl: 'urn:uuid:aaaa', resource: { resourceType: 'Patient', id: 'p1' } },
          {
            resource: {
              resourceType: 'Observation',
              id: 'o1',
              subject: { reference: 'urn:uuid:aaaa' },
            },
          },
          {
            resource: {
              resourceType: 'Observation',
              id: 'o2',
              subject: { reference: 'https://x.org/fhir/Patient/p2' },
            },
          },
          { resource: { resourceType: 'Observation', id: 'o3' } },
        ],
      }),
    );
    const items = readResourceFile(file);
    expect(items.map((i) => i.synthetic)).toEqual([true, true, true, true]);
    const { patients, shared } = groupByPatient(items);
    expect([...patients.keys()]).toEqual(['p1', 'p2']);
    expect(patients.get('p1')!.resources.map((r) => r.resource['id'])).toEqual(['p1', 'o1']);
    expect(shared.map((r) => r.resource['id'])).toEqual(['o3']);
  });
});

describe('reference results', () => {
  it('CSV: header in any order, comments, optional level, extra columns ignored', () => {
    const refs = parseReferenceCsv(
      '# site cohort 2024\nreference,patient_id,level,note\nmalignant,p1,T12,x\nBenign,p2,,\n',
      'ref.csv',
    );
    expect(
      refs.map(({ patientId, reference, level }) => ({ patientId, reference, level })),
    ).toEqual([
      { patientId: 'p1', reference: 'malignant', level: 'T12' },
      { patientId: 'p2', reference: 'benign', level: undefined },
    ]);
    expect(refs[0]!.place).toEqual({ file: 'ref.csv', line: 3 });
  });

  it('CSV errors name file and line', () => {
    expect(caught(() => parseReferenceCsv('id,ref\n', 'a.csv')).place).toEqual({
      file: 'a.csv',
      line: 1,
    });
    const bad = caught(() =>
      parseReferenceCsv('patient_id,reference\np1,benign\np2,maybe\n', 'a.csv'),
    );
    expect(bad.place).toEqual({ file: 'a.csv', line: 3, resource: 'Patient/p2' });
    expect(
      caught(() => parseReferenceCsv('patient_id,reference,level\np1,benign,T13\n', 'a.csv'))
        .message,
    ).toMatch(/T13/);
    expect(
      caught(() => parseReferenceCsv('patient_id,reference\n"p1,benign\n', 'a.csv')).code,
    ).toBe('ERR_SYNTAX');
  });

  it('FHIR: the biopsy Observation round-trips; a preliminary one is refused', () => {
    const obs = referenceObservation('p1', 'malignant', 'L2');
    expect(isReferenceObservation(obs)).toBe(true);
    expect((obs['code'] as { coding: unknown[] }).coding[0]).toEqual(BIOPSY_REFERENCE_CODE);
    const item = {
      resource: obs as never,
      origin: { file: 'c.ndjson', line: 4 },
      synthetic: false,
      simulated: false,
    };
    expect(referenceFromObservation(item, 'p1', () => 'L2')).toMatchObject({
      patientId: 'p1',
      reference: 'malignant',
      level: 'L2',
    });
    const prelim = { ...item, resource: { ...obs, status: 'preliminary' } as never };
    expect(caught(() => referenceFromObservation(prelim, 'p1', () => 'L2')).place).toEqual({
      file: 'c.ndjson',
      line: 4,
      resource: 'Observation/p1-biopsy',
    });
    const erased = { ...item, resource: { ...obs, status: 'entered-in-error' } as never };
    expect(referenceFromObservation(erased, 'p1', () => 'L2')).toBeUndefined();
  });

  it('contradicting references for one case are an error naming both places', () => {
    const e = caught(() =>
      mergeReferences([
        { patientId: 'p1', reference: 'benign', place: { file: 'a.csv', line: 2 } },
        { patientId: 'p1', reference: 'malignant', place: { file: 'a.csv', line: 5 } },
      ]),
    );
    expect(e.place).toEqual({ file: 'a.csv', line: 5 });
    expect(e.message).toMatch(/a\.csv:2/);
  });
});
