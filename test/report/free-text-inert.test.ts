import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { folderSink } from '../../local/export-files.js';
import { publishDefinition, setWaveState } from '../../shared/data/survey-store.js';
import type { Db } from '../../shared/data/table.js';
import { runExport } from '../../shared/export/run.js';
import type { DataFormat } from '../../shared/export/writers.js';
import { submitMini } from '../fixtures/mini-response.js';
import { miniSurvey } from '../fixtures/mini-survey.js';
import { bearer } from '../setup/admin-app.js';
import { REPORT_CAMPAIGN, reportAppWith } from '../setup/report-app.js';
import { freshTable } from '../setup/table.js';

/** Free text a respondent might type to attack whoever reads the results. */
const SCRIPT = '<script>window.pwned = 1</script>';
const FORMULA = '=HYPERLINK("http://evil.example","Klick")';

describe('hostile free text', () => {
  let db: Db;
  const dirs: string[] = [];

  beforeAll(async () => {
    db = await freshTable();
    await publishDefinition(db, miniSurvey);
    await setWaveState(db, miniSurvey.id, { waveId: 'w0', state: 'open' });
    await submitMini(db, 12, (i) => ({ seen_what: i % 2 === 0 ? SCRIPT : FORMULA }));
  });

  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('never reaches the lead dashboard or the fieldwork report: both show aggregates only', async () => {
    const { app, token } = reportAppWith(db);
    const lead = bearer(await token(['lead'], [REPORT_CAMPAIGN]));
    const answers = [
      await app.request(`/api/v1/surveys/${miniSurvey.id}/fieldwork`, lead),
      await app.request(`/api/v1/surveys/${miniSurvey.id}/impact`, lead),
      await app.request(`/reports/${miniSurvey.id}/fieldwork?lang=de`),
      await app.request(`/dashboard/${miniSurvey.id}`),
    ];
    for (const res of answers) {
      expect(res.status, res.url).toBeLessThan(400);
      const text = await res.text();
      for (const planted of ['pwned', 'HYPERLINK', 'evil.example']) expect(text).not.toContain(planted);
    }
  });

  it.each(['csv', 'csv-excel', 'jsonl'] as const)(
    'is plain text in a %s export, with the formula neutralised',
    async (format: DataFormat) => {
      // Prepare
      const dir = mkdtempSync(join(tmpdir(), 'resonanz-inert-'));
      dirs.push(dir);
      // Only a wave that has stopped collecting is released.
      await setWaveState(db, miniSurvey.id, { waveId: 'w0', state: 'closed', changedAt: '2026-11-21T00:00:00Z' });

      // Act: free text exported on request (scrubbed of personal data, URLs included).
      const result = await runExport(
        db,
        {
          definition: miniSurvey,
          channels: miniSurvey.channels,
          format,
          freeText: 'scrub',
          now: new Date('2026-11-22T09:00:00Z'),
        },
        folderSink(dir),
      );

      // Assess: the cells hold the text as data; a spreadsheet would not run the formula.
      const file = join(dir, result.files[0] as string);
      const content = readFileSync(file, 'utf8');
      const cells =
        format === 'jsonl'
          ? content
              .trim()
              .split('\n')
              .map((line) => (JSON.parse(line) as Record<string, string>).seen_what)
          : (
              parse(content.replace(/^\uFEFF/, ''), {
                columns: true,
                delimiter: format === 'csv-excel' ? ';' : ',',
              }) as Record<string, string>[]
            ).map((row) => row.seen_what);
      expect(cells).toHaveLength(12);
      expect(cells.filter((cell) => cell === SCRIPT)).toHaveLength(6);
      const formulas = cells.filter((cell) => cell !== SCRIPT);
      expect(formulas).toHaveLength(6);
      for (const cell of formulas) {
        expect(cell).toMatch(/^'=HYPERLINK\(/);
        expect(cell).not.toContain('evil.example');
      }
      // The texts beside the data (codebook, disclosure report, scripts) never carry answers.
      for (const name of readdirSync(dir).filter((f) => !result.files[0]?.endsWith(f))) {
        expect(readFileSync(join(dir, name), 'utf8'), name).not.toContain('pwned');
      }
    },
  );
});
