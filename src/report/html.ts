// report.html: one self-contained page (inline CSS and SVG, one tiny inline
// script, no network) for release reviewers: verdict and reasons, the KAT
// coverage matrix, latency distributions with the SLO line, chaos timelines,
// the selftest kill matrix and the waivers. A section whose evidence this run
// did not produce says so instead of drawing an empty chart.
import { collectEvidence, killMatrixFromSelftest } from './evidence-shapes.ts';
import { h, killMatrixTable, latencyChart, timelineChart } from './html-charts.ts';
import type { CertificationReport, ReportedCheck } from './model.ts';
import { severityOf } from './severity.ts';
import { checkLabel, evidenceSummary } from './text.ts';

const DEFAULT_SLO_P95_MS = 100;
const KAT_FAMILIES = ['kat/acvp', 'kat/wycheproof', 'kat/drbg', 'kat/accumulated', 'kat/xwing'];
/** The vector set a known-answer check reads: its first two id segments (kat/acvp, kat/wycheproof). */
const vectorSet = (id: string) => id.split('/').slice(0, 2).join('/');

export const CSS = `body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#1b1f24;max-width:1100px}
h1{font-size:22px}h2{font-size:17px;margin-top:28px;border-bottom:1px solid #d0d7de}
.pass{color:#1a7f37}.fail{color:#cf222e}.warn{color:#9a6700}
table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #d0d7de;padding:3px 6px;text-align:left;vertical-align:top}
td.ok{background:#dafbe1}td.bad{background:#ffebe9}td.waived{background:#fff8c5}td.skip{background:#eaeef2}td.na{background:#f6f8fa;color:#8c959f}
.nodata{color:#57606a;font-style:italic}figure{margin:10px 0}figcaption{font-weight:600}
svg .bar{fill:#54aeff}svg .axis{stroke:#57606a}svg .pct{stroke:#0969da;stroke-dasharray:3 2}svg .slo{stroke:#cf222e;stroke-width:2}
svg .lbl{font-size:10px;fill:#1b1f24}svg .nemesis{fill:#ffebe9;opacity:.8}svg .maj{fill:#2da44e}svg .min{fill:#d4a72c}svg .down{fill:#8c959f}svg .commit{fill:#0969da}
th.rot{writing-mode:vertical-rl;font-weight:400}small{color:#57606a}`;

/** Marks every chart the browser laid out (non-zero box), so a headless test can tell a chart rendered. */
const SCRIPT = `window.addEventListener('load',function(){var c=document.querySelectorAll('[data-chart]'),n=0;
for(var i=0;i<c.length;i++){var b=c[i].getBoundingClientRect();if(b.width>0&&b.height>0){c[i].setAttribute('data-rendered','yes');n++;}}
document.body.setAttribute('data-charts-rendered',n+'/'+c.length);});`;

const noData = (what: string, who: string) =>
  `<p class="nodata">No data in this report: ${h(what)} (emitted by ${h(who)} checks as documented in docs/architecture.md).</p>`;

function waiverFor(r: CertificationReport, c: { id: string; backend?: string }) {
  const v = r.policy?.violations.find((x) => x.check === c.id && x.backend === c.backend && x.waivedBy !== undefined);
  return v?.waivedBy !== undefined ? r.policy?.waivers[v.waivedBy] : undefined;
}

function verdictSection(r: CertificationReport): string {
  const waived = r.verdict === 'pass' && r.policy?.outcome === 'passed-with-waivers';
  const cls = r.verdict === 'fail' ? 'fail' : waived ? 'warn' : 'pass';
  const reasons = r.verdictReasons.length
    ? `<ul>${r.verdictReasons.map((x) => `<li>${h(x)}</li>`).join('')}</ul>`
    : '<p>Every rule of the policy held.</p>';
  const warnings = (r.policy?.warnings ?? []).map((w) => `<li class="warn">${h(w)}</li>`).join('');
  return `<h1>PQC certification (${h(r.command)}, ${h(r.profile)}): <span class="${cls}" id="verdict">${r.verdict.toUpperCase()}${waived ? ' with waivers' : ''}</span></h1>
<p>${r.summary.passed} passed, ${r.summary.failed} failed, ${r.summary.skipped} skipped of ${r.summary.total} checks in ${(r.durationMs / 1000).toFixed(1)} s · seed <code>${r.seed}</code> · started ${h(r.startedAt)}${r.policy ? ` · policy <code>${h(r.policy.digest.slice(0, 16))}</code>` : ''}</p>
${reasons}${warnings ? `<ul>${warnings}</ul>` : ''}`;
}

