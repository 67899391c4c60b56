import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import tCdf from '@stdlib/stats-base-dists-t-cdf';
import tQuantile from '@stdlib/stats-base-dists-t-quantile';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateDemoResponses } from '../../local/demo-data.js';
import { validSurveyFiles } from '../../local/load-surveys.js';
import { seededRandom } from '../../local/random.js';
import { setWaveState } from '../../shared/data/survey-store.js';
import type { Db } from '../../shared/data/table.js';
import type { BuildInput } from '../../shared/response/build.js';
import type { Audience, SurveyDefinition } from '../../shared/survey/schema.js';
import type { Answers } from '../../shared/survey/visibility.js';
import type { Requester } from '../respond/html-form.js';
import { reportAppWith } from '../setup/report-app.js';
import { json, jsonPost, respondAppWith } from '../setup/respond-app.js';
import { freshTable } from '../setup/table.js';

/**
 * The two region surveys end to end (issue 19): the real files, answers sent through the
 * respondent API as a client sends them, the targets read back as a lead reads them. Every
 * expected figure is computed here from the submitted answers, independently of the aggregates
 * and the report's statistics.
 */

const EMSCHER_LIPPE = 'surveys/unternehmensbefragung-emscher-lippe.yaml';
const BOTTROP = 'surveys/reallabor-handwerk-bottrop.yaml';
/**
 * When each wave is closed: after the respondent app's clock (10:15) and long enough before the
 * report's (12:00) that the closed waves are settled and shown.
 */
const CLOSED_AT = '2026-11-20T11:00:00Z';
const LEVEL = 0.95;
const TOLERANCE = 1e-9;

type Plan = {
  waveId: string;
  counts: Partial<Record<Audience, number>>;
  /** Hand-made changes to the generated answers, where a test needs a particular outcome. */
  change?: (answers: Answers) => Answers;
}[];
type Submitted = { waveId: string; audience: Audience; answers: Answers };

async function loadSurvey(file: string): Promise<SurveyDefinition> {
  const [result] = await validSurveyFiles([file]);
  if (!result) throw new Error(`${file} did not load`);
  return result.definition;
}

/**
 * Publishes the survey and collects the plan's answers through the respondent API, one wave open
 * at a time, each closed before the report reads it (a collecting wave shows no figure). The
 * answers come from the demo generator; every fifth submission is sent twice, as a client retrying
 * after a lost reply does, and must be counted once.
 */
async function collect(db: Db, definition: SurveyDefinition, plan: Plan): Promise<Submitted[]> {
  const inputs = generateDemoResponses(definition, {
    count: 3000,
    random: seededRandom(19),
    now: new Date('2026-11-20T10:00:00Z'),
  });
  const [first] = plan;
  if (!first) throw new Error('empty plan');
  const { app } = await respondAppWith(db, definition, first.waveId);
  const submitted: Submitted[] = [];
  for (const step of plan) {
    await setWaveState(db, definition.id, { waveId: step.waveId, state: 'open' });
    for (const [audience, count] of Object.entries(step.counts) as [Audience, number][]) {
      const chosen = inputs.filter((i) => i.waveId === step.waveId && i.audience === audience).slice(0, count);
      expect(chosen, `${step.waveId} ${audience}`).toHaveLength(count);
      for (const [k, generated] of chosen.entries()) {
        const input = { ...generated, answers: step.change?.(generated.answers) ?? generated.answers };
        await send(app, definition.id, input, k % 5 === 0);
        submitted.push({ waveId: step.waveId, audience, answers: input.answers });
      }
    }
    await setWaveState(db, definition.id, { waveId: step.waveId, state: 'closed', changedAt: CLOSED_AT });
  }
  return submitted;
}

async function send(app: Requester, surveyId: string, input: BuildInput, retry: boolean): Promise<void> {
  // What a client sends: its own submissionId (the idempotency key), the link's channel, the
  // page language and every answer, consent first. The API decides the wave, not the client.
  const body = {
    submissionId: input.submissionId,
    audience: input.audience,
    channel: input.channel,
    locale: input.locale,
    answers: input.answers,
  };
  const url = `/api/v1/surveys/${surveyId}/responses`;
  const res = await app.request(url, jsonPost(body));
  if (res.status !== 201) throw new Error(`submission refused: ${res.status} ${await res.text()}`);
  const stored = await json(res);
  expect(stored.wave).toBe(input.waveId);
  if (retry) {
    const again = await app.request(url, jsonPost(body));
    expect(again.status).toBe(200);
    expect(await json(again)).toEqual(stored);
  }
}

