/** The words for how far an LR moves the probability (Jaeschke et al., JAMA 1994). */
import { describe, expect, it } from 'vitest';
import { lrStrength, SOURCES } from '../../src/knowledge/index.js';

describe('lrStrength', () => {
  it("follows the Users' Guides bands on both sides of 1", () => {
    expect([14.4, 9.12, 3, 1.5, 1].map(lrStrength)).toEqual([
      'large',
      'moderate',
      'small',
      'marginal',
      undefined,
    ]);
    expect([0.05, 0.16, 0.33, 0.86].map(lrStrength)).toEqual([
      'large',
      'moderate',
      'small',
      'marginal',
    ]);
    expect(SOURCES.jaeschke1994).toMatchObject({ pmid: '8309035', external: true });
  });
});
