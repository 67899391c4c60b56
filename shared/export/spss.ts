import type { Codebook, CodebookValue, CodebookVariable } from './codebook-types.js';

/**
 * SPSS syntax (.sps) that reads the export's CSV data file and declares the codebook's
 * dictionary: variable labels, value labels, missing values and measurement levels.
 * Runs under IBM SPSS Statistics and GNU PSPP; the data file is expected in the same folder.
 *
 * Layout rules, so the file works in both interactive and batch syntax mode:
 * - every line of a command after the first is indented, and no command contains a blank line;
 * - a command ends with a period at the end of its last line, and no other line ends with one;
 * - lines stay within 80 characters; long labels are split into quoted parts joined by `+`.
 */

const MAX_LINE = 80;
/** SPSS limits, in bytes of the dictionary encoding (UTF-8 here). */
const MAX_VARIABLE_LABEL_BYTES = 255;
const MAX_VALUE_LABEL_BYTES = 120;
const MAX_STRING_WIDTH = 32767;
/** Words that can never be variable names in SPSS syntax. */
const RESERVED = new Set(['all', 'and', 'by', 'eq', 'ge', 'gt', 'le', 'lt', 'ne', 'not', 'or', 'to', 'with']);
const NAME = /^[a-z][a-z0-9_]{0,63}$/;

type Lang = 'de' | 'en';

export function spssSyntax(codebook: Codebook, lang: Lang = 'de'): string {
  for (const v of codebook.variables) checkName(v.name);
  const vars = codebook.variables;
  const out: string[] = [];

  out.push(...header(codebook, lang), '');
  out.push('SET DECIMAL=DOT.', '');
  out.push(...getData(codebook), '');

  if (vars.length > 0) {
    out.push('VARIABLE LABELS');
    vars.forEach((v, i) => {
      const label = truncateBytes(v.label[lang], MAX_VARIABLE_LABEL_BYTES);
      out.push(...quoted(label, `  ${i === 0 ? '' : '/'}${v.name} `, '    + '));
    });
    endCommand(out);
    out.push('');
  }

  const labelled = vars.filter((v) => v.values.length + numericMissing(v).length > 0);
  if (labelled.length > 0) {
    out.push('VALUE LABELS');
    labelled.forEach((v, i) => {
      out.push(`  ${i === 0 ? '' : '/'}${v.name}`);
      for (const value of [...v.values, ...numericMissing(v)]) {
        const label = truncateBytes(value.label[lang], MAX_VALUE_LABEL_BYTES);
        out.push(...quoted(label, `    ${code(v, value.code)} `, '      + '));
      }
    });
    endCommand(out);
    out.push('');
  }

  const withMissing = vars.filter((v) => numericMissing(v).length > 0);
  if (withMissing.length > 0) {
    out.push('MISSING VALUES');
    withMissing.forEach((v, i) => {
      const codes = numericMissing(v).map((m) => Number(m.code));
      // SPSS allows at most three discrete missing values; all our codes are negative.
      const spec = codes.length <= 3 ? codes.map(String).join(', ') : 'LOWEST THRU -1';
      out.push(`  ${i === 0 ? '' : '/'}${v.name} (${spec})`);
    });
    endCommand(out);
    out.push('');
  }

  if (vars.length > 0) {
    const byLevel = new Map<string, string[]>();
    for (const v of vars) {
      const level = spssLevel(v);
      byLevel.set(level, [...(byLevel.get(level) ?? []), v.name]);
    }
    const lines: string[] = [];
    let first = true;
    for (const [level, names] of byLevel) {
      lines.push(...wrapWords([...names, `(${level})`], first ? '  ' : '  /', '    '));
      first = false;
    }
    out.push('VARIABLE LEVEL', ...lines);
    endCommand(out);
    out.push('');
  }

  out.push('EXECUTE.');
  return `${out.join('\n')}\n`;
}

function header(codebook: Codebook, lang: Lang): string[] {
  const text = [
    `Resonanz export: ${codebook.title[lang]}`,
    `Survey ${codebook.surveyId}, definition version ${codebook.definitionVersion}, generated ${codebook.generatedAt}.`,
    `Reads ${codebook.dataFile} (UTF-8 CSV) from the folder of this file.`,
    'Missing values are negative codes (see MISSING VALUES).',
  ];
  const lines: string[] = [];
  for (const paragraph of text) {
    // A comment ends at a period at the end of a line: each line is its own comment command.
    const words = oneLine(paragraph).split(' ').filter(Boolean);
    for (const line of wrapWords(words, '* ', '* ', MAX_LINE - 1)) lines.push(`${line.replace(/\.+$/, '')}.`);
  }
  return lines;
}

