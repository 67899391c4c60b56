import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Codebook } from '../../shared/export/codebook-types.js';
import { rScript, rString } from '../../shared/export/r-script.js';
import { runRscript } from '../fixtures/stats-programs.js';
import { codebook, writeData } from './syntax-fixture.js';

const withVariables = (variables: Codebook['variables']): Codebook => ({ ...codebook, variables });

describe('rScript: generated text', () => {
  const script = rScript(codebook);

  it('escapes backslashes, double quotes, newlines and non-ASCII characters in R strings', () => {
    expect(rString('a\\b "c"')).toBe('"a\\\\b \\"c\\""');
    expect(rString("it's, fine\nnext")).toBe('"it\'s, fine\\nnext"');
    expect(rString('Köln 😀')).toBe('"K\\u00f6ln \\U{1f600}"');
  });

  it('writes only ASCII outside comments, so the script reads the same in every locale', () => {
    const code = script.split('\n').filter((l) => !l.startsWith('#'));
    expect(code.filter((l) => /[^\x20-\x7e]/.test(l))).toEqual([]);
    expect(script).toContain('"K\\u00f6ln"');
  });

  it('reads the data file with the column classes of the codebook', () => {
    expect(script).toContain(
      'resonanz <- read.csv(\n  "resonanz.csv",\n  encoding = "UTF-8",\n  fileEncoding = "UTF-8",',
    );
    expect(script).toContain('  stringsAsFactors = FALSE,\n  na.strings = "",');
    expect(script).toContain('    "gewicht" = "numeric",\n    "kommentar" = "character"\n  )');
  });

  it('sets the missing codes to NA, with a note', () => {
    expect(script).toMatch(/# Missing values: .*negative codes/);
    expect(script).toContain('resonanz[["stadt"]][resonanz[["stadt"]] %in% c(-1, -9)] <- NA');
    expect(script).toContain('resonanz[["gewicht"]][resonanz[["gewicht"]] %in% c(-1, -7, -8, -9)] <- NA');
    expect(script).not.toContain('resonanz[["kommentar"]][');
  });

  it('names the survey, definition version and export time in a comment header', () => {
    expect(script).toContain('# Survey demo-stadt, definition version 3, generated 2026-11-22T04:00:00.000Z.');
  });

  it('uses the English labels when asked', () => {
    const en = rScript(codebook, 'en');
    expect(en).toContain('"Cologne"');
    expect(en).toContain('attr(resonanz[["stadt"]], "label") <- "Place of residence (city, town)"');
  });

  it('makes factors of string categories with string levels', () => {
    const script = rScript(
      withVariables([
        {
          name: 'plz',
          label: { de: 'PLZ', en: 'Postcode' },
          type: 'string',
          width: 5,
          measure: 'nominal',
          values: [{ code: '50667', label: { de: 'Altstadt', en: 'Old town' } }],
          missing: [],
          quasiIdentifier: true,
        },
      ]),
    );
    expect(script).toContain('levels = c("50667")');
    expect(script).not.toContain('ordered = TRUE');
  });
});

describe('rScript under Rscript', () => {
  let dir = '';
  let result = { status: -1 as number | null, stdout: '', stderr: '' };
  let values = new Map<string, string>();

  const checks = [
    'nrow = nrow(resonanz)',
    'names = names(resonanz)',
    'levels_stadt = levels(resonanz$stadt)',
    'levels_vertrauen = levels(resonanz$vertrauen)',
    'ordered = c(is.ordered(resonanz$stadt), is.ordered(resonanz$vertrauen))',
    'classes = sapply(resonanz, function(x) class(x)[1])',
    'na = sapply(resonanz, function(x) sum(is.na(x)))',
    'table_stadt = as.vector(table(resonanz$stadt))',
    'mean_gewicht = mean(resonanz$gewicht, na.rm = TRUE)',
    'label_vertrauen = attr(resonanz$vertrauen, "label")',
    'label_kommentar = attr(resonanz$kommentar, "label")',
    'kommentar = resonanz$kommentar[c(1, 3, 4, 6, 8)]',
  ];

  beforeAll(() => {
    dir = writeData();
    const script = rScript(codebook);
    // One line per check: name, a tab, then the values joined by " | ".
    const printing = checks.map((check) => {
      const at = check.indexOf(' = ');
      const [name, expr] = [check.slice(0, at), check.slice(at + 3)];
      return `cat(${JSON.stringify(name)}, "\\t", paste(${expr}, collapse = " | "), "\\n", sep = "")`;
    });
    const plain = runRscript(dir, script, 'resonanz.R');
    const checked = runRscript(dir, `${script}\n${printing.join('\n')}\n`);
    result = {
      status: plain.status === 0 ? checked.status : plain.status,
      stdout: `${plain.stdout}${checked.stdout}`,
      stderr: `${plain.stderr}${checked.stderr}`,
    };
    values = new Map(
      checked.stdout
        .split('\n')
        .filter((line) => line.includes('\t'))
        .map((line) => line.split('\t', 2) as [string, string]),
    );
  }, 90_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const value = (name: string) => {
    const v = values.get(name);
    if (v === undefined) throw new Error(`no ${name} in\n${result.stdout}\n${result.stderr}`);
    return v.split(' | ');
  };

  it('runs as `Rscript resonanz.R` from the data folder without errors or warnings', () => {
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('reads all 12 rows with the codebook names and column classes', () => {
    expect(value('nrow')).toEqual(['12']);
    expect(value('names')).toEqual(['id', 'stadt', 'vertrauen', 'gewicht', 'kommentar']);
    expect(value('classes')).toEqual(['numeric', 'factor', 'ordered', 'numeric', 'character']);
  });

  it('turns categories into factors with the labels as levels, ordered for the ordinal scale', () => {
    expect(value('levels_stadt')).toEqual(['Köln', 'Düsseldorf', "Rhein-Sieg, 'Umland'"]);
    expect(value('levels_vertrauen')).toEqual(['gar nicht', 'eher nicht', 'teils, teils', 'eher', 'völlig']);
    expect(value('ordered')).toEqual(['FALSE', 'TRUE']);
    expect(value('table_stadt')).toEqual(['4', '3', '2']);
  });

  it('makes the missing codes NA, and empty strings too', () => {
    expect(value('na')).toEqual(['0', '3', '2', '4', '6']);
    expect(Number(value('mean_gewicht')[0])).toBeCloseTo(9.25 / 8, 10);
  });

  it('sets the variable labels, quotes and umlauts intact', () => {
    expect(value('label_vertrauen')).toEqual([codebook.variables[2]?.label.de]);
    expect(value('label_kommentar')).toEqual(['Kommentar ("frei")']);
  });

  it('keeps text with commas, quotes and umlauts', () => {
    expect(value('kommentar')).toEqual([
      'Schöne Grüße',
      'Er sagte "ja", dann nein',
      "it's fine",
      'Über, unter, neben',
      'ÄÖÜäöüß äöüß äöüß äöüß',
    ]);
  });
});
