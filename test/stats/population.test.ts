import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadPopulation, populationFor } from '../../shared/data/population-files.js';
import {
  checkPopulationFit,
  marginsFor,
  type Population,
  PopulationFileError,
  parsePopulationFile,
} from '../../shared/stats/population.js';
import { rake } from '../../shared/stats/weighting.js';
import { formatFileIssues, parseSurveyFile } from '../../shared/survey/parse-file.js';
import { validateDefinition } from '../../shared/survey/validate.js';
import { miniSurveyInput } from '../fixtures/mini-survey.js';

function survey(file: string) {
  const result = parseSurveyFile(file, readFileSync(file, 'utf8'));
  if (!result.ok) throw new Error(formatFileIssues(result));
  return result.definition;
}

function population(file: string): Population {
  const result = parsePopulationFile(file, readFileSync(file, 'utf8'));
  if (!result.ok) throw new Error(formatFileIssues(result));
  return result.population;
}

const minimal = `id: testkreis
area: Testkreis
verified: false
margins:
  - id: city
    dimensions: [city]
    unit: percent
    source: test
    referenceDate: "2022-12-31"
    targets:
      - { city: alpha, value: 60 }
      - { city: beta, value: 40 }
audiences:
  public: [city]
`;

function issuesOf(text: string, file = 'population/testkreis.yaml'): string {
  const result = parsePopulationFile(file, text);
  return result.ok ? '' : formatFileIssues(result);
}

describe('population files', () => {
  it.each([
    ['population/kreis-recklinghausen.yaml', 'surveys/handwerk-recklinghausen.yaml'],
    ['population/kreis-unna.yaml', 'surveys/handwerk-unna.yaml'],
    ['population/stadt-bottrop.yaml', 'surveys/reallabor-handwerk-bottrop.yaml'],
  ])('%s is valid and fits %s', (populationFile, surveyFile) => {
    // Prepare
    const definition = survey(surveyFile);
    const p = population(populationFile);
    // Act
    const issues = checkPopulationFit(p, definition);
    // Assess
    expect(issues).toEqual([]);
    expect(definition.settings.weighting?.population).toBe(p.id);
    expect(marginsFor(p, 'public').length).toBeGreaterThan(0);
    expect(marginsFor(p, 'business')).toEqual([]);
  });

  it('says what does not fit when a survey uses another area', () => {
    const issues = checkPopulationFit(
      population('population/kreis-recklinghausen.yaml'),
      survey('surveys/handwerk-unna.yaml'),
    );
    const messages = issues.map((i) => `${i.path}: ${i.message}`).join('\n');
    expect(messages).toContain('margins[0].targets[0].city: "castrop-rauxel" is not an answer code');
    expect(messages).toContain('campaign city "luenen" has no population');
    expect(messages).toContain(
      'margin "age_gender" needs the dimension gender, which handwerk-unna does not ask public',
    );
  });

  it('turns a file into raking margins that weight a sample to its targets', () => {
    // Prepare: every respondent from Recklinghausen except a few from Marl.
    const margins = marginsFor(population('population/kreis-recklinghausen.yaml'), 'public');
    const cells = [
      { dimensions: { city: 'recklinghausen', age_band: 'age_30_49', gender: 'female' }, n: 40 },
      { dimensions: { city: 'recklinghausen', age_band: 'age_65_plus', gender: 'male' }, n: 20 },
      { dimensions: { city: 'marl', age_band: 'age_30_49', gender: 'male' }, n: 10 },
      { dimensions: { city: 'marl', age_band: 'age_65_plus', gender: 'male' }, n: 10 },
      { dimensions: { city: 'elsewhere', age_band: '_', gender: 'diverse' }, n: 3 },
    ];
    // Act
    const r = rake(cells, margins, { cap: Number.POSITIVE_INFINITY });
    // Assess
    expect(r.converged).toBe(true);
    expect(r.margins.map((m) => m.id)).toEqual(['city', 'age_gender']);
    expect(r.margins[0]?.emptyCategories).toContain('datteln');
    expect(r.margins[0]?.uncategorised).toBe(3);
    const recklinghausen = 40 * (r.weights[0] ?? 0) + 20 * (r.weights[1] ?? 0);
    const marl = 10 * (r.weights[2] ?? 0) + 10 * (r.weights[3] ?? 0);
    expect(recklinghausen / (recklinghausen + marl)).toBeCloseTo(111 / 196, 7);
  });

  it('reports no convergence when the sample cannot meet both margins', () => {
    // Prepare: all Marl respondents are men aged 30-49 and nobody else is, so Marl's population
    // share (85/196) and that group's share among the groups present (13.8/39.4) cannot both hold.
    const margins = marginsFor(population('population/kreis-recklinghausen.yaml'), 'public');
    const cells = [
      { dimensions: { city: 'recklinghausen', age_band: 'age_30_49', gender: 'female' }, n: 40 },
      { dimensions: { city: 'recklinghausen', age_band: 'age_65_plus', gender: 'male' }, n: 20 },
      { dimensions: { city: 'marl', age_band: 'age_30_49', gender: 'male' }, n: 10 },
    ];
    // Act
    const r = rake(cells, margins);
    // Assess
    expect(r.converged).toBe(false);
    expect(r.iterations).toBe(100);
    expect(r.maxDeviation).toBeGreaterThan(0.01);
  });
});

