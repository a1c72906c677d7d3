// X-Wing test vectors (draft-connolly-cfrg-xwing-kem spec/test-vectors.json):
// a JSON array of {seed, pk, eseed, ct, ss}, hex encoded.
import { XWING_SIZES } from '../src/crypto/xwing.ts';
import { Fields, VectorFormatError } from './json.ts';

export interface XWingCase {
  file: string;
  /** 1-based position in the array; the draft gives the vectors no ids. */
  tcId: number;
  seed: Uint8Array;
  pk: Uint8Array;
  eseed: Uint8Array;
  ct: Uint8Array;
  ss: Uint8Array;
}

export function looksLikeXWing(x: unknown): boolean {
  if (!Array.isArray(x) || x.length === 0) return false;
  const first = x[0] as Record<string, unknown> | null;
  return typeof first === 'object' && first !== null && 'eseed' in first && 'ss' in first;
}

export function parseXWing(file: string, x: unknown): XWingCase[] {
  if (!Array.isArray(x)) throw new VectorFormatError(file, '', 'expected an array of X-Wing vectors');
  return x.map((v, i) => {
    const tcId = i + 1;
    const f = Fields.of(file, `vector ${tcId}`, v, tcId);
    const c: XWingCase = { file, tcId, seed: f.hex('seed'), pk: f.hex('pk'), eseed: f.hex('eseed'), ct: f.hex('ct'), ss: f.hex('ss') };
    const sizes: [keyof typeof XWING_SIZES, Uint8Array][] = [
      ['sk', c.seed],
      ['pk', c.pk],
      ['eseed', c.eseed],
      ['ct', c.ct],
      ['ss', c.ss],
    ];
    for (const [name, b] of sizes) {
      if (b.length !== XWING_SIZES[name])
        f.fail(`field "${name === 'sk' ? 'seed' : name}" is ${b.length} bytes, expected ${XWING_SIZES[name]}`);
    }
    return c;
  });
}
