// Wycheproof (C2SP/wycheproof testvectors_v1) ML-KEM and ML-DSA files. The
// file's `schema` names its kind; `valid` cases must reproduce the outputs,
// `invalid` cases must be rejected, `acceptable` may go either way.
import { isKemAlg, isSigAlg, type KemAlg, type SigAlg } from '../src/crypto/algorithms.ts';
import { Fields, isObject } from './json.ts';

export type WycheproofKemKind = 'keygen_seed' | 'test' | 'encaps' | 'semi_expanded_decaps';
export type WycheproofDsaKind = 'sign_seed' | 'sign_noseed' | 'verify';
export const WYCHEPROOF_KEM_KINDS: readonly WycheproofKemKind[] = ['keygen_seed', 'test', 'encaps', 'semi_expanded_decaps'];
export const WYCHEPROOF_DSA_KINDS: readonly WycheproofDsaKind[] = ['sign_seed', 'sign_noseed', 'verify'];

/** Schema file name -> kind. */
const SCHEMAS: Record<string, WycheproofKemKind | WycheproofDsaKind> = {
  'mlkem_keygen_seed_test_schema.json': 'keygen_seed',
  'mlkem_test_schema.json': 'test',
  'mlkem_encaps_test_schema.json': 'encaps',
  'mlkem_semi_expanded_decaps_test_schema.json': 'semi_expanded_decaps',
  'mldsa_sign_seed_schema.json': 'sign_seed',
  'mldsa_sign_noseed_schema.json': 'sign_noseed',
  'mldsa_verify_schema.json': 'verify',
};

/** The file kind a Wycheproof `schema` name stands for, or undefined when it is not an ML-KEM / ML-DSA schema. */
export function wycheproofKindOf(schema: string): WycheproofKemKind | WycheproofDsaKind | undefined {
  return Object.hasOwn(SCHEMAS, schema) ? SCHEMAS[schema] : undefined;
}

export type WycheproofResult = 'valid' | 'invalid' | 'acceptable';

interface CaseBase {
  file: string;
  tcId: number;
  comment: string;
  result: WycheproofResult;
  flags: string[];
}

export type WycheproofKemCase = CaseBase & { alg: KemAlg } & (
    | { kind: 'keygen_seed'; seed: Uint8Array; ek?: Uint8Array; dk?: Uint8Array }
    | { kind: 'test'; seed: Uint8Array; ek?: Uint8Array; c: Uint8Array; K?: Uint8Array }
    | { kind: 'encaps'; ek: Uint8Array; m: Uint8Array; c?: Uint8Array; K?: Uint8Array }
    | { kind: 'semi_expanded_decaps'; dk: Uint8Array; c: Uint8Array; K?: Uint8Array }
  );

export type WycheproofDsaCase = CaseBase & {
  alg: SigAlg;
  /** Message (absent for Sign_internal cases that give mu only). */
  msg?: Uint8Array;
  mu?: Uint8Array;
  ctx: Uint8Array;
  sig: Uint8Array;
} & (
    | { kind: 'sign_seed'; privateSeed: Uint8Array; publicKey?: Uint8Array; rnd: Uint8Array }
    | { kind: 'sign_noseed'; privateKey: Uint8Array; publicKey?: Uint8Array; rnd: Uint8Array }
    | { kind: 'verify'; publicKey: Uint8Array }
  );

export interface WycheproofFile {
  file: string;
  family: 'ML-KEM' | 'ML-DSA';
  kind: WycheproofKemKind | WycheproofDsaKind;
  kem: WycheproofKemCase[];
  dsa: WycheproofDsaCase[];
}

/** An ML-KEM or ML-DSA Wycheproof file: {algorithm, schema, testGroups}. */
export function looksLikeWycheproof(x: unknown): boolean {
  return (
    isObject(x) &&
    typeof x.schema === 'string' &&
    typeof x.algorithm === 'string' &&
    (x.algorithm === 'ML-KEM' || x.algorithm.startsWith('ML-DSA'))
  );
}

