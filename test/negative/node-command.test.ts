// The real-node negative checks start their nodes through the node command
// (docs/node-contract.md §1): `certify --only negative/nodes/ --node-command`
// puts an external implementation behind the attacker. Here the "external"
// node is a shell script that execs the reference node (it passes), and the
// mutant is a node command with believes-cleartext-alert in it (it fails,
// naming the clause and what the node counted).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tsxNodeCommand } from '../../bench/slo/node-command.ts';
import type { CryptoBackend } from '../../src/crypto/backend.ts';
import { loadBackend } from '../../src/crypto/select.ts';
import { referenceProtocol } from '../../src/mesh/protocol/seams.ts';
import { nodeChecks } from '../../suites/negative/checks/nodes.ts';
import { toCheck } from '../../suites/negative/clause.ts';
import { negativeNodeCommand } from '../../suites/negative/node-command.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin/pqc-harness.mjs');
const EXTERNAL = `sh ${join(ROOT, 'test/support/external-node.sh')} {config}`;
const MUTANT = tsxNodeCommand(join(ROOT, 'test/mutants/nodes/believes-cleartext-alert.ts')).text;
const ctx = { seed: 1, profile: 'pr' as const };

let backend: CryptoBackend;
let out: string;
beforeAll(async () => {
  backend = await loadBackend('liboqs');
  out = mkdtempSync(join(tmpdir(), 'pqc-node-command-'));
});
afterAll(() => rmSync(out, { recursive: true, force: true }));

const check = (nodeCommand: string) => toCheck(nodeChecks[0], () => ({ protocol: referenceProtocol, backend, nodeCommand }));

describe('negative checks on node processes started by --node-command', () => {
  it('certify --only negative/nodes/ --node-command runs them against the external node, and passes', () => {
    const r = spawnSync(
      process.execPath,
      [BIN, 'certify', '--only', 'negative/nodes/', '--node-command', EXTERNAL, '-b', 'liboqs', '-j', '1', '--seed', '1', '-o', out],
      { encoding: 'utf8', env: { ...process.env, PQC_LOG_LEVEL: 'warn' }, timeout: 60_000 },
    );
    expect(r.stdout, r.stderr).toMatch(/^PASS: 1 passed, 0 failed/m);
    expect(r.status).toBe(0);
    const report = JSON.parse(readFileSync(join(out, 'certification.json'), 'utf8'));
    const c = report.checks.find((x: { id: string }) => x.id === 'negative/nodes/cleartext-alert');
    expect(c.status).toBe('pass');
    expect(c.evidence.nodeCommand).toBe(EXTERNAL);
    expect(c.evidence.rounds.map((x: { direction: string }) => x.direction)).toEqual(['i2r', 'r2i']);
  }, 60_000);

  it('fails on a mutant node command that believes the cleartext ALERT, naming the clause and the count', async () => {
    const v = await check(MUTANT).run(ctx);
    expect(v.status).toBe('fail');
    expect(v.reason).toMatch(
      /^violates 4\.1\.7: cleartext ALERT \{revoked\} injected i2r toward node-2: counted as the peer's revoked \(pqc_handshake_failure_total\{reason="revoked"\} \+1 on node-2/,
    );
    expect(v.evidence.nodeCommand).toBe(MUTANT);
    expect(v.evidence.logs).toEqual(expect.any(String));
    rmSync(v.evidence.logs as string, { recursive: true, force: true });
  }, 40_000);

  it('a node command that cannot start fails the check naming it; one without {config} is refused', async () => {
    const v = await check('/nonexistent/pqc-node {config}').run(ctx);
    expect(v.status).toBe('fail');
    expect(v.reason).toMatch(/cannot run \/nonexistent\/pqc-node/);
    rmSync(/logs in (\S+)\)/.exec(v.reason ?? '')![1], { recursive: true, force: true });
    expect(() => negativeNodeCommand({ nodeCommand: 'my-node --config' })).toThrow(/no \{config\} placeholder/);
    expect(() => negativeNodeCommand({ nodeCommand: EXTERNAL, controlModule: '/x/votes-twice.ts' })).toThrow(/cannot be combined/);
    expect(negativeNodeCommand({ controlModule: '/x/votes-twice.ts' }).argv('/c.yaml').args.slice(-5)).toEqual([
      '--config',
      '/c.yaml',
      '--exit-with-parent',
      '--mutant',
      '/x/votes-twice.ts',
    ]);
  }, 20_000);
});