// ---- Expected figures, from the raw answers -------------------------------------------------

interface Expected {
  n: number;
  estimate: number;
  ci: { lo: number; hi: number };
  /** One-sided test against a target, as the report must give it. */
  against(value: number, direction: 'at_least' | 'at_most'): { statistic: number; p: number; pShort: number };
  test: 'one-sample-t' | 'one-proportion-z';
}

/** Mean with a t interval, from the scores themselves (two-pass variance). */
function expectedMean(scores: number[]): Expected {
  const n = scores.length;
  const mean = scores.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(scores.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1));
  const se = sd / Math.sqrt(n);
  const half = tQuantile(1 - (1 - LEVEL) / 2, n - 1) * se;
  return {
    n,
    estimate: mean,
    ci: { lo: mean - half, hi: mean + half },
    test: 'one-sample-t',
    against(value, direction) {
      const statistic = (mean - value) / se;
      const below = tCdf(statistic, n - 1);
      const above = tCdf(-statistic, n - 1);
      return direction === 'at_least' ? { statistic, p: above, pShort: below } : { statistic, p: below, pShort: above };
    },
  };
}

/** A share with its Wilson interval and the score test (standard error under the target). */
function expectedShare(hits: number[]): Expected {
  const n = hits.length;
  const count = hits.filter((h) => h === 1).length;
  const p = count / n;
  const z = normalQuantile(1 - (1 - LEVEL) / 2, 0, 1);
  const centre = (p + z ** 2 / (2 * n)) / (1 + z ** 2 / n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + z ** 2 / (4 * n ** 2))) / (1 + z ** 2 / n);
  return {
    n,
    estimate: p,
    ci: { lo: centre - half, hi: centre + half },
    test: 'one-proportion-z',
    against(value, direction) {
      const statistic = (p - value) / Math.sqrt((value * (1 - value)) / n);
      const below = normalCdf(statistic, 0, 1);
      const above = normalCdf(-statistic, 0, 1);
      return direction === 'at_least' ? { statistic, p: above, pShort: below } : { statistic, p: below, pShort: above };
    },
  };
}

/** The survey's items of an indicator, for one audience. */
function itemsOf(definition: SurveyDefinition, audience: Audience, indicator: string) {
  const items = (definition.audiences[audience]?.sections ?? [])
    .flatMap((s) => s.questions)
    .filter((q) => q.indicator === indicator);
  expect(items.length, `${indicator} has items for ${audience}`).toBeGreaterThan(0);
  return items;
}

function answersOf(submitted: Submitted[], waveId: string, audience: Audience): Answers[] {
  return submitted.filter((s) => s.waveId === waveId && s.audience === audience).map((s) => s.answers);
}

/** A school grade's mean: the graded answers only ("don't know" and skipped ones are no grade). */
function gradeMean(answers: Answers[], question: string): Expected {
  return expectedMean(answers.flatMap((a) => (typeof a[question] === 'number' ? [a[question]] : [])));
}

/**
 * An index 0-100: per respondent the mean of the 5-point items they answered, each as
 * (x - 1) / 4 x 100; respondents without any such answer do not count. Aggregates keep a
 * respondent's score in whole hundredths (documented in shared/aggregate/contribution.ts), so the
 * score is rounded to hundredths here as well.
 */
function indexMean(definition: SurveyDefinition, answers: Answers[], audience: Audience, indicator: string): Expected {
  const items = itemsOf(definition, audience, indicator);
  for (const q of items) expect(q.type, `${q.id} is a 5-point item`).toBe('likert');
  const scores = answers.flatMap((a) => {
    const points = items.flatMap((q) => (typeof a[q.id] === 'number' ? [((Number(a[q.id]) - 1) / 4) * 100] : []));
    if (points.length === 0) return [];
    return [Math.round((points.reduce((x, y) => x + y, 0) / points.length) * 100) / 100];
  });
  return expectedMean(scores);
}

