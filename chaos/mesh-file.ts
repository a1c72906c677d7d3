// `pqc-harness chaos --mesh FILE`: a mesh someone else started (containers, a
// Kubernetes deployment), described by a JSON file (docs/node-contract.md §9).
// The harness never spawns these nodes; it reaches each over its admin API
// and creates, on the user's Toxiproxy, the one proxy per directed link the
// file names (the address the node dials for that peer must lead there).
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../src/errors.ts';
import type { AdminTarget } from './scenario/admin.ts';
import type { ProxyLink } from './topology.ts';

/** host:port, the host a name, IPv4 or [IPv6]; port 1-65535. */
const hostPort = z
  .string()
  .regex(/^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+):(\d{1,5})$/, 'must be host:port')
  .refine((s) => {
    const port = Number(s.slice(s.lastIndexOf(':') + 1));
    return port >= 1 && port <= 65535;
  }, 'port must be 1-65535');

const nodeId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'must be a node id (letters, digits, ".", "_", "-")');

const linkSchema = z
  .object({
    /** Where the proxy for this directed link listens, on the Toxiproxy host (e.g. 0.0.0.0:21002). */
    listen: hostPort,
    /** Where Toxiproxy forwards to; default the peer's `listen`. */
    upstream: hostPort.optional(),
  })
  .strict();

const nodeSchema = z
  .object({
    id: nodeId,
    /** Base URL of the admin API as the harness reaches it. */
    admin: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).transform((u) => u.replace(/\/+$/, '')),
    adminToken: z.string().min(1).optional(),
    /** Relative to the mesh file. */
    adminTokenFile: z.string().min(1).optional(),
    /** Where the node accepts mesh connections, as Toxiproxy reaches it. */
    listen: hostPort,
    /** One entry per other node: the proxy this node's traffic to that peer goes through. */
    links: z.record(nodeId, linkSchema),
  })
  .strict()
  .superRefine((n, ctx) => {
    if (!n.adminToken === !n.adminTokenFile)
      ctx.addIssue({ code: 'custom', path: ['adminToken'], message: 'give exactly one of adminToken and adminTokenFile' });
    if (n.links[n.id]) ctx.addIssue({ code: 'custom', path: ['links', n.id], message: 'a node has no link to itself' });
  });

const meshSchema = z
  .object({
    version: z.literal(1).optional(),
    nodes: z.array(nodeSchema).min(2, 'a mesh needs at least 2 nodes'),
  })
  .strict()
  .superRefine((m, ctx) => {
    const ids = m.nodes.map((n) => n.id);
    const listens = new Map<string, string>();
    m.nodes.forEach((n, i) => {
      if (ids.indexOf(n.id) !== i) ctx.addIssue({ code: 'custom', path: ['nodes', i, 'id'], message: `duplicate node id ${n.id}` });
      for (const peer of ids)
        if (peer !== n.id && !n.links[peer])
          ctx.addIssue({
            code: 'custom',
            path: ['nodes', i, 'links', peer],
            message: `missing: every node needs a link to every other node`,
          });
      for (const [peer, l] of Object.entries(n.links)) {
        if (!ids.includes(peer))
          ctx.addIssue({ code: 'custom', path: ['nodes', i, 'links', peer], message: `no node ${peer} in this mesh` });
        const other = listens.get(l.listen);
        if (other)
          ctx.addIssue({
            code: 'custom',
            path: ['nodes', i, 'links', peer, 'listen'],
            message: `${l.listen} is also the proxy of ${other}`,
          });
        listens.set(l.listen, `${n.id}->${peer}`);
      }
    });
  });

export type MeshFile = z.infer<typeof meshSchema>;

export interface ExternalMesh {
  /** The file it came from, for messages and reports. */
  file: string;
  targets: AdminTarget[];
  links: ProxyLink[];
}

/** Validates a parsed mesh file; `file` names it in errors and anchors relative token files. */
export function parseMeshFile(raw: unknown, file: string): ExternalMesh {
  const r = meshSchema.safeParse(raw);
  if (!r.success) {
    const lines = r.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`);
    throw new ConfigError(`--mesh ${file}: invalid mesh file\n  ${lines.join('\n  ')}`);
  }
  const listenOf = new Map(r.data.nodes.map((n) => [n.id, n.listen]));
  const targets = r.data.nodes.map((n, i): AdminTarget => {
    if (n.adminToken) return { id: n.id, admin: n.admin, token: n.adminToken };
    const tokenFile = resolve(dirname(file), n.adminTokenFile!);
    let token: string;
    try {
      token = readFileSync(tokenFile, 'utf8').trim();
    } catch (e) {
      throw new ConfigError(`--mesh ${file}: nodes.${i}.adminTokenFile: cannot read ${tokenFile} (${(e as NodeJS.ErrnoException).code})`);
    }
    if (!token) throw new ConfigError(`--mesh ${file}: nodes.${i}.adminTokenFile: ${tokenFile} is empty`);
    return { id: n.id, admin: n.admin, token };
  });
  const links = r.data.nodes.flatMap((n) =>
    Object.entries(n.links).map(([to, l]): ProxyLink => ({ from: n.id, to, listen: l.listen, upstream: l.upstream ?? listenOf.get(to)! })),
  );
  return { file, targets, links };
}

export function loadMeshFile(file: string): ExternalMesh {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(`--mesh ${file}: cannot read (${(e as NodeJS.ErrnoException).code})`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`--mesh ${file}: not JSON (${(e as Error).message})`);
  }
  return parseMeshFile(raw, file);
}
