import { MISSING_CODES } from './codebook-types.js';
import type { Row } from './rows.js';

/** One generalisation step of a quasi-identifier, e.g. city -> campaign area / outside. */
export interface Hierarchy {
  variable: string;
  /** What the step is called in the disclosure report. */
  description: string;
  generalise(value: number | string): number | string;
  /**
   * The step merges every value of the variable into one for the whole audience and wave (the top
   * of its hierarchy). It is taken only where it saves more quasi-identifier values from
   * suppression than it merges; a step to groups is taken wherever it merges groups.
   */
  merges?: boolean;
}

/**
 * One pass of the anonymisation. The first pass is the survey's own profile (its k and its
 * period); a release that asks for less detail (a higher k, the wave instead of the week) adds a
 * second pass that starts from what the first one decided, so it can only coarsen: every release
 * of the same rows is then a coarsening of the first, and combining them tells nothing the first
 * did not (see docs/privacy.md, "Several exports of the same wave").
 */
export interface AnonymisationPass {
  k: number;
  /** Steps applied to every row before the pass, whatever they cost (e.g. the week dropped). */
  require?: readonly Hierarchy[];
}

/** What was done to the rows of one partition: one audience in one wave. */
export interface PartitionDisclosure {
  audience: number;
  wave: number;
  /** Which questions shown only for some quasi-identifier values the rows answer (1) or not (0), in order. */
  shown: string;
  /** Rows (responses) of the partition before anything was left out. */
  rows: number;
  /** Variables generalised for every row of the partition, in the order they were chosen. */
  generalised: string[];
  /** Rows written with every quasi-identifier suppressed, and how many values that was. */
  suppressedRows: number;
  suppressedValues: number;
  /**
   * Rows left out: rows with every quasi-identifier suppressed form a group of their own (the
   * partition's "pool"), and a pool smaller than k would single its rows out.
   */
  droppedRows: number;
  /** Smallest group of rows sharing all quasi-identifier values, among rows neither suppressed nor left out. */
  smallestGroup: number | null;
}

export interface KAnonymityPlan {
  /** The k every written row satisfies (that of the last pass). */
  k: number;
  quasiIdentifiers: string[];
  partitions: PartitionDisclosure[];
  /**
   * The row as exported: generalised where its partition was, quasi-identifiers suppressed unless
   * its group was counted at k or more; undefined when the row is left out.
   */
  apply(row: Row): Row | undefined;
  /** As `apply`, changing and returning `row` itself: for a caller that owns the row and needs no copy. */
  applyInPlace(row: Row): Row | undefined;
  /**
   * What the first pass decided for one wave (every audience), as sorted lines: the steps and each
   * combination's count and outcome. Equal lines, equal release; a digest of them fixes a release.
   */
  baseOutcome(wave: number): string[];
}

/**
 * Rows are anonymised per audience and wave (the wave is known to anyone who knows when the poster
 * hung), and apart by which of the `visible` questions they show an answer to: a question shown
 * only to some values of a quasi-identifier (only pupils are asked about an apprenticeship) gives
 * that value back by being answered, whatever the quasi-identifier's own column says.
 */
const partitionOf = (row: Row, visible: readonly string[]) =>
  `${Number(row.audience)}|${Number(row.wave)}|${visible.map((v) => (row[v] === MISSING_CODES.noAnswer.code || row[v] === '' ? 0 : 1)).join('')}`;

const keyOf = (row: Row, variables: readonly string[]) => JSON.stringify(variables.map((v) => row[v] ?? null));

function suppressedValue(value: number | string | undefined): number | string {
  return typeof value === 'string' ? '' : MISSING_CODES.suppressed.code;
}

/** Rows that share the same quasi-identifier values before anonymisation, and what became of them. */
interface Combination {
  values: Row;
  n: number;
  status: 'kept' | 'suppressed' | 'dropped';
}

/**
 * Plans k-anonymity from a counting pass over the rows (`rows` is iterated once and never kept).
 * Each partition (audience x wave) is planned on its own, so a wave's release depends only on that
 * wave's rows: a closed wave gives the same release every time. Per partition and pass: while some
 * rows are in groups below k, hierarchies are applied greedily, each time the one that leaves the
 * fewest rows in groups below k (then the fewest groups), as long as it merges groups; rows still
 * in a group below k then have every quasi-identifier suppressed. Those rows form a group of their
 * own (nothing tells them apart but their answers): when it has fewer than k rows they are left
 * out. Groups are formed by audience, wave and all quasi-identifiers together.
 *
 * Only counts per distinct combination are held, never rows; `apply` is then used in a second pass.
 */
