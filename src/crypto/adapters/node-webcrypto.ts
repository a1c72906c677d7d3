// Node's own ML-KEM / ML-DSA (node:crypto and WebCrypto over OpenSSL 3.5,
// Node 24.7 and later). Detected at run time: on an older Node the row is
// "unavailable" with the reason, never silently absent.
import * as nodeCrypto from 'node:crypto';

const NEEDS = 'Node >= 24.7 built with OpenSSL >= 3.5 (crypto.encapsulate and ml-kem/ml-dsa key types)';

/** Why Node's own ML-KEM / ML-DSA cannot be used here, or undefined when it can. */
export function nodePqcUnavailable(versions: NodeJS.ProcessVersions = process.versions, api: object = nodeCrypto): string | undefined {
  const has = typeof (api as { encapsulate?: unknown }).encapsulate === 'function';
  const [major, minor] = (versions.openssl ?? '0.0').split('.').map(Number);
  const opensslOk = major > 3 || (major === 3 && minor >= 5);
  if (has && opensslOk) return undefined;
  return `Node ${versions.node} with OpenSSL ${versions.openssl ?? 'unknown'} has no ML-KEM/ML-DSA; needs ${NEEDS}`;
}

/**
 * What to report when it is present: the adapter needs raw key import
 * ('raw-public' / 'raw-seed' formats), which could not be exercised on the
 * Node this harness is developed on, so it is not claimed.
 */
export const NODE_PQC_NOT_CERTIFIED =
  "Node's ML-KEM/ML-DSA is present, but its adapter (raw key import) has not been verified on this Node; not run";
