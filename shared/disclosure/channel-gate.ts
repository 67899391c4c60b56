import { protectLine } from './line.js';

/**
 * The gate of a wave's channels: responses per audience and channel (the impact report's channel
 * table of an audience) and per channel for all audiences together (fieldwork's channel line).
 *
 * The two views form one table: audiences are its rows, channels its columns, fieldwork shows the
 * column totals and the audiences' totals are shown (or hidden) by the respondents' gate. Hiding
 * each audience's row like a line of its own is not enough, as a channel's total adds up the
 * audiences' counts. Fieldwork hides a channel B of 3 responses and, to protect it, a channel C of
 * 15 (it shows their 18 together as the wave's total less the other channels); the public shows B
 * as 0 and C as 15, the businesses show C as 0 and hide their B. Then C's total is 15, B's is
 * 18 - 15 = 3, and that is the businesses' B: three businesses who came through channel B.
 *
 * So a channel is hidden all or nothing: where any audience hides its count, every audience's
 * count of it is hidden and so is its total in fieldwork. Then every hidden count lies in a column
 * whose total is hidden too, and the only sums over hidden counts an adversary has are the rows
 * (each protected as a line, see line.ts) and the total of the hidden channels (protected as the
 * line of channels within the wave's total). Each row's hidden counts are tied to nothing else, so
 * they stay as open as that row's line leaves them.
 *
 * Audiences the respondents' gate hides form one row of their own: their counts are never shown,
 * but a shown channel's total less the shown audiences' counts is theirs together, so that row is
 * protected like any other (its total, the hidden audiences' together, is the wave's total less the
 * shown audiences). A count of 0 is shown, and never hidden to protect another.
 */
export interface ChannelGate {
  /** Whether a channel's count of one audience (or its total over all audiences) is hidden. */
  hidden(channel: string, audience?: string): boolean;
}

/** The hidden audiences' row. */
const POOLED = Symbol('hidden audiences');

/**
 * `byAudience`: audience -> channel -> responses. `audienceHidden`: the respondents' gate for each
 * audience's total. `waveShown`: whether the wave's total is shown (a total of 1 to k-1 is not).
 */
export function gateChannels(
  byAudience: ReadonlyMap<string, ReadonlyMap<string, number>>,
  audienceHidden: (audience: string) => boolean,
  k: number,
  waveShown: boolean,
): ChannelGate {
  const rows = new Map<string | typeof POOLED, Map<string, number>>();
  const totals = new Map<string, number>();
  for (const [audience, channels] of byAudience) {
    const key = audienceHidden(audience) ? POOLED : audience;
    const row = rows.get(key) ?? new Map<string, number>();
    rows.set(key, row);
    for (const [channel, n] of channels) {
      row.set(channel, (row.get(channel) ?? 0) + n);
      totals.set(channel, (totals.get(channel) ?? 0) + n);
    }
  }
  // A row whose responses all came through one channel tells that count by its total: it cannot
  // be hidden, so it is not (the hidden audiences' row is never shown, but it is known all the same).
  const known = new Map<Map<string, number>, string>();
  for (const row of rows.values()) {
    const nonzero = [...row].filter(([, n]) => n > 0);
    const [only] = nonzero;
    if (nonzero.length === 1 && only) known.set(row, only[0]);
  }
  const isKnown = (row: Map<string, number>, channel: string) => known.get(row) === channel;
  // A channel whose every response is known that way has a known total: it protects nothing in
  // fieldwork's line, which is decided over the other channels (their total is the wave's less it).
  const open = new Map(
    [...totals].filter(
      ([channel, n]) =>
        n === 0 || [...rows.values()].some((row) => (row.get(channel) ?? 0) > 0 && !isKnown(row, channel)),
    ),
  );
  const line = (counts: ReadonlyMap<string, number>) => [...counts].map(([key, n]) => ({ key, n }));
  let hidden = protectLine(line(open), k, { totalShown: waveShown });
  // Each round only adds hidden channels, so this ends (after at most one round per channel).
  for (;;) {
    const more = new Set(hidden);
    for (const [key, row] of rows) {
      // The pooled row's total is the wave's less the shown audiences': shown when the wave's is.
      const rowShown = key === POOLED ? waveShown : true;
      const cells = [...row].filter(([channel]) => !isKnown(row, channel));
      const inHidden = cells.filter(([channel, n]) => n > 0 && hidden.has(channel)).map(([channel]) => channel);
      for (const channel of protectLine(line(new Map(cells)), k, { totalShown: rowShown, hidden: inHidden })) {
        if ((row.get(channel) ?? 0) > 0) more.add(channel);
      }
    }
    const next = protectLine(line(open), k, { totalShown: waveShown, hidden: more });
    if (next.size === hidden.size) break;
    hidden = next;
  }
  return {
    hidden(channel, audience) {
      if (audience === undefined) return hidden.has(channel);
      if (audienceHidden(audience)) return true;
      const row = rows.get(audience);
      const n = row?.get(channel) ?? 0;
      return n > 0 && hidden.has(channel) && !(row && isKnown(row, channel));
    },
  };
}
