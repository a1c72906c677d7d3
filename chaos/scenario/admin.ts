// The harness's side of the node contract's admin API (docs/node-contract.md
// §4): bearer-token JSON calls with a deadline. An endpoint a node does not
// implement (404) is reported as `missing`, so a scenario can say `unknown`
// for what it cannot judge instead of failing or passing it.
import { readFileSync } from 'node:fs';

export interface AdminTarget {
  id: string;
  /** Base URL, e.g. http://127.0.0.1:41234 */
  admin: string;
  token: string;
}

export type AdminAnswer<T> =
  | { ok: true; status: number; body: T }
  | { ok: false; status: number; missing: boolean; error: string; timedOut?: boolean };

export function readToken(file: string): string {
  return readFileSync(file, 'utf8').trim();
}

export async function adminCall<T>(
  t: AdminTarget,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
  timeoutMs = 5000,
): Promise<AdminAnswer<T>> {
  try {
    const res = await fetch(`${t.admin}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${t.token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // a non-JSON body (metrics) stays text
    }
    if (res.status >= 200 && res.status < 300) return { ok: true, status: res.status, body: parsed as T };
    const error = (parsed as { error?: string })?.error ?? `HTTP ${res.status}`;
    return { ok: false, status: res.status, missing: res.status === 404 && /no route/.test(String(error)), error };
  } catch (e) {
    const timedOut = (e as Error).name === 'TimeoutError' || (e as Error).name === 'AbortError';
    return { ok: false, status: 0, missing: false, timedOut, error: `${method} ${t.id}${path}: ${(e as Error).message}` };
  }
}
