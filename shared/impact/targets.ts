import { meanTargetTest, shareTargetTest, type TargetTest, zTargetTest } from '../stats/target.js';
import type { Indicator, Target, Text } from '../survey/schema.js';
import type { Figure } from './estimate.js';

/**
 * Where an indicator stands against its target:
 * - reached: the whole interval lies on the target's side (the one-sided test at (1 - level) / 2
 *   says so: the same decision as the interval, so what the table shows and the verdict agree);
 * - not_reached: the whole interval lies on the other side;
 * - undecided: the interval still covers the target ("not yet decidable");
 * - too_few: no figure, or one from fewer than 30 (no test is read from those, as with changes).
 */
export type TargetState = 'reached' | 'not_reached' | 'undecided' | 'too_few';

export interface TargetResult {
  indicator: string;
  audience: Target['audience'];
  cities: string[] | null;
  direction: Target['direction'];
  /** In the unit of the report's estimates (a share as a proportion 0-1, as every share figure). */
  value: number;
  from: number | null;
  deadline: string;
  /** True once the deadline has passed (then not_reached reads as missed). */
  deadlinePassed: boolean;
  source: Text;
  /** The wave the target names, if any. */
  checkedBy: string | null;
  /** The wave whose figure is tested: the named one once it has a figure, else the latest with one. */
  waveId: string | null;
  figure: Figure;
  test: (TargetTest & { alpha: number }) | null;
  state: TargetState;
}

/** A target's value in the report's unit: shares are written in percent, reported as proportions. */
export function targetValue(kind: Indicator['kind'], value: number): number {
  return kind === 'share' ? value / 100 : value;
}

/** The one-sided test that fits the figure: t for means, the score test for shares, z otherwise. */
function testOf(
  kind: Indicator['kind'],
  figure: Figure,
  target: number,
  direction: Target['direction'],
  weighted: boolean,
) {
  const { estimate, se, n } = figure;
  if (estimate === null || n === null || n === 0) return undefined;
  if (weighted || kind === 'nps') return se === null ? undefined : zTargetTest(estimate, se, target, direction);
  if (kind === 'share') return shareTargetTest(Math.round(estimate * n), n, target, direction);
  return se === null ? undefined : meanTargetTest({ n, mean: estimate, se }, target, direction);
}

/**
 * The result of one target from the figure of its group (passed through the disclosure gate by the
 * caller) at `waveId`. `today` is an ISO date (the deadline is a date too).
 */
export function targetResult(
  target: Target,
  kind: Indicator['kind'],
  figure: Figure,
  waveId: string | null,
  options: { level: number; weighted: boolean; today: string },
): TargetResult {
  const value = targetValue(kind, target.value);
  const alpha = (1 - options.level) / 2;
  const test = figure.flags.length === 0 ? testOf(kind, figure, value, target.direction, options.weighted) : undefined;
  const state: TargetState = !test
    ? 'too_few'
    : test.p < alpha
      ? 'reached'
      : test.pShort < alpha
        ? 'not_reached'
        : 'undecided';
  return {
    indicator: target.indicator,
    audience: target.audience,
    cities: target.cities ?? null,
    direction: target.direction,
    value,
    from: target.from === undefined ? null : targetValue(kind, target.from),
    deadline: target.deadline,
    deadlinePassed: options.today > target.deadline,
    source: target.source,
    checkedBy: target.wave ?? null,
    waveId,
    figure,
    test: test ? { ...test, alpha } : null,
    state,
  };
}