export function parseWycheproof(file: string, x: unknown): WycheproofFile {
  const top: Fields = Fields.of(file, '', x);
  const schema = top.str('schema');
  const kind = SCHEMAS[schema];
  if (!kind) top.fail(`unknown Wycheproof schema "${schema}" (known: ${Object.keys(SCHEMAS).join(', ')})`);
  const algorithm = top.str('algorithm');
  const family = algorithm === 'ML-KEM' ? 'ML-KEM' : 'ML-DSA';
  if ((family === 'ML-KEM') !== schema.startsWith('mlkem_')) top.fail(`schema "${schema}" does not fit algorithm "${algorithm}"`);
  const out: WycheproofFile = { file, family, kind, kem: [], dsa: [] };
  top.array('testGroups').forEach((g, gi) => {
    const group: Fields = Fields.of(file, `testGroups[${gi}]`, g);
    group.array('tests').forEach((t, ti) => {
      const pre = Fields.of(file, `testGroups[${gi}] tests[${ti}]`, t);
      const tcId = pre.int('tcId');
      const test = new Fields(file, `tcId ${tcId}`, pre.obj, tcId);
      const base: CaseBase = {
        file,
        tcId,
        comment: test.optStr('comment') ?? '',
        result: test.oneOf('result', ['valid', 'invalid', 'acceptable'] as const),
        flags: test.strings('flags'),
      };
      if (family === 'ML-KEM') out.kem.push(kemCase(kind as WycheproofKemKind, group, test, base));
      else {
        if (!isSigAlg(algorithm)) top.fail(`unknown algorithm "${algorithm}" (known: ML-DSA-44, ML-DSA-65, ML-DSA-87)`);
        out.dsa.push(dsaCase(kind as WycheproofDsaKind, algorithm, group, test, base));
      }
    });
  });
  return out;
}

/** Expected outputs are empty strings for invalid cases; treat empty as absent. */
function output(f: Fields, key: string): Uint8Array | undefined {
  const b = f.optHex(key);
  return b && b.length > 0 ? b : undefined;
}

function kemCase(kind: WycheproofKemKind, group: Fields, test: Fields, base: CaseBase): WycheproofKemCase {
  const paramSet = group.str('parameterSet');
  if (!isKemAlg(paramSet)) group.fail(`unknown parameterSet "${paramSet}" for ML-KEM`);
  const b = { ...base, alg: paramSet };
  switch (kind) {
    case 'keygen_seed':
      return { ...b, kind, seed: test.hex('seed'), ek: output(test, 'ek'), dk: output(test, 'dk') };
    case 'test':
      return { ...b, kind, seed: test.hex('seed'), ek: output(test, 'ek'), c: test.hex('c'), K: output(test, 'K') };
    case 'encaps':
      return { ...b, kind, ek: test.hex('ek'), m: test.hex('m'), c: output(test, 'c'), K: output(test, 'K') };
    case 'semi_expanded_decaps':
      return { ...b, kind, dk: test.hex('dk'), c: test.hex('c'), K: output(test, 'K') };
  }
}

function dsaCase(kind: WycheproofDsaKind, alg: SigAlg, group: Fields, test: Fields, base: CaseBase): WycheproofDsaCase {
  const common = {
    ...base,
    alg,
    msg: test.optHex('msg'),
    mu: output(test, 'mu'),
    ctx: test.optHex('ctx') ?? new Uint8Array(0),
    sig: test.hex('sig'),
  };
  if (common.msg === undefined && common.mu === undefined) test.fail('has neither "msg" nor "mu"');
  // Without rnd the signature is the deterministic one (rnd = 32 zero bytes).
  const rnd = test.optHex('rnd') ?? new Uint8Array(32);
  switch (kind) {
    case 'sign_seed':
      return { ...common, kind, privateSeed: group.hex('privateSeed'), publicKey: group.optHex('publicKey'), rnd };
    case 'sign_noseed':
      return { ...common, kind, privateKey: group.hex('privateKey'), publicKey: group.optHex('publicKey'), rnd };
    case 'verify':
      return { ...common, kind, publicKey: group.hex('publicKey') };
  }
}
