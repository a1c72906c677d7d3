// Mutant: gossip freshness checks the sequence window but not the timestamp
// skew, so a message signed long ago (or dated in the future) is believed.
import { GossipReceiver, type SignedGossip } from '../../../src/mesh/control/gossip.ts';
import type { Checked } from '../../../src/mesh/control/members.ts';
import { referenceControl, type ControlProtocol } from '../../../src/mesh/control/seams.ts';

class IgnoresTimestamps extends GossipReceiver {
  protected override freshness(m: SignedGossip): Checked<SignedGossip> {
    return super.freshness({ ...m, timestamp: this.opts.clock.now() });
  }
}

const mutant: ControlProtocol = { ...referenceControl, name: 'mutant:ignores-timestamps', gossipReceiver: (o) => new IgnoresTimestamps(o) };
export default mutant;
