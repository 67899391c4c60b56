import type { Text } from '../survey/schema.js';
import type { Codebook } from './codebook-types.js';
import type { Row } from './rows.js';

export type DataFormat = 'csv' | 'csv-excel' | 'jsonl';

/**
 * What data.csv writes for a line break (CRLF, LF or CR) inside a text cell. GNU PSPP 1.6 ends a
 * quoted field at the end of its line (GET DATA /TYPE=TXT with either DELCASE, DATA LIST LIST and
 * FREE alike; "Quoted string extends beyond end of line"): a real break, quoted as RFC 4180 allows,
 * split the case in two and shifted every later column. The Excel variant and JSON Lines keep the
 * breaks, which their readers take.
 */
export const LINE_BREAK_MARK = '¶';

const marksLineBreaks = (format: DataFormat) => format === 'csv';

/** Every line break in `value` as one `LINE_BREAK_MARK`. */
export function markLineBreaks(value: string): string {
  return value.replace(/\r\n|\r|\n/g, LINE_BREAK_MARK);
}

/** The codebook's note on a text variable, in a format whose line breaks are marked. */
export function lineBreakNote(format: DataFormat): Text | undefined {
  if (!marksLineBreaks(format)) return undefined;
  const file = dataFileName(format);
  return {
    de: `Zeilenumbrüche der Antwort stehen in ${file} als ${LINE_BREAK_MARK} (GNU PSPP liest keinen Zeilenumbruch in einem Feld); ein selbst getipptes ${LINE_BREAK_MARK} ist davon nicht zu unterscheiden.`,
    en: `Line breaks in the answer are written as ${LINE_BREAK_MARK} in ${file} (GNU PSPP cannot read a line break inside a field); a ${LINE_BREAK_MARK} the respondent typed looks the same.`,
  };
}

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
 *   and R scripts read, so a line break in a text cell is written as `LINE_BREAK_MARK`;
 * - `csv-excel`: for a German Excel: a BOM, semicolons, decimal commas, line breaks kept (quoted);
 * - `jsonl`: one JSON object per row, variables in codebook order.
 * Text cells are neutralised against formula injection in every format.
 */
export function dataWriter(codebook: Codebook, format: DataFormat) {
  const names = codebook.variables.map((v) => v.name);
  const excel = format === 'csv-excel';
  // Neutralised before the breaks are marked: an answer starting with CR gets its apostrophe in every format.
  const text = marksLineBreaks(format)
    ? (value: string) => markLineBreaks(neutraliseFormula(value))
    : neutraliseFormula;
  const cell = (value: number | string | undefined): string | number => {
    if (value === undefined) return '';
    if (typeof value === 'number') return excel ? String(value).replace('.', ',') : value;
    return text(value);
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
