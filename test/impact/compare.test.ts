import { describe, expect, it } from 'vitest';
import { compareQueryIssues, compareReports, waveSlots } from '../../shared/impact/compare.js';
import { type ImpactReport, impactReport } from '../../shared/impact/report.js';
import { buildResponse } from '../../shared/response/build.js';
import { holm } from '../../shared/stats/adjust.js';
import type { SurveyDefinition, SurveyDefinitionInput } from '../../shared/survey/schema.js';
import { comparedResponse, miniVariant } from '../fixtures/mini-compare.js';
import { miniSurvey } from '../fixtures/mini-survey.js';
import { cellsByWave } from '../setup/cells.js';

/**
 * A second survey like the mini one, in a campaign of its own: `nps` declared as a mean (same id,
 * other kind) and the recognition question worded differently.
 */
const variant = (id: string, waves = 3) =>
  miniVariant(id, {
    waves,
    change: (input) => ({
      ...input,
      indicators: input.indicators.map((i) => (i.id === 'nps' ? { id: 'nps', kind: 'mean', label: i.label } : i)),
      audiences: {
        public: {
          ...input.audiences.public,
          sections: input.audiences.public.sections.map((s) => ({
            ...s,
            questions: s.questions.map((q) =>
              q.id === 'aided'
                ? { ...q, label: { de: 'Kennen Sie die Kampagne?', en: 'Do you know the campaign?' } }
                : q,
            ),
          })),
        },
      },
    }),
  });

/** `count` public responses of a wave (see `comparedResponse`). */
const answers = (definition: SurveyDefinition, waveId: string, count: number, centre: number, aware = 2) =>
  Array.from({ length: count }, (_, j) => buildResponse(comparedResponse(definition, waveId, j, centre, aware)));

function reportOf(
  definition: SurveyDefinition,
  plan: [string, number, number, number?][],
  released?: ReadonlySet<string>,
  weighted = false,
): { definition: SurveyDefinition; report: ImpactReport } {
  const responses = plan.flatMap(([wave, count, centre, aware]) => answers(definition, wave, count, centre, aware));
  const weights = weighted ? { weightOf: () => 1 } : undefined;
  const report = impactReport(
    definition,
    cellsByWave(definition, responses),
    { audience: 'public' },
    weights,
    released,
  );
  return { definition, report };
}

const surveyB = variant('mini-b');
const surveyC = variant('mini-c', 1);

