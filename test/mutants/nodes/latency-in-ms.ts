// Mutant node command: the node's histogram records handshake latency in
// milliseconds where the metric says seconds (a unit bug), so every
// observation lands in the 5 s..+Inf bucket. The load still sees the real
// latency, so the node histograms and Prometheus contradict it: must fail
// slo/agreement.
//   node --import tsx test/mutants/nodes/latency-in-ms.ts --config {config}
import { MeshMetrics } from '../../../src/mesh/metrics.ts';
import { runReferenceNode } from './run-reference.ts';

const succeeded = MeshMetrics.prototype.handshakeSucceeded;
MeshMetrics.prototype.handshakeSucceeded = function (this: MeshMetrics, latencySeconds: number): void {
  succeeded.call(this, latencySeconds * 1000);
};

await runReferenceNode();
