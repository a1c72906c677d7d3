// Plain inline SVG charts for report.html: no script library, no network.
// Each chart is an <svg data-chart="..."> so the browser test can find it.
import type { KillMatrixEvidence, LatencyEvidence, TimelineEvidence } from './evidence-shapes.ts';

export const h = (s: string | number) =>
  String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Handshake latency histogram with p50/p95/p99 markers and the SLO line. */
export function latencyChart(title: string, l: LatencyEvidence, sloMs: number): string {
  const W = 520;
  const H = 180;
  const pad = { l: 40, r: 10, t: 20, b: 30 };
  const maxX = Math.max(sloMs * 1.2, l.p99 * 1.1, ...l.histogram.map((b) => b.le), 1);
  const maxY = Math.max(1, ...l.histogram.map((b) => b.count));
  const x = (ms: number) => pad.l + (ms / maxX) * (W - pad.l - pad.r);
  const y = (n: number) => H - pad.b - (n / maxY) * (H - pad.t - pad.b);
  let prev = 0;
  const bars = l.histogram
    .map((b) => {
      const x0 = x(prev);
      prev = b.le;
      return `<rect class="bar" x="${x0.toFixed(1)}" y="${y(b.count).toFixed(1)}" width="${Math.max(1, x(b.le) - x0 - 1).toFixed(1)}" height="${(H - pad.b - y(b.count)).toFixed(1)}"><title>≤ ${h(b.le)} ms: ${b.count}</title></rect>`;
    })
    .join('');
  // Labels on staggered rows so close percentiles stay readable; the SLO label sits left of its line.
  const marker = (ms: number, label: string, cls: string, row: number) => {
    const left = cls === 'slo';
    const tx = left ? x(ms) - 3 : x(ms) + 3;
    return `<line class="${cls}" x1="${x(ms).toFixed(1)}" x2="${x(ms).toFixed(1)}" y1="${pad.t}" y2="${H - pad.b}"/><text x="${tx.toFixed(1)}" y="${pad.t + 10 + row * 11}" class="lbl"${left ? ' text-anchor="end"' : ''}>${h(label)}</text>`;
  };
  return `<figure><figcaption>${h(title)}</figcaption><svg data-chart="latency" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${h(title)}">
<line class="axis" x1="${pad.l}" y1="${H - pad.b}" x2="${W - pad.r}" y2="${H - pad.b}"/><line class="axis" x1="${pad.l}" y1="${pad.t}" x2="${pad.l}" y2="${H - pad.b}"/>
${bars}${marker(l.p50, `p50 ${l.p50} ms`, 'pct', 0)}${marker(l.p95, `p95 ${l.p95} ms`, 'pct', 1)}${marker(l.p99, `p99 ${l.p99} ms`, 'pct', 2)}${marker(sloMs, `SLO p95 < ${sloMs} ms`, 'slo', 0)}
<text x="${W - pad.r}" y="${H - 8}" text-anchor="end" class="lbl">ms (0–${h(maxX.toFixed(0))})</text><text x="4" y="${pad.t}" class="lbl">${maxY}</text>
</svg></figure>`;
}

const STATE_CLASS = { majority: 'maj', minority: 'min', down: 'down' } as const;

/** The convergence label, right of its line, or left of it near the chart's right edge so it is not cut off. */
function convergedLabel(at: number, W: number, H: number, ms: number): string {
  const left = at > W - 110;
  return `<text class="lbl" x="${(left ? at - 3 : at + 3).toFixed(1)}" y="${H - 6}"${left ? ' text-anchor="end"' : ''}>converged ${ms} ms</text>`;
}

/** Nemesis windows, membership lanes per node, commits and the convergence point of one chaos scenario. */
export function timelineChart(title: string, t: TimelineEvidence): string {
  const nodes = [...new Set(t.membership.map((m) => m.node))].sort();
  const W = 640;
  const lane = 18;
  const pad = { l: 70, r: 10, t: 24, b: 24 };
  const H = pad.t + pad.b + Math.max(1, nodes.length) * lane + 14;
  const span = Math.max(1, t.durationMs);
  const x = (ms: number) => pad.l + (Math.min(Math.max(ms, 0), span) / span) * (W - pad.l - pad.r);
  const nem = t.nemeses
    .map(
      (n) =>
        `<rect class="nemesis" x="${x(n.startMs).toFixed(1)}" y="${pad.t - 10}" width="${Math.max(1, x(n.endMs) - x(n.startMs)).toFixed(1)}" height="${H - pad.t - pad.b + 10}"><title>${h(n.name)}: ${n.startMs}–${n.endMs} ms</title></rect><text class="lbl" x="${(x(n.startMs) + 2).toFixed(1)}" y="${pad.t - 2}">${h(n.name)}</text>`,
    )
    .join('');
  const lanes = nodes
    .map((node, i) => {
      const y0 = pad.t + i * lane;
      const seq = t.membership.filter((m) => m.node === node).sort((a, b) => a.atMs - b.atMs);
      const segs = seq
        .map((m, k) => {
          const end = seq[k + 1]?.atMs ?? span;
          return `<rect class="${STATE_CLASS[m.state]}" x="${x(m.atMs).toFixed(1)}" y="${y0 + 3}" width="${Math.max(1, x(end) - x(m.atMs)).toFixed(1)}" height="${lane - 6}"><title>${h(node)} ${m.state} from ${m.atMs} ms</title></rect>`;
        })
        .join('');
      return `<text class="lbl" x="4" y="${y0 + lane - 5}">${h(node)}</text>${segs}`;
    })
    .join('');
  const base = pad.t + nodes.length * lane;
  const commits = t.commits
    .map(
      (c) =>
        `<circle class="commit" cx="${x(c.atMs).toFixed(1)}" cy="${base + 7}" r="3"><title>${h(c.node)} committed ${h(c.event)} at ${c.atMs} ms</title></circle>`,
    )
    .join('');
  const conv =
    t.convergedAtMs !== undefined
      ? `<line class="slo" x1="${x(t.convergedAtMs).toFixed(1)}" x2="${x(t.convergedAtMs).toFixed(1)}" y1="${pad.t - 10}" y2="${base + 12}"/>${convergedLabel(x(t.convergedAtMs), W, H, t.convergedAtMs)}`
      : `<text class="lbl" x="${W - pad.r}" y="${H - 6}" text-anchor="end">did not converge</text>`;
  return `<figure><figcaption>${h(title)}${t.outcome ? ` — ${h(t.outcome)}` : ''}</figcaption><svg data-chart="timeline" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${h(title)}">${nem}${lanes}${commits}${conv}</svg></figure>`;
}

/** Families x mutants: killed (good), survived (bad), not applicable. */
export function killMatrixTable(title: string, k: KillMatrixEvidence): string {
  const head = k.mutants.map((m) => `<th class="rot">${h(m)}</th>`).join('');
  const rows = k.families
    .map(
      (f) =>
        `<tr><th>${h(f)}</th>${k.mutants
          .map((m) => {
            const v = k.cells[f]?.[m] ?? 'n/a';
            return `<td class="${v === 'killed' ? 'ok' : v === 'survived' ? 'bad' : 'na'}">${v === 'killed' ? '✔' : v === 'survived' ? '✘' : '·'}</td>`;
          })
          .join('')}</tr>`,
    )
    .join('');
  return `<figure><figcaption>${h(title)}: kill rate ${(k.killRate * 100).toFixed(1)}%</figcaption><table data-chart="kill-matrix" class="matrix"><tr><th></th>${head}</tr>${rows}</table></figure>`;
}
