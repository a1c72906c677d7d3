// The mesh handshake, v1: three messages, SIGMA-style, modelled on TLS 1.3.
//
//   initiator                                         responder
//   HELLO  versions, suites, cert_i, key share, n_i  ->
//                    <-  ACCEPT  version, suite, echoed offer, cert_r, ct, n_r,
//                                sig_r(transcript), mac_r
//   FINISH sig_i(transcript), mac_i                  ->
//
// Each side keeps one state struct and runs one method per protocol step, in
// order, so the code reads like the specification in docs/mesh.md. The
// transcript is a running SHA-256 over the encoded messages; both signatures
// cover the whole offer (versions and suites), so stripping anything from
// HELLO breaks them, and ACCEPT echoes the offer so the initiator can name
// that attack `downgrade` before it even checks the signature.
import { createHash, type Hash } from 'node:crypto';
import type { Certificate, Identity, TrustAnchor } from './certificate.ts';
import { decodeCertificate, verifyCertificate } from './certificate.ts';
import { MeshError } from './errors.ts';
import { confirmationMac, deriveHandshakeSecrets, macsEqual, type HandshakeSecrets } from './keys.ts';
import type { MeshProtocol } from './seams.ts';
import { systemRandom, type DrawRandom, type RandomSource } from './randomness.ts';
import { cipherSuiteName, type EphemeralSecret, type CipherSuite, type CipherSuiteName } from './ciphersuites.ts';
import {
  FrameType,
  PROTOCOL_VERSION,
  decodeAccept,
  decodeFinish,
  decodeHello,
  encodeAccept,
  encodeAcceptCore,
  encodeField,
  encodeFinish,
  encodeHello,
  type Accept,
  type Frame,
  type Hello,
} from './wire.ts';

const TRANSCRIPT_LABEL = new TextEncoder().encode('pqc-mesh v1 transcript');
/**
 * Domain-separation labels prefixed to the transcript hash before signing.
 * The signed message starts with one of them, so a MeshProtocol seam (and a
 * probe or mutant) can tell the ACCEPT signature from the FINISH one.
 */
export const RESPONDER_SIGNATURE_LABEL = new TextEncoder().encode('pqc-mesh v1 responder signature');
export const INITIATOR_SIGNATURE_LABEL = new TextEncoder().encode('pqc-mesh v1 initiator signature');

/** What the handshake needs from a connection; ALERT frames arrive as rejected receives. */
export interface HandshakeConn {
  send(type: FrameType, body: Uint8Array): void;
  receive(): Promise<Frame>;
}

export interface HandshakeConfig {
  identity: Identity;
  trust: TrustAnchor;
  /** The suites this node can run, bound to its backend. */
  suites: ReadonlyMap<CipherSuiteName, CipherSuite>;
  /** Initiator: suites to offer, in preference order (fallback already applied). */
  offer: readonly CipherSuiteName[];
  /** Responder: may this suite be used for a new session with this peer right now? */
  accepts(suite: CipherSuite, peerId: string): boolean;
  /** Responder: is this node id a configured peer? */
  isPeer(nodeId: string): boolean;
  /**
   * Responder: may we spend a certificate check and a signature on a HELLO
   * claiming this configured peer (undefined: a non-member or unreadable
   * certificate)? Throws a MeshError to refuse. Unset: always.
   */
  admitHello?(claimedPeer: string | undefined): void;
  protocol: MeshProtocol;
  timeoutMs: number;
  now?: () => number;
  /** Where this side's random bytes come from (default: the system CSPRNG); drawn through `protocol.drawRandom` (§3.7). */
  random?: RandomSource;
}

export interface HandshakeResult {
  role: 'initiator' | 'responder';
  peer: Certificate;
  suite: CipherSuite;
  sessionId: Uint8Array;
  sendSecret: Uint8Array;
  recvSecret: Uint8Array;
  transcriptHash: Uint8Array;
}

/** Running SHA-256 over everything both sides sent, in order (OpenSSL's: the messages are ~20 KB). */
class Transcript {
  private readonly hash: Hash = createHash('sha256').update(TRANSCRIPT_LABEL);
  add(bytes: Uint8Array): void {
    this.hash.update(bytes);
  }
  current(): Uint8Array {
    return new Uint8Array(this.hash.copy().digest());
  }
}

