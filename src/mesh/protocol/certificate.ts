// Mesh identities: a CA (ML-DSA-65) and node certificates it signs.
//
// A certificate is the canonical encoding of
//   version u8 | nodeId | keys [(alg u8, public key)] | issuer (32-byte CA key id)
//   | notBefore u64 ms | notAfter u64 ms
// followed by the CA's ML-DSA-65 signature over exactly those bytes. A node
// certificate carries one identity key per signature algorithm a suite can
// need (ML-DSA-65 always; ML-DSA-87 and Ed25519 for the other suites), so the
// suite decides which key signs the transcript and the CA vouches for all.
// Reading and writing them as files is src/mesh/node/identity-files.ts.
import { concatBytes } from '@noble/hashes/utils.js';
import { sha256 } from '@noble/hashes/sha2.js';
import type { CryptoBackend } from '../../crypto/backend.ts';
import { bytesEqual } from '../../check/bytes.ts';
import { ConfigError } from '../../errors.ts';
import { MeshError } from './errors.ts';
import { IDENTITY_ALGS, identitySigner, type IdentityAlg } from './ciphersuites.ts';
import { Decoder, Encoder, LIMITS } from './wire.ts';

const CERT_VERSION = 1;
const CERT_SIGNING_LABEL = new TextEncoder().encode('pqc-mesh v1 certificate');
export const NODE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export interface CertificateBody {
  nodeId: string;
  keys: Map<IdentityAlg, Uint8Array>;
  /** SHA-256 of the issuing CA's ML-DSA-65 public key. */
  issuer: Uint8Array;
  notBefore: number;
  notAfter: number;
}

export interface Certificate extends CertificateBody {
  signature: Uint8Array;
  /** The exact encoded certificate, as it travels in HELLO and ACCEPT. */
  encoded: Uint8Array;
}

/** A node's (or the CA's) secret keys, one per identity algorithm. */
export interface KeyBundle {
  nodeId: string;
  secretKeys: Map<IdentityAlg, Uint8Array>;
}

export interface Identity {
  certificate: Certificate;
  keys: KeyBundle;
}

export interface TrustAnchor {
  ca: Certificate;
  keyId: Uint8Array;
  backend: CryptoBackend;
}

export const algId = (alg: IdentityAlg) => IDENTITY_ALGS.indexOf(alg) + 1;

export function algOf(id: number): IdentityAlg {
  const alg = IDENTITY_ALGS[id - 1];
  if (!alg) throw new MeshError('bad_frame', `unknown key algorithm ${id}`);
  return alg;
}

function encodeBody(c: CertificateBody): Uint8Array {
  const e = new Encoder().u8(CERT_VERSION).string(c.nodeId).u8(c.keys.size);
  for (const alg of IDENTITY_ALGS) {
    const pk = c.keys.get(alg);
    if (pk) e.u8(algId(alg)).bytes(pk);
  }
  return e.bytes(c.issuer).u64(BigInt(c.notBefore)).u64(BigInt(c.notAfter)).finish();
}

export function decodeCertificate(encoded: Uint8Array): Certificate {
  const d = new Decoder(encoded);
  const version = d.u8('certificate.version');
  if (version !== CERT_VERSION) throw new MeshError('bad_frame', `certificate version ${version}`);
  const nodeId = d.string('certificate.nodeId', 64);
  const n = d.u8('certificate.keys');
  const keys = new Map<IdentityAlg, Uint8Array>();
  let last = 0;
  for (let i = 0; i < n; i++) {
    const id = d.u8('certificate.keys.alg');
    // Ascending algorithm order keeps the encoding canonical.
    if (id <= last) throw new MeshError('bad_frame', 'certificate keys out of order');
    last = id;
    keys.set(algOf(id), d.bytes('certificate.keys.publicKey', 4096));
  }
  const issuer = d.bytes('certificate.issuer', 32, 32);
  const notBefore = Number(d.u64('certificate.notBefore'));
  const notAfter = Number(d.u64('certificate.notAfter'));
  const signature = d.bytes('certificate.signature', LIMITS.signature);
  d.end('certificate');
  return { nodeId, keys, issuer, notBefore, notAfter, signature, encoded };
}

function signCertificate(body: CertificateBody, caKey: Uint8Array, backend: CryptoBackend): Certificate {
  const tbs = encodeBody(body);
  const signature = identitySigner(backend, 'ML-DSA-65').sign(caKey, concatBytes(CERT_SIGNING_LABEL, tbs));
  const encoded = new Encoder().bytes(signature).finish();
  return { ...body, signature, encoded: concatBytes(tbs, encoded) };
}

