import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { codeListing } from '../../shared/survey/codes.js';
import { formatFileIssues, parseSurveyFile } from '../../shared/survey/parse-file.js';
import type { AudienceDefinition, Question, SurveyDefinition } from '../../shared/survey/schema.js';
import pinnedCodes from '../fixtures/survey-codes.json' with { type: 'json' };

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

/** Every text of a question a respondent reads, besides its label. */
function questionTexts(q: Question): { de: string; en: string }[] {
  const texts = [q.label, ...(q.help ? [q.help] : [])];
  if (q.type === 'semantic_differential') texts.push(q.left, q.right);
  if (q.type === 'rating') texts.push(q.low, q.high);
  if (q.type === 'number' && q.unit) texts.push(q.unit);
  if (q.type === 'single_choice' || q.type === 'multiple_choice') texts.push(...q.options.map((o) => o.label));
  return texts;
}

/** The question tagged as exposure (recognition of the campaign or programme), if the audience asks one. */
function exposureIndex(audience: AudienceDefinition): number {
  return audience.sections.findIndex((s) => s.questions.some((q) => q.dimension === 'exposure'));
}

type Pinned = Record<string, Record<string, Record<string, Record<string, string>>>>;
const PINNED = pinnedCodes as Pinned;

describe('survey definitions', () => {
  it('finds the four surveys of the region in surveys/', () => {
    expect(FILES).toEqual(
      expect.arrayContaining([
        'handwerk-recklinghausen.yaml',
        'handwerk-unna.yaml',
        'reallabor-handwerk-bottrop.yaml',
        'unternehmensbefragung-emscher-lippe.yaml',
      ]),
    );
  });

  it.each(FILES)('parses %s without issues', (file) => {
    const result = parse(file);

    expect(result.ok ? [] : result.issues).toEqual([]);
  });

  it.each(FILES)('names %s after its id', (file) => {
    expect(file.replace(/\.(ya?ml|json)$/, '')).toBe(load(file).id);
  });

  it.each(FILES)('gives every text of %s in German and English', (file) => {
    const def = load(file);
    const texts: [string, { de: string; en: string }][] = [
      ['title', def.title],
      ['campaign', def.campaign.name],
      ...def.waves.map((w): [string, { de: string; en: string }] => [w.id, w.label]),
      ...def.indicators.map((i): [string, { de: string; en: string }] => [i.id, i.label]),
      ...def.channels.map((c): [string, { de: string; en: string }] => [c.code, c.label]),
      ...(def.targets ?? []).map((t): [string, { de: string; en: string }] => [`target ${t.indicator}`, t.source]),
    ];
    for (const [name, audience] of audiences(def)) {
      texts.push(
        [name, audience.title],
        ...(audience.intro ? [[name, audience.intro] as [string, typeof audience.intro]] : []),
      );
      for (const section of audience.sections) {
        texts.push([section.id, section.title]);
        if (section.intro) texts.push([section.id, section.intro]);
        for (const q of section.questions) texts.push(...questionTexts(q).map((t): [string, typeof t] => [q.id, t]));
      }
    }
    for (const [where, text] of texts) {
      expect(text.de.trim(), where).not.toBe('');
      expect(text.en.trim(), where).not.toBe('');
      // An English text that is the German one unchanged is a translation left out (names excepted).
      if (text.de.length > 25) expect(text.en, where).not.toBe(text.de);
    }
  });

  it.each(FILES)('starts every audience of %s with consent', (file) => {
    for (const [name, audience] of audiences(load(file))) {
      expect(audience.sections[0]?.questions[0]?.type, name).toBe('consent');
      expect(audience.sections[0]?.questions.length, name).toBe(1);
    }
  });

  it.each(FILES)(
    'asks unaided recall in a locked second section, and locks the answers before naming the campaign, in %s',
    (file) => {
      const def = load(file);

      for (const [name, audience] of audiences(def)) {
        const exposure = exposureIndex(audience);
        if (exposure < 0) continue;
        expect(audience.sections[1]?.noBack, name).toBe(true);
        expect(audience.sections[1]?.questions[0]?.id, name).toMatch(/^aware_unaided/);
        expect(exposure, name).toBeGreaterThan(1);
        // Once the campaign is named, no earlier answer can be revised.
        expect(audience.sections[exposure]?.noBack, name).toBe(true);
        expect(audience.sections[exposure - 1]?.noBack, name).toBe(true);
        expect(audience.sections[exposure - 1]?.showIf, name).toBeUndefined();
      }
    },
  );

  it.each(FILES)('tags every indicator of %s on a question of an audience', (file) => {
    const def = load(file);
    const tagged = new Set(audiences(def).flatMap(([, a]) => questions(a).map((q) => q.indicator)));

    for (const indicator of def.indicators) expect(tagged.has(indicator.id), indicator.id).toBe(true);
  });

  it.each(FILES)('requires only consent, city and role in %s', (file) => {
    const def = load(file);

    for (const [name, audience] of audiences(def)) {
      const required = questions(audience).filter((q) => q.required);
      for (const q of required) {
        expect(q.type === 'consent' || q.dimension === 'city' || q.dimension === 'role', `${name}.${q.id}`).toBe(true);
      }
      expect(
        required.some((q) => q.dimension === 'city'),
        name,
      ).toBe(true);
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

  it.each(FILES)('keeps the codes %s stores as pinned for its version (test/fixtures/survey-codes.json)', (file) => {
    const def = load(file);
    const versions = PINNED[def.id] ?? {};
    const listing = codeListing(def.audiences);

    expect(
      versions[def.version],
      `no codes pinned for ${def.id} v${def.version}: run \`npm run surveys:validate -- --codes surveys/${file}\` and add its entry`,
    ).toBeDefined();
    // Same version, same codes: a changed question or code needs a new version.
    expect(listing).toEqual(versions[def.version]);
    // A later version may add questions and codes, but never give an existing code another meaning.
    for (const [version, earlier] of Object.entries(versions)) {
      for (const [audience, byQuestion] of Object.entries(earlier)) {
        for (const [id, shape] of Object.entries(byQuestion)) {
          const now = listing[audience]?.[id];
          if (now === undefined) continue;
          const [type, codes = ''] = shape.split(':');
          expect(now.startsWith(`${type}:`), `${audience}.${id} changed type since v${version}`).toBe(true);
          const kept = new Set(
            now
              .slice(type?.length ?? 0)
              .replace(/^:/, '')
              .split(','),
          );
          for (const code of codes.split(',').filter(Boolean)) {
            expect(kept.has(code), `${audience}.${id} lost code ${code} since v${version}`).toBe(true);
          }
        }
      }
    }
  });

  it.each(FILES)(
    'asks the Handwerk image battery of %s word for word as Recklinghausen does, if it asks it',
    (file) => {
      const def = load(file);
      const reference = new Map(
        questions(load('handwerk-recklinghausen.yaml').audiences.public as AudienceDefinition)
          .filter((q) => q.indicator === 'image_index')
          .map((q) => [q.id, q]),
      );

      for (const [name, audience] of audiences(def)) {
        for (const q of questions(audience).filter((x) => x.indicator === 'image_index')) {
          expect(reference.get(q.id)?.label, `${name}.${q.id}`).toEqual(q.label);
          expect(q.type, `${name}.${q.id}`).toBe('likert');
        }
      }
      if (def.indicators.some((i) => i.id === 'image_index')) {
        expect(def.indicators.find((i) => i.id === 'image_index')?.kind).toBe('index');
      }
    },
  );

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
  describe('unternehmensbefragung-emscher-lippe', () => {
    const def = (): SurveyDefinition => load('unternehmensbefragung-emscher-lippe.yaml');
    const business = (): AudienceDefinition => def().audiences.business as AudienceDefinition;
    const byId = () => new Map(questions(business()).map((q) => [q.id, q]));

    it('asks businesses only, in the three model communes across a Kreis and a kreisfreie Stadt', () => {
      expect(audiences(def()).map(([name]) => name)).toEqual(['business']);
      expect(def().campaign.cities.map((c) => c.code)).toEqual([
        'kreis-recklinghausen',
        'castrop-rauxel',
        'gelsenkirchen',
      ]);
      expect(cityCodes(business())).toEqual(['kreis-recklinghausen', 'castrop-rauxel', 'gelsenkirchen']);
      expect(def().campaign.region).toBe('Modellkommunen Emscher-Lippe');
    });

    it('measures yearly from a 2026 baseline to a third repeat', () => {
      expect(def().waves.map((w) => w.kind)).toEqual(['baseline', 'followup', 'followup', 'followup']);
      expect(def().waves[0]?.label.de).toContain('2026');
    });

    it('grades the administration overall and five services as school grades, the services only after contact', () => {
      const grades = questions(business()).filter((q) => q.type === 'grade');

      expect(grades.map((q) => q.id)).toEqual([
        'admin_grade',
        'grade_permits',
        'grade_business_development',
        'grade_online_services',
        'grade_reachability',
        'grade_processing_time',
      ]);
      for (const q of grades) expect(def().indicators.find((i) => i.id === q.indicator)?.kind, q.id).toBe('mean');
      const services = business().sections.find((s) => s.questions.some((q) => q.id === 'grade_permits'));
      expect(services?.showIf).toEqual({ question: 'admin_contact', anyOf: ['yes'] });
      expect(sectionIndexOf(business(), 'admin_grade')).toBeLessThan(sectionIndexOf(business(), 'grade_permits'));
    });

    it('asks firm size, sector, contact and suggestions, with the sector a quasi-identifier of the export', () => {
      expect(byId().get('business_size')?.dimension).toBe('business_size');
      expect(byId().get('sector')?.type).toBe('single_choice');
      expect(byId().get('admin_contact')?.type).toBe('yes_no');
      expect(byId().get('suggestions')?.type).toBe('text');
      expect(def().settings.export?.quasiIdentifiers).toEqual(['sector', 'admin_contact']);
    });

    it("declares the agreement's target: mean grade 2.7 or better by the third repeat, from 3.1", () => {
      expect(def().targets).toEqual([
        expect.objectContaining({
          indicator: 'admin_grade',
          audience: 'business',
          direction: 'at_most',
          value: 2.7,
          from: 3.1,
          wave: 'w3-2029',
        }),
      ]);
      expect(def().targets?.[0]?.source.de).toContain('Emscher-Lippe');
    });

    it("is unweighted, so the target is tested on the same mean as the agreement's 3.1", () => {
      expect(def().settings.weighting).toBeUndefined();
    });
  });

  describe('reallabor-handwerk-bottrop', () => {
    const def = (): SurveyDefinition => load('reallabor-handwerk-bottrop.yaml');
    const audience = (name: 'public' | 'business'): AudienceDefinition => def().audiences[name] as AudienceDefinition;

    it('asks the public and craft businesses, by Bottrop area', () => {
      expect(audiences(def()).map(([name]) => name)).toEqual(['public', 'business']);
      expect(def().campaign.cities.map((c) => c.code)).toEqual(['alt-bottrop', 'kirchhellen']);
      expect(cityCodes(audience('public'))).toEqual(['alt-bottrop', 'kirchhellen', 'elsewhere']);
      // The Reallabor is for businesses in Bottrop.
      expect(cityCodes(audience('business'))).toEqual(['alt-bottrop', 'kirchhellen']);
    });

    it('asks the public the whole Handwerk image battery and the crafts as an employer', () => {
      const ids = questions(audience('public'));

      expect(ids.filter((q) => q.indicator === 'image_index').map((q) => q.id)).toEqual(IMAGE_BATTERY);
      expect(ids.filter((q) => q.indicator === 'employer_image').length).toBeGreaterThanOrEqual(3);
    });

    it("measures the businesses' digitalisation with an index, advice, and the formats of the Reallabor", () => {
      const ids = questions(audience('business'));
      const digital = ids.filter((q) => q.indicator === 'digital_index');

      expect(digital.length).toBeGreaterThanOrEqual(5);
      expect(new Set(digital.map((q) => q.type))).toEqual(new Set(['likert']));
      expect(def().indicators.find((i) => i.id === 'digital_index')?.kind).toBe('index');
      const formats = ids.find((q) => q.id === 'formats_used');
      expect(formats?.type === 'multiple_choice' ? formats.options.map((o) => o.code) : []).toEqual(
        expect.arrayContaining(['fablab', 'breakfast']),
      );
      expect(ids.map((q) => q.indicator)).toEqual(expect.arrayContaining(['advice_interest', 'advice_used']));
    });

    it('names the Reallabor only after the digital and image questions are locked', () => {
      for (const name of ['public', 'business'] as const) {
        const known = sectionIndexOf(audience(name), 'reallabor_known');
        const measured = audience(name).sections.findIndex((s) =>
          s.questions.some((q) => q.indicator === 'image_index' || q.indicator === 'digital_index'),
        );
        expect(measured, name).toBeGreaterThan(0);
        expect(known, name).toBeGreaterThan(measured);
      }
    });

    it("weights the public to Bottrop's population and declares targets for both goals", () => {
      expect(def().settings.weighting?.population).toBe('stadt-bottrop');
      expect(def().targets?.map((t) => `${t.audience}:${t.indicator}`)).toEqual(
        expect.arrayContaining(['public:employer_image', 'business:digital_index']),
      );
    });
  });
});
