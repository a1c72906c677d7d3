// The negative suites: attacks with a protocol-aware attacker in the path
// (suites/negative/attacker/), each check naming the clause of docs/mesh.md
// it tests. They run the subject's protocol seams and first backend on both
// sides of an in-process handshake and channel, so selftest can substitute
// protocol and backend mutants.
import type { Check } from '../../src/check/evidence.ts';
import { referenceProtocol } from '../../src/mesh/protocol/seams.ts';
import type { HarnessSuite } from '../env.ts';
import { brokenKemChecks } from './checks/broken-kem.ts';
import { byzantineChecks } from './checks/byzantine.ts';
import { cleartextAlertChecks } from './checks/cleartext-alert.ts';
import { downgradeChecks } from './checks/downgrade.ts';
import { handshakeChecks } from './checks/handshake.ts';
import { identityChecks } from './checks/identity.ts';
import { lengthChecks } from './checks/lengths.ts';
import { nodeChecks } from './checks/nodes.ts';
import { recordChecks } from './checks/records.ts';
import { rngFailureChecks } from './checks/rng-failure.ts';
import { transcriptBindingChecks } from './checks/transcript-binding.ts';
import { toCheck, type NegativeCheck } from './clause.ts';

export const NEGATIVE_CHECKS: readonly NegativeCheck[] = [
  ...brokenKemChecks,
  ...transcriptBindingChecks,
  ...lengthChecks,
  ...downgradeChecks,
  ...identityChecks,
  ...handshakeChecks,
  ...recordChecks,
  ...cleartextAlertChecks,
  ...byzantineChecks,
  ...nodeChecks,
  ...rngFailureChecks,
];

export const negativeSuite: HarnessSuite = {
  name: 'negative',
  checks: (env): Check[] => {
    const backend = env.backends[0];
    if (!backend) return [];
    const sweepBackend = env.backends.find((b) => b.name === 'liboqs') ?? backend;
    const subject = {
      protocol: env.protocol ?? referenceProtocol,
      backend,
      sweepBackend,
      controlModule: env.controlModule,
      nodeCommand: env.nodeCommand,
    };
    return NEGATIVE_CHECKS.map((c) => toCheck(c, () => subject));
  },
};
