import { type Counters, parseCellKey } from '../aggregate/contribution.js';
import { gateChannels } from '../disclosure/channel-gate.js';
import { isSmall, periodsOf } from '../disclosure/line.js';
import { type GateCounts, gateWave, RESPONDENTS, type WaveGate } from '../disclosure/wave-gate.js';
import { answeredOf, answerQuestions, questionMeasure } from '../impact/answers.js';
import { type QuotaProgress, quotaProgress } from '../quotas/progress.js';
import type { Quota, QuotaMode } from '../quotas/schema.js';
import type { Audience, SurveyDefinition } from '../survey/schema.js';
import { type AcrossWaves, acrossWaves, hiddenTogether, type Together, withCumulative } from './margins.js';

/**
 * A count as a lead sees it: the number, or null where the disclosure gate hides it (fewer than k
 * respondents, or hidden so that such a group cannot be worked out from the others). Both kinds are
 * shown alike, as telling them apart would narrow the hidden counts down.
 */
export type ShownCount = number | null;

export interface FieldworkWave {
  waveId: string;
  /** Whether the wave collects responses now (open, inside its window). */
  collecting: boolean;
  responses: ShownCount;
  /**
   * Per audience, and per city within it (the cities respondents gave, "_" for none); the cities
   * the gate hides also together, as `otherCities` (see margins.ts).
   */
  audiences: {
    audience: string;
    responses: ShownCount;
    cities: { city: string; responses: ShownCount }[];
    otherCities: Together | undefined;
  }[];
  /** The audiences the gate hides, together. */
  otherAudiences: Together | undefined;
  /** Per channel, all audiences together ("unknown": no registered channel). */
  channels: { channel: string; responses: ShownCount }[];
  otherChannels: Together | undefined;
  /**
   * Responses by runs of days of at least k each (days without a response alone, as 0), with the
   * running total at each one's end: two points of the curve differ by a period, never by less.
   */
  periods: { from: string; to: string; responses: number; cumulative: number }[];
}

export interface FieldworkQuota {
  id: string;
  waveId: string;
  audience: Audience;
  city?: string;
  target: number;
  whenMet: QuotaMode;
  responses: ShownCount;
  /** Null where the count is hidden: "met" would tell that it reached the target. */
  met: boolean | null;
}

export interface FieldworkReport {
  surveyId: string;
  minCellSize: number;
  /** The collecting wave first, then the others newest first, then those without responses yet. */
  waves: FieldworkWave[];
  acrossWaves: AcrossWaves;
  quotas: FieldworkQuota[];
}

/**
 * The gate's counts from a wave's aggregate cells: audience -> measure -> city -> [aware, other],
 * for the respondents, for each indicator of the definition (those who answered it) and for each
 * closed question leads see the answers of (those who answered it), as the impact report's gate
 * counts them from its index (`gateCountsOfIndex`). The measures are needed here too: where they
 * pin an item count, the gate hides cities for the respondents as well, and fieldwork must hide
 * what impact hides. Every city of the campaign is listed, 0 where nobody answered: a 0 is hidden
 * with the rest of a hidden audience.
 */
