// One Toxiproxy proxy per directed link: node `a` dials node `b` through
// proxy a->b, so any partition is a set of proxies to disable or poison.
// Traffic from a to b flows upstream through a->b (on a's connection) and
// downstream through b->a (on b's), so a fault on "a to b" touches both.
import type { Proxy as ToxiproxyProxy, Toxiproxy } from 'toxiproxy-node-client';
import type { NemesisAction } from './nemesis/schedule.ts';
import type { Link, NodeId } from './nemesis/partition.ts';

export interface NodeEndpoint {
  id: NodeId;
  /** Where the node really listens, host:port. */
  listen: string;
}

/** Toxics the nemesis adds are named with this prefix, so clear-toxics removes exactly them. */
const NEMESIS = 'nemesis';
const CUT = 'cut';

/** One directed link's proxy: node `from` dials `listen` to reach `to`, which Toxiproxy forwards to `upstream`. */
export interface ProxyLink extends Link {
  listen: string;
  upstream: string;
}

type LinkAction = Exclude<NemesisAction, { op: 'kill' } | { op: 'restart' }>;

export function isLinkAction(a: NemesisAction): a is LinkAction {
  return a.op !== 'kill' && a.op !== 'restart';
}

export class Topology {
  /** Names of the toxics this topology added, per proxy name (the client cannot list them). */
  private readonly toxics = new Map<string, Set<string>>();

  private constructor(
    private readonly proxies: Map<string, ToxiproxyProxy>,
    private readonly prefix: string,
  ) {}

  /** Creates N x (N-1) proxies on free loopback ports (run.ts holds the nodes' ports meanwhile: hold-ports.ts). */
  static create(client: Toxiproxy, nodes: readonly NodeEndpoint[], prefix = `mesh${process.pid}`): Promise<Topology> {
    const links = nodes.flatMap((a) => nodes.filter((b) => b.id !== a.id).map((b) => ({ from: a.id, to: b.id, upstream: b.listen })));
    return Topology.fromLinks(
      client,
      links.map((l) => ({ ...l, listen: '127.0.0.1:0' })),
      prefix,
    );
  }

  /**
   * Creates the given proxies (a --mesh file's, on the user's Toxiproxy). With
   * `replaceStale`, a proxy of the same name is a leftover of an interrupted
   * run (the names are the harness's own) and is removed first: it holds the
   * listen address the new one needs.
   */
  static async fromLinks(client: Toxiproxy, links: readonly ProxyLink[], prefix: string, replaceStale = false): Promise<Topology> {
    const proxies = new Map<string, ToxiproxyProxy>();
    const t = new Topology(proxies, prefix);
    try {
      for (const l of links) {
        const name = t.proxyName(l.from, l.to);
        if (replaceStale)
          await client.get(name).then(
            (p) => p.remove(),
            () => undefined,
          );
        const p = await client.createProxy({ name, listen: l.listen, upstream: l.upstream }).catch((e: Error) => {
          throw new Error(`cannot create proxy ${name} (listen ${l.listen}, upstream ${l.upstream}): ${e.message}`);
        });
        proxies.set(linkKey(l), p);
      }
    } catch (e) {
      await t.close();
      throw e;
    }
    return t;
  }

  proxyName(from: NodeId, to: NodeId): string {
    return `${this.prefix}_${from}_${to}`;
  }

  get size(): number {
    return this.proxies.size;
  }

  /** The address node `from` must dial to reach node `to`. */
  address(from: NodeId, to: NodeId): string {
    return this.proxy(from, to).listen;
  }

  private proxy(from: NodeId, to: NodeId): ToxiproxyProxy {
    const p = this.proxies.get(linkKey({ from, to }));
    if (!p) throw new Error(`no proxy for link ${from}->${to}`);
    return p;
  }

  /** The two (proxy, stream) places that carry traffic from a to b. */
  private carriers(l: Link): { proxy: ToxiproxyProxy; stream: 'upstream' | 'downstream' }[] {
    return [
      { proxy: this.proxy(l.from, l.to), stream: 'upstream' },
      { proxy: this.proxy(l.to, l.from), stream: 'downstream' },
    ];
  }

  private async toxic(l: Link, name: string, type: string, attributes: Record<string, number>): Promise<void> {
    for (const { proxy, stream } of this.carriers(l)) {
      const full = `${name}_${stream}`;
      const added = this.toxics.get(proxy.name) ?? new Set<string>();
      // The same fault twice on one carrier (a link and its reverse both hit) is one toxic.
      if (added.has(full)) continue;
      await proxy.addToxic({ name: full, type: type as never, stream, toxicity: 1, attributes });
      added.add(full);
      this.toxics.set(proxy.name, added);
    }
  }

  async apply(action: LinkAction): Promise<void> {
    switch (action.op) {
      case 'partition': {
        const cut = new Set(action.partition.cut.map(linkKey));
        for (const l of action.partition.cut) {
          // Both directions cut: disable the pair's proxies, which also drops open connections.
          if (cut.has(linkKey({ from: l.to, to: l.from }))) await this.setEnabled(l.from, l.to, false);
          // One direction only: blackhole it and keep the connection open (timeout 0 holds the data).
          else await this.toxic(l, `${CUT}_${l.from}_${l.to}`, 'timeout', { timeout: 0 });
        }
        return;
      }
      case 'heal':
        for (const [k, p] of this.proxies) {
          const [from, to] = k.split('\u0000');
          if (!p.enabled) await this.setEnabled(from, to, true);
        }
        await this.removeToxics(CUT);
        return;
      case 'clear-toxics':
        return this.removeToxics(NEMESIS);
      case 'latency':
        for (const l of action.links)
          await this.toxic(l, `${NEMESIS}_latency`, 'latency', { latency: action.latencyMs, jitter: action.jitterMs });
        return;
      case 'bandwidth':
        for (const l of action.links) await this.toxic(l, `${NEMESIS}_bandwidth`, 'bandwidth', { rate: action.rateKBps });
        return;
      case 'reset-peer':
        for (const l of action.links) await this.toxic(l, `${NEMESIS}_reset`, 'reset_peer', { timeout: 0 });
        return;
      case 'slicer':
        for (const l of action.links)
          await this.toxic(l, `${NEMESIS}_slicer`, 'slicer', {
            average_size: action.averageSize,
            size_variation: action.sizeVariation,
            delay: action.delayUs,
          });
        return;
      case 'limit-data':
        for (const l of action.links) await this.toxic(l, `${NEMESIS}_limit`, 'limit_data', { bytes: action.bytes });
        return;
    }
  }

  private async setEnabled(from: NodeId, to: NodeId, enabled: boolean): Promise<void> {
    for (const [a, b] of [
      [from, to],
      [to, from],
    ]) {
      const k = linkKey({ from: a, to: b });
      const p = this.proxies.get(k);
      if (p && p.enabled !== enabled) this.proxies.set(k, await p.update({ enabled, listen: p.listen, upstream: p.upstream }));
    }
  }

  private async removeToxics(prefix: string): Promise<void> {
    for (const p of this.proxies.values()) {
      const added = this.toxics.get(p.name);
      for (const name of [...(added ?? [])].filter((n) => n.startsWith(prefix))) {
        await (await p.getToxic(name)).remove();
        added?.delete(name);
      }
    }
  }

  /** Removes every proxy this topology created. */
  async close(): Promise<void> {
    for (const p of this.proxies.values()) await p.remove().catch(() => undefined);
    this.proxies.clear();
  }
}

const linkKey = (l: Link) => `${l.from}\u0000${l.to}`;
