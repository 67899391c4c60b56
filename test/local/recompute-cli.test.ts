import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeEndpointFile } from '../../local/endpoint-file.js';
import { verifyAggregates } from '../../shared/data/aggregate-store.js';
import { publishDefinition } from '../../shared/data/survey-store.js';
import type { Db } from '../../shared/data/table.js';
import { addBehindWritePath, miniResponse, saveMini } from '../fixtures/mini-response.js';
import { miniSurvey } from '../fixtures/mini-survey.js';
import { runScript } from '../setup/run-script.js';
import { freshTable } from '../setup/table.js';

describe('npm run admin -- recompute', () => {
  let dir: string;
  const admin = (...args: string[]) => runScript('scripts/admin.ts', args, { RESONANZ_DATA_DIR: dir });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'resonanz-recompute-'));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('explains itself and checks --survey before starting Java', async () => {
    const help = await admin('recompute', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('recompute --survey ID');
    expect(help.stdout).toContain('Rebuilds every aggregate cell');
    const overview = await admin('--help');
    expect(overview.stdout).toMatch(/^ {2}recompute --survey ID\s+Rebuilds/m);
    const missing = await runScript('scripts/admin.ts', ['recompute'], { RESONANZ_DATA_DIR: join(dir, 'nowhere') });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('--survey is required');
    expect(missing.stdout).not.toContain('recomputing');
  }, 60_000);

  it('repairs drift in the local database and ends with a verify showing drift 0', async () => {
    // Prepare: the CLI finds the test's DynamoDB Local through the endpoint file, as it finds `npm start`.
    const db: Db & { endpoint: string } = await freshTable();
    await mkdir(dir, { recursive: true });
    await writeEndpointFile(dir, { endpoint: db.endpoint, tableName: db.tableName, pid: process.pid, owner: 'start' });
    await publishDefinition(db, miniSurvey);
    const responses = Array.from({ length: 6 }, (_, i) => miniResponse('w0', { city: i % 2 ? 'alpha' : 'beta' }));
    for (const r of responses) await saveMini(db, r);
    const damaged = responses[0];
    if (!damaged) throw new Error('no response');
    await addBehindWritePath(db, damaged, 'n', 1);
    const verifyBefore = await admin('verify', '--survey', 'mini');
    expect(verifyBefore.code).toBe(1);
    expect(verifyBefore.stdout).toContain('drift w0 public|beta|_|_|_|_|yes n: stored 4, recomputed 3');

    // Act
    const first = await admin('recompute', '--survey', 'mini');
    const second = await admin('recompute', '--survey', 'mini');

    // Assess
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/rewritten +w0 shard \d public\|beta\|_\|_\|_\|_\|yes/);
    expect(first.stdout).toMatch(/1 rewritten, 0 created, 0 deleted, \d+ unchanged/);
    expect(first.stdout).toContain('mini: aggregates match the responses (drift 0)');
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/0 rewritten, 0 created, 0 deleted, \d+ unchanged/);
    expect(await verifyAggregates(db, miniSurvey)).toEqual([]);
    const unknown = await admin('recompute', '--survey', 'nope');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr.trim()).toBe('survey "nope" does not exist');
  }, 120_000);
});
