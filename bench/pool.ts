/**
 * Runs `task(0..count-1)` with at most `concurrency` in flight and returns each call's latency in
 * milliseconds, sorted.
 */
export async function pool(count: number, concurrency: number, task: (i: number) => Promise<void>): Promise<number[]> {
  const latencies: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        const t = performance.now();
        await task(i);
        latencies.push(performance.now() - t);
      }
    }),
  );
  return latencies.sort((a, b) => a - b);
}

/** The p-th percentile of sorted values (nearest rank). */
export const pct = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

export interface Side {
  /** Sorted latencies in milliseconds. */
  latencies: number[];
  seconds: number;
}

/**
 * Runs `count` calls of each of two tasks in `rounds` alternating rounds (a round of `a`, then one of
 * `b`, ...), so drift of a shared database (JIT warming, growing tables) affects both alike.
 */
export async function alternate(
  rounds: number,
  count: number,
  concurrency: number,
  a: (i: number) => Promise<void>,
  b: (i: number) => Promise<void>,
): Promise<[Side, Side]> {
  const sides: [Side, Side] = [
    { latencies: [], seconds: 0 },
    { latencies: [], seconds: 0 },
  ];
  const chunk = Math.ceil(count / rounds);
  for (let r = 0; r < rounds; r++) {
    const offset = r * chunk;
    const size = Math.min(chunk, count - offset);
    for (const [k, task] of [a, b].entries()) {
      const side = sides[k] as Side;
      const t = performance.now();
      side.latencies.push(...(await pool(size, concurrency, (i) => task(offset + i))));
      side.seconds += (performance.now() - t) / 1000;
    }
  }
  for (const side of sides) side.latencies.sort((x, y) => x - y);
  return sides;
}
