// The example workflow users copy must call commands and flags that exist.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { REPO, runCli } from '../support/cli.ts';

interface Step {
  run?: string;
  uses?: string;
}

describe('.github/workflows/pqc-gate.yml', () => {
  const wf = parse(readFileSync(join(REPO, '.github/workflows/pqc-gate.yml'), 'utf8')) as { jobs: Record<string, { steps: Step[] }> };
  const runs = Object.values(wf.jobs).flatMap((j) => j.steps.flatMap((s) => (s.run ? [s.run] : [])));
  // Each `npx pqc-harness` call: the leading lower-case words are the command, the rest its arguments.
  const calls = runs.flatMap((r) =>
    r.split('\n').flatMap((line) => {
      const at = line.indexOf('npx pqc-harness ');
      if (at < 0) return [];
      const tokens = line.slice(at + 'npx pqc-harness '.length).split(/\s+/);
      const n = tokens.findIndex((t) => !/^[a-z]+$/.test(t));
      return [{ cmd: tokens.slice(0, n < 0 ? tokens.length : n), rest: tokens.slice(n < 0 ? tokens.length : n).join(' ') }];
    }),
  );

  it('has the PR gate (pr profile, SARIF upload, JUnit artifact, Toxiproxy service) and the signed release job', () => {
    expect(Object.keys(wf.jobs)).toEqual(['pr-gate', 'release-certification']);
    const uses = Object.values(wf.jobs).flatMap((j) => j.steps.flatMap((s) => (s.uses ? [s.uses] : [])));
    expect(uses).toEqual(expect.arrayContaining(['github/codeql-action/upload-sarif@v3', 'actions/upload-artifact@v4']));
    expect(runs.join('\n')).toMatch(/certify --profile pr[\s\S]*certify --profile release[\s\S]*report sign[\s\S]*report verify/);
  });

  it('every pqc-harness command and flag it uses exists', async () => {
    expect(calls.length).toBeGreaterThanOrEqual(5);
    const byCmd = new Map<string, Set<string>>();
    for (const c of calls) {
      const flags = byCmd.get(c.cmd.join(' ')) ?? new Set();
      for (const f of c.rest.matchAll(/(--[a-z-]+)/g)) flags.add(f[1]);
      byCmd.set(c.cmd.join(' '), flags);
    }
    const helps = await Promise.all([...byCmd.keys()].map((k) => runCli([...k.split(' '), '--help'])));
    [...byCmd].forEach(([cmd, flags], i) => {
      expect(helps[i].code, `${cmd} --help`).toBe(0);
      for (const f of flags) expect(helps[i].stdout, `${cmd} ${f}`).toContain(f);
    });
  }, 60_000);
});
