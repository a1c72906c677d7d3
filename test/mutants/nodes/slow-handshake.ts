// Mutant node command: every handshake takes 150 ms longer. The responder
// holds its ACCEPT frame back for 150 ms, so both sides' handshake timers
// (and the load's) see the delay. Must fail slo/handshake/p95.
//   node --import tsx test/mutants/nodes/slow-handshake.ts --config {config}
import { FramedConnection } from '../../../src/mesh/node/connection.ts';
import { FrameType } from '../../../src/mesh/protocol/wire.ts';
import { runReferenceNode } from './run-reference.ts';

export const ADDED_DELAY_MS = 150;

const send = FramedConnection.prototype.send;
FramedConnection.prototype.send = function (this: FramedConnection, type: FrameType, body: Uint8Array): void {
  if (type === FrameType.ACCEPT) setTimeout(() => send.call(this, type, body), ADDED_DELAY_MS);
  else send.call(this, type, body);
};

await runReferenceNode();
