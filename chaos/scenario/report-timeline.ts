// A scenario run as the report draws it (evidence.timeline, the shape in
// src/report/evidence-shapes.ts): nemesis windows from the actions as they
// took effect, each node's membership as /status showed it, the first time
// each event was seen committed, and when the mesh converged after the heal.
// Plain data from the history the checkers judged, nothing recomputed.
import type { CheckerResult, History } from '../checkers/history.ts';

export interface ReportTimeline {
  durationMs: number;
  nemeses: { name: string; startMs: number; endMs: number }[];
  membership: { node: string; atMs: number; state: 'majority' | 'minority' | 'down' }[];
  commits: { atMs: number; node: string; event: string }[];
  convergedAtMs?: number;
  outcome?: 'valid' | 'invalid' | 'unknown';
}

/** Link faults that last until clear-toxics (chaos/nemesis/schedule.ts). */
const LINK_FAULTS = new Set(['latency', 'bandwidth', 'reset-peer', 'slicer', 'limit-data']);

function nemesisWindows(h: History, end: number): ReportTimeline['nemeses'] {
  const out: ReportTimeline['nemeses'] = [];
  const open = new Map<string, { name: string; startMs: number }>();
  const close = (key: string, at: number) => {
    const w = open.get(key);
    if (w) out.push({ ...w, endMs: at });
    open.delete(key);
  };
  for (const e of [...h.timeline].sort((a, b) => a.at - b.at)) {
    const word = e.detail.split(/[ :]/)[0];
    if (e.kind === 'partition') {
      close('partition', e.at);
      open.set('partition', { name: word, startMs: e.at });
    } else if (e.kind === 'heal') close('partition', e.at);
    // crash-restart (chaos/scenario/crash.ts): the details start with the node's id.
    else if (e.kind === 'crash') open.set(`crash:${word}`, { name: `crash ${word}`, startMs: e.at });
    else if (e.kind === 'restart') close(`crash:${word}`, e.at);
    else if (e.kind === 'note' && LINK_FAULTS.has(word)) open.set(`fault:${word}`, { name: word, startMs: e.at });
    else if (e.kind === 'note' && word === 'clear-toxics')
      for (const key of [...open.keys()]) if (key.startsWith('fault:')) close(key, e.at);
  }
  for (const key of [...open.keys()]) close(key, end);
  return out.sort((a, b) => a.startMs - b.startMs);
}

/** One entry per change of a node's partition, in time order. */
function membershipChanges(h: History): ReportTimeline['membership'] {
  const last = new Map<string, string>();
  const out: ReportTimeline['membership'] = [];
  const crashes = h.timeline
    .filter((e) => e.kind === 'crash')
    .map((e) => ({ node: e.detail.split(' ')[0], at: e.at, state: 'down' as const }));
  const statuses = h.statuses.map((s) => ({ node: s.node, at: s.at, state: s.membership.partition }));
  for (const s of [...statuses, ...crashes].sort((a, b) => a.at - b.at)) {
    if (last.get(s.node) === s.state) continue;
    last.set(s.node, s.state);
    out.push({ node: s.node, atMs: s.at, state: s.state });
  }
  return out;
}

/** The first snapshot in which each event appears committed, on whichever node showed it first. */
function firstCommits(h: History): ReportTimeline['commits'] {
  const seen = new Map<string, ReportTimeline['commits'][number]>();
  for (const s of [...h.logs].sort((a, b) => a.at - b.at))
    for (const e of s.entries)
      if (!seen.has(e.proposalId)) seen.set(e.proposalId, { atMs: s.at, node: s.node, event: `${e.slot}: ${e.proposalId}` });
  return [...seen.values()];
}

export function reportTimeline(h: History, checkers: readonly CheckerResult[], verdict: ReportTimeline['outcome']): ReportTimeline {
  const times = [...h.timeline.map((e) => e.at), ...h.statuses.map((s) => s.at), ...h.logs.map((s) => s.at)];
  const durationMs = Math.max(0, ...times);
  const convergence = checkers.find((c) => c.checker === 'convergence')?.stats;
  const healAt = convergence?.healAt;
  const ms = convergence?.convergenceMs;
  return {
    durationMs,
    nemeses: nemesisWindows(h, durationMs),
    membership: membershipChanges(h),
    commits: firstCommits(h),
    ...(typeof healAt === 'number' && typeof ms === 'number' ? { convergedAtMs: Math.round(healAt + ms) } : {}),
    ...(verdict ? { outcome: verdict } : {}),
  };
}
