import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoResponses } from '../../local/demo-data.js';
import { folderSink } from '../../local/export-files.js';
import { seededRandom } from '../../local/random.js';
import { scanResponses } from '../../shared/data/response-store.js';
import { publishDefinition } from '../../shared/data/survey-store.js';
import type { Db } from '../../shared/data/table.js';
import { MISSING_CODES } from '../../shared/export/codebook-types.js';
import type { DisclosureReport } from '../../shared/export/disclosure.js';
import { type ExportResult, runExport } from '../../shared/export/run.js';
import { storeResponse } from '../../shared/response/submit.js';
import { recklinghausenSurvey } from '../fixtures/demo-cells.js';
import { CSV_BUNDLE, RECKLINGHAUSEN_QUASI_IDENTIFIERS } from '../fixtures/export-bundle.js';
import { miniResponse, saveMini, submitMini } from '../fixtures/mini-response.js';
import { miniSurvey } from '../fixtures/mini-survey.js';
import { freshTable } from '../setup/table.js';

const COUNT = 240;
const QI = RECKLINGHAUSEN_QUASI_IDENTIFIERS;

describe('export run on DynamoDB Local', () => {
  const definition = recklinghausenSurvey();
  let db: Db;
  let dir: string;
  let result: ExportResult;
  let rows: Record<string, string>[];
  const secrets: string[] = [];
  const progress: string[] = [];

  beforeAll(async () => {
    db = await freshTable();
    await publishDefinition(db, definition);
    const inputs = [
      ...generateDemoResponses(definition, {
        count: COUNT,
        random: seededRandom(3),
        now: new Date('2027-06-30T12:00:00Z'),
      }),
    ];
    for (let i = 0; i < inputs.length; i += 20) {
      await Promise.all(inputs.slice(i, i + 20).map((input) => storeResponse(db, input as never)));
    }
    for await (const r of scanResponses(db, definition.id)) secrets.push(r.responseId, r.fingerprint);
    dir = mkdtempSync(join(tmpdir(), 'resonanz-export-'));
    result = await runExport(
      db,
      { definition, channels: definition.channels, format: 'csv', k: 5, now: new Date('2027-07-01T08:00:00Z') },
      folderSink(dir),
      (p) => progress.push(`${p.pass}:${p.rows}`),
    );
    rows = parse(readFileSync(join(dir, 'data.csv'), 'utf8'), { columns: true });
  }, 120_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('writes the data, codebook, disclosure report and both scripts, one row per stored response not left out', () => {
    expect(readdirSync(dir).sort()).toEqual(CSV_BUNDLE);
    expect(secrets).toHaveLength(2 * COUNT);
    const { droppedRows } = result.disclosure;
    expect(droppedRows).toBeGreaterThan(0);
    expect(droppedRows).toBeLessThan(COUNT / 10);
    expect(result.rows).toBe(COUNT - droppedRows);
    expect(rows).toHaveLength(result.rows);
    expect(progress.at(-1)).toBe(`write:${COUNT}`);
    expect(new Set(rows.map((r) => r.row_id)).size).toBe(result.rows);
    expect(result.waves.map((w) => [w.waveId, w.status])).toEqual(definition.waves.map((w) => [w.id, 'released']));
    expect(result.waves.reduce((a, w) => a + w.responses, 0)).toBe(COUNT);
  });

  it('reads each stored response from DynamoDB once, and parks the coded rows in a private spool it removes', async () => {
    const spoolDir = mkdtempSync(join(tmpdir(), 'resonanz-spool-test-'));
    const jsonDir = mkdtempSync(join(tmpdir(), 'resonanz-export-'));
    const read: string[] = [];
    const name = 'count-response-reads';
    db.doc.middlewareStack.add(
      (next) => async (args) => {
        const out = await next(args);
        const input = args.input as { ExpressionAttributeValues?: Record<string, unknown> };
        const pk = String(input.ExpressionAttributeValues?.[':pk'] ?? '');
        const items = (out.output as { Items?: { sk: string }[] }).Items ?? [];
        if (pk.startsWith('RESP#')) for (const item of items) read.push(`${pk}/${item.sk}`);
        return out;
      },
      { step: 'initialize', name },
    );
    const seen: { mode: number; folderMode: number; lines: number }[] = [];
    const sink = folderSink(jsonDir);
    try {
      await runExport(
        db,
        { definition, channels: definition.channels, format: 'jsonl', now: new Date('2027-07-01T08:00:00Z'), spoolDir },
        {
          // The first data written comes after the first pass: the spool is complete then.
          open(file) {
            const inner = sink.open(file);
            return {
              async write(chunk) {
                const [folder] = readdirSync(spoolDir);
                if (file === 'data.jsonl' && folder && seen.length === 0) {
                  const spool = join(spoolDir, folder, 'rows.jsonl');
                  seen.push({
                    mode: statSync(spool).mode & 0o777,
                    folderMode: statSync(join(spoolDir, folder)).mode & 0o777,
                    lines: readFileSync(spool, 'utf8').trim().split('\n').length,
                  });
                }
                await inner.write(chunk);
              },
              close: () => inner.close(),
            };
          },
        },
      );
    } finally {
      db.doc.middlewareStack.remove(name);
      rmSync(jsonDir, { recursive: true, force: true });
    }
    expect(read).toHaveLength(COUNT);
    expect(new Set(read).size).toBe(COUNT);
    expect(seen).toEqual([{ mode: 0o600, folderMode: 0o700, lines: COUNT }]);
    expect(readdirSync(spoolDir)).toEqual([]);
    rmSync(spoolDir, { recursive: true, force: true });
  });

  it('removes the spool when the export fails half-way, and says why', async () => {
    const spoolDir = mkdtempSync(join(tmpdir(), 'resonanz-spool-test-'));
    const failing = {
      open: () => ({
        write: async () => {
          throw new Error('disk full');
        },
        close: async () => {},
      }),
    };
    await expect(
      runExport(
        db,
        { definition, channels: definition.channels, format: 'csv', now: new Date('2027-07-01T08:00:00Z'), spoolDir },
        failing,
      ),
    ).rejects.toThrow('disk full');
    expect(readdirSync(spoolDir)).toEqual([]);
    rmSync(spoolDir, { recursive: true, force: true });
  });

  it('leaves no response id, fingerprint or submission day in any file', () => {
    const everything = readdirSync(dir)
      .map((f) => readFileSync(join(dir, f), 'utf8'))
      .join('\n');
    for (const secret of secrets) expect(everything).not.toContain(secret);
    expect(everything).not.toMatch(/2027-0[67]-\d\d(?!T08:00)/);
  });

  it('puts every row in a class of at least k over wave, audience and every quasi-identifier, suppressed rows included', () => {
    expect(Object.keys(rows[0] ?? {})).toEqual(expect.arrayContaining(['wave', ...QI]));
    const groups = new Map<string, number>();
    const suppressed = (r: Record<string, string>) =>
      QI.every((q) => r[q] === String(MISSING_CODES.suppressed.code) || r[q] === '');
    for (const r of rows) {
      const key = JSON.stringify([r.audience, r.wave, ...(suppressed(r) ? ['pool'] : QI.map((q) => r[q]))]);
      groups.set(key, (groups.get(key) ?? 0) + 1);
    }
    for (const n of groups.values()) expect(n).toBeGreaterThanOrEqual(5);
    const disclosure: DisclosureReport = JSON.parse(readFileSync(join(dir, 'disclosure.json'), 'utf8'));
    expect(disclosure).toMatchObject({ rows: rows.length, profile: { k: 5, period: 'week', freeText: 'exclude' } });
    expect(disclosure.quasiIdentifiers).toEqual(['wave', ...QI]);
    expect(disclosure.partitions.reduce((a, x) => a + x.suppressedRows, 0)).toBe(rows.filter(suppressed).length);
    expect(disclosure.partitions.reduce((a, x) => a + x.rows, 0)).toBe(COUNT);
    expect(disclosure.smallestGroup).toBeGreaterThanOrEqual(5);
    const markdown = readFileSync(join(dir, 'disclosure.md'), 'utf8');
    expect(markdown).toContain('k = 5');
    expect(markdown).toContain(`Rows left out: ${disclosure.droppedRows}.`);
  });

  it('reads into GNU PSPP with every case and the value labels', () => {
    writeFileSync(
      join(dir, 'check.sps'),
      `${readFileSync(join(dir, 'resonanz.sps'), 'utf8')}\nDISPLAY DICTIONARY.\nFREQUENCIES /VARIABLES=audience.\n`,
    );
    const run = spawnSync('pspp', ['-o', 'out.csv', '-O', 'format=csv', 'check.sps'], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 60_000,
    });
    if (run.error) throw run.error;
    expect(run.status, run.stdout + run.stderr).toBe(0);
    const out = readFileSync(join(dir, 'out.csv'), 'utf8');
    expect(out).not.toMatch(/^(error|warning)/im);
    expect(out).toContain('Bevölkerung');
    expect(out, out.slice(-600)).toMatch(new RegExp(`N,Valid,${rows.length}\\b`));
    expect(out).toMatch(/Valid,Bevölkerung,\d+,/);
  });

  it('reads into R with every row and labelled factors', () => {
    writeFileSync(
      join(dir, 'check.R'),
      `${readFileSync(join(dir, 'resonanz.R'), 'utf8')}\ncat("rows", nrow(resonanz), "\\n")\ncat("audience", levels(resonanz$audience), sep = "|")\n`,
    );
    const env = { ...process.env, LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8' };
    const run = spawnSync('Rscript', ['check.R'], { cwd: dir, env, encoding: 'utf8', timeout: 60_000 });
    if (run.error) throw run.error;
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain(`rows ${rows.length}`);
    expect(run.stdout).toContain('Bevölkerung|Betriebe|Multiplikatoren');
  });

  it('writes JSON Lines without the scripts (they read the CSV)', async () => {
    const jsonDir = mkdtempSync(join(tmpdir(), 'resonanz-export-'));
    try {
      const out = await runExport(
        db,
        { definition, channels: definition.channels, format: 'jsonl', now: new Date('2027-07-01T08:00:00Z') },
        folderSink(jsonDir),
      );
      expect(out.files).toEqual(['data.jsonl', 'codebook.json', 'codebook.md', 'disclosure.json', 'disclosure.md']);
      const lines = readFileSync(join(jsonDir, 'data.jsonl'), 'utf8').trim().split('\n');
      expect(lines).toHaveLength(rows.length);
      expect(JSON.parse(lines[0] ?? '{}')).toHaveProperty('img_modern');
    } finally {
      rmSync(jsonDir, { recursive: true, force: true });
    }
  });

  it('leaves out responses past their retention that TTL has not deleted yet', async () => {
    // Prepare: 6 responses kept until 2028-11-21, 5 given on 2024-01-10 (expired on 2026-01-11);
    // enough of each for a class of k = 5.
    const table = await freshTable();
    await publishDefinition(table, miniSurvey);
    await submitMini(table, 6);
    for (let i = 0; i < 5; i++) await saveMini(table, miniResponse('w0', {}, '2024-01-10'));
    const out = mkdtempSync(join(tmpdir(), 'resonanz-export-'));
    try {
      // Act
      const request = { definition: miniSurvey, channels: miniSurvey.channels, format: 'csv' as const };
      const done = await runExport(table, { ...request, now: new Date('2026-12-01T00:00:00Z') }, folderSink(out));
      const before = await runExport(table, { ...request, now: new Date('2026-01-10T12:00:00Z') }, folderSink(out));

      // Assess
      expect(done.rows).toBe(6);
      expect(before.rows).toBe(11);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('exports free text only when asked, and then without the personal data planted in it', async () => {
    const table = await freshTable();
    await publishDefinition(table, miniSurvey);
    const planted = [
      'max.muster@example.de',
      '0209 123456',
      'Hauptstraße 12',
      'DE89 3704 0044 0532 0130 00',
      'www.handwerk-re.de',
    ];
    await submitMini(table, 10, (i) => ({ seen_what: `Plakat, Kontakt: ${planted[i % planted.length]}` }));
    for (const freeText of ['exclude', 'scrub'] as const) {
      const out = mkdtempSync(join(tmpdir(), 'resonanz-export-'));
      try {
        const request = {
          definition: miniSurvey,
          channels: miniSurvey.channels,
          format: 'csv' as const,
          freeText,
          now: new Date('2027-07-01T08:00:00Z'),
        };
        const done = await runExport(table, request, folderSink(out));
        const data: Record<string, string>[] = parse(readFileSync(join(out, 'data.csv'), 'utf8'), { columns: true });
        const text = readFileSync(join(out, 'data.csv'), 'utf8');
        for (const value of planted) expect(text, freeText).not.toContain(value);
        if (freeText === 'exclude') {
          expect(data[0]).not.toHaveProperty('seen_what');
        } else {
          expect(data.map((r) => r.seen_what).sort()).toEqual(
            ['[Adresse]', '[E-Mail]', '[IBAN]', '[Telefon]', '[URL]']
              .flatMap((p) => [`Plakat, Kontakt: ${p}`, `Plakat, Kontakt: ${p}`])
              .sort(),
          );
          expect(done.disclosure.profile.scrubbed).toEqual({
            email: 2,
            phone: 2,
            url: 2,
            iban: 2,
            postcode: 0,
            street: 2,
          });
          expect(readFileSync(join(out, 'disclosure.md'), 'utf8')).toContain('email 2');
        }
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
    }
  });
});
