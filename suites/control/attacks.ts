// Hostile control messages built by the checks: gossip with a chosen origin,
// certificate, signer, sequence and timestamp; votes and certified entries
// signed by whichever keys the attack holds.
import { bytesToHex } from '@noble/hashes/utils.js';
import { encodeRelay } from '../../src/mesh/control/fanout.ts';
import { encodeGossipBody, encodeSignedGossip, GOSSIP_LABEL } from '../../src/mesh/control/gossip.ts';
import type { ControlSigner } from '../../src/mesh/control/members.ts';
import { encodePayload, PAYLOAD_KINDS, type ControlPayload } from '../../src/mesh/control/payloads.ts';
import { certificateFrom, signVote, type CertifiedEntry, type Vote } from '../../src/mesh/control/votes.ts';
import { eventHash, type CriticalEvent } from '../../src/mesh/control/events.ts';

export interface Forgery {
  /** The origin the message claims. */
  origin: string;
  /** The key that actually signs. */
  signer: ControlSigner;
  /** The certificate it carries (default: the signer's). */
  certificate?: Uint8Array;
  seq: bigint;
  timestamp: number;
  payload: ControlPayload;
}

/** Relay bytes as a neighbour would hand them over, with nothing left pending (no forwarding). */
export function craftRelay(f: Forgery): Uint8Array {
  const body = {
    origin: f.origin,
    seq: f.seq,
    timestamp: f.timestamp,
    kind: PAYLOAD_KINDS[f.payload.type],
    payload: encodePayload(f.payload),
  };
  const signature = f.signer.sign(GOSSIP_LABEL, encodeGossipBody(body));
  return encodeRelay({
    pending: [],
    gossip: encodeSignedGossip({ ...body, certificate: f.certificate ?? f.signer.certificate, signature }),
  });
}

/** A vote claiming `voter` but signed by `signer` (the same key for a genuine vote). */
export function voteAs(signer: ControlSigner, voter: string, slot: number, event: CriticalEvent, epoch = 0, round = 0): Vote {
  return { ...signVote(signer, { slot, round, eventHash: eventHash(event), epoch }), voter };
}

/** A certified entry from whatever votes the attack holds. */
export function entryFrom(slot: number, event: CriticalEvent, votes: Vote[]): CertifiedEntry {
  return { slot, event, certificate: certificateFrom(votes) };
}

export const hostileEvent = (proposalId: string, proposer = 'node-1'): CriticalEvent => ({
  kind: 'revoke',
  proposer,
  proposalId,
  payload: 'node-2',
});

export const hex = bytesToHex;