export function gateCountsOfCells(definition: SurveyDefinition, cells: Map<string, Counters>): GateCounts {
  const measures: { measure: string; count: (counters: Counters) => number }[] = [
    { measure: RESPONDENTS, count: (c) => c.n ?? 0 },
    ...definition.indicators.map((i) => ({ measure: i.id, count: (c: Counters) => c[`@ind#${i.id}#n`] ?? 0 })),
  ];
  const questions = answerQuestions(definition);
  const asked = [...new Set([...questions.values()].flat().map((q) => q.id))];
  const cities = definition.campaign.cities.map((c) => c.code);
  const counts: GateCounts['counts'] = new Map();
  const table = () => new Map(cities.map((c): [string, [number, number]] => [c, [0, 0]]));
  const add = (byCity: Map<string, [number, number]>, city: string, side: 0 | 1, n: number) => {
    const pair = byCity.get(city) ?? [0, 0];
    pair[side] += n;
    byCity.set(city, pair);
  };
  for (const [key, counters] of cells) {
    const { audience, dimensions } = parseCellKey(key);
    let own = counts.get(audience);
    if (!own) {
      own = new Map([
        ...measures.map(({ measure }): [string, Map<string, [number, number]>] => [measure, table()]),
        ...asked.map((id): [string, Map<string, [number, number]>] => [questionMeasure(id), table()]),
      ]);
      counts.set(audience, own);
    }
    const side = dimensions.exposure === 'yes' ? 0 : 1;
    for (const { measure, count } of measures) {
      add(own.get(measure) as Map<string, [number, number]>, dimensions.city, side, count(counters));
    }
    for (const q of questions.get(audience as Audience) ?? []) {
      const byCity = own.get(questionMeasure(q.id)) as Map<string, [number, number]>;
      add(byCity, dimensions.city, side, answeredOf(q, counters));
    }
  }
  return { counts, split: () => false };
}

/** The disclosure gate of a wave's respondents (see shared/disclosure/wave-gate.ts). */
export function respondentsGate(definition: SurveyDefinition, cells: Map<string, Counters>): WaveGate {
  return gateWave(gateCountsOfCells(definition, cells), definition.settings.minCellSize, RESPONDENTS);
}

/** Whether the gate hides a quota's group: the audience's or one city's respondents in its wave. */
export function quotaHidden(quota: Quota, gate: WaveGate): boolean {
  return gate.hidden(quota.audience, RESPONDENTS, quota.city ?? null);
}

/** A quota's progress as leads and admins see it: its group, target and mode, the count unless the gate hides it. */
export function quotaRow({ id, quota, responses, met }: QuotaProgress, hidden: boolean): FieldworkQuota {
  return {
    id,
    waveId: quota.waveId,
    audience: quota.audience,
    ...(quota.city ? { city: quota.city } : {}),
    target: quota.target,
    whenMet: quota.whenMet,
    responses: hidden ? null : responses,
    met: hidden ? null : met,
  };
}

/** A count on its own (no total beside it): hidden from 1 to k-1. */
export function shown(count: number, k: number): ShownCount {
  return isSmall(count, k) ? null : count;
}

/**
 * Every city of the campaign in its order (with 0 where nobody answered yet: where fieldwork is
 * missing is what a lead looks for), then the others counted ("not given" last).
 */
function citiesInOrder(definition: SurveyDefinition, counted: Map<string, number>): string[] {
  const campaign = definition.campaign.cities.map((c) => c.code);
  const others = [...counted.keys()]
    .filter((c) => !campaign.includes(c))
    .sort((a, b) => (a === '_' ? 1 : b === '_' ? -1 : a.localeCompare(b)));
  return [...campaign, ...others];
}

function add(map: Map<string, number>, key: string, by: number): void {
  map.set(key, (map.get(key) ?? 0) + by);
}

/**
 * The order a lead reads the waves in: the one collecting now first (what fieldwork is watched
 * for), then the others newest first (the survey file lists waves in the order they run), then
 * the waves that have no response yet, in the file's order (they are still to come).
 */
export function waveOrder<W extends { waveId: string; collecting: boolean; responses: ShownCount }>(
  waves: readonly W[],
): W[] {
  const started = (w: W) => w.responses !== 0;
  return [
    ...waves.filter((w) => w.collecting),
    ...waves.filter((w) => !w.collecting && started(w)).reverse(),
    ...waves.filter((w) => !w.collecting && !started(w)),
  ];
}

/**
 * Fieldwork from aggregate cells only (never raw responses), through the disclosure gate: per wave
 * its total, per audience and city, per channel, and the days as periods of at least k; the margins
 * of margins.ts from the shown counts. `collecting` names the wave open now.
 */
