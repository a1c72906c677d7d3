// kat/lint/<file>: a vector file that cannot tell a correct backend from a
// broken one is a failing check, run before any vector (see vectors/lint/).
import { fail, pass, type Check } from '../../src/check/evidence.ts';
import { describeDefect, type FileLint } from '../../vectors/lint/findings.ts';

export function lintCheck(lint: FileLint, hashes: ReadonlyMap<string, string>): Check {
  return {
    id: `kat/lint/${lint.path}`,
    // One family for every file: the property is the same, whatever the file.
    family: 'kat/lint',
    title: `Vector lint of ${lint.path}`,
    run() {
      const evidence = {
        files: lint.files.map((path) => ({ path, sha256: hashes.get(path) ?? 'unknown' })),
        format: lint.format,
        casesExamined: lint.cases,
        rules: lint.rules,
        defects: lint.defects.map((d) => ({ ...d })),
      };
      if (lint.defects.length === 0) return pass(evidence);
      const first = lint.defects[0];
      const more = lint.defects.length > 1 ? ` (and ${lint.defects.length - 1} more defects)` : '';
      return fail(`${lint.path} cannot discriminate: ${describeDefect(first)}${more}`, {
        ...evidence,
        firstFailure: {
          case: first.tcIds?.length ? `tcId ${first.tcIds[0]}` : 'file',
          file: lint.path,
          ...(first.tcIds?.length ? { tcId: first.tcIds[0] } : {}),
          field: first.rule,
          message: describeDefect(first),
        },
      });
    },
  };
}
