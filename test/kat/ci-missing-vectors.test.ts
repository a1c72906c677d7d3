// In CI a missing vectors directory must fail the known-answer tests with the
// reason, never let them skip: runs the kat mutant tests in a child vitest
// with CI=true and a vectors directory that does not exist.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const VITEST = fileURLToPath(new URL('../../node_modules/vitest/vitest.mjs', import.meta.url));

it('with CI=true and no vectors directory the kat mutant tests fail, naming the directory', () => {
  const missing = '/nonexistent/pqc-vectors-for-this-test';
  const r = spawnSync(process.execPath, [VITEST, 'run', 'test/mutants/kat-mutants.test.ts'], {
    cwd: REPO,
    env: { ...process.env, CI: 'true', PQC_VECTORS_DIR: missing, FORCE_COLOR: '0', NO_COLOR: '1' },
    encoding: 'utf8',
    timeout: 120_000,
  });
  const out = `${r.stdout}${r.stderr}`;
  expect(r.status, out).toBe(1);
  expect(out).toContain(`CI=true but the vectors directory ${missing}`);
  expect(out).not.toMatch(/\d+ skipped/);
}, 150_000);
