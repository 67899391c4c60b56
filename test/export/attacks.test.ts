import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, describe, expect, it } from 'vitest';
import { generateDemoResponses } from '../../local/demo-data.js';
import { folderStorage } from '../../local/export-files.js';
import { seededRandom } from '../../local/random.js';
import type { ExportRecord } from '../../shared/data/export-store.js';
import { publishDefinition, setWaveState } from '../../shared/data/survey-store.js';
import type { Db } from '../../shared/data/table.js';
import { MISSING_CODES } from '../../shared/export/codebook-types.js';
import { recordExport, writeExport } from '../../shared/export/jobs.js';
import { storeResponse } from '../../shared/response/submit.js';
import type { SurveyDefinition } from '../../shared/survey/schema.js';
import { recklinghausenSurvey } from '../fixtures/demo-cells.js';
import { RECKLINGHAUSEN_QUASI_IDENTIFIERS } from '../fixtures/export-bundle.js';
import { miniResponse, saveMini } from '../fixtures/mini-response.js';
import { miniSurvey } from '../fixtures/mini-survey.js';
import { freshTable } from '../setup/table.js';

/**
 * Issue 16's export attacks, performed as an evaluator would: export, change something, export
 * again, compare. Each response carries a unique free-text marker (exported scrubbed), standing in
 * for the answers that make every row unique: the adversary matches rows of two exports by it.
 */
type Csv = Record<string, string>;
const QI = ['period', 'channel_kind', 'language', 'city'];
const SUPPRESSED = String(MISSING_CODES.suppressed.code);
const GENERALISED = String(MISSING_CODES.generalised.code);

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

interface Respondent {
  marker: string;
  city: 'alpha' | 'beta' | 'elsewhere';
  locale?: 'de' | 'en';
  channel?: string;
  day?: string;
  wave?: string;
}

async function store(db: Db, people: Respondent[], definition: SurveyDefinition = miniSurvey): Promise<void> {
  for (const p of people) {
    const response = miniResponse(
      p.wave ?? 'w0',
      { city: p.city, seen_what: p.marker },
      p.day ?? '2026-11-20',
      definition,
    );
    await saveMini(db, {
      ...response,
      locale: p.locale ?? 'de',
      channel: p.channel ?? 'unknown',
    });
  }
}

const crowd = (prefix: string, n: number, city: Respondent['city'], extra: Partial<Respondent> = {}) =>
  Array.from({ length: n }, (_, i) => ({ marker: `${prefix}-${i}`, city, ...extra }));

/** One export through the recorded path (API and CLI both use it); its rows by marker. */
async function exportNow(
  db: Db,
  at: string,
  profile: Partial<ExportRecord['profile']> = {},
  definition: SurveyDefinition = miniSurvey,
) {
  const storage = mkdtempSync(join(tmpdir(), 'resonanz-attack-'));
  dirs.push(storage);
  const now = () => new Date(at);
  const record = await recordExport(db, {
    surveyId: definition.id,
    settings: {
      format: 'csv',
      profile: { k: 5, period: 'week', freeText: 'scrub', lang: 'de', ...profile },
    },
    requestedBy: 'evaluator@uni.example',
    now,
  });
  const done = await writeExport(db, folderStorage(storage), {
    record,
    request: { definition, channels: definition.channels, now: now() },
    now,
  });
  expect(done.status, done.error).toBe('done');
  const rows: Csv[] = parse(readFileSync(join(storage, definition.id, record.exportId, 'data.csv'), 'utf8'), {
    columns: true,
  });
  return { done, rows, byMarker: new Map(rows.map((r) => [r.seen_what ?? '', r])) };
}

/** What a neighbour learns: the rows their knowledge of a respondent fits (equal values, or generalised away). */
function fitting(rows: Csv[], target: Csv): Csv[] {
  return rows.filter((r) =>
    QI.every((q) => r[q] === target[q] || r[q] === SUPPRESSED || r[q] === GENERALISED || r[q] === ''),
  );
}

