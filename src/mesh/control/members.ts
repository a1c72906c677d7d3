// Who may speak on the control plane: the configured member set (with its
// epoch), a node's signing identity, and the directory that checks a
// claimed signer's certificate against the CA and the member set before any
// signature is trusted. Gossip, votes, certificates and digests all verify
// through `SignerDirectory.verify`, so there is one place where "verified"
// is decided.
import { bytesToHex, concatBytes } from '@noble/hashes/utils.js';
import { sha256 } from '@noble/hashes/sha2.js';
import type { CryptoBackend } from '../../crypto/backend.ts';
import { ConfigError } from '../../errors.ts';
import { NODE_ID_PATTERN, verifyCertificate, type Certificate, type Identity, type TrustAnchor } from '../protocol/certificate.ts';
import { identitySigner, type IdentitySigner } from '../protocol/ciphersuites.ts';
import { MeshError } from '../protocol/errors.ts';
import type { Clock } from './clock.ts';

/** Why a control message, vote, certificate or digest was not believed. */
export const REFUSAL_REASONS = [
  'malformed',
  'unknown_ca',
  'bad_certificate',
  'non_member',
  'origin_mismatch',
  'bad_signature',
  'stale_timestamp',
  'duplicate',
  'stale_sequence',
  'wrong_epoch',
  'wrong_event',
  'duplicate_signer',
  'too_few_signers',
  'slot_conflict',
  'out_of_order',
] as const;
export type RefusalReason = (typeof REFUSAL_REASONS)[number];

export type Checked<T> = { ok: true; value: T } | { ok: false; reason: RefusalReason; detail: string };

export const refuse = (reason: RefusalReason, detail: string): { ok: false; reason: RefusalReason; detail: string } => ({
  ok: false,
  reason,
  detail,
});

export function zeroCounts(): Record<RefusalReason, number> {
  return Object.fromEntries(REFUSAL_REASONS.map((r) => [r, 0])) as Record<RefusalReason, number>;
}

/** The configured members at one epoch; epoch 0 is the config file, each committed membership event adds one. */
export interface MemberSet {
  readonly epoch: number;
  /** Sorted, unique node ids. */
  readonly members: readonly string[];
}

export function memberSet(epoch: number, ids: readonly string[]): MemberSet {
  if (!Number.isInteger(epoch) || epoch < 0 || epoch > 0xffffffff) throw new ConfigError(`membership epoch ${epoch} is not a u32`);
  for (const id of ids) if (!NODE_ID_PATTERN.test(id)) throw new ConfigError(`member id "${id}" must match ${NODE_ID_PATTERN}`);
  const sorted = [...new Set(ids)].sort();
  if (sorted.length !== ids.length) throw new ConfigError(`member set lists a node twice: ${ids.join(', ')}`);
  if (sorted.length === 0) throw new ConfigError('member set is empty');
  return { epoch, members: sorted };
}

/** Strict majority of the configured members: more than half, never "half of those I can reach". */
export const quorumSize = (m: MemberSet): number => Math.floor(m.members.length / 2) + 1;
export const isMember = (m: MemberSet, id: string): boolean => m.members.includes(id);

/** A node's control-plane signing identity: its certificate and ML-DSA-65 secret key. */
export interface ControlSigner {
  readonly nodeId: string;
  readonly certificate: Uint8Array;
  sign(label: Uint8Array, body: Uint8Array): Uint8Array;
}

export function controlSigner(identity: Identity, backend: CryptoBackend): ControlSigner {
  const sk = identity.keys.secretKeys.get('ML-DSA-65');
  if (!sk) throw new ConfigError(`identity ${identity.keys.nodeId} has no ML-DSA-65 key`);
  const signer = identitySigner(backend, 'ML-DSA-65');
  return {
    nodeId: identity.certificate.nodeId,
    certificate: identity.certificate.encoded,
    sign: (label, body) => signer.sign(sk, concatBytes(label, body)),
  };
}

