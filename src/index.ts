// Public API of pqc-mesh-harness.
export type { KemAlg, SigAlg, KemSizes, SigSizes } from './crypto/algorithms.ts';
export { KEM_ALGS, SIG_ALGS, KEM_SIZES, SIG_SIZES } from './crypto/algorithms.ts';
export type {
  CryptoBackend,
  Kem,
  Signer,
  KemKeyPair,
  SigKeyPair,
  Encapsulation,
  SignOptions,
  VerifyOptions,
} from './crypto/backend.ts';
export { UnsupportedCapabilityError, UnsupportedAlgorithmError } from './crypto/backend.ts';
export { loadBackend, parseBoolEnv, guardBackend, validateBackendShape, BUILTIN_BACKENDS } from './crypto/select.ts';
export { createXWing, type XWing } from './crypto/xwing.ts';
export { ConfigError, GuardError } from './errors.ts';
export type { Check, CheckResult, Evidence, Verdict, Status, Profile } from './check/evidence.ts';
export type { CertificationReport } from './report/model.ts';
