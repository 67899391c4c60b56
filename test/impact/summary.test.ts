import { describe, expect, it } from 'vitest';
import type { Figure } from '../../shared/impact/estimate.js';
import type { ChangeRow, IndicatorImpact } from '../../shared/impact/report.js';
import { summaryOf } from '../../shared/impact/summary.js';
import { targetResult } from '../../shared/impact/targets.js';
import type { SurveyDefinition } from '../../shared/survey/schema.js';
import { validateDefinition } from '../../shared/survey/validate.js';
import { miniSurveyInput } from '../fixtures/mini-survey.js';

/** The mini survey with a third wave and a grade indicator. */
function definition(): SurveyDefinition {
  const input = structuredClone(miniSurveyInput);
  const extended = {
    ...input,
    waves: [...input.waves, { id: 'w2', label: { de: 'Zweite', en: 'Second' }, kind: 'followup' }],
    indicators: [...input.indicators, { id: 'grade', kind: 'mean', label: { de: 'Note', en: 'Grade' } }],
  };
  const image = input.audiences.public.sections.find((s) => s.id === 'image');
  const grade = image?.questions.find((q) => q.id === 'grade') as Record<string, unknown> | undefined;
  if (grade) grade.indicator = 'grade';
  const result = validateDefinition(extended);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.definition;
}

const figure = (n: number | null, estimate: number | null, flags: Figure['flags'] = []): Figure => ({
  n,
  estimate,
  se: estimate === null ? null : 0.1,
  ci: estimate === null ? null : { lo: estimate - 0.2, hi: estimate + 0.2 },
  flags,
});

function change(from: string, to: string, delta: number | null, significant: boolean, flags: Figure['flags'] = []) {
  return {
    from,
    to,
    delta,
    ci: delta === null ? null : { lo: delta - 0.1, hi: delta + 0.1 },
    p: delta === null ? null : 0.01,
    pAdjusted: delta === null ? null : significant ? 0.01 : 0.2,
    significant,
    test: delta === null ? null : 'welch-t',
    flags,
  } satisfies ChangeRow;
}

function indicator(id: string, kind: IndicatorImpact['kind'], waves: Figure[], changes: ChangeRow[]): IndicatorImpact {
  return {
    id,
    kind,
    label: { de: id, en: id },
    waves: waves.map((w, i) => ({ waveId: `w${i}`, ...w })),
    changes,
    cities: [],
  };
}

describe('summaryOf', () => {
  const def = definition();

  it('compares the baseline with the latest follow-up that has figures, passing over one still collecting', () => {
    const grade = indicator(
      'grade',
      'mean',
      [figure(40, 3.1), figure(50, 2.6), { ...figure(null, null), flags: ['collecting'] }],
      [change('w0', 'w1', -0.5, true), change('w0', 'w2', null, false, ['collecting'])],
    );
    const summary = summaryOf(def, [grade], [], undefined);
    expect(summary).toMatchObject({ from: 'w0', to: 'w1' });
    // A school grade falls when it gets better.
    expect(summary.lines[0]).toMatchObject({
      unit: 'grade_steps',
      better: 'lower',
      judgement: 'fell',
      assessment: 'better',
      from: { waveId: 'w0', estimate: 3.1 },
      to: { waveId: 'w1', estimate: 2.6 },
    });
  });

  it('reads a change with an unreliable or hidden side as too few answers, and says so without a follow-up', () => {
    const share = indicator(
      'recognition',
      'share',
      [figure(40, 0.2), figure(20, 0.5, ['unreliable']), figure(0, null)],
      [change('w0', 'w1', 0.3, false, ['unreliable']), change('w0', 'w2', null, false)],
    );
    const lines = summaryOf(def, [share], [], undefined).lines;
    expect(lines[0]).toMatchObject({ unit: 'percentage_points', judgement: 'too_few', assessment: null });
    const onlyBaseline = indicator('recognition', 'share', [figure(40, 0.2), figure(0, null), figure(0, null)], []);
    expect(summaryOf(def, [onlyBaseline], [], undefined)).toMatchObject({
      from: 'w0',
      to: null,
      lines: [{ judgement: 'no_comparison', change: null, to: null }],
    });
  });

  it('takes which way is better from the target, and a rise against an at_most target is worse', () => {
    const image = indicator(
      'image_index',
      'index',
      [figure(80, 50), figure(80, 60), figure(0, null)],
      [change('w0', 'w1', 10, true), change('w0', 'w2', null, false)],
    );
    const target = targetResult(
      {
        indicator: 'image_index',
        audience: 'public',
        direction: 'at_most',
        value: 55,
        deadline: '2027-12-31',
        source: { de: 'Test', en: 'Test' },
      },
      'index',
      figure(80, 60),
      'w1',
      { level: 0.95, weighted: false, today: '2027-01-01' },
    );
    const [line] = summaryOf(def, [image], [target], undefined).lines;
    expect(line).toMatchObject({ better: 'lower', judgement: 'rose', assessment: 'worse', unit: 'index_points' });
    expect(line?.target?.state).toBe('not_reached');
  });

  it('calls a change whose interval misses 0 but is not established after adjustment a hint, and a collecting wave collecting', () => {
    const image = indicator(
      'image_index',
      'index',
      [figure(80, 50), figure(80, 55), { ...figure(null, null), flags: ['collecting'] }],
      [change('w0', 'w1', 5, false), change('w0', 'w2', null, false, ['collecting'])],
    );
    // The interval of the w0 -> w1 change is 4.9 to 5.1: it misses 0, yet the adjusted p is 0.2.
    expect(summaryOf(def, [image], [], undefined).lines[0]).toMatchObject({ judgement: 'hint_rose', assessment: null });
    expect(summaryOf(def, [image], [], { from: 'w0', to: 'w2' }).lines[0]).toMatchObject({ judgement: 'collecting' });
  });

  it('shows a target only in the view of its own group: all cities, or the one city it names', () => {
    const image = indicator('image_index', 'index', [figure(80, 50), figure(80, 60), figure(0, null)], []);
    const make = (cities?: string[]) =>
      targetResult(
        {
          indicator: 'image_index',
          audience: 'public',
          direction: 'at_least',
          value: 55,
          deadline: '2027-12-31',
          source: { de: 'Test', en: 'Test' },
          ...(cities ? { cities } : {}),
        },
        'index',
        figure(80, 60),
        'w1',
        { level: 0.95, weighted: false, today: '2027-01-01' },
      );
    const [all, alpha] = [make(), make(['alpha'])];
    expect(summaryOf(def, [image], [all, alpha], undefined).lines[0]?.target).toBe(all);
    expect(summaryOf(def, [image], [all, alpha], undefined, 'alpha').lines[0]?.target).toBe(alpha);
    expect(summaryOf(def, [image], [all], undefined, 'beta').lines[0]?.target).toBeNull();
  });

  it('reads the chosen pair, whichever way round', () => {
    const image = indicator(
      'image_index',
      'index',
      [figure(80, 50), figure(80, 60), figure(0, null)],
      [change('w1', 'w0', -10, true)],
    );
    const summary = summaryOf(def, [image], [], { from: 'w1', to: 'w0' });
    expect(summary).toMatchObject({ from: 'w1', to: 'w0', lines: [{ judgement: 'fell', assessment: 'worse' }] });
  });
});
