// A Prometheus started by the harness stops when the harness is killed
// outright (SIGKILL runs no exit handler): the guard shell notices within a
// second or two and stops it.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { prometheusVersion } from '../../bench/slo/prometheus.ts';

const dir = mkdtempSync(join(tmpdir(), 'prom-guard-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SCRIPT = `
import { startPrometheus } from ${JSON.stringify(new URL('../../bench/slo/prometheus.ts', import.meta.url).href)};
const p = await startPrometheus(${JSON.stringify(dir)}, []);
console.log(p.url);
setInterval(() => {}, 1000);
`;

async function ready(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/-/ready`)).status === 200;
  } catch {
    return false;
  }
}

describe.skipIf(!prometheusVersion() && process.env.CI !== 'true')('prometheus guard', () => {
  it('stops prometheus within 10 s of its harness being killed with SIGKILL', async () => {
    const harness = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', SCRIPT], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const url = await new Promise<string>((resolve, reject) => {
      createInterface({ input: harness.stdout! }).once('line', resolve);
      harness.once('exit', (code) => reject(new Error(`harness exited with ${code} before prometheus was ready`)));
    });
    expect(await ready(url)).toBe(true);
    harness.kill('SIGKILL');
    const until = Date.now() + 10_000;
    while ((await ready(url)) && Date.now() < until) await new Promise((r) => setTimeout(r, 250));
    expect(await ready(url)).toBe(false);
  }, 60_000);
});
