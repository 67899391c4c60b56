import { isSmall, type LineCell, protectLine } from './line.js';

/**
 * The disclosure gate of the aggregate views (impact and fieldwork): for one wave, which groups of
 * respondents every view must hide. It is decided once per whole table and then applied in every
 * view, so that no combination of views (the all-cities table and `?city=`, the weighted view, the
 * exposure rows of a city, the perception gap, the fieldwork counts) gives a hidden figure back.
 *
 * The tables of a wave, per audience and measure (an indicator, or the respondents themselves):
 * - the total of the audience;
 * - cities: each city's group, adding up to the total (a line, see line.ts);
 * - exposure: those who know the campaign ("aware": answered yes) and everyone else ("other"),
 *   adding up to the total: with one hidden, the other is hidden too;
 * - cities x exposure: each city's aware and other groups (shown by `?city=`), adding up to the
 *   city's group and to the exposure groups. A city whose split is hidden would be given back by
 *   the exposure total minus the shown cities, so splits are hidden for at least two cities
 *   together, whose hidden aware and other groups each hold 0 or at least k respondents.
 * For the respondents also the audiences, adding up to the wave's total (fieldwork).
 *
 * See docs/privacy.md ("One disclosure model") for the assumed adversary and the guarantee, and
 * test/report/disclosure-audit.test.ts for the attack that checks it.
 */

/** The measure under which the gate counts respondents themselves (beside the indicators). */
export const RESPONDENTS = '*';

/** Respondents of one audience in one city with one exposure side (aware: said yes; other: the rest). */
export interface GateCounts {
  /** audience -> measure -> city -> [aware, other]. */
  counts: Map<string, Map<string, Map<string, [number, number]>>>;
  /** Measures whose exposure split is published (an indicator other than the exposure question). */
  split: (audience: string, measure: string) => boolean;
  /**
   * For weighted figures: audience -> measure -> city -> [aware, other] sums of weights. A weighted
   * mean of all cities is the cities' means in proportion to these, and an adversary knows them
   * roughly (raking makes them the population's shares), so the hidden cities must be chosen such
   * that none of them weighs more than the others together (see decideTable).
   */
  weights?: Map<string, Map<string, Map<string, [number, number]>>>;
}

export type ExposureSide = 'aware' | 'other';

export interface WaveGate {
  /** Whether a group's figure is hidden: an audience's measure, one city or all (null), one exposure side or both. */
  hidden(audience: string, measure: string, city: string | null, side?: ExposureSide): boolean;
}

/** What was decided for one audience and measure. */
interface TableDecision {
  total: boolean;
  cities: Set<string>;
  exposure: boolean;
  /** Cities whose aware/other split is hidden. */
  splits: Set<string>;
}

const sum = (xs: Iterable<number>) => {
  let s = 0;
  for (const x of xs) s += x;
  return s;
};

/**
 * Whether weighted figures of the hidden groups could be told apart: with the shown total and the
 * shown groups, the hidden groups' weighted means m_i satisfy one equation sum(w_i m_i) = R. A
 * group whose weight w_c is more than the others' together is then pinned to within
 * (sum of the others' w) / w_c of the answer scale: narrower than the scale itself. So each hidden
 * group (that holds anyone) must weigh at most as much as the other hidden groups together.
 */
function weightsTell(hidden: Iterable<string>, weightOf: (key: string) => number): boolean {
  let most = 0;
  let all = 0;
  for (const key of hidden) {
    const w = weightOf(key);
    most = Math.max(most, w);
    all += w;
  }
  return most > 0 && 2 * most > all + 1e-9;
}

/**
 * The hidden groups of one audience and measure. `totalHidden` forces the total hidden (an
 * audience hidden in the line of audiences); it is also hidden when it is small itself. `weights`
 * (for a weighted survey): each city's sums of weights, aware and other; see weightsTell.
 */
export function decideTable(
  byCity: ReadonlyMap<string, readonly [number, number]>,
  k: number,
  options: {
    split: boolean;
    totalHidden?: boolean;
    hiddenCities?: Iterable<string>;
    weights?: ReadonlyMap<string, readonly [number, number]>;
  },
): TableDecision {
  const cities = [...byCity.keys()];
  const rows: LineCell[] = cities.map((key) => {
    const [aware, other] = byCity.get(key) ?? [0, 0];
    return { key, n: aware + other };
  });
  const total = sum(rows.map((r) => r.n));
  const totalHidden = options.totalHidden === true || isSmall(total, k);
  const hiddenCities = protectLine(rows, k, {
    totalShown: !totalHidden,
    hidden: totalHidden ? cities : (options.hiddenCities ?? []),
  });
  const { weights } = options;
  const weightOf = (city: string, side?: 0 | 1) => {
    const [a, o] = weights?.get(city) ?? [0, 0];
    return side === undefined ? a + o : side === 0 ? a : o;
  };
  const byN = rows.filter((r) => r.n > 0).sort((a, b) => a.n - b.n || a.key.localeCompare(b.key));
  if (weights && !totalHidden) {
    for (const row of byN) {
      if (!weightsTell(hiddenCities, (c) => weightOf(c))) break;
      hiddenCities.add(row.key);
    }
  }
  const aware = sum(cities.map((c) => byCity.get(c)?.[0] ?? 0));
  const other = total - aware;
  const exposure = !options.split || totalHidden || isSmall(aware, k) || isSmall(other, k);
  const splits = new Set<string>();
  if (options.split) {
    if (exposure) for (const c of cities) splits.add(c);
    else {
      for (const c of cities) {
        const [a, o] = byCity.get(c) ?? [0, 0];
        if (hiddenCities.has(c) || isSmall(a, k) || isSmall(o, k)) splits.add(c);
      }
      const hiddenSide = (side: 0 | 1) => sum([...splits].map((c) => byCity.get(c)?.[side] ?? 0));
      const unsafe = () =>
        splits.size > 0 &&
        (splits.size < 2 ||
          isSmall(hiddenSide(0), k) ||
          isSmall(hiddenSide(1), k) ||
          (weights !== undefined &&
            (weightsTell(splits, (c) => weightOf(c, 0)) || weightsTell(splits, (c) => weightOf(c, 1)))));
      for (const row of byN) {
        if (!unsafe()) break;
        splits.add(row.key);
      }
    }
  }
  return { total: totalHidden, cities: hiddenCities, exposure, splits };
}

