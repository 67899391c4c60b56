import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateDemoResponses } from '../../local/demo-data.js';
import { seededRandom } from '../../local/random.js';
import { addCounters, type Counters, cellKey, contributionOf } from '../../shared/aggregate/contribution.js';
import { UNRELIABLE_BELOW } from '../../shared/impact/estimate.js';
import { impactReport } from '../../shared/impact/report.js';
import { buildResponse } from '../../shared/response/build.js';
import { formatFileIssues, parseSurveyFile } from '../../shared/survey/parse-file.js';
import type { SurveyDefinition } from '../../shared/survey/schema.js';
import { miniAnswers, miniSurvey } from '../fixtures/mini-survey.js';
import { cellsByWave } from '../setup/cells.js';

function loadSurvey(path: string): SurveyDefinition {
  const parsed = parseSurveyFile(path, readFileSync(path, 'utf8'));
  if (!parsed.ok) throw new Error(formatFileIssues(parsed));
  return parsed.definition;
}

const meanOf = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('impact report on demo data of the Recklinghausen survey', () => {
  const definition = loadSurvey('surveys/handwerk-recklinghausen.yaml');
  const responses = generateDemoResponses(definition, {
    count: 1500,
    random: seededRandom(7),
    now: new Date('2027-06-30T12:00:00Z'),
  }).map((input) => buildResponse(input));
  const cells = cellsByWave(definition, responses);
  const report = impactReport(definition, cells, { audience: 'public' });
  const imageItems = (definition.audiences.public?.sections.flatMap((s) => s.questions) ?? []).filter(
    (q) => q.indicator === 'image_index',
  );
  const indicator = (id: string) => {
    const found = report.indicators.find((i) => i.id === id);
    if (!found) throw new Error(`no indicator ${id}`);
    return found;
  };

  it('estimates the image index per wave as the mean of respondents scores (0-100)', () => {
    expect(imageItems.length).toBeGreaterThan(3);
    for (const wave of definition.waves) {
      // Independent of the counters: each likert item 1..5 is (x - 1) x 25, the score their mean.
      const scores = responses
        .filter((r) => r.waveId === wave.id && r.audience === 'public')
        .map((r) => imageItems.map((q) => r.answers[q.id]).filter((v): v is number => typeof v === 'number'))
        .filter((values) => values.length > 0)
        .map((values) => meanOf(values.map((v) => (v - 1) * 25)));
      const figure = indicator('image_index').waves.find((w) => w.waveId === wave.id);
      expect(figure?.n).toBe(scores.length);
      // Scores are kept in hundredths: the mean can differ from the exact one by half a hundredth.
      expect(Math.abs((figure?.estimate ?? Number.NaN) - meanOf(scores))).toBeLessThan(0.005);
      expect(figure?.ci?.lo).toBeLessThan(figure?.estimate ?? 0);
      expect(figure?.ci?.hi).toBeGreaterThan(figure?.estimate ?? 0);
    }
  });

  it('estimates aided recognition as the share of "yes" among those asked', () => {
    for (const wave of definition.waves) {
      const asked = responses.filter(
        (r) => r.waveId === wave.id && r.audience === 'public' && r.answers.aided_recognition !== undefined,
      );
      const yes = asked.filter((r) => r.answers.aided_recognition === 'yes').length;
      const figure = indicator('aided_recognition').waves.find((w) => w.waveId === wave.id);
      expect(figure?.n).toBe(asked.length);
      expect(figure?.estimate).toBeCloseTo(yes / asked.length, 12);
    }
  });

  it('compares the baseline with every follow-up, adjusting p-values with Holm across the family', () => {
    const changes = report.indicators.flatMap((i) => i.changes.map((c) => ({ ...c, id: i.id })));
    expect(report.adjustment).toBe('holm');
    expect(new Set(changes.map((c) => `${c.from}>${c.to}`))).toEqual(
      new Set(['w0-baseline>w1-followup', 'w0-baseline>w2-followup']),
    );
    const image = indicator('image_index');
    for (const change of image.changes) {
      const from = image.waves.find((w) => w.waveId === change.from)?.estimate ?? Number.NaN;
      const to = image.waves.find((w) => w.waveId === change.to)?.estimate ?? Number.NaN;
      expect(change.delta).toBeCloseTo(to - from, 9);
      expect(change.test).toBe('welch-t');
    }
    const tested = changes.filter((c) => c.p !== null);
    expect(tested.length).toBeGreaterThan(4);
    for (const c of tested) {
      expect(c.pAdjusted).toBeGreaterThanOrEqual(c.p ?? 1);
      expect(c.significant).toBe((c.pAdjusted ?? 1) < 0.05 && !c.flags.includes('unreliable'));
    }
    // The demo lifts recognition after the baseline: with 1500 responses that shows.
    const recognition = indicator('aided_recognition').changes.find((c) => c.to === 'w2-followup');
    expect(recognition?.delta).toBeGreaterThan(0);
    expect(recognition?.significant).toBe(true);
  });

  it('splits each wave by exposure (knows the campaign or everyone else) without the exposure question itself', () => {
    expect(report.exposure.some((r) => r.indicator === 'aided_recognition')).toBe(false);
    const row = report.exposure.find((r) => r.indicator === 'image_index' && r.waveId === 'w2-followup');
    const inWave = responses.filter((r) => r.waveId === 'w2-followup' && r.audience === 'public');
    const withScore = (aware: boolean) =>
      inWave.filter(
        (r) =>
          (r.dimensions.exposure === 'yes') === aware && imageItems.some((q) => typeof r.answers[q.id] === 'number'),
      ).length;
    // "Everyone else" holds those who said no, don't know or nothing: a third group of a few would
    // otherwise be the total minus both sides.
    expect(inWave.some((r) => !['yes', 'no'].includes(r.dimensions.exposure))).toBe(true);
    expect(row?.aware.n).toBe(withScore(true));
    expect(row?.notAware.n).toBe(withScore(false));
    expect(row?.delta).toBeCloseTo((row?.aware.estimate ?? 0) - (row?.notAware.estimate ?? 0), 9);
  });

  it('sets the businesses self-image against the public image, overall and per city', () => {
    const business = impactReport(definition, cells, { audience: 'business' });
    const overall = report.gap.find((g) => g.waveId === 'w0-baseline' && g.city === null);
    const businessIndex = business.indicators.find((i) => i.id === 'image_index')?.waves[0];
    expect(overall?.self.estimate).toBe(businessIndex?.estimate);
    expect(overall?.outside.estimate).toBe(indicator('image_index').waves[0]?.estimate);
    expect(overall?.delta).toBeCloseTo((overall?.self.estimate ?? 0) - (overall?.outside.estimate ?? 0), 9);
    expect(report.gap.some((g) => g.city === 'marl')).toBe(true);
  });

  it('lists cities for each wave, hiding small ones and one more so the hidden one cannot be recovered', () => {
    for (const { rows } of indicator('image_index').cities) {
      const hidden = rows.filter((r) => r.flags.includes('suppressed'));
      expect(hidden.length).not.toBe(1);
      for (const r of hidden) expect([r.n, r.estimate, r.ci]).toEqual([null, null, null]);
      for (const r of rows.filter((x) => !x.flags.includes('suppressed') && (x.n ?? 0) > 0)) {
        expect(r.n).toBeGreaterThanOrEqual(report.minCellSize);
        expect(r.flags.includes('unreliable')).toBe((r.n ?? 0) < UNRELIABLE_BELOW);
      }
    }
  });
});

