// The link topology on a real (embedded or TOXIPROXY_URL) Toxiproxy: one
// proxy per directed link; a partition disables what it cuts both ways,
// blackholes a one-way cut, and a heal restores every link.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { partition, type Partition } from '../../chaos/nemesis/partition.ts';
import { seededRandom } from '../../chaos/nemesis/random.ts';
import { Topology } from '../../chaos/topology.ts';
import {
  openToxiproxySession,
  portOf,
  Probe,
  sleep,
  startEchoServer,
  type EchoServer,
  type ToxiproxySession,
} from '../support/toxiproxy.ts';

const IDS = ['a', 'b', 'c', 'd'];
let tp: ToxiproxySession;
let nodes: (EchoServer & { id: string })[];
let topo: Topology;

beforeAll(async () => {
  tp = await openToxiproxySession();
  nodes = await Promise.all(IDS.map(async (id) => Object.assign(await startEchoServer(), { id })));
  topo = await Topology.create(
    tp.client,
    nodes.map((n) => ({ id: n.id, listen: n.address })),
    tp.name('topo'),
  );
});
afterAll(async () => {
  await topo?.close();
  await tp?.close();
  await Promise.all(nodes.map((n) => n.close()));
});

/** Does a round trip from `from` to `to` (over from's link) get through within the deadline? */
async function carries(from: string, to: string, ms = 400): Promise<boolean> {
  let probe: Probe;
  try {
    probe = await Probe.connect(portOf(topo.address(from, to)));
  } catch {
    return false;
  }
  try {
    await probe.roundTrip('x', ms);
    return true;
  } catch {
    return false;
  } finally {
    probe.destroy();
  }
}

describe('a topology of one proxy per directed link', () => {
  it('has N x (N-1) proxies, each reaching its node', async () => {
    expect(topo.size).toBe(12);
    for (const a of IDS) for (const b of IDS) if (a !== b) expect(await carries(a, b), `${a}->${b}`).toBe(true);
  });

  it('a halves partition cuts exactly the links between the sides, and the heal restores them', async () => {
    const p: Partition = partition('halves', IDS, seededRandom(3));
    const [left, right] = p.components;
    await topo.apply({ op: 'partition', partition: p });
    for (const a of left) for (const b of right) expect(await carries(a, b), `${a}->${b}`).toBe(false);
    expect(await carries(left[0], left[1])).toBe(true);
    expect(await carries(right[1], right[0])).toBe(true);
    await topo.apply({ op: 'heal' });
    for (const a of left) for (const b of right) expect(await carries(a, b), `${a}->${b}`).toBe(true);
  });

  it('a one-way cut blackholes one direction on an open connection and leaves the other', async () => {
    const p: Partition = { spec: 'one-way', components: [IDS], cut: [{ from: 'a', to: 'b' }] };
    const probe = await Probe.connect(portOf(topo.address('a', 'b')));
    await topo.apply({ op: 'partition', partition: p });
    probe.write('lost');
    await sleep(300);
    expect(probe.received).toBe(0);
    expect(probe.closeInfo).toBeUndefined();
    expect(await carries('b', 'c')).toBe(true);
    await topo.apply({ op: 'heal' });
    probe.destroy();
    expect(await carries('a', 'b')).toBe(true);
  });

  it('link faults apply to both carriers of a link and clear-toxics removes only them', async () => {
    await topo.apply({ op: 'reset-peer', links: [{ from: 'c', to: 'd' }] });
    expect(await carries('c', 'd')).toBe(false);
    expect(await carries('d', 'c')).toBe(false);
    expect(await carries('a', 'd')).toBe(true);
    await topo.apply({ op: 'clear-toxics' });
    expect(await carries('c', 'd')).toBe(true);
  });
});
