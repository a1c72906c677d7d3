// Heal and merge (docs/control-plane.md §5). Nodes exchange signed state
// digests (epoch, last slot, log hash). Comparing a peer's digest with our
// own log says what to do: nothing, ask for the slots we lack, wait for the
// peer to ask, or report divergence, which only a safety violation can cause
// since every committed slot carries a majority certificate. Adoption itself
// is QuorumNode.adopt: certificates are verified again there.
import { bytesEqual } from '../../check/bytes.ts';
import { Encoder } from '../protocol/wire.ts';
import type { CommittedLog } from './log.ts';
import { label, type Checked, type ControlSigner, type MemberSet, type SignerDirectory } from './members.ts';
import type { StateDigest } from './payloads.ts';

export const DIGEST_LABEL = label('digest');

const digestBody = (d: Omit<StateDigest, 'signature'>): Uint8Array =>
  new Encoder().string(d.node).u32(d.epoch).u64(BigInt(d.lastSlot)).bytes(d.logHash).finish();

export function signDigest(signer: ControlSigner, log: CommittedLog, epoch: number): StateDigest {
  const d = { node: signer.nodeId, epoch, lastSlot: log.lastSlot, logHash: log.head() };
  return { ...d, signature: signer.sign(DIGEST_LABEL, digestBody(d)) };
}

export function verifyDigest(directory: SignerDirectory, members: MemberSet, d: StateDigest): Checked<StateDigest> {
  const ok = directory.verify(members, d.node, DIGEST_LABEL, digestBody(d), d.signature);
  return ok.ok ? { ok: true, value: d } : ok;
}

export type MergeAction =
  | { action: 'in-sync' }
  /** The peer has slots we lack: request them from `fromSlot`. */
  | { action: 'request'; fromSlot: number }
  /** We are ahead on a common prefix: the peer will ask. */
  | { action: 'wait' }
  /** The logs disagree at or before `slot`: never merged, reported as a safety violation. */
  | { action: 'diverged'; slot: number };

/** What to do about a verified digest from a peer. Pure. */
export function planMerge(local: CommittedLog, remote: StateDigest): MergeAction {
  if (remote.lastSlot === local.lastSlot)
    return bytesEqual(remote.logHash, local.head()) ? { action: 'in-sync' } : { action: 'diverged', slot: local.lastSlot };
  if (remote.lastSlot < local.lastSlot) {
    const mine = local.chainAt(remote.lastSlot)!;
    return bytesEqual(mine, remote.logHash) ? { action: 'wait' } : { action: 'diverged', slot: remote.lastSlot };
  }
  // The peer is ahead: its chain at our last slot is unknown to us, so ask from our next slot;
  // a conflict in what it sends is caught slot by slot on adoption.
  return { action: 'request', fromSlot: local.lastSlot + 1 };
}

/** Identical committed state on every node: same epoch, last slot and log hash. */
export function converged(digests: readonly Pick<StateDigest, 'epoch' | 'lastSlot' | 'logHash'>[]): boolean {
  const [first, ...rest] = digests;
  return (
    first !== undefined &&
    rest.every((d) => d.epoch === first.epoch && d.lastSlot === first.lastSlot && bytesEqual(d.logHash, first.logHash))
  );
}
