// NIST ACVP JSON for FIPS 203 (ML-KEM) and FIPS 204 (ML-DSA): prompt.json
// holds the inputs, expectedResults.json the outputs by tcId; an
// internalProjection.json holds both. Loading merges them into typed cases.
import { isKemAlg, isSigAlg, type KemAlg, type SigAlg } from '../src/crypto/algorithms.ts';
import { Fields, VectorFormatError, isObject, type JsonObject } from './json.ts';

export type AcvpKemFunction = 'keyGen' | 'encapsulation' | 'decapsulation' | 'encapsulationKeyCheck' | 'decapsulationKeyCheck';
export type AcvpDsaFunction = 'keyGen' | 'sigGen' | 'sigVer';
export const ACVP_KEM_FUNCTIONS: readonly AcvpKemFunction[] = [
  'keyGen',
  'encapsulation',
  'decapsulation',
  'encapsulationKeyCheck',
  'decapsulationKeyCheck',
];
export const ACVP_DSA_FUNCTIONS: readonly AcvpDsaFunction[] = ['keyGen', 'sigGen', 'sigVer'];

/** FIPS 204 §5.4 pre-hash functions as ACVP names them. */
export const ACVP_HASH_ALGS = [
  'SHA2-224',
  'SHA2-256',
  'SHA2-384',
  'SHA2-512',
  'SHA2-512/224',
  'SHA2-512/256',
  'SHA3-224',
  'SHA3-256',
  'SHA3-384',
  'SHA3-512',
  'SHAKE-128',
  'SHAKE-256',
] as const;
export type AcvpHashAlg = (typeof ACVP_HASH_ALGS)[number];

interface CaseBase {
  /** Relative path of the file holding the expected output. */
  file: string;
  tgId: number;
  tcId: number;
}

export type KemCase = CaseBase & { alg: KemAlg } & (
    | { fn: 'keyGen'; d: Uint8Array; z: Uint8Array; ek: Uint8Array; dk: Uint8Array }
    | { fn: 'encapsulation'; ek: Uint8Array; m: Uint8Array; c: Uint8Array; k: Uint8Array }
    | { fn: 'decapsulation'; dk?: Uint8Array; d?: Uint8Array; z?: Uint8Array; c: Uint8Array; k: Uint8Array }
    | { fn: 'encapsulationKeyCheck'; ek: Uint8Array; testPassed: boolean }
    | { fn: 'decapsulationKeyCheck'; dk: Uint8Array; testPassed: boolean }
  );

/** How the message reaches ML-DSA: FIPS 204 Alg. 2/3 (pure), Alg. 4/5 (preHash), Alg. 7/8 (internal), or mu. */
export type DsaInterface = 'pure' | 'preHash' | 'internal' | 'externalMu';

export interface DsaSigInput {
  iface: DsaInterface;
  /** M for pure/preHash, M' for internal; absent for externalMu. */
  message?: Uint8Array;
  mu?: Uint8Array;
  context: Uint8Array;
  hashAlg?: AcvpHashAlg;
}

export type DsaCase = CaseBase & { alg: SigAlg } & (
    | { fn: 'keyGen'; seed: Uint8Array; pk: Uint8Array; sk: Uint8Array }
    | ({ fn: 'sigGen'; sk?: Uint8Array; seed?: Uint8Array; deterministic: boolean; rnd?: Uint8Array; signature: Uint8Array } & DsaSigInput)
    | ({ fn: 'sigVer'; pk: Uint8Array; signature: Uint8Array; testPassed: boolean } & DsaSigInput)
  );

export interface AcvpVectorSet {
  algorithm: 'ML-KEM' | 'ML-DSA';
  mode: string;
  revision: string;
  /** The files this set was read from (prompt + expectedResults, or one merged file). */
  files: string[];
  kem: KemCase[];
  dsa: DsaCase[];
}

/** Recognises the ACVP top level: {vsId, algorithm, mode, revision, testGroups}. */
export function looksLikeAcvp(x: unknown): boolean {
  return isObject(x) && typeof x.algorithm === 'string' && ('testGroups' in x || 'vsId' in x) && 'mode' in x;
}

function header(file: string, x: unknown) {
  const top = Fields.of(file, '', x);
  const algorithm = top.oneOf('algorithm', ['ML-KEM', 'ML-DSA'] as const);
  const mode = top.str('mode');
  const revision = top.str('revision');
  const groups = top.array('testGroups');
  return { top, algorithm, mode, revision, groups };
}

/** Expected outputs by tcId, from expectedResults.json. */
function indexExpected(file: string, x: unknown): Map<number, JsonObject> {
  const { groups } = header(file, x);
  const out = new Map<number, JsonObject>();
  groups.forEach((g, gi) => {
    const gf = Fields.of(file, `testGroups[${gi}]`, g);
    gf.array('tests').forEach((t, ti) => {
      const tf = Fields.of(file, `tgId ${gf.has('tgId') ? gf.int('tgId') : gi} tests[${ti}]`, t);
      out.set(tf.int('tcId'), tf.obj);
    });
  });
  return out;
}

/**
 * Builds the cases of one vector set. `prompt` carries inputs (or is a merged
 * internalProjection when `expected` is undefined).
 */
