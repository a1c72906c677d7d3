// `pqc-harness chaos` as a user runs it: usage errors are exit 2 naming the
// problem; split-brain against the reference node started through an explicit
// --node-command (docs/node-contract.md §1) writes its report and history and
// exits 0 (no scenario invalid; unknown is a warning in pr).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = resolve('bin/pqc-harness.mjs');
const out = mkdtempSync(join(tmpdir(), 'chaos-cli-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const cli = (...args: string[]) => spawnSync(process.execPath, [BIN, 'chaos', ...args], { encoding: 'utf8', timeout: 120_000 });

describe('pqc-harness chaos', () => {
  it('lists the scenarios', () => {
    const r = cli('--list');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^split-brain\s+halves on 5 nodes/m);
  });
  it('an unknown scenario or an unreadable --mesh file is exit 2 naming it', () => {
    const a = cli('--scenario', 'split-brian');
    expect(a.status).toBe(2);
    expect(a.stderr).toContain('unknown scenario "split-brian"');
    const b = cli('--mesh', 'mesh.json');
    expect(b.status).toBe(2);
    expect(b.stderr).toContain('--mesh mesh.json: cannot read (ENOENT)');
  });
  it('split-brain through an explicit --node-command: exit 0, verdict line, timeline, report and history', () => {
    const cmd = `"${process.execPath}" "${BIN}" node --config {config} --exit-with-parent`;
    const r = cli('--scenario', 'split-brain', '--nodes', '5', '--seed', '1', '--node-command', cmd, '--out', out);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^(VALID|UNKNOWN) +chaos\/split-brain \(5 nodes, seed 1,/m);
    expect(r.stdout).toMatch(/partition +halves: /);
    const report = JSON.parse(readFileSync(join(out, 'chaos.json'), 'utf8'));
    expect(report.scenarios[0]).toMatchObject({ id: 'chaos/split-brain', seed: 1, nodes: 5 });
    expect(report.scenarios[0].verdict).not.toBe('invalid');
    const history = JSON.parse(readFileSync(join(out, 'split-brain.history.json'), 'utf8'));
    expect(history.schedule.seed).toBe(1);
  }, 120_000);
});
