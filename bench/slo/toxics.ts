// Links through Toxiproxy: every node reaches each peer through its own
// proxy (one per directed link), with a latency+jitter toxic on both
// streams. TOXIPROXY_URL names a real Toxiproxy; else the embedded server runs.
import { readFileSync, writeFileSync } from 'node:fs';
import { Toxiproxy } from 'toxiproxy-node-client';
import { parse, stringify } from 'yaml';
import { startToxiproxyServer, type ToxiproxyServer } from '../../chaos/toxiproxy/index.ts';
import type { MeshNodeSpec } from '../../src/mesh/node/launcher.ts';

export interface LinkToxics {
  /** Added per direction, so a round trip gains twice this. */
  latencyMs: number;
  jitterMs: number;
}

export interface ToxicLinks {
  url: string;
  proxies: number;
  close(): Promise<void>;
}

/** Creates the proxies and rewrites each config's peer addresses to go through them. */
export async function routeThroughToxiproxy(specs: readonly MeshNodeSpec[], toxics: LinkToxics): Promise<ToxicLinks> {
  let embedded: ToxiproxyServer | undefined;
  const url = process.env.TOXIPROXY_URL ?? (embedded = await startToxiproxyServer({ port: 0 })).url;
  const client = new Toxiproxy(url);
  const listenOf = new Map(specs.map((s) => [s.id, s.listen]));
  let proxies = 0;
  for (const s of specs) {
    const doc = parse(readFileSync(s.config, 'utf8')) as { peers: { id: string; address: string }[] };
    for (const peer of doc.peers) {
      const upstream = listenOf.get(peer.id);
      if (!upstream) throw new Error(`${s.config}: peer ${peer.id} is not in the mesh`);
      const proxy = await client.createProxy({ name: `slo-${s.id}-to-${peer.id}`, listen: '127.0.0.1:0', upstream });
      for (const stream of ['upstream', 'downstream'] as const)
        await proxy.addToxic({
          name: `latency_${stream}`,
          type: 'latency',
          stream,
          toxicity: 1,
          attributes: { latency: toxics.latencyMs, jitter: toxics.jitterMs },
        });
      peer.address = proxy.listen;
      proxies++;
    }
    writeFileSync(s.config, stringify(doc));
  }
  return {
    url,
    proxies,
    close: async () => {
      if (embedded) await embedded.close();
      else for (const p of Object.values(await client.getAll())) if (p.name.startsWith('slo-')) await p.remove();
    },
  };
}
