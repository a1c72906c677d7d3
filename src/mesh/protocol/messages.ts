// Application messages carried inside channel records: DATA and its ACK,
// and CONTROL (a control-plane relay, src/mesh/control/fanout.ts), which is
// neither queued nor acknowledged: gossip heals its own losses (retries, digests).
// A message id is (sender incarnation, sequence): the incarnation is a
// counter persisted by the sender and bumped at every start, so ids never
// repeat across restarts and receivers can deduplicate with one number per
// (sender, incarnation).
import { MeshError } from './errors.ts';
import { Decoder, Encoder, MAX_PAYLOAD_BYTES } from './wire.ts';

export interface MessageId {
  incarnation: bigint;
  seq: bigint;
}

export type AppMessage =
  | { kind: 'data'; id: MessageId; payload: Uint8Array }
  | { kind: 'ack'; id: MessageId }
  | { kind: 'control'; relay: Uint8Array };

const DATA = 1;
const ACK = 2;
/** CONTROL_MESSAGE_KIND in control/fanout.ts. */
const CONTROL = 3;
/** A control relay (one signed gossip message, its certificate, routing ids) fits a record like a DATA payload. */
export const MAX_CONTROL_BYTES = MAX_PAYLOAD_BYTES;

export function encodeAppMessage(m: AppMessage): Uint8Array {
  if (m.kind === 'control') return new Encoder().u8(CONTROL).bytes(m.relay).finish();
  const e = new Encoder()
    .u8(m.kind === 'data' ? DATA : ACK)
    .u64(m.id.incarnation)
    .u64(m.id.seq);
  if (m.kind === 'data') e.bytes(m.payload);
  return e.finish();
}

export function decodeAppMessage(bytes: Uint8Array): AppMessage {
  const d = new Decoder(bytes);
  const kind = d.u8('message.kind');
  if (kind === CONTROL) {
    const relay = d.bytes('message.relay', MAX_CONTROL_BYTES);
    d.end('CONTROL');
    return { kind: 'control', relay };
  }
  const id = { incarnation: d.u64('message.incarnation'), seq: d.u64('message.seq') };
  if (kind === DATA) {
    const payload = d.bytes('message.payload', MAX_PAYLOAD_BYTES);
    d.end('DATA');
    return { kind: 'data', id, payload };
  }
  if (kind === ACK) {
    d.end('ACK');
    return { kind: 'ack', id };
  }
  throw new MeshError('bad_frame', `unknown application message kind ${kind}`);
}
