// Which suites each command runs. Profiles change sizes (runs, counts), not
// the set of checks, so a pr run and a release run report the same ids.
import { cryptoSuite } from '../../suites/crypto/index.ts';
import { fallbackSuite } from '../../suites/fallback/index.ts';
import { katSuite } from '../../suites/kat/index.ts';
import { meshSuite } from '../../suites/mesh/index.ts';
import type { HarnessSuite } from '../../suites/env.ts';

export type Command = 'kat' | 'certify';

export function suitesFor(command: Command): HarnessSuite[] {
  const known: HarnessSuite[] = [cryptoSuite, katSuite];
  switch (command) {
    case 'kat':
      return known;
    case 'certify':
      return [...known, meshSuite, fallbackSuite];
  }
}