function signed(label: Uint8Array, transcriptHash: Uint8Array): Uint8Array {
  const m = new Uint8Array(label.length + transcriptHash.length);
  m.set(label);
  m.set(transcriptHash, label.length);
  return m;
}

/** Every random byte of one handshake side, through the protocol's draw seam. */
function drawFor(c: HandshakeConfig): DrawRandom {
  const source = c.random ?? systemRandom;
  return (length, purpose) => c.protocol.drawRandom(source, length, purpose);
}

function sameList(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

async function expect(conn: HandshakeConn, type: FrameType, name: string): Promise<Uint8Array> {
  const frame = await conn.receive();
  if (frame.type !== type) throw new MeshError('unexpected_message', `expected ${name}, got frame type ${frame.type}`);
  return frame.body;
}

function identityKey(cert: Certificate, suite: CipherSuite): Uint8Array {
  const pk = cert.keys.get(suite.signer.alg);
  if (!pk) throw new MeshError('policy', `certificate of ${cert.nodeId} has no ${suite.signer.alg} key for ${suite.name}`);
  return pk;
}

function secretKey(identity: Identity, suite: CipherSuite): Uint8Array {
  const sk = identity.keys.secretKeys.get(suite.signer.alg);
  if (!sk) throw new MeshError('policy', `this node has no ${suite.signer.alg} key for ${suite.name}`);
  return sk;
}

// ---- Initiator -------------------------------------------------------------

class InitiatorHandshake {
  private readonly transcript = new Transcript();
  private suite!: CipherSuite;
  private hello!: Hello;
  private ephemeralSecret!: EphemeralSecret;
  private accept!: Accept;
  private peer!: Certificate;
  private secrets!: HandshakeSecrets;
  private readonly draw: DrawRandom;

  constructor(
    private readonly c: HandshakeConfig,
    private readonly conn: HandshakeConn,
    private readonly expectedPeer: string,
  ) {
    this.draw = drawFor(c);
  }

  async run(): Promise<HandshakeResult> {
    this.sendHello();
    await this.readAccept();
    this.checkEchoedOffer();
    this.verifyResponderCertificate();
    this.verifyResponderSignature();
    this.decapsulateAndDeriveSecrets();
    this.checkResponderConfirmation();
    return this.sendFinish();
  }

  /** HELLO: an ephemeral key share for the first suite we offer. */
  private sendHello(): void {
    const suites = this.c.offer.map((n) => this.c.suites.get(n)).filter((s): s is CipherSuite => s !== undefined);
    if (suites.length === 0) throw new MeshError('policy', 'no suite to offer');
    this.suite = suites[0];
    const { publicKey, secretKey } = this.suite.kem.keygen(this.draw);
    this.ephemeralSecret = secretKey;
    this.hello = {
      versions: [PROTOCOL_VERSION],
      suites: suites.map((s) => s.id),
      certificate: this.c.identity.certificate.encoded,
      keyShare: publicKey,
      nonce: this.draw(32, 'nonce'),
    };
    const body = encodeHello(this.hello);
    this.transcript.add(body);
    this.conn.send(FrameType.HELLO, body);
  }

  private async readAccept(): Promise<void> {
    this.accept = decodeAccept(await expect(this.conn, FrameType.ACCEPT, 'ACCEPT'));
    this.transcript.add(encodeAcceptCore(this.accept));
  }

  /** The responder tells us what it received; anything but our own offer is tampering. */
  private checkEchoedOffer(): void {
    const a = this.accept;
    if (!sameList(a.offeredVersions, this.hello.versions) || !sameList(a.offeredSuites, this.hello.suites)) {
      throw new MeshError('downgrade', 'the offer the responder saw differs from the offer sent');
    }
    if (a.version !== PROTOCOL_VERSION) throw new MeshError('downgrade', `responder chose version ${a.version}`);
    if (a.suite !== this.suite.id)
      throw new MeshError('downgrade', `responder chose suite ${cipherSuiteName(a.suite) ?? a.suite}, not ${this.suite.name}`);
    if (a.ciphertext.length !== this.suite.kem.ciphertextBytes)
      throw new MeshError('bad_frame', 'ACCEPT.ciphertext has the wrong size for the suite');
  }

  private verifyResponderCertificate(): void {
    this.peer = verifyCertificate(this.accept.certificate, this.c.trust, this.c.now?.());
    if (this.peer.nodeId !== this.expectedPeer) {
      throw new MeshError('policy', `dialled ${this.expectedPeer} but the responder is ${this.peer.nodeId}`);
    }
  }

  private verifyResponderSignature(): void {
    const ok = this.c.protocol.verifyTranscriptSignature(
      this.suite.signer,
      identityKey(this.peer, this.suite),
      signed(RESPONDER_SIGNATURE_LABEL, this.transcript.current()),
      this.accept.signature,
    );
    if (!ok) throw new MeshError('bad_signature', `ACCEPT signature of ${this.peer.nodeId} does not verify`);
    this.transcript.add(encodeField(this.accept.signature));
  }

  private decapsulateAndDeriveSecrets(): void {
    const shared = this.suite.kem.decaps(this.ephemeralSecret, this.accept.ciphertext);
    this.secrets = deriveHandshakeSecrets(shared, this.transcript.current(), this.c.protocol.directionSecrets, this.c.protocol.extractKey);
  }

  /** A wrong MAC here means our decapsulation disagrees with their encapsulation. */
  private checkResponderConfirmation(): void {
    const expected = confirmationMac(this.secrets.responderConfirm, this.transcript.current());
    if (!macsEqual(expected, this.accept.mac)) throw new MeshError('decap_mismatch', 'ACCEPT key confirmation failed');
    this.transcript.add(encodeField(this.accept.mac));
  }

  private sendFinish(): HandshakeResult {
    const signature = this.suite.signer.sign(
      secretKey(this.c.identity, this.suite),
      signed(INITIATOR_SIGNATURE_LABEL, this.transcript.current()),
      this.draw,
    );
    this.transcript.add(encodeField(signature));
    const mac = confirmationMac(this.secrets.initiatorConfirm, this.transcript.current());
    this.transcript.add(encodeField(mac));
    this.conn.send(FrameType.FINISH, encodeFinish({ signature, mac }));
    return {
      role: 'initiator',
      peer: this.peer,
      suite: this.suite,
      sessionId: this.secrets.sessionId,
      sendSecret: this.secrets.initiatorToResponder,
      recvSecret: this.secrets.responderToInitiator,
      transcriptHash: this.transcript.current(),
    };
  }
}

// ---- Responder -------------------------------------------------------------

class ResponderHandshake {
  private readonly transcript = new Transcript();
  private hello!: Hello;
  private peer!: Certificate;
  private suite!: CipherSuite;
  private shared!: Uint8Array;
  private ciphertext!: Uint8Array;
  private secrets!: HandshakeSecrets;
  private readonly draw: DrawRandom;

  constructor(
    private readonly c: HandshakeConfig,
    private readonly conn: HandshakeConn,
  ) {
    this.draw = drawFor(c);
  }

  async run(): Promise<HandshakeResult> {
    await this.readHello();
    this.admitHello();
    this.verifyInitiatorCertificate();
    this.chooseSuite();
    this.encapsulate();
    this.sendAccept();
    await this.readFinish();
    return this.result();
  }

  private async readHello(): Promise<void> {
    const body = await expect(this.conn, FrameType.HELLO, 'HELLO');
    this.hello = decodeHello(body);
    this.transcript.add(body);
  }

  /** Cost budget before any public-key operation; the claim is unverified, so it only picks the bucket. */
  private admitHello(): void {
    if (!this.c.admitHello) return;
    let claimed: string | undefined;
    try {
      claimed = decodeCertificate(this.hello.certificate).nodeId;
    } catch {
      claimed = undefined; // verifyInitiatorCertificate names the problem
    }
    this.c.admitHello(claimed !== undefined && this.c.isPeer(claimed) ? claimed : undefined);
  }

  /** Certificate first: nothing costly happens for a node outside the mesh. */
  private verifyInitiatorCertificate(): void {
    this.peer = verifyCertificate(this.hello.certificate, this.c.trust, this.c.now?.());
    if (this.peer.nodeId === this.c.identity.certificate.nodeId) throw new MeshError('policy', 'a node cannot connect to itself');
    if (!this.c.isPeer(this.peer.nodeId)) throw new MeshError('policy', `${this.peer.nodeId} is not a configured peer`);
  }

  /**
   * The key share is for the first offered suite, so that is the only one we
   * can pick. A classical suite ahead of a post-quantum suite we both run is
   * a reordered offer: refuse it as a downgrade rather than as policy.
   */
  private chooseSuite(): void {
    if (!this.hello.versions.includes(PROTOCOL_VERSION))
      throw new MeshError('policy', `no common protocol version in ${this.hello.versions.join(',')}`);
    const offered = this.hello.suites.map((id) => cipherSuiteName(id)).map((n) => (n ? this.c.suites.get(n) : undefined));
    const first = offered[0];
    if (first?.classical && offered.some((s) => s && !s.classical && this.c.accepts(s, this.peer.nodeId))) {
      throw new MeshError('downgrade', `classical ${first.name} offered ahead of a post-quantum suite`);
    }
    if (!first || !this.c.accepts(first, this.peer.nodeId)) {
      throw new MeshError('policy', `first offered suite ${first?.name ?? this.hello.suites[0]} is not acceptable`);
    }
    if (this.hello.keyShare.length !== first.kem.shareBytes)
      throw new MeshError('bad_frame', 'HELLO.keyShare has the wrong size for the suite');
    this.suite = first;
  }

  private encapsulate(): void {
    const { ciphertext, secret } = this.suite.kem.encaps(this.hello.keyShare, this.draw);
    this.shared = secret;
    this.ciphertext = ciphertext;
  }

  /** ACCEPT: signature over the transcript, then keys salted with it, then the MAC. */
  private sendAccept(): void {
    const core = {
      version: PROTOCOL_VERSION,
      suite: this.suite.id,
      offeredVersions: this.hello.versions,
      offeredSuites: this.hello.suites,
      certificate: this.c.identity.certificate.encoded,
      ciphertext: this.ciphertext,
      nonce: this.draw(32, 'nonce'),
    };
    this.transcript.add(encodeAcceptCore(core));
    const signature = this.suite.signer.sign(
      secretKey(this.c.identity, this.suite),
      signed(RESPONDER_SIGNATURE_LABEL, this.transcript.current()),
      this.draw,
    );
    this.transcript.add(encodeField(signature));
    this.secrets = deriveHandshakeSecrets(
      this.shared,
      this.transcript.current(),
      this.c.protocol.directionSecrets,
      this.c.protocol.extractKey,
    );
    const mac = confirmationMac(this.secrets.responderConfirm, this.transcript.current());
    this.transcript.add(encodeField(mac));
    this.conn.send(FrameType.ACCEPT, encodeAccept({ ...core, signature, mac }));
  }

  private async readFinish(): Promise<void> {
    const finish = decodeFinish(await expect(this.conn, FrameType.FINISH, 'FINISH'));
    const ok = this.c.protocol.verifyTranscriptSignature(
      this.suite.signer,
      identityKey(this.peer, this.suite),
      signed(INITIATOR_SIGNATURE_LABEL, this.transcript.current()),
      finish.signature,
    );
    if (!ok) throw new MeshError('bad_signature', `FINISH signature of ${this.peer.nodeId} does not verify`);
    this.transcript.add(encodeField(finish.signature));
    const expected = confirmationMac(this.secrets.initiatorConfirm, this.transcript.current());
    if (!macsEqual(expected, finish.mac)) throw new MeshError('decap_mismatch', 'FINISH key confirmation failed');
    this.transcript.add(encodeField(finish.mac));
  }

  private result(): HandshakeResult {
    return {
      role: 'responder',
      peer: this.peer,
      suite: this.suite,
      sessionId: this.secrets.sessionId,
      sendSecret: this.secrets.responderToInitiator,
      recvSecret: this.secrets.initiatorToResponder,
      transcriptHash: this.transcript.current(),
    };
  }
}

function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new MeshError('timeout', `handshake did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

/** Runs the initiator side; the caller closes the connection on any rejection. */
export function initiate(c: HandshakeConfig, conn: HandshakeConn, expectedPeer: string): Promise<HandshakeResult> {
  return withDeadline(new InitiatorHandshake(c, conn, expectedPeer).run(), c.timeoutMs);
}

export function respond(c: HandshakeConfig, conn: HandshakeConn): Promise<HandshakeResult> {
  return withDeadline(new ResponderHandshake(c, conn).run(), c.timeoutMs);
}
