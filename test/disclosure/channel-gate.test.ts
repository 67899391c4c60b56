import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gateChannels } from '../../shared/disclosure/channel-gate.js';
import { isSmall, protectLine } from '../../shared/disclosure/line.js';
import { attack, type Fact } from '../setup/disclosure-attack.js';

const K = 10;
type Table = Map<string, Map<string, number>>;
const table = (rows: Record<string, Record<string, number>>): Table =>
  new Map(Object.entries(rows).map(([audience, channels]) => [audience, new Map(Object.entries(channels))]));

const sum = (xs: Iterable<number>) => [...xs].reduce((a, b) => a + b, 0);
const channelsOf = (t: Table) => [...new Set([...t.values()].flatMap((row) => [...row.keys()]))].sort();

/** The audiences' line within the wave's total, as the respondents' gate decides it. */
function audiencesHidden(t: Table): Set<string> {
  const totals = [...t].map(([key, row]) => ({ key, n: sum(row.values()) }));
  return protectLine(totals, K, { totalShown: !isSmall(sum(totals.map((r) => r.n)), K) });
}

/** What a channel gate decides, as views show it: each audience's counts and the channels' totals. */
interface Decision {
  cell(audience: string, channel: string): boolean;
  total(channel: string): boolean;
}

function gated(t: Table): Decision {
  const hiddenAudiences = audiencesHidden(t);
  const total = sum([...t.values()].flatMap((row) => [...row.values()]));
  const gate = gateChannels(t, (a) => hiddenAudiences.has(a), K, !isSmall(total, K));
  return { cell: (a, c) => gate.hidden(c, a), total: (c) => gate.hidden(c) };
}

/** Each audience's channels hidden as a line of its own, and fieldwork's line apart: what the gate replaces. */
function naive(t: Table): Decision {
  const hiddenAudiences = audiencesHidden(t);
  const totals = channelsOf(t).map((key) => ({ key, n: sum([...t.values()].map((row) => row.get(key) ?? 0)) }));
  const wave = sum(totals.map((c) => c.n));
  const line = protectLine(totals, K, { totalShown: !isSmall(wave, K) });
  const rows = new Map(
    [...t].map(([a, row]) => [
      a,
      protectLine(
        [...row].map(([key, n]) => ({ key, n })),
        K,
        { totalShown: true },
      ),
    ]),
  );
  return {
    cell: (a, c) => hiddenAudiences.has(a) || (rows.get(a)?.has(c) ?? false),
    total: (c) => line.has(c),
  };
}

/**
 * The adversary: every count shown (the wave's and audiences' totals, fieldwork's channel totals,
 * each audience's channel counts) as facts about the cells, solved by linear programming for every
 * hidden cell and every cell of 1 to k-1. Returns what it pinned: a count recovered exactly, or one
 * of 1 to k-1 narrowed to fewer than k/2 possible counts.
 */
function pinned(t: Table, decision: Decision): string[] {
  const audiences = [...t.keys()];
  const channels = channelsOf(t);
  const atom = (a: string, c: string) => `${a}|${c}`;
  const n = (a: string, c: string) => t.get(a)?.get(c) ?? 0;
  const hiddenAudiences = audiencesHidden(t);
  const facts: Fact[] = [
    {
      atoms: audiences.flatMap((a) => channels.map((c) => atom(a, c))),
      n: sum([...t.values()].flatMap((r) => [...r.values()])),
    },
  ];
  const hidden: string[][] = [];
  for (const a of audiences) {
    if (!hiddenAudiences.has(a))
      facts.push({ atoms: channels.map((c) => atom(a, c)), n: sum(channels.map((c) => n(a, c))) });
  }
  for (const c of channels) {
    const column = audiences.map((a) => atom(a, c));
    if (decision.total(c)) hidden.push(column);
    else facts.push({ atoms: column, n: sum(audiences.map((a) => n(a, c))) });
  }
  const targets: string[][] = [];
  for (const a of audiences) {
    for (const c of channels) {
      if (decision.cell(a, c)) targets.push([atom(a, c)]);
      else if (!hiddenAudiences.has(a)) facts.push({ atoms: [atom(a, c)], n: n(a, c) });
      if (isSmall(n(a, c), K)) targets.push([atom(a, c)]);
    }
  }
  const ranges = attack(facts, { lo: 0, hi: 0 }, targets, hidden, { integer: true });
  return targets.flatMap((group, i) => {
    const [a = '', c = ''] = (group[0] ?? '').split('|');
    const truth = n(a, c);
    const range = ranges[i]?.n;
    if (!range || truth === 0) return [];
    const width = range.hi - range.lo;
    if (width < 1) return [`${a} ${c}: ${truth} recovered`];
    if (isSmall(truth, K) && width + 1 < K / 2) return [`${a} ${c}: ${truth} narrowed to ${range.lo}..${range.hi}`];
    return [];
  });
}

