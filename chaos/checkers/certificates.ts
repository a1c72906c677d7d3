// Cryptographic certificate checking for the safety checker: the signers'
// certificates (collected from each node's /status) are verified against the
// CA, and every quorum certificate in a log is verified as a node would.
import { hexToBytes } from '@noble/hashes/utils.js';
import type { TrustAnchor } from '../../src/mesh/protocol/certificate.ts';
import { systemClock, type Clock } from '../../src/mesh/control/clock.ts';
import { SignerDirectory } from '../../src/mesh/control/members.ts';
import { verifyEntry, type CertifiedEntry } from '../../src/mesh/control/votes.ts';
import type { EntryView } from './history.ts';
import type { CertificateVerifier } from './safety.ts';

export function toEntry(e: EntryView): CertifiedEntry {
  const c = e.certificate;
  return {
    slot: e.slot,
    event: { kind: e.kind, proposer: e.proposer, proposalId: e.proposalId, payload: e.payload },
    certificate: {
      slot: c.slot,
      round: c.round,
      epoch: c.epoch,
      eventHash: hexToBytes(c.eventHash),
      signatures: c.signatures.map((s) => ({ voter: s.voter, signature: hexToBytes(s.signature) })),
    },
  };
}

export function certificateVerifier(
  trust: TrustAnchor,
  certificates: Record<string, string>,
  clock: Clock = systemClock,
): CertificateVerifier {
  const directory = new SignerDirectory(trust, clock);
  for (const [id, hex] of Object.entries(certificates)) {
    const c = directory.certificate(hexToBytes(hex));
    if (c.ok && c.value.nodeId !== id) throw new Error(`history lists the certificate of ${c.value.nodeId} under ${id}`);
  }
  return (e, members) => {
    const v = verifyEntry(directory, members, toEntry(e));
    return v.ok ? undefined : `${v.reason}: ${v.detail}`;
  };
}