/** A share: everyone who answered (including "don't know") counts, positive codes are hits. */
function shareOf(definition: SurveyDefinition, answers: Answers[], audience: Audience, indicator: string): Expected {
  const [item, ...more] = itemsOf(definition, audience, indicator);
  expect(more).toEqual([]);
  const positive = new Set((definition.indicators.find((i) => i.id === indicator)?.positive ?? []).map(String));
  const id = item?.id ?? '';
  return expectedShare(answers.flatMap((a) => (a[id] === undefined ? [] : [positive.has(String(a[id])) ? 1 : 0])));
}

// ---- Assertions ------------------------------------------------------------------------------

interface FigureJson {
  n: number | null;
  estimate: number | null;
  ci: { lo: number; hi: number } | null;
  flags: string[];
}

function expectFigure(figure: FigureJson, expected: Expected, label: string): void {
  expect(figure.flags, label).toEqual([]);
  expect(figure.n, label).toBe(expected.n);
  expect(Math.abs((figure.estimate ?? Number.NaN) - expected.estimate), `${label} estimate`).toBeLessThan(TOLERANCE);
  expect(Math.abs((figure.ci?.lo ?? Number.NaN) - expected.ci.lo), `${label} ci.lo`).toBeLessThan(TOLERANCE);
  expect(Math.abs((figure.ci?.hi ?? Number.NaN) - expected.ci.hi), `${label} ci.hi`).toBeLessThan(TOLERANCE);
}

interface TargetJson {
  indicator: string;
  direction: 'at_least' | 'at_most';
  value: number;
  figure: FigureJson;
  test: { test: string; statistic: number; p: number; pShort: number; alpha: number; df?: number } | null;
  state: string;
}

/** What the interval says of a target: reached only when all of it lies on the target's side. */
function stateFromInterval(ci: { lo: number; hi: number }, value: number, direction: 'at_least' | 'at_most') {
  const [good, bad] = direction === 'at_most' ? [ci.hi < value, ci.lo > value] : [ci.lo > value, ci.hi < value];
  return good ? 'reached' : bad ? 'not_reached' : 'undecided';
}

/** The target's figure, its one-sided test and a state that agrees with both the test and the interval. */
function expectTarget(target: TargetJson | undefined, expected: Expected, label: string): void {
  if (!target) throw new Error(`${label}: no target in the report`);
  expectFigure(target.figure, expected, label);
  const { direction, value } = target;
  const test = expected.against(value, direction);
  expect(target.test, label).toMatchObject({ test: expected.test, alpha: (1 - LEVEL) / 2 });
  if (expected.test === 'one-sample-t') expect(target.test?.df, label).toBe(expected.n - 1);
  expect(Math.abs((target.test?.statistic ?? Number.NaN) - test.statistic), `${label} statistic`).toBeLessThan(
    TOLERANCE,
  );
  expect(Math.abs((target.test?.p ?? Number.NaN) - test.p), `${label} p`).toBeLessThan(TOLERANCE);
  expect(Math.abs((target.test?.pShort ?? Number.NaN) - test.pShort), `${label} pShort`).toBeLessThan(TOLERANCE);
  // One-sided: the two tails make one whole.
  expect(test.p + test.pShort).toBeCloseTo(1, 12);
  const state = stateFromInterval(expected.ci, value, direction);
  expect(target.state, label).toBe(state);
  expect(target.state === 'reached', `${label}: reached exactly when p < alpha`).toBe(test.p < (1 - LEVEL) / 2);
}

function indicatorOf(body: { indicators: { id: string }[] }, id: string) {
  const indicator = body.indicators.find((i) => i.id === id);
  if (!indicator) throw new Error(`no indicator ${id} in the report`);
  return indicator as unknown as { waves: (FigureJson & { waveId: string })[]; changes: Record<string, unknown>[] };
}

function waveFigure(body: { indicators: { id: string }[] }, id: string, waveId: string): FigureJson {
  const figure = indicatorOf(body, id).waves.find((w) => w.waveId === waveId);
  if (!figure) throw new Error(`no figure of ${id} in ${waveId}`);
  return figure;
}

function targetOf(body: { targets: TargetJson[] }, indicator: string): TargetJson | undefined {
  const found = body.targets.filter((t) => t.indicator === indicator);
  expect(found, `one target on ${indicator}`).toHaveLength(1);
  return found[0];
}

