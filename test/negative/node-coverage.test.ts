// --node-coverage: the run re-executes under NODE_V8_COVERAGE, c8 maps the
// V8 data to the TypeScript sources, and the note lists per file the lines
// reached and the branch arms never reached.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderNodeCoverage, summarize, type NodeCoverage } from '../../src/cli/node-coverage.ts';

const ROOT = resolve(import.meta.dirname, '../..');

describe('summarize', () => {
  it('counts lines by statement start and names every branch arm never taken', () => {
    const file = {
      statementMap: { 0: { start: { line: 1 } }, 1: { start: { line: 2 } }, 2: { start: { line: 3 } } },
      s: { 0: 1, 1: 0, 2: 4 },
      branchMap: { 0: { type: 'if', loc: { start: { line: 2 } }, locations: [{ start: { line: 2 } }, { start: { line: 3 } }] } },
      b: { 0: [0, 3] },
    };
    const c = summarize({ [join(ROOT, 'src/mesh/protocol/wire.ts')]: file });
    expect(c.lines).toEqual({ covered: 2, total: 3, pct: 66.7 });
    expect(c.branches).toEqual({ covered: 1, total: 2 });
    expect(c.files[0]).toEqual({
      file: 'src/mesh/protocol/wire.ts',
      lines: { covered: 2, total: 3 },
      unreachedBranches: ['2 (if, arm 0)'],
    });
    expect(renderNodeCoverage(c, 'test')).toContain('- src/mesh/protocol/wire.ts:2 (if, arm 0)');
  });
});

describe('certify --node-coverage', () => {
  it('writes node-coverage.json with the channel code the record checks reached', () => {
    const out = mkdtempSync(join(tmpdir(), 'node-coverage-'));
    const r = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        join(ROOT, 'src/cli.ts'),
        'certify',
        '--backend',
        'noble',
        '--only',
        'negative/records/du',
        '--node-coverage',
        '-o',
        out,
      ],
      { cwd: ROOT, encoding: 'utf8', timeout: 90_000 },
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/node coverage: protocol and channel code [\d.]+% of lines/);
    const c = JSON.parse(readFileSync(join(out, 'node-coverage.json'), 'utf8')) as NodeCoverage;
    const channel = c.files.find((f) => f.file === 'src/mesh/protocol/channel.ts');
    expect(channel?.lines.covered).toBeGreaterThan(channel!.lines.total / 2);
    expect(readFileSync(join(out, 'node-coverage.md'), 'utf8')).toContain('## Branch arms never reached');
  }, 100_000);
});
