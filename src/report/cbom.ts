// cbom.json: a CycloneDX 1.6 cryptography bill of materials of what actually
// ran: the backends and versions, the algorithms and parameter sets each
// passed, and from the mesh runs the suites the nodes negotiated (how often)
// and the fallback episodes (how long). The library builds and serializes
// the BOM; its 1.6 model has no cryptoProperties yet, so those are added to
// the serialized components (by bom-ref) and the result is checked against
// the library's bundled 1.6 JSON schema in test/report/writers.test.ts.
import * as CDX from '@cyclonedx/cyclonedx-library';
import { collectEvidence } from './evidence-shapes.ts';
import type { CertificationReport } from './model.ts';

interface AlgorithmFacts {
  primitive: 'kem' | 'signature';
  parameterSetIdentifier: string;
  nistQuantumSecurityLevel: number;
  cryptoFunctions: string[];
  oid?: string;
}

/** FIPS 203 table 2 / FIPS 204 table 1 security categories; OIDs from NIST CSOR (2.16.840.1.101.3.4.4.x, .3.x). */
const ALGORITHMS: Record<string, AlgorithmFacts> = {
  'ML-KEM-512': {
    primitive: 'kem',
    parameterSetIdentifier: '512',
    nistQuantumSecurityLevel: 1,
    cryptoFunctions: ['keygen', 'encapsulate', 'decapsulate'],
    oid: '2.16.840.1.101.3.4.4.1',
  },
  'ML-KEM-768': {
    primitive: 'kem',
    parameterSetIdentifier: '768',
    nistQuantumSecurityLevel: 3,
    cryptoFunctions: ['keygen', 'encapsulate', 'decapsulate'],
    oid: '2.16.840.1.101.3.4.4.2',
  },
  'ML-KEM-1024': {
    primitive: 'kem',
    parameterSetIdentifier: '1024',
    nistQuantumSecurityLevel: 5,
    cryptoFunctions: ['keygen', 'encapsulate', 'decapsulate'],
    oid: '2.16.840.1.101.3.4.4.3',
  },
  'ML-DSA-44': {
    primitive: 'signature',
    parameterSetIdentifier: '44',
    nistQuantumSecurityLevel: 2,
    cryptoFunctions: ['keygen', 'sign', 'verify'],
    oid: '2.16.840.1.101.3.4.3.17',
  },
  'ML-DSA-65': {
    primitive: 'signature',
    parameterSetIdentifier: '65',
    nistQuantumSecurityLevel: 3,
    cryptoFunctions: ['keygen', 'sign', 'verify'],
    oid: '2.16.840.1.101.3.4.3.18',
  },
  'ML-DSA-87': {
    primitive: 'signature',
    parameterSetIdentifier: '87',
    nistQuantumSecurityLevel: 5,
    cryptoFunctions: ['keygen', 'sign', 'verify'],
    oid: '2.16.840.1.101.3.4.3.19',
  },
  'X-Wing': {
    primitive: 'kem',
    parameterSetIdentifier: 'ML-KEM-768+X25519',
    nistQuantumSecurityLevel: 3,
    cryptoFunctions: ['keygen', 'encapsulate', 'decapsulate'],
  },
};

/** Which algorithm a check exercises, from its id (crypto/roundtrip/ML-KEM-768, kat/xwing). */
function algorithmOf(id: string): string | undefined {
  if (id === 'kat/xwing') return 'X-Wing';
  return /(ML-(?:KEM|DSA)-\d+)/.exec(id)?.[1];
}

interface Tally {
  passedBy: Set<string>;
  failedBy: Set<string>;
}