/** Most certificates a directory remembers; the member set is far smaller, so this only bounds hostile input. */
const CACHE_LIMIT = 1024;

/**
 * Verifies (certificate, claimed id, signature) triples. A certificate is
 * checked against the CA once and remembered by its SHA-256 (its validity
 * window is re-checked on every use); refusals are never remembered.
 */
export class SignerDirectory {
  private readonly verified = new Map<string, Certificate>();
  /** The latest CA-verified certificate seen for each node id: how a vote or quorum certificate without one is checked. */
  private readonly byId = new Map<string, Certificate>();
  private readonly signer: IdentitySigner;

  constructor(
    private readonly trust: TrustAnchor,
    private readonly clock: Clock,
  ) {
    this.signer = identitySigner(trust.backend, 'ML-DSA-65');
  }

  /** The CA-verified certificate, or why not (`unknown_ca`, `bad_certificate`). */
  certificate(encoded: Uint8Array): Checked<Certificate> {
    const key = bytesToHex(sha256(encoded));
    const now = this.clock.now();
    const hit = this.verified.get(key);
    if (hit) {
      if (now < hit.notBefore || now > hit.notAfter)
        return refuse('bad_certificate', `certificate of ${hit.nodeId} is outside its validity period`);
      return { ok: true, value: hit };
    }
    let cert: Certificate;
    try {
      cert = verifyCertificate(encoded, this.trust, now);
    } catch (e) {
      const reason = e instanceof MeshError && e.reason === 'unknown_ca' ? 'unknown_ca' : 'bad_certificate';
      return refuse(reason, (e as Error).message);
    }
    if (this.verified.size >= CACHE_LIMIT) this.verified.delete(this.verified.keys().next().value!);
    this.verified.set(key, cert);
    const known = this.byId.get(cert.nodeId);
    if (!known || known.notBefore <= cert.notBefore) {
      if (!known && this.byId.size >= CACHE_LIMIT) this.byId.delete(this.byId.keys().next().value!);
      this.byId.set(cert.nodeId, cert);
    }
    return { ok: true, value: cert };
  }

  /** The certificate last verified for `nodeId`, if any. */
  known(nodeId: string): Certificate | undefined {
    return this.byId.get(nodeId);
  }

  /** Every id with a verified certificate, with the encoded certificate (for /status and the checkers). */
  knownCertificates(): Record<string, Uint8Array> {
    return Object.fromEntries([...this.byId].map(([id, c]) => [id, c.encoded]));
  }

  /**
   * The one verification path: certificate (CA, validity; the one given, else
   * the one last verified for the claimed id), then the claimed
   * id against the certificate, then membership, then the signature over
   * label || body. Only CA-verified certificates are remembered; nothing
   * about the claimed signer is.
   */
  verify(
    members: MemberSet,
    claimed: string,
    label: Uint8Array,
    body: Uint8Array,
    signature: Uint8Array,
    certificate?: Uint8Array,
  ): Checked<Certificate> {
    const c = certificate ? this.certificate(certificate) : this.knownValid(claimed);
    if (!c.ok) return c;
    if (c.value.nodeId !== claimed) return refuse('origin_mismatch', `claims ${claimed} but carries the certificate of ${c.value.nodeId}`);
    if (!isMember(members, claimed)) return refuse('non_member', `${claimed} is not a member at epoch ${members.epoch}`);
    const pk = c.value.keys.get('ML-DSA-65');
    if (!pk) return refuse('bad_certificate', `certificate of ${claimed} has no ML-DSA-65 key`);
    if (!this.signer.verify(pk, concatBytes(label, body), signature))
      return refuse('bad_signature', `signature of ${claimed} does not verify`);
    return c;
  }

  private knownValid(nodeId: string): Checked<Certificate> {
    const cert = this.byId.get(nodeId);
    if (!cert) return refuse('bad_certificate', `no verified certificate is known for ${nodeId}`);
    return this.certificate(cert.encoded);
  }
}

export const label = (text: string): Uint8Array => new TextEncoder().encode(`pqc-mesh v1 ${text}`);
