// Secure channels after the handshake: ChaCha20-Poly1305 records with one
// key per direction, the 64-bit sequence number as nonce (XOR a per-epoch
// IV, as in TLS 1.3), and AAD = session id | direction | epoch | seq, so a
// record cannot be moved to another session, reflected back to its sender,
// or replayed under another epoch.
//
// Key update: the sender seals a KEY_UPDATE under the current epoch and then
// switches to epoch+1 (secret' = Expand(secret, "key update")); the receiver
// switches when it opens that record.
//
// Order: TCP delivers records in order, so each direction is strictly in
// order: the receiver takes exactly the next sequence number of its epoch.
// An authentic record further ahead means records were dropped or reordered
// on the path (`record_gap`), one behind is a `replay`, a past epoch is
// `key_desync`, and a future epoch is a forgery (`bad_record`) unless it
// authenticates under the next epoch's key, which means the KEY_UPDATE was
// dropped (`record_gap`). Nothing out of order is ever delivered, so the
// session layer can answer every gap with a fresh handshake and retransmit.
import { chacha20poly1305 } from '@noble/ciphers/chacha.js';
import { MeshError } from './errors.ts';
import { nextTrafficSecret, trafficKey, type TrafficKey } from './keys.ts';
import { Decoder, Encoder, MAX_PAYLOAD_BYTES, decodeAlert, encodeAlert, type Alert, type SealedRecord } from './wire.ts';

/** Tracks the receive order of one epoch, so no record is accepted twice or out of order. */
export interface ReplayWindow {
  /** Before decryption: throws `replay` for a sequence number at or below one already accepted. */
  check(seq: bigint): void;
  /** After the record authenticated: throws `record_gap` unless seq is the next one, then takes it. */
  accept(seq: bigint): void;
}

/** Strict in-order receipt: one counter, the next sequence number expected. */
export class InOrderWindow implements ReplayWindow {
  private next = 0n;

  check(seq: bigint): void {
    if (seq < this.next) throw new MeshError('replay', `sequence ${seq} is below the next expected ${this.next}`);
  }

  accept(seq: bigint): void {
    if (seq !== this.next)
      throw new MeshError('record_gap', `record ${seq} arrived while ${this.next} was expected: records were dropped or reordered`);
    this.next = seq + 1n;
  }
}

export const ContentType = { APPLICATION: 1, KEY_UPDATE: 2, HEARTBEAT: 3, ALERT: 4 } as const;

/** What a record carries; heartbeats and alerts travel inside the channel, so both are authenticated. */
export type Content =
  | { type: 'application'; data: Uint8Array }
  | { type: 'key_update'; requestUpdate: boolean }
  | { type: 'heartbeat' }
  | { type: 'alert'; alert: Alert };

export interface ChannelKeys {
  role: 'initiator' | 'responder';
  sessionId: Uint8Array;
  sendSecret: Uint8Array;
  recvSecret: Uint8Array;
}

interface DirectionState {
  epoch: number;
  secret: Uint8Array;
  key: TrafficKey;
  seq: bigint;
  /** Records sealed under this epoch, and when it began: the sender's rekey triggers (the receiving side's stay 0). */
  frames: number;
  since: number;
}

export interface RekeyPolicy {
  afterFrames: number;
  afterMs: number;
}

const MAX_SEQ = (1n << 64n) - 1n;

export class Channel {
  readonly sessionId: Uint8Array;
  private readonly sendDir: number;
  private readonly send: DirectionState;
  private readonly recv: DirectionState;
  private window: ReplayWindow;

  constructor(
    keys: ChannelKeys,
    private readonly newReplayWindow: () => ReplayWindow,
    private readonly now: () => number = Date.now,
  ) {
    this.sessionId = keys.sessionId;
    this.sendDir = keys.role === 'initiator' ? 0 : 1;
    this.send = this.direction(keys.sendSecret, 0);
    this.recv = this.direction(keys.recvSecret, 0);
    this.window = newReplayWindow();
  }

  private direction(secret: Uint8Array, epoch: number): DirectionState {
    return { epoch, secret, key: trafficKey(secret), seq: 0n, frames: 0, since: this.now() };
  }

  get sendEpoch(): number {
    return this.send.epoch;
  }
  get recvEpoch(): number {
    return this.recv.epoch;
  }

  private aad(direction: number, epoch: number, seq: bigint): Uint8Array {
    return new Encoder().bytes(this.sessionId).u8(direction).u32(epoch).u64(seq).finish();
  }