export function planKAnonymity(
  rows: Iterable<Row>,
  quasiIdentifiers: readonly string[],
  hierarchies: readonly Hierarchy[],
  passes: number | readonly AnonymisationPass[],
  visible: readonly string[] = [],
  keep: readonly string[] = [],
): KAnonymityPlan {
  const counter = kAnonymityCounter(quasiIdentifiers, visible, keep);
  for (const row of rows) counter.add(row);
  return counter.plan(hierarchies, passes);
}

/**
 * The counting pass of `planKAnonymity` on its own, for rows that arrive asynchronously: `add`
 * each row (only its audience, wave and quasi-identifiers are kept, counted), then `plan`.
 */
export function kAnonymityCounter(
  quasiIdentifiers: readonly string[],
  visible: readonly string[] = [],
  keep: readonly string[] = [],
) {
  const counts = new Map<string, Map<string, Combination>>();
  return {
    add(row: Row): void {
      const partition = partitionOf(row, visible);
      let own = counts.get(partition);
      if (!own) {
        own = new Map();
        counts.set(partition, own);
      }
      const key = keyOf(row, quasiIdentifiers);
      const entry = own.get(key);
      if (entry) entry.n++;
      else {
        const values = Object.fromEntries(quasiIdentifiers.map((v) => [v, row[v] ?? '']));
        own.set(key, { values, n: 1, status: 'kept' });
      }
    },
    plan(hierarchies: readonly Hierarchy[], passes: number | readonly AnonymisationPass[]): KAnonymityPlan {
      const list = typeof passes === 'number' ? [{ k: passes }] : passes;
      if (list.length === 0) throw new Error('k-anonymity needs at least one pass');
      return planFromCounts(counts, quasiIdentifiers, hierarchies, list, visible, keep);
    },
  };
}

/** What one partition's passes decided: the steps, and each original combination's outcome. */
interface PartitionDecision {
  steps: Hierarchy[];
  combinations: Map<string, Combination>;
  /** What the first pass (the survey file's own profile) decided, as sorted lines: see `baseOutcome`. */
  base: string[];
}

/** Information lost per value: by a step to groups, by merging the variable away (or suppressing it). */
const GROUPED_LOSS = 0.5;
const MERGED_LOSS = 1;
/**
 * How much more a value of a variable the survey asks to keep (`settings.export.keep`, e.g. the
 * commune of a survey compared per commune) is worth: generalising or suppressing it loses this
 * many times as much, so the plan gives up other variables first. Any plan is k-anonymous; this
 * only chooses among them.
 */
const KEEP_WEIGHT = 4;

/**
 * Each quasi-identifier's generalisation steps as a chain from its own values to the coarsest
 * (steps to groups first, in the order given, then the merge): level 0 is the value itself, level
 * i the value after the first i steps.
 */
function chainsOf(quasiIdentifiers: readonly string[], hierarchies: readonly Hierarchy[]): Hierarchy[][] {
  return quasiIdentifiers.map((v) => {
    const own = hierarchies.filter((h) => h.variable === v);
    return [...own.filter((h) => !h.merges), ...own.filter((h) => h.merges)];
  });
}

/**
 * Plans one partition, pass by pass, by top-down specialisation: start with every
 * quasi-identifier at the top of its chain (as coarse as it gets, no finer than the previous pass
 * left it), then undo one step at a time, each time the one that lowers the information lost the
 * most, and stop when no step lowers it. The information lost counts, per row, 0.5 for a value put
 * into a group, 1 for a value merged away, and 1 for each quasi-identifier of a row left in a group
 * below k (it will be suppressed). Rows suppressed or left out by an earlier pass stay so.
 *
 * Starting from the top finds good releases where a bottom-up greedy gets stuck: in a small
 * partition every row is unique, and no single step on its own makes a group reach k.
 */
