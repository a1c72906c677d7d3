// The checkers: pure functions from a collected History to valid / invalid /
// unknown with witnesses. The control suite (in-process) and the chaos
// scenarios (real node processes) judge with the same code.
export { checkSafety, structuralProblem, type CertificateVerifier } from './safety.ts';
export { certificateVerifier, toEntry } from './certificates.ts';
export { checkDelivery } from './delivery.ts';
export { checkConvergence, type ConvergenceOptions } from './convergence.ts';
export { checkForgery } from './forgery.ts';
export * from './history.ts';
