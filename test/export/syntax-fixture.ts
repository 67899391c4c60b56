import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { type Codebook, MISSING_CODES } from '../../shared/export/codebook-types.js';

/**
 * A small hand-made codebook and data file for the SPSS and R script tests: every kind of
 * variable the generators handle, and labels that need escaping (umlauts, ', ", comma).
 */
export const codebook: Codebook = {
  surveyId: 'demo-stadt',
  definitionVersion: '3',
  title: { de: 'Stadtbefragung "Grün" – Bürger\'s Sicht', en: 'City survey "Green", citizens\' view' },
  generatedAt: '2026-11-22T04:00:00.000Z',
  dataFile: 'resonanz.csv',
  waves: [{ id: 'w0', label: { de: 'Basis', en: 'Baseline' }, kind: 'baseline' }],
  variables: [
    {
      name: 'id',
      label: { de: 'Laufende Nummer', en: 'Row number' },
      type: 'numeric',
      decimals: 0,
      measure: 'scale',
      values: [],
      missing: [],
      quasiIdentifier: false,
    },
    {
      name: 'stadt',
      label: { de: 'Wohnort (Stadt, Gemeinde)', en: 'Place of residence (city, town)' },
      type: 'numeric',
      decimals: 0,
      measure: 'nominal',
      values: [
        { code: 1, label: { de: 'Köln', en: 'Cologne' } },
        { code: 2, label: { de: 'Düsseldorf', en: 'Dusseldorf' } },
        { code: 3, label: { de: "Rhein-Sieg, 'Umland'", en: "Rhein-Sieg, 'surroundings'" } },
      ],
      missing: [MISSING_CODES.dontKnow, MISSING_CODES.notAsked],
      question: 'city',
      dimension: 'city',
      quasiIdentifier: true,
    },
    {
      name: 'vertrauen',
      label: {
        de: 'Wie sehr vertrauen Sie der Stadtverwaltung, wenn es um "Klimaschutz" geht? (1 = gar nicht, 5 = völlig)',
        en: 'How much do you trust the city administration on "climate protection"? (1 = not at all, 5 = fully)',
      },
      type: 'numeric',
      decimals: 0,
      measure: 'ordinal',
      values: [
        { code: 1, label: { de: 'gar nicht', en: 'not at all' } },
        { code: 2, label: { de: 'eher nicht', en: 'rather not' } },
        { code: 3, label: { de: 'teils, teils', en: 'partly' } },
        { code: 4, label: { de: 'eher', en: 'rather' } },
        { code: 5, label: { de: 'völlig', en: 'fully' } },
      ],
      missing: [MISSING_CODES.dontKnow],
      question: 'trust',
      indicator: 'trust',
      quasiIdentifier: false,
    },
    {
      name: 'gewicht',
      label: { de: 'Gewicht (Anpassung)', en: 'Weight (adjustment)' },
      type: 'numeric',
      decimals: 3,
      measure: 'scale',
      values: [],
      missing: [MISSING_CODES.dontKnow, MISSING_CODES.suppressed, MISSING_CODES.noAnswer, MISSING_CODES.notAsked],
      quasiIdentifier: false,
    },
    {
      name: 'kommentar',
      label: { de: 'Kommentar ("frei")', en: 'Comment ("free")' },
      type: 'string',
      width: 24,
      measure: 'nominal',
      values: [],
      missing: [],
      question: 'comment',
      quasiIdentifier: false,
    },
  ],
};

/** Columns: id, stadt, vertrauen, gewicht, kommentar. */
export const rows: (number | string)[][] = [
  [1, 1, 5, 1.25, 'Schöne Grüße'],
  [2, 2, 4, 0.875, ''],
  [3, 3, 3, 1.5, 'Er sagte "ja", dann nein'],
  [4, -1, 2, 0.5, "it's fine"],
  [5, 1, -1, 1.125, ''],
  [6, -9, 1, -7, 'Über, unter, neben'],
  [7, 2, 5, 2.25, ''],
  [8, 1, -1, -8, 'ÄÖÜäöüß äöüß äöüß äöüß'],
  [9, 3, 4, 0.75, ''],
  [10, 1, 3, -1, ''],
  [11, -9, 2, 1, 'x'],
  [12, 2, 1, -9, ''],
];

/** A fresh temp dir holding the data file as the export writes it (RFC 4180, UTF-8, no BOM). */
export function writeData(): string {
  const dir = mkdtempSync(join(tmpdir(), 'resonanz-syntax-'));
  const csv = stringify(rows, {
    header: true,
    columns: codebook.variables.map((v) => v.name),
    record_delimiter: '\r\n',
  });
  writeFileSync(join(dir, codebook.dataFile), csv, 'utf8');
  return dir;
}
