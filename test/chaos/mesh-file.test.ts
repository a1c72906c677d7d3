// The --mesh file (docs/node-contract.md §9): a malformed one is refused
// naming the file and the field; a good one becomes admin targets and one
// proxy per directed link; a nemesis that crashes nodes is unsupported there.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadMeshFile, parseMeshFile } from '../../chaos/mesh-file.ts';
import { meshUnsupported } from '../../chaos/scenario/external.ts';
import { scenarioNamed } from '../../chaos/scenario/scenarios.ts';

const dir = mkdtempSync(join(tmpdir(), 'mesh-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const node = (id: string, peers: string[], i: number) => ({
  id,
  admin: `http://127.0.0.1:${9100 + i}/`,
  adminToken: `token-${id}`,
  listen: `${id}:7000`,
  links: Object.fromEntries(peers.map((p, k) => [p, { listen: `0.0.0.0:${21000 + 10 * i + k}` }])),
});
const mesh3 = () => ({
  nodes: ['a', 'b', 'c'].map((id, i, all) =>
    node(
      id,
      all.filter((x) => x !== id),
      i,
    ),
  ),
});

const refusal = (raw: unknown) => {
  try {
    parseMeshFile(raw, 'ops/mesh.json');
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('accepted');
};

describe('mesh file', () => {
  it('a good file: admin targets, and a proxy per directed link whose upstream defaults to the peer listen', () => {
    const m = parseMeshFile(mesh3(), 'ops/mesh.json');
    expect(m.targets.map((t) => [t.id, t.admin, t.token])).toEqual([
      ['a', 'http://127.0.0.1:9100', 'token-a'],
      ['b', 'http://127.0.0.1:9101', 'token-b'],
      ['c', 'http://127.0.0.1:9102', 'token-c'],
    ]);
    expect(m.links).toHaveLength(6);
    expect(m.links.find((l) => l.from === 'a' && l.to === 'c')).toEqual({
      from: 'a',
      to: 'c',
      listen: '0.0.0.0:21001',
      upstream: 'c:7000',
    });
  });

  it('an explicit upstream and a token file relative to the mesh file', () => {
    writeFileSync(join(dir, 'b.token'), 'secret-b\n');
    const raw = mesh3();
    raw.nodes[1] = { ...raw.nodes[1], adminToken: undefined, adminTokenFile: 'b.token' } as never;
    (raw.nodes[0].links.b as { upstream?: string }).upstream = 'node-b.svc:7443';
    const m = parseMeshFile(JSON.parse(JSON.stringify(raw)), join(dir, 'mesh.json'));
    expect(m.targets[1].token).toBe('secret-b');
    expect(m.links.find((l) => l.from === 'a' && l.to === 'b')?.upstream).toBe('node-b.svc:7443');
  });

  it('each malformed field is named with the file', () => {
    const missingLink = mesh3();
    delete (missingLink.nodes[2].links as Record<string, unknown>).a;
    expect(refusal(missingLink)).toMatch(/^--mesh ops\/mesh.json: invalid mesh file\n {2}nodes\.2\.links\.a: missing/);

    const badAdmin = mesh3();
    badAdmin.nodes[0].admin = 'ftp://x';
    expect(refusal(badAdmin)).toContain('nodes.0.admin: must be an http:// or https:// URL');

    const bothTokens = mesh3();
    (bothTokens.nodes[1] as Record<string, unknown>).adminTokenFile = 'b.token';
    expect(refusal(bothTokens)).toContain('nodes.1.adminToken: give exactly one of adminToken and adminTokenFile');

    const badListen = mesh3();
    badListen.nodes[1].links.c.listen = '0.0.0.0:70000';
    expect(refusal(badListen)).toContain('nodes.1.links.c.listen: port must be 1-65535');

    const stranger = mesh3();
    (stranger.nodes[0].links as Record<string, unknown>).z = { listen: '0.0.0.0:29999' };
    expect(refusal(stranger)).toContain('nodes.0.links.z: no node z in this mesh');

    const shared = mesh3();
    shared.nodes[2].links.b.listen = shared.nodes[0].links.b.listen;
    expect(refusal(shared)).toContain('nodes.2.links.b.listen: 0.0.0.0:21000 is also the proxy of a->b');

    const dup = mesh3();
    dup.nodes[2].id = 'a';
    expect(refusal(dup)).toContain('nodes.2.id: duplicate node id a');

    expect(refusal({ nodes: [mesh3().nodes[0]] })).toContain('nodes: a mesh needs at least 2 nodes');
    expect(refusal({ ...mesh3(), extra: 1 })).toMatch(/\(root\): .*extra/);
  });

  it('an unreadable or non-JSON file, or a missing token file, is named', () => {
    expect(() => loadMeshFile(join(dir, 'absent.json'))).toThrow(/absent\.json: cannot read \(ENOENT\)/);
    writeFileSync(join(dir, 'broken.json'), '{ nodes: ');
    expect(() => loadMeshFile(join(dir, 'broken.json'))).toThrow(/broken\.json: not JSON/);
    const raw = mesh3();
    raw.nodes[2] = { ...raw.nodes[2], adminToken: undefined, adminTokenFile: 'gone.token' } as never;
    writeFileSync(join(dir, 'm.json'), JSON.stringify(raw));
    expect(() => loadMeshFile(join(dir, 'm.json'))).toThrow(/m\.json: nodes\.2\.adminTokenFile: cannot read .*gone\.token \(ENOENT\)/);
  });

  it('a nemesis that crashes nodes is unsupported with --mesh, naming why; partitions are supported', () => {
    const m = parseMeshFile(mesh3(), 'ops/mesh.json');
    expect(meshUnsupported(scenarioNamed('split-brain'), m, 1)).toBeUndefined();
    const crash = { ...scenarioNamed('split-brain'), name: 'crash-restart', nemesis: 'crash-restart' };
    expect(meshUnsupported(crash, m, 1)).toMatch(/^unsupported with --mesh: crash-restart needs to kill node processes/);
  });
});