export function fieldworkReport(
  definition: SurveyDefinition,
  cellsByWave: Map<string, Map<string, Counters>>,
  quotas: Quota[] = [],
  collecting?: string,
): FieldworkReport {
  const k = definition.settings.minCellSize;
  const gates = new Map<string, WaveGate>();
  const waves = definition.waves.map((wave): FieldworkWave => {
    const cells = cellsByWave.get(wave.id) ?? new Map<string, Counters>();
    const gate = respondentsGate(definition, cells);
    gates.set(wave.id, gate);
    const byCity = new Map<string, Map<string, number>>();
    const channels = new Map<string, Map<string, number>>();
    const days: Record<string, number> = {};
    let total = 0;
    for (const [key, counters] of cells) {
      const { audience, dimensions } = parseCellKey(key);
      total += counters.n ?? 0;
      let own = byCity.get(audience);
      if (!own) {
        own = new Map();
        byCity.set(audience, own);
      }
      add(own, dimensions.city, counters.n ?? 0);
      let ownChannels = channels.get(audience);
      if (!ownChannels) {
        ownChannels = new Map();
        channels.set(audience, ownChannels);
      }
      for (const [name, value] of Object.entries(counters)) {
        if (name.startsWith('@channel#')) add(ownChannels, name.slice(9), value);
        if (name.startsWith('@day#')) days[name.slice(5)] = (days[name.slice(5)] ?? 0) + value;
      }
    }
    const totalShown = !isSmall(total, k);
    const responses = totalShown ? total : null;
    // One decision with the impact report's channels per audience (see channel-gate.ts).
    const channelGate = gateChannels(channels, (a) => gate.hidden(a, RESPONDENTS, null), k, totalShown);
    const channelTotals = new Map<string, number>();
    for (const own of channels.values()) for (const [channel, n] of own) add(channelTotals, channel, n);
    const sortedKeys = <V>(map: Map<string, V>) => [...map.keys()].sort((a, b) => a.localeCompare(b));
    const audiences = sortedKeys(byCity).map((audience) => {
      const own = byCity.get(audience) ?? new Map<string, number>();
      const n = [...own.values()].reduce((a, b) => a + b, 0);
      const shownN = gate.hidden(audience, RESPONDENTS, null) ? null : n;
      const cities = citiesInOrder(definition, own).map((city) => ({
        city,
        responses: gate.hidden(audience, RESPONDENTS, city) ? null : (own.get(city) ?? 0),
      }));
      const otherCities = hiddenTogether(
        shownN,
        cities.map((c) => ({ key: c.city, responses: c.responses })),
      );
      return { audience, responses: shownN, cities, otherCities };
    });
    const shownChannels = sortedKeys(channelTotals).map((channel) => ({
      channel,
      responses: channelGate.hidden(channel) ? null : (channelTotals.get(channel) ?? 0),
    }));
    return {
      waveId: wave.id,
      collecting: wave.id === collecting,
      responses,
      audiences,
      otherAudiences: hiddenTogether(
        responses,
        audiences.map((a) => ({ key: a.audience, responses: a.responses })),
      ),
      channels: shownChannels,
      otherChannels: hiddenTogether(
        responses,
        shownChannels.map((c) => ({ key: c.channel, responses: c.responses })),
      ),
      periods: withCumulative(periodsOf(days, k).map(({ from, to, n }) => ({ from, to, responses: n }))),
    };
  });
  const quotaRows = quotaProgress(quotas, cellsByWave).map((p) => {
    const gate = gates.get(p.quota.waveId);
    return quotaRow(p, gate ? quotaHidden(p.quota, gate) : false);
  });
  return {
    surveyId: definition.id,
    minCellSize: k,
    waves: waveOrder(waves),
    acrossWaves: acrossWaves(waves),
    quotas: quotaRows,
  };
}
