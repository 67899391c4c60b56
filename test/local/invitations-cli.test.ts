import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScript } from '../setup/run-script.js';

const SURVEY = 'handwerk-recklinghausen';

describe('invitations command line', () => {
  let dir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'resonanz-invitations-'));
    env = { RESONANZ_DATA_DIR: join(dir, 'data') };
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('creates a mail-merge CSV from recipients and lists the batch as issued', async () => {
    // Prepare: the survey is published by the demo fill.
    const recipients = join(dir, 'recipients.csv');
    const out = join(dir, 'merge.csv');
    await writeFile(
      recipients,
      'Firma,Anschrift,E-Mail\n"Kühn, Tischlerei","Markt 1\n45657 Recklinghausen",kuehn@example.org\n' +
        'Malerbetrieb Ost,Weg 2,ost@example.org\nDachdecker Süd,Gasse 3,sued@example.org\n',
    );
    const demo = await runScript('scripts/demo-fill.ts', ['--survey', SURVEY, '--count', '1', '--seed', '1'], env);
    expect(demo.code, demo.stderr).toBe(0);

    // Act
    const created = await runScript(
      'scripts/admin.ts',
      ['invitations', 'create', '--survey', SURVEY, '--audience', 'business', '--from', recipients, '--out', out],
      env,
    );
    const again = await runScript(
      'scripts/admin.ts',
      ['invitations', 'create', '--survey', SURVEY, '--audience', 'business', '--count', '2', '--out', out],
      env,
    );
    const listed = await runScript('scripts/admin.ts', ['invitations', 'list', '--survey', SURVEY], env);

    // Assess
    expect(created.code, created.stderr).toBe(0);
    const rows: string[][] = parse(await readFile(out, 'utf8'));
    expect(rows[0]).toEqual(['Firma', 'Anschrift', 'E-Mail', 'link']);
    expect(rows.slice(1).map((row) => row.slice(0, 3))).toEqual([
      ['Kühn, Tischlerei', 'Markt 1\n45657 Recklinghausen', 'kuehn@example.org'],
      ['Malerbetrieb Ost', 'Weg 2', 'ost@example.org'],
      ['Dachdecker Süd', 'Gasse 3', 'sued@example.org'],
    ]);
    const tokens = rows
      .slice(1)
      .map((row) => row[3]?.match(/^http:\/\/127\.0\.0\.1:3000\/i\/([A-Za-z0-9_-]{32})$/)?.[1]);
    expect(tokens.every(Boolean)).toBe(true);
    expect((await stat(out)).mode & 0o077).toBe(0);
    const batchId = created.stdout.match(/^batch (\S+): 3 invitations/m)?.[1];
    expect(batchId).toBeDefined();
    for (const token of tokens) expect(created.stdout + created.stderr).not.toContain(token);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('exists');
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(new RegExp(`^${batchId}\\s+business\\s+\\S+\\s+-\\s+3\\s+0\\s+0\\s+0\\s+3$`, 'm'));
  }, 120_000);

  it('lists the invitation commands in --help and asks for --out before opening the database', async () => {
    const help = await runScript('scripts/admin.ts', ['--help'], env);
    for (const command of ['invitations create', 'invitations list', 'invitations revoke'])
      expect(help.stdout).toContain(command);
    const missing = await runScript(
      'scripts/admin.ts',
      ['invitations', 'create', '--survey', SURVEY, '--audience', 'business', '--count', '2'],
      { RESONANZ_DATA_DIR: join(dir, 'nowhere') },
    );
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('--out is required');
  }, 30_000);
});
