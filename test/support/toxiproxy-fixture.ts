// One Toxiproxy session (the real server when TOXIPROXY_URL is set, else the
// embedded one) and one echo server per test file, torn down after it.
import { afterAll, beforeAll } from 'vitest';
import { openToxiproxySession, startEchoServer, type EchoServer, type ToxiproxySession } from './toxiproxy.ts';

export interface ToxiproxyFixture {
  tp: ToxiproxySession;
  echo: EchoServer;
}

/** Registers the hooks; `ready` receives the session and echo server before the first test. */
export function useToxiproxy(ready: (f: ToxiproxyFixture) => void): void {
  let f: Partial<ToxiproxyFixture> = {};
  beforeAll(async () => {
    f = { tp: await openToxiproxySession() };
    f.echo = await startEchoServer();
    ready(f as ToxiproxyFixture);
  });
  afterAll(async () => {
    await f.tp?.close();
    await f.echo?.close();
  });
}
