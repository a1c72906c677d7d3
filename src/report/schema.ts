// The published JSON Schema of certification.json, generated from the zod
// model (the source of truth) into reports/schema/. `npm run schema` writes
// it; test/report/writers.test.ts fails when the committed file is stale.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { certificationSchema, SCHEMA_VERSION } from './model.ts';

export const SCHEMA_FILE = fileURLToPath(new URL(`../../reports/schema/certification-${SCHEMA_VERSION}.schema.json`, import.meta.url));

export function certificationJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(certificationSchema, { target: 'draft-2020-12', io: 'output' }),
    $id: `https://pqc-mesh-harness.invalid/schema/certification-${SCHEMA_VERSION}.schema.json`,
    title: `pqc-mesh-harness certification report ${SCHEMA_VERSION}`,
  };
}

export const renderJsonSchema = () => `${JSON.stringify(certificationJsonSchema(), null, 2)}\n`;

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(SCHEMA_FILE, renderJsonSchema());
  process.stdout.write(`wrote ${SCHEMA_FILE}\n`);
}
