import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Counters } from '../../shared/aggregate/contribution.js';
import { loadPopulation } from '../../shared/data/population-files.js';
import { SETTLE_GRACE_MS, type WaveState, waveSettledAt } from '../../shared/data/survey-store.js';
import { ANY_EXPOSURE, answerCounterNames, questionMeasure } from '../../shared/impact/answers.js';
import { impactReport, impactReportOf } from '../../shared/impact/report.js';
import {
  decodeSnapshotData,
  encodeSnapshotData,
  foldCells,
  impactDimensions,
  refreshCounters,
  snapshotOfCells,
  snapshotServes,
  waveFingerprint,
  weightingFingerprint,
} from '../../shared/impact/snapshot.js';
import { cellWeights } from '../../shared/impact/weights.js';
import type { Wave } from '../../shared/survey/schema.js';
import { demoCells, recklinghausenSurvey } from '../fixtures/demo-cells.js';
import { encodeVersion3, withoutAnswers } from '../fixtures/snapshot-v3.js';

describe('impact snapshot: cells folded onto what the report needs', async () => {
  const definition = recklinghausenSurvey();
  const population = await loadPopulation('kreis-recklinghausen');
  const cells = demoCells(definition, 2_000, 11);
  const dimensions = impactDimensions(population);
  const folded = new Map([...cells].map(([waveId, c]) => [waveId, foldCells(definition, c, dimensions)]));
  const foldedCells = new Map([...folded].map(([waveId, f]) => [waveId, f.cells]));

  it('keeps city, exposure and the weighting dimensions, in cell-key order', () => {
    expect(dimensions).toEqual(['city', 'age_band', 'gender', 'exposure']);
    expect(impactDimensions()).toEqual(['city', 'exposure']);
  });

  it('has far fewer cells than the aggregate, with the same respondents, indicator sums and days', () => {
    for (const [waveId, fine] of cells) {
      const coarse = folded.get(waveId);
      if (!coarse) throw new Error(`no folded wave ${waveId}`);
      expect(coarse.cells.size).toBeLessThan(fine.size);
      const sum = (m: Map<string, Counters>, name: string) => [...m.values()].reduce((a, c) => a + (c[name] ?? 0), 0);
      const kept = [
        'n',
        '@ind#image_index#n',
        '@ind#image_index#s',
        '@ind#image_index#ss',
        'img_modern#n',
        'img_modern#o#dk',
        'aided_channel#o#poster',
        '@channel#unknown',
      ];
      for (const name of kept) {
        expect(sum(coarse.cells, name), `${waveId} ${name}`).toBe(sum(fine, name));
        expect(sum(fine, name), `${waveId} ${name}`).toBeGreaterThan(0);
      }
      const days = Object.values(coarse.days).reduce((a, b) => a + b, 0);
      expect(days).toBe(sum(fine, 'n'));
      // What leads never see stays in the aggregate: free text, sums of scale answers, the answers
      // to dimension questions (city, age band, ...), trade group (a quasi-identifier), the days.
      const answers = new Set(answerCounterNames(definition));
      for (const counters of coarse.cells.values()) {
        for (const name of Object.keys(counters)) {
          if (!answers.has(name)) expect(name).toMatch(/^(n|@ind#.+#(n|s|ss)|@channel#.+)$/);
        }
      }
      for (const dropped of [
        'comments#n',
        'img_modern#s',
        'city#o#marl',
        'age_band#n',
        'trade_group#o#food',
        '@day#',
      ]) {
        expect([...coarse.cells.values()].some((c) => Object.keys(c).some((name) => name.startsWith(dropped)))).toBe(
          false,
        );
      }
      for (const key of coarse.cells.keys()) expect(key.split('|')[4]).toBe('_'); // role
    }
  });

  // Nine reports from 2,000 responses' cells, each with every question's answers: seconds, more on a busy machine.
  it('gives the very same impact report as the cells, unweighted and weighted, for every audience and city', () => {
    for (const audience of ['public', 'business', 'multiplier'] as const) {
      for (const city of [undefined, 'marl', 'dorsten']) {
        const query = { audience, city };
        expect(impactReport(definition, foldedCells, query)).toEqual(impactReport(definition, cells, query));
      }
    }
    const fine = cellWeights(definition, cells, population, 5);
    const coarse = cellWeights(definition, foldedCells, population, 5);
    expect(coarse.summary.groups.map((g) => g.converged)).toEqual(fine.summary.groups.map((g) => g.converged));
    const a = impactReport(definition, cells, { audience: 'public' }, fine.weights);
    const b = impactReport(definition, foldedCells, { audience: 'public' }, coarse.weights);
    // What the store keeps per wave answers the same, weighted and not.
    const snapshots = new Map(
      [...cells].map(([waveId, c]) => [waveId, snapshotOfCells(definition, waveId, c, population)]),
    );
    const indexes = new Map([...snapshots].map(([waveId, snap]) => [waveId, snap.index]));
    expect(impactReportOf(definition, indexes, { audience: 'public' }, false)).toEqual(
      impactReport(definition, cells, { audience: 'public' }),
    );
    expect(impactReportOf(definition, indexes, { audience: 'public' }, true)).toEqual(b);
    expect([...snapshots.values()].flatMap((snap) => snap.raking)).toEqual(coarse.summary.groups);
    // Raking visits the cells in another grouping, so sums differ in the last bits only.
    const figures = (r: typeof a) =>
      r.indicators.flatMap((i) => i.waves.map((w) => [w.estimate, w.ci?.lo, w.ci?.hi, w.nEff, w.deff]));
    const [fa, fb] = [figures(a).flat(), figures(b).flat()];
    expect(fb).toHaveLength(fa.length);
    fa.forEach((x, i) => {
      if (x === null || x === undefined) expect(fb[i]).toBe(x);
      else expect(fb[i]).toBeCloseTo(x, 8);
    });
    expect(b.indicators.flatMap((i) => i.changes.map((c) => c.significant))).toEqual(
      a.indicators.flatMap((i) => i.changes.map((c) => c.significant)),
    );
  }, 60_000);

  it('compresses to a few kilobytes and decodes to the same group sums, raking and days', () => {
    const raw = cells.get('w0-baseline');
    if (!raw) throw new Error('no baseline');
    const snapshot = snapshotOfCells(definition, 'w0-baseline', raw, population);
    const data = encodeSnapshotData(snapshot);
    expect(decodeSnapshotData(data)).toEqual({ ...snapshot, distributions: true });
    expect(snapshot.raking).toEqual([expect.objectContaining({ waveId: 'w0-baseline', audience: 'public' })]);
    expect(data.length).toBeLessThan(64_000);
  });

  it('keeps answers and channels apart from exposure, and decodes them to the same counts', () => {
    const raw = cells.get('w1-followup') ?? new Map();
    const snapshot = snapshotOfCells(definition, 'w1-followup', raw, population);
    const decoded = decodeSnapshotData(encodeSnapshotData(snapshot));
    // Hand counts from the aggregate cells: Marl's public answers to img_modern, all exposures.
    const marl = [...raw].filter(([key]) => key.startsWith('public|marl|'));
    const count = (name: string) => marl.reduce((a, [, c]) => a + (c[name] ?? 0), 0);
    const group = decoded.index.get('public')?.get('marl')?.get(ANY_EXPOSURE)?.get(questionMeasure('img_modern'));
    expect(group?.n).toBe(count('img_modern#n') + count('img_modern#o#dk'));
    for (const code of ['1', '2', '3', '4', '5', 'dk']) {
      expect(group?.options?.[code]?.n ?? 0, code).toBe(count(`img_modern#o#${code}`));
    }
    expect(decoded.index.get('public')?.get('marl')?.get(ANY_EXPOSURE)?.get('@channel#unknown')?.n).toBe(
      count('@channel#unknown'),
    );
    // Nothing of them under an exposure answer: they are never split by it.
    for (const exposure of ['yes', 'no', 'dk', '_']) {
      const byMeasure = decoded.index.get('public')?.get('marl')?.get(exposure);
      expect([...(byMeasure?.keys() ?? [])].some((m) => m.startsWith('q#') || m.startsWith('@channel#'))).toBe(false);
    }
  });

  it('reads encoding 3 (releases stored before answers were kept) as what it holds, and no other', () => {
    const raw = cells.get('w0-baseline') ?? new Map();
    const { index, raking, days } = snapshotOfCells(definition, 'w0-baseline', raw, population);
    const v3 = encodeVersion3(index, raking, days);
    const decoded = decodeSnapshotData(v3);
    expect(decoded.distributions).toBe(false);
    expect(decoded.index).toEqual(withoutAnswers(index));
    expect(decoded.days).toEqual(days);
    expect(() => decodeSnapshotData(gzipSync(JSON.stringify({ v: 5, rows: [] })))).toThrow(/encoding 5/);
    expect(() => decodeSnapshotData(new Uint8Array([1, 2, 3]))).toThrow();
  });

  it('keeps no weighting without settings.weighting, and tells weightings apart', () => {
    const unweighted = { ...definition, settings: { ...definition.settings, weighting: undefined } };
    const raw = cells.get('w0-baseline') ?? new Map();
    expect(snapshotOfCells(unweighted, 'w0-baseline', raw, population).raking).toEqual([]);
    expect(weightingFingerprint(population, undefined)).toBe('none');
    expect(weightingFingerprint(population, 5)).not.toBe(weightingFingerprint(population, 4));
    const moved = { ...population, margins: population.margins.slice(0, 1) };
    expect(weightingFingerprint(moved, 5)).not.toBe(weightingFingerprint(population, 5));
  });
});

describe('when a stored snapshot may answer', () => {
  const asOf = '2026-11-20T12:00:00.000Z';
  const base = {
    asOf,
    definitionVersion: '1.1',
    weighting: 'w1',
    settled: false,
    waveFingerprint: 'none',
  };
  const needs = (ms: number, over: Partial<Parameters<typeof snapshotServes>[1]> = {}) => ({
    now: new Date(Date.parse(asOf) + ms),
    maxAgeMs: 60_000,
    definitionVersion: '1.1',
    weighting: 'w1',
    waveFingerprint: 'none',
    ...over,
  });

  it('serves a collecting wave until it is older than the maximum age', () => {
    expect(snapshotServes(base, needs(0))).toBe(true);
    expect(snapshotServes(base, needs(59_999))).toBe(true);
    expect(snapshotServes(base, needs(60_000))).toBe(false);
    expect(snapshotServes(base, needs(10, { maxAgeMs: 0 }))).toBe(false);
    // A snapshot from the future (another clock) is not trusted.
    expect(snapshotServes(base, needs(-1))).toBe(false);
  });

  it('serves a settled wave however old, while its state is unchanged', () => {
    const settled = { ...base, settled: true, waveFingerprint: 'closed-at-1' };
    expect(snapshotServes(settled, needs(400 * 86_400_000, { waveFingerprint: 'closed-at-1' }))).toBe(true);
    expect(snapshotServes(settled, needs(400 * 86_400_000, { waveFingerprint: 'reopened' }))).toBe(false);
  });

  it('never serves another definition version or another weighting', () => {
    expect(snapshotServes(base, needs(0, { definitionVersion: '1.2' }))).toBe(false);
    expect(snapshotServes({ ...base, settled: true }, needs(0, { weighting: 'w2' }))).toBe(false);
  });

  it('fingerprints a wave state by its fields, not by key or order', () => {
    expect(waveFingerprint(undefined)).toBe('none');
    expect(waveFingerprint({ pk: 'a', waveId: 'w0', state: 'closed' })).toBe(
      waveFingerprint({ state: 'closed', waveId: 'w0', sk: 'b' }),
    );
    expect(waveFingerprint({ waveId: 'w0', state: 'closed' })).not.toBe(
      waveFingerprint({ waveId: 'w0', state: 'closed', changedAt: asOf }),
    );
  });
});

describe('refreshCounters: what a refresh reads of each aggregate item', () => {
  const definition = recklinghausenSurvey();
  const now = new Date('2026-11-22T08:00:00Z');

  it('reads whole items the first time', () => {
    expect(refreshCounters(definition, undefined, now)).toBeUndefined();
  });

  it('then names n, the indicator counters, the answers leads see, the channels and every day answers can be on, nothing else', () => {
    const counters = refreshCounters(
      definition,
      { asOf: '2026-11-20T23:30:00Z', days: { '2026-10-01': 4, '2026-11-20': 9 } },
      now,
      ['unknown', 'plakat-marl', 'unknown'],
    );
    expect(counters?.slice(0, 4)).toEqual(['n', '@ind#image_index#n', '@ind#image_index#s', '@ind#image_index#ss']);
    const answers = answerCounterNames(definition);
    expect(counters).toHaveLength(1 + 3 * definition.indicators.length + answers.length + 2 + 5);
    // Per closed question leads see: who answered and each code, "don't know" included.
    expect(counters).toEqual(expect.arrayContaining(['img_modern#n', 'img_modern#o#5', 'img_modern#o#dk']));
    expect(counters).toEqual(expect.arrayContaining(['aided_channel#n', 'aided_channel#o#dont_remember']));
    for (const never of ['city#n', 'city#o#marl', 'comments#n', 'img_modern#s', 'trade_group#n']) {
      expect(counters).not.toContain(never);
    }
    expect(counters?.filter((c) => c.startsWith('@channel#'))).toEqual(['@channel#plakat-marl', '@channel#unknown']);
    // The previous days, the day before the snapshot (a request in flight at midnight) and every day since.
    expect(counters?.filter((c) => c.startsWith('@day#'))).toEqual([
      '@day#2026-10-01',
      '@day#2026-11-19',
      '@day#2026-11-20',
      '@day#2026-11-21',
      '@day#2026-11-22',
    ]);
    const known = new Set(answers);
    expect(
      counters?.some((c) => !known.has(c) && !/^(n|@ind#.+#(n|s|ss)|@channel#.+|@day#\d{4}-\d{2}-\d{2})$/.test(c)),
    ).toBe(false);
  });

  it('reads whole items when the days would be too many to name, or the snapshot is from the future', () => {
    expect(refreshCounters(definition, { asOf: '2025-06-01T00:00:00Z', days: {} }, now)).toBeUndefined();
    expect(refreshCounters(definition, { asOf: '2026-11-24T00:00:00Z', days: {} }, now)).toBeUndefined();
  });
});

describe('waveSettledAt: when a wave can no longer receive answers', () => {
  const waves: Wave[] = [
    { id: 'w0', kind: 'baseline', label: { de: 'B', en: 'B' } },
    { id: 'w1', kind: 'followup', label: { de: 'F', en: 'F' }, closes: '2026-11-30' },
  ] as Wave[];
  const now = new Date('2026-12-10T12:00:00Z');
  const at = (ms: number) => new Date(now.getTime() - ms).toISOString();
  const settled = (state: WaveState | undefined, waveId = 'w0') =>
    waveSettledAt(state ? [state] : [], now, waves, waveId);

  it('holds for a wave that never had a state, or was closed longer ago than the grace', () => {
    expect(settled(undefined)).toBe(true);
    expect(settled({ waveId: 'w0', state: 'closed', changedAt: at(SETTLE_GRACE_MS) })).toBe(true);
    expect(settled({ waveId: 'w0', state: 'closed' })).toBe(true);
  });

  it('does not hold while a late answer may still land, or while the wave collects or may', () => {
    expect(settled({ waveId: 'w0', state: 'closed', changedAt: at(SETTLE_GRACE_MS - 1) })).toBe(false);
    expect(settled({ waveId: 'w0', state: 'open' })).toBe(false);
    expect(settled({ waveId: 'w0', state: 'open', closesAt: at(-3_600_000) })).toBe(false);
    expect(settled({ waveId: 'w0', state: 'scheduled' })).toBe(false);
  });

  it('holds for an open wave whose window ended longer ago than the grace (date-only: end of that day)', () => {
    expect(settled({ waveId: 'w1', state: 'open' }, 'w1')).toBe(true);
    expect(settled({ waveId: 'w0', state: 'open', closesAt: at(SETTLE_GRACE_MS) })).toBe(true);
    expect(settled({ waveId: 'w0', state: 'open', closesAt: at(1000) })).toBe(false);
    const lastDay = new Date('2026-11-30T23:59:59Z');
    expect(waveSettledAt([{ waveId: 'w1', state: 'open' }], lastDay, waves, 'w1')).toBe(false);
  });
});