describe('gateChannels: the channels of every audience and their totals as one table', () => {
  // Fieldwork hides B (3) and, to protect it, C (15); the public shows B as 0 and C as 15, the
  // businesses C as 0 and hide their B. C's total is then 15, B's the hidden 18 less 15.
  const example = table({
    public: { A: 30, B: 0, C: 15 },
    business: { A: 10, B: 3, C: 0 },
  });

  it('is needed: with each audience protected on its own, the small business count through B comes back', () => {
    expect(pinned(example, naive(example))).toContain('business B: 3 recovered');
  });

  it('hides a channel for every audience, and in its total, where any audience hides it', () => {
    const decision = gated(example);
    expect(['A', 'B', 'C'].map((c) => decision.total(c))).toEqual([true, true, true]);
    expect(decision.cell('public', 'A')).toBe(true);
    // A 0 is shown: it is about nobody.
    expect(decision.cell('public', 'B')).toBe(false);
    expect(pinned(example, decision)).toEqual([]);
  });

  it('keeps a channel every audience shows, and its total', () => {
    // The public's C (3) is hidden, and its B (12) to protect it; nobody else came through B or C.
    const t = table({ public: { A: 40, B: 12, C: 3, D: 30 }, business: { A: 20, B: 0, C: 0, D: 25 } });
    const decision = gated(t);
    expect(['A', 'B', 'C', 'D'].map((c) => decision.total(c))).toEqual([false, true, true, false]);
    expect(['A', 'B', 'C', 'D'].map((c) => decision.cell('public', c))).toEqual([false, true, true, false]);
    expect(['A', 'B', 'C', 'D'].map((c) => decision.cell('business', c))).toEqual([false, false, false, false]);
    expect(pinned(t, decision)).toEqual([]);
  });

  it("shows an audience's count where all its responses came through one hidden channel (its total tells it anyway)", () => {
    // The businesses' four small counts hide every channel; the public's 10 all came through B.
    const t = table({
      public: { A: 0, B: 10, C: 0, D: 0 },
      business: { A: 1, B: 4, C: 2, D: 3 },
      multiplier: { A: 1, B: 0, C: 10, D: 0 },
    });
    const decision = gated(t);
    expect(decision.total('B')).toBe(true);
    expect(decision.cell('public', 'B')).toBe(false);
    expect(decision.cell('business', 'B')).toBe(true);
    expect(pinned(t, decision)).toEqual([]);
  });

  // Integer programs for every count of 40 tables: seconds, more on a busy machine.
  it('pins no count of any audience through any channel, on random tables (property)', () => {
    const count = fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 10, max: 60 }));
    const row = fc.tuple(count, count, count, count);
    fc.assert(
      fc.property(fc.tuple(row, row, fc.tuple(count, count, count, fc.constant(0))), (rows) => {
        const t = table(
          Object.fromEntries(
            ['public', 'business', 'multiplier'].map((a, i) => [
              a,
              Object.fromEntries(['A', 'B', 'C', 'D'].map((c, j) => [c, rows[i]?.[j] ?? 0])),
            ]),
          ),
        );
        expect(pinned(t, gated(t))).toEqual([]);
      }),
      { numRuns: 40, seed: 2026 },
    );
  }, 60_000);
});