export function parseAcvp(promptFile: string, prompt: unknown, expectedFile?: string, expected?: unknown): AcvpVectorSet {
  const { algorithm, mode, revision, groups } = header(promptFile, prompt);
  let outputs: Map<number, JsonObject> | undefined;
  if (expectedFile !== undefined) {
    const h = header(expectedFile, expected);
    if (h.algorithm !== algorithm || h.mode !== mode || h.revision !== revision) {
      throw new VectorFormatError(
        expectedFile,
        '',
        `is ${h.algorithm} ${h.mode} ${h.revision} but ${promptFile} is ${algorithm} ${mode} ${revision}`,
      );
    }
    outputs = indexExpected(expectedFile, expected);
  }
  const outFile = expectedFile ?? promptFile;
  const set: AcvpVectorSet = {
    algorithm,
    mode,
    revision,
    files: expectedFile ? [promptFile, expectedFile] : [promptFile],
    kem: [],
    dsa: [],
  };
  groups.forEach((g, gi) => {
    const gf = Fields.of(promptFile, `testGroups[${gi}]`, g);
    const tgId = gf.int('tgId');
    const group: Fields = new Fields(promptFile, `tgId ${tgId}`, gf.obj);
    const paramSet = group.str('parameterSet');
    group.array('tests').forEach((t, ti) => {
      const inFields = Fields.of(promptFile, `tgId ${tgId} tests[${ti}]`, t);
      const tcId = inFields.int('tcId');
      const input = new Fields(promptFile, `tgId ${tgId} tcId ${tcId}`, inFields.obj, tcId);
      let output = input;
      if (outputs) {
        const o = outputs.get(tcId);
        if (!o) throw new VectorFormatError(outFile, `tcId ${tcId}`, 'no expected result for this test', tcId);
        output = new Fields(outFile, `tcId ${tcId}`, o, tcId);
      }
      const base = { file: outFile, tgId, tcId };
      if (algorithm === 'ML-KEM') {
        if (!isKemAlg(paramSet)) group.fail(`unknown parameterSet "${paramSet}" for ML-KEM`);
        set.kem.push(kemCase(mode, group, input, output, { ...base, alg: paramSet }));
      } else {
        if (!isSigAlg(paramSet)) group.fail(`unknown parameterSet "${paramSet}" for ML-DSA`);
        set.dsa.push(dsaCase(mode, group, input, output, { ...base, alg: paramSet }));
      }
    });
  });
  return set;
}

function kemCase(mode: string, group: Fields, input: Fields, output: Fields, base: CaseBase & { alg: KemAlg }): KemCase {
  if (mode === 'keyGen') {
    return { ...base, fn: 'keyGen', d: input.hex('d'), z: input.hex('z'), ek: output.hex('ek'), dk: output.hex('dk') };
  }
  if (mode !== 'encapDecap') group.fail(`unknown ML-KEM mode "${mode}"`);
  const fn = group.oneOf('function', ['encapsulation', 'decapsulation', 'encapsulationKeyCheck', 'decapsulationKeyCheck'] as const);
  switch (fn) {
    case 'encapsulation':
      return { ...base, fn, ek: input.hex('ek'), m: input.hex('m'), c: output.hex('c'), k: output.hex('k') };
    case 'decapsulation': {
      // FIPS203-tr1 adds seed-form keys (d, z) beside the expanded dk.
      const seedForm = group.optStr('keyFormat') === 'seed';
      const keys = seedForm ? { d: input.hex('d'), z: input.hex('z') } : { dk: input.hex('dk') };
      return { ...base, fn, ...keys, c: input.hex('c'), k: output.hex('k') };
    }
    case 'encapsulationKeyCheck':
      return { ...base, fn, ek: input.hex('ek'), testPassed: output.bool('testPassed') };
    case 'decapsulationKeyCheck':
      return { ...base, fn, dk: input.hex('dk'), testPassed: output.bool('testPassed') };
  }
}

function sigInput(group: Fields, input: Fields): DsaSigInput {
  const external = group.oneOf('signatureInterface', ['external', 'internal'] as const) === 'external';
  if (external) {
    const preHash = group.oneOf('preHash', ['pure', 'preHash'] as const);
    const context = input.optHex('context') ?? new Uint8Array(0);
    if (preHash === 'pure') return { iface: 'pure', message: input.hex('message'), context };
    return { iface: 'preHash', message: input.hex('message'), context, hashAlg: input.oneOf('hashAlg', ACVP_HASH_ALGS) };
  }
  if (group.optBool('externalMu')) return { iface: 'externalMu', mu: input.hex('mu'), context: new Uint8Array(0) };
  return { iface: 'internal', message: input.hex('message'), context: new Uint8Array(0) };
}

/** Older ACVP revisions put the key on the group, newer ones on each test. */
function fromTestOrGroup(input: Fields, group: Fields, key: string): Uint8Array {
  return input.has(key) || !group.has(key) ? input.hex(key) : group.hex(key);
}

function dsaCase(mode: string, group: Fields, input: Fields, output: Fields, base: CaseBase & { alg: SigAlg }): DsaCase {
  switch (mode) {
    case 'keyGen':
      return { ...base, fn: 'keyGen', seed: input.hex('seed'), pk: output.hex('pk'), sk: output.hex('sk') };
    case 'sigGen': {
      const deterministic = group.bool('deterministic');
      // FIPS204-tr1 groups say keyFormat; the original revision always gives sk.
      const seedForm = group.optStr('keyFormat') === 'seed';
      const key = seedForm ? { seed: input.hex('seed') } : { sk: fromTestOrGroup(input, group, 'sk') };
      // §3.7: deterministic signing is hedged signing with rnd = 32 zero bytes.
      const rnd = deterministic ? new Uint8Array(32) : input.hex('rnd');
      return { ...base, fn: 'sigGen', ...key, deterministic, rnd, signature: output.hex('signature'), ...sigInput(group, input) };
    }
    case 'sigVer':
      return {
        ...base,
        fn: 'sigVer',
        pk: fromTestOrGroup(input, group, 'pk'),
        signature: input.hex('signature'),
        testPassed: output.bool('testPassed'),
        ...sigInput(group, input),
      };
    default:
      group.fail(`unknown ML-DSA mode "${mode}"`);
  }
}
