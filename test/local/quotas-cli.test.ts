import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScript } from '../setup/run-script.js';

const SURVEY = 'handwerk-unna';

describe('npm run admin -- quotas', () => {
  let dir: string;
  const env = () => ({ RESONANZ_DATA_DIR: join(dir, 'data') });
  const admin = (...args: string[]) => runScript('scripts/admin.ts', ['quotas', ...args, '--survey', SURVEY], env());

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'resonanz-quotas-'));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('checks its options before starting Java and explains them in --help', async () => {
    const help = await runScript('scripts/admin.ts', ['quotas', 'set', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--when-met close|keep');
    const missing = await runScript('scripts/admin.ts', ['quotas', 'set', '--survey', SURVEY, '--wave', 'w0'], {
      RESONANZ_DATA_DIR: join(dir, 'nowhere'),
    });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('--audience is required');
    const badTarget = await runScript(
      'scripts/admin.ts',
      [
        'quotas',
        'set',
        '--survey',
        SURVEY,
        '--wave',
        'w0',
        '--audience',
        'public',
        '--target',
        '0',
        '--when-met',
        'stop',
      ],
      { RESONANZ_DATA_DIR: join(dir, 'nowhere') },
    );
    expect(badTarget.code).toBe(1);
    expect(badTarget.stderr).toContain('--target:');
    expect(badTarget.stderr).toContain('--when-met:');
  }, 30_000);

  it('sets, lists and removes quotas on the local database, refusing ones that do not fit', async () => {
    const demo = await runScript('scripts/demo-fill.ts', ['--survey', SURVEY, '--count', '3', '--seed', '2'], env());
    expect(demo.code).toBe(0);

    const unknownCity = await admin(
      'set',
      '--wave',
      'w0-baseline',
      '--audience',
      'public',
      '--city',
      'paris',
      '--target',
      '5',
    );
    expect(unknownCity.code).toBe(1);
    expect(unknownCity.stderr).toMatch(/--city: "paris" is not a city respondents can choose/);
    expect(unknownCity.stderr).not.toMatch(/\n\s+at /);

    const set = await admin(
      'set',
      '--wave',
      'w0-baseline',
      '--audience',
      'public',
      '--target',
      '400',
      '--when-met',
      'keep',
    );
    expect(set.code).toBe(0);
    expect(set.stdout).toContain('set w0-baseline.public');
    expect(set.stdout).toMatch(/^w0-baseline\.public\s+– \/ 400\s+keep/m);

    const removed = await admin('remove', '--wave', 'w0-baseline', '--audience', 'public');
    expect(removed.code).toBe(0);
    expect(removed.stdout).toContain('(no quotas');
  }, 180_000);
});
