/** CodeSystems and ValueSets: complete, consistent, and equal to the input contract. */
import { describe, expect, it } from 'vitest';
import type { CodeSystem, ValueSet } from 'fhir/r4.js';
import { CODED_SIGN_VALUES, SIGNS } from '../../src/engine/index.js';
import { OVERRIDE_REASONS, VERTEBRAL_LEVELS } from '../../src/terminology/index.js';
import {
  BASE,
  FINDING_SYSTEM,
  LEVEL_SYSTEM,
  SPEC_CODED,
  SPEC_FINDING_CODES,
  SPEC_LEVELS,
  SPEC_VALUE_CODES,
  VALUE_SYSTEM,
} from './contract.js';
import { listProfileJsonFiles, loadCodeSystem, loadValueSet } from './load.js';

const codeSystemIds = listProfileJsonFiles()
  .filter((f) => f.startsWith('CodeSystem-'))
  .map((f) => f.slice('CodeSystem-'.length, -'.json'.length));
const valueSetIds = listProfileJsonFiles()
  .filter((f) => f.startsWith('ValueSet-'))
  .map((f) => f.slice('ValueSet-'.length, -'.json'.length));

const codesOf = (cs: CodeSystem) => (cs.concept ?? []).map((c) => c.code);
const codeSystemsByUrl = new Map(
  codeSystemIds.map((id) => [loadCodeSystem(id).url, loadCodeSystem(id)]),
);

/** The codes a ValueSet includes (explicit concepts, or a whole CodeSystem of profiles/). */
function expand(vs: ValueSet): { system: string; code: string }[] {
  return (vs.compose?.include ?? []).flatMap((inc) => {
    const system = inc.system ?? '';
    if (inc.concept) return inc.concept.map((c) => ({ system, code: c.code }));
    const cs = codeSystemsByUrl.get(system);
    if (!cs) throw new Error(`${vs.id}: includes all of ${system}, which is not in profiles/`);
    return codesOf(cs).map((code) => ({ system, code }));
  });
}

describe('every CodeSystem', () => {
  it.each(codeSystemIds)(
    '%s is draft, complete, version 0.1.0, with unique, described codes',
    (id) => {
      const cs = loadCodeSystem(id);
      expect(cs).toMatchObject({
        url: `${BASE}/CodeSystem/${id}`,
        status: 'draft',
        content: 'complete',
        version: '0.1.0',
        caseSensitive: true,
      });
      const codes = codesOf(cs);
      expect(codes.length).toBeGreaterThan(0);
      expect(new Set(codes).size).toBe(codes.length);
      expect(cs.count).toBe(codes.length);
      for (const c of cs.concept ?? []) {
        expect(c.display, c.code).toMatch(/\S/);
        expect(c.definition, c.code).toMatch(/\S/);
      }
    },
  );
});

describe('CodeSystem vcf-finding', () => {
  const cs = loadCodeSystem('vcf-finding');

  it('has exactly the 15 codes of docs/clinical-logic.md section 1, in its order', () => {
    expect(codesOf(cs)).toEqual([...SPEC_FINDING_CODES]);
  });

  it("defines every code by quoting the paper's sign", () => {
    for (const c of cs.concept ?? []) {
      expect(c.definition, c.code).toMatch(/Paper|paper/);
      expect(c.definition, c.code).toMatch(/"[^"]+"/);
    }
  });

  it("matches the engine's vocabulary", () => {
    expect(codesOf(cs)).toEqual([...SIGNS]);
  });
});

describe('CodeSystem vcf-finding-value', () => {
  const cs = loadCodeSystem('vcf-finding-value');

  it('has every coded value of the contract and nothing else', () => {
    expect([...codesOf(cs)].sort()).toEqual([...SPEC_VALUE_CODES].sort());
    const fromSigns = new Set(Object.values(SPEC_CODED).flatMap((s) => s.values));
    expect([...fromSigns].sort()).toEqual([...SPEC_VALUE_CODES].sort());
  });

  it('names, for every value, the sign(s) it belongs to', () => {
    for (const c of cs.concept ?? []) {
      const signs = (c.property ?? []).filter((p) => p.code === 'sign').map((p) => p.valueString);
      const expected = Object.entries(SPEC_CODED)
        .filter(([, s]) => s.values.includes(c.code))
        .map(([sign]) => sign);
      expect(signs.sort(), c.code).toEqual(expected.sort());
    }
  });
});

