// A node's identity on disk: PEM-style armored certificate and key files
// (they survive copy and paste), and the layout of a CA directory. The key
// file is written with mode 0600.
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ConfigError } from '../../errors.ts';
import { algId, algOf, decodeCertificate, type Certificate, type Identity, type KeyBundle } from '../protocol/certificate.ts';
import { IDENTITY_ALGS, type IdentityAlg } from '../protocol/ciphersuites.ts';
import { MeshError } from '../protocol/errors.ts';
import { Decoder, Encoder } from '../protocol/wire.ts';

const CERT_ARMOR = 'PQC MESH CERTIFICATE';
const KEY_ARMOR = 'PQC MESH PRIVATE KEY';

function armor(label: string, bytes: Uint8Array): string {
  const b64 = Buffer.from(bytes)
    .toString('base64')
    .replace(/.{1,64}/g, '$&\n');
  return `-----BEGIN ${label}-----\n${b64}-----END ${label}-----\n`;
}

function dearmor(label: string, text: string, file: string): Uint8Array {
  const m = new RegExp(`-----BEGIN ${label}-----([A-Za-z0-9+/=\\s]*)-----END ${label}-----`).exec(text);
  if (!m) throw new ConfigError(`${file}: not a ${label.toLowerCase()} file`);
  return new Uint8Array(Buffer.from(m[1].replace(/\s+/g, ''), 'base64'));
}

function encodeKeys(k: KeyBundle): Uint8Array {
  const e = new Encoder().u8(1).string(k.nodeId).u8(k.secretKeys.size);
  for (const alg of IDENTITY_ALGS) {
    const sk = k.secretKeys.get(alg);
    if (sk) e.u8(algId(alg)).bytes(sk);
  }
  return e.finish();
}

function decodeKeys(bytes: Uint8Array): KeyBundle {
  const d = new Decoder(bytes);
  if (d.u8('key.version') !== 1) throw new MeshError('bad_frame', 'key file version');
  const nodeId = d.string('key.nodeId', 64);
  const n = d.u8('key.count');
  const secretKeys = new Map<IdentityAlg, Uint8Array>();
  for (let i = 0; i < n; i++) secretKeys.set(algOf(d.u8('key.alg')), d.bytes('key.secretKey', 8192));
  d.end('key file');
  return { nodeId, secretKeys };
}

export function writeIdentity(id: Identity, certFile: string, keyFile: string): void {
  mkdirSync(dirname(certFile), { recursive: true });
  mkdirSync(dirname(keyFile), { recursive: true });
  writeFileSync(certFile, armor(CERT_ARMOR, id.certificate.encoded));
  writeFileSync(keyFile, armor(KEY_ARMOR, encodeKeys(id.keys)), { mode: 0o600 });
  chmodSync(keyFile, 0o600);
}

export function readCertificate(file: string): Certificate {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(`${file}: cannot read certificate (${(e as NodeJS.ErrnoException).code})`);
  }
  try {
    return decodeCertificate(dearmor(CERT_ARMOR, text, file));
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    throw new ConfigError(`${file}: malformed certificate: ${(e as Error).message}`);
  }
}

export function readIdentity(certFile: string, keyFile: string): Identity {
  const certificate = readCertificate(certFile);
  let keys: KeyBundle;
  try {
    keys = decodeKeys(dearmor(KEY_ARMOR, readFileSync(keyFile, 'utf8'), keyFile));
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    throw new ConfigError(`${keyFile}: malformed or unreadable key file: ${(e as Error).message}`);
  }
  if (keys.nodeId !== certificate.nodeId)
    throw new ConfigError(`${keyFile}: key is for ${keys.nodeId}, certificate ${certFile} is for ${certificate.nodeId}`);
  return { certificate, keys };
}

/** Layout of a CA directory: `ca.cert`, `ca.key`, `nodes/<id>/node.{cert,key}`. */
export const caPaths = (dir: string) => ({ cert: join(dir, 'ca.cert'), key: join(dir, 'ca.key') });
export const nodePaths = (dir: string, id: string) => ({
  cert: join(dir, 'nodes', id, 'node.cert'),
  key: join(dir, 'nodes', id, 'node.key'),
});
