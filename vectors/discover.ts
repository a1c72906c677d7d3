// Walks a vectors directory, hashes every file, recognises known formats by
// content (not by a file list), checks SHA-256 pins, and loads what it can.
// A file that fails to load is reported with a clear error; the others load.
import { createHash } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, join, posix, relative, sep } from 'node:path';
import { looksLikeAcvp, parseAcvp, type AcvpVectorSet } from './acvp.ts';
import { VectorFormatError, isObject } from './json.ts';
import { lintAcvp } from './lint/acvp.ts';
import type { FileLint } from './lint/findings.ts';
import { lintWycheproof } from './lint/wycheproof.ts';
import { defaultManifest, pinsByPath, type Manifest } from './manifest.ts';
import { looksLikeWycheproof, parseWycheproof, type WycheproofFile } from './wycheproof.ts';
import { looksLikeXWing, parseXWing, type XWingCase } from './xwing.ts';

export type FileFormat = 'acvp' | 'wycheproof' | 'xwing';
export type PinStatus = 'match' | 'mismatch' | 'unpinned';

export interface ScannedFile {
  /** Path relative to the vectors directory, '/'-separated. */
  path: string;
  sha256: string;
  size: number;
  pin: PinStatus;
}

export interface LoadError {
  path: string;
  sha256?: string;
  tcId?: number;
  message: string;
}

export interface LoadedVectors {
  dir: string;
  files: ScannedFile[];
  acvp: AcvpVectorSet[];
  wycheproof: WycheproofFile[];
  xwing: { file: string; cases: XWingCase[] }[];
  errors: LoadError[];
  /** Vector lint of every ACVP set and Wycheproof file read, run on the raw JSON (see vectors/lint/). */
  lint: FileLint[];
  /** Files read but not run, with why (licences, schemas, redundant projections, other algorithms). */
  ignored: { path: string; reason: string }[];
}

/** PQC_VECTORS_DIR, else ~/.cache/pqc-mesh-harness/vectors. */
export function defaultVectorsDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.PQC_VECTORS_DIR || join(homedir(), '.cache', 'pqc-mesh-harness', 'vectors');
}

/** The one-line hint every "no vectors" message carries. */
export function fetchHint(dir: string): string {
  return `run \`pqc-harness vectors fetch --dir ${dir}\``;
}

const ACVP_ROLES = ['prompt.json', 'expectedResults.json', 'internalProjection.json'] as const;

interface Walked {
  files: string[];
  /** Folders or entries that could not be read, with why. */
  unreadable: { path: string; message: string }[];
}

/**
 * Every file under root, sorted, following symbolic links (a vectors folder
 * is often a tree of links into a shared cache) but never into a loop.
 */
async function walk(root: string): Promise<Walked> {
  const out: Walked = { files: [], unreadable: [] };
  const seen = new Set<string>();
  const visit = async (dir: string): Promise<void> => {
    const real = await realpath(dir).catch(() => dir);
    if (seen.has(real)) return;
    seen.add(real);
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (e) {
      out.unreadable.push({ path: dir, message: (e as Error).message });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (e.name.startsWith('.')) continue; // fetch's temporary files and VCS metadata
      const p = join(dir, e.name);
      const kind = e.isSymbolicLink() ? await stat(p).catch((err: Error) => err) : e;
      if (kind instanceof Error) out.unreadable.push({ path: p, message: `broken link: ${kind.message}` });
      else if (kind.isDirectory()) await visit(p);
      else if (kind.isFile()) out.files.push(p);
    }
  };
  await visit(root);
  return out;
}

const toPosix = (p: string) => p.split(sep).join('/');

export function sha256Hex(b: Uint8Array): string {
  return createHash('sha256').update(b).digest('hex');
}

/** Lists every file under dir with SHA-256 and pin status; does not parse anything. */
export async function scanDir(dir: string, manifest: Manifest = defaultManifest()): Promise<ScannedFile[]> {
  const pins = pinsByPath(manifest);
  const out: ScannedFile[] = [];
  for (const abs of (await walk(dir)).files) {
    const path = toPosix(relative(dir, abs));
    const bytes = await readFile(abs);
    const sha256 = sha256Hex(bytes);
    const pin = pins.get(path);
    out.push({ path, sha256, size: bytes.length, pin: !pin ? 'unpinned' : pin.sha256 === sha256 ? 'match' : 'mismatch' });
  }
  return out;
}

interface Parsed {
  file: ScannedFile;
  json: unknown;
}

