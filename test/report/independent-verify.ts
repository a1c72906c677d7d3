// An attestation verifier written from the specifications alone, sharing no
// code with src/report: DSSE v1 (envelope JSON; signatures are over
// PAE(payloadType, payload) = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body,
// LEN = ASCII decimal byte count) and in-toto Statement v1 (_type, subject[]
// with name and digest.sha256, predicateType). Keys: Ed25519 (RFC 8032) raw
// 32-byte public key; ML-DSA-65 (FIPS 204) public key, verified with an
// empty context. Only node:crypto and @noble/post-quantum are used.
//   usage: tsx test/report/independent-verify.ts DIR PUBFILE
import { createHash, createPublicKey, verify as edVerify } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ml_dsa65 } from '@noble/post-quantum/ml-dsa.js';

function preAuthEncoding(type: string, body: Buffer): Buffer {
  const t = Buffer.from(type, 'utf8');
  return Buffer.concat([
    Buffer.from('DSSEv1 '),
    Buffer.from(String(t.length)),
    Buffer.from(' '),
    t,
    Buffer.from(' '),
    Buffer.from(String(body.length)),
    Buffer.from(' '),
    body,
  ]);
}

interface Key {
  alg: string;
  keyid: string;
  publicKey: string;
}

export function independentVerify(dir: string, pubFile: string): { verifiedAlgs: string[]; subjects: number } {
  const keys = (JSON.parse(readFileSync(pubFile, 'utf8')) as { keys: Key[] }).keys;
  const lines = readFileSync(join(dir, 'attestation.intoto.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '');
  if (lines.length !== 1) throw new Error(`expected one envelope line, found ${lines.length}`);
  const env = JSON.parse(lines[0]) as { payloadType: string; payload: string; signatures: { keyid?: string; sig: string }[] };
  if (env.payloadType !== 'application/vnd.in-toto+json') throw new Error(`payloadType ${env.payloadType}`);
  const body = Buffer.from(env.payload, 'base64');
  const message = preAuthEncoding(env.payloadType, body);
  const verifiedAlgs: string[] = [];
  for (const k of keys) {
    const raw = Buffer.from(k.publicKey, 'base64');
    for (const s of env.signatures.filter((x) => x.keyid === k.keyid)) {
      const sig = Buffer.from(s.sig, 'base64');
      const ok =
        k.alg === 'ed25519'
          ? edVerify(
              null,
              message,
              createPublicKey({ key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), raw]), format: 'der', type: 'spki' }),
              sig,
            )
          : k.alg === 'ml-dsa-65'
            ? ml_dsa65.verify(sig, message, raw)
            : false;
      if (ok) verifiedAlgs.push(k.alg);
    }
  }
  if (!verifiedAlgs.includes('ed25519') || !verifiedAlgs.includes('ml-dsa-65'))
    throw new Error(`signatures verified: [${verifiedAlgs.join(', ')}]`);
  const statement = JSON.parse(body.toString('utf8')) as {
    _type: string;
    predicateType: string;
    subject: { name: string; digest: { sha256: string } }[];
    predicate: { result: string };
  };
  if (statement._type !== 'https://in-toto.io/Statement/v1') throw new Error(`_type ${statement._type}`);
  if (statement.predicateType !== 'https://in-toto.io/attestation/test-result/v0.1')
    throw new Error(`predicateType ${statement.predicateType}`);
  if (!['PASSED', 'WARNED', 'FAILED'].includes(statement.predicate.result)) throw new Error(`result ${statement.predicate.result}`);
  let subjects = 0;
  for (const s of statement.subject) {
    const p = join(dir, s.name);
    if (!existsSync(p)) continue; // not a file of this directory (the mesh under test)
    if (createHash('sha256').update(readFileSync(p)).digest('hex') !== s.digest.sha256) throw new Error(`${s.name}: digest mismatch`);
    subjects++;
  }
  return { verifiedAlgs, subjects };
}

if (process.argv[1]?.endsWith('independent-verify.ts')) {
  const [dir, pub] = process.argv.slice(2);
  const r = independentVerify(dir, pub);
  process.stdout.write(`independent verifier: ${r.verifiedAlgs.join(' + ')} valid, ${r.subjects} file subjects match\n`);
}
