// Mutant: the gossip receiver records the claimed origin's sequence number
// and standing before it checks the signature, and charges a failed check
// to the claimed origin (the upstream defect: reputation changed by bytes
// nobody verified). One forged message with a high sequence number then
// silences the honest origin.
import { GossipReceiver, type GossipOutcome } from '../../../src/mesh/control/gossip.ts';
import { referenceControl, type ControlProtocol } from '../../../src/mesh/control/seams.ts';

class UpdatesBeforeVerifying extends GossipReceiver {
  override receive(bytes: Uint8Array, via: string): GossipOutcome {
    const m = this.decode(bytes);
    if (!m.ok) return this.drop(m, via);
    const fresh = this.freshness(m.value);
    if (!fresh.ok) return this.drop(fresh, via, m.value.origin);
    this.admit(m.value);
    const auth = this.authenticate(m.value);
    if (!auth.ok) {
      this.standing(m.value.origin).accepted -= 2;
      return this.drop(auth, via, m.value.origin);
    }
    return { accepted: true, message: m.value };
  }
}

const mutant: ControlProtocol = {
  ...referenceControl,
  name: 'mutant:updates-before-verifying',
  gossipReceiver: (o) => new UpdatesBeforeVerifying(o),
};
export default mutant;
