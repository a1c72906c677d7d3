// A KEM secret transplanted into another session (docs/mesh.md §3.3.6): both
// sides' sources repeat the KEM draws (the initiator's ephemeral key, the
// responder's encapsulation randomness) in a second handshake while the
// nonces stay fresh, so the two sessions share one KEM secret and differ only
// in their transcripts. The key schedule salts HKDF-Extract with the
// transcript, so a record of the first session must not open in the second;
// a schedule that leaves the transcript out gives both sessions one set of
// keys, and the attacker's transplanted record is delivered.
import { bytesEqual } from '../../../src/check/bytes.ts';
import { fail, pass, skip, type Verdict } from '../../../src/check/evidence.ts';
import { Channel } from '../../../src/mesh/protocol/channel.ts';
import { reasonOf } from '../../../src/mesh/protocol/errors.ts';
import type { HandshakeResult } from '../../../src/mesh/protocol/handshake.ts';
import { systemRandom, type RandomSource } from '../../../src/mesh/protocol/randomness.ts';
import { referenceProtocol } from '../../../src/mesh/protocol/seams.ts';
import { FrameType, decodeAccept, decodeHello } from '../../../src/mesh/protocol/wire.ts';
import { Attacker } from '../attacker/attacker.ts';
import type { NegativeCheck } from '../clause.ts';
import { attackedHandshake, type HandshakeRun, type Subject } from '../scenario.ts';

/** Fresh bytes for nonces and signatures; the same bytes for every KEM draw of the same size, session after session. */
function kemRepeatingSource(): RandomSource {
  const kept = new Map<string, Uint8Array>();
  return (length, purpose) => {
    if (purpose !== 'keygen' && purpose !== 'encaps') return systemRandom(length, purpose);
    const key = `${purpose}/${length}`;
    let bytes = kept.get(key);
    if (!bytes) {
      bytes = systemRandom(length, purpose);
      kept.set(key, bytes);
    }
    return Uint8Array.from(bytes);
  };
}

/** The key share and ciphertext a run carried, as the attacker saw them. */
function kemMaterial(run: HandshakeRun): { share: Uint8Array; ciphertext: Uint8Array; nonce: Uint8Array } {
  const hello = decodeHello(run.attacker.seen.i2r.find((f) => f.type === FrameType.HELLO)!.body);
  const accept = decodeAccept(run.attacker.seen.r2i.find((f) => f.type === FrameType.ACCEPT)!.body);
  return { share: hello.keyShare, ciphertext: accept.ciphertext, nonce: hello.nonce };
}

type Direction = 'i2r' | 'r2i';

/** The attacker seals nothing: it carries a record the honest sender sealed in session 1 into session 2. */
async function transplant(s: Subject, direction: Direction): Promise<Verdict> {
  const initiator = { random: kemRepeatingSource() };
  const responder = { random: kemRepeatingSource() };
  const first = await attackedHandshake(s, { attacker: new Attacker(), initiator, responder });
  const second = await attackedHandshake(s, { attacker: new Attacker(), initiator, responder });
  const sessions = (r: HandshakeRun) => r.sessions as { initiator?: HandshakeResult; responder?: HandshakeResult };
  const [a, b] = [sessions(first), sessions(second)];
  if (!a.initiator || !a.responder || !b.initiator || !b.responder)
    return fail(`an honest handshake failed: ${first.initiator}/${first.responder}, then ${second.initiator}/${second.responder}`);
  const m1 = kemMaterial(first);
  const m2 = kemMaterial(second);
  // A backend that takes no caller randomness makes a fresh secret anyway: the transplant cannot be set up.
  if (!bytesEqual(m1.share, m2.share) || !bytesEqual(m1.ciphertext, m2.ciphertext))
    return skip(`${s.backend.name} did not repeat the KEM from the node's source; no shared KEM secret to transplant`);
  if (bytesEqual(m1.nonce, m2.nonce)) return fail('the nonces repeated too: the transcripts do not differ');
  const [sealerKeys, openerKeys] = direction === 'i2r' ? [a.initiator, b.responder] : [a.responder, b.initiator];
  const sealer = new Channel(sealerKeys, () => referenceProtocol.newReplayWindow());
  const opener = new Channel(openerKeys, () => s.protocol.newReplayWindow());
  const record = sealer.seal({ type: 'application', data: new TextEncoder().encode('sealed in session 1') });
  const evidence = {
    attack: `a ${direction} record of session 1 injected into session 2 (same KEM share and ciphertext, fresh nonces)`,
    sameSessionId: bytesEqual(a.initiator.sessionId, b.initiator.sessionId),
    record: { epoch: record.epoch, seq: String(record.seq) },
  };
  try {
    const got = opener.open(record);
    return fail(`${evidence.attack}: the receiver opened it (${got.type}); the session keys do not depend on the transcript`, evidence);
  } catch (e) {
    const reason = reasonOf(e);
    if (reason !== 'bad_record') return fail(`${evidence.attack}: refused with ${reason}, expected bad_record`, evidence);
    return pass({ ...evidence, ended: reason });
  }
}

export const transcriptBindingChecks: NegativeCheck[] = (['i2r', 'r2i'] as const).map((direction) => ({
  id: `broken-kem/transplanted-kem-secret/${direction}`,
  clause: '3.3.6',
  title: `a KEM secret repeated in another session with another transcript: a ${direction} record of the first session is bad_record in the second`,
  run: (s) => transplant(s, direction),
}));
