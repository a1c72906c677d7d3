// Holds the nodes' listen ports while the proxies are created. prepareMesh
// picks free ports and releases them; a proxy bound to port 0 right after
// can be handed one of them by the kernel, and that node then cannot listen
// (seen as exit 2, "cannot listen on 127.0.0.1:P", in a reset-storm run).
import { createServer, type Server } from 'node:net';

export async function whileHoldingPorts<T>(addresses: readonly string[], work: () => Promise<T>): Promise<T> {
  const servers: Server[] = [];
  try {
    for (const a of addresses) {
      const i = a.lastIndexOf(':');
      const s = createServer();
      // A port someone else took meanwhile is not ours to hold: the node will report it.
      await new Promise<void>((r) => s.once('error', () => r()).listen(Number(a.slice(i + 1)), a.slice(0, i), () => r()));
      if (s.listening) servers.push(s);
    }
    return await work();
  } finally {
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  }
}