describe('parsePopulationFile', () => {
  it('accepts a minimal file', () => {
    expect(issuesOf(minimal)).toBe('');
  });

  it.each([
    [
      'percent that do not sum to 100',
      minimal.replace('value: 40', 'value: 30'),
      'margins[0].targets: percent values sum to 90, not 100',
    ],
    [
      'an unknown margin for an audience',
      minimal.replace('public: [city]', 'public: [city, age]'),
      'audiences.public[1]: "age" is not a margin id',
    ],
    [
      'a key that is not a dimension of the margin',
      minimal.replace('city: beta,', 'city: beta, gender: female,'),
      'margins[0].targets[1].gender: unknown key "gender"',
    ],
    [
      'a negative value',
      minimal.replace('value: 40', 'value: -40'),
      'margins[0].targets[1].value: needs a number of at least 0',
    ],
    [
      'a duplicate category',
      minimal.replace('city: beta', 'city: alpha'),
      'margins[0].targets[1]: duplicate category "alpha"',
    ],
    ['an unknown dimension', minimal.replace('[city]\n    unit', '[town]\n    unit'), 'margins[0].dimensions[0]:'],
    [
      'an unknown audience',
      minimal.replace('public: [city]', 'residents: [city]'),
      'audiences: Unrecognized key: "residents"',
    ],
    ['a missing source', minimal.replace('    source: test\n', ''), 'margins[0].source:'],
    ['a bad reference date', minimal.replace('"2022-12-31"', '"Dec 2022"'), 'margins[0].referenceDate: use a year'],
  ])('reports %s as file: path: reason', (_, text, expected) => {
    expect(issuesOf(text)).toContain(`population/testkreis.yaml: ${expected}`);
  });

  it('requires the id to be the file name', () => {
    expect(issuesOf(minimal, 'population/other.yaml')).toBe(
      'population/other.yaml: id: must be "other", the file\'s name',
    );
  });

  it('reports YAML syntax errors with their line', () => {
    expect(issuesOf('id: [testkreis\n')).toMatch(/^population\/testkreis.yaml: line \d+, column \d+: /);
  });
});

describe('loadPopulation', () => {
  it('loads a file from population/ and the one a survey names', async () => {
    const p = await loadPopulation('kreis-unna');
    expect(p.area).toBe('Kreis Unna');
    expect(await populationFor(survey('surveys/handwerk-unna.yaml'))).toBe(p);
  });

  it('fails with the file and reason when the file is missing', async () => {
    await expect(loadPopulation('nowhere')).rejects.toThrow(PopulationFileError);
    await expect(loadPopulation('nowhere')).rejects.toThrow('population/nowhere.yaml: (file): cannot be read');
  });

  it('gives no population to a survey without weighting settings', async () => {
    const result = validateDefinition(miniSurveyInput);
    if (!result.ok) throw new Error('fixture invalid');
    expect(await populationFor(result.definition)).toBeUndefined();
  });
});

describe('settings.weighting', () => {
  it('defaults the cap to 5 and rejects a cap below 1', () => {
    const ok = validateDefinition({ ...miniSurveyInput, settings: { weighting: { population: 'testkreis' } } });
    expect(ok.ok && ok.definition.settings.weighting).toEqual({ population: 'testkreis', cap: 5 });
    const bad = validateDefinition({
      ...miniSurveyInput,
      settings: { weighting: { population: 'testkreis', cap: 0.5 } },
    });
    expect(bad.ok ? [] : bad.issues.map((i) => i.path)).toEqual(['settings.weighting.cap']);
  });
});
