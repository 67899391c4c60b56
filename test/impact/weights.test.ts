import { describe, expect, it } from 'vitest';
import { loadPopulation } from '../../shared/data/population-files.js';
import { impactReport } from '../../shared/impact/report.js';
import { viewCells } from '../../shared/impact/sums.js';
import { cellWeights, unweightedWaves } from '../../shared/impact/weights.js';
import { demoCells, recklinghausenSurvey } from '../fixtures/demo-cells.js';

describe('weighted impact on demo data of the Recklinghausen survey', async () => {
  const definition = recklinghausenSurvey();
  const population = await loadPopulation('kreis-recklinghausen');
  const cells = demoCells(definition, 1_500, 5);
  const { weights, summary } = cellWeights(definition, cells, population, 5);
  const weighted = impactReport(definition, cells, { audience: 'public' }, weights);
  const plain = impactReport(definition, cells, { audience: 'public' });
  const w0 = viewCells(cells.get('w0-baseline') ?? new Map());

  it('rakes each wave of the public to the city shares of the population, and leaves other audiences alone', () => {
    expect(summary).toMatchObject({ population: 'kreis-recklinghausen', cap: 5, verified: false });
    expect(summary.groups.map((g) => `${g.waveId}/${g.audience}/${g.converged}`)).toEqual([
      'w0-baseline/public/true',
      'w1-followup/public/true',
      'w2-followup/public/true',
    ]);
    const targets = population.margins.find((m) => m.id === 'city')?.targets ?? [];
    const total = targets.reduce((a, t) => a + Number(t.value), 0);
    const inArea = w0.filter((c) => c.audience === 'public' && targets.some((t) => t.city === c.dimensions.city));
    const weightedTotal = inArea.reduce((a, c) => a + weights.weightOf('w0-baseline', c) * (c.counters.n ?? 0), 0);
    for (const target of targets) {
      const inCity = inArea.filter((c) => c.dimensions.city === target.city);
      const share =
        inCity.reduce((a, c) => a + weights.weightOf('w0-baseline', c) * (c.counters.n ?? 0), 0) / weightedTotal;
      // Trimming at 5 x the mean may leave margins slightly off; the demo sample needs no trimming.
      expect(share).toBeCloseTo(Number(target.value) / total, 3);
    }
    for (const c of w0.filter((x) => x.audience !== 'public')) expect(weights.weightOf('w0-baseline', c)).toBe(1);
  });

  it('computes the weighted image index from the cells and weights, with effective n and design effect', () => {
    const figure = weighted.indicators.find((i) => i.id === 'image_index')?.waves[0];
    const own = w0.filter((c) => c.audience === 'public');
    const w = (c: (typeof own)[number]) => weights.weightOf('w0-baseline', c);
    const sw = own.reduce((a, c) => a + w(c) * (c.counters['@ind#image_index#n'] ?? 0), 0);
    const sws = own.reduce((a, c) => a + w(c) * ((c.counters['@ind#image_index#s'] ?? 0) / 100), 0);
    expect(figure?.estimate).toBeCloseTo(sws / sw, 9);
    const unweighted = plain.indicators.find((i) => i.id === 'image_index')?.waves[0];
    expect(figure?.n).toBe(unweighted?.n);
    expect(figure?.nEff).toBeLessThan(figure?.n ?? 0);
    expect(figure?.deff).toBeGreaterThan(1);
    expect(weighted.weighted).toBe(true);
    expect(plain.weighted).toBe(false);
    expect(weighted.indicators[0]?.changes[0]?.test).toBe('weighted-z');
  });

  it('names the waves a weighted view shows unweighted, and why', () => {
    const released = new Set(definition.waves.map((w) => w.id));
    // Businesses have no population margins: every wave of theirs is shown unweighted.
    expect(unweightedWaves(definition, population, summary.groups, 'business', released)).toEqual(
      definition.waves.map((w) => ({ waveId: w.id, reason: 'no_margins' })),
    );
    expect(unweightedWaves(definition, population, summary.groups, 'public', released)).toEqual([]);
    // A wave whose raking did not converge keeps weight 1, and says so; waves not released are left out.
    const groups = summary.groups.map((g) => (g.waveId === 'w1-followup' ? { ...g, converged: false } : g));
    expect(unweightedWaves(definition, population, groups, 'public', released)).toEqual([
      { waveId: 'w1-followup', reason: 'not_converged' },
    ]);
    expect(unweightedWaves(definition, population, groups, 'public', new Set(['w0-baseline']))).toEqual([]);
  });

  it('keeps businesses unweighted in the perception gap while weighting the public side', () => {
    const row = weighted.gap.find((g) => g.city === null && g.waveId === 'w0-baseline');
    const plainRow = plain.gap.find((g) => g.city === null && g.waveId === 'w0-baseline');
    expect(row?.self.estimate).toBeCloseTo(plainRow?.self.estimate ?? Number.NaN, 9);
    expect(row?.self.deff).toBeCloseTo(1, 12);
    expect(row?.outside.estimate).toBe(weighted.indicators.find((i) => i.id === 'image_index')?.waves[0]?.estimate);
  });
});
