// What control gossip carries (the gossip `kind` byte): proposals, votes,
// certified commits, state digests, and the two point-to-point merge
// messages. Canonical encoding, strict decoding.
import { MeshError } from '../protocol/errors.ts';
import { Decoder, Encoder, LIMITS } from '../protocol/wire.ts';
import { decodeEventFrom, encodeEvent, type CriticalEvent } from './events.ts';
import { decodeEntryFrom, decodeVoteFrom, encodeEntryTo, encodeVoteTo, type CertifiedEntry, type Vote } from './votes.ts';

/** A signed summary of a node's committed state (merge.ts). */
export interface StateDigest {
  node: string;
  epoch: number;
  lastSlot: number;
  logHash: Uint8Array;
  signature: Uint8Array;
}

export type ControlPayload =
  | { type: 'proposal'; slot: number; event: CriticalEvent }
  | { type: 'vote'; vote: Vote }
  | { type: 'commit'; entry: CertifiedEntry }
  | { type: 'digest'; digest: StateDigest }
  | { type: 'merge-request'; to: string; fromSlot: number }
  | { type: 'merge-response'; to: string; entries: CertifiedEntry[] };

export const PAYLOAD_KINDS = { proposal: 1, vote: 2, commit: 3, digest: 4, 'merge-request': 5, 'merge-response': 6 } as const;

/** Point-to-point kinds are delivered to `to` only and never forwarded. */
export const isDirect = (p: ControlPayload): p is Extract<ControlPayload, { to: string }> =>
  p.type === 'merge-request' || p.type === 'merge-response';

export function encodePayload(p: ControlPayload): Uint8Array {
  const e = new Encoder();
  switch (p.type) {
    case 'proposal':
      return e.u64(BigInt(p.slot)).bytes(encodeEvent(p.event)).finish();
    case 'vote':
      return encodeVoteTo(e, p.vote).finish();
    case 'commit':
      return encodeEntryTo(e, p.entry).finish();
    case 'digest': {
      const d = p.digest;
      return e.string(d.node).u32(d.epoch).u64(BigInt(d.lastSlot)).bytes(d.logHash).bytes(d.signature).finish();
    }
    case 'merge-request':
      return e.string(p.to).u64(BigInt(p.fromSlot)).finish();
    case 'merge-response':
      e.string(p.to).u8(p.entries.length);
      for (const entry of p.entries) encodeEntryTo(e, entry);
      return e.finish();
  }
}

export function decodePayload(kind: number, bytes: Uint8Array): ControlPayload {
  const d = new Decoder(bytes);
  let p: ControlPayload;
  switch (kind) {
    case PAYLOAD_KINDS.proposal: {
      const slot = Number(d.u64('proposal.slot'));
      const ev = new Decoder(d.bytes('proposal.event', 32 * 1024));
      p = { type: 'proposal', slot, event: decodeEventFrom(ev) };
      ev.end('proposal.event');
      break;
    }
    case PAYLOAD_KINDS.vote:
      p = { type: 'vote', vote: decodeVoteFrom(d) };
      break;
    case PAYLOAD_KINDS.commit:
      p = { type: 'commit', entry: decodeEntryFrom(d) };
      break;
    case PAYLOAD_KINDS.digest:
      p = {
        type: 'digest',
        digest: {
          node: d.string('digest.node', 64),
          epoch: d.u32('digest.epoch'),
          lastSlot: Number(d.u64('digest.lastSlot')),
          logHash: d.bytes('digest.logHash', 32, 32),
          signature: d.bytes('digest.signature', LIMITS.signature),
        },
      };
      break;
    case PAYLOAD_KINDS['merge-request']:
      p = { type: 'merge-request', to: d.string('merge-request.to', 64), fromSlot: Number(d.u64('merge-request.fromSlot')) };
      break;
    case PAYLOAD_KINDS['merge-response']: {
      const to = d.string('merge-response.to', 64);
      const n = d.u8('merge-response.entries');
      const entries: CertifiedEntry[] = [];
      for (let i = 0; i < n; i++) entries.push(decodeEntryFrom(d));
      p = { type: 'merge-response', to, entries };
      break;
    }
    default:
      throw new MeshError('bad_frame', `unknown control payload kind ${kind}`);
  }
  d.end(`control payload ${p.type}`);
  return p;
}
