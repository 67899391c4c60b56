import type { Codebook, CodebookVariable } from './codebook-types.js';

/**
 * A base-R script (no packages) that reads the export's CSV data file into the data frame
 * `resonanz`: missing-value codes become NA, categorical variables become factors (ordered
 * for ordinal ones) and every column gets its variable label as `attr(x, "label")`.
 * Run it from the folder holding the data file: `Rscript resonanz.R`, or `source()` it.
 *
 * Every string literal is pure ASCII (other characters as \u escapes), so the script reads
 * the same in any locale.
 */

type Lang = 'de' | 'en';

export function rScript(codebook: Codebook, lang: Lang = 'de'): string {
  const vars = codebook.variables;
  const out: string[] = [
    `# Resonanz export: ${oneLine(codebook.title[lang])}`,
    `# Survey ${codebook.surveyId}, definition version ${codebook.definitionVersion}, generated ${codebook.generatedAt}.`,
    `# Reads ${oneLine(codebook.dataFile)} (UTF-8 CSV) from the working directory; base R only.`,
    '# Run it in a UTF-8 locale: in a plain C locale R cuts text at the first non-ASCII character.',
    '',
    'resonanz <- read.csv(',
    `  ${rString(codebook.dataFile)},`,
    '  encoding = "UTF-8",',
    '  fileEncoding = "UTF-8",',
    '  stringsAsFactors = FALSE,',
    '  na.strings = "",',
    '  check.names = FALSE,',
    '  colClasses = c(',
    ...vars.map(
      (v, i) => `    ${rString(v.name)} = ${v.type === 'numeric' ? '"numeric"' : '"character"'}${comma(i, vars)}`,
    ),
    '  )',
    ')',
    '',
  ];

  const withMissing = vars.filter((v) => v.type === 'numeric' && v.missing.length > 0);
  if (withMissing.length > 0) {
    out.push(
      '# Missing values: the data file holds negative codes (e.g. -1 "don\'t know", -9 "not asked").',
      '# They are set to NA here, so the reason for a missing value is not kept in R;',
      '# see the codebook for the codes.',
    );
    for (const v of withMissing) {
      const col = column(v);
      const codes = v.missing.map((m) => rNumber(v, m.code)).join(', ');
      out.push(`${col}[${col} %in% c(${codes})] <- NA`);
    }
    out.push('');
  }

  const categorical = vars.filter((v) => v.measure !== 'scale' && v.values.length > 0);
  if (categorical.length > 0) {
    out.push('# Categories as factors (ordered for ordinal variables); codes not listed become NA.');
    for (const v of categorical) {
      const col = column(v);
      out.push(
        `${col} <- factor(`,
        `  ${col},`,
        `  levels = c(${v.values.map((value) => (v.type === 'numeric' ? rNumber(v, value.code) : rString(String(value.code)))).join(', ')}),`,
        '  labels = c(',
        ...v.values.map((value, i) => `    ${rString(value.label[lang])}${comma(i, v.values)}`),
        `  )${v.measure === 'ordinal' ? ',\n  ordered = TRUE' : ''}`,
        ')',
      );
    }
    out.push('');
  }

  if (vars.length > 0) {
    out.push('# Variable labels (set last: factor() drops attributes).');
    for (const v of vars) out.push(`attr(${column(v)}, "label") <- ${rString(v.label[lang])}`);
  }
  return `${out.join('\n')}\n`;
}

/**
 * An R string literal in double quotes: backslash and double quote escaped, control and
 * non-ASCII characters as \u escapes.
 */
export function rString(text: string): string {
  let out = '"';
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    if (ch === '\\') out += '\\\\';
    else if (ch === '"') out += '\\"';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (cp >= 0x20 && cp < 0x7f) out += ch;
    else if (cp === 0)
      continue; // R strings cannot hold NUL
    else if (cp <= 0xffff) out += `\\u${cp.toString(16).padStart(4, '0')}`;
    else out += `\\U{${cp.toString(16)}}`;
  }
  return `${out}"`;
}

function column(v: CodebookVariable): string {
  return `resonanz[[${rString(v.name)}]]`;
}

function rNumber(v: CodebookVariable, code: number | string): string {
  const n = Number(code);
  if (!Number.isFinite(n)) throw new Error(`r: numeric variable ${v.name} has a non-numeric code ${code}`);
  return String(n);
}

function comma(i: number, all: unknown[]): string {
  return i < all.length - 1 ? ',' : '';
}

function oneLine(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
  return text.replace(/[\u0000-\u001f\u007f]+/g, ' ');
}
