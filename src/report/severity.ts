// Severity of a failing check: what kind of promise it breaks, with the
// source of that promise. Keyed by check-id prefix; the longest matching
// prefix wins, so a family gets a default and a single check can be more
// precise. An id no prefix covers has no severity: a harness defect that
// test/report/severity.test.ts turns into a failing test.

export const SEVERITIES = ['fips', 'hardening', 'protocol', 'slo', 'harness'] as const;
export type Severity = (typeof SEVERITIES)[number];

export interface SeverityRule {
  /** Check-id prefix, matched on whole path segments ("kat/acvp" covers "kat/acvp/ML-KEM-768/keyGen"). */
  prefix: string;
  severity: Severity;
  /** The standard section, corpus, protocol clause or harness duty the check holds a backend to. */
  source: string;
}

export const SEVERITY_TABLE: readonly SeverityRule[] = [
  // fips: the standard requires it.
  { prefix: 'crypto', severity: 'fips', source: 'FIPS 203 / FIPS 204: functional correctness of the algorithms' },
  { prefix: 'crypto/algorithms', severity: 'harness', source: 'harness: the backend must name the algorithms it offers' },
  {
    prefix: 'crypto/roundtrip',
    severity: 'fips',
    source: 'FIPS 203 section 7 (ML-KEM KeyGen/Encaps/Decaps); FIPS 204 section 5 (ML-DSA KeyGen/Sign/Verify)',
  },
  { prefix: 'crypto/negative', severity: 'fips', source: 'FIPS 204 section 5.3 (ML-DSA.Verify rejects altered messages and signatures)' },
  {
    prefix: 'crypto/implicit-rejection',
    severity: 'fips',
    source: 'FIPS 203 section 6.3 (ML-KEM.Decaps_internal implicit rejection, K-bar = J(z||c))',
  },
  {
    prefix: 'crypto/interop',
    severity: 'fips',
    source: 'FIPS 203 section 7 / FIPS 204 section 5: outputs of conforming implementations interoperate',
  },
  {
    prefix: 'crypto/determinism',
    severity: 'fips',
    source: 'FIPS 203 section 6 / FIPS 204 section 6: internal functions are deterministic in their inputs',
  },
  { prefix: 'crypto/context', severity: 'fips', source: 'FIPS 204 section 5.2 (context string ctx, at most 255 bytes)' },
  { prefix: 'crypto/hedged', severity: 'fips', source: 'FIPS 204 section 3.4 (hedged signing draws fresh rnd)' },
  { prefix: 'kat/acvp', severity: 'fips', source: 'FIPS 203 / FIPS 204 via NIST ACVP known answers' },
  {
    prefix: 'kat/acvp/ML-KEM-512/encapsulationKeyCheck',
    severity: 'fips',
    source: 'FIPS 203 section 7.2 (encapsulation key modulus check)',
  },
  {
    prefix: 'kat/acvp/ML-KEM-768/encapsulationKeyCheck',
    severity: 'fips',
    source: 'FIPS 203 section 7.2 (encapsulation key modulus check)',
  },
  {
    prefix: 'kat/acvp/ML-KEM-1024/encapsulationKeyCheck',
    severity: 'fips',
    source: 'FIPS 203 section 7.2 (encapsulation key modulus check)',
  },
  { prefix: 'kat/acvp/ML-KEM-512/decapsulationKeyCheck', severity: 'fips', source: 'FIPS 203 section 7.3 (decapsulation key hash check)' },
  { prefix: 'kat/acvp/ML-KEM-768/decapsulationKeyCheck', severity: 'fips', source: 'FIPS 203 section 7.3 (decapsulation key hash check)' },
  { prefix: 'kat/acvp/ML-KEM-1024/decapsulationKeyCheck', severity: 'fips', source: 'FIPS 203 section 7.3 (decapsulation key hash check)' },
  { prefix: 'kat/drbg', severity: 'fips', source: 'FIPS 203 / FIPS 204 submission KATs (NIST DRBG .rsp files)' },
  {
    prefix: 'kat/accumulated',
    severity: 'fips',
    source: 'FIPS 203 / FIPS 204 accumulated known answers (many cases folded into one hash)',
  },
  // hardening: a test corpus flags it beyond the standard.
  {
    prefix: 'kat/wycheproof',
    severity: 'hardening',
    source: 'C2SP Wycheproof test vectors (flags beyond FIPS 203/204, e.g. InvalidPrivateKey)',
  },
  // protocol: a clause of docs/mesh.md (or the fallback/control documents it points to).
  { prefix: 'kat/xwing', severity: 'protocol', source: 'docs/mesh.md "Suites": XWING-MLDSA65 uses X-Wing (draft-connolly-cfrg-xwing-kem)' },
  { prefix: 'mesh', severity: 'protocol', source: 'docs/mesh.md (protocol v1)' },
  { prefix: 'mesh/wire', severity: 'protocol', source: 'docs/mesh.md "Wire format": strict decoding, bad_frame' },
  { prefix: 'mesh/handshake', severity: 'protocol', source: 'docs/mesh.md "Handshake": signatures over the transcript, downgrade defence' },
  { prefix: 'mesh/channel', severity: 'protocol', source: 'docs/mesh.md "Channels": per-direction keys, replay window' },
  { prefix: 'negative', severity: 'protocol', source: 'docs/mesh.md numbered clauses: each negative check names the clause it tests' },
  { prefix: 'control', severity: 'protocol', source: 'docs/mesh.md control plane: signed gossip, quorum certificates' },
  { prefix: 'chaos', severity: 'protocol', source: 'docs/mesh.md membership: partitions never both commit; convergence after heal' },
  { prefix: 'fallback', severity: 'protocol', source: 'docs/fallback-and-metrics.md: fallback alert, recovery, TTL fails closed' },
  // slo: the service level the mesh team promises.
  { prefix: 'slo', severity: 'slo', source: 'SLO: handshake success >= 99%, p95 latency < 100 ms, fallback rate 0' },
  // harness: the harness's own power.
  { prefix: 'kat/vectors', severity: 'harness', source: 'harness: the vector set is present and pinned' },
  { prefix: 'kat/lint', severity: 'harness', source: 'harness: vector lint (a vector set that cannot discriminate)' },
  { prefix: 'kat/load', severity: 'harness', source: 'harness: a vector file failed to load' },
  { prefix: 'selftest', severity: 'harness', source: 'harness: selftest kill matrix (every family fails its mutants)' },
];

const covers = (prefix: string, id: string) => id === prefix || id.startsWith(`${prefix}/`);

/** The most specific rule for a check id, or undefined when the table does not cover it. */
export function severityOf(checkId: string): SeverityRule | undefined {
  let best: SeverityRule | undefined;
  for (const r of SEVERITY_TABLE) if (covers(r.prefix, checkId) && (!best || r.prefix.length > best.prefix.length)) best = r;
  return best;
}
