// Waivers: a named person accepts a finding for a while. The expiry is
// mandatory and at most 90 days ahead; an expired waiver fails the run
// wherever it is read (certify, policy check, the report), unlike tools that
// keep applying expired exceptions.
import { z } from 'zod';
import { ConfigError } from '../errors.ts';
import { readYamlFile, validateYaml } from '../yaml-file.ts';
import { expiryInstant, type Waiver, waiverSchema } from '../report/model.ts';

export const MAX_WAIVER_DAYS = 90;
const DAY_MS = 86_400_000;

const waiverFileSchema = z.strictObject({ waivers: z.array(waiverSchema) });

export function isExpired(w: Waiver, now: Date): boolean {
  return expiryInstant(w.expires) < now.getTime();
}

/** Validates waivers read from `source`; `now` is the clock the 90-day limit is measured from. */
export function parseWaivers(raw: unknown, source: string, now: Date): Waiver[] {
  const { waivers } = validateYaml(waiverFileSchema, raw, source, 'waivers');
  waivers.forEach((w, i) => {
    const at = expiryInstant(w.expires);
    if (Number.isNaN(at))
      throw new ConfigError(`${source}: waivers.${i}.expires: "${w.expires}" is not an ISO date (YYYY-MM-DD) or date-time`);
    if (at - now.getTime() > MAX_WAIVER_DAYS * DAY_MS)
      throw new ConfigError(
        `${source}: waivers.${i}.expires: ${w.expires} is more than ${MAX_WAIVER_DAYS} days ahead; waive for at most ${MAX_WAIVER_DAYS} days and renew`,
      );
  });
  return waivers;
}

export function loadWaivers(file: string, now: Date): Waiver[] {
  return parseWaivers(readYamlFile(file), file, now);
}

const covers = (prefix: string, id: string) => id === prefix || id.startsWith(`${prefix}/`);

export interface WaivableFinding {
  rule: string;
  check?: string;
  backend?: string;
}

/** A waiver names a rule id, or a check id (or a prefix of one on whole segments), within its scope. */
export function waiverMatches(w: Waiver, f: WaivableFinding, meshName?: string): boolean {
  const named = w.id === f.rule || (f.check !== undefined && covers(w.id, f.check));
  if (!named) return false;
  if (w.scope.backend !== undefined && w.scope.backend !== f.backend) return false;
  if (w.scope.mesh !== undefined && w.scope.mesh !== meshName) return false;
  return true;
}