function cell(r: CertificationReport, cs: readonly ReportedCheck[]): string {
  if (!cs.length) return '<td class="na">—</td>';
  const cases = cs.reduce((a, c) => ({ p: a.p + (c.evidence.cases?.passed ?? 0), t: a.t + (c.evidence.cases?.total ?? 0) }), {
    p: 0,
    t: 0,
  });
  const failed = cs.filter((c) => c.status === 'fail');
  const cls = failed.length
    ? failed.every((c) => waiverFor(r, c))
      ? 'waived'
      : 'bad'
    : cs.every((c) => c.status === 'skip')
      ? 'skip'
      : 'ok';
  const skipped = cs.filter((c) => c.status === 'skip').length;
  const checks = `${cs.filter((c) => c.status === 'pass').length}/${cs.length} checks${skipped ? ` (${skipped} skipped)` : ''}`;
  const title = cs.map((c) => `${c.id}: ${c.status}${c.status !== 'pass' ? ` (${evidenceSummary(c)})` : ''}`).join('\n');
  return `<td class="${cls}" title="${h(title)}">${checks}${cases.t ? `<br><small>${cases.p}/${cases.t} cases</small>` : ''}</td>`;
}

function katMatrix(r: CertificationReport): string {
  const kat = r.checks.filter((c) => KAT_FAMILIES.includes(vectorSet(c.id)));
  if (!kat.length) return noData('no known-answer checks ran', 'kat/*');
  const head = KAT_FAMILIES.map((f) => `<th>${h(f)}</th>`).join('');
  const rows = r.backends
    .map(
      (b) =>
        `<tr><th>${h(b.name)} <small>${h(b.version)}</small></th>${KAT_FAMILIES.map((f) =>
          cell(
            r,
            kat.filter((c) => c.backend === b.name && vectorSet(c.id) === f),
          ),
        ).join('')}</tr>`,
    )
    .join('');
  return `<table data-chart="kat-matrix"><tr><th>backend \\ vectors</th>${head}</tr>${rows}</table><small>green: all passed · red: a failure · yellow: failures all waived · grey: skipped</small>`;
}

function latencySection(r: CertificationReport): string {
  const { found, malformed } = collectEvidence(r.checks, 'latency');
  const bad = malformed.length ? `<p class="warn">Malformed evidence.latency in ${h(malformed.join(', '))}.</p>` : '';
  if (!found.length) return noData('no handshake latency samples', 'slo/*') + bad;
  const sorted = [...found].sort(
    (a, b) =>
      `${a.value.backend ?? a.backend}`.localeCompare(`${b.value.backend ?? b.backend}`) ||
      (a.value.loadLevel ?? 0) - (b.value.loadLevel ?? 0),
  );
  return (
    sorted
      .map((f) =>
        latencyChart(
          `${f.value.backend ?? f.backend ?? 'mesh'}${f.value.loadLevel !== undefined ? ` at ${f.value.loadLevel} handshakes/s` : ''} (${f.checkId})`,
          f.value,
          f.value.sloP95Ms ?? DEFAULT_SLO_P95_MS,
        ),
      )
      .join('') + bad
  );
}

function chaosSection(r: CertificationReport): string {
  const { found, malformed } = collectEvidence(r.checks, 'timeline');
  const bad = malformed.length ? `<p class="warn">Malformed evidence.timeline in ${h(malformed.join(', '))}.</p>` : '';
  if (!found.length) return noData('no chaos timelines', 'chaos/*') + bad;
  return found.map((f) => timelineChart(f.checkId, f.value)).join('') + bad;
}