  private nonce(iv: Uint8Array, seq: bigint): Uint8Array {
    const n = Uint8Array.from(iv);
    const s = new Uint8Array(8);
    new DataView(s.buffer).setBigUint64(0, seq);
    for (let i = 0; i < 8; i++) n[4 + i] ^= s[i];
    return n;
  }

  seal(content: Content): SealedRecord {
    const s = this.send;
    if (s.seq === MAX_SEQ) throw new MeshError('internal', 'sequence numbers exhausted without a key update');
    const plain = encodeContent(content);
    const record = {
      epoch: s.epoch,
      seq: s.seq,
      sealed: chacha20poly1305(s.key.key, this.nonce(s.key.iv, s.seq), this.aad(this.sendDir, s.epoch, s.seq)).encrypt(plain),
    };
    s.seq++;
    s.frames++;
    if (content.type === 'key_update') this.advance(this.send);
    return record;
  }

  open(record: SealedRecord): Content {
    const r = this.recv;
    if (record.epoch < r.epoch) throw new MeshError('key_desync', `record under epoch ${record.epoch}, expected epoch ${r.epoch}`);
    if (record.epoch > r.epoch) this.refuseFutureEpoch(record);
    this.window.check(record.seq);
    const plain = this.decrypt(r.key, record);
    if (!plain) throw new MeshError('bad_record', `record ${record.seq} of epoch ${record.epoch} failed authentication`);
    this.window.accept(record.seq);
    const content = decodeContent(plain);
    if (content.type === 'key_update') {
      this.advance(this.recv);
      this.window = this.newReplayWindow();
    }
    return content;
  }

  private decrypt(key: TrafficKey, record: SealedRecord): Uint8Array | undefined {
    try {
      return chacha20poly1305(key.key, this.nonce(key.iv, record.seq), this.aad(1 - this.sendDir, record.epoch, record.seq)).decrypt(
        record.sealed,
      );
    } catch {
      return undefined;
    }
  }

  /** A later epoch: authentic under the next key means its KEY_UPDATE was dropped; anything else is forged. */
  private refuseFutureEpoch(record: SealedRecord): never {
    const r = this.recv;
    if (record.epoch === r.epoch + 1 && this.decrypt(trafficKey(nextTrafficSecret(r.secret)), record)) {
      throw new MeshError('record_gap', `record of epoch ${record.epoch} before the KEY_UPDATE ending epoch ${r.epoch}: it was dropped`);
    }
    throw new MeshError('bad_record', `record under epoch ${record.epoch} (current ${r.epoch}) does not authenticate: forged`);
  }

  private advance(d: DirectionState): void {
    const secret = nextTrafficSecret(d.secret);
    Object.assign(d, this.direction(secret, d.epoch + 1));
  }

  /** True when our sending key has carried enough frames or lived long enough. */
  keyUpdateDue(policy: RekeyPolicy): boolean {
    return this.send.frames >= policy.afterFrames || this.now() - this.send.since >= policy.afterMs;
  }
}

function encodeContent(content: Content): Uint8Array {
  switch (content.type) {
    case 'application':
      return new Encoder().u8(ContentType.APPLICATION).bytes(content.data).finish();
    case 'key_update':
      return new Encoder()
        .u8(ContentType.KEY_UPDATE)
        .u8(content.requestUpdate ? 1 : 0)
        .finish();
    case 'heartbeat':
      return Uint8Array.of(ContentType.HEARTBEAT);
    case 'alert':
      return new Encoder().u8(ContentType.ALERT).bytes(encodeAlert(content.alert)).finish();
  }
}

function decodeContent(plain: Uint8Array): Content {
  const d = new Decoder(plain);
  const type = d.u8('content.type');
  if (type === ContentType.APPLICATION) {
    const data = d.bytes('content.data', MAX_PAYLOAD_BYTES + 64);
    d.end('application content');
    return { type: 'application', data };
  }
  if (type === ContentType.KEY_UPDATE) {
    const flag = d.u8('content.requestUpdate');
    if (flag > 1) throw new MeshError('bad_frame', 'KEY_UPDATE flag must be 0 or 1');
    d.end('KEY_UPDATE');
    return { type: 'key_update', requestUpdate: flag === 1 };
  }
  if (type === ContentType.HEARTBEAT) {
    d.end('HEARTBEAT');
    return { type: 'heartbeat' };
  }
  if (type === ContentType.ALERT) {
    const alert = decodeAlert(d.bytes('content.alert', 2048));
    d.end('ALERT content');
    return { type: 'alert', alert };
  }
  throw new MeshError('bad_frame', `unknown content type ${type}`);
}
