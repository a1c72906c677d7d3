// Modules named at run time (a backend module given as a path) may be
// TypeScript or import the harness's TypeScript sources. Under the full CLI
// tsx's hook is already registered; the prebuilt node entry
// (bin/prebuilt.mjs) runs without it, so it registers tsx before such an
// import, once. Anywhere else (vitest, tsx) this does nothing.
declare global {
  /** Set by bin/pqc-harness.mjs when the prebuilt node entry runs. */
  var pqcHarnessPrebuilt: boolean | undefined;
}

let registered: Promise<void> | undefined;

export function allowTypeScriptImports(): Promise<void> {
  if (!globalThis.pqcHarnessPrebuilt) return Promise.resolve();
  registered ??= import('tsx/esm/api').then(({ register }) => {
    register();
  });
  return registered;
}
