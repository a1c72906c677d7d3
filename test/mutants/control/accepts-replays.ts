// Mutant: gossip freshness checks only the timestamp, never the origin's
// sequence window, so a captured message is believed again and again.
import { GossipReceiver, type SignedGossip } from '../../../src/mesh/control/gossip.ts';
import { refuse, type Checked } from '../../../src/mesh/control/members.ts';
import { referenceControl, type ControlProtocol } from '../../../src/mesh/control/seams.ts';

class AcceptsReplays extends GossipReceiver {
  protected override freshness(m: SignedGossip): Checked<SignedGossip> {
    const skew = m.timestamp - this.opts.clock.now();
    if (Math.abs(skew) > this.opts.maxSkewMs) return refuse('stale_timestamp', `skew ${skew} ms`);
    return { ok: true, value: m };
  }
}

const mutant: ControlProtocol = { ...referenceControl, name: 'mutant:accepts-replays', gossipReceiver: (o) => new AcceptsReplays(o) };
export default mutant;
