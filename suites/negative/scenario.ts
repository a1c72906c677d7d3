// One negative scenario: a handshake between two nodes running the subject
// (protocol seams and crypto backend under test) with the attacker in the
// path, then optionally records through the channel. Each side's outcome is
// `ok` or the reason it failed with; a failing side sends ALERT {reason}, as
// a node's connection does, so the other side's reason shows what it was told.
import type { CryptoBackend } from '../../src/crypto/backend.ts';
import { createCa, issueNode, trustAnchor, type Identity } from '../../src/mesh/protocol/certificate.ts';
import { bindCipherSuites, type CipherSuite, type CipherSuiteName } from '../../src/mesh/protocol/ciphersuites.ts';
import { reasonOf, type FailureReason } from '../../src/mesh/protocol/errors.ts';
import { initiate, respond, type HandshakeConfig, type HandshakeConn, type HandshakeResult } from '../../src/mesh/protocol/handshake.ts';
import type { RandomSource } from '../../src/mesh/protocol/randomness.ts';
import type { MeshProtocol } from '../../src/mesh/protocol/seams.ts';
import { FrameType, encodeAlert } from '../../src/mesh/protocol/wire.ts';
import type { Attacker } from './attacker/attacker.ts';

/** What the negative suites run against: one node's protocol seams and backend. */
export interface Subject {
  protocol: MeshProtocol;
  backend: CryptoBackend;
  /**
   * The backend for sweeps of thousands of handshakes (negative/lengths in
   * release): the run's liboqs when it has one, else `backend`. A length sweep
   * tests the protocol's length checks, not the backend's arithmetic, and
   * pure-JS ML-DSA would make it 13 times slower (docs/negative.md).
   */
  sweepBackend?: CryptoBackend;
  /** A ControlProtocol module (absolute path) the real node processes of the byzantine checks run; unset: the reference. */
  controlModule?: string;
  /**
   * The `--node-command` template the real-node checks start every node
   * process with (docs/node-contract.md §1); unset: the reference node.
   */
  nodeCommand?: string;
}

export interface Pki {
  ca: Identity;
  alice: Identity;
  bob: Identity;
  /** A member of the mesh, trusted but not the peer either side wants. */
  mallory: Identity;
  /** Valid but issued by another CA: the attacker's own identity. */
  outsider: Identity;
  /** Issued by the mesh CA but configured as nobody's peer. */
  carol: Identity;
  /** Alice's key under a certificate that expired yesterday. */
  expiredAlice: Identity;
}

const pkis = new Map<string, Pki>();

/** One CA and its members per backend name, made once per process (ML-DSA keygen is not free). */
export function pkiFor(backend: CryptoBackend): Pki {
  let p = pkis.get(backend.name);
  if (!p) {
    const ca = createCa('negative-mesh', backend);
    const otherCa = createCa('attacker-mesh', backend);
    p = {
      ca,
      alice: issueNode(ca, 'alice', backend),
      bob: issueNode(ca, 'bob', backend),
      mallory: issueNode(ca, 'mallory', backend),
      outsider: issueNode(otherCa, 'bob', backend),
      carol: issueNode(ca, 'carol', backend),
      expiredAlice: issueNode(ca, 'alice', backend, 1, Date.now() - 3 * 86_400_000),
    };
    pkis.set(backend.name, p);
  }
  return p;
}

export type Outcome = 'ok' | FailureReason;

export interface SideOptions {
  offer?: readonly CipherSuiteName[];
  accepts?: (s: CipherSuite, peer: string) => boolean;
  identity?: Identity;
  /** Fault injection on this side's bound suites (e.g. a KEM returning a wrong secret). */
  suites?: (s: Map<CipherSuiteName, CipherSuite>) => Map<CipherSuiteName, CipherSuite>;
  /** This side's randomness source (default: the system one); the rng-failure checks make it fail. */
  random?: RandomSource;
}

export interface HandshakeRun {
  initiator: Outcome;
  responder: Outcome;
  sessions: { initiator?: HandshakeResult; responder?: HandshakeResult };
  attacker: Attacker;
}

/** Deadline per side: long enough for ML-DSA on a loaded box, short enough for a blackhole check. */
export const NEGATIVE_TIMEOUT_MS = 1500;

/** One side's handshake configuration: `identity` running the subject, as changed by `o`. */
export function sideConfig(subject: Subject, pki: Pki, identity: Identity, o: SideOptions, timeoutMs: number): HandshakeConfig {
  return {
    identity: o.identity ?? identity,
    trust: trustAnchor(pki.ca.certificate, subject.backend),
    suites: (o.suites ?? ((m) => m))(bindCipherSuites(subject.backend)),
    offer: o.offer ?? ['XWING-MLDSA65'],
    accepts: o.accepts ?? ((s) => !s.classical),
    isPeer: (id) => id === 'alice' || id === 'bob' || id === 'mallory',
    protocol: subject.protocol,
    timeoutMs,
    random: o.random,
  };
}

async function settle(work: Promise<HandshakeResult>, conn: HandshakeConn): Promise<Outcome | HandshakeResult> {
  try {
    return await work;
  } catch (e) {
    const reason = reasonOf(e);
    // Tell the peer, as the node's connection does; an alert the peer sent us is not echoed back.
    if (!(e instanceof Error && e.message.includes('peer alert')))
      conn.send(FrameType.ALERT, encodeAlert({ reason, message: (e as Error).message }));
    return reason;
  }
}

export interface HandshakeSetup {
  attacker: Attacker;
  initiator?: SideOptions;
  responder?: SideOptions;
  timeoutMs?: number;
}

/** Alice dials Bob through the attacker. */
export async function attackedHandshake(subject: Subject, s: HandshakeSetup): Promise<HandshakeRun> {
  const pki = pkiFor(subject.backend);
  const { initiator: ci, responder: cr } = s.attacker.conns();
  const timeout = s.timeoutMs ?? NEGATIVE_TIMEOUT_MS;
  const [i, r] = await Promise.all([
    settle(initiate(sideConfig(subject, pki, pki.alice, s.initiator ?? {}, timeout), ci, 'bob'), ci),
    settle(respond(sideConfig(subject, pki, pki.bob, s.responder ?? {}, timeout), cr), cr),
  ]);
  // A side that completed and was then sent an ALERT (a FINISH the responder refused) closes with that reason at once.
  const outcome = (x: Outcome | HandshakeResult, end: 'initiator' | 'responder'): Outcome =>
    typeof x === 'string' ? x : (s.attacker.closedWith(end)?.reason ?? 'ok');
  return {
    initiator: outcome(i, 'initiator'),
    responder: outcome(r, 'responder'),
    sessions: { initiator: typeof i === 'string' ? undefined : i, responder: typeof r === 'string' ? undefined : r },
    attacker: s.attacker,
  };
}
