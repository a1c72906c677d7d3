// DSSE envelopes (github.com/secure-systems-lab/dsse, protocol v1) signed
// twice: Ed25519 (node:crypto) and ML-DSA-65 (FIPS 204, @noble/post-quantum).
// Both sign the same PAE bytes; a verifier may require either or both.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign, verify } from 'node:crypto';
import { ml_dsa65 } from '@noble/post-quantum/ml-dsa.js';

export const SIGNATURE_ALGS = ['ed25519', 'ml-dsa-65'] as const;
export type SignatureAlg = (typeof SIGNATURE_ALGS)[number];

export interface DsseSignature {
  keyid: string;
  sig: string;
}

export interface DsseEnvelope {
  payloadType: string;
  payload: string;
  signatures: DsseSignature[];
}

/** DSSE v1 pre-authentication encoding: "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body, LEN in ASCII decimal bytes. */
export function pae(payloadType: string, body: Uint8Array): Uint8Array {
  const type = Buffer.from(payloadType, 'utf8');
  const head = Buffer.from(`DSSEv1 ${type.length} ${payloadType} ${body.length} `, 'utf8');
  return Buffer.concat([head, body]);
}

export interface PublicKeyEntry {
  alg: SignatureAlg;
  keyid: string;
  /** Base64 of the raw public key: 32 bytes (Ed25519, RFC 8032) or 1952 bytes (ML-DSA-65, FIPS 204). */
  publicKey: string;
}

export interface SigningKeys {
  type: 'pqc-harness-signing-key/v1';
  ed25519: { keyid: string; publicKey: string; pkcs8: string };
  mlDsa65: { keyid: string; publicKey: string; secretKey: string };
}

export interface VerificationKeys {
  type: 'pqc-harness-verification-key/v1';
  keys: PublicKeyEntry[];
}

/** A key id is the SHA-256 of the raw public key, hex. */
export const keyIdOf = (raw: Uint8Array) => createHash('sha256').update(raw).digest('hex');

const b64 = (u: Uint8Array) => Buffer.from(u).toString('base64');

/** Base64 that must be canonical: Buffer.from ignores stray characters, so a changed byte could go unnoticed. */
export function strictBase64(s: string, what: string): Buffer {
  const b = Buffer.from(s, 'base64');
  if (b.toString('base64') !== s) throw new Error(`${what} is not canonical base64`);
  return b;
}

export function generateSigningKeys(): { secret: SigningKeys; pub: VerificationKeys } {
  const ed = generateKeyPairSync('ed25519');
  const edRaw = Buffer.from(ed.publicKey.export({ format: 'jwk' }).x as string, 'base64url');
  const ml = ml_dsa65.keygen(randomBytes(32));
  const secret: SigningKeys = {
    type: 'pqc-harness-signing-key/v1',
    ed25519: { keyid: keyIdOf(edRaw), publicKey: b64(edRaw), pkcs8: b64(ed.privateKey.export({ format: 'der', type: 'pkcs8' })) },
    mlDsa65: { keyid: keyIdOf(ml.publicKey), publicKey: b64(ml.publicKey), secretKey: b64(ml.secretKey) },
  };
  return { secret, pub: publicPart(secret) };
}

export function publicPart(k: SigningKeys): VerificationKeys {
  return {
    type: 'pqc-harness-verification-key/v1',
    keys: [
      { alg: 'ed25519', keyid: k.ed25519.keyid, publicKey: k.ed25519.publicKey },
      { alg: 'ml-dsa-65', keyid: k.mlDsa65.keyid, publicKey: k.mlDsa65.publicKey },
    ],
  };
}

export function signEnvelope(payloadType: string, payload: Uint8Array, keys: SigningKeys): DsseEnvelope {
  const m = pae(payloadType, payload);
  const edKey = createPrivateKey({ key: Buffer.from(keys.ed25519.pkcs8, 'base64'), format: 'der', type: 'pkcs8' });
  const edSig = sign(null, m, edKey);
  const mlSig = ml_dsa65.sign(m, Buffer.from(keys.mlDsa65.secretKey, 'base64'));
  return {
    payloadType,
    payload: b64(payload),
    signatures: [
      { keyid: keys.ed25519.keyid, sig: b64(edSig) },
      { keyid: keys.mlDsa65.keyid, sig: b64(mlSig) },
    ],
  };
}

function verifyOne(k: PublicKeyEntry, message: Uint8Array, sig: Uint8Array): boolean {
  const raw = Buffer.from(k.publicKey, 'base64');
  if (k.alg === 'ed25519') {
    const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') }, format: 'jwk' });
    return verify(null, message, key, sig);
  }
  return ml_dsa65.verify(sig, message, raw);
}

/** Which of the required algorithms have a valid signature by the given keys; throws naming the first that does not. */
export function verifyEnvelope(env: DsseEnvelope, pub: VerificationKeys, require: readonly SignatureAlg[]): SignatureAlg[] {
  const message = pae(env.payloadType, strictBase64(env.payload, 'payload'));
  const ok: SignatureAlg[] = [];
  for (const alg of require) {
    const key = pub.keys.find((k) => k.alg === alg);
    if (!key) throw new Error(`the public key file has no ${alg} key`);
    const sigs = env.signatures.filter((s) => s.keyid === key.keyid);
    if (!sigs.length) throw new Error(`no ${alg} signature by key ${key.keyid.slice(0, 16)}…`);
    if (!sigs.some((s) => verifyOne(key, message, strictBase64(s.sig, `${alg} signature`))))
      throw new Error(`the ${alg} signature does not verify`);
    ok.push(alg);
  }
  return ok;
}
