// Two in-memory handshake connections joined back to back, with an optional
// rewriting hop between them (a man in the middle that sees every frame).
// The protocol checks and the project's tests use this one pair; sockets are
// not needed to judge the handshake and channel code.
import type { HandshakeConn } from '../../src/mesh/protocol/handshake.ts';
import { MeshError } from '../../src/mesh/protocol/errors.ts';
import type { Frame, FrameType } from '../../src/mesh/protocol/wire.ts';

export type Rewrite = (frame: Frame, index: number) => Frame;

export interface MemoryPair {
  initiator: HandshakeConn;
  responder: HandshakeConn;
  /** Closes one end: the other end's pending and later receives fail with peer_closed. */
  close(side: 'initiator' | 'responder', why: string): void;
}

interface End {
  deliver(f: Frame): void;
  close(e: MeshError): void;
  receive(): Promise<Frame>;
}

function end(): End {
  const inbox: Frame[] = [];
  let closed: MeshError | undefined;
  let waiting: { resolve(f: Frame): void; reject(e: unknown): void } | undefined;
  return {
    deliver(f) {
      if (!waiting) return void inbox.push(f);
      const w = waiting;
      waiting = undefined;
      w.resolve(f);
    },
    close(e) {
      closed ??= e;
      if (!waiting) return;
      const w = waiting;
      waiting = undefined;
      w.reject(e);
    },
    receive() {
      const f = inbox.shift();
      if (f) return Promise.resolve(f);
      if (closed) return Promise.reject(closed);
      return new Promise<Frame>((resolve, reject) => {
        waiting = { resolve, reject };
      });
    },
  };
}

export function memoryPair(rewrite?: Rewrite): MemoryPair {
  const i = end();
  const r = end();
  let index = 0;
  // Frames are copied so a sender reusing its buffer cannot change what was sent.
  const hop = (to: End) => (type: FrameType, body: Uint8Array) => {
    const frame = { type, body: Uint8Array.from(body) };
    to.deliver(rewrite ? rewrite(frame, index++) : frame);
  };
  return {
    initiator: { send: hop(r), receive: () => i.receive() },
    responder: { send: hop(i), receive: () => r.receive() },
    close(side, why) {
      (side === 'initiator' ? r : i).close(new MeshError('peer_closed', `${side} closed: ${why}`));
    },
  };
}
