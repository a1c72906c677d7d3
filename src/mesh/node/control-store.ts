// The control plane's durable state (docs/control-plane.md §8): the
// committed log, this node's own votes in open slots and the member
// certificates the log's signers need. Written before any control message
// leaves the node, so a restarted node neither forgets a commit nor signs a
// second vote in a slot it already voted in. One file, replaced atomically
// (write, fsync, rename); the canonical wire encoding, never JSON.
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { bytesEqual } from '../../check/bytes.ts';
import { ConfigError } from '../../errors.ts';
import type { ControlPlane } from '../control/plane.ts';
import { decodeEntryFrom, decodeVoteFrom, encodeEntryTo, encodeVoteTo, type CertifiedEntry, type Vote } from '../control/votes.ts';
import { Decoder, Encoder, LIMITS } from '../protocol/wire.ts';

const VERSION = 1;
const MAX_ITEMS = 1 << 20;

export interface ControlState {
  certificates: Uint8Array[];
  entries: CertifiedEntry[];
  votes: Vote[];
}

export function encodeControlState(s: ControlState): Uint8Array {
  const e = new Encoder().u8(VERSION).u32(s.certificates.length);
  for (const c of s.certificates) e.bytes(c);
  e.u32(s.entries.length);
  for (const x of s.entries) encodeEntryTo(e, x);
  e.u32(s.votes.length);
  for (const v of s.votes) encodeVoteTo(e, v);
  return e.finish();
}

export function decodeControlState(bytes: Uint8Array, file: string): ControlState {
  try {
    const d = new Decoder(bytes);
    const version = d.u8('state.version');
    if (version !== VERSION) throw new Error(`version ${version}, expected ${VERSION}`);
    const count = (what: string) => {
      const n = d.u32(what);
      if (n > MAX_ITEMS) throw new Error(`${what} ${n} is too many`);
      return n;
    };
    const certificates = Array.from({ length: count('state.certificates') }, () => d.bytes('state.certificate', LIMITS.certificate));
    const entries = Array.from({ length: count('state.entries') }, () => decodeEntryFrom(d));
    const votes = Array.from({ length: count('state.votes') }, () => decodeVoteFrom(d));
    d.end('control state');
    return { certificates, entries, votes };
  } catch (e) {
    throw new ConfigError(`${file}: unreadable control-plane state (${(e as Error).message}); move it away to start with an empty log`);
  }
}

export class ControlStore {
  readonly file: string;
  private last: Uint8Array | undefined;

  constructor(dir: string) {
    mkdirSync(dir, { recursive: true });
    this.file = join(dir, 'control.bin');
  }

  load(): ControlState | undefined {
    if (!existsSync(this.file)) return undefined;
    const bytes = new Uint8Array(readFileSync(this.file));
    this.last = bytes;
    return decodeControlState(bytes, this.file);
  }

  /** Writes the plane's state if it changed since the last write; returns whether it wrote. */
  save(plane: ControlPlane): boolean {
    const bytes = encodeControlState({
      certificates: Object.values(plane.directory.knownCertificates()),
      entries: [...plane.quorum.log.all()],
      votes: plane.quorum.ownVotes(),
    });
    if (this.last && bytesEqual(this.last, bytes)) return false;
    const tmp = `${this.file}.tmp`;
    const fd = openSync(tmp, 'w', 0o600);
    try {
      writeSync(fd, bytes);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.file);
    this.last = bytes;
    return true;
  }
}

/** Feeds a loaded state back: certificates first (each re-verified against the CA), then entries (re-verified), then votes. */
export function restoreControlState(plane: ControlPlane, s: ControlState): { entries: number; refused: number; votes: number } {
  for (const c of s.certificates) plane.learnCertificate(c);
  let refused = 0;
  for (const e of s.entries) if (!plane.quorum.adopt(e).result.ok) refused++;
  plane.quorum.restoreOwnVotes(s.votes);
  return { entries: plane.quorum.log.lastSlot, refused, votes: plane.quorum.ownVotes().length };
}
