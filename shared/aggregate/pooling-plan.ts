import { MISSING } from '../response/build.js';
import { type Counters, DIMENSION_ORDER, parseCellKey } from './contribution.js';

/*
 * Which aggregate cells past retention are pooled into which coarser cell (see
 * `shared/data/cell-pooling.ts`, which moves them). Pure: the same cells plan the same moves.
 */

/** The cell key with its last `level` dimensions (in `DIMENSION_ORDER`) as "not stated". */
export function coarsened(key: string, level: number): string {
  const { audience, dimensions } = parseCellKey(key);
  const values = DIMENSION_ORDER.map((d, i) => (i >= DIMENSION_ORDER.length - level ? MISSING : dimensions[d]));
  return [audience, ...values].join('|');
}

/** Whether every response a cell counts was given on a day past retention. */
export function pastRetention(counters: Counters, isExpiredDay: (day: string) => boolean): boolean {
  const days = Object.keys(counters).filter((c) => c.startsWith('@day#') && (counters[c] ?? 0) > 0);
  return days.length > 0 && days.every((c) => isExpiredDay(c.slice('@day#'.length)));
}

/**
 * Where each cell goes: a map from a cell that moves to the cell it is pooled into. Deterministic
 * (cells are visited in key order), so two runs on the same cells plan the same moves.
 */
export function planPooling(
  cells: ReadonlyMap<string, Counters>,
  k: number,
  isExpiredDay: (day: string) => boolean,
): { moves: Map<string, string>; leftUnderK: number } {
  // A group: the cells pooled so far at one key; `live` when any of them still has a day within retention.
  const groups = new Map<string, { members: string[]; n: number; live: boolean }>();
  for (const key of [...cells.keys()].sort()) {
    const counters = cells.get(key) ?? {};
    groups.set(key, { members: [key], n: counters.n ?? 0, live: !pastRetention(counters, isExpiredDay) });
  }
  for (let level = 1; level <= DIMENSION_ORDER.length; level++) {
    for (const key of [...groups.keys()].sort()) {
      const group = groups.get(key);
      if (!group || group.live || group.n >= k) continue;
      const target = coarsened(key, level);
      if (target === key) continue;
      const into = groups.get(target) ?? { members: [], n: 0, live: false };
      groups.set(target, { members: [...into.members, ...group.members], n: into.n + group.n, live: into.live });
      groups.delete(key);
    }
  }
  const moves = new Map<string, string>();
  let leftUnderK = 0;
  for (const [key, group] of groups) {
    for (const member of group.members) if (member !== key) moves.set(member, key);
    if (!group.live && group.n < k && group.n > 0) leftUnderK++;
  }
  return { moves, leftUnderK };
}
