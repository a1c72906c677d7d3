// attestation.intoto.jsonl: an in-toto Statement v1 (github.com/in-toto/attestation,
// spec/v1) with the test-result predicate v0.1, wrapped in a DSSE envelope
// signed with Ed25519 and ML-DSA-65. Subjects: the SHA-256 of every report
// file and of the mesh under test.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type DsseEnvelope,
  type SignatureAlg,
  type SigningKeys,
  signEnvelope,
  strictBase64,
  type VerificationKeys,
  verifyEnvelope,
} from './dsse.ts';
import { type CertificationReport, certificationSchema, expiryInstant } from './model.ts';
import { REPORT_FILES } from './write.ts';

export const ATTESTATION_FILE = 'attestation.intoto.jsonl';
export const INTOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';
export const STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
export const TEST_RESULT_PREDICATE = 'https://in-toto.io/attestation/test-result/v0.1';

export interface ResourceDescriptor {
  name: string;
  digest?: Record<string, string>;
  uri?: string;
  annotations?: Record<string, unknown>;
}

export interface Statement {
  _type: typeof STATEMENT_TYPE;
  subject: ResourceDescriptor[];
  predicateType: typeof TEST_RESULT_PREDICATE;
  predicate: {
    result: 'PASSED' | 'WARNED' | 'FAILED';
    configuration: ResourceDescriptor[];
    passedTests: string[];
    warnedTests: string[];
    failedTests: string[];
  };
}

const sha256 = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');
const MESH_SOURCES = fileURLToPath(new URL('../mesh/', import.meta.url));

function filesUnder(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((f) => {
      const p = join(dir, f);
      return statSync(p).isDirectory() ? filesUnder(p) : [p];
    });
}

/** The mesh under test: a user's node command (its text and, if it names a file, that file), else the reference node's sources. */
export function meshSubject(nodeCommand?: string): ResourceDescriptor {
  if (nodeCommand) {
    const program = nodeCommand.trim().split(/\s+/)[0];
    const h = createHash('sha256').update(nodeCommand);
    if (program && existsSync(program) && statSync(program).isFile()) h.update(readFileSync(program));
    return { name: 'mesh-under-test', digest: { sha256: h.digest('hex') }, annotations: { kind: 'node-command', nodeCommand } };
  }
  const h = createHash('sha256');
  for (const f of filesUnder(MESH_SOURCES)) h.update(`${relative(MESH_SOURCES, f)}\n`).update(readFileSync(f));
  return { name: 'mesh-under-test', digest: { sha256: h.digest('hex') }, annotations: { kind: 'reference-node', sources: 'src/mesh' } };
}

const label = (c: { id: string; backend?: string }) => (c.backend ? `${c.id} [${c.backend}]` : c.id);

export function buildStatement(dir: string, report: CertificationReport, mesh: ResourceDescriptor): Statement {
  const subject: ResourceDescriptor[] = Object.values(REPORT_FILES)
    .filter((f) => existsSync(join(dir, f)))
    .map((f) => ({ name: f, digest: { sha256: sha256(readFileSync(join(dir, f))) }, annotations: { kind: 'report-file' } }));
  subject.push(mesh);
  const waived = new Set(
    (report.policy?.violations ?? [])
      .filter((v) => v.waivedBy !== undefined && v.check)
      .map((v) => label({ id: v.check as string, backend: v.backend })),
  );
  const vectors = new Map<string, string>();
  for (const c of report.checks)
    for (const f of (c.evidence.files ?? []) as { path: string; sha256: string }[]) vectors.set(f.path, f.sha256);
  const configuration: ResourceDescriptor[] = [
    { name: 'profile', annotations: { profile: report.profile, seed: report.seed, command: report.command } },
    ...report.backends.map((b) => ({ name: `backend:${b.name}`, annotations: { version: b.version, deterministic: b.deterministic } })),
    ...(report.policy
      ? [{ name: 'policy', digest: { sha256: report.policy.digest }, annotations: { sources: report.policy.sources } }]
      : []),
    ...[...vectors].sort(([a], [b]) => a.localeCompare(b)).map(([path, hash]) => ({ name: `vectors:${path}`, digest: { sha256: hash } })),
    { name: 'tool', annotations: { name: report.tool.name, version: report.tool.version, node: report.environment.node } },
  ];
  const passed = report.checks.filter((c) => c.status === 'pass').map(label);
  const warned = report.checks.filter((c) => (c.status === 'fail' && waived.has(label(c))) || c.status === 'skip').map(label);
  const failed = report.checks.filter((c) => c.status === 'fail' && !waived.has(label(c))).map(label);
  const result =
    report.verdict === 'fail'
      ? 'FAILED'
      : report.policy?.outcome === 'passed-with-waivers' || report.policy?.warnings.length
        ? 'WARNED'
        : 'PASSED';
  return {
    _type: STATEMENT_TYPE,
    subject,
    predicateType: TEST_RESULT_PREDICATE,
    predicate: { result, configuration, passedTests: passed, warnedTests: warned, failedTests: failed },
  };
}

