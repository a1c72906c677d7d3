// The C2SP/wycheproof JSON schemas of the seven ML-KEM / ML-DSA file kinds
// (schemas/*.json at commit dac1dd47), restated in zod: required fields,
// field types, hex strings, no unknown fields, and the conditional rules of
// mldsa_sign_common.json. The upstream schema files reference a common.json
// that the vectors directory may not hold, so the rules live here, in code.
import { z } from 'zod';
import type { WycheproofDsaKind, WycheproofKemKind } from '../wycheproof.ts';

const hex = z.string().regex(/^(?:[0-9a-fA-F]{2})*$/, 'not an even-length hex string');
const result = z.enum(['valid', 'invalid', 'acceptable']);
const flags = z.array(z.string());
const source = z.object({ name: z.string(), version: z.string() });
const notes = z.record(z.string(), z.unknown());
const kemParameterSet = z.enum(['ML-KEM-512', 'ML-KEM-768', 'ML-KEM-1024']);

function fileOf(schemaName: string, algorithm: z.ZodType, group: z.ZodType, headerRequired: boolean) {
  return z.strictObject({
    algorithm,
    generatorVersion: z.string().optional(),
    header: headerRequired ? z.array(z.string()) : z.array(z.string()).optional(),
    notes: headerRequired ? notes : notes.optional(),
    numberOfTests: z.number().int(),
    schema: z.literal(schemaName),
    testGroups: z.array(group),
  });
}

function kemGroup(type: string, test: z.ZodType, typeRequired = true) {
  return z.strictObject({
    type: typeRequired ? z.literal(type) : z.literal(type).optional(),
    source,
    parameterSet: kemParameterSet,
    tests: z.array(test),
  });
}

const kemKeygenTest = z.strictObject({
  tcId: z.number().int(),
  comment: z.string().optional(),
  seed: hex,
  ek: hex,
  dk: hex,
  result,
  flags: flags.optional(),
});

const kemTest = z.strictObject({
  tcId: z.number().int(),
  comment: z.string().optional(),
  seed: hex,
  ek: hex.optional(),
  c: hex,
  K: hex,
  result,
  flags,
});

const kemEncapsTest = z.strictObject({
  tcId: z.number().int(),
  comment: z.string().optional(),
  ek: hex,
  m: hex.length(64),
  c: hex,
  K: hex,
  result,
  flags,
});

const kemDecapsTest = z
  .strictObject({
    tcId: z.number().int(),
    comment: z.string().optional(),
    dk: hex,
    ek: hex,
    c: hex,
    K: hex.optional(),
    result,
    flags,
  })
  .refine((t) => t.result !== 'valid' || t.K !== undefined, { message: 'a valid case must give K', path: ['K'] });

/** mldsa_sign_common.json MlDsaSignTestVector with its three if/then rules. */
const dsaSignTest = z
  .strictObject({
    tcId: z.number().int(),
    comment: z.string(),
    msg: hex.optional(),
    ctx: hex.optional(),
    rnd: hex.optional(),
    mu: hex.optional(),
    sig: hex,
    result,
    flags,
  })
  .superRefine((t, ctx) => {
    if (t.result === 'valid' && t.mu === undefined) ctx.addIssue({ code: 'custom', path: ['mu'], message: 'a valid case must give mu' });
    if (t.rnd !== undefined && !t.flags.includes('Randomized'))
      ctx.addIssue({ code: 'custom', path: ['flags'], message: 'a case with rnd must carry the flag Randomized' });
    if (t.flags.includes('Internal') && t.msg !== undefined)
      ctx.addIssue({ code: 'custom', path: ['msg'], message: 'an Internal case must not give msg' });
  });

const dsaVerifyTest = z.strictObject({
  tcId: z.number().int(),
  comment: z.string(),
  msg: hex,
  ctx: hex.optional(),
  sig: hex,
  result,
  flags,
});

const publicKeyOrNull = z.union([hex, z.null()]);

const SCHEMAS: Record<WycheproofKemKind | WycheproofDsaKind, z.ZodType> = {
  keygen_seed: fileOf('mlkem_keygen_seed_test_schema.json', z.literal('ML-KEM'), kemGroup('MLKEMKeyGen', kemKeygenTest), false),
  test: fileOf('mlkem_test_schema.json', z.literal('ML-KEM'), kemGroup('MLKEMTest', kemTest), false),
  encaps: fileOf('mlkem_encaps_test_schema.json', z.literal('ML-KEM'), kemGroup('MLKEMEncapsTest', kemEncapsTest, false), false),
  semi_expanded_decaps: fileOf(
    'mlkem_semi_expanded_decaps_test_schema.json',
    z.literal('ML-KEM'),
    kemGroup('MLKEMDecapsValidationTest', kemDecapsTest),
    false,
  ),
  sign_seed: fileOf(
    'mldsa_sign_seed_schema.json',
    z.string(),
    z.strictObject({
      type: z.literal('MlDsaSign'),
      privateSeed: hex,
      privateKeyPkcs8: z.string().optional(),
      publicKey: publicKeyOrNull,
      source,
      tests: z.array(dsaSignTest),
    }),
    true,
  ),
  sign_noseed: fileOf(
    'mldsa_sign_noseed_schema.json',
    z.string(),
    z.strictObject({ type: z.literal('MlDsaSign'), privateKey: hex, publicKey: publicKeyOrNull, source, tests: z.array(dsaSignTest) }),
    true,
  ),
  verify: fileOf(
    'mldsa_verify_schema.json',
    z.string(),
    z.strictObject({ type: z.literal('MlDsaVerify'), publicKey: hex, publicKeyDer: z.string(), source, tests: z.array(dsaVerifyTest) }),
    true,
  ),
};

/** Schema violations of a Wycheproof file of the given kind, as "path: message" lines (at most `limit`). */
export function schemaViolations(kind: WycheproofKemKind | WycheproofDsaKind, json: unknown, limit = 5): string[] {
  const r = SCHEMAS[kind].safeParse(json);
  if (r.success) return [];
  return r.error.issues.slice(0, limit).map((i) => `${i.path.length ? i.path.join('.') : '(top level)'}: ${i.message}`);
}
