// The admin API's bearer token: 32 random bytes, base64url, in a file only
// its owner can read (mode 0600). `mesh up` and `ca issue` write it; a node
// whose token file does not exist yet creates one at start.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { ConfigError } from '../../errors.ts';

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

export function newAdminToken(): string {
  return randomBytes(32).toString('base64url');
}

export function writeAdminToken(file: string, token = newAdminToken()): string {
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  chmodSync(file, 0o600); // an existing file keeps its mode on write
  return token;
}

/** Reads the token, creating the file first if it is missing; refuses a file others can read or a malformed token. */
export function loadAdminToken(file: string): string {
  if (!existsSync(file)) return writeAdminToken(file);
  const mode = statSync(file).mode & 0o777;
  if (mode & 0o077) throw new ConfigError(`${file}: admin token file has mode ${mode.toString(8)}; it must be 600 (owner only)`);
  const token = readFileSync(file, 'utf8').trim();
  if (!TOKEN.test(token)) throw new ConfigError(`${file}: not an admin token (43 base64url characters, 32 random bytes)`);
  return token;
}
