// Lint of one Wycheproof ML-KEM / ML-DSA file: it matches its schema,
// numberOfTests is true, the case counts of the pinned file are met, it has
// cases of both kinds, and its same-length "invalid" encapsulation keys hold
// a coefficient >= q (else nothing makes them invalid, FIPS 203 §7.2).
import { posix } from 'node:path';
import { KEM_SIZES, isKemAlg } from '../../src/crypto/algorithms.ts';
import { isObject, type JsonObject } from '../json.ts';
import { wycheproofKindOf } from '../wycheproof.ts';
import { WYCHEPROOF_COUNTS, WYCHEPROOF_SAMPLE_COUNTS, type WycheproofCount } from './expected-counts.ts';
import { DefectList, type FileLint, type LintRule } from './findings.ts';
import { firstUnreducedCoefficient } from './mlkem-keys.ts';
import { schemaViolations } from './wycheproof-schema.ts';

const RULES: LintRule[] = ['schema', 'counts', 'discriminates', 'negative-key', 'positive-key'];

/** The counts table a file is held to: the trimmed sample's, or upstream's. */
function expectedCounts(path: string): WycheproofCount | undefined {
  const name = posix.basename(path);
  const table = path.split('/').includes('wycheproof-sample') ? WYCHEPROOF_SAMPLE_COUNTS : WYCHEPROOF_COUNTS;
  return Object.hasOwn(table, name) ? table[name] : undefined;
}

/** "testGroups.0.tests.3.mu" -> "tcId 17 field mu", when the path leads into a test. */
function placeOf(json: JsonObject, issue: string): string {
  const m = /^testGroups\.(\d+)\.tests\.(\d+)\.?(\S*): (.*)$/.exec(issue);
  if (!m) return issue;
  const groups = json.testGroups as JsonObject[];
  const test = (groups[Number(m[1])]?.tests as JsonObject[] | undefined)?.[Number(m[2])];
  const tcId = isObject(test) && typeof test.tcId === 'number' ? `tcId ${test.tcId}` : `testGroups[${m[1]}].tests[${m[2]}]`;
  return `${tcId}${m[3] ? ` field ${m[3]}` : ''}: ${m[4]}`;
}

function lintEncapsKeys(json: JsonObject, defects: DefectList): void {
  for (const g of json.testGroups as JsonObject[]) {
    const alg = String(g.parameterSet);
    if (!isKemAlg(alg)) continue;
    for (const t of g.tests as JsonObject[]) {
      const ek = new Uint8Array(Buffer.from(String(t.ek), 'hex'));
      if (ek.length !== KEM_SIZES[alg].ek) continue; // a length test: refused by the type check, as intended
      const unreduced = firstUnreducedCoefficient(alg, ek) >= 0;
      const tcId = t.tcId as number;
      if (t.result === 'invalid' && !unreduced)
        defects.add(
          'negative-key',
          `${alg} invalid encapsulation key of standard length with no coefficient >= q: nothing in it for the FIPS 203 §7.2 check to reject (ACVP-Server #460)`,
          tcId,
        );
      if (t.result === 'valid' && unreduced)
        defects.add('positive-key', `${alg} valid case whose ek has a coefficient >= q: FIPS 203 §7.2 requires refusing it`, tcId);
    }
  }
}

export function lintWycheproof(path: string, json: unknown): FileLint {
  const defects = new DefectList();
  const result: FileLint = { path, files: [path], format: 'wycheproof', cases: 0, rules: RULES, defects: [] };
  const done = () => {
    result.defects = defects.list();
    return result;
  };
  const schema = isObject(json) && typeof json.schema === 'string' ? json.schema : undefined;
  const kind = schema !== undefined ? wycheproofKindOf(schema) : undefined;
  if (!isObject(json) || !kind) {
    defects.add('schema', `"schema" ${schema === undefined ? 'is missing' : `"${schema}" is not an ML-KEM / ML-DSA schema`}`);
    return done();
  }
  const violations = schemaViolations(kind, json);
  for (const v of violations) defects.add('schema', `does not match ${schema}: ${placeOf(json, v)}`);
  if (violations.length) return done(); // the rules below read the fields the schema guarantees

  const tests = (json.testGroups as JsonObject[]).flatMap((g) => g.tests as JsonObject[]);
  result.cases = tests.length;
  const count = (r: string) => tests.filter((t) => t.result === r).length;
  const got: WycheproofCount = { total: tests.length, valid: count('valid'), invalid: count('invalid') };
  if (json.numberOfTests !== got.total)
    defects.add('schema', `numberOfTests says ${String(json.numberOfTests)} but the file holds ${got.total} tests`);
  const want = expectedCounts(path);
  if (want) {
    for (const k of ['total', 'valid', 'invalid'] as const)
      if (got[k] < want[k])
        defects.add('counts', `${got[k]} ${k === 'total' ? '' : `${k} `}cases, the pinned file of this name has ${want[k]}`);
  }
  if (got.valid === 0) defects.add('discriminates', 'no valid case: nothing a correct backend must reproduce');
  if (kind !== 'keygen_seed' && got.invalid === 0)
    defects.add('discriminates', 'no invalid case: a backend that accepts everything passes every case');
  if (kind === 'encaps') lintEncapsKeys(json, defects);
  return done();
}
