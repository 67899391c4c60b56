import type { Indicator, SurveyDefinition } from '../survey/schema.js';
import type { Figure } from './estimate.js';
import type { ChangeRow, IndicatorImpact } from './report.js';
import type { TargetResult } from './targets.js';

/**
 * The unit a change is read in: points on the 0-100 index, percentage points of a share, NPS
 * points, steps of a school grade, or points of another scale.
 */
export type ChangeUnit = 'index_points' | 'percentage_points' | 'nps_points' | 'grade_steps' | 'scale_points';

/**
 * The plain-language reading of one change: rose or fell (significant after adjustment); a hint of
 * a rise or fall (the interval misses 0, but after adjusting for the many comparisons it is not
 * established: saying "unchanged" there would contradict the interval shown beside it); unchanged
 * within the uncertainty; too few answers (a side hidden, or under 30); a wave still collecting;
 * or nothing to compare yet.
 */
export type Judgement =
  | 'rose'
  | 'fell'
  | 'hint_rose'
  | 'hint_fell'
  | 'unchanged'
  | 'too_few'
  | 'collecting'
  | 'no_comparison';

export interface SummaryLine {
  indicator: string;
  kind: Indicator['kind'];
  unit: ChangeUnit;
  /** Which way is better: from the indicator's target, else lower for school grades, higher otherwise. */
  better: 'higher' | 'lower';
  /** The two waves' figures (null where there is no second wave to compare with). */
  from: (Figure & { waveId: string }) | null;
  to: (Figure & { waveId: string }) | null;
  change: Pick<ChangeRow, 'delta' | 'ci' | 'p' | 'pAdjusted' | 'significant'> | null;
  judgement: Judgement;
  /** Better or worse, for a significant change. */
  assessment: 'better' | 'worse' | null;
  /** The indicator's target for this audience (the one without cities first), if declared. */
  target: TargetResult | null;
}

export interface Summary {
  /** The waves compared: the chosen pair, or the baseline and the latest follow-up with figures. */
  from: string | null;
  to: string | null;
  lines: SummaryLine[];
}

function unitOf(definition: SurveyDefinition, indicator: IndicatorImpact): ChangeUnit {
  switch (indicator.kind) {
    case 'index':
      return 'index_points';
    case 'share':
      return 'percentage_points';
    case 'nps':
      return 'nps_points';
    case 'mean':
      return isGrade(definition, indicator.id) ? 'grade_steps' : 'scale_points';
  }
}

/** A mean of school grades only (1 best, 6 worst). */
function isGrade(definition: SurveyDefinition, indicator: string): boolean {
  const tagged = Object.values(definition.audiences)
    .flatMap((spec) => spec?.sections.flatMap((s) => s.questions) ?? [])
    .filter((q) => q.indicator === indicator);
  return tagged.length > 0 && tagged.every((q) => q.type === 'grade');
}

/** Waves that have figures to read: released (not collecting) with respondents. */
function wavesWithFigures(indicators: IndicatorImpact[]): Set<string> {
  return new Set(
    indicators.flatMap((i) => i.waves.filter((w) => w.n !== 0 && !w.flags.includes('collecting')).map((w) => w.waveId)),
  );
}

/** The pair the summary reads: the chosen one, else the baseline and the latest follow-up with figures. */
function summaryPair(
  definition: SurveyDefinition,
  indicators: IndicatorImpact[],
  compare: { from: string; to: string } | undefined,
): { from: string | null; to: string | null } {
  if (compare) return compare;
  const baseline = definition.waves.find((w) => w.kind === 'baseline');
  const shown = wavesWithFigures(indicators);
  const latest = definition.waves.filter((w) => w.kind === 'followup' && shown.has(w.id)).at(-1);
  return { from: baseline?.id ?? null, to: latest?.id ?? null };
}

/** A target's cities are the view's: all cities (none named), or exactly the one city shown. */
function sameScope(cities: string[] | null, city: string | null): boolean {
  if (city === null) return cities === null;
  return cities !== null && cities.length === 1 && cities[0] === city;
}

function judge(change: ChangeRow | undefined): Judgement {
  if (!change) return 'no_comparison';
  if (change.flags.includes('collecting')) return 'collecting';
  if (change.delta === null || change.flags.length > 0) return 'too_few';
  if (change.significant) return change.delta > 0 ? 'rose' : 'fell';
  const clear = change.ci !== null && (change.ci.lo > 0 || change.ci.hi < 0);
  if (clear) return change.delta > 0 ? 'hint_rose' : 'hint_fell';
  return 'unchanged';
}

/**
 * One line per indicator: the change between the pair with its interval and adjusted test, read
 * in words, with the target's state. Built from the report's own rows (every figure has passed the
 * disclosure gate there), so the summary can show nothing the tables below it do not.
 */
export function summaryOf(
  definition: SurveyDefinition,
  indicators: IndicatorImpact[],
  targets: TargetResult[],
  compare: { from: string; to: string } | undefined,
  city?: string | null,
): Summary {
  const pair = summaryPair(definition, indicators, compare);
  const lines = indicators.map((indicator): SummaryLine => {
    const figure = (waveId: string | null) => {
      const wave = indicator.waves.find((w) => w.waveId === waveId);
      return wave ? { ...wave } : null;
    };
    const row =
      pair.from && pair.to ? indicator.changes.find((c) => c.from === pair.from && c.to === pair.to) : undefined;
    // Only a target about the group the view shows: in a city's view a target for all cities would
    // read as that city's.
    const target = targets.find((t) => t.indicator === indicator.id && sameScope(t.cities, city ?? null)) ?? null;
    const better = target
      ? target.direction === 'at_most'
        ? 'lower'
        : 'higher'
      : isGrade(definition, indicator.id)
        ? 'lower'
        : 'higher';
    const judgement = judge(row);
    const direction = judgement === 'rose' ? 'higher' : judgement === 'fell' ? 'lower' : null;
    // A hint is no finding: better or worse is said of established changes only.
    return {
      indicator: indicator.id,
      kind: indicator.kind,
      unit: unitOf(definition, indicator),
      better,
      from: figure(pair.from),
      to: row ? figure(pair.to) : null,
      change: row
        ? { delta: row.delta, ci: row.ci, p: row.p, pAdjusted: row.pAdjusted, significant: row.significant }
        : null,
      judgement,
      assessment: direction === null ? null : direction === better ? 'better' : 'worse',
      target,
    };
  });
  return { ...pair, lines };
}