describe('small groups', () => {
  const respond = (waveId: string, i: number, city = 'alpha') =>
    buildResponse({
      definition: miniSurvey,
      audience: 'public',
      waveId,
      submissionId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      channel: undefined,
      activeChannels: new Set(),
      locale: 'de',
      answers: { ...miniAnswers, city, img_modern: 1 + (i % 5) },
      now: new Date('2026-11-20T10:00:00Z'),
    });

  it('keeps no effective n or design effect of a hidden weighted figure, small or hidden beside one (attack 2 of issue 16)', () => {
    const responses = [
      ...Array.from({ length: 40 }, (_, i) => respond('w0', i, 'alpha')),
      ...Array.from({ length: 4 }, (_, i) => respond('w0', 100 + i, 'beta')),
      ...Array.from({ length: 12 }, (_, i) => respond('w0', 200 + i, 'elsewhere')),
    ];
    const cells = new Map<string, Map<string, Counters>>([['w0', new Map()]]);
    const wave = cells.get('w0') as Map<string, Counters>;
    for (const r of responses) {
      const key = cellKey(r.audience, r.dimensions);
      wave.set(key, addCounters(wave.get(key) ?? {}, contributionOf(miniSurvey, r)));
    }
    // Unequal weights, so that n_eff x deff = n would give a hidden n back.
    const weights = {
      weightOf: (_: string, cell: { dimensions: { city: string } }) => (cell.dimensions.city === 'alpha' ? 0.8 : 1.6),
    };
    const report = impactReport(miniSurvey, cells, { audience: 'public' }, weights);
    const rows =
      report.indicators.find((i) => i.id === 'image_index')?.cities.find((c) => c.waveId === 'w0')?.rows ?? [];
    const byCity = (city: string) => rows.find((r) => r.city === city);
    expect(byCity('alpha')).toMatchObject({ n: 40, flags: [] });
    expect(byCity('alpha')?.nEff).toBeGreaterThan(0);
    for (const city of ['beta', 'elsewhere']) {
      expect(byCity(city)).toEqual({
        city,
        n: null,
        estimate: null,
        se: null,
        ci: null,
        nEff: null,
        deff: null,
        flags: ['suppressed'],
      });
    }
  });

  it('hides a wave below the minimum cell size and does not test against it', () => {
    const responses = [
      ...Array.from({ length: 40 }, (_, i) => respond('w0', i)),
      ...Array.from({ length: 6 }, (_, i) => respond('w1', 100 + i)),
    ];
    const cells = new Map<string, Map<string, Counters>>();
    for (const r of responses) {
      const wave = cells.get(r.waveId) ?? new Map<string, Counters>();
      cells.set(r.waveId, wave);
      const key = cellKey(r.audience, r.dimensions);
      wave.set(key, addCounters(wave.get(key) ?? {}, contributionOf(miniSurvey, r)));
    }
    const report = impactReport(miniSurvey, cells, { audience: 'public' });
    const image = report.indicators.find((i) => i.id === 'image_index');
    expect(image?.waves.find((w) => w.waveId === 'w0')).toMatchObject({ n: 40, flags: [] });
    expect(image?.waves.find((w) => w.waveId === 'w1')).toEqual({
      waveId: 'w1',
      n: null,
      estimate: null,
      se: null,
      ci: null,
      flags: ['suppressed'],
    });
    expect(image?.changes[0]).toMatchObject({ from: 'w0', to: 'w1', p: null, delta: null, significant: false });
  });
});

describe('impact report on demo data of the Emscher-Lippe business survey', () => {
  const definition = loadSurvey('surveys/unternehmensbefragung-emscher-lippe.yaml');
  const responses = generateDemoResponses(definition, {
    count: 800,
    random: seededRandom(8),
    now: new Date('2027-06-30T12:00:00Z'),
  }).map((input) => buildResponse(input));
  const report = impactReport(definition, cellsByWave(definition, responses), { audience: 'business' });

  it('has no exposure contrast where the audience is never asked whether it knows a campaign', () => {
    expect(report.indicators.find((i) => i.id === 'admin_grade')?.waves[0]?.n).toBeGreaterThan(100);
    expect(report.exposure).toEqual([]);
  });
});
