// Each control check passes on the reference control plane and fails on the
// mutant built to defeat it.
import { beforeAll, describe, expect, it } from 'vitest';
import type { CryptoBackend } from '../../src/crypto/backend.ts';
import { loadBackend } from '../../src/crypto/select.ts';
import { referenceControl, type ControlProtocol } from '../../src/mesh/control/seams.ts';
import { CONTROL_CHECKS } from '../../suites/control/index.ts';
import { controlMutants } from '../../suites/control/mutants.ts';
import acceptsNonMemberVotes from '../mutants/control/accepts-non-member-votes.ts';
import acceptsReplays from '../mutants/control/accepts-replays.ts';
import commitsInMinority from '../mutants/control/commits-in-minority.ts';
import countsDuplicateVotes from '../mutants/control/counts-duplicate-votes.ts';
import countsUnverifiedVotes from '../mutants/control/counts-unverified-votes.ts';
import ignoresTimestamps from '../mutants/control/ignores-timestamps.ts';
import mergeKeepsBoth from '../mutants/control/merge-keeps-both.ts';
import updatesBeforeVerifying from '../mutants/control/updates-before-verifying.ts';
import votesTwice from '../mutants/control/votes-twice.ts';
import adoptsOnlyOwnCertificates from '../mutants/control/adopts-only-own-certificates.ts';

const MUTANTS: Record<string, [ControlProtocol, RegExp][]> = {
  'control/gossip/forged-origin': [[updatesBeforeVerifying, /forgery: invalid: node-1's standing at node-2/]],
  'control/gossip/replay': [[acceptsReplays, /forgery: invalid: .*replayed gossip/]],
  'control/gossip/stale': [[ignoresTimestamps, /forgery: invalid: .*stale gossip messages as stale_timestamp/]],
  'control/quorum/unverified-votes': [[countsUnverifiedVotes, /safety: invalid: .*bad_signature/]],
  'control/quorum/duplicate-votes': [
    [countsDuplicateVotes, /safety: invalid/],
    [votesTwice, /safety: invalid: .*(another event in the same slot|different events)/],
  ],
  'control/quorum/non-member-votes': [[acceptsNonMemberVotes, /safety: invalid: .*outsider is not a member/]],
  'control/quorum/minority-commits': [[commitsInMinority, /safety: invalid|minority .* committed/]],
  'control/heal/converges': [
    [mergeKeepsBoth, /convergence: invalid|safety: invalid/],
    [adoptsOnlyOwnCertificates, /convergence: invalid/],
  ],
};

let backend: CryptoBackend;
beforeAll(async () => {
  backend = await loadBackend('liboqs');
});

describe.each(CONTROL_CHECKS.map(([id, , run]) => [id, run] as const))('%s', (id, run) => {
  const env = () => ({ backend, seed: 20261201, size: 3 });
  it('passes on the reference control plane', () => {
    const v = run(referenceControl, env());
    expect(v.reason).toBeUndefined();
    expect(v.status).toBe('pass');
    expect(v.evidence.seed).toBe(20261201);
  });
  it.each(MUTANTS[id].map(([m, re]) => [m.name, m, re] as const))('fails on %s', (_n, mutant, re) => {
    const v = run(mutant, env());
    expect(v.status).toBe('fail');
    expect(v.reason).toMatch(re);
  });
});

it('every control check has a mutant, and the declared kill list is the one tested here', () => {
  expect(Object.keys(MUTANTS).sort()).toEqual(CONTROL_CHECKS.map(([id]) => id).sort());
  const tested = Object.entries(MUTANTS).flatMap(([id, ms]) => ms.map(([m]) => `${m.name.replace('mutant:', '')} -> ${id}`));
  // The real-process families (control/nodes/*) are tested in node-checks.test.ts.
  const declared = controlMutants.flatMap((m) => m.kills.filter((k) => !k.startsWith('control/nodes/')).map((k) => `${m.name} -> ${k}`));
  expect(declared.sort()).toEqual(tested.sort());
});
