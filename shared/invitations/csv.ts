import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { RecipientsCsvError } from '../errors.js';

/*
 * The mail-merge CSV: the recipients file passed through with one personal link per row. Names and
 * addresses only pass through this function on the admin's machine; nothing of them is stored.
 */

const LINK_COLUMNS = ['link', 'resonanz_link'];

/** Header and rows of a recipients file: a header row, then one row per recipient. */
function parseRecipients(text: string): { header: string[]; rows: string[][] } {
  let records: string[][];
  try {
    records = parse(text, { bom: true, skip_empty_lines: true });
  } catch (error) {
    throw new RecipientsCsvError(error instanceof Error ? error.message : 'not a CSV file', { cause: error });
  }
  const [header, ...rows] = records;
  if (!header) throw new RecipientsCsvError('the file is empty; it needs a header row and one row per recipient');
  if (rows.length === 0) throw new RecipientsCsvError('the file has a header row but no recipients');
  return { header, rows };
}

/** How many recipients (rows below the header) a recipients file lists. */
export function countRecipients(recipientsCsv: string): number {
  return parseRecipients(recipientsCsv).rows.length;
}

/** `link`, or `resonanz_link` when the recipients file already has a `link` column. */
function linkColumn(header: string[]): string {
  const taken = new Set(header.map((name) => name.trim().toLowerCase()));
  const free = LINK_COLUMNS.find((name) => !taken.has(name));
  if (!free) throw new RecipientsCsvError(`the columns ${LINK_COLUMNS.join(' and ')} both exist; rename one`);
  return free;
}

/**
 * The CSV for a mail merge: every recipient column unchanged plus the link column, one row per
 * recipient in file order; without a recipients file, `count` rows of the link alone. Cells that a
 * spreadsheet would run as a formula (= + - @ tab CR) get a leading `'`.
 */
export function mergeCsv(recipientsCsv: string | undefined, count: number, links: string[]): string {
  const { header, rows } =
    recipientsCsv === undefined ? { header: [], rows: undefined } : parseRecipients(recipientsCsv);
  const size = rows?.length ?? count;
  if (size !== count || links.length !== count) {
    throw new RangeError(`expected ${size} recipients and links, got count ${count} and ${links.length} links`);
  }
  const records = links.map((link, i) => [...(rows?.[i] ?? []), link]);
  return stringify([[...header, linkColumn(header)], ...records], {
    escape_formulas: true,
    record_delimiter: 'windows',
  });
}
