// Two established sessions over real loopback TCP, the attacker in the path
// (attacker/tcp.ts): Alice dials the attacker, which relays to Bob's
// listener; each side runs the node's own FramedConnection and Session with
// the subject's protocol seams, so what a node does with frames after the
// handshake (sealed alerts, cleartext ones, records) is what is tested.
import { connect, createServer, type Server } from 'node:net';
import { initiate, respond } from '../../src/mesh/protocol/handshake.ts';
import { FramedConnection, type CloseInfo } from '../../src/mesh/node/connection.ts';
import { Session, type SessionEvents } from '../../src/mesh/node/session.ts';
import { Attacker } from './attacker/attacker.ts';
import { TcpAttacker } from './attacker/tcp.ts';
import { NEGATIVE_TIMEOUT_MS, pkiFor, sideConfig, type Subject } from './scenario.ts';

export interface TcpEnd {
  session: Session;
  /** Resolves with how the session closed. */
  closed: Promise<CloseInfo>;
  received: string[];
}

export interface TcpSessions {
  initiator: TcpEnd;
  responder: TcpEnd;
  tcp: TcpAttacker;
  attacker: Attacker;
  close(): Promise<void>;
}

/** Rekeying and liveness far enough away that only the attack closes a session within a check. */
const QUIET = { rekey: { afterFrames: 1_000_000, afterMs: 600_000 }, liveness: { heartbeatMs: 1000, deadPeerMs: 10_000 } };

function end(conn: FramedConnection, result: Awaited<ReturnType<typeof initiate>>, s: Subject): TcpEnd {
  const received: string[] = [];
  let onClosed!: (c: CloseInfo) => void;
  const closed = new Promise<CloseInfo>((r) => {
    onClosed = r;
  });
  const events: SessionEvents = {
    application: (_s, data) => received.push(new TextDecoder().decode(data)),
    keyUpdated: () => undefined,
    closed: (_s, info) => onClosed(info),
  };
  return { session: new Session(conn, result, s.protocol, QUIET.rekey, QUIET.liveness, events), closed, received };
}

/** Alice and Bob, both running the subject, with one session between them through `attacker`. */
export async function tcpSessions(s: Subject, attacker = new Attacker()): Promise<TcpSessions> {
  const pki = pkiFor(s.backend);
  let responder!: Promise<TcpEnd>;
  const listener: Server = createServer((socket) => {
    const conn = new FramedConnection(socket);
    responder = respond(sideConfig(s, pki, pki.bob, {}, NEGATIVE_TIMEOUT_MS), conn).then((r) => end(conn, r, s));
    // Awaited below once the initiator is through; when the initiator fails first, nobody awaits it, and its
    // rejection must not surface as an unhandled one (in a worker that ends the process).
    responder.catch(() => undefined);
  });
  await new Promise<void>((r) => listener.listen(0, '127.0.0.1', r));
  const tcp = await TcpAttacker.start((listener.address() as { port: number }).port, () => attacker);
  const close = async () => {
    await tcp.close();
    await new Promise<void>((r) => listener.close(() => r()));
  };
  try {
    const conn = new FramedConnection(connect(tcp.port, '127.0.0.1'));
    const initiator = end(conn, await initiate(sideConfig(s, pki, pki.alice, {}, NEGATIVE_TIMEOUT_MS), conn, 'bob'), s);
    await tcp.link(0);
    return { initiator, responder: await responder, tcp, attacker, close };
  } catch (e) {
    await close();
    throw e;
  }
}

/** A session's close, or `open` when it has not closed within `ms`. */
export function closedWithin(e: TcpEnd, ms: number): Promise<CloseInfo | 'open'> {
  return Promise.race([e.closed, new Promise<'open'>((r) => setTimeout(() => r('open'), ms).unref())]);
}
