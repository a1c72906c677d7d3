// Gossip checks: forged, replayed and stale control messages claiming an
// honest origin change nothing and are counted (docs/control-plane.md §1).
import type { Verdict } from '../../src/check/evidence.ts';
import { controlSigner } from '../../src/mesh/control/members.ts';
import type { ControlProtocol } from '../../src/mesh/control/seams.ts';
import { checkForgery } from '../../chaos/checkers/index.ts';
import { craftRelay, hostileEvent } from './attacks.ts';
import { cluster, HIGH_SEQ, inject, judge, safety, type ControlCheckEnv } from './scenario.ts';

/** Gossip claiming node-1 with a wrong key, another CA, or another member's certificate; node-1 then speaks honestly. */
export function checkForgedOrigin(protocol: ControlProtocol, env: ControlCheckEnv): Verdict {
  const c = cluster(protocol, env);
  const signer = (id: string) => c.signers.get(id)!;
  const outsider = controlSigner(c.pki.identities.get('outsider')!, env.backend);
  const rogue = controlSigner(c.pki.rogue, env.backend);
  const node1Cert = c.pki.identities.get('node-1')!.certificate.encoded;
  const forgeries = [
    { signer: outsider, certificate: node1Cert, expect: 'bad_signature' as const },
    { signer: rogue, certificate: rogue.certificate, expect: 'unknown_ca' as const },
    { signer: signer('node-3'), certificate: signer('node-3').certificate, expect: 'origin_mismatch' as const },
  ];
  for (const [i, f] of forgeries.entries()) {
    const marker = `forged-${i + 1}`;
    const payload = { type: 'proposal' as const, slot: 1, event: hostileEvent(marker) };
    const bytes = craftRelay({
      origin: 'node-1',
      signer: f.signer,
      certificate: f.certificate,
      seq: HIGH_SEQ + BigInt(i),
      timestamp: c.clock.now(),
      payload,
    });
    inject(c, 'node-2', 'mallory', bytes, {
      kind: 'forged',
      layer: 'gossip',
      claimedOrigin: 'node-1',
      expect: [f.expect],
      marker,
      honestAfter: i === 0 ? 1 : 0,
    });
  }
  const honest = c.propose('node-1', 'policy', 'honest-after-forgery');
  c.run(5 * c.heartbeatMs);
  c.snapshot();
  return judge(c, [checkForgery(c.history), safety(c)], { honestProposal: honest });
}

/** An honest proposal and vote of node-1, replayed to node-2 byte for byte. */
export function checkGossipReplay(protocol: ControlProtocol, env: ControlCheckEnv): Verdict {
  const c = cluster(protocol, env);
  c.propose('node-1', 'policy', 'replayed');
  c.run(5 * c.heartbeatMs);
  c.snapshot();
  const captured = c.wire.filter((w) => w.from === 'node-1' && w.to === 'node-2' && (w.type === 'proposal' || w.type === 'vote'));
  for (const w of captured)
    for (let k = 0; k < 3; k++)
      inject(c, 'node-2', 'mallory', w.bytes, {
        kind: 'replayed',
        layer: 'gossip',
        claimedOrigin: 'node-1',
        expect: ['duplicate', 'stale_sequence'],
      });
  c.propose('node-1', 'policy', 'after-replay');
  c.history.injections[c.history.injections.length - 1].honestAfter = 1;
  c.run(5 * c.heartbeatMs);
  c.snapshot();
  return judge(c, [checkForgery(c.history), safety(c)], { replayed: captured.length });
}

/** Gossip genuinely signed by node-1 but timestamped far in the past and future; node-1 then speaks honestly. */
export function checkGossipStale(protocol: ControlProtocol, env: ControlCheckEnv): Verdict {
  const c = cluster(protocol, env);
  const skew = 5_000;
  for (const [i, offset] of [-20 * skew, 20 * skew].entries()) {
    const marker = `stale-${i + 1}`;
    const bytes = craftRelay({
      origin: 'node-1',
      signer: c.signers.get('node-1')!,
      seq: HIGH_SEQ + BigInt(i),
      timestamp: c.clock.now() + offset,
      payload: { type: 'proposal', slot: 1, event: hostileEvent(marker) },
    });
    inject(c, 'node-2', 'mallory', bytes, {
      kind: 'stale',
      layer: 'gossip',
      claimedOrigin: 'node-1',
      expect: ['stale_timestamp'],
      marker,
      honestAfter: i === 0 ? 1 : 0,
    });
  }
  c.propose('node-1', 'policy', 'fresh');
  c.run(5 * c.heartbeatMs);
  c.snapshot();
  return judge(c, [checkForgery(c.history), safety(c)]);
}
