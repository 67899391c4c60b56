import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPORT_NODE_OPTIONS } from '../../functions/export/node-options.js';
import { writeEndpointFile } from '../../local/endpoint-file.js';
import { listExportRecords } from '../../shared/data/export-store.js';
import { publishDefinition } from '../../shared/data/survey-store.js';
import type { Db } from '../../shared/data/table.js';
import { CSV_BUNDLE } from '../fixtures/export-bundle.js';
import { submitMini } from '../fixtures/mini-response.js';
import { miniSurvey } from '../fixtures/mini-survey.js';
import { runScript } from '../setup/run-script.js';
import { freshTable } from '../setup/table.js';

describe('npm run export', () => {
  let dir: string;
  const exportCli = (...args: string[]) => runScript('scripts/export.ts', args, { RESONANZ_DATA_DIR: dir });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'resonanz-export-cli-'));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("runs with the export worker's V8 options, as the export function does", async () => {
    const pkg = JSON.parse(await readFile('package.json', 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.export).toBe(`tsx ${EXPORT_NODE_OPTIONS} scripts/export.ts`);
  });

  it('explains itself and checks its options before starting Java', async () => {
    const help = await exportCli('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('npm run export -- --survey S --out DIR');
    const cases: [string[], string][] = [
      [['--out', 'x'], '--survey is required'],
      [['--survey', 'mini'], '--out is required'],
      [['--survey', 'mini', '--out', 'x', '--format', 'xlsx'], '--format must be one of csv, csv-excel, jsonl'],
      [['--survey', 'mini', '--out', 'x', '--k', '1'], '--k must be a whole number from 2 to 100'],
      [['--survey', 'mini', '--out', 'x', '--period', 'day'], '--period must be week or wave'],
    ];
    for (const [args, message] of cases) {
      const run = await runScript('scripts/export.ts', args, { RESONANZ_DATA_DIR: join(dir, 'nowhere') });
      expect(run.code, args.join(' ')).toBe(1);
      expect(run.stderr).toContain(message);
    }
  }, 90_000);

  it('exports the local database into a folder and reports progress as plain lines when not on a terminal', async () => {
    const db: Db & { endpoint: string } = await freshTable();
    await mkdir(dir, { recursive: true });
    await writeEndpointFile(dir, { endpoint: db.endpoint, tableName: db.tableName, pid: process.pid, owner: 'start' });
    await publishDefinition(db, miniSurvey);
    await submitMini(db, 14, (i) => ({ city: i < 8 ? 'alpha' : 'beta' }), 'plakat-alpha');
    const out = join(dir, 'out');
    const run = await exportCli('--survey', 'mini', '--out', out, '--format', 'csv', '--k', '5');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('exported 14 responses of mini');
    expect(run.stdout).toMatch(/k = 5: \d+ quasi-identifier values suppressed/);
    expect(run.stderr).toMatch(/writing: 14\/14 rows, \d+ rows\/s, ETA 0 s/);
    // Recorded like an API export, so admins see it.
    const records = await listExportRecords(db, 'mini');
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      status: 'done',
      rows: 14,
      requestedBy: expect.stringMatching(/^cli:.+/),
      profile: { k: 5, period: 'week', freeText: 'exclude', lang: 'de' },
    });
    expect(run.stdout).toContain(`recorded as export ${records[0]?.exportId}`);
    expect((await readdir(out)).sort()).toEqual(CSV_BUNDLE);
    const data = await readFile(join(out, 'data.csv'), 'utf8');
    expect(data.trim().split('\r\n')).toHaveLength(15);

    // A lower k than the survey's own is refused before anything is recorded (attack 7 of issue 16).
    const lower = await exportCli('--survey', 'mini', '--out', join(dir, 'lower'), '--k', '2');
    expect(lower.code).toBe(1);
    expect(lower.stderr).toContain('k: the survey sets k = 5 (settings.export.k)');
    expect(await listExportRecords(db, 'mini')).toHaveLength(1);
  }, 90_000);

  it('records a failed export as failed, says why and exits 1', async () => {
    const db: Db & { endpoint: string } = await freshTable();
    await writeEndpointFile(dir, { endpoint: db.endpoint, tableName: db.tableName, pid: process.pid, owner: 'start' });
    await publishDefinition(db, miniSurvey);
    await submitMini(db, 3);
    // --out names a file, not a folder: nothing can be written.
    const out = join(dir, 'a-file');
    await writeFile(out, 'not a folder');
    const run = await exportCli('--survey', 'mini', '--out', out);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/export [0-9a-f-]{36} failed: Error: EEXIST/);
    const [record] = await listExportRecords(db, 'mini');
    expect(record).toMatchObject({ status: 'failed', error: expect.stringMatching(/^Error: EEXIST/) });
  }, 90_000);
});
