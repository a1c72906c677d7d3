// The one YAML loader behind the node config, policies, policy tests and
// waivers: each way a file can be bad gives a ConfigError naming the file,
// and a schema failure names every offending field.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError } from '../../src/errors.ts';
import { loadNodeConfig } from '../../src/mesh/node/config.ts';
import { readConfigFile } from '../../src/policy/config-check.ts';
import { loadWaivers } from '../../src/policy/waivers.ts';
import { readYamlFile, validateYaml } from '../../src/yaml-file.ts';

const dir = mkdtempSync(join(tmpdir(), 'yaml-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  const f = join(dir, name);
  writeFileSync(f, text);
  return f;
};
const thrown = (f: () => unknown): Error => {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a throw');
};

describe('readYamlFile and validateYaml', () => {
  it('read and parse a mapping', () => {
    expect(readYamlFile(file('ok.yaml', 'a: 1\nb: [x]\n'))).toEqual({ a: 1, b: ['x'] });
  });

  it('name the file of a missing file and of bad YAML', () => {
    const missing = join(dir, 'missing.yaml');
    const e = thrown(() => readYamlFile(missing));
    expect(e).toBeInstanceOf(ConfigError);
    expect(e.message).toBe(`${missing}: cannot read (ENOENT)`);
    const bad = file('bad.yaml', 'a: [1\n');
    expect(thrown(() => readYamlFile(bad)).message).toMatch(new RegExp(`^${bad}: not valid YAML: `));
  });

  it('name every offending field by its path, and the root as (root)', () => {
    const schema = z.strictObject({ peers: z.array(z.strictObject({ port: z.number() })), name: z.string() });
    const e = thrown(() => validateYaml(schema, { peers: [{ port: 1 }, { port: 'x' }] }, 'n.yaml', 'thing'));
    expect(e).toBeInstanceOf(ConfigError);
    expect(e.message.split('\n')).toEqual([
      'n.yaml: invalid thing',
      expect.stringMatching(/^ {2}peers\.1\.port: /),
      expect.stringMatching(/^ {2}name: /),
    ]);
    expect(thrown(() => validateYaml(schema, 7, 'n.yaml', 'thing')).message).toMatch(/^n\.yaml: invalid thing\n {2}\(root\): /);
    expect(validateYaml(schema, { peers: [], name: 'a' }, 'n.yaml', 'thing')).toEqual({ peers: [], name: 'a' });
  });
});

describe('the loaders that share it keep their messages', () => {
  it.each<[string, (f: string) => unknown, string, RegExp]>([
    ['node config', loadNodeConfig, 'id: n1\nlisten: 10.0.0.1:1\n', /node\.yaml: invalid node config\n {2}listen: must be host:port/],
    ['waivers', (f) => loadWaivers(f, new Date()), 'waivers: [{}]\n', /node\.yaml: invalid waivers\n {2}waivers\.0\.\w+: /],
    ['policy config', readConfigFile, '- a\n', /node\.yaml: a node config is a YAML mapping/],
  ])('%s', (_, load, text, message) => {
    const f = file('node.yaml', text);
    expect(thrown(() => load(f)).message).toMatch(message);
    const e = thrown(() => load(join(dir, 'none.yaml')));
    expect(e).toBeInstanceOf(ConfigError);
    expect(e.message).toMatch(/none\.yaml: cannot read \(ENOENT\)/);
  });
});
