// `pqc-harness keys init`, `report sign DIR --key`, `report verify DIR --pub`.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Command, InvalidArgumentError } from 'commander';
import { ConfigError } from '../errors.ts';
import { ATTESTATION_FILE, attest, verifyDir } from './attest.ts';
import { writeFileAtomic } from './atomic.ts';
import { generateSigningKeys, SIGNATURE_ALGS, type SignatureAlg, type SigningKeys, type VerificationKeys } from './dsse.ts';

export const KEY_FILE = 'harness-signing.key';
export const PUB_FILE = 'harness-signing.pub';

function readJson<T>(file: string, type: string): T {
  let raw: { type?: string };
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ConfigError(`${file}: cannot read a key file: ${(e as Error).message}`);
  }
  if (raw?.type !== type) throw new ConfigError(`${file}: type is ${JSON.stringify(raw?.type)}, expected ${type}`);
  return raw as T;
}

function parseRequire(v: string): SignatureAlg[] {
  const algs = v.split(',').map((s) => s.trim().toLowerCase());
  for (const a of algs)
    if (!(SIGNATURE_ALGS as readonly string[]).includes(a))
      throw new InvalidArgumentError(`unknown signature algorithm ${a} (use ${SIGNATURE_ALGS.join(', ')})`);
  return algs as SignatureAlg[];
}

export function registerReportCommands(program: Command): void {
  program
    .command('keys')
    .description('signing keys for certification attestations')
    .command('init')
    .description(`write a new Ed25519 + ML-DSA-65 key pair: DIR/${KEY_FILE} (secret, mode 0600) and DIR/${PUB_FILE}`)
    .option('--dir <dir>', 'where to write the keys', '.')
    .action((flags: { dir: string }) => {
      const key = join(resolve(flags.dir), KEY_FILE);
      const pub = join(resolve(flags.dir), PUB_FILE);
      for (const f of [key, pub]) if (existsSync(f)) throw new ConfigError(`${f}: exists; refusing to overwrite a key`);
      const k = generateSigningKeys();
      writeFileAtomic(pub, `${JSON.stringify(k.pub, null, 2)}\n`);
      writeFileSync(key, `${JSON.stringify(k.secret, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
      process.stdout.write(`secret key: ${key}\npublic key: ${pub}\n`);
    });
  const report = program.command('report').description('sign and verify certification reports');
  report
    .command('sign')
    .description(`sign a report directory: writes DIR/${ATTESTATION_FILE} (in-toto test-result statement in DSSE, Ed25519 + ML-DSA-65)`)
    .argument('<dir>', 'report directory written by certify')
    .requiredOption('--key <file>', `secret key file from pqc-harness keys init (${KEY_FILE})`)
    .option('--node-command <cmd>', 'the node command that was under test (default: the reference node)')
    .action((dir: string, flags: { key: string; nodeCommand?: string }) => {
      const keys = readJson<SigningKeys>(resolve(flags.key), 'pqc-harness-signing-key/v1');
      let out: ReturnType<typeof attest>;
      try {
        out = attest(resolve(dir), keys, flags.nodeCommand);
      } catch (e) {
        throw new ConfigError((e as Error).message);
      }
      writeFileAtomic(join(resolve(dir), ATTESTATION_FILE), out.line);
      process.stdout.write(
        `signed ${out.statement.subject.length} subjects (${out.statement.predicate.result}): ${join(dir, ATTESTATION_FILE)}\n`,
      );
    });
  report
    .command('verify')
    .description('verify the attestation signatures and every report file digest (exit 1 on any mismatch, naming the file)')
    .argument('<dir>', 'signed report directory')
    .requiredOption('--pub <file>', `public key file (${PUB_FILE})`)
    .option('--require <algs>', `signatures that must verify: ${SIGNATURE_ALGS.join(',')}`, parseRequire, [...SIGNATURE_ALGS])
    .action((dir: string, flags: { pub: string; require: SignatureAlg[] }) => {
      const pub = readJson<VerificationKeys>(resolve(flags.pub), 'pqc-harness-verification-key/v1');
      try {
        const v = verifyDir(resolve(dir), pub, flags.require);
        process.stdout.write(
          `OK: ${v.signatures.join(' + ')} signatures valid; ${v.files.length} files match (${v.files.join(', ')}); result ${v.result}\n`,
        );
        process.exitCode = 0;
      } catch (e) {
        process.stdout.write(`FAIL: ${(e as Error).message}\n`);
        process.exitCode = 1;
      }
    });
}
