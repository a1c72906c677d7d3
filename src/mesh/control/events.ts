// Critical events (docs/control-plane.md §4): revoke a node, rotate the CA,
// change policy. The event hash every vote signs is
//   SHA-256("pqc-mesh v1 event" || version u8 | kind u8 | proposer | proposalId | payload).
import { bytesToHex } from '@noble/hashes/utils.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { concatBytes } from '@noble/hashes/utils.js';
import { MeshError } from '../protocol/errors.ts';
import { type Decoder, Encoder } from '../protocol/wire.ts';
import { label } from './members.ts';

export const EVENT_KINDS = ['revoke', 'rotate-ca', 'policy'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

const EVENT_LABEL = label('event');
const EVENT_VERSION = 1;
/** Payload ceiling: a CA certificate (rotate-ca) is the largest, under 16 KiB. */
export const MAX_EVENT_PAYLOAD = 16 * 1024;

export interface CriticalEvent {
  kind: EventKind;
  proposer: string;
  /** Unique per proposer across restarts ("node-1/3.7": incarnation.counter). */
  proposalId: string;
  /** revoke: the node id; rotate-ca: the new CA certificate (hex); policy: the policy text. */
  payload: string;
}

export function encodeEvent(e: CriticalEvent): Uint8Array {
  return new Encoder()
    .u8(EVENT_VERSION)
    .u8(EVENT_KINDS.indexOf(e.kind) + 1)
    .string(e.proposer)
    .string(e.proposalId)
    .string(e.payload)
    .finish();
}

export function decodeEventFrom(d: Decoder): CriticalEvent {
  const version = d.u8('event.version');
  if (version !== EVENT_VERSION) throw new MeshError('bad_frame', `event version ${version}`);
  const k = d.u8('event.kind');
  const kind = EVENT_KINDS[k - 1];
  if (!kind) throw new MeshError('bad_frame', `unknown event kind ${k}`);
  return {
    kind,
    proposer: d.string('event.proposer', 64),
    proposalId: d.string('event.proposalId', 128),
    payload: d.string('event.payload', MAX_EVENT_PAYLOAD),
  };
}

export function eventHash(e: CriticalEvent): Uint8Array {
  return sha256(concatBytes(EVENT_LABEL, encodeEvent(e)));
}

export const eventHashHex = (e: CriticalEvent): string => bytesToHex(eventHash(e));
