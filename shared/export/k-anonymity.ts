import { MISSING_CODES } from './codebook-types.js';
import type { Row } from './rows.js';

/** One generalisation step of a quasi-identifier, e.g. city -> campaign area / outside. */
export interface Hierarchy {
  variable: string;
  /** What the step is called in the disclosure report. */
  description: string;
  generalise(value: number | string): number | string;
}

/** What was done to one audience's rows. */
export interface AudienceDisclosure {
  audience: number;
  rows: number;
  /** Variables generalised for every row of the audience, in the order they were chosen. */
  generalised: string[];
  /** Rows whose quasi-identifiers were all suppressed, and how many values that was. */
  suppressedRows: number;
  suppressedValues: number;
  /** Smallest group of rows sharing all quasi-identifier values, among rows not suppressed (null: none). */
  smallestGroup: number | null;
}

export interface KAnonymityPlan {
  k: number;
  quasiIdentifiers: string[];
  audiences: AudienceDisclosure[];
  /**
   * The row as exported: generalised where its audience was; quasi-identifiers suppressed unless
   * its group was counted at k or more.
   */
  apply(row: Row): Row;
  /** As `apply`, changing and returning `row` itself: for a caller that owns the row and needs no copy. */
  applyInPlace(row: Row): Row;
}

const keyOf = (row: Row, variables: readonly string[]) => JSON.stringify(variables.map((v) => row[v] ?? null));

function suppressedValue(value: number | string | undefined): number | string {
  return typeof value === 'string' ? '' : MISSING_CODES.suppressed.code;
}

/**
 * Plans k-anonymity from a counting pass over the rows (`rows` is iterated once and never kept):
 * per audience, while some rows are in groups below k, hierarchies are applied greedily, each
 * time the one that leaves the fewest rows in groups below k (then the fewest groups), as long as
 * it merges groups; rows still in a group below k then have every quasi-identifier suppressed.
 * Groups are formed by audience and all quasi-identifiers together.
 *
 * Only counts per distinct combination are held, never rows; `apply` is then used in a second
 * pass. A suppressed row is exempt from the k check (its quasi-identifiers carry nothing).
 */
export function planKAnonymity(
  rows: Iterable<Row>,
  quasiIdentifiers: readonly string[],
  hierarchies: readonly Hierarchy[],
  k: number,
): KAnonymityPlan {
  const counter = kAnonymityCounter(quasiIdentifiers);
  for (const row of rows) counter.add(row);
  return counter.plan(hierarchies, k);
}

/**
 * The counting pass of `planKAnonymity` on its own, for rows that arrive asynchronously: `add`
 * each row (only its audience and quasi-identifiers are kept, counted), then `plan`.
 */
export function kAnonymityCounter(quasiIdentifiers: readonly string[]) {
  const counts = new Map<number, Map<string, { row: Row; n: number }>>();
  return {
    add(row: Row): void {
      const audience = Number(row.audience);
      let own = counts.get(audience);
      if (!own) {
        own = new Map();
        counts.set(audience, own);
      }
      const key = keyOf(row, quasiIdentifiers);
      const entry = own.get(key);
      if (entry) entry.n++;
      else own.set(key, { row: Object.fromEntries(quasiIdentifiers.map((v) => [v, row[v] ?? ''])), n: 1 });
    },
    plan(hierarchies: readonly Hierarchy[], k: number): KAnonymityPlan {
      return planFromCounts(counts, quasiIdentifiers, hierarchies, k);
    },
  };
}

function planFromCounts(
  counts: Map<number, Map<string, { row: Row; n: number }>>,
  quasiIdentifiers: readonly string[],
  hierarchies: readonly Hierarchy[],
  k: number,
): KAnonymityPlan {
  const generaliseWith = (row: Row, steps: readonly Hierarchy[]): Row => {
    const out = { ...row };
    for (const h of steps) {
      const value = out[h.variable];
      if (value !== undefined) out[h.variable] = h.generalise(value);
    }
    return out;
  };
  const regroup = (groups: Map<string, { row: Row; n: number }>, steps: readonly Hierarchy[]) => {
    const out = new Map<string, { row: Row; n: number }>();
    for (const { row, n } of groups.values()) {
      const generalised = generaliseWith(row, steps);
      const key = keyOf(generalised, quasiIdentifiers);
      const entry = out.get(key);
      if (entry) entry.n += n;
      else out.set(key, { row: generalised, n });
    }
    return out;
  };
  const below = (groups: Map<string, { n: number }>) =>
    [...groups.values()].reduce((a, g) => a + (g.n < k ? g.n : 0), 0);

  const decisions = new Map<number, { steps: Hierarchy[]; large: Set<string> }>();
  const audiences: AudienceDisclosure[] = [];
  for (const [audience, groups] of [...counts].sort(([a], [b]) => a - b)) {
    const steps: Hierarchy[] = [];
    let current = groups;
    for (;;) {
      const violating = below(current);
      if (violating === 0) break;
      const options = hierarchies
        .filter((h) => !steps.includes(h) && quasiIdentifiers.includes(h.variable))
        .map((h) => ({ h, after: regroup(groups, [...steps, h]) }))
        .map((o) => ({ ...o, violating: below(o.after) }))
        .sort((a, b) => a.violating - b.violating || a.after.size - b.after.size);
      const best = options[0];
      // A step that merges no groups only costs detail; one that merges some may need the next to reach k.
      if (!best || best.after.size >= current.size) break;
      steps.push(best.h);
      current = best.after;
    }
    const large = new Set([...current].filter(([, g]) => g.n >= k).map(([key]) => key));
    const kept = [...current.values()].filter((g) => g.n >= k).map((g) => g.n);
    const suppressedRows = [...current.values()].reduce((a, g) => a + (g.n < k ? g.n : 0), 0);
    decisions.set(audience, { steps, large });
    audiences.push({
      audience,
      rows: [...groups.values()].reduce((a, g) => a + g.n, 0),
      generalised: steps.map((h) => h.variable),
      suppressedRows,
      suppressedValues: suppressedRows * quasiIdentifiers.length,
      smallestGroup: kept.length > 0 ? Math.min(...kept) : null,
    });
  }

  const applyInPlace = (row: Row): Row => {
    const decision = decisions.get(Number(row.audience));
    for (const h of decision?.steps ?? []) {
      const value = row[h.variable];
      if (value !== undefined) row[h.variable] = h.generalise(value);
    }
    // Only groups counted at k or more keep their values: a row that was not counted (it arrived
    // after the counting pass) is suppressed like a row of a small group.
    if (decision?.large.has(keyOf(row, quasiIdentifiers))) return row;
    for (const v of quasiIdentifiers) row[v] = suppressedValue(row[v]);
    return row;
  };
  return {
    k,
    quasiIdentifiers: [...quasiIdentifiers],
    audiences,
    apply: (row) => applyInPlace({ ...row }),
    applyInPlace,
  };
}
