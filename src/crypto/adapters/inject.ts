// Deterministic calls into libraries that only draw their own randomness:
// replace the one function they draw it from for the length of one
// synchronous call, answer from given chunks (one per draw, exact lengths),
// and restore it before returning. Synchronous, so no other code can run
// (or draw) while the replacement is in place.

type Fill = (buf: ArrayBufferView) => ArrayBufferView;

/** Runs op with target[method] answering from chunks in order; throws if the library draws differently. */
export function withRandomnessFrom<T>(library: string, target: object, method: string, chunks: readonly Uint8Array[], op: () => T): T {
  const holder = target as Record<string, unknown>;
  const own = Object.hasOwn(holder, method);
  const original = holder[method];
  let next = 0;
  const fill: Fill = (buf) => {
    const chunk = chunks[next++];
    if (!chunk || chunk.length !== buf.byteLength) {
      throw new Error(`${library} drew ${buf.byteLength} random bytes (draw ${next}); injected ${chunk ? chunk.length : 'nothing'}`);
    }
    new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength).set(chunk);
    return buf;
  };
  holder[method] = fill;
  try {
    const result = op();
    if (next !== chunks.length) throw new Error(`${library} used ${next} of ${chunks.length} injected random strings`);
    return result;
  } finally {
    if (own) holder[method] = original;
    else delete holder[method];
  }
}
