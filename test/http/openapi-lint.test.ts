/**
 * openapi.yaml passes Redocly's OpenAPI linter (its `recommended` ruleset, in process): security on
 * every operation, no `required` naming an undefined property, a 4XX on every operation, valid
 * OpenAPI 3.1 structure. Any problem, error or warning, fails with the linter's own words.
 */
import { join } from 'node:path';
import { createConfig, lint } from '@redocly/openapi-core';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/project-root.js';

describe('openapi.yaml', () => {
  it("has no problem in Redocly's recommended ruleset", async () => {
    const config = await createConfig({ extends: ['recommended'] });
    const problems = await lint({ ref: join(projectRoot(), 'openapi.yaml'), config });
    const lines = problems.map(
      (p) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location[0]?.pointer ?? '?'}`,
    );
    expect(lines).toEqual([]);
  });
});
