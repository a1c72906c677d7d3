// Delivery, as Jepsen's set-full reports it: every acknowledged message must
// be read exactly once at its destination. lost = acknowledged, never read;
// duplicated = read more than once; unexpected = read but never sent;
// recovered = not acknowledged (timeout/error) yet read (fine); never-read =
// not acknowledged and not read (its fate is unknown, also fine). Unknown
// when no message was acknowledged.
import type { CheckerResult, History } from './history.ts';

const key = (from: string, to: string, payload: string) => JSON.stringify([from, to, payload]);

export function checkDelivery(h: History): CheckerResult {
  const reads = new Map<string, number>();
  for (const r of h.receipts) reads.set(key(r.from, r.node, r.payload), (reads.get(key(r.from, r.node, r.payload)) ?? 0) + 1);
  const sent = new Map<string, (typeof h.sends)[number]>();
  const witnesses: unknown[] = [];
  const counts = { acknowledged: 0, ok: 0, lost: 0, duplicated: 0, unexpected: 0, recovered: 0, neverRead: 0 };
  for (const s of h.sends) {
    const k = key(s.from, s.to, s.payload);
    if (sent.has(k)) throw new Error(`history sends the same payload twice from ${s.from} to ${s.to}: payloads must be unique`);
    sent.set(k, s);
    const n = reads.get(k) ?? 0;
    if (n > 1) {
      counts.duplicated++;
      witnesses.push({ duplicated: { op: s.op, from: s.from, to: s.to, payload: s.payload, reads: n } });
    }
    if (s.outcome === 'acked') {
      counts.acknowledged++;
      if (n === 0) {
        counts.lost++;
        witnesses.push({ lost: { op: s.op, from: s.from, to: s.to, payload: s.payload, ackedAt: s.endedAt } });
      } else if (n === 1) counts.ok++;
    } else if (n > 0) counts.recovered++;
    else counts.neverRead++;
  }
  for (const [k, n] of reads)
    if (!sent.has(k)) {
      counts.unexpected += n;
      const [from, to, payload] = JSON.parse(k) as string[];
      witnesses.push({ unexpected: { from, to, payload, reads: n } });
    }
  witnesses.sort((a, b) => order(a) - order(b));
  if (counts.lost || counts.duplicated || counts.unexpected)
    return {
      checker: 'delivery',
      verdict: 'invalid',
      reason: `${counts.lost} lost, ${counts.duplicated} duplicated, ${counts.unexpected} unexpected of ${counts.acknowledged} acknowledged`,
      witnesses,
      stats: counts,
    };
  if (counts.acknowledged === 0)
    return { checker: 'delivery', verdict: 'unknown', reason: 'no message was acknowledged', witnesses, stats: counts };
  return {
    checker: 'delivery',
    verdict: 'valid',
    reason: `${counts.ok} acknowledged messages each read exactly once`,
    witnesses,
    stats: counts,
  };
}

const order = (w: unknown) => ['lost', 'duplicated', 'unexpected'].indexOf(Object.keys(w as object)[0]);
