import * as highsModule from 'highs';

/**
 * The adversary of docs/privacy.md ("One disclosure model") as a solver: it takes every figure the
 * views showed as a linear fact about groups of "atoms" (the finest groups the views slice: one
 * audience x city x exposure side, for one wave and measure) and asks, by linear programming
 * (HiGHS; integer programming on request), how far a hidden group's count and sums can be pinned
 * down. Nonnegative counts, each respondent's score within its scale, and "a hidden count is at
 * least 1" where the gate never hides a 0 are what it knows besides the figures.
 */
export interface Fact {
  /** Atom keys the figure adds up. */
  atoms: readonly string[];
  n: number;
  /** Σ score, when the figure gives one (estimate x n). */
  s?: number | undefined;
  /** Σ score², when the figure's standard error gives it. */
  ss?: number | undefined;
}

export interface Bounds {
  lo: number;
  hi: number;
}

export interface Range {
  n: Bounds;
  s: Bounds | undefined;
}

// The package is CommonJS with an ES module build: its loader is the namespace's default either way.
const highs = await (highsModule.default as unknown as typeof highsModule.default.default)();
const names = new Map<string, string>();
const varOf = (prefix: string, atom: string) => {
  const key = `${prefix}|${atom}`;
  let name = names.get(key);
  if (!name) {
    name = `${prefix}${names.size}`;
    names.set(key, name);
  }
  return name;
};

const UNBOUNDED = 1_000_000;

/** Writes a number for the LP file format (no exponent notation). */
const num = (x: number) => (Math.abs(x) < 1e-12 ? '0' : x.toFixed(9));

/**
 * The range of a target group's count and score sum under the facts. `score` bounds one
 * respondent's score; `hidden` lists groups known to be hidden (count at least 1).
 */
export function attack(
  facts: readonly Fact[],
  score: Bounds | ((atom: string) => Bounds),
  targets: readonly (readonly string[])[],
  hidden: readonly (readonly string[])[] = [],
  options: {
    integer?: boolean;
    /** Also bound the score sums of these targets (by index); none when absent. */
    sums?: boolean | ((target: number) => boolean);
    /** What else the adversary knows: Σ n over `le` is at most Σ n over `ge` (fewer answer an item than answer at all). */
    links?: readonly { le: readonly string[]; ge: readonly string[] }[];
  } = {},
): Range[] {
  const scoreOf = typeof score === 'function' ? score : () => score;
  const atoms = [
    ...new Set([
      ...facts.flatMap((f) => f.atoms),
      ...targets.flat(),
      ...hidden.flat(),
      ...(options.links ?? []).flatMap((l) => [...l.le, ...l.ge]),
    ]),
  ];
  const n = (a: string) => varOf('n', a);
  const s = (a: string) => varOf('s', a);
  const q = (a: string) => varOf('q', a);
  const sum = (group: readonly string[], v: (a: string) => string) => group.map(v).join(' + ') || '0';
  const tolerance = (x: number) => 1e-6 * Math.max(1, Math.abs(x));
  const rows: string[] = [];
  facts.forEach((f, i) => {
    rows.push(` fn${i}: ${sum(f.atoms, n)} = ${f.n}`);
    if (f.s !== undefined) {
      rows.push(` fs${i}a: ${sum(f.atoms, s)} >= ${num(f.s - tolerance(f.s))}`);
      rows.push(` fs${i}b: ${sum(f.atoms, s)} <= ${num(f.s + tolerance(f.s))}`);
    }
    if (f.ss !== undefined) {
      rows.push(` fq${i}a: ${sum(f.atoms, q)} >= ${num(f.ss - tolerance(f.ss))}`);
      rows.push(` fq${i}b: ${sum(f.atoms, q)} <= ${num(f.ss + tolerance(f.ss))}`);
    }
  });
  hidden.forEach((g, i) => {
    rows.push(` h${i}: ${sum(g, n)} >= 1`);
  });
  (options.links ?? []).forEach((link, i) => {
    const ge = link.ge.map((a) => ` - ${n(a)}`).join('');
    rows.push(` l${i}: ${sum(link.le, n)}${ge} <= 0`);
  });
  for (const a of atoms) {
    const score = scoreOf(a);
    const squareHi = Math.max(score.lo ** 2, score.hi ** 2);
    const squareLo = score.lo <= 0 && score.hi >= 0 ? 0 : Math.min(score.lo ** 2, score.hi ** 2);
    rows.push(` lo_${n(a)}: ${s(a)} - ${num(score.lo)} ${n(a)} >= 0`);
    rows.push(` hi_${n(a)}: ${num(score.hi)} ${n(a)} - ${s(a)} >= 0`);
    rows.push(` qlo_${n(a)}: ${q(a)} - ${num(squareLo)} ${n(a)} >= 0`);
    rows.push(` qhi_${n(a)}: ${num(squareHi)} ${n(a)} - ${q(a)} >= 0`);
  }
  // A count no fact bounds from above could be anything: a million stands for that, and keeps every
  // program bounded.
  const bounds = atoms.flatMap((a) => [` 0 <= ${n(a)} <= ${UNBOUNDED}`, ` -inf <= ${s(a)} <= +inf`, ` ${q(a)} >= 0`]);
  const general = atoms.map(n).join(' ');
  const solve = (sense: 'Minimize' | 'Maximize', objective: string): number => {
    const model = [
      sense,
      ` obj: ${objective}`,
      'Subject To',
      ...rows,
      'Bounds',
      ...bounds,
      ...(options.integer ? ['General', ` ${general}`] : []),
      'End',
    ].join('\n');
    const out = highs.solve(model, { mip_rel_gap: 0, mip_abs_gap: 1e-9 } as never);
    if (out.Status !== 'Optimal') throw new Error(`the facts have no optimum (${out.Status}):\n${model}`);
    return out.ObjectiveValue;
  };
  const anyScore = options.sums !== undefined && options.sums !== false && facts.some((f) => f.s !== undefined);
  const sumsOf = (i: number) => anyScore && (typeof options.sums === 'function' ? options.sums(i) : true);
  // Without integrality the counts' bounds are those of the linear relaxation: whole numbers within.
  const whole = (x: number, up: boolean) => (options.integer ? x : up ? Math.ceil(x - 1e-6) : Math.floor(x + 1e-6));
  return targets.map((group, i) => ({
    n: { lo: whole(solve('Minimize', sum(group, n)), true), hi: whole(solve('Maximize', sum(group, n)), false) },
    s: sumsOf(i) ? { lo: solve('Minimize', sum(group, s)), hi: solve('Maximize', sum(group, s)) } : undefined,
  }));
}
