/**
 * V8 options the export worker runs with, wherever it runs: the export Lambda function's
 * `NODE_OPTIONS`, `npm run export`, and the export benchmark's child process.
 *
 * A young generation of at most 4 MB per semi-space (V8's default grows to 16 MB and more on
 * 64-bit): an export allocates one short-lived page of items after another, and with a larger
 * young generation more of the pages in flight survive into the old one, which then grows
 * until a full collection comes round, so peak RSS depends on GC timing rather than on what the
 * export holds. Measured at 100,000 and 400,000 responses (docs/benchmarks.md): 8 MB made peak
 * RSS flatter than the default; since the export reads each response once (spool.ts), peak RSS at
 * 400,000 was 1.05-1.11x that at 100,000 with 4 MB against 1.14-1.20x with 8 MB, at the same
 * throughput (`BENCH_EXPORT_SIZES=100000,400000`, bench/export-scale.ts).
 *
 * `npm run export` sets the same flag in package.json (a test holds the two equal).
 */
export const EXPORT_NODE_OPTIONS = '--max-semi-space-size=4';
