import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Codebook, MISSING_CODES } from '../../shared/export/codebook-types.js';
import { spssQuote, spssSyntax } from '../../shared/export/spss.js';
import { runPspp } from '../fixtures/stats-programs.js';
import { codebook, writeData } from './syntax-fixture.js';

const withVariables = (variables: Codebook['variables']): Codebook => ({ ...codebook, variables });
const stadt = codebook.variables[1] as Codebook['variables'][number];

describe('spssSyntax: generated text', () => {
  const sps = spssSyntax(codebook);
  const lines = sps.split('\n');

  it('keeps every line within 80 characters and has no blank line inside a command', () => {
    expect(lines.filter((l) => l.length > 80)).toEqual([]);
    // Commands start in column 1; their continuation lines are indented.
    for (const [i, line] of lines.entries()) {
      if (line === '' || line.startsWith(' ')) continue;
      expect(lines[i - 1] ?? '', `line ${i + 1} starts a command`).toMatch(/(^|\.)$/);
    }
  });

  it('names the survey, definition version and export time in a comment header', () => {
    expect(lines[0]).toMatch(/^\* Resonanz export: Stadtbefragung "Grün"/);
    expect(sps).toContain('* Survey demo-stadt, definition version 3, generated 2026-11-22T04:00:00.000Z.');
  });

  it('reads the data file beside the syntax with the documented GET DATA subcommands', () => {
    expect(sps).toContain(
      [
        'GET DATA',
        '  /TYPE=TXT',
        "  /FILE='resonanz.csv'",
        "  /ENCODING='UTF8'",
        '  /ARRANGEMENT=DELIMITED',
        '  /FIRSTCASE=2',
        "  /DELIMITERS=','",
        `  /QUALIFIER='"'`,
        '  /VARIABLES=id F8.0 stadt F8.0 vertrauen F8.0 gewicht F13.3 kommentar A96.',
      ].join('\n'),
    );
  });

  it('doubles single quotes and keeps double quotes in single-quoted strings', () => {
    expect(spssQuote("it's")).toBe("'it''s'");
    expect(spssQuote('say "hi"')).toBe(`'say "hi"'`);
    expect(sps).toContain("    3 'Rhein-Sieg, ''Umland'''\n");
    expect(sps).toContain(`  /kommentar 'Kommentar ("frei")'.`);
  });

  it('splits a long label into quoted parts joined by + that add up to the label', () => {
    const start = lines.findIndex((l) => l.startsWith('  /vertrauen '));
    expect(lines[start + 1]).toMatch(/^ {4}\+ '/);
    const parts = [lines[start], lines[start + 1]].map((l) => (l ?? '').replace(/^.*?'(.*)'$/, '$1'));
    expect(parts.join('').replaceAll("''", "'")).toBe(codebook.variables[2]?.label.de);
  });

  it('declares discrete missing values up to three codes, and a range beyond', () => {
    expect(sps).toContain('MISSING VALUES\n  stadt (-1, -9)\n  /vertrauen (-1)\n  /gewicht (LOWEST THRU -1).');
  });

  it('keeps three missing codes discrete and turns a fourth into the range', () => {
    const { dontKnow, suppressed, noAnswer, notAsked } = MISSING_CODES;
    const three = spssSyntax(withVariables([{ ...stadt, missing: [dontKnow, noAnswer, notAsked] }]));
    expect(three).toContain('MISSING VALUES\n  stadt (-1, -8, -9).');
    const four = spssSyntax(withVariables([{ ...stadt, missing: [dontKnow, suppressed, noAnswer, notAsked] }]));
    expect(four).toContain('MISSING VALUES\n  stadt (LOWEST THRU -1).');
  });

  it('labels the missing codes and sets the measurement levels', () => {
    expect(sps).toMatch(/\/gewicht\n {4}-1 'weiß nicht'\n {4}-7 'unterdrückt \(Anonymisierung\)'/);
    expect(sps).toContain(
      'VARIABLE LEVEL\n  id gewicht (SCALE)\n  /stadt kommentar (NOMINAL)\n  /vertrauen (ORDINAL).',
    );
  });

  it('uses the English labels when asked', () => {
    const en = spssSyntax(codebook, 'en');
    expect(en).toContain("    1 'Cologne'");
    expect(en).toContain("    -1 'don''t know'");
    expect(en).not.toContain('Köln');
  });

  it('cuts value labels to 120 bytes without splitting a character', () => {
    const long = 'ä'.repeat(100); // 200 bytes in UTF-8
    const sps = spssSyntax(
      withVariables([{ ...stadt, values: [{ code: 1, label: { de: long, en: long } }], missing: [] }]),
    );
    const label = [...sps.matchAll(/'(ä+)'/g)].map((m) => m[1]).join('');
    expect(label).toBe('ä'.repeat(60));
  });

  it('treats a string variable as nominal, never scale, and quotes string codes', () => {
    const sps = spssSyntax(
      withVariables([
        {
          name: 'plz',
          label: { de: 'PLZ', en: 'Postcode' },
          type: 'string',
          width: 5,
          measure: 'scale',
          values: [{ code: "5'0667", label: { de: 'Altstadt', en: 'Old town' } }],
          missing: [],
          quasiIdentifier: true,
        },
      ]),
    );
    expect(sps).toContain("    '5''0667' 'Altstadt'");
    expect(sps).toContain('VARIABLE LEVEL\n  plz (NOMINAL).');
    expect(sps).not.toContain('\nMISSING VALUES\n');
  });

  it('refuses names SPSS cannot read', () => {
    expect(() => spssSyntax(withVariables([{ ...stadt, name: 'to' }]))).toThrow(/invalid variable name/);
    expect(() => spssSyntax(withVariables([{ ...stadt, name: 'Stadt' }]))).toThrow(/invalid variable name/);
  });
});

describe('spssSyntax under GNU PSPP', () => {
  let dir = '';
  let tables = new Map<string, string[][]>();
  let log = '';

  beforeAll(() => {
    dir = writeData();
    const extra = [
      'DISPLAY DICTIONARY.',
      'FREQUENCIES /VARIABLES=stadt vertrauen.',
      'DESCRIPTIVES /VARIABLES=gewicht.',
      'LIST.',
    ];
    ({ tables, log } = runPspp(dir, `${spssSyntax(codebook)}${extra.join('\n')}\n`, 'resonanz.sps'));
  }, 90_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const table = (title: string) => {
    const rows = tables.get(title);
    if (!rows) throw new Error(`no table ${title} in\n${log}`);
    return rows;
  };
  const row = (title: string, first: string, second = '') =>
    table(title).find((r) => r[0] === first && (second === '' || r[1] === second));

  it('runs without errors or warnings', () => {
    expect(log).toMatch(/^exit 0\n/);
    expect(log).not.toMatch(/error|warning/i);
  });

  it('reads all 12 cases, strings with commas, quotes and umlauts intact', () => {
    const list = table('Data List');
    expect(list[0]).toEqual(['id', 'stadt', 'vertrauen', 'gewicht', 'kommentar']);
    expect(list).toHaveLength(1 + 12);
    expect(list[3]?.[4]).toBe('Er sagte "ja", dann nein');
    expect(list[6]?.[4]).toBe('Über, unter, neben');
    expect(list[8]?.[4]).toBe('ÄÖÜäöüß äöüß äöüß äöüß');
    expect(list[1]?.[3]).toBe('1.250');
    expect(row('Wohnort (Stadt, Gemeinde)', 'Total')?.[2]).toBe('12');
  });

  it('applies variable labels, long ones joined from their parts', () => {
    const dictionary = table('Variables');
    const label = (name: string) => dictionary.find((r) => r[0] === name)?.[2];
    expect(label('vertrauen')).toBe(codebook.variables[2]?.label.de);
    expect(label('kommentar')).toBe('Kommentar ("frei")');
    expect(dictionary.find((r) => r[0] === 'vertrauen')?.[3]).toBe('Ordinal');
    expect(dictionary.find((r) => r[0] === 'gewicht')?.[9]).toBe('LOWEST THRU -1');
  });

  it('applies value labels, including the single quote', () => {
    const freq = table('Wohnort (Stadt, Gemeinde)');
    expect(freq.find((r) => r[1] === 'Köln')?.[2]).toBe('4');
    expect(freq.find((r) => r[1] === "Rhein-Sieg, 'Umland'")?.[2]).toBe('2');
  });

  it('treats the missing codes as missing', () => {
    const freq = table('Wohnort (Stadt, Gemeinde)');
    expect(freq.find((r) => r[0] === 'Missing')).toEqual(['Missing', 'nicht gefragt', '2', '16.7%', '', '']);
    expect(freq.find((r) => r[1] === 'weiß nicht')?.[2]).toBe('1');
    expect(row('Statistics', 'N', 'Valid')?.slice(2)).toEqual(['9', '10']);
    expect(row('Statistics', '', 'Missing')?.slice(2)).toEqual(['3', '2']);
    // gewicht: -1, -7, -8 and -9 all fall in LOWEST THRU -1; the mean is over the other eight.
    const gewicht = row('Descriptive Statistics', 'Gewicht (Anpassung)');
    expect(gewicht?.[1]).toBe('8');
    expect(gewicht?.[2]).toBe('1.16');
  });
});
