// Mutant node command: when a session to a peer comes up again, the
// messages queued for that peer are dropped and their senders told they
// were acknowledged (a "flush the outbox on reconnect" bug). Acknowledged
// messages never arrive: chaos/split-brain must find them lost.
//   node --import tsx test/mutants/nodes/drops-queued-on-reconnect.ts --config {config}
import { Peer } from '../../../src/mesh/node/peer.ts';
import type { Session } from '../../../src/mesh/node/session.ts';
import { runReferenceNode } from './run-reference.ts';

interface Queued {
  resolve(): void;
}
const attached = new WeakSet<Peer>();
const attach = Peer.prototype.attach;
Peer.prototype.attach = function (this: Peer, session: Session): void {
  if (attached.has(this)) {
    const self = this as unknown as { outbox: Queued[]; outboxBytes: number };
    for (const p of self.outbox.splice(0)) p.resolve();
    self.outboxBytes = 0;
  }
  attached.add(this);
  attach.call(this, session);
};

await runReferenceNode();
