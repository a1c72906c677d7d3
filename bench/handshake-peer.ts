// The responder side of the cross-process handshake bench: a process that
// accepts TCP connections and answers each with one handshake.
// argv: <backend> <dir>   (dir holds ca.cert and nodes/bench-r/node.{cert,key})
import { createServer } from 'node:net';
import { pino } from 'pino';
import { loadBackend } from '../src/crypto/select.ts';
import { FramedConnection } from '../src/mesh/node/connection.ts';
import { respond } from '../src/mesh/protocol/handshake.ts';
import { trustAnchor } from '../src/mesh/protocol/certificate.ts';
import { caPaths, nodePaths, readCertificate, readIdentity } from '../src/mesh/node/identity-files.ts';
import { referenceProtocol } from '../src/mesh/protocol/seams.ts';
import { bindCipherSuites } from '../src/mesh/protocol/ciphersuites.ts';

const [backendName, dir] = process.argv.slice(2);
const backend = await loadBackend(backendName, { logger: pino({ level: 'silent' }) });
const p = nodePaths(dir, 'bench-r');
const config = {
  identity: readIdentity(p.cert, p.key),
  trust: trustAnchor(readCertificate(caPaths(dir).cert), backend),
  suites: bindCipherSuites(backend),
  offer: [],
  accepts: () => true,
  isPeer: () => true,
  protocol: referenceProtocol,
  timeoutMs: 10_000,
};
const server = createServer((socket) => {
  const conn = new FramedConnection(socket);
  respond(config, conn).then(
    () => conn.close(),
    (e: unknown) => conn.fail(e),
  );
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${(server.address() as { port: number }).port}\n`);
});
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
