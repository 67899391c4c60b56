import type { Codebook, CodebookValue } from './codebook-types.js';

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

const values = (list: CodebookValue[], lang: 'de' | 'en') =>
  list.map((v) => `${v.code} = ${cell(v.label[lang])}`).join('; ');

/** The codebook as Markdown: one table row per variable, German labels first, English beside them. */
export function codebookMarkdown(codebook: Codebook): string {
  const lines = [
    `# Codebook: ${cell(codebook.title.de)} / ${cell(codebook.title.en)}`,
    '',
    `Survey \`${codebook.surveyId}\`, definition version ${codebook.definitionVersion}, exported ${codebook.generatedAt}.`,
    `Data file: \`${codebook.dataFile}\` (CSV, RFC 4180, UTF-8, comma, header line).`,
    '',
    `Waves: ${codebook.waves.map((w, i) => `${i + 1} = ${w.id} (${w.kind}, ${cell(w.label.de)})`).join('; ')}.`,
    '',
    '| variable | label (de) | label (en) | type | measure | values | missing | tags |',
    '|---|---|---|---|---|---|---|---|',
    ...codebook.variables.map((v) => {
      const tags = [
        v.question && v.question !== v.name ? `question ${v.question}` : '',
        v.indicator ? `indicator ${v.indicator}` : '',
        v.dimension ? `dimension ${v.dimension}` : '',
        v.quasiIdentifier ? 'quasi-identifier' : '',
      ].filter(Boolean);
      const type = v.type === 'string' ? `string (${v.width ?? 1})` : `numeric (${v.decimals ?? 0} dec.)`;
      return `| \`${v.name}\` | ${cell(v.label.de)} | ${cell(v.label.en)} | ${type} | ${v.measure} | ${values(v.values, 'de')} | ${values(v.missing, 'en')} | ${tags.join(', ')} |`;
    }),
    '',
  ];
  const noted = codebook.variables.filter((v) => v.note !== undefined);
  if (noted.length > 0) {
    lines.push(
      'Notes:',
      '',
      ...noted.map((v) => `- \`${v.name}\`: ${cell(v.note?.de ?? '')} / ${cell(v.note?.en ?? '')}`),
      '',
    );
  }
  return lines.join('\n');
}
