import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exportPlan, variableName } from '../../shared/export/codebook.js';
import { MISSING_CODES } from '../../shared/export/codebook-types.js';
import { isoWeek, rowCoder } from '../../shared/export/rows.js';
import { csvRecord, dataWriter, neutraliseFormula } from '../../shared/export/writers.js';
import { buildResponse } from '../../shared/response/build.js';
import { recklinghausenSurvey } from '../fixtures/demo-cells.js';
import { miniAnswers, miniSurvey } from '../fixtures/mini-survey.js';

const generatedAt = new Date('2026-11-22T10:00:00Z');

const response = (answers: Record<string, unknown>, over: Partial<Parameters<typeof buildResponse>[0]> = {}) =>
  buildResponse({
    definition: miniSurvey,
    audience: 'public',
    waveId: 'w1',
    submissionId: '00000000-0000-4000-8000-000000000001',
    channel: 'plakat-alpha',
    activeChannels: new Set(['plakat-alpha']),
    locale: 'en',
    answers: answers as never,
    now: new Date('2026-11-22T09:30:00Z'),
    ...over,
  });

describe('export codebook', () => {
  it('has one variable per question (one per option for multiple choice), no consent, no free text unless scrubbed', () => {
    const { codebook } = exportPlan(miniSurvey, { generatedAt, period: 'week', freeText: 'exclude' });
    const names = codebook.variables.map((v) => v.name);
    expect(names.slice(0, 6)).toEqual(['row_id', 'wave', 'audience', 'period', 'channel_kind', 'language']);
    expect(names).toContain('img_modern');
    expect(names).toContain('channels_poster');
    expect(names).not.toContain('consent');
    expect(names).not.toContain('seen_what');
    const scrubbed = exportPlan(miniSurvey, { generatedAt, period: 'wave', freeText: 'scrub' }).codebook;
    expect(scrubbed.variables.map((v) => v.name)).toContain('seen_what');
    expect(scrubbed.variables.map((v) => v.name)).not.toContain('period');
    expect(codebook).toMatchObject({ surveyId: 'mini', definitionVersion: miniSurvey.version, dataFile: 'data.csv' });
  });

  it('labels categories in German and English, tags indicators and dimensions, and lists missing codes', () => {
    const { codebook } = exportPlan(recklinghausenSurvey(), { generatedAt, period: 'week', freeText: 'exclude' });
    const city = codebook.variables.find((v) => v.name === 'city');
    expect(city).toMatchObject({ dimension: 'city', quasiIdentifier: true, measure: 'nominal', type: 'numeric' });
    expect(city?.values[0]).toEqual({ code: 1, label: expect.objectContaining({ de: expect.any(String) }) });
    expect(city?.missing.map((m) => m.code)).toContain(MISSING_CODES.suppressed.code);
    const modern = codebook.variables.find((v) => v.name === 'img_modern');
    expect(modern).toMatchObject({ indicator: 'image_index', measure: 'ordinal', quasiIdentifier: false });
    expect(modern?.values.map((v) => v.code)).toEqual([1, 2, 3, 4, 5]);
    expect(modern?.missing.map((m) => m.code)).toContain(MISSING_CODES.dontKnow.code);
    // Questions asked of some audiences only can be "not asked" in the others' rows.
    expect(codebook.variables.find((v) => v.dimension === 'business_size')?.missing.map((m) => m.code)).toContain(
      MISSING_CODES.notAsked.code,
    );
    for (const v of codebook.variables) expect(v.name).toMatch(/^[a-z][a-z0-9_]{0,63}$/);
    expect(new Set(codebook.variables.map((v) => v.name)).size).toBe(codebook.variables.length);
  });

  it('makes names every statistics package accepts', () => {
    expect(variableName('img-modern', 'very-long')).toBe('img_modern_very_long');
    expect(variableName('9lives')).toBe('v_9lives');
    expect(variableName('x'.repeat(80))).toHaveLength(64);
  });
});

describe('export rows', () => {
  const plan = exportPlan(miniSurvey, { generatedAt, period: 'week', freeText: 'scrub' });
  const code = rowCoder(miniSurvey, plan, miniSurvey.channels);

  it('codes answers and keeps nothing that points at the response', () => {
    const r = response({ ...miniAnswers, seen_what: 'Plakat am Bahnhof' });
    const row = code(r);
    expect(row).toMatchObject({
      wave: 2,
      audience: 1,
      period: '2026-W47',
      channel_kind: 1,
      language: 2,
      img_modern: 4,
      seen_ads: 1,
      channels_poster: 1,
      channels_social: 1,
      seen_what: 'Plakat am Bahnhof',
    });
    const text = JSON.stringify(row);
    for (const secret of [r.responseId, r.fingerprint, r.submittedOn, 'plakat-alpha'])
      expect(text).not.toContain(secret);
  });

  it("writes missing codes: no answer, don't know, and an unknown channel as its kind", () => {
    const { img_modern: _drop, ...rest } = miniAnswers;
    const row = code(response({ ...rest, aided: 'dk' }, { channel: 'from-a-newsletter' }));
    expect(row.img_modern).toBe(MISSING_CODES.noAnswer.code);
    expect(row.channel_kind).toBe(8); // unknown
  });

  it('finds the ISO week, also across a year boundary', () => {
    expect(isoWeek('2026-11-22')).toBe('2026-W47');
    expect(isoWeek('2021-01-03')).toBe('2020-W53');
    expect(isoWeek('2024-12-30')).toBe('2025-W01');
    expect(isoWeek('2027-01-01')).toBe('2026-W53');
  });
});

