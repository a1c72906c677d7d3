import { beforeAll, describe, expect, it } from 'vitest';
import type { CryptoBackend } from '../../src/crypto/backend.ts';
import { loadBackend } from '../../src/crypto/select.ts';
import { ManualClock } from '../../src/mesh/control/clock.ts';
import { CommittedLog } from '../../src/mesh/control/log.ts';
import { converged, planMerge, signDigest, verifyDigest } from '../../src/mesh/control/merge.ts';
import { controlSigner, memberSet, SignerDirectory, type ControlSigner } from '../../src/mesh/control/members.ts';
import { decodePayload, encodePayload, PAYLOAD_KINDS, type ControlPayload } from '../../src/mesh/control/payloads.ts';
import { verifyEntry, verifyVote } from '../../src/mesh/control/votes.ts';
import { entryFrom, hostileEvent, voteAs } from '../../suites/control/attacks.ts';
import { controlPki, type ControlPki } from '../../suites/control/cluster.ts';

let backend: CryptoBackend;
let pki: ControlPki;
let s: Record<string, ControlSigner>;
let dir: SignerDirectory;
const members = memberSet(0, ['node-1', 'node-2', 'node-3', 'node-4', 'node-5']);
const event = hostileEvent('p-1');

beforeAll(async () => {
  backend = await loadBackend('liboqs');
  pki = controlPki(backend, 5);
  s = Object.fromEntries([...pki.identities.keys()].map((id) => [id, controlSigner(pki.identities.get(id)!, backend)]));
  dir = new SignerDirectory(pki.trust, new ManualClock(pki.issuedAt));
  for (const x of Object.values(s)) dir.certificate(x.certificate);
});

const genuine = (...ids: string[]) => ids.map((id) => voteAs(s[id], id, 1, event));

describe('votes and quorum certificates', () => {
  it('a strict majority of distinct members verifies; every defect is refused with its reason', () => {
    expect(verifyEntry(dir, members, entryFrom(1, event, genuine('node-1', 'node-2', 'node-3'))).ok).toBe(true);
    const cases: [string, ReturnType<typeof entryFrom>][] = [
      ['too_few_signers', entryFrom(1, event, genuine('node-1', 'node-2'))],
      ['duplicate_signer', entryFrom(1, event, [...genuine('node-1', 'node-2'), ...genuine('node-2')])],
      ['non_member', entryFrom(1, event, [...genuine('node-1', 'node-2'), voteAs(s.outsider, 'outsider', 1, event)])],
      ['bad_signature', entryFrom(1, event, [...genuine('node-1', 'node-2'), voteAs(s['node-2'], 'node-3', 1, event)])],
      [
        'wrong_epoch',
        entryFrom(
          1,
          event,
          ['node-1', 'node-2', 'node-3'].map((id) => voteAs(s[id], id, 1, event, 1)),
        ),
      ],
      ['wrong_event', { ...entryFrom(1, event, genuine('node-1', 'node-2', 'node-3')), event: hostileEvent('p-2') }],
      ['wrong_event', { ...entryFrom(1, event, genuine('node-1', 'node-2', 'node-3')), slot: 2 }],
    ];
    for (const [reason, e] of cases) expect(verifyEntry(dir, members, e)).toMatchObject({ ok: false, reason });
  });

  it('a vote verifies its signature before its epoch', () => {
    const forged = voteAs(s['node-2'], 'node-3', 1, event, 7);
    expect(verifyVote(dir, members, forged)).toMatchObject({ reason: 'bad_signature' });
    expect(verifyVote(dir, members, voteAs(s['node-3'], 'node-3', 1, event, 7))).toMatchObject({ reason: 'wrong_epoch' });
  });

  it('payloads round-trip and refuse trailing bytes', () => {
    const entry = entryFrom(1, event, genuine('node-1', 'node-2', 'node-3'));
    const ps: ControlPayload[] = [
      { type: 'proposal', slot: 3, event },
      { type: 'vote', vote: genuine('node-4')[0] },
      { type: 'commit', entry },
      { type: 'merge-request', to: 'node-2', fromSlot: 4 },
      { type: 'merge-response', to: 'node-2', entries: [entry, entry] },
    ];
    for (const p of ps) {
      const bytes = encodePayload(p);
      expect(decodePayload(PAYLOAD_KINDS[p.type], bytes)).toEqual(p);
      expect(() => decodePayload(PAYLOAD_KINDS[p.type], new Uint8Array([...bytes, 1]))).toThrow(/trailing/);
    }
    expect(() => decodePayload(99, new Uint8Array())).toThrow(/unknown control payload/);
  });
});

describe('merge', () => {
  const logOf = (...events: string[]) => {
    const log = new CommittedLog();
    for (const [i, id] of events.entries()) {
      const ev = hostileEvent(id);
      log.append(
        entryFrom(
          i + 1,
          ev,
          ['node-1', 'node-2', 'node-3'].map((v) => voteAs(s[v], v, i + 1, ev)),
        ),
      );
    }
    return log;
  };

  it('plans request / wait / in-sync / diverged from a signed digest', () => {
    const a = logOf('x', 'y');
    const d = (log: CommittedLog) => signDigest(s['node-2'], log, 0);
    expect(verifyDigest(dir, members, d(a)).ok).toBe(true);
    expect(verifyDigest(dir, members, { ...d(a), lastSlot: 9 })).toMatchObject({ reason: 'bad_signature' });
    expect(planMerge(logOf('x'), d(a))).toEqual({ action: 'request', fromSlot: 2 });
    expect(planMerge(a, d(logOf('x')))).toEqual({ action: 'wait' });
    expect(planMerge(a, d(logOf('x', 'y')))).toEqual({ action: 'in-sync' });
    expect(planMerge(a, d(logOf('x', 'z')))).toEqual({ action: 'diverged', slot: 2 });
    expect(planMerge(a, d(logOf('z')))).toEqual({ action: 'diverged', slot: 1 });
    expect(converged([d(a), d(logOf('x', 'y'))])).toBe(true);
    expect(converged([d(a), d(logOf('x'))])).toBe(false);
  });
});
