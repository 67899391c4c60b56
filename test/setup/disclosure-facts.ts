import type { FieldworkReport } from '../../shared/fieldwork/report.js';
import { questionMeasure } from '../../shared/impact/answers.js';
import type { Figure } from '../../shared/impact/estimate.js';
import type { ImpactReport } from '../../shared/impact/report.js';
import type { Indicator } from '../../shared/survey/schema.js';
import type { Bounds, Fact } from './disclosure-attack.js';

/**
 * What the adversary collects from every view: each figure as a fact about atoms, per wave and
 * measure. Atoms of an indicator are `audience|city|side` (side: aware, other); atoms of the
 * respondents are `audience|city|channel|day`, the finest the fieldwork views slice.
 */
export interface Collected {
  /** `${wave}|${measure}` -> facts. */
  facts: Map<string, Fact[]>;
  /** `${wave}|${measure}` -> groups some view hid (each a list of atoms). */
  hidden: Map<string, string[][]>;
  /** `${wave}|${measure}` -> hidden groups the adversary knows hold someone (the gate never hides a 0 there). */
  nonzero: Map<string, string[][]>;
}

export { RESPONDENTS } from '../../shared/disclosure/wave-gate.js';

import { RESPONDENTS } from '../../shared/disclosure/wave-gate.js';

export function collector() {
  const facts = new Map<string, Fact[]>();
  const hidden = new Map<string, string[][]>();
  const nonzero = new Map<string, string[][]>();
  const push = <T>(map: Map<string, T[]>, key: string, value: T) => {
    const list = map.get(key) ?? [];
    list.push(value);
    map.set(key, list);
  };
  return {
    facts,
    hidden,
    nonzero,
    fact(wave: string, measure: string, fact: Fact) {
      push(facts, `${wave}|${measure}`, fact);
    },
    /**
     * A hidden group. The respondents' lines (audiences, cities, channels, totals) never hide a 0,
     * so there the adversary knows someone is in it; an indicator's line may hide a 0 (a city
     * hidden for the respondents is hidden for every indicator), and so may an exposure split.
     */
    hide(wave: string, measure: string, atoms: string[]) {
      push(hidden, `${wave}|${measure}`, atoms);
      if (measure === RESPONDENTS) push(nonzero, `${wave}|${measure}`, atoms);
    },
  };
}
export type Collector = ReturnType<typeof collector>;

/** One respondent's score range of an indicator, in the units a figure's Σ uses. */
export function scoreBounds(kind: Indicator['kind'], scale: Bounds = { lo: 1, hi: 5 }): Bounds {
  switch (kind) {
    case 'index':
      return { lo: 0, hi: 100 };
    case 'share':
      return { lo: 0, hi: 1 };
    case 'nps':
      return { lo: -1, hi: 1 };
    case 'mean':
      return scale;
  }
}

/** The sums a shown figure gives away: n, Σ score and (from its standard error) Σ score². */
export function sumsOf(kind: Indicator['kind'], f: Figure): Omit<Fact, 'atoms'> | undefined {
  if (f.n === null) return undefined;
  const n = f.n;
  if (f.estimate === null) return { n };
  switch (kind) {
    case 'share': {
      const s = f.estimate * n;
      return { n, s, ss: s };
    }
    case 'nps': {
      const d = f.estimate / 100;
      const p = f.se === null ? undefined : (f.se / 100) ** 2 * n + d * d;
      return { n, s: d * n, ...(p === undefined ? {} : { ss: p * n }) };
    }
    case 'index':
    case 'mean': {
      const s = f.estimate * n;
      const ss = f.se === null || n < 2 ? undefined : f.se ** 2 * n * (n - 1) + (s * s) / n;
      return { n, s, ...(ss === undefined ? {} : { ss }) };
    }
  }
}

/** Atoms of a group: an audience, one city or all (`cities`), one side or both. */
export function atomsOf(audience: string, cities: readonly string[], city: string | null, side?: 'aware' | 'other') {
  return (city === null ? cities : [city]).flatMap((c) =>
    (side ? [side] : ['aware', 'other']).map((s) => `${audience}|${c}|${s}`),
  );
}

/** The audit's measure of one answer of a closed question: its count among those who answered, as a share's sum. */
export const optionMeasure = (questionId: string, code: string) => `${questionMeasure(questionId)}=${code}`;

/**
 * Every figure of one impact view (a report for an audience, maybe one city) as facts. A closed
 * question's answers give two kinds: those who answered (measure `q#{id}`, like an indicator's
 * respondents) and, for each answer `options` picks, its count among them (measure `q#{id}={code}`:
 * n those who answered, Σ the count, as a share indicator's figure gives them).
 */