describe('export writers', () => {
  const plan = exportPlan(miniSurvey, { generatedAt, period: 'week', freeText: 'scrub' });
  const code = rowCoder(miniSurvey, plan, miniSurvey.channels);
  const planted = ['=HYPERLINK("http://evil")', '+1', '-2+3', '@SUM(A1)', '\tx', 'a, "quoted"\nline', '\r\nx'];
  const rows = planted.map((seen_what, i) => ({ ...code(response({ ...miniAnswers, seen_what })), row_id: i + 1 }));

  it('writes RFC 4180 CSV that parses back to the rows, with formulas neutralised and line breaks marked', () => {
    const writer = dataWriter(plan.codebook, 'csv');
    const text = writer.header() + rows.map((r) => writer.row(r)).join('');
    expect(text.startsWith('row_id,wave,')).toBe(true);
    expect(text).toContain('\r\n');
    const parsed: Record<string, string>[] = parse(text, { columns: true });
    expect(parsed).toHaveLength(rows.length);
    // GNU PSPP cannot read a line break inside a field: data.csv writes each as ¶ (see multiline-text.test.ts).
    expect(parsed.map((p) => p.seen_what)).toEqual([
      ...planted.slice(0, 5).map(neutraliseFormula),
      'a, "quoted"¶line',
      "'¶x",
    ]);
    expect(parsed[0]).toMatchObject({ row_id: '1', wave: '2', img_modern: '4', period: '2026-W47' });
    expect(parsed.map((p) => p.seen_what?.[0])).toEqual(["'", "'", "'", "'", "'", 'a', "'"]);
  });

  it('writes the Excel variant with a BOM, semicolons and decimal commas', () => {
    const writer = dataWriter(plan.codebook, 'csv-excel');
    const text =
      writer.header() + [{ ...rows[0], img_modern: 3.5 }, ...rows.slice(1)].map((r) => writer.row(r as never)).join('');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const parsed: Record<string, string>[] = parse(text.slice(1), { columns: true, delimiter: ';' });
    expect(parsed[0]?.img_modern).toBe('3,5');
    expect(parsed.map((p) => p.seen_what)).toEqual(planted.map(neutraliseFormula));
  });

  it('writes each CSV record as csv-stringify would, and quotes a line break it would leave bare', () => {
    const cell = (breaks: string[]) =>
      fc.oneof(
        fc.string({ unit: fc.constantFrom('a', 'ü', ',', ';', '"', ' ', "'", '=', ...breaks) }),
        fc.integer({ min: -99, max: 999 }),
        fc.double({ noNaN: true }),
      );
    const options = (delimiter: string) => ({ delimiter, record_delimiter: 'windows' as const });
    fc.assert(
      fc.property(fc.array(cell([]), { minLength: 1, maxLength: 8 }), fc.constantFrom(',', ';'), (cells, delimiter) => {
        expect(csvRecord(cells, delimiter)).toBe(stringify([cells], options(delimiter)));
      }),
    );
    // csv-stringify with a record delimiter quotes only the whole CRLF: a lone LF or CR would split the row.
    fc.assert(
      fc.property(fc.array(cell(['\n', '\r']), { minLength: 1, maxLength: 8 }), (cells) => {
        const text = csvRecord(cells, ',');
        expect(parse(text, { cast: false, relax_column_count: false })).toEqual([cells.map(String)]);
      }),
    );
  });

  it('writes JSON Lines with numbers as numbers and text neutralised', () => {
    const writer = dataWriter(plan.codebook, 'jsonl');
    const lines = rows
      .map((r) => writer.row(r))
      .join('')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(rows.length);
    expect(lines[1]).toMatchObject({ row_id: 2, img_modern: 4, seen_what: "'+1" });
    expect(lines.slice(5).map((l) => l.seen_what)).toEqual(['a, "quoted"\nline', "'\r\nx"]);
    expect(Object.keys(lines[0])).toEqual(plan.codebook.variables.map((v) => v.name));
  });
});
