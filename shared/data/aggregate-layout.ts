import type { Counters } from '../aggregate/contribution.js';

/**
 * How an aggregate cell is laid out in items: the counters of one cell and shard are split into
 * parts `{cellKey}`, `{cellKey}#p1`, ... so that each part's update expression stays far below
 * DynamoDB's 4 KB expression limit. Reads sum all parts; the write path and the rebuild split alike.
 */

/** Counters per aggregate item part. */
const COUNTERS_PER_ITEM = 120;

const PART_SUFFIX = /#p\d+$/;

/**
 * Splits counters into item parts. `n` always leads part 0, so every response's `ADD` changes
 * `n` of its cell's first item: a rebuild detects a response that landed meanwhile by that alone.
 */
export function counterParts(counters: Counters): Counters[] {
  const entries = Object.entries(counters).sort(([a], [b]) => (a === 'n' ? -1 : b === 'n' ? 1 : a.localeCompare(b)));
  const parts: Counters[] = [];
  for (let i = 0; i < entries.length; i += COUNTERS_PER_ITEM) {
    parts.push(Object.fromEntries(entries.slice(i, i + COUNTERS_PER_ITEM)));
  }
  return parts;
}

/** Sort key of one part of a cell. */
export function partSortKey(cell: string, part: number): string {
  return part === 0 ? cell : `${cell}#p${part}`;
}

/** The cell a part's sort key belongs to. */
export function cellOfSortKey(sk: string): string {
  return sk.replace(PART_SUFFIX, '');
}

/** The counters of a stored aggregate item: every numeric attribute besides the keys. */
export function countersOf(item: Record<string, unknown>): Counters {
  const counters: Counters = {};
  for (const [name, value] of Object.entries(item)) {
    if (name !== 'pk' && name !== 'sk' && typeof value === 'number') counters[name] = value;
  }
  return counters;
}
