// Votes and quorum certificates (docs/control-plane.md §4). A vote is an
// ML-DSA-65 signature by a member over
//   "pqc-mesh v1 vote" || version u8 | slot u64 | round u32 | event hash (32) | epoch u32;
// a quorum certificate is the votes of a strict majority of the configured
// members at that epoch on one (slot, round, event hash). Certificates carry no node
// certificates: signers are checked against the ones the SignerDirectory has
// verified (every gossip message brings its origin's).
import { bytesToHex } from '@noble/hashes/utils.js';
import { Decoder, Encoder, LIMITS } from '../protocol/wire.ts';
import { decodeEventFrom, encodeEvent, eventHash, type CriticalEvent } from './events.ts';
import { label, quorumSize, refuse, type Checked, type ControlSigner, type MemberSet, type SignerDirectory } from './members.ts';
import { bytesEqual } from '../../check/bytes.ts';

export const VOTE_LABEL = label('vote');
const VOTE_VERSION = 1;

export interface VoteBody {
  slot: number;
  /** 0, or one more than a round this voter saw could certify nothing (quorum.ts). */
  round: number;
  eventHash: Uint8Array;
  epoch: number;
}

export interface Vote extends VoteBody {
  voter: string;
  signature: Uint8Array;
}

export function encodeVoteBody(v: VoteBody): Uint8Array {
  return new Encoder().u8(VOTE_VERSION).u64(BigInt(v.slot)).u32(v.round).bytes(v.eventHash).u32(v.epoch).finish();
}

export function signVote(signer: ControlSigner, body: VoteBody): Vote {
  return { ...body, voter: signer.nodeId, signature: signer.sign(VOTE_LABEL, encodeVoteBody(body)) };
}

export function encodeVoteTo(e: Encoder, v: Vote): Encoder {
  return e.u64(BigInt(v.slot)).u32(v.round).bytes(v.eventHash).u32(v.epoch).string(v.voter).bytes(v.signature);
}

export function decodeVoteFrom(d: Decoder): Vote {
  return {
    slot: Number(d.u64('vote.slot')),
    round: d.u32('vote.round'),
    eventHash: d.bytes('vote.eventHash', 32, 32),
    epoch: d.u32('vote.epoch'),
    voter: d.string('vote.voter', 64),
    signature: d.bytes('vote.signature', LIMITS.signature),
  };
}

/** Signature and membership first, then the epoch: nothing is believed from an unverified vote. */
export function verifyVote(directory: SignerDirectory, members: MemberSet, v: Vote): Checked<Vote> {
  const ok = directory.verify(members, v.voter, VOTE_LABEL, encodeVoteBody(v), v.signature);
  if (!ok.ok) return ok;
  if (v.epoch !== members.epoch)
    return refuse('wrong_epoch', `vote of ${v.voter} is for epoch ${v.epoch}, membership is at ${members.epoch}`);
  return { ok: true, value: v };
}

export interface QuorumCertificate extends VoteBody {
  signatures: { voter: string; signature: Uint8Array }[];
}

/** A committed log entry: the event, its slot and the certificate that made it final. */
export interface CertifiedEntry {
  slot: number;
  event: CriticalEvent;
  certificate: QuorumCertificate;
}

export function certificateFrom(votes: readonly Vote[]): QuorumCertificate {
  const [first] = votes;
  const signatures = [...votes].sort((a, b) => (a.voter < b.voter ? -1 : 1)).map((v) => ({ voter: v.voter, signature: v.signature }));
  return { slot: first.slot, round: first.round, eventHash: first.eventHash, epoch: first.epoch, signatures };
}

/**
 * Checks a certified entry wherever it arrives: the event matches the
 * certified hash and slot, the epoch is the membership's, every signer is a
 * distinct member with a valid signature, and they are a strict majority.
 */
export function verifyEntry(directory: SignerDirectory, members: MemberSet, e: CertifiedEntry): Checked<CertifiedEntry> {
  const qc = e.certificate;
  if (qc.slot !== e.slot) return refuse('wrong_event', `entry for slot ${e.slot} carries a certificate for slot ${qc.slot}`);
  if (!bytesEqual(eventHash(e.event), qc.eventHash)) return refuse('wrong_event', `slot ${e.slot}: the certificate is for another event`);
  if (qc.epoch !== members.epoch)
    return refuse('wrong_epoch', `slot ${e.slot}: certificate of epoch ${qc.epoch}, membership is at ${members.epoch}`);
  const seen = new Set<string>();
  const body = encodeVoteBody(qc);
  for (const s of qc.signatures) {
    if (seen.has(s.voter)) return refuse('duplicate_signer', `slot ${e.slot}: ${s.voter} signs twice`);
    seen.add(s.voter);
    const ok = directory.verify(members, s.voter, VOTE_LABEL, body, s.signature);
    if (!ok.ok) return refuse(ok.reason, `slot ${e.slot}: ${ok.detail}`);
  }
  const need = quorumSize(members);
  if (seen.size < need)
    return refuse('too_few_signers', `slot ${e.slot}: ${seen.size} signers, ${need} of ${members.members.length} needed`);
  return { ok: true, value: e };
}

export function encodeEntryTo(enc: Encoder, e: CertifiedEntry): Encoder {
  enc.u64(BigInt(e.slot)).bytes(encodeEvent(e.event));
  const qc = e.certificate;
  enc.u64(BigInt(qc.slot)).u32(qc.round).bytes(qc.eventHash).u32(qc.epoch).u8(qc.signatures.length);
  for (const s of qc.signatures) enc.string(s.voter).bytes(s.signature);
  return enc;
}

export function decodeEntryFrom(d: Decoder): CertifiedEntry {
  const slot = Number(d.u64('entry.slot'));
  const ev = new Decoder(d.bytes('entry.event', 32 * 1024));
  const event = decodeEventFrom(ev);
  ev.end('entry.event');
  const qcSlot = Number(d.u64('certificate.slot'));
  const round = d.u32('certificate.round');
  const hash = d.bytes('certificate.eventHash', 32, 32);
  const epoch = d.u32('certificate.epoch');
  const n = d.u8('certificate.signatures');
  const signatures: QuorumCertificate['signatures'] = [];
  for (let i = 0; i < n; i++)
    signatures.push({ voter: d.string('certificate.voter', 64), signature: d.bytes('certificate.signature', LIMITS.signature) });
  return { slot, event, certificate: { slot: qcSlot, round, eventHash: hash, epoch, signatures } };
}

export const entryKey = (e: CertifiedEntry): string => `${e.slot}:${bytesToHex(e.certificate.eventHash)}`;
