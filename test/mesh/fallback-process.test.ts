// Forced fallback in a real node process (test/mesh/fixtures/fallback-node.ts).
// Apart from the in-process controller tests so the mutation run can leave it
// out: a mutant in Stryker's sandbox never reaches a child process.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { FALLBACK_EXPIRED_EXIT_CODE } from '../../src/mesh/fallback/controller.ts';
import { startAlertReceiver, type AlertReceiver } from '../support/alert-receiver.ts';

let receiver: AlertReceiver | undefined;
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

describe('a node process with X0TTA6BL4_DISABLE_PQC on', () => {
  it('alerts, then at TTL closes its session, drains and exits 3', async () => {
    receiver = await startAlertReceiver();
    const fixture = fileURLToPath(new URL('./fixtures/fallback-node.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', fixture], {
      env: { ...process.env, X0TTA6BL4_DISABLE_PQC: 'On', X0TTA6BL4_FALLBACK_TTL_SECONDS: '0.5', X0TTA6BL4_ALERTMANAGER_URL: receiver.url },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exitCode = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(exitCode).toBe(FALLBACK_EXPIRED_EXIT_CODE);
    const events = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(events).toEqual([
      { event: 'ready', state: 'fallback' },
      { event: 'drained', sessionsClosed: 1, state: 'expired' },
    ]);
    const names = (receiver.alertPosts() as Array<Array<{ labels: Record<string, string> }>>).map((post) => post[0].labels.alertname);
    expect(names).toEqual(['PqcFallbackActive', 'PqcFallbackExpired']);
  });
});
