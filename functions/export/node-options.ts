/**
 * V8 options the export worker runs with, wherever it runs: the export Lambda function's
 * `NODE_OPTIONS`, `npm run export`, and the export benchmark's child process.
 *
 * A young generation of at most 8 MB per semi-space (V8's default grows to 16 MB and more on
 * 64-bit): an export allocates one short-lived page of items after another, and with the larger
 * default the freed pages and their buffers pile up until a scavenge comes round, so peak RSS
 * depends on GC timing rather than on what the export holds. Measured at 100,000 and 400,000
 * responses (docs/benchmarks.md): peak RSS flatter and lower, throughput unchanged.
 */
export const EXPORT_NODE_OPTIONS = '--max-semi-space-size=8';
