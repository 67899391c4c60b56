/**
 * Suppression in one line of a table: cells that add up to a total shown beside them (the cities
 * of an audience, the days of a wave). A cell of 1 to k-1 respondents is hidden (primary). While
 * the total is shown, hidden cells must not be worked out by subtraction, so more are hidden
 * (secondary), the smallest first, until at least two are hidden and together they hold at least
 * k respondents (k + h - 2 for h hidden cells): the total minus the shown cells is then a group of
 * k or more, and each hidden cell could be anything from 1 to k-1 or more. Cells of 0 are shown as
 * 0 (they hold nobody) and never serve as a complement: hiding a 0 would protect nothing.
 */
export interface LineCell {
  key: string;
  n: number;
}

/** A count below k that is not 0: a figure about fewer than k people. */
export const isSmall = (n: number, k: number) => n > 0 && n < k;

export function protectLine(
  cells: readonly LineCell[],
  k: number,
  options: { totalShown: boolean; hidden?: Iterable<string> },
): Set<string> {
  const hidden = new Set<string>(options.hidden ?? []);
  for (const cell of cells) if (isSmall(cell.n, k)) hidden.add(cell.key);
  if (!options.totalShown || hidden.size === 0) return hidden;
  const sum = () => cells.reduce((a, c) => a + (hidden.has(c.key) ? c.n : 0), 0);
  const candidates = cells
    .filter((c) => !hidden.has(c.key) && c.n > 0)
    .sort((a, b) => a.n - b.n || a.key.localeCompare(b.key));
  // A hidden cell is known to hold someone (zeros are shown), so with h cells hiding a sum S each
  // could be 1 to S - (h - 1): that range must not be narrower than "1 to k-1".
  const safe = () => hidden.size >= 2 && sum() >= k + hidden.size - 2;
  for (const cell of candidates) {
    if (safe()) break;
    hidden.add(cell.key);
  }
  return hidden;
}

/** A run of consecutive days shown as one figure. */
export interface Period {
  from: string;
  to: string;
  n: number;
}

/**
 * Days merged into periods of at least k responses, in order, so that no figure and no difference
 * of two (as a cumulative count would give) is about fewer than k people; a period that would end
 * with fewer than k joins the one before. Days without a response stay days of their own (0).
 * With fewer than k in all (none included), nothing is shown.
 */
export function periodsOf(days: Readonly<Record<string, number>>, k: number): Period[] {
  if (Object.values(days).reduce((a, n) => a + n, 0) < k) return [];
  const periods: Period[] = [];
  let open: Period | undefined;
  for (const [day, n] of Object.entries(days).sort(([a], [b]) => a.localeCompare(b))) {
    if (n === 0 && !open) {
      periods.push({ from: day, to: day, n: 0 });
      continue;
    }
    open = open ? { ...open, to: day, n: open.n + n } : { from: day, to: day, n };
    if (open.n >= k) {
      periods.push(open);
      open = undefined;
    }
  }
  if (open) {
    const last = [...periods].reverse().find((p) => p.n > 0) as Period;
    // The remainder is too small to stand alone: it joins the last period with responses.
    const at = periods.lastIndexOf(last);
    periods.splice(at, periods.length - at, { from: last.from, to: open.to, n: last.n + open.n });
  }
  return periods;
}
