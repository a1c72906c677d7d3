// Mutant vector directory: the real one plus one vector file at a path the
// manifest does not pin (a copy of an ACVP file under another name), as a
// hand-edited or regenerated set would arrive. kat/vectors must fail it.
import { cpSync, mkdtempSync, readdirSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default async function unpinnedFile(vectorsDir: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'pqc-mutant-vectors-'));
  for (const name of readdirSync(vectorsDir)) symlinkSync(join(vectorsDir, name), join(dir, name));
  cpSync(join(vectorsDir, 'acvp', 'ML-KEM-keyGen-FIPS203'), join(dir, 'unpinned-copy', 'ML-KEM-keyGen-FIPS203'), {
    recursive: true,
    dereference: true,
  });
  return dir;
}