describe('export attacks (issue 16)', () => {
  it('singles nobody out by language or channel kind: the one English answer and the one poster scan fit 0 or at least k rows (attacks 3 and 4)', async () => {
    const db = await freshTable();
    await publishDefinition(db, miniSurvey);
    await store(db, [
      ...crowd('alpha', 12, 'alpha'),
      ...crowd('beta', 9, 'beta'),
      { marker: 'rare-english', city: 'alpha', locale: 'en' },
      { marker: 'rare-poster', city: 'beta', channel: 'plakat-alpha' },
      { marker: 'rare-elsewhere', city: 'elsewhere' },
    ]);
    const { rows, byMarker, done } = await exportNow(db, '2026-12-01T08:00:00Z');

    // What each rare respondent's neighbour knows: town, language, channel kind and week.
    const known: Record<string, Csv> = {
      'rare-english': { city: '1', language: '2', channel_kind: '8', period: '2026-W47' },
      'rare-poster': { city: '2', language: '1', channel_kind: '1', period: '2026-W47' },
      'rare-elsewhere': { city: '3', language: '1', channel_kind: '8', period: '2026-W47' },
    };
    for (const [marker, target] of Object.entries(known)) {
      const fits = fitting(rows, target).length;
      expect(fits === 0 || fits >= 5, `${marker} fits ${fits} rows`).toBe(true);
      const own = byMarker.get(`${marker}`);
      // Its own row, if written, shows none of what made it rare.
      if (own) expect(QI.filter((q) => own[q] === target[q] && q !== 'period')).not.toContain('language');
    }
    // Rows with every quasi-identifier suppressed are a class of at least k, or left out and counted.
    const pool = rows.filter((r) => QI.every((q) => r[q] === SUPPRESSED || r[q] === ''));
    expect(pool.length === 0 || pool.length >= 5).toBe(true);
    expect(done.rows).toBe(rows.length);
    expect((done.droppedRows ?? 0) + rows.length).toBe(24);
  });

  it('keeps the wave a quasi-identifier: with the wave only, no class of audience x wave x quasi-identifiers is below k (attack 5)', async () => {
    const db = await freshTable();
    await publishDefinition(db, miniSurvey);
    // Across both waves alpha has 8 (a class of 8 without the wave), but 5 + 3 by wave.
    await store(db, [
      ...crowd('w0-alpha', 5, 'alpha'),
      ...crowd('w1-alpha', 3, 'alpha', { wave: 'w1', day: '2027-03-03' }),
      ...crowd('w0-beta', 6, 'beta'),
      ...crowd('w1-beta', 7, 'beta', { wave: 'w1', day: '2027-03-03' }),
    ]);
    const { rows } = await exportNow(db, '2027-04-01T08:00:00Z', { period: 'wave' });
    expect(rows[0]).not.toHaveProperty('period');
    const classes = new Map<string, number>();
    for (const r of rows) {
      const key = JSON.stringify([r.audience, r.wave, r.city, r.language, r.channel_kind]);
      classes.set(key, (classes.get(key) ?? 0) + 1);
    }
    for (const [key, n] of classes) expect(n, key).toBeGreaterThanOrEqual(5);
    expect(rows.filter((r) => r.wave === '2' && r.city === '1')).toHaveLength(0);
  });

  it('releases a wave only once it has stopped collecting, and then as it was: one new response changes no export (attack 6)', async () => {
    const db = await freshTable();
    await publishDefinition(db, miniSurvey);
    await store(db, [...crowd('alpha', 10, 'alpha'), ...crowd('beta', 10, 'beta')]);
    await setWaveState(db, 'mini', { waveId: 'w0', state: 'open', changedAt: '2026-11-01T00:00:00Z' });

    // While the wave collects, nothing of it is released.
    const collecting = await exportNow(db, '2026-11-25T08:00:00Z');
    expect(collecting.rows).toEqual([]);
    expect(collecting.done.waves?.find((w) => w.waveId === 'w0')).toMatchObject({
      status: 'collecting',
      responses: 20,
    });

    // Closed: released. Exported twice, the same rows (by marker and by every value but row_id).
    await setWaveState(db, 'mini', { waveId: 'w0', state: 'closed', changedAt: '2026-11-26T00:00:00Z' });
    const first = await exportNow(db, '2026-11-27T08:00:00Z');
    const again = await exportNow(db, '2026-11-28T08:00:00Z');
    expect(first.rows).toHaveLength(20);
    const withoutId = (rows: Csv[]) => rows.map(({ row_id: _, ...r }) => JSON.stringify(r)).sort();
    expect(withoutId(again.rows)).toEqual(withoutId(first.rows));
    expect(again.done.waves?.find((w) => w.waveId === 'w0')).toMatchObject({ status: 'released' });

    // The wave is reopened and one more respondent answers: the export a day later must not show them.
    await setWaveState(db, 'mini', { waveId: 'w0', state: 'open', changedAt: '2026-11-29T00:00:00Z' });
    await store(db, [{ marker: 'newcomer', city: 'alpha', day: '2026-11-29' }]);
    await setWaveState(db, 'mini', { waveId: 'w0', state: 'closed', changedAt: '2026-11-29T12:00:00Z' });
    const later = await exportNow(db, '2026-11-30T08:00:00Z');
    const difference = later.rows.filter((r) => !first.byMarker.has(r.seen_what ?? ''));
    expect(difference).toEqual([]);
    expect(later.byMarker.has('newcomer')).toBe(false);
    expect(later.done.waves?.find((w) => w.waveId === 'w0')).toMatchObject({ status: 'changed', responses: 21 });
    expect(readFileSync(join(dirs.at(-1) as string, 'mini', later.done.exportId, 'disclosure.md'), 'utf8')).toContain(
      'changed since its first release',
    );
  });

  it('gives a coarser release for a higher k or the wave only, so matching two releases row by row adds nothing (attack 6, across profiles)', async () => {
    const db = await freshTable();
    await publishDefinition(db, miniSurvey);
    await store(db, [
      ...crowd('alpha-a', 6, 'alpha'),
      ...crowd('alpha-b', 6, 'alpha', { day: '2026-11-27' }),
      ...crowd('beta', 7, 'beta'),
      ...crowd('else', 4, 'elsewhere'),
    ]);
    const base = await exportNow(db, '2026-12-10T08:00:00Z');
    const stricter = await exportNow(db, '2026-12-10T09:00:00Z', { k: 8, period: 'wave' });
    expect(stricter.rows[0]).not.toHaveProperty('period');
    for (const [marker, coarse] of stricter.byMarker) {
      const fine = base.byMarker.get(marker);
      // Left out in the base release: left out in every release.
      expect(fine, marker).toBeDefined();
      for (const q of QI.filter((q) => q !== 'period')) {
        // Each value is the base's, or merged, or suppressed: never a value the base did not show.
        expect([fine?.[q], GENERALISED, SUPPRESSED], `${marker} ${q}`).toContain(coarse[q]);
        if (fine?.[q] === SUPPRESSED) expect(coarse[q]).toBe(SUPPRESSED);
      }
    }
  });

  it('gives no role back through the questions only some roles are shown (reviewer E1)', async () => {
    // Only pupils are asked about an apprenticeship, only parents whether they would recommend one:
    // whether a row answers them tells the role, whatever the role column says after merging.
    const definition = recklinghausenSurvey();
    const db = await freshTable();
    await publishDefinition(db, definition);
    const inputs = generateDemoResponses(definition, {
      count: 400,
      random: seededRandom(7),
      now: new Date('2026-11-20T10:00:00Z'),
    });
    for (let i = 0; i < inputs.length; i += 25) {
      await Promise.all(inputs.slice(i, i + 25).map((input) => storeResponse(db, input as never)));
    }
    const { rows } = await exportNow(db, '2027-01-10T08:00:00Z', { freeText: 'exclude' }, definition);
    const quasi = RECKLINGHAUSEN_QUASI_IDENTIFIERS;
    const answered = (r: Csv, v: string) => (r[v] === '-8' ? 0 : 1);
    const classes = new Map<string, number>();
    for (const r of rows) {
      const pool = quasi.every((q) => r[q] === SUPPRESSED || r[q] === '');
      const key = JSON.stringify([
        r.audience,
        r.wave,
        answered(r, 'youth_apprenticeship'),
        answered(r, 'parent_recommend'),
        ...(pool ? ['pool'] : quasi.map((q) => r[q])),
      ]);
      classes.set(key, (classes.get(key) ?? 0) + 1);
    }
    expect(rows.length).toBeGreaterThan(200);
    for (const [key, n] of classes) expect(n, key).toBeGreaterThanOrEqual(5);
  });

  it('does not release a wave again once the survey file anonymises it differently', async () => {
    const db = await freshTable();
    await publishDefinition(db, miniSurvey);
    await store(db, [...crowd('alpha', 10, 'alpha'), ...crowd('beta', 10, 'beta')]);
    await exportNow(db, '2026-12-01T08:00:00Z');
    const changed = structuredClone(miniSurvey);
    changed.settings.export = {
      k: 5,
      quasiIdentifiers: [],
      hierarchies: [
        {
          dimension: 'city',
          groups: [
            { code: 'area', label: { de: 'Gebiet', en: 'area' }, members: ['alpha', 'beta'] },
            { code: 'out', label: { de: 'außen', en: 'outside' }, members: ['elsewhere'] },
          ],
        },
      ],
    };
    // The same rows coded by another plan would join to more detail than either release.
    const later = await exportNow(db, '2026-12-02T08:00:00Z', {}, changed);
    expect(later.done.waves?.find((w) => w.waveId === 'w0')?.status).toBe('released');
    const k11 = structuredClone(miniSurvey);
    k11.settings.export = { k: 11, quasiIdentifiers: [], hierarchies: [] };
    const floorRaised = await exportNow(db, '2026-12-03T08:00:00Z', { k: 11 }, k11);
    expect(floorRaised.done.waves?.find((w) => w.waveId === 'w0')?.status).toBe('changed');
    expect(floorRaised.rows).toEqual([]);
  });
});