describe('CodeSystem vertebral-level', () => {
  it('has C1-C7, T1-T12, L1-L5 and S1, in spine order', () => {
    expect(codesOf(loadCodeSystem('vertebral-level'))).toEqual([...SPEC_LEVELS]);
  });

  it("matches src/terminology's levels", () => {
    expect(codesOf(loadCodeSystem('vertebral-level'))).toEqual([...VERTEBRAL_LEVELS]);
  });
});

describe('CodeSystem override-reason', () => {
  it('holds the codes and displays of src/terminology/override-reasons.ts', () => {
    const cs = loadCodeSystem('override-reason');
    expect(OVERRIDE_REASONS.every((r) => r.system === cs.url)).toBe(true);
    expect((cs.concept ?? []).map((c) => ({ code: c.code, display: c.display }))).toEqual(
      OVERRIDE_REASONS.map((r) => ({ code: r.code, display: r.display })),
    );
  });
});

describe('every ValueSet', () => {
  it.each(valueSetIds)('%s includes only codes that exist, in systems of profiles/', (id) => {
    const vs = loadValueSet(id);
    expect(vs).toMatchObject({ url: `${BASE}/ValueSet/${id}`, status: 'draft', version: '0.1.0' });
    const members = expand(vs);
    expect(members.length).toBeGreaterThan(0);
    for (const { system, code } of members) {
      const cs = codeSystemsByUrl.get(system);
      expect(cs, `${id}: ${system}`).toBeDefined();
      expect(codesOf(cs as CodeSystem), `${id}: ${code}`).toContain(code);
    }
    for (const inc of vs.compose?.include ?? []) {
      if (inc.version !== undefined)
        expect(inc.version).toBe(codeSystemsByUrl.get(inc.system ?? '')?.version);
      for (const c of inc.concept ?? []) {
        const def = codeSystemsByUrl.get(inc.system ?? '')?.concept?.find((x) => x.code === c.code);
        if (c.display !== undefined) expect(c.display, c.code).toBe(def?.display);
      }
    }
  });
});

describe('the ValueSet of each coded sign', () => {
  it.each(Object.entries(SPEC_CODED))(
    '%s: its ValueSet holds exactly its values',
    (_sign, { values, valueSet }) => {
      const members = expand(loadValueSet(valueSet));
      expect(members.every((m) => m.system === VALUE_SYSTEM)).toBe(true);
      expect(members.map((m) => m.code)).toEqual([...values]);
    },
  );

  it("matches the engine's coded values", () => {
    for (const [sign, values] of Object.entries(CODED_SIGN_VALUES)) {
      expect(
        expand(loadValueSet(SPEC_CODED[sign]?.valueSet ?? 'missing')).map((m) => m.code),
        sign,
      ).toEqual([...values]);
    }
    expect(Object.keys(CODED_SIGN_VALUES).sort()).toEqual(Object.keys(SPEC_CODED).sort());
  });

  it('every coded value belongs to some sign ValueSet', () => {
    const covered = new Set(
      [...new Set(Object.values(SPEC_CODED).map((s) => s.valueSet))].flatMap((vs) =>
        expand(loadValueSet(vs)).map((m) => m.code),
      ),
    );
    expect([...covered].sort()).toEqual([...codesOf(loadCodeSystem('vcf-finding-value'))].sort());
  });
});

describe('ValueSets vcf-finding-code and vertebral-level', () => {
  it('vcf-finding-code is the whole vcf-finding CodeSystem', () => {
    expect(expand(loadValueSet('vcf-finding-code'))).toEqual(
      SPEC_FINDING_CODES.map((code) => ({ system: FINDING_SYSTEM, code })),
    );
  });

  it('vertebral-level is the whole vertebral-level CodeSystem', () => {
    expect(expand(loadValueSet('vertebral-level'))).toEqual(
      SPEC_LEVELS.map((code) => ({ system: LEVEL_SYSTEM, code })),
    );
  });

  it('the CodeSystems point at them', () => {
    expect(loadCodeSystem('vcf-finding').valueSet).toBe(loadValueSet('vcf-finding-code').url);
    expect(loadCodeSystem('vertebral-level').valueSet).toBe(loadValueSet('vertebral-level').url);
  });
});