function selftestSection(r: CertificationReport): string {
  const { found, malformed } = collectEvidence(r.checks, 'killMatrix');
  const bad = malformed.length ? `<p class="warn">Malformed evidence.killMatrix in ${h(malformed.join(', '))}.</p>` : '';
  const derived = killMatrixFromSelftest(r.checks);
  if (!found.length && !derived) return noData('no selftest kill matrix', 'selftest/*') + bad;
  return (
    (derived ? killMatrixTable('selftest (families x mutants)', derived) : '') +
    found.map((f) => killMatrixTable(f.checkId, f.value)).join('') +
    bad
  );
}

function findingsSection(r: CertificationReport): string {
  const vs = r.policy?.violations ?? [];
  const waivers = r.policy?.waivers ?? [];
  const vRows = vs
    .map(
      (v) =>
        `<tr><td><code>${h(v.rule)}</code></td><td>${h(v.severity)}</td><td class="${v.waivedBy !== undefined ? 'waived' : v.action === 'warn' ? 'skip' : 'bad'}">${v.waivedBy !== undefined ? 'waived' : v.action}</td><td>${h(v.message)}<br><small>${h(v.source)}</small></td></tr>`,
    )
    .join('');
  const wRows = waivers
    .map(
      (w) =>
        `<tr><td><code>${h(w.id)}</code></td><td>${h([w.scope.backend, w.scope.mesh].filter(Boolean).join(', ') || 'any')}</td><td>${h(w.owner)}</td><td>${h(w.expires)}</td><td class="${w.status === 'active' ? 'waived' : w.status === 'expired' ? 'bad' : 'skip'}">${h(w.status)}</td><td>${h(w.reason)}</td></tr>`,
    )
    .join('');
  return `${vs.length ? `<table><tr><th>rule</th><th>severity</th><th>action</th><th>finding</th></tr>${vRows}</table>` : '<p>No policy findings.</p>'}
<h3>Waivers</h3>${waivers.length ? `<table><tr><th>id</th><th>scope</th><th>owner</th><th>expires</th><th>status</th><th>reason</th></tr>${wRows}</table>` : '<p class="nodata">No waivers in this run.</p>'}`;
}

function checksSection(r: CertificationReport): string {
  const rows = r.checks
    .map(
      (c) =>
        `<tr><td><code>${h(checkLabel(c))}</code></td><td class="${c.status === 'pass' ? 'ok' : c.status === 'fail' ? (waiverFor(r, c) ? 'waived' : 'bad') : 'skip'}">${c.status}</td><td>${h(severityOf(c.id)?.severity ?? '')}</td><td>${c.durationMs} ms</td><td>${c.status === 'pass' ? '' : h(evidenceSummary(c))}</td></tr>`,
    )
    .join('');
  return `<details><summary>All ${r.checks.length} checks</summary><table><tr><th>check</th><th>status</th><th>severity</th><th>time</th><th>detail</th></tr>${rows}</table></details>`;
}

export function renderHtml(r: CertificationReport): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>PQC certification ${h(r.verdict)} (${h(r.profile)}, seed ${r.seed})</title><style>${CSS}</style></head><body>
<section id="verdict-section">${verdictSection(r)}</section>
<section id="kat"><h2>Known-answer coverage</h2>${katMatrix(r)}</section>
<section id="latency"><h2>Handshake latency</h2>${latencySection(r)}</section>
<section id="chaos"><h2>Chaos timelines</h2>${chaosSection(r)}</section>
<section id="selftest"><h2>Selftest kill matrix</h2>${selftestSection(r)}</section>
<section id="findings"><h2>Findings and waivers</h2>${findingsSection(r)}</section>
<section id="checks"><h2>Checks</h2>${checksSection(r)}</section>
<footer><small>${h(r.tool.name)} ${h(r.tool.version)} · Node ${h(r.environment.node)} · ${h(r.environment.os)} · ${h(r.environment.cpu)} ×${r.environment.cores}</small></footer>
<script>${SCRIPT}</script></body></html>
`;
}
