// Byte-for-byte comparison that says where two outputs part ways.
import type { Mismatch } from './evidence.ts';

const PREFIX_BYTES = 8;

function hexSlice(b: Uint8Array, from: number): string {
  return Buffer.from(b.subarray(from, from + PREFIX_BYTES)).toString('hex');
}

/** Index of the first differing byte, or -1 when equal (a length difference counts at the shorter length). */
export function firstDifference(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}

/** undefined when equal; otherwise a Mismatch naming the field, offset and short hex around it. */
export function diffBytes(
  where: Omit<Mismatch, 'offset' | 'expected' | 'actual'>,
  expected: Uint8Array,
  actual: Uint8Array,
): Mismatch | undefined {
  const offset = firstDifference(expected, actual);
  if (offset < 0) return undefined;
  const lengths = expected.length === actual.length ? '' : ` (length ${actual.length}, expected ${expected.length})`;
  return {
    ...where,
    offset,
    expected: hexSlice(expected, offset),
    actual: hexSlice(actual, offset),
    message: where.message ?? `${where.field ?? 'output'} differs at byte ${offset}${lengths}`,
  };
}

/** true when equal, else one line for a property's failure message: field, offset, hex prefixes. */
export function describeDifference(field: string, expected: Uint8Array, actual: Uint8Array): true | string {
  const d = diffBytes({ case: '', field }, expected, actual);
  return d ? `${d.message} (expected ${d.expected}…, got ${d.actual}…)` : true;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return firstDifference(a, b) < 0;
}

/** Strict hex decoding: odd length or a non-hex digit is an error naming the field. */
export function fromHex(hex: string, field = 'hex'): Uint8Array {
  if (hex.length % 2 !== 0) throw new Error(`${field}: odd-length hex (${hex.length} digits)`);
  if (!/^[0-9a-fA-F]*$/.test(hex)) throw new Error(`${field}: not hex`);
  return new Uint8Array(Buffer.from(hex, 'hex'));
}
