// `vectors fetch` / `vectors verify` offline: a local HTTP server on
// 127.0.0.1 serves copies of the shared data from a temp dir.
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fetchVectors, verifyVectors, type FetchProgress } from '../../vectors/fetch.ts';
import { defaultManifest, type Manifest, type ManifestEntry } from '../../vectors/manifest.ts';
import { describeWithVectors, SHARED_VECTORS } from './setup.ts';

const FILES = ['acvp/ML-KEM-keyGen-FIPS203/prompt.json', 'acvp/ML-KEM-keyGen-FIPS203/expectedResults.json', 'xwing/test-vectors.json'];
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

let server: Server;
let base: string;
const served = mkdtempSync(join(tmpdir(), 'kat-served-'));

beforeAll(async () => {
  // Each file twice: at its vectors-dir path, and at its upstream URL's path (for --mirror).
  for (const f of FILES) {
    const upstream = new URL(defaultManifest().files.find((e) => e.path === f)!.url!).pathname.slice(1);
    for (const p of [f, upstream]) {
      mkdirSync(dirname(join(served, p)), { recursive: true });
      copyFileSync(join(SHARED_VECTORS, f), join(served, p));
    }
  }
  server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url!, 'http://x').pathname).slice(1);
    if (path === 'tampered.json') {
      res.end(readFileSync(join(served, FILES[2])).toString().replace('a', 'b'));
    } else if (path === 'half.json') {
      // Promise the whole file, send half, then drop the connection.
      const body = readFileSync(join(served, FILES[2]));
      res.writeHead(200, { 'content-length': body.length });
      res.write(body.subarray(0, body.length >> 1), () => res.socket?.destroy());
    } else if (existsSync(join(served, path))) {
      const body = readFileSync(join(served, path));
      res.writeHead(200, { 'content-length': body.length });
      res.end(body);
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

/** The real manifest entries for FILES, pointed at the local server by --mirror. */
function pinned(): Manifest {
  return { version: 1, files: defaultManifest().files.filter((f) => FILES.includes(f.path)) };
}

function entry(path: string, urlPath: string, like: string): ManifestEntry {
  const pin = defaultManifest().files.find((f) => f.path === like)!;
  return { ...pin, path, url: `${base}/${urlPath}` };
}

/** Every file under dir, including hidden temporaries. */
function allFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => e.name);
}

describeWithVectors('vectors fetch and verify, offline', () => {
  it('downloads through a mirror with progress, verifies SHA-256, then keeps files already present and valid', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kat-fetch-'));
    const progress: FetchProgress[] = [];
    // The real manifest's URLs, with scheme+host replaced by the local server.
    const ok = await fetchVectors({ dir, manifest: pinned(), mirror: base, onProgress: (p) => progress.push(p) });
    expect(ok.map((o) => o.status)).toEqual(['downloaded', 'downloaded', 'downloaded']);
    for (const e of pinned().files) expect(sha256(readFileSync(join(dir, e.path)))).toBe(e.sha256);
    const last = progress.filter((p) => p.path === FILES[0]).at(-1)!;
    expect(last.received).toBe(last.total);

    const again = await fetchVectors({ dir, manifest: pinned(), mirror: base });
    expect(again.map((o) => o.status)).toEqual(['present', 'present', 'present']);

    const report = await verifyVectors(dir, pinned());
    expect(report.ok.map((f) => f.path).sort()).toEqual([...FILES].sort());
    expect(report.mismatched).toEqual([]);
  });

  it('refuses a download whose SHA-256 does not match its pin, leaving nothing behind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kat-fetch-'));
    const manifest: Manifest = { version: 1, files: [{ ...entry(FILES[2], 'tampered.json', FILES[2]), size: null }] };
    const [o] = await fetchVectors({ dir, manifest });
    expect(o.status).toBe('failed');
    expect(o.error).toMatch(/xwing\/test-vectors\.json: SHA-256 [0-9a-f]{64} does not match the pin 409efe19/);
    expect(allFiles(dir)).toEqual([]);
  });

  it('a connection dropped half-way writes nothing; a half-written file already on disk is replaced', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kat-fetch-'));
    const [o] = await fetchVectors({ dir, manifest: { version: 1, files: [entry(FILES[2], 'half.json', FILES[2])] } });
    expect(o.status).toBe('failed');
    expect(allFiles(dir), 'no target and no temporary file').toEqual([]);

    // A truncated file from an earlier crash of some other tool is not "present and valid".
    mkdirSync(join(dir, 'xwing'), { recursive: true });
    writeFileSync(join(dir, FILES[2]), readFileSync(join(served, FILES[2])).subarray(0, 100));
    const [again] = await fetchVectors({ dir, manifest: { version: 1, files: [entry(FILES[2], FILES[2], FILES[2])] } });
    expect(again.status).toBe('downloaded');
    expect(allFiles(dir)).toEqual(['test-vectors.json']);
  });

  it('verify reports mismatches and missing files, and lists unpinned files separately', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kat-verify-'));
    for (const f of FILES.slice(0, 2)) {
      mkdirSync(dirname(join(dir, f)), { recursive: true });
      copyFileSync(join(served, f), join(dir, f));
    }
    writeFileSync(join(dir, FILES[1]), '{}');
    writeFileSync(join(dir, 'extra.json'), '[]');
    const r = await verifyVectors(dir, pinned());
    expect(r.ok.map((f) => f.path)).toEqual([FILES[0]]);
    expect(r.mismatched.map((f) => f.path)).toEqual([FILES[1]]);
    expect(r.missing).toEqual([FILES[2]]);
    expect(r.unpinned.map((f) => f.path)).toEqual(['extra.json']);
  });
});
