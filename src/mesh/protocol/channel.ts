// Secure channels after the handshake: ChaCha20-Poly1305 records with one
// key per direction, the 64-bit sequence number as nonce (XOR a per-epoch
// IV, as in TLS 1.3), and AAD = session id | direction | epoch | seq, so a
// record cannot be moved to another session, reflected back to its sender,
// or replayed under another epoch.
//
// Key update: the sender seals a KEY_UPDATE under the current epoch and then
// switches to epoch+1 (secret' = Expand(secret, "key update")); the receiver
// switches when it opens that record. TCP keeps records in order, so a
// record under any other epoch means the two sides disagree about keys:
// that is `key_desync`, reported, never a silent decrypt failure, and the
// session layer answers it with a fresh handshake.
import { chacha20poly1305 } from '@noble/ciphers/chacha.js';
import { MeshError } from './errors.ts';
import { nextTrafficSecret, trafficKey, type TrafficKey } from './keys.ts';
import { Decoder, Encoder, MAX_PAYLOAD_BYTES, type SealedRecord } from './wire.ts';

/** Remembers which sequence numbers were accepted, so none is accepted twice. */
export interface ReplayWindow {
  /** Throws `replay` for a sequence number already seen or too old to tell. */
  check(seq: bigint): void;
  /** Called only after the record authenticated, so forgeries cannot move the window. */
  accept(seq: bigint): void;
}

/** RFC 4303 §3.4.3-style sliding window over the last `size` sequence numbers. */
export class SlidingReplayWindow implements ReplayWindow {
  private highest = -1n;
  private bitmap = 0n;
  constructor(private readonly size = 64n) {}

  check(seq: bigint): void {
    if (seq > this.highest) return;
    const age = this.highest - seq;
    if (age >= this.size) throw new MeshError('replay', `sequence ${seq} is older than the replay window`);
    if ((this.bitmap >> age) & 1n) throw new MeshError('replay', `sequence ${seq} was already accepted`);
  }

  accept(seq: bigint): void {
    const mask = (1n << this.size) - 1n;
    if (seq > this.highest) {
      const shift = this.highest < 0n ? this.size : seq - this.highest;
      this.bitmap = shift >= this.size ? 1n : ((this.bitmap << shift) | 1n) & mask;
      this.highest = seq;
    } else {
      this.bitmap |= 1n << (this.highest - seq);
    }
  }
}

export const ContentType = { APPLICATION: 1, KEY_UPDATE: 2 } as const;

export type Content = { type: 'application'; data: Uint8Array } | { type: 'key_update'; requestUpdate: boolean };

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
  /** Records sealed or opened under this epoch, and when it began: the rekey triggers. */
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
    const plain =
      content.type === 'application'
        ? new Encoder().u8(ContentType.APPLICATION).bytes(content.data).finish()
        : new Encoder()
            .u8(ContentType.KEY_UPDATE)
            .u8(content.requestUpdate ? 1 : 0)
            .finish();
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
    if (record.epoch !== r.epoch) {
      throw new MeshError('key_desync', `record under epoch ${record.epoch}, expected epoch ${r.epoch}`);
    }
    this.window.check(record.seq);
    let plain: Uint8Array;
    try {
      plain = chacha20poly1305(r.key.key, this.nonce(r.key.iv, record.seq), this.aad(1 - this.sendDir, record.epoch, record.seq)).decrypt(
        record.sealed,
      );
    } catch {
      throw new MeshError('bad_record', `record ${record.seq} of epoch ${record.epoch} failed authentication`);
    }
    this.window.accept(record.seq);
    r.frames++;
    const content = decodeContent(plain);
    if (content.type === 'key_update') {
      this.advance(this.recv);
      this.window = this.newReplayWindow();
    }
    return content;
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
  throw new MeshError('bad_frame', `unknown content type ${type}`);
}