function getData(codebook: Codebook): string[] {
  const specs = codebook.variables.map((v) => `${v.name} ${format(v)}`);
  return [
    'GET DATA',
    '  /TYPE=TXT',
    ...quoted(codebook.dataFile, '  /FILE=', '    + '),
    "  /ENCODING='UTF8'",
    '  /ARRANGEMENT=DELIMITED',
    '  /FIRSTCASE=2',
    "  /DELIMITERS=','",
    `  /QUALIFIER='"'`,
    ...wrapWords(specs, '  /VARIABLES=', '    ').map((line, i, all) => (i === all.length - 1 ? `${line}.` : line)),
  ];
}

/** Input format: numbers with their decimals, strings wide enough in UTF-8 bytes. */
function format(v: CodebookVariable): string {
  if (v.type === 'string') {
    // `width` counts characters; a UTF-8 character takes at most 4 bytes.
    return `A${Math.min(MAX_STRING_WIDTH, Math.max(1, v.width ?? 1) * 4)}`;
  }
  const decimals = Math.max(0, Math.min(16, v.decimals ?? 0));
  return decimals === 0 ? 'F8.0' : `F${Math.min(40, decimals + 10)}.${decimals}`;
}

function spssLevel(v: CodebookVariable): string {
  // SPSS does not allow the scale level for string variables.
  if (v.type === 'string' && v.measure === 'scale') return 'NOMINAL';
  return v.measure.toUpperCase();
}

function numericMissing(v: CodebookVariable): CodebookValue[] {
  return v.type === 'numeric' ? v.missing : [];
}

function code(v: CodebookVariable, value: number | string): string {
  if (v.type === 'string') return spssQuote(String(value));
  const n = Number(value);
  if (!Number.isFinite(n)) throw new Error(`spss: numeric variable ${v.name} has a non-numeric code ${value}`);
  return String(n);
}

function checkName(name: string): void {
  if (!NAME.test(name) || RESERVED.has(name)) throw new Error(`spss: invalid variable name ${JSON.stringify(name)}`);
}

/** A string literal for SPSS syntax: single quotes, an inner single quote doubled. */
export function spssQuote(text: string): string {
  return `'${oneLine(text).replaceAll("'", "''")}'`;
}

/**
 * A quoted string after `prefix`, split into parts joined by `+` on continuation lines
 * (`contPrefix` ends with "+ ") so that no line is longer than 80 characters.
 */
function quoted(text: string, prefix: string, contPrefix: string): string[] {
  const chars = [...oneLine(text)];
  const lines: string[] = [];
  let linePrefix = prefix;
  let part = '';
  for (const ch of chars) {
    const piece = ch === "'" ? "''" : ch;
    if (part !== '' && linePrefix.length + part.length + piece.length + 2 > MAX_LINE) {
      lines.push(`${linePrefix}'${part}'`);
      linePrefix = contPrefix;
      part = '';
    }
    part += piece;
  }
  lines.push(`${linePrefix}'${part}'`);
  return lines;
}

/** Words joined by spaces, wrapped at `max` characters. */
function wrapWords(words: string[], firstPrefix: string, contPrefix: string, max = MAX_LINE): string[] {
  const lines: string[] = [];
  let line = firstPrefix;
  let empty = true;
  for (const word of words) {
    if (!empty && line.length + 1 + word.length > max) {
      lines.push(line);
      line = contPrefix;
      empty = true;
    }
    line += empty ? word : ` ${word}`;
    empty = false;
  }
  lines.push(line);
  return lines;
}

function endCommand(lines: string[]): void {
  lines[lines.length - 1] = `${lines[lines.length - 1]}.`;
}

function oneLine(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
  return text.replace(/[\r\n\t\u0000-\u001f]+/g, ' ');
}

/** Cut `text` to at most `max` UTF-8 bytes without splitting a character. */
function truncateBytes(text: string, max: number): string {
  const encoder = new TextEncoder();
  if (encoder.encode(text).length <= max) return text;
  let out = '';
  let bytes = 0;
  for (const ch of text) {
    const n = encoder.encode(ch).length;
    if (bytes + n > max) break;
    out += ch;
    bytes += n;
  }
  return out;
}
