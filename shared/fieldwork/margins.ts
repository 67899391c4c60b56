import type { ShownCount } from './report.js';

/**
 * Margins of the fieldwork report that tell nothing the report does not already show: each is
 * computed from the shown counts alone (never from the cells), so it is a sum or difference of
 * figures a lead can read anyway, and no hidden group can be narrowed by it. What they save is the
 * arithmetic, and a table of "–" rows where the gate hides most groups of a line.
 *
 * What is deliberately not offered: a margin that is not such a sum. The responses of an audience
 * across waves, say, where one wave hides that audience's count, would give that count back as the
 * margin less the other waves; and any margin that crosses a table the gate decided on its own
 * (cities across audiences, channels per audience) is a new table that no gate has checked.
 */

/** The groups a line hides, together: which they are, and their sum where it follows from the total. */
export interface Together {
  groups: string[];
  /** The total less the shown groups; null where the total is hidden (then nothing may be added). */
  responses: ShownCount;
}

/**
 * The hidden groups of a line (the cities of an audience, the audiences or channels of a wave)
 * as one row. The gate hides at least two groups holding k or more together while the total is
 * shown, so this row is itself about k or more; where the total is hidden it stays hidden.
 * Undefined where nothing is hidden.
 */
export function hiddenTogether(
  total: ShownCount,
  rows: readonly { key: string; responses: ShownCount }[],
): Together | undefined {
  const groups = rows.filter((r) => r.responses === null).map((r) => r.key);
  if (groups.length === 0) return undefined;
  const shown = rows.reduce((sum, r) => sum + (r.responses ?? 0), 0);
  return { groups, responses: total === null ? null : total - shown };
}

/** Responses per audience over all waves, and all audiences together. */
export interface AcrossWaves {
  responses: ShownCount;
  audiences: { audience: string; responses: ShownCount }[];
  otherAudiences: Together | undefined;
}

/**
 * The waves' shown counts added up per audience. An audience's sum is shown only where every wave
 * shows its count (a wave without it counts 0: it is not listed there because nobody answered);
 * the total only where every wave's total is shown. The audiences without a sum are collapsed like
 * a line's hidden groups: the total less the shown sums, each a sum of shown counts.
 */
export function acrossWaves(
  waves: readonly { responses: ShownCount; audiences: readonly { audience: string; responses: ShownCount }[] }[],
): AcrossWaves {
  const names = [...new Set(waves.flatMap((w) => w.audiences.map((a) => a.audience)))].sort((a, b) =>
    a.localeCompare(b),
  );
  const add = (counts: ShownCount[]): ShownCount =>
    counts.some((c) => c === null) ? null : counts.reduce<number>((sum, c) => sum + (c ?? 0), 0);
  const responses = add(waves.map((w) => w.responses));
  const countIn = (wave: (typeof waves)[number], audience: string): ShownCount => {
    const row = wave.audiences.find((a) => a.audience === audience);
    return row ? row.responses : 0;
  };
  const audiences = names.map((audience) => ({ audience, responses: add(waves.map((w) => countIn(w, audience))) }));
  return {
    responses,
    audiences,
    otherAudiences: hiddenTogether(
      responses,
      audiences.map((a) => ({ key: a.audience, responses: a.responses })),
    ),
  };
}

/** Periods with the running total at each one's end, for the cumulative curve. */
export function withCumulative<P extends { responses: number }>(periods: readonly P[]): (P & { cumulative: number })[] {
  let cumulative = 0;
  return periods.map((p) => {
    cumulative += p.responses;
    return { ...p, cumulative };
  });
}
