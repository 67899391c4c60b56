import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { folderSink } from '../../local/export-files.js';
import { publishDefinition } from '../../shared/data/survey-store.js';
import type { Db } from '../../shared/data/table.js';
import type { Codebook } from '../../shared/export/codebook-types.js';
import { runExport } from '../../shared/export/run.js';
import { type DataFormat, dataFileName } from '../../shared/export/writers.js';
import { submitMini } from '../fixtures/mini-response.js';
import { miniSurvey } from '../fixtures/mini-survey.js';
import { runPspp, runRscript } from '../fixtures/stats-programs.js';
import { freshTable } from '../setup/table.js';

/** A typed answer with every kind of line break (CRLF, LF, CR) and a quote. */
const MULTILINE = 'Erste Zeile\r\nzweite Zeile\ndritte Zeile\rer sagte "ja"';
/** How data.csv writes it, and so what SPSS/PSPP and R read: each line break as ¶. */
const AS_READ = 'Erste Zeile¶zweite Zeile¶dritte Zeile¶er sagte "ja"';
const COUNT = 6;
const MULTILINE_ROW = 2;

/** Response `i` answers age 20 + i, so a row is known by its age whatever its random row id. */
const answersOf = (i: number) => ({
  seen_what: i === MULTILINE_ROW ? MULTILINE : `Antwort ${i}`,
  img_modern: (i % 5) + 1,
  grade: (i % 6) + 1,
  age: 20 + i,
});
/** What every reader must find in a row: the text, and the columns after it unshifted. */
const expected = Array.from({ length: COUNT }, (_, i) => {
  const a = answersOf(i);
  return {
    age: a.age,
    img_modern: a.img_modern,
    grade: a.grade,
    seen_what: i === MULTILINE_ROW ? AS_READ : a.seen_what,
  };
});
const byAge = <T extends { age: number }>(rows: T[]) => [...rows].sort((a, b) => a.age - b.age);

describe('a multi-line free-text answer in an export', () => {
  let db: Db;
  const dirs: string[] = [];

  const exportAs = async (format: DataFormat) => {
    const dir = mkdtempSync(join(tmpdir(), 'resonanz-multiline-'));
    dirs.push(dir);
    const request = { definition: miniSurvey, channels: miniSurvey.channels, format, freeText: 'scrub' as const };
    await runExport(db, { ...request, now: new Date('2027-07-01T08:00:00Z') }, folderSink(dir));
    return { dir, data: readFileSync(join(dir, dataFileName(format)), 'utf8') };
  };

  beforeAll(async () => {
    db = await freshTable();
    await publishDefinition(db, miniSurvey);
    await submitMini(db, COUNT, answersOf);
  });

  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('reads into GNU PSPP as one case per response, the later columns in place', async () => {
    // Prepare
    const { dir } = await exportAs('csv');
    const sps = readFileSync(join(dir, 'resonanz.sps'), 'utf8');

    // Act
    const run = runPspp(dir, `${sps}LIST /VARIABLES=age img_modern grade seen_what.\n`);

    // Assess
    expect(run.log).toMatch(/^exit 0\n/);
    expect(run.log).not.toMatch(/error|warning/i);
    const [header, ...cases] = run.tables.get('Data List') ?? [];
    expect(header).toEqual(['age', 'img_modern', 'grade', 'seen_what']);
    const read = cases.map(([age, img_modern, grade, seen_what]) => ({
      age: Number(age),
      img_modern: Number(img_modern),
      grade: Number(grade),
      seen_what,
    }));
    expect(byAge(read)).toEqual(expected);
  });

  it('reads into R as one row per response, with the same text as PSPP', async () => {
    // Prepare: the text printed as hex UTF-8 bytes, so a line break could not hide in the output.
    const { dir } = await exportAs('csv');
    const script = readFileSync(join(dir, 'resonanz.R'), 'utf8');
    const print = [
      'cat(nrow(resonanz), "\\n")',
      'for (i in seq_len(nrow(resonanz))) cat(resonanz$age[i], as.integer(resonanz$img_modern[i]),',
      '  as.integer(resonanz$grade[i]), paste(as.character(charToRaw(resonanz$seen_what[i])), collapse = ""), "\\n")',
    ];

    // Act
    const run = runRscript(dir, `${script}\n${print.join('\n')}\n`);

    // Assess
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const [rows, ...lines] = run.stdout.trim().split('\n');
    expect(rows?.trim()).toBe(String(COUNT));
    const read = lines.map((line) => {
      const [age, img_modern, grade, hex] = line.trim().split(' ');
      return {
        age: Number(age),
        img_modern: Number(img_modern),
        grade: Number(grade),
        seen_what: Buffer.from(hex ?? '', 'hex').toString('utf8'),
      };
    });
    expect(byAge(read)).toEqual(expected);
  });

  it('says in the codebook how line breaks are written in data.csv', async () => {
    const { dir } = await exportAs('csv');
    const codebook: Codebook = JSON.parse(readFileSync(join(dir, 'codebook.json'), 'utf8'));
    const text = codebook.variables.find((v) => v.name === 'seen_what');
    expect(text?.note?.en).toContain('¶');
    expect(text?.note?.de).toContain('¶');
    expect(codebook.variables.filter((v) => v.note !== undefined).map((v) => v.name)).toEqual(['seen_what']);
    expect(readFileSync(join(dir, 'codebook.md'), 'utf8')).toContain(`\`seen_what\`: ${text?.note?.de}`);
  });

  it('keeps the line breaks as typed for Excel and in JSON Lines, whose readers take them', async () => {
    const excel = await exportAs('csv-excel');
    const rows: Record<string, string>[] = parse(excel.data.slice(1), { columns: true, delimiter: ';' });
    expect(rows.map((r) => r.seen_what)).toContain(MULTILINE);
    const jsonl = await exportAs('jsonl');
    const lines = jsonl.data.trim().split('\n');
    expect(lines).toHaveLength(COUNT);
    expect(lines.map((l) => JSON.parse(l).seen_what)).toContain(MULTILINE);
    for (const { dir } of [excel, jsonl]) {
      const codebook: Codebook = JSON.parse(readFileSync(join(dir, 'codebook.json'), 'utf8'));
      expect(codebook.variables.filter((v) => v.note !== undefined)).toEqual([]);
    }
  });
});
