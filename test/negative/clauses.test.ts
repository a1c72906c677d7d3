// Every clause a negative check names exists in docs/mesh.md, so a failure's
// "violates 3.2.2" always points at text.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NEGATIVE_CHECKS } from '../../suites/negative/index.ts';

const doc = readFileSync(new URL('../../docs/mesh.md', import.meta.url), 'utf8');
const clauses = new Set([...doc.matchAll(/^- \*\*(\d+\.\d+\.\d+)\*\* /gm)].map((m) => m[1]));

describe('negative check clauses', () => {
  it('docs/mesh.md numbers its clauses', () => {
    expect(clauses.size).toBeGreaterThan(20);
  });
  it.each(NEGATIVE_CHECKS.map((c) => [c.id, c.clause] as const))('%s names clause %s of docs/mesh.md', (_id, clause) => {
    expect(clauses.has(clause)).toBe(true);
  });
});
