import type { Codebook } from './codebook-types.js';
import type { Row } from './rows.js';

export type DataFormat = 'csv' | 'csv-excel' | 'jsonl';

/**
 * A text cell as a spreadsheet must not read it: one starting with =, +, -, @, tab or carriage
 * return would be taken as a formula, so it gets a leading apostrophe. Numbers are never touched
 * (missing codes such as -9 stay numbers).
 */
export function neutraliseFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/**
 * One CSV record and its CRLF, as csv-stringify writes it with a delimiter and `windows` record
 * delimiters (a test holds the two equal): a cell is quoted when it holds the delimiter, a quote,
 * CR or LF, quotes doubled. Done by hand because csv-stringify sets up a stringifier per call, which
 * on every exported row was most of the writing cost.
 */
export function csvRecord(cells: readonly (string | number)[], delimiter: string): string {
  let out = '';
  for (let i = 0; i < cells.length; i++) {
    if (i > 0) out += delimiter;
    const cell = cells[i];
    if (typeof cell === 'number') out += String(cell);
    else if (cell === undefined || cell === '') continue;
    else if (cell.includes(delimiter) || cell.includes('"') || cell.includes('\n') || cell.includes('\r'))
      out += `"${cell.replaceAll('"', '""')}"`;
    else out += cell;
  }
  return `${out}\r\n`;
}

/** The file name of a data format in an export bundle. */
export function dataFileName(format: DataFormat): string {
  return format === 'jsonl' ? 'data.jsonl' : format === 'csv-excel' ? 'data-excel.csv' : 'data.csv';
}

/**
 * Writes rows in one of the data formats, a line at a time (for streaming):
 * - `csv`: RFC 4180, UTF-8 without BOM, comma, CRLF, a header of the variable names; what the SPSS
 *   and R scripts read;
 * - `csv-excel`: the same for a German Excel: a BOM, semicolons, decimal commas;
 * - `jsonl`: one JSON object per row, variables in codebook order.
 * Text cells are neutralised against formula injection in every format.
 */
export function dataWriter(codebook: Codebook, format: DataFormat) {
  const names = codebook.variables.map((v) => v.name);
  const excel = format === 'csv-excel';
  const cell = (value: number | string | undefined): string | number => {
    if (value === undefined) return '';
    if (typeof value === 'number') return excel ? String(value).replace('.', ',') : value;
    return neutraliseFormula(value);
  };
  const line = (cells: (string | number)[]) => csvRecord(cells, excel ? ';' : ',');
  return {
    header(): string {
      if (format === 'jsonl') return '';
      return (excel ? '\uFEFF' : '') + line(names);
    },
    row(row: Row): string {
      if (format === 'jsonl') {
        return `${JSON.stringify(Object.fromEntries(names.map((n) => [n, typeof row[n] === 'string' ? neutraliseFormula(row[n] as string) : (row[n] ?? null)])))}\n`;
      }
      return line(names.map((n) => cell(row[n])));
    },
  };
}
