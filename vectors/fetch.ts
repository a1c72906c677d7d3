// Downloads the manifest's upstream files into a vectors directory and checks
// them. Writes are atomic: bytes go to a hidden temporary file beside the
// target, are verified (SHA-256 and size), and only then renamed into place,
// so a crash or a bad download never leaves a half-written vector file.
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { scanDir, sha256Hex } from './discover.ts';
import type { Manifest, ManifestEntry } from './manifest.ts';

export interface FetchProgress {
  path: string;
  received: number;
  /** From Content-Length or the manifest; undefined when unknown. */
  total?: number;
}

export type FetchStatus = 'downloaded' | 'present' | 'failed' | 'no-url';

export interface FetchOutcome {
  path: string;
  status: FetchStatus;
  sha256?: string;
  /** True when the manifest has no SHA-256 for this file (url-only), so the bytes could not be verified. */
  unverified?: boolean;
  error?: string;
}

export interface FetchOptions {
  dir: string;
  manifest: Manifest;
  /** Replaces the scheme+host prefix of every URL (e.g. a local mirror for offline CI). */
  mirror?: string;
  onProgress?: (p: FetchProgress) => void;
  /** Only entries whose path starts with one of these prefixes. */
  only?: string[];
  fetchImpl?: typeof fetch;
}

function mirrored(url: string, mirror?: string): string {
  if (!mirror) return url;
  const u = new URL(url);
  return mirror.replace(/\/+$/, '') + u.pathname;
}

async function presentAndValid(target: string, entry: ManifestEntry): Promise<string | undefined> {
  try {
    const bytes = await readFile(target);
    const sha = sha256Hex(bytes);
    if (entry.sha256 === null) return sha; // url-only: present is the best we can say
    return sha === entry.sha256 ? sha : undefined;
  } catch {
    return undefined;
  }
}

/** Streams url into a temporary file, hashing on the way; renames only after every check passes. */
async function download(url: string, target: string, entry: ManifestEntry, opts: FetchOptions): Promise<string> {
  const res = await (opts.fetchImpl ?? fetch)(url);
  if (!res.ok || !res.body) throw new Error(`HTTP ${res.status} ${res.statusText} from ${url}`);
  const header = res.headers.get('content-length');
  const total = header !== null ? Number(header) : (entry.size ?? undefined);
  await mkdir(dirname(target), { recursive: true });
  const tmp = join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.part`);
  const hash = createHash('sha256');
  let received = 0;
  const out = createWriteStream(tmp, { flags: 'wx' });
  const closed = new Promise<void>((resolve, reject) => {
    out.on('close', resolve);
    out.on('error', reject);
  });
  try {
    const reader = res.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      hash.update(value);
      received += value.length;
      if (!out.write(value)) await new Promise<void>((r) => out.once('drain', () => r()));
      opts.onProgress?.({ path: entry.path, received, total });
    }
    out.end();
    await closed;
    const sha = hash.digest('hex');
    if (header !== null && received !== Number(header)) throw new Error(`truncated download: ${received} of ${header} bytes`);
    if (entry.size !== null && received !== entry.size) throw new Error(`size ${received} does not match the manifest's ${entry.size}`);
    if (entry.sha256 !== null && sha !== entry.sha256) throw new Error(`SHA-256 ${sha} does not match the pin ${entry.sha256}`);
    await rename(tmp, target);
    return sha;
  } catch (e) {
    out.destroy();
    await closed.catch(() => undefined);
    await rm(tmp, { force: true });
    throw e;
  }
}

/** Fetches every manifest entry with a URL; never throws for one bad file, reports it instead. */
export async function fetchVectors(opts: FetchOptions): Promise<FetchOutcome[]> {
  const outcomes: FetchOutcome[] = [];
  const entries = opts.manifest.files.filter((f) => !opts.only?.length || opts.only.some((p) => f.path.startsWith(p)));
  for (const entry of entries) {
    const target = join(opts.dir, ...entry.path.split('/'));
    if (entry.url === null) {
      outcomes.push({ path: entry.path, status: 'no-url' });
      continue;
    }
    const unverified = entry.sha256 === null ? { unverified: true } : {};
    const existing = await presentAndValid(target, entry);
    if (existing) {
      outcomes.push({ path: entry.path, status: 'present', sha256: existing, ...unverified });
      continue;
    }
    try {
      const sha = await download(mirrored(entry.url, opts.mirror), target, entry, opts);
      outcomes.push({ path: entry.path, status: 'downloaded', sha256: sha, ...unverified });
    } catch (e) {
      outcomes.push({ path: entry.path, status: 'failed', error: `${entry.path}: ${(e as Error).message}` });
    }
  }
  return outcomes;
}

export interface VerifyReport {
  dir: string;
  ok: { path: string; sha256: string; pin: string }[];
  mismatched: { path: string; expected: string; actual: string }[];
  missing: string[];
  /** Present in the manifest without a SHA-256 (url-only): present but not verifiable. */
  unverifiable: { path: string; sha256: string }[];
  /** In the directory but not in the manifest. */
  unpinned: { path: string; sha256: string }[];
}

/** Checks a directory against the manifest: what matches, what differs, what is missing, what is not pinned. */
export async function verifyVectors(dir: string, manifest: Manifest): Promise<VerifyReport> {
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) throw new Error(`vectors directory ${dir} does not exist`);
  const scanned = new Map((await scanDir(dir, manifest)).map((f) => [f.path, f]));
  const report: VerifyReport = { dir, ok: [], mismatched: [], missing: [], unverifiable: [], unpinned: [] };
  const listed = new Set<string>();
  for (const entry of manifest.files) {
    listed.add(entry.path);
    const f = scanned.get(entry.path);
    if (!f) report.missing.push(entry.path);
    else if (entry.sha256 === null) report.unverifiable.push({ path: f.path, sha256: f.sha256 });
    else if (f.sha256 === entry.sha256) report.ok.push({ path: f.path, sha256: f.sha256, pin: entry.pin });
    else report.mismatched.push({ path: f.path, expected: entry.sha256, actual: f.sha256 });
  }
  for (const f of scanned.values()) if (!listed.has(f.path)) report.unpinned.push({ path: f.path, sha256: f.sha256 });
  return report;
}
