import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatFileIssues, parseSurveyFile } from '../../shared/survey/parse-file.js';
import type { AudienceDefinition, Question, SurveyDefinition } from '../../shared/survey/schema.js';

const SURVEYS_DIR = fileURLToPath(new URL('../../surveys/', import.meta.url));
const FILES = readdirSync(SURVEYS_DIR)
  .filter((f) => /\.(ya?ml|json)$/.test(f))
  .sort();

function parse(file: string) {
  return parseSurveyFile(file, readFileSync(`${SURVEYS_DIR}${file}`, 'utf8'));
}

const loaded = new Map<string, SurveyDefinition>();

/** The parsed definition; read lazily so one broken file fails its own tests, not the collection. */
function load(file: string): SurveyDefinition {
  const cached = loaded.get(file);
  if (cached) return cached;
  const result = parse(file);
  if (!result.ok) throw new Error(formatFileIssues(result));
  loaded.set(file, result.definition);
  return result.definition;
}

function audiences(def: SurveyDefinition): [string, AudienceDefinition][] {
  return Object.entries(def.audiences).filter((e): e is [string, AudienceDefinition] => e[1] !== undefined);
}

function questions(audience: AudienceDefinition): Question[] {
  return audience.sections.flatMap((s) => s.questions);
}

function sectionIndexOf(audience: AudienceDefinition, questionId: string): number {
  return audience.sections.findIndex((s) => s.questions.some((q) => q.id === questionId));
}

function cityCodes(audience: AudienceDefinition): string[] {
  const city = questions(audience).find((q) => q.dimension === 'city');
  return city?.type === 'single_choice' ? city.options.map((o) => o.code) : [];
}

const RECKLINGHAUSEN_CITIES = [
  'castrop-rauxel',
  'datteln',
  'dorsten',
  'gladbeck',
  'haltern-am-see',
  'herten',
  'marl',
  'oer-erkenschwick',
  'recklinghausen',
  'waltrop',
];
const UNNA_CITIES = [
  'bergkamen',
  'boenen',
  'froendenberg-ruhr',
  'holzwickede',
  'kamen',
  'luenen',
  'schwerte',
  'selm',
  'unna',
  'werne',
];
const IMAGE_BATTERY = [
  'img_modern',
  'img_innovative',
  'img_secure_jobs',
  'img_career',
  'img_climate',
  'img_digital',
  'img_regional_economy',
  'img_problem_solver',
];

