import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { RecipientsCsvError } from '../../shared/errors.js';
import { countRecipients, mergeCsv } from '../../shared/invitations/csv.js';

const link = (n: number) => `https://example.org/i/${String(n).padStart(32, 'x')}`;

describe('invitations/csv', () => {
  it('passes recipient columns through unchanged and adds a link column', () => {
    // Prepare
    const recipients = [
      'Firma,Anschrift,E-Mail',
      '"Müller, Söhne & Co.","Hauptstraße 1',
      '45657 Recklinghausen",info@mueller.example',
      'Bäckerei Groß,"Am ""Markt"" 3",post@gross.example',
      '',
    ].join('\n');

    // Act
    const out = parse(mergeCsv(recipients, 2, [link(1), link(2)]));

    // Assess
    expect(countRecipients(recipients)).toBe(2);
    expect(out).toEqual([
      ['Firma', 'Anschrift', 'E-Mail', 'link'],
      ['Müller, Söhne & Co.', 'Hauptstraße 1\n45657 Recklinghausen', 'info@mueller.example', link(1)],
      ['Bäckerei Groß', 'Am "Markt" 3', 'post@gross.example', link(2)],
    ]);
  });

  it('reads a recipients file with a byte order mark and CRLF line ends', () => {
    const out = parse(mergeCsv('\uFEFFName\r\nA\r\n', 1, [link(1)]));
    expect(out).toEqual([
      ['Name', 'link'],
      ['A', link(1)],
    ]);
  });

  it('writes count rows of the link alone without a recipients file', () => {
    const out = parse(mergeCsv(undefined, 3, [link(1), link(2), link(3)]));
    expect(out).toEqual([['link'], [link(1)], [link(2)], [link(3)]]);
  });

  it('names the column resonanz_link when the recipients already have a link column', () => {
    const out = parse(mergeCsv('Name,Link\nA,https://a.example\n', 1, [link(1)]));
    expect(out[0]).toEqual(['Name', 'Link', 'resonanz_link']);
    expect(out[1]).toEqual(['A', 'https://a.example', link(1)]);
    expect(() => mergeCsv('link,resonanz_link\na,b\n', 1, [link(1)])).toThrow(RecipientsCsvError);
  });

  it('neutralises cells a spreadsheet would run as a formula', () => {
    const recipients = 'Name,Note\n"=HYPERLINK(""http://evil"")",+1\n@SUM(A1),-2\n"\tx","\ry"\nplain,a=b\n';
    const out = parse(mergeCsv(recipients, 4, [link(1), link(2), link(3), link(4)]));
    expect(out.slice(1).map((row) => row.slice(0, 2))).toEqual([
      [`'=HYPERLINK("http://evil")`, "'+1"],
      ["'@SUM(A1)", "'-2"],
      ["'\tx", "'\ry"],
      ['plain', 'a=b'],
    ]);
  });

  it('refuses an empty file, a file without recipients, ragged rows and a count that does not fit', () => {
    expect(() => mergeCsv('', 1, [link(1)])).toThrow(RecipientsCsvError);
    expect(() => mergeCsv('Name\n', 1, [link(1)])).toThrow(/no recipients/);
    expect(() => mergeCsv('Name,Mail\nA\n', 1, [link(1)])).toThrow(RecipientsCsvError);
    expect(() => mergeCsv('Name\nA\nB\n', 1, [link(1)])).toThrow(RangeError);
    expect(() => mergeCsv(undefined, 2, [link(1)])).toThrow(RangeError);
  });
});
