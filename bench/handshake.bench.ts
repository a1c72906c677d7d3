// Handshake latency, in process and across processes over loopback TCP, for
// each backend; the compute floor (the primitives one handshake must run,
// timed in the same run); and how far the protocol is above that floor.
//   npm run bench:handshake [-- --n 200 --backends noble,liboqs --json out.json]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pino } from 'pino';
import type { CryptoBackend } from '../src/crypto/backend.ts';
import { loadBackend } from '../src/crypto/select.ts';
import { FramedConnection } from '../src/mesh/node/connection.ts';
import { initiate, respond, type HandshakeConfig } from '../src/mesh/protocol/handshake.ts';
import { createCa, issueNode, trustAnchor, type Identity } from '../src/mesh/protocol/certificate.ts';
import { caPaths, nodePaths, writeIdentity } from '../src/mesh/node/identity-files.ts';
import { referenceProtocol } from '../src/mesh/protocol/seams.ts';
import { bindCipherSuites } from '../src/mesh/protocol/ciphersuites.ts';
import { createXWing } from '../src/crypto/xwing.ts';

const args = process.argv.slice(2);
const opt = (name: string, dflt: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const N = Number(opt('n', '200'));
const BACKENDS = opt('backends', 'noble,liboqs').split(',');
const JSON_OUT = opt('json', '');
const silent = pino({ level: 'silent' });

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function summary(ms: number[]) {
  const s = [...ms].sort((a, b) => a - b);
  return { n: s.length, p50: percentile(s, 50), p95: percentile(s, 95), p99: percentile(s, 99) };
}

function median(f: () => void, runs: number): number {
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const s = performance.now();
    f();
    t.push(performance.now() - s);
  }
  return summary(t).p50;
}

/** Every primitive one XWING-MLDSA65 handshake runs, each timed alone; the sum is the floor. */
function computeFloor(backend: CryptoBackend, initiator: Identity, runs: number) {
  const xw = createXWing(backend);
  const dsa = backend.sig('ML-DSA-65');
  const msg = new Uint8Array(64).fill(7);
  const sk = initiator.keys.secretKeys.get('ML-DSA-65')!;
  const pk = initiator.certificate.keys.get('ML-DSA-65')!;
  const sig = dsa.sign(sk, msg);
  const kp = xw.keygenExpanded();
  const enc = xw.encaps(kp.pk);
  const parts = {
    xwingKeygen: median(() => xw.keygenExpanded(), runs),
    xwingEncaps: median(() => xw.encaps(kp.pk), runs),
    xwingDecaps: median(() => xw.decapsExpanded(kp.expanded, enc.ct), runs),
    // two transcript signatures (ACCEPT, FINISH)
    mldsa65Sign: 2 * median(() => dsa.sign(sk, msg), runs),
    // two transcript signatures and two certificates verified
    mldsa65Verify: 4 * median(() => dsa.verify(pk, msg, sig), runs),
  };
  return { ...parts, total: Object.values(parts).reduce((a, b) => a + b, 0) };
}

function configFor(identity: Identity, ca: Identity, backend: CryptoBackend): HandshakeConfig {
  return {
    identity,
    trust: trustAnchor(ca.certificate, backend),
    suites: bindCipherSuites(backend),
    offer: ['XWING-MLDSA65'],
    accepts: () => true,
    isPeer: () => true,
    protocol: referenceProtocol,
    timeoutMs: 10_000,
  };
}

async function dialOnce(port: number): Promise<FramedConnection> {
  const socket = connect(port, '127.0.0.1');
  await new Promise<void>((r, j) => {
    socket.once('connect', r);
    socket.once('error', j);
  });
  return new FramedConnection(socket);
}

async function inProcess(backend: CryptoBackend, i: Identity, r: Identity, ca: Identity, n: number): Promise<number[]> {
  const { createServer } = await import('node:net');
  const rc = configFor(r, ca, backend);
  const server = createServer((s) => {
    const conn = new FramedConnection(s);
    respond(rc, conn).then(
      () => conn.close(),
      (e: unknown) => conn.fail(e),
    );
  });
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
  const port = (server.address() as { port: number }).port;
  const out = await timeHandshakes(port, configFor(i, ca, backend), n);
  server.close();
  return out;
}

/** n handshakes as initiator against the responder on port, one connection each; milliseconds per handshake. */
async function timeHandshakes(port: number, ic: ReturnType<typeof configFor>, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let k = 0; k < n; k++) {
    const conn = await dialOnce(port);
    const t = performance.now();
    await initiate(ic, conn, 'bench-r');
    out.push(performance.now() - t);
    conn.close();
  }
  return out;
}

async function crossProcess(
  backendName: string,
  backend: CryptoBackend,
  i: Identity,
  ca: Identity,
  dir: string,
  n: number,
): Promise<number[]> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'handshake-peer.ts'), backendName, dir], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  try {
    const port = Number(await new Promise<string>((res) => createInterface({ input: child.stdout! }).once('line', res)));
    return await timeHandshakes(port, configFor(i, ca, backend), n);
  } finally {
    child.kill('SIGTERM');
  }
}

const fmt = (x: number) => x.toFixed(2).padStart(8);
const results: Record<string, unknown> = {};
const dir = mkdtempSync(join(tmpdir(), 'pqc-bench-'));
try {
  for (const name of BACKENDS) {
    const backend = await loadBackend(name, { logger: silent });
    const ca = createCa('bench', backend);
    const i = issueNode(ca, 'bench-i', backend);
    const r = issueNode(ca, 'bench-r', backend);
    writeIdentity(ca, caPaths(dir).cert, caPaths(dir).key);
    writeIdentity(r, nodePaths(dir, 'bench-r').cert, nodePaths(dir, 'bench-r').key);
    const n = name === 'noble' ? Math.min(N, 60) : N;
    const warm = Math.max(5, Math.floor(n / 10));
    await inProcess(backend, i, r, ca, warm);
    const local = summary(await inProcess(backend, i, r, ca, n));
    const cross = summary((await crossProcess(name, backend, i, ca, dir, n + warm)).slice(warm));
    const floor = computeFloor(backend, i, name === 'noble' ? 20 : 100);
    results[name] = {
      backend: backend.version,
      inProcess: local,
      crossProcess: cross,
      floor,
      p50OverFloor: { inProcess: local.p50 / floor.total, crossProcess: cross.p50 / floor.total },
    };
    console.log(`\n${name} (${backend.version}), suite XWING-MLDSA65, n=${n}, times in ms`);
    console.log(`                  p50      p95      p99`);
    console.log(`in-process   ${fmt(local.p50)} ${fmt(local.p95)} ${fmt(local.p99)}`);
    console.log(`cross-proc   ${fmt(cross.p50)} ${fmt(cross.p95)} ${fmt(cross.p99)}`);
    console.log(
      `floor ${floor.total.toFixed(2)} ms = ${Object.entries(floor)
        .filter(([k]) => k !== 'total')
        .map(([k, v]) => `${k} ${v.toFixed(2)}`)
        .join(' + ')}`,
    );
    console.log(`p50 / floor: in-process ${(local.p50 / floor.total).toFixed(2)}, cross-process ${(cross.p50 / floor.total).toFixed(2)}`);
    if (name === 'liboqs')
      console.log(
        `target p95 cross-process <= 10 ms: ${cross.p95 <= 10 ? 'met' : 'MISSED'}; p50 <= 2x floor: ${cross.p50 <= 2 * floor.total ? 'met' : 'MISSED'}`,
      );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
if (JSON_OUT) writeFileSync(JSON_OUT, JSON.stringify(results, null, 2) + '\n');
