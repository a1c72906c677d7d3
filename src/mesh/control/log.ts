// The committed log: certified entries in slot order (1, 2, ...) with a hash
// chain, chain_0 = 32 zero bytes and
//   chain_s = SHA-256("pqc-mesh v1 log" || chain_{s-1} || slot u64 || event hash),
// so two logs agree up to slot s exactly when their chain_s agree (merge.ts).
import { sha256 } from '@noble/hashes/sha2.js';
import { concatBytes } from '@noble/hashes/utils.js';
import { Encoder } from '../protocol/wire.ts';
import { label } from './members.ts';
import type { CertifiedEntry } from './votes.ts';

const LOG_LABEL = label('log');
export const EMPTY_CHAIN = new Uint8Array(32);

export function chainNext(prev: Uint8Array, slot: number, eventHash: Uint8Array): Uint8Array {
  return sha256(concatBytes(LOG_LABEL, prev, new Encoder().u64(BigInt(slot)).finish(), eventHash));
}

export class CommittedLog {
  private readonly entries: CertifiedEntry[] = [];
  private readonly chains: Uint8Array[] = [EMPTY_CHAIN];

  get lastSlot(): number {
    return this.entries.length;
  }

  head(): Uint8Array {
    return this.chains[this.entries.length];
  }

  at(slot: number): CertifiedEntry | undefined {
    return this.entries[slot - 1];
  }

  chainAt(slot: number): Uint8Array | undefined {
    return this.chains[slot];
  }

  /** Appends the next slot; the caller has verified the entry. */
  append(e: CertifiedEntry): void {
    if (e.slot !== this.lastSlot + 1) throw new RangeError(`log append of slot ${e.slot} after slot ${this.lastSlot}`);
    this.chains.push(chainNext(this.head(), e.slot, e.certificate.eventHash));
    this.entries.push(e);
  }

  from(slot: number, max = Number.POSITIVE_INFINITY): CertifiedEntry[] {
    return this.entries.slice(Math.max(0, slot - 1), Math.max(0, slot - 1) + max);
  }

  all(): readonly CertifiedEntry[] {
    return this.entries;
  }
}
