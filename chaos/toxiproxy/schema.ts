// Decoding of request bodies with the semantics of Go's encoding/json, which
// is what a real Toxiproxy uses: JSON keys match struct fields
// case-insensitively, unknown keys are ignored, `null` leaves a field as it
// was, and a value of the wrong JSON type is a "bad request body" error.
import { badBody } from './errors.ts';

export type FieldKind = 'string' | 'bool' | 'int' | 'float';

/** One struct field: its JSON key and Go type. */
export interface FieldSpec {
  readonly key: string;
  readonly kind: FieldKind;
}

const GO_TYPE: Record<FieldKind, string> = {
  string: 'string',
  bool: 'bool',
  int: 'int64',
  float: 'float32',
};

/** Bodies larger than this are refused: the API only ever receives small JSON documents. */
export const MAX_BODY_BYTES = 1 << 20;

/** Parses a request body; an empty body is Go's `EOF`. */
export function parseBody(text: string): unknown {
  if (text.trim() === '') throw badBody('EOF');
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw badBody(err instanceof Error ? err.message : String(err));
  }
}

/** The JSON type name Go prints in unmarshal errors. */
export function jsonTypeName(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  if (typeof value === 'boolean') return 'bool';
  return typeof value; // string | number | object
}

/** True for a plain JSON object (not an array, not null). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Decodes `value` into a copy of `base`: fields present in the JSON replace
 * the base values, everything else is kept (Go decodes into a prefilled struct).
 */
export function decodeStruct<T extends Record<string, unknown>>(value: unknown, base: T, fields: readonly FieldSpec[], goName: string): T {
  const out: Record<string, unknown> = { ...base };
  if (value === null) return out as T;
  if (!isObject(value)) {
    throw badBody(`json: cannot unmarshal ${jsonTypeName(value)} into Go value of type ${goName}`);
  }
  for (const field of fields) {
    const raw = lookup(value, field.key);
    if (raw === undefined || raw === null) continue;
    out[field.key] = coerce(raw, field, goName);
  }
  return out as T;
}

/** Go matches an exact key first, then any key equal ignoring case. */
export function lookup(obj: Record<string, unknown>, key: string): unknown {
  if (Object.hasOwn(obj, key)) return obj[key];
  const lower = key.toLowerCase();
  for (const k of Object.keys(obj)) if (k.toLowerCase() === lower) return obj[k];
  return undefined;
}

function coerce(raw: unknown, field: FieldSpec, goName: string): unknown {
  const fail = (what: string): never => {
    throw badBody(`json: cannot unmarshal ${what} into Go struct field ${goName}.${field.key} of type ${GO_TYPE[field.kind]}`);
  };
  switch (field.kind) {
    case 'string':
      return typeof raw === 'string' ? raw : fail(jsonTypeName(raw));
    case 'bool':
      return typeof raw === 'boolean' ? raw : fail(jsonTypeName(raw));
    case 'int':
      if (typeof raw !== 'number') return fail(jsonTypeName(raw));
      return Number.isSafeInteger(raw) ? raw : fail(`number ${raw}`);
    case 'float':
      return typeof raw === 'number' ? raw : fail(jsonTypeName(raw));
  }
}