describe('regional comparison', () => {
  const a = reportOf(miniSurvey, [
    ['w0', 60, 3],
    ['w1', 60, 3],
  ]);
  const b = reportOf(surveyB, [
    ['w0', 60, 3],
    ['w1', 60, 4, 1],
    ['w2', 40, 4],
  ]);
  const comparison = compareReports([a, b]);
  const indicator = (id: string, c = comparison) => {
    const found = c.indicators.find((i) => i.id === id);
    if (!found) throw new Error(`no shared indicator ${id}`);
    return found;
  };

  it('lists only the indicators two surveys share by id and kind, each figure as its own report shows it', () => {
    expect(comparison.indicators.map((i) => i.id)).toEqual(['image_index', 'recognition']);
    for (const shared of comparison.indicators) {
      for (const { figures } of shared.waves) {
        for (const { surveyId, ...figure } of figures) {
          const report = surveyId === 'mini' ? a.report : b.report;
          const own = report.indicators.find((i) => i.id === shared.id)?.waves.find((w) => w.waveId === figure.waveId);
          expect(figure).toEqual(own);
        }
      }
    }
    expect(comparison).toMatchObject({ audience: 'public', weighted: false, adjustment: 'holm', level: 0.95 });
    expect(comparison.surveys.map((s) => [s.surveyId, s.campaign.id])).toEqual([
      ['mini', 'mini-campaign'],
      ['mini-b', 'mini-b-campaign'],
    ]);
  });

  it('aligns waves by their place (baseline, follow-up 1, follow-up 2) and tests only where both have one', () => {
    expect(waveSlots(surveyB).map((w) => [w.slot, w.waveId])).toEqual([
      ['baseline', 'w0'],
      ['follow-up 1', 'w1'],
      ['follow-up 2', 'w2'],
    ]);
    const image = indicator('image_index');
    expect(image.waves.map((w) => [w.slot, w.figures.map((f) => `${f.surveyId}:${f.waveId}`)])).toEqual([
      ['baseline', ['mini:w0', 'mini-b:w0']],
      ['follow-up 1', ['mini:w1', 'mini-b:w1']],
      ['follow-up 2', ['mini-b:w2']],
    ]);
    expect(image.differences.map((d) => [d.a, d.b, d.slot])).toEqual([['mini', 'mini-b', 'follow-up 1']]);
  });

  it('tests b’s change minus a’s: the index with Welch-Satterthwaite t, shares with z', () => {
    const change = (report: ImpactReport, id: string) =>
      report.indicators.find((i) => i.id === id)?.changes[0]?.delta ?? Number.NaN;
    const [image] = indicator('image_index').differences;
    // b's image rose by one point on 1..5 (25 index points, halved by the unchanged img_pair), a's stayed.
    expect(image?.delta).toBeCloseTo(change(b.report, 'image_index') - change(a.report, 'image_index'), 10);
    expect(image?.delta).toBeCloseTo(12.5, 1);
    expect(image).toMatchObject({ test: 'did-welch-t', significant: true });
    expect(image?.df).toBeGreaterThan(100);
    const [recognition] = indicator('recognition').differences;
    // b's recognition went from one in two to everyone; a's stayed at one in two.
    expect(recognition?.delta).toBeCloseTo(0.5, 10);
    expect(recognition).toMatchObject({ test: 'did-z', df: null });
    expect(recognition?.ci?.lo).toBeLessThan(0.5);
  });

  it('says whether the surveys build an indicator from the same questions', () => {
    expect(indicator('image_index').sameQuestions).toBe(true);
    // The recognition question is worded differently in the variant.
    expect(indicator('recognition').sameQuestions).toBe(false);
  });

  it('says for each pair whether the two ask alike, where a third asks otherwise', () => {
    const d = reportOf(variant('mini-d', 2), [
      ['w0', 40, 3],
      ['w1', 40, 3],
    ]);
    const recognition = indicator('recognition', compareReports([a, b, d]));
    expect(recognition.sameQuestions).toBe(false);
    // b and d word the recognition question alike, the mini survey does not.
    expect(recognition.differences.map((r) => [r.a, r.b, r.sameQuestions])).toEqual([
      ['mini', 'mini-b', false],
      ['mini', 'mini-d', false],
      ['mini-b', 'mini-d', true],
    ]);
    expect(indicator('image_index', compareReports([a, b, d])).differences.every((r) => r.sameQuestions)).toBe(true);
  });

  it('reads a section’s filter and its question’s together: who is asked counts, not where the filter is written', () => {
    type Sections = NonNullable<SurveyDefinitionInput['audiences']['public']>['sections'];
    const filtered = (id: string, filter: (sections: Sections) => Sections) =>
      miniVariant(id, {
        change: (input) => ({
          ...input,
          audiences: { public: { ...input.audiences.public, sections: filter(input.audiences.public.sections) } },
        }),
      });
    const yes = { question: 'seen_ads', anyOf: ['yes'] };
    // Section for "yes" and "no", each question for "yes": the image questions are asked of "yes".
    const inQuestions = filtered('mini-q', (sections) =>
      sections.map((s) =>
        s.id === 'image'
          ? {
              ...s,
              showIf: { question: 'seen_ads', anyOf: ['no', 'yes'] },
              questions: s.questions.map((q) => ({ ...q, showIf: yes })),
            }
          : s,
      ),
    );
    const inSection = filtered('mini-s', (sections) =>
      sections.map((s) => (s.id === 'image' ? { ...s, showIf: yes } : s)),
    );
    const plan: [string, number, number][] = [
      ['w0', 40, 3],
      ['w1', 40, 3],
    ];
    const image = (x: SurveyDefinition, y: SurveyDefinition) =>
      indicator('image_index', compareReports([reportOf(x, plan), reportOf(y, plan)])).sameQuestions;
    expect(image(inQuestions, inSection)).toBe(true);
    // Asked of everyone is not asked of those who saw ads.
    expect(image(miniSurvey, inSection)).toBe(false);
  });

  it('runs no test where a side is hidden or still collecting, and never marks an unreliable one significant', () => {
    const small = reportOf(surveyB, [
      ['w0', 60, 3],
      ['w1', 6, 5],
    ]);
    const [hidden] = indicator('image_index', compareReports([a, small])).differences;
    expect(hidden).toMatchObject({ p: null, delta: null, significant: false });
    expect(hidden?.flags).toContain('suppressed');
    const figure = indicator('image_index', compareReports([a, small])).waves[1]?.figures[1];
    expect(figure).toMatchObject({ surveyId: 'mini-b', n: null, estimate: null, flags: ['suppressed'] });

    const collecting = reportOf(
      surveyB,
      [
        ['w0', 60, 3],
        ['w1', 60, 5],
      ],
      new Set(['w0']),
    );
    const [open] = indicator('image_index', compareReports([a, collecting])).differences;
    expect(open).toMatchObject({ p: null, flags: ['collecting'] });

    const few = reportOf(surveyB, [
      ['w0', 20, 1],
      ['w1', 20, 5],
    ]);
    const [unreliable] = indicator('image_index', compareReports([a, few])).differences;
    expect(unreliable?.pAdjusted).toBeLessThan(0.001);
    expect(unreliable).toMatchObject({ significant: false, flags: ['unreliable'] });
  });

  it('adjusts every difference in differences of the comparison as one Holm family', () => {
    const c = reportOf(variant('mini-d', 2), [
      ['w0', 50, 4],
      ['w1', 50, 3],
    ]);
    const three = compareReports([a, b, c]);
    const rows = three.indicators.flatMap((i) => i.differences);
    expect(rows.map((r) => `${r.a}/${r.b}`)).toEqual([
      'mini/mini-b',
      'mini/mini-d',
      'mini-b/mini-d',
      'mini/mini-b',
      'mini/mini-d',
      'mini-b/mini-d',
      'mini-b/mini-d',
    ]);
    // Everyone recommends alike (miniAnswers): the mean of nps has no spread, so that row is untested.
    const tested = rows.filter((r) => r.p !== null);
    expect(tested.length).toBe(rows.length - 1);
    const adjusted = holm(tested.map((r) => r.p ?? Number.NaN));
    tested.forEach((r, i) => {
      expect(r.pAdjusted).toBeCloseTo(adjusted[i] ?? Number.NaN, 12);
    });
    expect(tested.some((r) => (r.pAdjusted ?? 0) > (r.p ?? 0))).toBe(true);
    // nps is shared by b and d (both declare it a mean), not by the mini survey (NPS).
    expect(three.indicators.filter((i) => i.id === 'nps').map((i) => [i.kind, i.surveys])).toEqual([
      ['mean', ['mini-b', 'mini-d']],
    ]);
  });

  it('compares a survey without follow-up at its baseline only', () => {
    const baselineOnly = reportOf(surveyC, [['w0', 40, 3]]);
    const image = indicator('image_index', compareReports([a, baselineOnly]));
    expect(image.waves.map((w) => [w.slot, w.figures.length])).toEqual([
      ['baseline', 2],
      ['follow-up 1', 1],
    ]);
    expect(image.differences).toEqual([]);
  });

  it('uses z for weighted figures, whatever the kind', () => {
    const plan: [string, number, number][] = [
      ['w0', 60, 3],
      ['w1', 60, 4],
    ];
    const weighted = compareReports([
      reportOf(miniSurvey, plan, undefined, true),
      reportOf(surveyB, plan, undefined, true),
    ]);
    expect(weighted.weighted).toBe(true);
    expect(indicator('image_index', weighted).differences[0]).toMatchObject({ test: 'did-z', df: null });
    expect(() => compareReports([a, reportOf(surveyB, plan, undefined, true)])).toThrow(/weighted/);
  });

  it('names what does not fit the surveys: an audience fewer than two ask, weighting without margins', () => {
    expect(compareQueryIssues([miniSurvey, surveyB], { audience: 'public', weighted: false })).toEqual([]);
    expect(compareQueryIssues([miniSurvey, surveyB], { audience: 'business', weighted: false })).toEqual([
      expect.objectContaining({ field: 'audience', code: 'not_shared' }),
    ]);
    const [weighting] = compareQueryIssues([miniSurvey, surveyB], { audience: 'public', weighted: true });
    expect(weighting).toMatchObject({ field: 'weighted', code: 'no_weighting' });
    expect(weighting?.message).toContain('mini, mini-b');
  });
});