export function caKeyId(ca: Certificate): Uint8Array {
  const pk = ca.keys.get('ML-DSA-65');
  if (!pk) throw new ConfigError(`CA certificate ${ca.nodeId} has no ML-DSA-65 key`);
  return sha256(pk);
}

/**
 * Checks a peer's certificate against our CA. The issuer is compared first:
 * a certificate from another mesh is `unknown_ca` whatever else is wrong
 * with it; one that names our CA but fails its signature or validity window
 * is `bad_certificate`.
 */
export function verifyCertificate(encoded: Uint8Array, trust: TrustAnchor, now = Date.now()): Certificate {
  let cert: Certificate;
  try {
    cert = decodeCertificate(encoded);
  } catch (e) {
    throw new MeshError('bad_certificate', `undecodable certificate: ${(e as Error).message}`);
  }
  if (!bytesEqual(cert.issuer, trust.keyId)) throw new MeshError('unknown_ca', `certificate of ${cert.nodeId} was issued by another CA`);
  const caPk = trust.ca.keys.get('ML-DSA-65')!;
  const tbs = encodeBody(cert);
  if (!identitySigner(trust.backend, 'ML-DSA-65').verify(caPk, concatBytes(CERT_SIGNING_LABEL, tbs), cert.signature)) {
    throw new MeshError('bad_certificate', `CA signature on the certificate of ${cert.nodeId} does not verify`);
  }
  if (now < cert.notBefore || now > cert.notAfter)
    throw new MeshError('bad_certificate', `certificate of ${cert.nodeId} is outside its validity period`);
  if (!NODE_ID_PATTERN.test(cert.nodeId)) throw new MeshError('bad_certificate', 'certificate node id is not a valid id');
  return cert;
}

// ---- Issuing --------------------------------------------------------------

const DAY_MS = 86_400_000;

/** 32-byte key generation seeds per algorithm (FIPS 204 xi; the Ed25519 secret seed, RFC 8032 §5.1.5), for replayable identities. */
export type KeySeeds = (alg: IdentityAlg) => Uint8Array;

/** Seeds for `subject`'s keys derived from a run's seed: the same run seed gives the same key pairs. */
export function keySeedsFrom(runSeed: number, subject: string): KeySeeds {
  return (alg) => sha256(new TextEncoder().encode(`pqc-mesh-harness identity v1|${runSeed}|${subject}|${alg}`));
}

function generateKeys(backend: CryptoBackend, algs: readonly IdentityAlg[], seeds?: KeySeeds) {
  if (seeds && !backend.deterministic)
    throw new ConfigError(`backend ${backend.name} ignores key generation seeds: identities cannot be derived from a seed`);
  const pub = new Map<IdentityAlg, Uint8Array>();
  const sec = new Map<IdentityAlg, Uint8Array>();
  for (const alg of algs) {
    const { publicKey, secretKey } = identitySigner(backend, alg).keygen(seeds?.(alg));
    pub.set(alg, publicKey);
    sec.set(alg, secretKey);
  }
  return { pub, sec };
}

/** A self-signed CA: its certificate's issuer is its own key id. */
export function createCa(name: string, backend: CryptoBackend, days = 3650, now = Date.now(), seeds?: KeySeeds): Identity {
  const { pub, sec } = generateKeys(backend, ['ML-DSA-65'], seeds);
  const body = { nodeId: name, keys: pub, issuer: sha256(pub.get('ML-DSA-65')!), notBefore: now - 60_000, notAfter: now + days * DAY_MS };
  return { certificate: signCertificate(body, sec.get('ML-DSA-65')!, backend), keys: { nodeId: name, secretKeys: sec } };
}

export function issueNode(ca: Identity, nodeId: string, backend: CryptoBackend, days = 365, now = Date.now(), seeds?: KeySeeds): Identity {
  if (!NODE_ID_PATTERN.test(nodeId)) throw new ConfigError(`node id "${nodeId}" must match ${NODE_ID_PATTERN}`);
  const { pub, sec } = generateKeys(backend, IDENTITY_ALGS, seeds);
  const body = { nodeId, keys: pub, issuer: caKeyId(ca.certificate), notBefore: now - 60_000, notAfter: now + days * DAY_MS };
  return { certificate: signCertificate(body, ca.keys.secretKeys.get('ML-DSA-65')!, backend), keys: { nodeId, secretKeys: sec } };
}

// ---- Files ----------------------------------------------------------------

export function trustAnchor(ca: Certificate, backend: CryptoBackend): TrustAnchor {
  return { ca, keyId: caKeyId(ca), backend };
}
