import { expect } from 'vitest';

/** A script tag the fuzzers plant in ids, queries and bodies: no answer may carry it back. */
export const SCRIPT = '<script>alert(1)</script>';

/**
 * Path segments that try to climb out of the route, smuggle a slash, NUL or overlong dot, break the
 * percent-decoding, flip the text direction or run very long (each already as it stands in a URL).
 */
export const HOSTILE_SEGMENTS = [
  '..',
  '../',
  '..%2F..%2Fetc%2Fpasswd',
  '%2e%2e%2f',
  '%2F',
  'mini%2F..',
  'mini%00',
  '%00',
  '%C0%AE%C0%AE',
  '%E2%80%AE',
  '%F0%9F%92%A9',
  'm%C3%BCll',
  '%',
  '%zz',
  encodeURIComponent(SCRIPT),
  'x'.repeat(5_000),
  encodeURIComponent('ü'.repeat(2_000)),
];

/** The run's seed, printed so that a failure can be replayed with `FUZZ_SEED=<seed>`. */
export function fuzzSeed(name: string): number {
  const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
  console.info(`${name} fuzz seed ${seed} (FUZZ_SEED=${seed} reproduces)`);
  return seed;
}

/**
 * Reads `res` and checks what every answer to a hostile request must hold: no 5xx, no stack frame
 * or source path, no reflected script, and a refusal is problem+json with its `title` and `status`
 * (or, where `pages` allows it, an HTML page); `head` answers have the headers without the body.
 * Gives back the body's text.
 */
export async function expectSafeAnswer(
  res: Response,
  label: string,
  options: { pages?: boolean; head?: boolean } = {},
) {
  expect(res.status, label).toBeLessThan(500);
  const text = await res.text();
  expect(text, label).not.toMatch(/\bat .+\.(ts|js):\d+/);
  expect(text, label).not.toMatch(/^\s+at /m);
  expect(text, label).not.toMatch(/\/(work|home|tmp|var\/task)\/|node_modules|file:\/\//);
  expect(text, label).not.toContain(SCRIPT);
  const type = res.headers.get('content-type') ?? '';
  if (res.status >= 400 && !(options.pages && type.includes('text/html'))) {
    expect(type, label).toContain('application/problem+json');
    if (!options.head) expect(JSON.parse(text), label).toMatchObject({ title: expect.any(String), status: res.status });
  }
  return text;
}