function planPartition(
  combinations: Map<string, Combination>,
  quasiIdentifiers: readonly string[],
  hierarchies: readonly Hierarchy[],
  passes: readonly AnonymisationPass[],
  keep: readonly string[],
): PartitionDecision {
  const chains = chainsOf(quasiIdentifiers, hierarchies);
  const weights = quasiIdentifiers.map((v) => (keep.includes(v) ? KEEP_WEIGHT : 1));
  // A row whose group stays below k loses every quasi-identifier value.
  const suppressedLoss = weights.reduce((a, w) => a + w, 0);
  const entries = [...combinations.values()];
  // The search below counts groups for many states, each over every combination: each value at
  // each level of its chain is numbered per variable once (as a string: 1 and "1" are one value,
  // as everywhere else), and codes and losses are laid out flat, so that a state's groups are
  // counted with numbers only.
  // The values as counted (a pass replaces a combination's values with its generalised ones).
  const originals = entries.map((c) => c.values);
  const ladderOf = (e: number, v: number, upTo: number): (number | string)[] => {
    const values = [originals[e]?.[quasiIdentifiers[v] as string] ?? ''];
    const chain = chains[v] as Hierarchy[];
    for (let level = 0; level < upTo; level++) {
      values.push((chain[level] as Hierarchy).generalise(values[level] as number | string));
    }
    return values;
  };
  const numbering = chains.map(() => new Map<string, number>());
  const width = Math.max(1, ...chains.map((chain) => chain.length + 1));
  const stride = chains.length * width;
  const codes = new Int32Array(entries.length * stride);
  const losses = new Float64Array(entries.length * stride);
  entries.forEach((_, e) => {
    chains.forEach((chain, v) => {
      const own = numbering[v] as Map<string, number>;
      const ladder = ladderOf(e, v, chain.length);
      ladder.forEach((value, level) => {
        let code = own.get(String(value));
        if (code === undefined) {
          code = own.size;
          own.set(String(value), code);
        }
        codes[e * stride + v * width + level] = code;
        // Per row: 0.5 for a value put into a group, 1 for a value merged away, 0 where unchanged.
        const changed = level > 0 && value !== ladder[0];
        const loss = !changed ? 0 : chain[level - 1]?.merges ? MERGED_LOSS : GROUPED_LOSS;
        losses[e * stride + v * width + level] = loss * (weights[v] as number);
      });
    });
  });
  const radices = numbering.map((own) => Math.max(1, own.size));
  const numeric = radices.reduce((a, r) => a * r, 1) < Number.MAX_SAFE_INTEGER;
  const keyAt = (e: number, levels: readonly number[]): number | string => {
    const at = e * stride;
    if (!numeric) return levels.map((level, v) => codes[at + v * width + level]).join(',');
    let key = 0;
    for (let v = 0; v < levels.length; v++) {
      key = key * (radices[v] as number) + (codes[at + v * width + (levels[v] as number)] as number);
    }
    return key;
  };
  /** The information a state loses over the kept rows, and its groups. */
  const cost = (levels: readonly number[], k: number, kept: readonly number[]) => {
    const groups = new Map<number | string, number>();
    const keys: (number | string)[] = new Array(kept.length);
    for (let i = 0; i < kept.length; i++) {
      const e = kept[i] as number;
      const key = keyAt(e, levels);
      keys[i] = key;
      groups.set(key, (groups.get(key) ?? 0) + (entries[e] as Combination).n);
    }
    let loss = 0;
    for (let i = 0; i < kept.length; i++) {
      const e = kept[i] as number;
      const { n } = entries[e] as Combination;
      if ((groups.get(keys[i] as number | string) ?? 0) < k) {
        loss += n * suppressedLoss;
        continue;
      }
      const at = e * stride;
      let own = 0;
      for (let v = 0; v < levels.length; v++) own += losses[at + v * width + (levels[v] as number)] as number;
      loss += n * own;
    }
    return { loss, groups };
  };
  const keptNow = () => entries.flatMap((c, e) => (c.status === 'kept' ? [e] : []));

  let floor = quasiIdentifiers.map(() => 0);
  let base: string[] = [];
  for (const pass of passes) {
    // Steps this pass must take whatever they cost (e.g. the week, for a release of the wave only).
    for (const step of pass.require ?? []) {
      const v = quasiIdentifiers.indexOf(step.variable);
      const level = (chains[v]?.indexOf(step) ?? -1) + 1;
      if (v >= 0 && level > 0) floor[v] = Math.max(floor[v] as number, level);
    }
    let levels = chains.map((chain, v) => Math.max(chain.length, floor[v] as number));
    const kept = keptNow();
    let current = cost(levels, pass.k, kept);
    for (;;) {
      let best: { levels: number[]; loss: number; groups: Map<number | string, number> } | undefined;
      for (let v = 0; v < levels.length; v++) {
        if ((levels[v] as number) <= (floor[v] as number)) continue;
        const finer = levels.map((level, i) => (i === v ? level - 1 : level));
        const after = cost(finer, pass.k, kept);
        if (after.loss < (best?.loss ?? current.loss)) best = { levels: finer, ...after };
      }
      if (!best) break;
      levels = best.levels;
      current = best;
    }
    for (const e of kept) {
      const c = entries[e] as Combination;
      if ((current.groups.get(keyAt(e, levels)) ?? 0) < pass.k) c.status = 'suppressed';
      else
        c.values = Object.fromEntries(
          quasiIdentifiers.map((v, i) => [v, ladderOf(e, i, levels[i] as number)[levels[i] as number] ?? '']),
        );
    }
    // The suppressed rows are a group of their own: smaller than k, it would single them out.
    const pool = entries.filter((c) => c.status === 'suppressed');
    const pooled = pool.reduce((a, c) => a + c.n, 0);
    if (pooled > 0 && pooled < pass.k) for (const c of pool) c.status = 'dropped';
    floor = levels;
    if (pass === passes[0]) {
      base = [
        `levels ${JSON.stringify(levels)}`,
        ...[...combinations].map(([key, c]) => `${key} ${c.n} ${c.status} ${keyOf(c.values, quasiIdentifiers)}`).sort(),
      ];
    }
  }
  // The steps that changed some row's value (a step on a question the audience is not asked changes none).
  const steps = chains.flatMap((chain, v) =>
    entries.some((c, e) => c.status === 'kept' && (losses[e * stride + v * width + (floor[v] as number)] as number) > 0)
      ? chain.slice(0, floor[v])
      : [],
  );
  return { steps, combinations, base };
}