/**
 * Cities an indicator hides while their respondents are shown, where that pins a hidden count.
 * The adversary knows the indicator's hidden total H (its total less the shown cities) and an
 * upper bound of each hidden count: the city's respondents where they are shown, and for the
 * cities hidden for the respondents their hidden total together. So a city c hidden for the
 * indicator with r_c respondents shown holds at least H less every other bound and at most
 * min(r_c, H). Where most respondents of the hidden cities answered the item, that range is
 * narrow (the reviewer's Schwerte: 9 to 11). Then these cities are returned, to be hidden for the
 * respondents too; where many did not answer (an item for a few), the range stays wide and the
 * respondents' counts stay shown.
 */
function pinnedByRespondents(
  byCity: ReadonlyMap<string, readonly [number, number]>,
  respondentsByCity: ReadonlyMap<string, readonly [number, number]>,
  hidden: ReadonlySet<string>,
  respondentsHidden: ReadonlySet<string>,
  k: number,
): string[] {
  const nOf = (t: ReadonlyMap<string, readonly [number, number]>, c: string) => {
    const [a, o] = t.get(c) ?? [0, 0];
    return a + o;
  };
  const open = [...hidden].filter((c) => !respondentsHidden.has(c));
  if (open.length === 0) return [];
  const total = sum([...hidden].map((c) => nOf(byCity, c)));
  const bounds =
    sum(open.map((c) => nOf(respondentsByCity, c))) + sum([...respondentsHidden].map((c) => nOf(respondentsByCity, c)));
  const pinned = open.some((c) => {
    const r = nOf(respondentsByCity, c);
    const lowest = Math.max(1, total - (bounds - r));
    const highest = Math.min(r, total);
    return highest - lowest + 1 < Math.ceil(k / 2);
  });
  return pinned ? open : [];
}

/**
 * The gate of one wave. The respondents' audience totals also form a line within the wave's
 * total (`respondents` names that measure), so an audience total is hidden where that line says so.
 */
export function gateWave(input: GateCounts, k: number, respondents: string = RESPONDENTS): WaveGate {
  const audienceTotals: LineCell[] = [...input.counts].map(([audience, measures]) => ({
    key: audience,
    n: sum([...(measures.get(respondents)?.values() ?? [])].map(([a, o]) => a + o)),
  }));
  const waveTotal = sum(audienceTotals.map((a) => a.n));
  const hiddenAudiences = protectLine(audienceTotals, k, { totalShown: !isSmall(waveTotal, k) });
  const decisions = new Map<string, TableDecision>();
  for (const [audience, measures] of input.counts) {
    // The respondents first: an audience or city hidden there is hidden for every indicator too,
    // or the count of those who answered an item would give the hidden count back. And the other
    // way round: where the shown respondents would pin an item count an indicator hides (see
    // pinnedByRespondents), those cities are hidden for the respondents too. That only grows the
    // hidden cells of the respondents' line, so the line stays protected; repeated until stable.
    let forced = new Set<string>();
    const respondentsByCity = measures.get(respondents) ?? new Map<string, [number, number]>();
    for (;;) {
      const own = decideTable(respondentsByCity, k, {
        split: false,
        totalHidden: hiddenAudiences.has(audience),
        hiddenCities: forced,
      });
      decisions.set(`${audience}|${respondents}`, own);
      // By counts alone, as the fieldwork report (which has no weights) decides the same way. A
      // city the weight rule adds holds k or more and its shown respondents bound only its own count.
      const more = new Set<string>();
      for (const [measure, byCity] of measures) {
        if (measure === respondents) continue;
        const decided = decideTable(byCity, k, { split: false, totalHidden: own.total, hiddenCities: own.cities });
        // With the indicator's total hidden too, no sum ties its cities together: nothing to pin.
        if (decided.total) continue;
        for (const city of pinnedByRespondents(byCity, respondentsByCity, decided.cities, own.cities, k))
          more.add(city);
      }
      if (more.size === 0) {
        for (const [measure, byCity] of measures) {
          if (measure === respondents) continue;
          const decided = decideTable(byCity, k, {
            split: input.split(audience, measure),
            totalHidden: own.total,
            hiddenCities: own.cities,
            weights: input.weights?.get(audience)?.get(measure),
          });
          decisions.set(`${audience}|${measure}`, decided);
        }
        break;
      }
      forced = new Set([...own.cities, ...more]);
    }
  }
  return {
    hidden(audience, measure, city, side) {
      const d = decisions.get(`${audience}|${measure}`);
      if (!d) return false;
      if (side === undefined) return city === null ? d.total : d.cities.has(city);
      return city === null ? d.exposure : d.splits.has(city);
    },
  };
}
