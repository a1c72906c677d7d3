// Strict field readers for vector JSON. Every error names where it happened
// (file, group, tcId, field), so a malformed vector file explains itself.
import { fromHex } from '../src/check/bytes.ts';

/** A vector file that cannot be used, with the place inside it. */
export class VectorFormatError extends Error {
  constructor(
    readonly file: string,
    readonly where: string,
    detail: string,
    readonly tcId?: number,
  ) {
    super(`${file}: ${where ? `${where}: ` : ''}${detail}`);
    this.name = 'VectorFormatError';
  }
}

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type JsonObject = { [k: string]: Json };

export function isObject(x: unknown): x is JsonObject {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Reads fields of one JSON object, throwing VectorFormatError naming file + place + field. */
export class Fields {
  constructor(
    readonly file: string,
    readonly where: string,
    readonly obj: JsonObject,
    readonly tcId?: number,
  ) {}

  static of(file: string, where: string, x: unknown, tcId?: number): Fields {
    if (!isObject(x)) throw new VectorFormatError(file, where, `expected an object, got ${describe(x)}`, tcId);
    return new Fields(file, where, x, tcId);
  }

  fail(detail: string): never {
    throw new VectorFormatError(this.file, this.where, detail, this.tcId);
  }

  has(key: string): boolean {
    return this.obj[key] !== undefined && this.obj[key] !== null;
  }

  str(key: string): string {
    const v = this.obj[key];
    if (typeof v !== 'string') this.fail(`field "${key}" must be a string, got ${describe(v)}`);
    return v;
  }

  optStr(key: string): string | undefined {
    return this.has(key) ? this.str(key) : undefined;
  }

  int(key: string): number {
    const v = this.obj[key];
    if (typeof v !== 'number' || !Number.isInteger(v)) this.fail(`field "${key}" must be an integer, got ${describe(v)}`);
    return v;
  }

  bool(key: string): boolean {
    const v = this.obj[key];
    if (typeof v !== 'boolean') this.fail(`field "${key}" must be true or false, got ${describe(v)}`);
    return v;
  }

  optBool(key: string): boolean | undefined {
    return this.has(key) ? this.bool(key) : undefined;
  }

  hex(key: string): Uint8Array {
    const s = this.str(key);
    try {
      return fromHex(s, `field "${key}"`);
    } catch (e) {
      this.fail((e as Error).message);
    }
  }

  optHex(key: string): Uint8Array | undefined {
    return this.has(key) ? this.hex(key) : undefined;
  }

  array(key: string): Json[] {
    const v = this.obj[key];
    if (!Array.isArray(v)) this.fail(`field "${key}" must be an array, got ${describe(v)}`);
    return v;
  }

  strings(key: string): string[] {
    if (!this.has(key)) return [];
    const v = this.array(key);
    if (!v.every((s) => typeof s === 'string')) this.fail(`field "${key}" must be an array of strings`);
    return v as string[];
  }

  oneOf<T extends string>(key: string, allowed: readonly T[]): T {
    const v = this.str(key);
    if (!(allowed as readonly string[]).includes(v)) this.fail(`unknown ${key} "${v}" (known: ${allowed.join(', ')})`);
    return v as T;
  }
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing (field missing)';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return v.length > 24 ? `a string of ${v.length} characters` : JSON.stringify(v);
  return `${typeof v} ${JSON.stringify(v)}`;
}
