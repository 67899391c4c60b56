import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScript } from '../setup/run-script.js';

describe('command-line scripts', () => {
  let dir: string;
  let broken: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'resonanz-cli-'));
    broken = join(dir, 'surveys');
    await mkdir(broken);
    await writeFile(join(broken, 'bad.yaml'), 'id: bad\nversion: one\n');
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('validates the shipped surveys with exit code 0', async () => {
    const out = await runScript('scripts/validate-surveys.ts', []);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('OK surveys/handwerk-recklinghausen.yaml');
  }, 30_000);

  it('reports a broken survey as file:line: path: reason with exit code 1', async () => {
    const out = await runScript('scripts/validate-surveys.ts', [join(broken, 'bad.yaml')]);
    expect(out.code).toBe(1);
    expect(out.stderr + out.stdout).toMatch(/bad\.yaml:2: version: use a version such as/);
  }, 30_000);

  it('refuses to start with a broken survey folder, before starting Java', async () => {
    const out = await runScript('scripts/start.ts', [], {
      RESONANZ_SURVEYS_DIR: broken,
      RESONANZ_DATA_DIR: join(dir, 'data'),
      PORT: '0',
    });
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/bad\.yaml:2: version: /);
    expect(out.stderr).not.toMatch(/\n\s+at /);
  }, 30_000);

  it('explains how to install Java when it is missing, without a stack trace', async () => {
    // A PATH with node alone: the script runs, `java` is not found.
    const bin = join(dir, 'bin');
    await mkdir(bin);
    await symlink(process.execPath, join(bin, 'node'));
    const out = await runScript('scripts/start.ts', [], {
      PATH: bin,
      RESONANZ_DATA_DIR: join(dir, 'data2'),
      PORT: '0',
    });
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('Java 17 or newer is needed to run DynamoDB Local');
    expect(out.stderr).not.toMatch(/\n\s+at /);
  }, 30_000);
  it('lists every admin command in --help and refuses an unknown one', async () => {
    const help = await runScript('scripts/admin.ts', ['--help']);
    expect(help.code).toBe(0);
    for (const command of ['waves list', 'waves open', 'waves close', 'waves schedule'])
      expect(help.stdout).toContain(command);
    const unknown = await runScript('scripts/admin.ts', ['waves', 'explode']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('unknown command "waves explode"');
    // Checked before DynamoDB Local starts: the data folder does not even exist.
    const missing = await runScript('scripts/admin.ts', ['waves', 'open', '--survey', 'x'], {
      RESONANZ_DATA_DIR: join(dir, 'nowhere'),
    });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('--wave is required');
  }, 30_000);

  it('lists the channel commands in --help and checks their options before starting Java', async () => {
    const help = await runScript('scripts/admin.ts', ['--help']);
    for (const command of ['channels list', 'channels create', 'channels disable', 'channels qr'])
      expect(help.stdout).toContain(command);
    const qr = await runScript('scripts/admin.ts', ['channels', 'qr', '--help']);
    expect(qr.code).toBe(0);
    expect(qr.stdout).toContain('--base-url');
    const missing = await runScript('scripts/admin.ts', ['channels', 'create', '--survey', 'x', '--code', 'c'], {
      RESONANZ_DATA_DIR: join(dir, 'nowhere'),
    });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('--kind is required');
  }, 30_000);

  it('opens and lists waves from the command line', async () => {
    const env = { RESONANZ_DATA_DIR: join(dir, 'admin-data') };
    const demo = await runScript(
      'scripts/demo-fill.ts',
      ['--survey', 'handwerk-unna', '--count', '3', '--seed', '1'],
      env,
    );
    expect(demo.code).toBe(0);
    const opened = await runScript(
      'scripts/admin.ts',
      ['waves', 'open', '--survey', 'handwerk-unna', '--wave', 'w1-followup'],
      env,
    );
    expect(opened.code).toBe(0);
    expect(opened.stdout).toMatch(/^\* w1-followup\s+followup\s+open/m);
  }, 60_000);
});