function planFromCounts(
  counts: Map<string, Map<string, Combination>>,
  quasiIdentifiers: readonly string[],
  hierarchies: readonly Hierarchy[],
  passes: readonly AnonymisationPass[],
  visible: readonly string[],
  keep: readonly string[],
): KAnonymityPlan {
  const decisions = new Map<string, PartitionDecision>();
  const partitions: PartitionDisclosure[] = [];
  const ordered = [...counts].sort(([a], [b]) => {
    const [aa = 0, aw = 0] = a.split('|').map(Number);
    const [ba = 0, bw = 0] = b.split('|').map(Number);
    return aa - ba || aw - bw || a.localeCompare(b);
  });
  for (const [partition, combinations] of ordered) {
    const decision = planPartition(combinations, quasiIdentifiers, hierarchies, passes, keep);
    decisions.set(partition, decision);
    const all = [...combinations.values()];
    const sum = (status: Combination['status']) => all.filter((c) => c.status === status).reduce((a, c) => a + c.n, 0);
    const groups = new Map<string, number>();
    for (const c of all.filter((c) => c.status === 'kept')) {
      const key = keyOf(c.values, quasiIdentifiers);
      groups.set(key, (groups.get(key) ?? 0) + c.n);
    }
    const [audience = 0, wave = 0] = partition.split('|').map(Number);
    partitions.push({
      audience,
      wave,
      shown: partition.split('|')[2] ?? '',
      rows: all.reduce((a, c) => a + c.n, 0),
      generalised: [...new Set(decision.steps.map((h) => h.variable))],
      suppressedRows: sum('suppressed'),
      suppressedValues: sum('suppressed') * quasiIdentifiers.length,
      droppedRows: sum('dropped'),
      smallestGroup: groups.size > 0 ? Math.min(...groups.values()) : null,
    });
  }

  const applyInPlace = (row: Row): Row | undefined => {
    const decision = decisions.get(partitionOf(row, visible));
    // A row the counting pass never saw (it arrived afterwards) is not part of this release.
    const combination = decision?.combinations.get(keyOf(row, quasiIdentifiers));
    if (!combination || combination.status === 'dropped') return undefined;
    if (combination.status === 'suppressed') {
      for (const v of quasiIdentifiers) row[v] = suppressedValue(row[v]);
      return row;
    }
    for (const v of quasiIdentifiers) {
      const value = combination.values[v];
      if (value !== undefined) row[v] = value;
    }
    return row;
  };
  const last = passes[passes.length - 1] as AnonymisationPass;
  return {
    k: last.k,
    quasiIdentifiers: [...quasiIdentifiers],
    partitions,
    apply: (row) => applyInPlace({ ...row }),
    applyInPlace,
    baseOutcome: (wave) =>
      partitions
        .filter((p) => p.wave === wave)
        .flatMap((p) => [
          `audience ${p.audience} shown ${p.shown}`,
          ...(decisions.get(`${p.audience}|${p.wave}|${p.shown}`)?.base ?? []),
        ]),
  };
}
