// A man in the middle for handshake tests: frames from one side are decoded,
// optionally rewritten, and forwarded to the other.
import { MeshError } from '../../src/mesh/protocol/errors.ts';
import type { FramedConnection } from '../../src/mesh/node/connection.ts';
import type { Frame } from '../../src/mesh/protocol/wire.ts';
import { framedPair } from './pipe.ts';

export type Tamper = (frame: Frame, direction: 'i2r' | 'r2i') => Frame | undefined;

export async function relayed(tamper: Tamper): Promise<{ initiator: FramedConnection; responder: FramedConnection; close(): void }> {
  const left = await framedPair();
  const right = await framedPair();
  const mitmFromI = left.responder;
  const mitmToR = right.initiator;
  const forward = (from: FramedConnection, to: FramedConnection, dir: 'i2r' | 'r2i') => {
    from.setHandler((f) => {
      const out = tamper(f, dir);
      if (out) to.send(out.type, out.body);
    });
  };
  // Alerts and closes pass through, as they would through a TCP-level attacker.
  const propagate = (from: FramedConnection, to: FramedConnection) =>
    from.onClose((c) => (c.reason === 'closed' || c.reason === 'peer_closed' ? to.close() : to.fail(new MeshError(c.reason, c.message))));
  propagate(mitmFromI, mitmToR);
  propagate(mitmToR, mitmFromI);
  forward(mitmFromI, mitmToR, 'i2r');
  forward(mitmToR, mitmFromI, 'r2i');
  return {
    initiator: left.initiator,
    responder: right.responder,
    close: () => {
      left.close();
      right.close();
    },
  };
}
