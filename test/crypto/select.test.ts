// Selection and the production guard, in-process.
import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { guardBackend, loadBackend, parseBoolEnv } from '../../src/crypto/select.ts';
import { createMockBackend } from '../../src/crypto/mock.ts';
import { ConfigError, GuardError } from '../../src/errors.ts';

function recordingLogger() {
  const lines: Array<{ level: number; msg: string }> = [];
  const log = pino({ level: 'debug' }, { write: (s: string) => void lines.push(JSON.parse(s)) });
  return { log, lines };
}

describe('parseBoolEnv', () => {
  it.each(['true', 'TRUE', 'True', '1', 'yes', 'YES', 'on', 'On', ' on '])('%j is on', (v) => {
    expect(parseBoolEnv('F', { F: v })).toBe(true);
  });
  it.each(['false', 'FALSE', '0', 'no', 'off', 'OFF', ''])('%j is off', (v) => {
    expect(parseBoolEnv('F', { F: v })).toBe(false);
  });
  it('unset is off', () => expect(parseBoolEnv('F', {})).toBe(false));
  it.each(['enabled', '2', 'y', 'tru', 'disable'])('%j is a configuration error naming the variable', (v) => {
    expect(() => parseBoolEnv('X0TTA6BL4_PRODUCTION', { X0TTA6BL4_PRODUCTION: v })).toThrow(ConfigError);
    expect(() => parseBoolEnv('X0TTA6BL4_PRODUCTION', { X0TTA6BL4_PRODUCTION: v })).toThrow(/X0TTA6BL4_PRODUCTION/);
  });
});

describe('production guard', () => {
  it.each(['1', 'true', 'YES', 'on'])('refuses the mock when X0TTA6BL4_PRODUCTION=%s', (v) => {
    const { log } = recordingLogger();
    expect(() => guardBackend(createMockBackend(), { X0TTA6BL4_PRODUCTION: v }, log)).toThrow(GuardError);
  });

  it('allows the mock in production only with X0TTA6BL4_ALLOW_MOCK_PQC, warning on every use', () => {
    const { log, lines } = recordingLogger();
    const b = guardBackend(createMockBackend(), { X0TTA6BL4_PRODUCTION: 'on', X0TTA6BL4_ALLOW_MOCK_PQC: 'yes' }, log);
    b.kem('ML-KEM-768');
    b.sig('ML-DSA-65');
    b.kem('ML-KEM-768');
    const warnings = lines.filter((l) => l.level === 40 && /INSECURE/.test(l.msg));
    expect(warnings).toHaveLength(3);
  });

  it('does not touch a real backend', async () => {
    const { log } = recordingLogger();
    const b = await loadBackend('noble', { env: { X0TTA6BL4_PRODUCTION: '1' }, logger: log });
    expect(b.name).toBe('noble');
    expect(b.insecure).toBeUndefined();
  });

  it('auto picks liboqs first and logs the choice', async () => {
    const { log, lines } = recordingLogger();
    const b = await loadBackend(undefined, { env: { PQC_BACKEND: 'auto' }, logger: log });
    expect(b.name).toBe('liboqs');
    expect(lines.some((l) => /backend liboqs selected/.test(l.msg))).toBe(true);
  });

  it('loads a module whose default export is an async factory', async () => {
    const { log } = recordingLogger();
    const b = await loadBackend('test/mutants/ignores-seed', { logger: log, env: {} });
    expect(b.name).toBe('mutant:ignores-seed');
  });
});
