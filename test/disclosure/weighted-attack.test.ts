import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateDemoResponses } from '../../local/demo-data.js';
import { seededRandom } from '../../local/random.js';
import type { Counters } from '../../shared/aggregate/contribution.js';
import { loadPopulation } from '../../shared/data/population-files.js';
import { impactReportOf } from '../../shared/impact/report.js';
import { snapshotOfCells } from '../../shared/impact/snapshot.js';
import { buildResponse } from '../../shared/response/build.js';
import type { StoredResponse } from '../../shared/response/schema.js';
import { formatFileIssues, parseSurveyFile } from '../../shared/survey/parse-file.js';
import { cellsByWave } from '../setup/cells.js';

/**
 * The weighted view under attack (issue 16): weighted to the population, a weighted mean of all
 * cities is the cities' means in proportion to their population shares, which anyone can look up.
 * With the total and the shown cities, the hidden cities' means satisfy one equation; a hidden
 * city of a large town hidden beside a small town alone is pinned to a narrow interval. The gate
 * must hide cities such that no hidden one weighs more than the other hidden ones together.
 */
const path = 'surveys/handwerk-recklinghausen.yaml';
const parsed = parseSurveyFile(path, readFileSync(path, 'utf8'));
if (!parsed.ok) throw new Error(formatFileIssues(parsed));
const definition = parsed.definition;
const waveId = definition.waves[0]?.id ?? '';

/** Public responses of the first wave with `counts[city]` respondents per city (answers from the demo generator). */
function responsesWith(counts: Record<string, number>): StoredResponse[] {
  const pool = generateDemoResponses(definition, { count: 6000, random: seededRandom(16), now: new Date('2027-06-30') })
    .map((input) => buildResponse(input))
    .filter((r) => r.waveId === waveId && r.audience === 'public');
  const out: StoredResponse[] = [];
  for (const [city, n] of Object.entries(counts)) {
    const own = pool.filter((r) => r.dimensions.city === city).slice(0, n);
    if (own.length < n) throw new Error(`the demo pool has only ${own.length} public responses in ${city}`);
    out.push(...own);
  }
  return out;
}

async function weightedReport(responses: StoredResponse[], k = definition.settings.minCellSize) {
  const surveyed = { ...definition, settings: { ...definition.settings, minCellSize: k } };
  const cells = cellsByWave(surveyed, responses).get(waveId) ?? new Map<string, Counters>();
  const population = await loadPopulation('kreis-recklinghausen');
  const { index } = snapshotOfCells(surveyed, waveId, cells, population);
  const report = impactReportOf(surveyed, new Map([[waveId, index]]), { audience: 'public' }, true, new Set([waveId]));
  const shares = new Map<string, number>();
  const margin = population.margins.find((m) => m.id === 'city');
  const total = (margin?.targets ?? []).reduce((a, t) => a + Number(t.value), 0);
  for (const t of margin?.targets ?? []) shares.set(String(t.city), Number(t.value) / total);
  return { report, shares };
}

/**
 * What the adversary works out for each hidden city: the weighted total is the shown and hidden
 * cities' means weighted by population share, and each mean lies on the index's scale 0..100.
 */
function boundsOfHidden(
  rows: { city: string; estimate: number | null }[],
  total: number,
  shares: Map<string, number>,
): Map<string, [number, number]> {
  const present = rows.filter((r) => shares.has(r.city));
  const all = present.reduce((a, r) => a + (shares.get(r.city) ?? 0), 0);
  let rest = total * all;
  for (const r of present) if (r.estimate !== null) rest -= (shares.get(r.city) ?? 0) * r.estimate;
  const hidden = present.filter((r) => r.estimate === null).map((r) => r.city);
  const out = new Map<string, [number, number]>();
  for (const city of hidden) {
    const w = shares.get(city) ?? 0;
    const others = hidden.filter((c) => c !== city).reduce((a, c) => a + (shares.get(c) ?? 0), 0);
    const low = Math.max(0, (rest - others * 100) / w);
    const high = Math.min(100, rest / w);
    out.set(city, [low, high]);
  }
  return out;
}

describe('weighted impact view against an adversary who knows the population shares', () => {
  it('hides cities so that no hidden city is pinned by the weighted total (a large town beside a small one)', async () => {
    // Recklinghausen (the largest town, 18% of the population) with 4 respondents; Waltrop (5%) the
    // smallest shown group: by the count rule alone, Waltrop would be its only complement.
    const counts: Record<string, number> = {
      recklinghausen: 4,
      waltrop: 15,
      'castrop-rauxel': 30,
      datteln: 30,
      dorsten: 30,
      gladbeck: 30,
      'haltern-am-see': 30,
      herten: 30,
      marl: 30,
      'oer-erkenschwick': 30,
    };
    const responses = responsesWith(counts);
    const { report, shares } = await weightedReport(responses);
    const figures = (r: typeof report) => {
      const indicator = r.indicators.find((i) => i.id === 'image_index');
      return {
        total: indicator?.waves.find((w) => w.waveId === waveId)?.estimate,
        rows: indicator?.cities.find((c) => c.waveId === waveId)?.rows ?? [],
      };
    };
    const { total, rows } = figures(report);
    // The attack works where only the count rule hides: every figure as it is (a k of 1 shows all),
    // Recklinghausen and Waltrop hidden, pins Recklinghausen's weighted mean to a narrow interval.
    const open = figures((await weightedReport(responses, 1)).report);
    const countRuleOnly = open.rows.map((r) =>
      ['recklinghausen', 'waltrop'].includes(r.city) ? { ...r, estimate: null } : r,
    );
    const [pinnedLow, pinnedHigh] = boundsOfHidden(countRuleOnly, open.total as number, shares).get(
      'recklinghausen',
    ) ?? [0, 100];
    const truth = open.rows.find((r) => r.city === 'recklinghausen')?.estimate as number;
    expect(pinnedHigh - pinnedLow).toBeLessThan(35);
    expect(truth).toBeGreaterThanOrEqual(pinnedLow - 3);
    expect(truth).toBeLessThanOrEqual(pinnedHigh + 3);
    expect(total).toEqual(expect.any(Number));
    const hidden = rows.filter((r) => r.estimate === null).map((r) => r.city);
    expect(hidden).toContain('recklinghausen');
    expect(hidden).toContain('waltrop');
    // No hidden city outweighs the others hidden with it...
    const weightOf = (c: string) => shares.get(c) ?? 0;
    for (const city of hidden) {
      expect(weightOf(city)).toBeLessThanOrEqual(hidden.filter((c) => c !== city).reduce((a, c) => a + weightOf(c), 0));
    }
    // ...so the attack leaves each hidden city's mean open over most of the scale.
    const bounds = boundsOfHidden(rows, total as number, shares);
    for (const [city, [low, high]] of bounds) {
      expect(high - low, `${city}: ${low.toFixed(1)} to ${high.toFixed(1)}`).toBeGreaterThan(50);
    }
  });
});
