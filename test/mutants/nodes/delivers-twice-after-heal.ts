// Mutant node command: after a session to a peer comes up again (a heal, a
// reconnect), every new message from that peer is handed to the application
// twice (a replayed-buffer bug on the receiving side). chaos/split-brain
// must find them duplicated.
//   node --import tsx test/mutants/nodes/delivers-twice-after-heal.ts --config {config}
import { Inbox, type Delivered } from '../../../src/mesh/node/inbox.ts';
import { Peer } from '../../../src/mesh/node/peer.ts';
import type { Session } from '../../../src/mesh/node/session.ts';
import type { MessageId } from '../../../src/mesh/protocol/messages.ts';
import { runReferenceNode } from './run-reference.ts';

const attachedOnce = new WeakSet<Peer>();
const reconnected = new Set<string>();
const attach = Peer.prototype.attach;
Peer.prototype.attach = function (this: Peer, session: Session): void {
  if (attachedOnce.has(this)) reconnected.add(this.id);
  attachedOnce.add(this);
  attach.call(this, session);
};

const deliver = Inbox.prototype.deliver;
Inbox.prototype.deliver = function (this: Inbox, from: string, id: MessageId, payload: Uint8Array) {
  const r = deliver.call(this, from, id, payload);
  if (r === 'delivered' && reconnected.has(from)) {
    const log = (this as unknown as { log: Delivered[] }).log;
    log.push(log[log.length - 1]);
  }
  return r;
};

await runReferenceNode();