describe('survey definitions', () => {
  it('finds the Recklinghausen and Unna definitions in surveys/', () => {
    expect(FILES).toEqual(expect.arrayContaining(['handwerk-recklinghausen.yaml', 'handwerk-unna.yaml']));
  });

  it.each(FILES)('parses %s without issues', (file) => {
    const result = parse(file);

    expect(result.ok ? [] : result.issues).toEqual([]);
  });

  it.each(FILES)('labels every section, question and option of %s in German and English', (file) => {
    const def = load(file);

    for (const [, audience] of audiences(def)) {
      for (const section of audience.sections) {
        expect(section.title.de.trim()).not.toBe('');
        expect(section.title.en.trim()).not.toBe('');
        for (const q of section.questions) {
          expect(q.label.de.trim(), q.id).not.toBe('');
          expect(q.label.en.trim(), q.id).not.toBe('');
          if (q.type === 'single_choice' || q.type === 'multiple_choice') {
            for (const o of q.options) {
              expect(o.label.de.trim(), `${q.id}.${o.code}`).not.toBe('');
              expect(o.label.en.trim(), `${q.id}.${o.code}`).not.toBe('');
            }
          }
        }
      }
    }
  });

  it.each(FILES)(
    'starts every audience of %s with consent and asks unaided recall in a locked section before the campaign',
    (file) => {
      const def = load(file);

      for (const [name, audience] of audiences(def)) {
        const unaided = sectionIndexOf(audience, 'aware_unaided');
        const aided = sectionIndexOf(audience, 'aided_recognition');
        expect(audience.sections[0]?.questions[0]?.type, name).toBe('consent');
        expect(unaided, name).toBe(1);
        expect(audience.sections[unaided]?.noBack, name).toBe(true);
        expect(aided, name).toBeGreaterThan(unaided);
      }
    },
  );

  it.each(FILES)('requires only consent, city and role in %s', (file) => {
    const def = load(file);

    for (const [name, audience] of audiences(def)) {
      const required = questions(audience).filter((q) => q.required);
      for (const q of required) {
        expect(q.type === 'consent' || q.dimension === 'city' || q.dimension === 'role', `${name}.${q.id}`).toBe(true);
      }
    }
  });

  it.each(FILES)('declares targets in %s, each with a deadline from 2027 on and a source in both languages', (file) => {
    const def = load(file);

    expect(def.targets?.length ?? 0).toBeGreaterThan(0);
    for (const target of def.targets ?? []) {
      expect(target.source.de.length, target.indicator).toBeGreaterThan(20);
      expect(target.source.en.length, target.indicator).toBeGreaterThan(20);
      expect(target.deadline >= '2027-01-01', target.indicator).toBe(true);
    }
  });

  it('gives every survey and campaign its own id', () => {
    const defs = FILES.map(load);

    expect(new Set(defs.map((d) => d.id)).size).toBe(defs.length);
    expect(new Set(defs.map((d) => d.campaign.id)).size).toBe(defs.length);
  });

  describe('handwerk-recklinghausen', () => {
    const def = (): SurveyDefinition => load('handwerk-recklinghausen.yaml');
    const all = (): [string, AudienceDefinition][] => audiences(def());

    it('defines the public, business and multiplier audiences', () => {
      expect(
        all()
          .map(([name]) => name)
          .sort(),
      ).toEqual(['business', 'multiplier', 'public']);
    });

    it('declares one baseline and two follow-up waves', () => {
      expect(def().waves.map((w) => w.kind)).toEqual(['baseline', 'followup', 'followup']);
    });

    it('offers the ten cities of the county plus elsewhere in every city question', () => {
      expect(def().campaign.cities.map((c) => c.code)).toEqual(RECKLINGHAUSEN_CITIES);
      for (const [name, audience] of all()) {
        expect(cityCodes(audience), name).toEqual([...RECKLINGHAUSEN_CITIES, 'elsewhere']);
      }
    });

    it('asks the same image battery in every audience', () => {
      for (const [name, audience] of all()) {
        const battery = questions(audience).filter((q) => q.indicator === 'image_index');
        expect(
          battery.map((q) => q.id),
          name,
        ).toEqual(IMAGE_BATTERY);
        expect(new Set(battery.map((q) => q.type)), name).toEqual(new Set(['likert']));
      }
      expect(def().indicators.find((i) => i.id === 'image_index')?.kind).toBe('index');
    });

    it('measures the image battery before the campaign is shown', () => {
      for (const [name, audience] of all()) {
        expect(sectionIndexOf(audience, 'img_modern'), name).toBeLessThan(
          sectionIndexOf(audience, 'aided_recognition'),
        );
      }
    });

    it('tags aided recognition as exposure and shows attribution and channel only to those who recognise the campaign', () => {
      for (const [name, audience] of all()) {
        const byId = new Map(questions(audience).map((q) => [q.id, q]));
        expect(byId.get('aided_recognition')?.dimension, name).toBe('exposure');
        expect(byId.get('attribution')?.type, name).toBe('single_choice');
        expect(byId.get('aided_channel')?.showIf, name).toEqual({ question: 'aided_recognition', anyOf: ['yes'] });
      }
    });

    it('counts the band containing about 130 training occupations as correct', () => {
      const knows = def().indicators.find((i) => i.id === 'knows_occupations');

      expect(knows).toMatchObject({ kind: 'share', positive: ['from_100_to_150'] });
    });

    it('asks youth and parents about an apprenticeship only when their role fits', () => {
      const [, pub] = all().find(([name]) => name === 'public') ?? [];
      const byId = new Map(pub ? questions(pub).map((q) => [q.id, q]) : []);

      expect(byId.get('youth_apprenticeship')?.showIf).toEqual({ question: 'public_role', anyOf: ['pupil'] });
      expect(byId.get('parent_recommend')?.showIf).toEqual({ question: 'public_role', anyOf: ['parent'] });
    });

    it('asks multipliers for a 0-10 recommendation counted as NPS', () => {
      const multiplier = def().audiences.multiplier;
      const q = multiplier ? questions(multiplier).find((x) => x.id === 'recommend_apprenticeship') : undefined;

      expect(q?.type).toBe('rating');
      expect(def().indicators.find((i) => i.id === q?.indicator)?.kind).toBe('nps');
    });

    it('asks businesses for county and chamber support as school grades', () => {
      const business = def().audiences.business;
      const grades = business ? questions(business).filter((q) => q.id.startsWith('support_grade')) : [];

      expect(grades.map((q) => q.id)).toEqual(['support_grade_county', 'support_grade_chamber']);
      for (const q of grades) {
        expect(q.type).toBe('grade');
        expect(def().indicators.find((i) => i.id === q.indicator)?.kind).toBe('mean');
      }
    });

    it('hides cells below 10, writes to 8 aggregate shards, weights to the county population, keeps 24 months', () => {
      const { export: exportSettings, ...settings } = def().settings;
      expect(settings).toEqual({
        minCellSize: 10,
        retention: { months: 24 },
        aggregateShards: 8,
        weighting: { population: 'kreis-recklinghausen', cap: 5 },
      });
      expect(exportSettings?.k).toBe(5);
      expect(exportSettings?.quasiIdentifiers).toEqual(['trade_group']);
      expect(exportSettings?.hierarchies.map((h) => h.dimension ?? h.question)).toEqual([
        'age_band',
        'business_size',
        'role',
        'trade_group',
      ]);
    });
  });

  describe('handwerk-unna', () => {
    const def = (): SurveyDefinition => load('handwerk-unna.yaml');
    const recklinghausen = (): SurveyDefinition => load('handwerk-recklinghausen.yaml');

    it('belongs to its own campaign', () => {
      expect(def().campaign.id).not.toBe(recklinghausen().campaign.id);
      expect(def().campaign.organisations).toContain('Handwerkskammer Dortmund');
    });

    it('offers its own towns plus elsewhere in every city question', () => {
      expect(def().campaign.cities.map((c) => c.code)).toEqual(UNNA_CITIES);
      for (const [name, audience] of audiences(def())) {
        expect(cityCodes(audience), name).toEqual([...UNNA_CITIES, 'elsewhere']);
      }
      expect(UNNA_CITIES.filter((c) => RECKLINGHAUSEN_CITIES.includes(c))).toEqual([]);
    });

    it('asks only the public and business audiences, with two follow-up waves', () => {
      expect(audiences(def()).map(([name]) => name)).toEqual(['public', 'business']);
      expect(def().waves.map((w) => w.kind)).toEqual(['baseline', 'followup', 'followup']);
    });
  });
});
