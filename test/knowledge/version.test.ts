import { describe, expect, it } from 'vitest';
import * as knowledge from '../../src/knowledge/index.js';
import {
  KNOWLEDGE_BASE_SEMVER,
  KNOWLEDGE_BASE_VERSION,
  KNOWLEDGE_CONTENT,
  knowledgeBaseVersion,
} from '../../src/knowledge/index.js';

type Path = readonly (string | number)[];

/** Every leaf (number, string, boolean) of a value, with its path. */
function leaves(value: unknown, path: Path = []): Path[] {
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) =>
      leaves(v, [...path, Array.isArray(value) ? Number(k) : k]),
    );
  }
  return [path];
}

/** A deep copy of `value` with the leaf at `path` changed (number + 1, text + '?', flipped boolean). */
function changedAt(value: unknown, path: Path): unknown {
  if (path.length === 0) {
    if (typeof value === 'number') return value + 1;
    if (typeof value === 'boolean') return !value;
    return `${String(value)}?`;
  }
  const [head, ...rest] = path;
  if (Array.isArray(value)) return value.map((v, i) => (i === head ? changedAt(v, rest) : v));
  const o = value as Record<string, unknown>;
  return { ...o, [head as string]: changedAt(o[head as string], rest) };
}

describe('KNOWLEDGE_BASE_VERSION (semver + content hash)', () => {
  it('is the hash of the content the engine uses', () => {
    expect(KNOWLEDGE_BASE_VERSION).toMatch(/^\d+\.\d+\.\d+\+[0-9a-f]{14}$/);
    expect(KNOWLEDGE_BASE_VERSION).toBe(knowledgeBaseVersion(KNOWLEDGE_CONTENT));
    expect(KNOWLEDGE_BASE_VERSION.startsWith(`${KNOWLEDGE_BASE_SEMVER}+`)).toBe(true);
  });

  it('covers every data export of the knowledge base, so no new table or rule can be missed', () => {
    const covered = new Set<unknown>(Object.values(KNOWLEDGE_CONTENT));
    const notCovered = Object.entries(knowledge)
      .filter(([name, v]) => typeof v !== 'function' && !name.startsWith('KNOWLEDGE_'))
      .filter(([, v]) => !covered.has(v))
      .map(([name]) => name);
    expect(notCovered).toEqual([]);
  });

  const paths = leaves(KNOWLEDGE_CONTENT);
  it('has content to cover: thresholds, ADC rule, pre-test, every table and source', () => {
    const entries = new Set(paths.map((p) => p[0]));
    for (const e of [
      'MALIGNANT_THRESHOLD',
      'BENIGN_THRESHOLD',
      'MIN_KEY_DISCRIMINATORS_KNOWN',
      'G4_SAFEGUARD_MIN_BENIGN',
      'DEFAULT_ADC_RULE',
      'DEFAULT_PRETEST_PROBABILITY',
      'CANCER_HISTORY_PRETEST_PROBABILITY',
      'SIGN_TABLES',
      'COMBINED_READING_COUNTS',
      'PUBLISHED_DIAGNOSTIC_EFFICACY',
      'SOURCES',
    ]) {
      expect(entries).toContain(e);
    }
    expect(paths.length).toBeGreaterThan(300);
  });

  it('changes when any single number, text or flag of any entry changes', () => {
    const unchanged: string[] = [];
    for (const p of paths) {
      if (knowledgeBaseVersion(changedAt(KNOWLEDGE_CONTENT, p)) === KNOWLEDGE_BASE_VERSION) {
        unchanged.push(p.join('.'));
      }
    }
    expect(unchanged).toEqual([]);
  });

  it('does not depend on the order of keys', () => {
    const reversed = Object.fromEntries(Object.entries(KNOWLEDGE_CONTENT).reverse());
    expect(knowledgeBaseVersion(reversed)).toBe(KNOWLEDGE_BASE_VERSION);
  });
});

describe('default decision rules (docs/clinical-logic.md sections 3 and 5)', () => {
  it('are 0.90 / 0.10, 3 of 4 key discriminators, 3 benign discriminators, pre-test 74/150 and 0.67', () => {
    expect(knowledge.MALIGNANT_THRESHOLD.value).toBe(0.9);
    expect(knowledge.BENIGN_THRESHOLD.value).toBe(0.1);
    expect(knowledge.MIN_KEY_DISCRIMINATORS_KNOWN.value).toBe(3);
    expect(knowledge.G4_SAFEGUARD_MIN_BENIGN.value).toBe(3);
    expect(knowledge.DEFAULT_PRETEST_PROBABILITY.value).toBe(74 / 150);
    expect(knowledge.CANCER_HISTORY_PRETEST_PROBABILITY).toMatchObject({
      value: 0.67,
      source: 'luo2016',
    });
  });
});