export function buildCbom(r: CertificationReport): Record<string, unknown> {
  const bom = new CDX.Models.Bom();
  bom.serialNumber = undefined;
  bom.metadata.timestamp = new Date(r.startedAt);
  bom.metadata.component = new CDX.Models.Component(CDX.Enums.ComponentType.Application, r.tool.name, {
    version: r.tool.version,
    bomRef: 'harness',
    description: `pqc-harness ${r.command} --profile ${r.profile} (seed ${r.seed}): ${r.verdict}`,
  });
  for (const b of r.backends) {
    const c = new CDX.Models.Component(CDX.Enums.ComponentType.Library, b.name, { version: b.version, bomRef: `backend/${b.name}` });
    c.properties.add(new CDX.Models.Property('pqc-harness:deterministic', String(b.deterministic)));
    bom.components.add(c);
  }
  // An algorithm counts as passed by a backend when it has at least one passing check there and no failing one.
  const tallies = new Map<string, Tally>();
  for (const c of r.checks) {
    const alg = algorithmOf(c.id);
    if (!alg || !c.backend || c.status === 'skip') continue;
    const t = tallies.get(alg) ?? { passedBy: new Set(), failedBy: new Set() };
    (c.status === 'pass' ? t.passedBy : t.failedBy).add(c.backend);
    tallies.set(alg, t);
  }
  const crypto = new Map<string, Record<string, unknown>>();
  for (const [alg, t] of [...tallies].sort(([a], [b]) => a.localeCompare(b))) {
    const facts = ALGORITHMS[alg];
    if (!facts) continue;
    const passed = [...t.passedBy].filter((b) => !t.failedBy.has(b)).sort();
    const c = new CDX.Models.Component(CDX.Enums.ComponentType.CryptographicAsset, alg, { bomRef: `algorithm/${alg}` });
    c.properties.add(new CDX.Models.Property('pqc-harness:passedBy', passed.join(',')));
    c.properties.add(new CDX.Models.Property('pqc-harness:failedBy', [...t.failedBy].sort().join(',')));
    bom.components.add(c);
    const { oid, ...props } = facts;
    crypto.set(`algorithm/${alg}`, {
      assetType: 'algorithm',
      algorithmProperties: { ...props, executionEnvironment: 'software-plain-ram' },
      ...(oid ? { oid } : {}),
    });
  }
  const suites = new Map<string, { nistLevel: number; count: number }>();
  for (const { value } of collectEvidence(r.checks, 'negotiated').found)
    for (const n of value) suites.set(n.suite, { nistLevel: n.nistLevel, count: (suites.get(n.suite)?.count ?? 0) + n.count });
  const episodes = collectEvidence(r.checks, 'fallbackEpisodes').found.flatMap((f) => f.value);
  if (suites.size || episodes.length) {
    const c = new CDX.Models.Component(CDX.Enums.ComponentType.CryptographicAsset, 'pqc-mesh protocol v1', {
      bomRef: 'protocol/pqc-mesh-v1',
      version: '1',
    });
    for (const [suite, s] of suites) c.properties.add(new CDX.Models.Property(`pqc-harness:negotiated:${suite}`, String(s.count)));
    c.properties.add(new CDX.Models.Property('pqc-harness:fallback:episodes', String(episodes.length)));
    c.properties.add(new CDX.Models.Property('pqc-harness:fallback:totalMs', String(episodes.reduce((a, e) => a + e.durationMs, 0))));
    for (const [i, e] of episodes.entries())
      c.properties.add(new CDX.Models.Property(`pqc-harness:fallback:${i}`, `${e.node} ${e.reason} ${e.durationMs} ms, ${e.endedBy}`));
    bom.components.add(c);
    crypto.set('protocol/pqc-mesh-v1', {
      assetType: 'protocol',
      protocolProperties: { type: 'other', version: '1', cipherSuites: [...suites.keys()].sort().map((name) => ({ name })) },
    });
  }
  const serializer = new CDX.Serialize.JsonSerializer(new CDX.Serialize.JSON.Normalize.Factory(CDX.Spec.Spec1dot6));
  const json = JSON.parse(serializer.serialize(bom, { sortLists: true })) as {
    components?: { 'bom-ref'?: string; cryptoProperties?: unknown }[];
  };
  for (const comp of json.components ?? []) {
    const props = comp['bom-ref'] ? crypto.get(comp['bom-ref']) : undefined;
    if (props) comp.cryptoProperties = props;
  }
  return json;
}

export function renderCbom(r: CertificationReport): string {
  return `${JSON.stringify(buildCbom(r), null, 2)}\n`;
}
