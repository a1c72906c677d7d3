// report.html in a real browser: headless Chromium (Debian package chromium)
// loads the file with the network off, must log nothing to the console, and
// must lay out every chart; a screenshot lands in the test's output folder.
// Without chromium the test skips, except in CI (CI=true), where it fails.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../src/report/html.ts';
import { baseReport, policedReport } from './fixture.ts';

const OUT = fileURLToPath(new URL('../../.scratch/report-html/', import.meta.url));
const CHROMIUM = ['chromium', 'chromium-browser', 'google-chrome'].find((b) => spawnSync(b, ['--version']).status === 0);
const inCi = process.env.CI === 'true';

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--hide-scrollbars',
  '--no-first-run',
  '--proxy-server=127.0.0.1:9',
  '--enable-logging=stderr',
  '--v=0',
];

function load(file: string): { dom: string; console: string[] } {
  const r = spawnSync(CHROMIUM as string, [...FLAGS, '--dump-dom', `file://${file}`], { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`chromium exited ${r.status}: ${r.stderr}`);
  return { dom: r.stdout, console: r.stderr.split('\n').filter((l) => /CONSOLE/.test(l)) };
}

function screenshot(file: string, png: string): void {
  const r = spawnSync(CHROMIUM as string, [...FLAGS, '--window-size=1200,2200', `--screenshot=${png}`, `file://${file}`], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (r.status !== 0) throw new Error(`chromium screenshot exited ${r.status}: ${r.stderr}`);
}

function page(name: string, html: string): string {
  mkdirSync(OUT, { recursive: true });
  const file = join(OUT, name);
  writeFileSync(file, html);
  return file;
}

describe.skipIf(!CHROMIUM && !inCi)('report.html in headless Chromium', () => {
  it('chromium is installed (CI must not skip this test; .ci/run installs it)', () => {
    expect(CHROMIUM, 'install the Debian package chromium').toBeDefined();
  });

  it('renders every chart of a full report with no console output, and saves a screenshot', () => {
    const file = page('report.html', renderHtml(policedReport()));
    const { dom, console } = load(file);
    expect(console).toEqual([]);
    const charts = [...dom.matchAll(/data-chart="([^"]+)"[^>]*data-rendered="yes"/g)].map((m) => m[1]).sort();
    // The kill matrix twice: derived from the selftest/<family> checks, and an aggregated evidence.killMatrix.
    expect(charts).toEqual(['kat-matrix', 'kill-matrix', 'kill-matrix', 'latency', 'timeline']);
    expect(dom).toMatch(/data-charts-rendered="5\/5"/);
    expect(dom).toMatch(/selftest \(families x mutants\): kill rate 100\.0%/);
    expect(dom).toMatch(/id="verdict">FAIL</);
    expect(dom).not.toMatch(/No data in this report/);
    screenshot(file, join(OUT, 'report.png'));
  });

  it('a report without latency, chaos or selftest evidence says so in each section', () => {
    const checks = policedReport().checks.filter((c) => c.id.startsWith('kat/') || c.id.startsWith('crypto/'));
    const { dom, console } = load(page('report-partial.html', renderHtml(baseReport(checks))));
    expect(console).toEqual([]);
    for (const id of ['latency', 'chaos', 'selftest'])
      expect(dom).toMatch(new RegExp(`<section id="${id}">.*?No data in this report`, 's'));
    expect(dom).toMatch(/data-charts-rendered="1\/1"/);
  });

  it('the console check is real: a page that logs an error is caught', () => {
    const { console } = load(page('broken.html', '<!doctype html><body><script>console.error("boom")</script></body>'));
    expect(console.join('\n')).toMatch(/boom/);
  });
});