/** Loads every recognised ML-KEM / ML-DSA / X-Wing vector file under dir. */
export async function loadVectorDir(dir: string, manifest: Manifest = defaultManifest()): Promise<LoadedVectors> {
  const result: LoadedVectors = { dir, files: [], acvp: [], wycheproof: [], xwing: [], errors: [], lint: [], ignored: [] };
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) return result;
  const pins = pinsByPath(manifest);
  const walked = await walk(dir);
  for (const u of walked.unreadable)
    result.errors.push({ path: toPosix(relative(dir, u.path)), message: `${u.path}: cannot read: ${u.message}` });
  const names = new Set(walked.files.map((abs) => toPosix(relative(dir, abs))));
  // ACVP folders: prompt.json + expectedResults.json make a set; a projection beside them is redundant.
  const acvpByFolder = new Map<string, Map<string, Parsed>>();
  for (const path of names) {
    const folder = dirname(path);
    const name = basename(path);
    // Not even read: the largest files, and prompt + expectedResults carry the same tests.
    if (
      name === 'internalProjection.json' &&
      names.has(posix.join(folder, 'prompt.json')) &&
      names.has(posix.join(folder, 'expectedResults.json'))
    ) {
      result.ignored.push({ path, reason: 'redundant: prompt.json + expectedResults.json beside it carry the same tests' });
      continue;
    }
    let bytes: Buffer;
    try {
      bytes = await readFile(join(dir, path));
    } catch (e) {
      // One unreadable file is that file's failure, not the run's.
      result.errors.push({ path, message: `${path}: cannot read: ${(e as Error).message}` });
      continue;
    }
    const sha256 = sha256Hex(bytes);
    const pin = pins.get(path);
    const file: ScannedFile = { path, sha256, size: bytes.length, pin: !pin ? 'unpinned' : pin.sha256 === sha256 ? 'match' : 'mismatch' };
    result.files.push(file);
    const fail = (message: string, tcId?: number) => result.errors.push({ path, sha256, tcId, message });
    if (file.pin === 'mismatch') {
      fail(`${path}: SHA-256 ${sha256} does not match its pin ${pin!.sha256} in vectors/manifest.json; the file was not run`);
      continue;
    }
    if (!path.endsWith('.json')) {
      result.ignored.push({ path, reason: 'not a JSON file' });
      continue;
    }
    let json: unknown;
    try {
      json = JSON.parse(bytes.toString('utf8'));
    } catch (e) {
      fail(`${path}: invalid JSON (${(e as Error).message})`);
      continue;
    }
    try {
      if (looksLikeAcvp(json)) {
        if (!isObject(json) || !('testGroups' in json)) {
          result.ignored.push({ path, reason: 'ACVP registration or validation metadata, no tests' });
        } else if (json.algorithm !== 'ML-KEM' && json.algorithm !== 'ML-DSA') {
          result.ignored.push({ path, reason: `ACVP ${String(json.algorithm)}, not ML-KEM or ML-DSA` });
        } else if ((ACVP_ROLES as readonly string[]).includes(name)) {
          let roles = acvpByFolder.get(folder);
          if (!roles) acvpByFolder.set(folder, (roles = new Map()));
          roles.set(name, { file, json });
        } else {
          // A merged file under another name: inputs and outputs together.
          result.lint.push(lintAcvp([path], json));
          result.acvp.push(parseAcvp(path, json));
        }
      } else if (looksLikeWycheproof(json)) {
        result.lint.push(lintWycheproof(path, json));
        result.wycheproof.push(parseWycheproof(path, json));
      } else if (looksLikeXWing(json)) {
        result.xwing.push({ file: path, cases: parseXWing(path, json) });
      } else if (isObject(json) && typeof json.schema === 'string' && 'testGroups' in json) {
        result.ignored.push({ path, reason: `Wycheproof ${String(json.algorithm)}, not ML-KEM or ML-DSA` });
      } else {
        result.ignored.push({ path, reason: otherJson(json) });
      }
    } catch (e) {
      if (e instanceof VectorFormatError) fail(e.message, e.tcId);
      else fail(`${path}: ${(e as Error).message}`);
    }
  }
  const failed = new Set(result.errors.map((e) => e.path));
  for (const [folder, roles] of acvpByFolder) loadAcvpFolder(folder, roles, result, failed);
  return result;
}

function otherJson(json: unknown): string {
  if (!isObject(json)) return 'not a known vector format';
  if ('$schema' in json || ('definitions' in json && 'type' in json)) return 'JSON schema';
  if ('vsId' in json && 'disposition' in json) return 'ACVP validation result, no tests';
  return 'not a known vector format';
}

function loadAcvpFolder(folder: string, roles: Map<string, Parsed>, result: LoadedVectors, failed: Set<string>): void {
  const prompt = roles.get('prompt.json');
  const expected = roles.get('expectedResults.json');
  const projection = roles.get('internalProjection.json');
  const fail = (p: Parsed, message: string, tcId?: number) =>
    result.errors.push({ path: p.file.path, sha256: p.file.sha256, tcId, message });
  // A sibling that already failed to load has its own error; its partner is not run, and says why.
  const brokenSibling = [...ACVP_ROLES].map((r) => posix.join(folder, r)).find((p) => failed.has(p));
  if (brokenSibling && !(prompt && expected)) {
    for (const r of roles.values())
      result.ignored.push({ path: r.file.path, reason: `not run: ${brokenSibling} beside it failed to load` });
    return;
  }
  if (prompt && expected) result.lint.push(lintAcvp([prompt.file.path, expected.file.path], prompt.json, expected.json));
  else if (projection) result.lint.push(lintAcvp([projection.file.path], projection.json));
  try {
    if (prompt && expected) result.acvp.push(parseAcvp(prompt.file.path, prompt.json, expected.file.path, expected.json));
    else if (projection) result.acvp.push(parseAcvp(projection.file.path, projection.json));
    else if (prompt) fail(prompt, `${prompt.file.path}: no expectedResults.json beside it in ${folder}/, so its tests have no answers`);
    else if (expected) fail(expected, `${expected.file.path}: no prompt.json beside it in ${folder}/, so its tests have no inputs`);
  } catch (e) {
    const p = prompt ?? projection ?? expected!;
    if (e instanceof VectorFormatError) {
      const culprit = [...roles.values()].find((r) => r.file.path === e.file) ?? p;
      fail(culprit, e.message, e.tcId);
    } else fail(p, `${p.file.path}: ${(e as Error).message}`);
  }
}
