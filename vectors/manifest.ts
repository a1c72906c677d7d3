// The pinned manifest of upstream vector files (vectors/manifest.json).
import { readFileSync } from 'node:fs';
import { ConfigError } from '../src/errors.ts';

export type PinKind = 'exact' | 'local-only' | 'url-only';

export interface ManifestEntry {
  /** Path inside a vectors directory, '/'-separated. */
  path: string;
  source: string;
  /** Download URL at a pinned tag or commit; null for local-only files. */
  url: string | null;
  /** Lower-case hex SHA-256; null when not yet recorded (url-only). */
  sha256: string | null;
  size: number | null;
  pin: PinKind;
}

export interface Manifest {
  version: number;
  files: ManifestEntry[];
}

export const MANIFEST_URL = new URL('./manifest.json', import.meta.url);

function validate(x: unknown, where: string): Manifest {
  const m = x as Partial<Manifest> | null;
  if (!m || typeof m !== 'object' || !Array.isArray(m.files)) throw new ConfigError(`${where}: not a vectors manifest (no "files" array)`);
  m.files.forEach((f, i) => {
    const bad = (what: string) => {
      throw new ConfigError(`${where}: files[${i}]${f && typeof f.path === 'string' ? ` (${f.path})` : ''}: ${what}`);
    };
    if (!f || typeof f.path !== 'string' || f.path.startsWith('/') || f.path.split('/').includes('..'))
      bad('"path" must be a relative path');
    if (f.url !== null && typeof f.url !== 'string') bad('"url" must be a string or null');
    if (f.sha256 !== null && !/^[0-9a-f]{64}$/.test(String(f.sha256))) bad('"sha256" must be 64 lower-case hex digits or null');
    if (f.size !== null && !Number.isInteger(f.size)) bad('"size" must be an integer or null');
    if (!['exact', 'local-only', 'url-only'].includes(String(f.pin))) bad('"pin" must be exact, local-only or url-only');
  });
  return m as Manifest;
}

export function readManifest(path?: string): Manifest {
  const where = path ?? 'vectors/manifest.json';
  let text: string;
  try {
    text = readFileSync(path ?? MANIFEST_URL, 'utf8');
  } catch (e) {
    throw new ConfigError(`${where}: cannot read the manifest: ${(e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`${where}: invalid JSON: ${(e as Error).message}`);
  }
  return validate(json, where);
}

let cached: Manifest | undefined;
/** The project's own manifest, read once. */
export function defaultManifest(): Manifest {
  cached ??= readManifest();
  return cached;
}

/** SHA-256 pins by path, for entries that have one. */
export function pinsByPath(m: Manifest): Map<string, ManifestEntry> {
  return new Map(m.files.filter((f) => f.sha256 !== null).map((f) => [f.path, f]));
}
