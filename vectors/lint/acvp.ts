// Lint of one ACVP vector set (prompt.json + expectedResults.json, or one
// merged file), read from the raw JSON so that a set the loader refuses is
// still explained. Rules: key-check cases carry their key (ACVP-Server #459),
// negative ML-KEM keys exercise the FIPS 203 check they are for (#460),
// positive ones pass it, and the case counts of the pinned file are met.
import { sha3_256 } from '@noble/hashes/sha3.js';
import { KEM_SIZES, isKemAlg, type KemAlg } from '../../src/crypto/algorithms.ts';
import { isObject, type JsonObject } from '../json.ts';
import { ACVP_COUNTS, type AcvpCount } from './expected-counts.ts';
import { DefectList, type FileLint, type LintRule } from './findings.ts';
import { firstUnreducedCoefficient, negativeDkDefect, negativeEkDefect } from './mlkem-keys.ts';

const HEX = /^(?:[0-9a-fA-F]{2})*$/;

const RULES: LintRule[] = ['schema', 'key-present', 'negative-key', 'positive-key', 'counts', 'discriminates'];

function groupsOf(json: unknown): JsonObject[] | undefined {
  if (!isObject(json) || !Array.isArray(json.testGroups)) return undefined;
  return json.testGroups.filter(isObject);
}

function testsOf(group: JsonObject): JsonObject[] {
  return Array.isArray(group.tests) ? group.tests.filter(isObject) : [];
}

/** Expected outputs by tcId. */
function outputsOf(json: unknown): Map<number, JsonObject> {
  const out = new Map<number, JsonObject>();
  for (const g of groupsOf(json) ?? []) for (const t of testsOf(g)) if (typeof t.tcId === 'number') out.set(t.tcId, t);
  return out;
}

function hexField(t: JsonObject, key: string): Uint8Array | undefined {
  const v = t[key];
  return typeof v === 'string' && HEX.test(v) ? new Uint8Array(Buffer.from(v, 'hex')) : undefined;
}

interface Tally {
  total: number;
  passed: number;
  failed: number;
}

/** Checks one key-check case: the key is there, a negative one discriminates, a positive one is valid. */
function lintKeyCase(
  fn: 'encapsulationKeyCheck' | 'decapsulationKeyCheck',
  alg: KemAlg,
  t: JsonObject,
  passed: boolean,
  defects: DefectList,
) {
  const field = fn === 'encapsulationKeyCheck' ? 'ek' : 'dk';
  const tcId = t.tcId as number;
  const key = hexField(t, field);
  if (!key) {
    defects.add('key-present', `${fn} case without its key "${field}": it cannot test the check at all (ACVP-Server #459)`, tcId);
    return;
  }
  if (!passed) {
    const why = field === 'ek' ? negativeEkDefect(alg, key) : negativeDkDefect(alg, key);
    if (why) defects.add('negative-key', `${alg} ${fn} negative case: ${why} (ACVP-Server #460)`, tcId);
    return;
  }
  const sizes = KEM_SIZES[alg];
  if (field === 'ek') {
    if (key.length !== sizes.ek || firstUnreducedCoefficient(alg, key) >= 0)
      defects.add('positive-key', `${alg} ${fn} case expects testPassed=true but its ek fails the FIPS 203 §7.2 checks`, tcId);
  } else {
    const ekEnd = 768 * sizes.k + 32;
    const ok = key.length === sizes.dk && sha3_256(key.subarray(384 * sizes.k, ekEnd)).every((x, i) => x === key[ekEnd + i]);
    if (!ok) defects.add('positive-key', `${alg} ${fn} case expects testPassed=true but its dk fails the FIPS 203 §7.3 checks`, tcId);
  }
}

function lintCounts(setName: string, tallies: Map<string, Tally>, defects: DefectList): void {
  const expected: Record<string, AcvpCount> | undefined = ACVP_COUNTS[setName];
  for (const [key, want] of Object.entries(expected ?? {})) {
    const got = tallies.get(key) ?? { total: 0, passed: 0, failed: 0 };
    const short = (kind: string, n: number, of: number) =>
      defects.add('counts', `${key}: ${n} ${kind}cases, the pinned upstream ${setName} file has ${of}`);
    if (got.total < want.total) short('', got.total, want.total);
    if (want.passed !== undefined && got.passed < want.passed) short('testPassed=true ', got.passed, want.passed);
    if (want.failed !== undefined && got.failed < want.failed) short('testPassed=false ', got.failed, want.failed);
  }
  // Whatever the table says: a yes/no group needs both answers, or a backend answering always one way passes.
  for (const [key, got] of tallies) {
    if (!/KeyCheck$|sigVer$/.test(key)) continue;
    if (got.passed === 0 || got.failed === 0)
      defects.add(
        'discriminates',
        `${key}: all ${got.total} cases expect testPassed=${got.passed > 0}: a backend that always answers ${got.passed > 0} passes them`,
      );
  }
}

/**
 * Lints an ACVP set. `prompt` holds the inputs; `expected` the outputs by
 * tcId (the same object for a merged internalProjection file).
 */
export function lintAcvp(files: string[], prompt: unknown, expected: unknown = prompt): FileLint {
  const path = files[files.length - 1];
  const defects = new DefectList();
  const result: FileLint = { path, files, format: 'acvp', cases: 0, rules: RULES, defects: [] };
  const groups = groupsOf(prompt);
  if (!isObject(prompt) || !groups) {
    defects.add('schema', `${files[0]} has no "testGroups" array`);
    result.defects = defects.list();
    return result;
  }
  const setName = `${String(prompt.algorithm)} ${String(prompt.mode)} ${String(prompt.revision)}`;
  const outputs = outputsOf(expected);
  const tallies = new Map<string, Tally>();
  for (const g of groups) {
    const paramSet = String(g.parameterSet);
    const fn = typeof g.function === 'string' ? g.function : String(prompt.mode);
    const key = `${paramSet}/${fn}`;
    const tally = tallies.get(key) ?? { total: 0, passed: 0, failed: 0 };
    tallies.set(key, tally);
    for (const t of testsOf(g)) {
      tally.total++;
      result.cases++;
      const tcId = typeof t.tcId === 'number' ? t.tcId : undefined;
      if (tcId === undefined) {
        defects.add('schema', `a test in tgId ${String(g.tgId)} has no integer tcId`);
        continue;
      }
      const out = outputs.get(tcId);
      const verdict = out?.testPassed;
      if (typeof verdict === 'boolean') tally[verdict ? 'passed' : 'failed']++;
      const isKeyCheck = fn === 'encapsulationKeyCheck' || fn === 'decapsulationKeyCheck';
      if (!isKeyCheck || prompt.algorithm !== 'ML-KEM') continue;
      if (!isKemAlg(paramSet)) {
        defects.add('schema', `tgId ${String(g.tgId)}: unknown ML-KEM parameterSet "${paramSet}"`);
        break;
      }
      if (typeof verdict !== 'boolean') {
        defects.add('schema', `${fn} case without a testPassed answer in ${path}`, tcId);
        continue;
      }
      lintKeyCase(fn, paramSet, t, verdict, defects);
    }
  }
  lintCounts(setName, tallies, defects);
  result.defects = defects.list();
  return result;
}
