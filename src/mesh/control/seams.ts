// The seams of the reference control plane. Production code uses
// `referenceControl`; the mutants in test/mutants/control/ each replace one
// factory with a subclass that changes one method, so a seeded defect never
// needs a configuration switch.
import { GossipReceiver, type GossipReceiverOptions } from './gossip.ts';
import { QuorumNode, type QuorumOptions } from './quorum.ts';

export interface ControlProtocol {
  readonly name: string;
  gossipReceiver(opts: GossipReceiverOptions): GossipReceiver;
  quorumNode(opts: QuorumOptions): QuorumNode;
}

export const referenceControl: ControlProtocol = {
  name: 'reference',
  gossipReceiver: (opts) => new GossipReceiver(opts),
  quorumNode: (opts) => new QuorumNode(opts),
};
