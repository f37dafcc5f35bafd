/** ConceptMap snomed-vertebra-to-vertebral-level: real-looking SNOMED CT ids, sourced, onto existing levels. */
import { describe, expect, it } from 'vitest';
import { BASE, LEVEL_SYSTEM, SNOMED, SPEC_LEVELS } from './contract.js';
import { loadCodeSystem, loadConceptMap, loadValueSet } from './load.js';

const cm = loadConceptMap('snomed-vertebra-to-vertebral-level');
const group = cm.group?.[0];
const elements = group?.element ?? [];
const levelCodes = (loadCodeSystem('vertebral-level').concept ?? []).map((c) => c.code);

// Verhoeff check digit, as SNOMED CT identifiers use it. The permutation table is derived from
// its first row rather than typed in, so a typo in a table cannot hide a typo in a code.
const D = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
  [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
  [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
  [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
  [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
  [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
  [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
  [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
  [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];
const P1 = [1, 5, 7, 6, 2, 8, 3, 0, 9, 4];
const P: number[][] = [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]];
for (let i = 1; i < 8; i++) P.push((P[i - 1] ?? []).map((x) => P1[x] ?? NaN));

function verhoeffValid(id: string): boolean {
  let c = 0;
  [...id].reverse().forEach((ch, i) => {
    c = D[c]?.[P[i % 8]?.[Number(ch)] ?? NaN] ?? NaN;
  });
  return c === 0;
}

/** A SNOMED CT concept id: 6-18 digits, no leading zero, partition 00 (concept), valid check digit. */
const isSctConceptId = (id: string) =>
  /^[1-9]\d{5,17}$/.test(id) && id.slice(-3, -1) === '00' && verhoeffValid(id);

describe('the Verhoeff check', () => {
  it('accepts well-known SNOMED CT ids and rejects a one-digit change', () => {
    for (const id of ['138875005', '404684003', '22298006', '73211009', '195967001', '363346000']) {
      expect(verhoeffValid(id), id).toBe(true);
    }
    for (const id of ['138875006', '404684013', '23215004', '66794015'])
      expect(verhoeffValid(id), id).toBe(false);
  });
});

describe('ConceptMap snomed-vertebra-to-vertebral-level', () => {
  it('maps SNOMED CT onto the vertebral-level CodeSystem and ValueSet', () => {
    expect(cm).toMatchObject({
      url: `${BASE}/ConceptMap/snomed-vertebra-to-vertebral-level`,
      status: 'draft',
      version: '0.1.0',
      targetCanonical: loadValueSet('vertebral-level').url,
    });
    expect(cm.group).toHaveLength(1);
    expect(group).toMatchObject({ source: SNOMED, target: LEVEL_SYSTEM, targetVersion: '0.1.0' });
    expect(cm.copyright).toMatch(/SNOMED/);
  });

  it('maps every source code once, each a well-formed SNOMED CT concept id', () => {
    const codes = elements.map((e) => e.code ?? '');
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) expect(isSctConceptId(code), code).toBe(true);
  });

  it('targets only existing vertebral-level codes, one target per source', () => {
    for (const e of elements) {
      expect(e.target, e.code).toHaveLength(1);
      const t = e.target?.[0];
      expect(levelCodes, e.code).toContain(t?.code);
      expect(t?.display).toBe(`${t?.code ?? ''} vertebra`);
      expect(['equivalent', 'wider']).toContain(t?.equivalence);
    }
  });

  it('names the source of every code', () => {
    for (const e of elements) {
      expect(e.target?.[0]?.comment, e.code).toMatch(
        /Source: (DICOM PS3\.16 CID 7603|HL7 mCODE IG)/,
      );
    }
  });

  it('reaches every vertebral level', () => {
    const reached = new Set(elements.map((e) => e.target?.[0]?.code));
    expect(SPEC_LEVELS.filter((l) => !reached.has(l))).toEqual([]);
  });

  it('maps "bone structure" concepts as equivalent and vertebral-body concepts as wider', () => {
    for (const e of elements) {
      const expected = /^(Structure of|Entire) body of/.test(e.display ?? '')
        ? 'wider'
        : 'equivalent';
      expect(e.target?.[0]?.equivalence, `${e.code} ${e.display ?? ''}`).toBe(expected);
    }
  });

  it.each([
    ['23215003', 'T12'],
    ['66794005', 'L1'],
    ['36470004', 'L3'],
    ['14806007', 'C1'],
    ['65985001', 'S1'],
  ])('maps %s to %s (codes confirmed in the cited sources)', (code, level) => {
    expect(elements.find((e) => e.code === code)?.target?.[0]?.code).toBe(level);
  });
});
