// A pair of framed connections over real loopback TCP inside the test process.
import { createServer, connect, type Socket } from 'node:net';
import { FramedConnection } from '../../src/mesh/node/connection.ts';

export async function socketPair(): Promise<{ a: Socket; b: Socket; close(): void }> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const accepted = new Promise<Socket>((r) => server.once('connection', r));
  const a = connect(port, '127.0.0.1');
  await new Promise<void>((r) => a.once('connect', () => r()));
  const b = await accepted;
  server.close();
  return {
    a,
    b,
    close: () => {
      a.destroy();
      b.destroy();
    },
  };
}

export async function framedPair(): Promise<{ initiator: FramedConnection; responder: FramedConnection; close(): void }> {
  const { a, b, close } = await socketPair();
  return { initiator: new FramedConnection(a), responder: new FramedConnection(b), close };
}