// ---- The surveys ---------------------------------------------------------------------------------

/** A survey published, its plan's responses submitted through the API, and a lead's impact read. */
async function prepared(file: string, plan: Plan) {
  const definition = await loadSurvey(file);
  const db = await freshTable();
  const submitted = await collect(db, definition, plan);
  const report = reportAppWith(db);
  const get = async (query = '') =>
    report.app.request(`/api/v1/surveys/${definition.id}/impact${query}`, {
      headers: { authorization: `Bearer ${await report.token(['lead'], [definition.campaign.id])}` },
    });
  return { definition, submitted, get };
}

describe('impact API on the region surveys', () => {
  describe('Unternehmensbefragung Emscher-Lippe', () => {
    // By 2029 the administration is graded one grade better (the demo alone gets only part of
    // the way): the target is then reached, a state the Bottrop data below does not show.
    const better = (answers: Answers): Answers => {
      const grade = answers.admin_grade;
      return typeof grade === 'number' ? { ...answers, admin_grade: Math.max(1, grade - 1) } : answers;
    };
    const plan: Plan = [
      { waveId: 'w0-2026', counts: { business: 40 } },
      { waveId: 'w3-2029', counts: { business: 45 }, change: better },
    ];
    let definition: SurveyDefinition;
    let submitted: Submitted[];
    let get: (query?: string) => Promise<Response>;

    beforeAll(async () => {
      ({ definition, submitted, get } = await prepared(EMSCHER_LIPPE, plan));
    }, 120_000);

    it('shows the business figures when the lead names no audience, unweighted', async () => {
      // Act
      const res = await get();
      // Assess
      expect(res.status).toBe(200);
      const body = await json(res);
      expect(body).toMatchObject({ surveyId: definition.id, audience: 'business', weighted: false });
      const asked = await get('?audience=public');
      expect(asked.status).toBe(400);
      expect((await json(asked)).errors.map((e: { field: string }) => e.field)).toContain('audience');
    });

    it('tests admin_grade at most 2.7 (from 3.1) one-sided in w3-2029, on every graded answer', async () => {
      // Prepare
      const graded = gradeMean(answersOf(submitted, 'w3-2029', 'business'), 'admin_grade');
      // The plan gives a tested figure (30 or more), with a few "don't know" and skipped answers.
      expect(graded.n).toBeGreaterThanOrEqual(30);
      expect(graded.n).toBeLessThan(45);
      // Act
      const body = await json(await get());
      // Assess
      const target = targetOf(body, 'admin_grade');
      expect(target).toMatchObject({
        indicator: 'admin_grade',
        audience: 'business',
        cities: null,
        direction: 'at_most',
        value: 2.7,
        from: 3.1,
        deadline: '2029-12-31',
        deadlinePassed: false,
        checkedBy: 'w3-2029',
        waveId: 'w3-2029',
      });
      expectTarget(target, graded, 'admin_grade target');
      expect(target?.state).toBe('reached');
      expect(body.targets).toHaveLength(1);
      // The table and the verdict show the same figure; a lower grade is the better one.
      expectFigure(waveFigure(body, 'admin_grade', 'w3-2029'), graded, 'admin_grade w3-2029');
      const line = body.summary.lines.find((l: { indicator: string }) => l.indicator === 'admin_grade');
      expect(line).toMatchObject({ better: 'lower', target: { state: target?.state, waveId: 'w3-2029' } });
    });

    it('reports the baseline grade and its change to w3-2029 from the same answers', async () => {
      // Prepare
      const before = gradeMean(answersOf(submitted, 'w0-2026', 'business'), 'admin_grade');
      const after = gradeMean(answersOf(submitted, 'w3-2029', 'business'), 'admin_grade');
      // Act
      const body = await json(await get());
      // Assess
      expectFigure(waveFigure(body, 'admin_grade', 'w0-2026'), before, 'admin_grade w0-2026');
      const change = indicatorOf(body, 'admin_grade').changes.find((c) => c.from === 'w0-2026' && c.to === 'w3-2029');
      expect(change).toMatchObject({ test: 'welch-t' });
      expect(Math.abs(Number(change?.delta) - (after.estimate - before.estimate))).toBeLessThan(TOLERANCE);
      // The services are graded only by businesses in contact: the figure counts those grades only.
      const permits = gradeMean(answersOf(submitted, 'w3-2029', 'business'), 'grade_permits');
      const contacts = answersOf(submitted, 'w3-2029', 'business').filter((a) => a.admin_contact === 'yes').length;
      expect(permits.n).toBeLessThanOrEqual(contacts);
      const shown = waveFigure(body, 'grade_permits', 'w3-2029');
      expect(shown.n).toBe(permits.n < 10 ? null : permits.n);
    });
  });

  describe('Reallabor Handwerk Bottrop', () => {
    const plan: Plan = [
      { waveId: 'w0-baseline', counts: { public: 40, business: 32 } },
      { waveId: 'w1-interim', counts: { public: 45, business: 40 } },
    ];
    let definition: SurveyDefinition;
    let submitted: Submitted[];
    let get: (query?: string) => Promise<Response>;

    beforeAll(async () => {
      ({ definition, submitted, get } = await prepared(BOTTROP, plan));
    }, 120_000);

    it('tests the public target employer_image against its latest wave, and shows image_index', async () => {
      // Prepare
      const answers = answersOf(submitted, 'w1-interim', 'public');
      const employer = indexMean(definition, answers, 'public', 'employer_image');
      const image = indexMean(definition, answers, 'public', 'image_index');
      expect(employer.n).toBeGreaterThanOrEqual(30);
      // Act: without an audience the report shows the public
      const body = await json(await get());
      // Assess
      expect(body).toMatchObject({ audience: 'public', weighted: false });
      const target = targetOf(body, 'employer_image');
      // No wave named: the latest wave with a figure is tested.
      expect(target).toMatchObject({
        audience: 'public',
        direction: 'at_least',
        value: 65,
        from: null,
        checkedBy: null,
        waveId: 'w1-interim',
      });
      expectTarget(target, employer, 'employer_image target');
      expect(body.targets.map((t: TargetJson) => t.indicator)).toEqual(['employer_image']);
      expectFigure(waveFigure(body, 'image_index', 'w1-interim'), image, 'image_index w1-interim');
      const baseline = indexMean(definition, answersOf(submitted, 'w0-baseline', 'public'), 'public', 'image_index');
      expectFigure(waveFigure(body, 'image_index', 'w0-baseline'), baseline, 'image_index w0-baseline');
    });

    it('tests the business targets digital_index and reallabor_awareness', async () => {
      // Prepare
      const answers = answersOf(submitted, 'w1-interim', 'business');
      const digital = indexMean(definition, answers, 'business', 'digital_index');
      const awareness = shareOf(definition, answers, 'business', 'reallabor_awareness');
      expect(Math.min(digital.n, awareness.n)).toBeGreaterThanOrEqual(30);
      // Act
      const res = await get('?audience=business');
      // Assess
      expect(res.status).toBe(200);
      const body = await json(res);
      expect(body.audience).toBe('business');
      expect(body.targets.map((t: TargetJson) => t.indicator).sort()).toEqual(['digital_index', 'reallabor_awareness']);
      const digitalTarget = targetOf(body, 'digital_index');
      expect(digitalTarget).toMatchObject({ direction: 'at_least', value: 60, waveId: 'w1-interim' });
      expectTarget(digitalTarget, digital, 'digital_index target');
      // A share target is written in percent and tested as a proportion.
      const awarenessTarget = targetOf(body, 'reallabor_awareness');
      expect(awarenessTarget).toMatchObject({ direction: 'at_least', value: 0.5, waveId: 'w1-interim' });
      expectTarget(awarenessTarget, awareness, 'reallabor_awareness target');
    });

    it('tests employer_image weighted to the Bottrop margins with a z test the interval agrees with', async () => {
      // Act
      const body = await json(await get('?weighted=true'));
      // Assess
      expect(body).toMatchObject({ audience: 'public', weighted: true, weighting: { population: 'stadt-bottrop' } });
      const target = targetOf(body, 'employer_image');
      expect(target?.test?.test).toBe('z');
      const ci = target?.figure.ci;
      if (!target || !ci) throw new Error('the weighted target has no interval');
      expect(target.state).toBe(stateFromInterval(ci, target.value, target.direction));
    });
  });
});