export function collectImpact(
  into: Collector,
  report: ImpactReport,
  cities: readonly string[],
  options: (questionId: string, code: string) => boolean = () => true,
): void {
  const kindOf = new Map(report.indicators.map((i) => [i.id, i.kind]));
  const add = (wave: string, measure: string, atoms: string[], figure: Figure) => {
    const kind = kindOf.get(measure) ?? 'index';
    if (figure.flags.includes('suppressed')) return into.hide(wave, measure, atoms);
    if (figure.flags.includes('collecting')) return;
    const sums = sumsOf(kind, figure);
    if (sums) into.fact(wave, measure, { atoms, ...sums });
  };
  for (const i of report.indicators) {
    for (const w of i.waves) add(w.waveId, i.id, atomsOf(report.audience, cities, report.city), w);
    for (const { waveId, rows } of i.cities) {
      for (const row of rows) add(waveId, i.id, atomsOf(report.audience, cities, row.city), row);
    }
  }
  for (const e of report.exposure) {
    add(e.waveId, e.indicator, atomsOf(report.audience, cities, report.city, 'aware'), e.aware);
    add(e.waveId, e.indicator, atomsOf(report.audience, cities, report.city, 'other'), e.notAware);
  }
  for (const g of report.gap) {
    add(g.waveId, g.indicator, atomsOf('business', cities, g.city), g.self);
    add(g.waveId, g.indicator, atomsOf('public', cities, g.city), g.outside);
  }
  const atoms = atomsOf(report.audience, cities, report.city);
  for (const q of report.distributions) {
    const measure = questionMeasure(q.id);
    for (const w of q.waves) {
      if (w.flags.includes('collecting') || w.flags.includes('not-in-release')) continue;
      if (w.flags.includes('suppressed') || w.n === null) {
        into.hide(w.waveId, measure, atoms);
        for (const o of w.options) if (options(q.id, o.code)) into.hide(w.waveId, optionMeasure(q.id, o.code), atoms);
        continue;
      }
      into.fact(w.waveId, measure, { atoms, n: w.n });
      for (const o of w.options) {
        if (!options(q.id, o.code)) continue;
        const s = o.share === null ? undefined : o.share * w.n;
        into.fact(w.waveId, optionMeasure(q.id, o.code), { atoms, n: w.n, s, ss: s });
      }
    }
  }
}

/** The channels of one impact view (an audience, all cities) as facts about respondents' atoms. */
export function collectChannels(into: Collector, report: ImpactReport, dims: RespondentDims): void {
  for (const w of report.channels) {
    if (w.flags.length > 0) continue;
    for (const c of w.channels) {
      const group = respondentAtoms(dims, { audience: report.audience, channel: c.channel });
      if (c.responses === null) into.hide(w.waveId, RESPONDENTS, group);
      else into.fact(w.waveId, RESPONDENTS, { atoms: group, n: c.responses });
    }
  }
}

/** The lists the respondents' atoms (`audience|city|channel|day`) run over. */
export interface RespondentDims {
  audiences: readonly string[];
  cities: readonly string[];
  channels: readonly string[];
  days: readonly string[];
}

/** The respondents' atoms of a group: one audience, city, channel or run of days, or all of them. */
function respondentAtoms(
  dims: RespondentDims,
  pick: { audience?: string; city?: string; channel?: string; days?: readonly string[] },
): string[] {
  return (pick.audience ? [pick.audience] : dims.audiences).flatMap((a) =>
    (pick.city ? [pick.city] : dims.cities).flatMap((c) =>
      (pick.channel ? [pick.channel] : dims.channels).flatMap((ch) =>
        (pick.days ?? dims.days).map((d) => `${a}|${c}|${ch}|${d}`),
      ),
    ),
  );
}

/**
 * Every count of the fieldwork report as facts about respondents' atoms (`audience|city|channel|day`
 * over the lists given), the margins within a wave included (the sums over waves are attacked in
 * test/fieldwork/margins-attack.test.ts, which puts all waves in one program).
 */
export function collectFieldwork(into: Collector, report: FieldworkReport, dims: RespondentDims): void {
  const atoms = (pick: Parameters<typeof respondentAtoms>[1]) => respondentAtoms(dims, pick);
  const add = (wave: string, group: string[], n: number | null) => {
    if (n === null) into.hide(wave, RESPONDENTS, group);
    else into.fact(wave, RESPONDENTS, { atoms: group, n });
  };
  for (const w of report.waves) {
    add(w.waveId, atoms({}), w.responses);
    for (const a of w.audiences) {
      add(w.waveId, atoms({ audience: a.audience }), a.responses);
      for (const c of a.cities) add(w.waveId, atoms({ audience: a.audience, city: c.city }), c.responses);
    }
    for (const c of w.channels) add(w.waveId, atoms({ channel: c.channel }), c.responses);
    for (const p of w.periods) {
      add(w.waveId, atoms({ days: dims.days.filter((d) => d >= p.from && d <= p.to) }), p.responses);
      into.fact(w.waveId, RESPONDENTS, { atoms: atoms({ days: dims.days.filter((d) => d <= p.to) }), n: p.cumulative });
    }
    // The hidden groups of a line together, where shown (where hidden they are the hidden total).
    const together = (groups: string[] | undefined, n: number | null | undefined, pick: (g: string) => string[]) => {
      if (groups && typeof n === 'number') into.fact(w.waveId, RESPONDENTS, { atoms: groups.flatMap(pick), n });
    };
    for (const a of w.audiences) {
      together(a.otherCities?.groups, a.otherCities?.responses, (city) => atoms({ audience: a.audience, city }));
    }
    together(w.otherAudiences?.groups, w.otherAudiences?.responses, (audience) => atoms({ audience }));
    together(w.otherChannels?.groups, w.otherChannels?.responses, (channel) => atoms({ channel }));
  }
}
