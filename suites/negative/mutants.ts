// The mutants that must fail each negative family (selftest runs them).
import type { MutantSpec } from '../mutant.ts';

const protocol = (name: string, kills: string[]): MutantSpec => ({ name, kind: 'protocol', module: `test/mutants/mesh/${name}.ts`, kills });
/** A control plane every node process of the real-node checks runs (`--mutant`). */
const control = (name: string, kills: string[]): MutantSpec => ({
  name,
  kind: 'control',
  module: `test/mutants/control/${name}.ts`,
  kills,
});

export const negativeMutants: readonly MutantSpec[] = [
  // Encapsulation without the FIPS 203 §7.2 modulus check: the q-coefficient shares get through.
  { name: 'mlkem-no-modulus-check', kind: 'backend', module: 'test/mutants/mlkem-no-modulus-check.ts', kills: ['negative/broken-kem'] },
  // HKDF-Extract without the transcript salt: one KEM secret, one set of keys, whatever the transcript (§3.3.6).
  protocol('unbound-kem-secret', ['negative/broken-kem']),
  protocol('skips-transcript-signature', ['negative/downgrade', 'negative/identity', 'negative/handshake']),
  protocol('fixed-size-signature-buffer', ['negative/lengths']),
  protocol('no-replay-window', ['negative/records', 'negative/key-desync']),
  // Takes a cleartext ALERT on an established session as the peer's (§4.1.7).
  protocol('believes-cleartext-alert', ['negative/records']),
  // Pads a short read from the randomness source with zeros and carries on (§3.7.2).
  protocol('pads-short-randomness', ['negative/rng-failure']),
  // Real node processes, the attacker a member on the wire (§10.5). One mutant per family: each costs a mesh.
  control('updates-before-verifying', ['negative/forgery']),
  control('accepts-non-member-votes', ['negative/votes']),
  // A node command (the reference node with believes-cleartext-alert in it) behind the attacker of negative/nodes (§4.1.7).
  {
    name: 'node-believes-cleartext-alert',
    kind: 'node-command',
    module: 'test/mutants/nodes/believes-cleartext-alert.ts',
    kills: ['negative/nodes'],
  },
];
