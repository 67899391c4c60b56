import type { Counters } from '../aggregate/contribution.js';
import type { Population } from '../stats/population.js';
import { marginsFor } from '../stats/population.js';
import { rake } from '../stats/weighting.js';
import type { Audience, Dimension, SurveyDefinition } from '../survey/schema.js';
import type { CellWeights } from './report.js';
import { viewCells } from './sums.js';

/** How the weights of one wave and audience came about, shown beside weighted figures. */
export interface RakedGroup {
  waveId: string;
  audience: Audience;
  /** False: raking did not converge, so this group is shown unweighted (weights 1). */
  converged: boolean;
  iterations: number;
  cappedCells: number;
  /** Population categories without a respondent yet (their share went to the others). */
  emptyCategories: string[];
  /** Respondents without a category on some margin (they keep the average adjustment). */
  uncategorised: number;
}

export interface WeightingSummary {
  population: string;
  area: string;
  /** False while the population figures have not been checked against the official tables. */
  verified: boolean;
  cap: number;
  groups: RakedGroup[];
}

/** Why a weighted view shows a wave's figures unweighted. */
export interface UnweightedWave {
  waveId: string;
  /** no_margins: the population has no margins for the audience; not_converged: raking did not converge. */
  reason: 'no_margins' | 'not_converged';
}

/** The summary as leads get it: released waves only, a small `uncategorised` count hidden (null). */
export type ShownWeightingSummary = Omit<WeightingSummary, 'groups'> & {
  groups: (Omit<RakedGroup, 'uncategorised'> & { uncategorised: number | null })[];
  /** What the viewed audience is weighted by (its margins' dimensions); empty when it has no margins. */
  dimensions: Dimension[];
  /** The viewed audience's released waves whose figures are shown unweighted, and why. */
  unweighted: UnweightedWave[];
};

/**
 * The waves a weighted view of `audience` shows unweighted: all of them when the population has no
 * margins for the audience, else those whose raking did not converge (see `cellWeights`).
 */
export function unweightedWaves(
  definition: SurveyDefinition,
  population: Population,
  groups: readonly Pick<RakedGroup, 'waveId' | 'audience' | 'converged'>[],
  audience: Audience,
  released: ReadonlySet<string>,
): UnweightedWave[] {
  const waves = definition.waves.filter((w) => released.has(w.id));
  if (marginsFor(population, audience).length === 0) {
    return waves.map((w) => ({ waveId: w.id, reason: 'no_margins' }));
  }
  return waves
    .filter((w) => groups.some((g) => g.waveId === w.id && g.audience === audience && !g.converged))
    .map((w) => ({ waveId: w.id, reason: 'not_converged' }));
}

/**
 * Weights for every cell: each wave's respondents of each audience with margins are raked to the
 * population separately (the sample's make-up differs by wave); audiences without margins, and
 * groups whose raking does not converge, keep weight 1.
 */
export function cellWeights(
  definition: SurveyDefinition,
  cellsByWave: Map<string, Map<string, Counters>>,
  population: Population,
  cap: number,
): { weights: CellWeights; summary: WeightingSummary } {
  const byWave = new Map<string, Map<string, number>>();
  const groups: RakedGroup[] = [];
  for (const wave of definition.waves) {
    const weights = new Map<string, number>();
    byWave.set(wave.id, weights);
    const cells = viewCells(cellsByWave.get(wave.id) ?? new Map());
    for (const audience of Object.keys(definition.audiences) as Audience[]) {
      const margins = marginsFor(population, audience);
      const own = cells.filter((c) => c.audience === audience && (c.counters.n ?? 0) > 0);
      if (margins.length === 0 || own.length === 0) continue;
      const result = rake(
        own.map((c) => ({ dimensions: c.dimensions, n: c.counters.n ?? 0 })),
        margins,
        { cap },
      );
      if (result.converged) for (const [i, c] of own.entries()) weights.set(c.key, result.weights[i] ?? 1);
      groups.push({
        waveId: wave.id,
        audience,
        converged: result.converged,
        iterations: result.iterations,
        cappedCells: result.cappedCells,
        emptyCategories: result.margins.flatMap((m) => m.emptyCategories.map((c) => `${m.id}:${c}`)),
        uncategorised: Math.max(0, ...result.margins.map((m) => m.uncategorised)),
      });
    }
  }
  return {
    weights: { weightOf: (waveId, cell) => byWave.get(waveId)?.get(cell.key) ?? 1 },
    summary: { population: population.id, area: population.area, verified: population.verified, cap, groups },
  };
}