export function readReport(dir: string): CertificationReport {
  const file = join(dir, REPORT_FILES.json);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`${file}: cannot read a report: ${(e as Error).message}`);
  }
  const r = certificationSchema.safeParse(raw);
  if (!r.success)
    throw new Error(`${file}: not a certification report (schema ${r.error.issues[0]?.path.join('.')}: ${r.error.issues[0]?.message})`);
  return r.data;
}

/** The attestation line for a report directory: the statement in a DSSE envelope with both signatures. */
export function attest(
  dir: string,
  keys: SigningKeys,
  nodeCommand?: string,
): { envelope: DsseEnvelope; statement: Statement; line: string } {
  const statement = buildStatement(dir, readReport(dir), meshSubject(nodeCommand));
  const envelope = signEnvelope(INTOTO_PAYLOAD_TYPE, Buffer.from(JSON.stringify(statement), 'utf8'), keys);
  return { envelope, statement, line: `${JSON.stringify(envelope)}\n` };
}

export interface VerifyOutcome {
  signatures: SignatureAlg[];
  files: string[];
  result: Statement['predicate']['result'];
}

/** Checks the required signatures and every report file's digest; throws naming the file that does not match. */
export function verifyDir(dir: string, pub: VerificationKeys, require: readonly SignatureAlg[], now: Date = new Date()): VerifyOutcome {
  const att = join(dir, ATTESTATION_FILE);
  let text: string;
  try {
    text = readFileSync(att, 'utf8');
  } catch {
    throw new Error(`${ATTESTATION_FILE}: missing in ${dir} (run pqc-harness report sign)`);
  }
  let envelope: DsseEnvelope;
  try {
    envelope = JSON.parse(text) as DsseEnvelope;
  } catch (e) {
    throw new Error(`${ATTESTATION_FILE}: not a JSON envelope: ${(e as Error).message}`);
  }
  // The file is exactly what `report sign` wrote: a changed byte anywhere, even whitespace, fails.
  if (`${JSON.stringify(envelope)}\n` !== text)
    throw new Error(`${ATTESTATION_FILE}: changed after signing (not the signed serialization)`);
  if (envelope.payloadType !== INTOTO_PAYLOAD_TYPE)
    throw new Error(`${ATTESTATION_FILE}: payloadType ${envelope.payloadType} is not ${INTOTO_PAYLOAD_TYPE}`);
  let signatures: SignatureAlg[];
  try {
    signatures = verifyEnvelope(envelope, pub, require);
  } catch (e) {
    throw new Error(`${ATTESTATION_FILE}: ${(e as Error).message}`);
  }
  const statement = JSON.parse(strictBase64(envelope.payload, 'payload').toString('utf8')) as Statement;
  if (statement._type !== STATEMENT_TYPE || statement.predicateType !== TEST_RESULT_PREDICATE)
    throw new Error(`${ATTESTATION_FILE}: not an in-toto v1 test-result statement`);
  const files: string[] = [];
  for (const s of statement.subject) {
    if ((s.annotations as { kind?: string } | undefined)?.kind !== 'report-file') continue;
    const p = join(dir, s.name);
    if (!existsSync(p)) throw new Error(`${s.name}: listed in the attestation but missing`);
    if (sha256(readFileSync(p)) !== s.digest?.sha256)
      throw new Error(`${s.name}: SHA-256 differs from the attestation (the file changed after signing)`);
    files.push(s.name);
  }
  for (const f of Object.values(REPORT_FILES))
    if (existsSync(join(dir, f)) && !files.includes(f)) throw new Error(`${f}: present but not covered by the attestation`);
  // An expired waiver fails wherever it is read: a pass that leaned on one no longer holds.
  const report = readReport(dir);
  for (const [i, w] of (report.policy?.waivers ?? []).entries()) {
    const leanedOn = report.policy?.violations.some((v) => v.waivedBy === i);
    if (leanedOn && expiryInstant(w.expires) < now.getTime())
      throw new Error(
        `${REPORT_FILES.json}: waiver for ${w.id} (owner ${w.owner}) expired on ${w.expires}; the certification relied on it`,
      );
  }
  return { signatures, files, result: statement.predicate.result };
}
