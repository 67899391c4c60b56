import { stringify } from 'csv-stringify/sync';
import { csvRecord } from '../shared/export/writers.js';

/**
 * Formatting export rows as CSV: our `csvRecord` against csv-stringify (the library the tests hold
 * it equal to), one record per call as the export writes them, 100,000 rows of 100 cells (numbers,
 * with every third cell text). Prints microseconds per row for both and their ratio.
 */
export async function run(): Promise<void> {
  const rows = Array.from({ length: 100_000 }, (_, i) =>
    Array.from({ length: 100 }, (_, j) => (j % 3 === 0 ? `text ${j}, "quoted"` : i * j)),
  );
  const perRow = (format: (cells: (string | number)[]) => string) => {
    let chars = 0;
    const started = performance.now();
    for (const row of rows) chars += format(row).length;
    if (chars === 0) throw new Error('nothing formatted');
    return ((performance.now() - started) * 1000) / rows.length;
  };
  const options = { delimiter: ',', record_delimiter: 'windows' as const };
  // One warm-up round each, then the measured one.
  perRow((cells) => stringify([cells], options));
  perRow((cells) => csvRecord(cells, ','));
  const library = perRow((cells) => stringify([cells], options));
  const ours = perRow((cells) => csvRecord(cells, ','));
  console.log('csv records: csvRecord vs csv-stringify, 100,000 rows of 100 cells');
  console.log(
    `  csv-stringify ${library.toFixed(1)} µs/row, csvRecord ${ours.toFixed(1)} µs/row: csv-stringify/csvRecord ${(library / ours).toFixed(1)}x`,
  );
}
