import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateDemoResponses } from '../../local/demo-data.js';
import { writeDemoResponses } from '../../local/demo-write.js';
import { loadSurveys } from '../../local/load-surveys.js';
import { seededRandom } from '../../local/random.js';
import { readCells, totalOf, verifyAggregates } from '../../shared/data/aggregate-store.js';
import { publishDefinition } from '../../shared/data/survey-store.js';
import type { Db } from '../../shared/data/table.js';
import { buildResponse } from '../../shared/response/build.js';
import { checkAnswers } from '../../shared/survey/answers.js';
import type { SurveyDefinition } from '../../shared/survey/schema.js';
import { miniSurvey } from '../fixtures/mini-survey.js';
import { freshTable } from '../setup/table.js';

const NOW = new Date('2026-11-20T10:00:00Z');

function generate(definition: SurveyDefinition, count: number, seed = 42) {
  return generateDemoResponses(definition, { count, random: seededRandom(seed), now: NOW });
}

describe('demo-data', () => {
  let definitions: SurveyDefinition[];

  beforeAll(async () => {
    // The real campaign files exercise every question type and showIf the campaigns use.
    definitions = [miniSurvey, ...(await loadSurveys(fileURLToPath(new URL('../../surveys', import.meta.url))))];
  });

  it('generates answers that pass checkAnswers for their audience', () => {
    for (const definition of definitions) {
      for (const input of generate(definition, 600)) {
        const spec = definition.audiences[input.audience];
        expect(spec, `${definition.id} ${input.audience}`).toBeDefined();
        const checked = checkAnswers(spec ?? { title: { de: '-', en: '-' }, sections: [] }, input.answers);
        expect(checked.ok ? [] : checked.issues, `${definition.id} ${input.audience}`).toEqual([]);
      }
    }
  });

  it('covers every wave and audience and several cities', () => {
    for (const definition of definitions) {
      const inputs = generate(definition, 300);
      const combos = new Set(inputs.map((i) => `${i.waveId}/${i.audience}`));
      const audiences = Object.keys(definition.audiences).filter((a) => definition.audiences[a as 'public']);
      expect(combos.size, definition.id).toBe(definition.waves.length * audiences.length);
      const cities = new Set(inputs.map((i) => buildResponse(i).dimensions.city));
      expect(cities.size, definition.id).toBeGreaterThanOrEqual(Math.min(3, definition.campaign.cities.length));
    }
  });

  it('comes through declared channels of fitting kinds, and sometimes through a bare link', () => {
    for (const definition of definitions.filter((d) => d.channels.length > 0)) {
      const recorded = generate(definition, 400).map((i) => ({
        audience: i.audience,
        channel: buildResponse(i).channel,
      }));
      const kinds = new Map(definition.channels.map((c) => [c.code, c.kind]));
      expect(
        recorded.some((r) => r.channel === 'unknown'),
        definition.id,
      ).toBe(true);
      expect(
        recorded.some((r) => r.channel.startsWith('plakat-')),
        definition.id,
      ).toBe(true);
      for (const r of recorded.filter((x) => x.audience !== 'public' && x.channel !== 'unknown')) {
        expect(['mail', 'web'], `${definition.id} ${r.channel}`).toContain(kinds.get(r.channel));
      }
    }
  });

  it('is reproducible for a seed and differs between seeds', () => {
    const survey = definitions[1] ?? miniSurvey;

    expect(generate(survey, 50, 7)).toEqual(generate(survey, 50, 7));
    expect(generate(survey, 50, 7)).not.toEqual(generate(survey, 50, 8));
  });

  it('recognises the campaign more often and rates Handwerk higher in follow-up waves', () => {
    const survey = definitions.find((d) => d.id === 'handwerk-recklinghausen') ?? miniSurvey;
    const exposure = survey.audiences.public?.sections
      .flatMap((s) => s.questions)
      .find((q) => q.dimension === 'exposure');
    const image = survey.audiences.public?.sections.flatMap((s) => s.questions).find((q) => q.type === 'likert');
    const inputs = generate(survey, 3000).filter((i) => i.audience === 'public');
    const stats = (waveId: string) => {
      const wave = inputs.filter((i) => i.waveId === waveId);
      const scores = wave.map((i) => i.answers[image?.id ?? '']).filter((v): v is number => typeof v === 'number');
      return {
        recognition: wave.filter((i) => i.answers[exposure?.id ?? ''] === 'yes').length / wave.length,
        image: scores.reduce((a, b) => a + b, 0) / scores.length,
      };
    };
    const first = survey.waves[0]?.id ?? '';
    const last = survey.waves[survey.waves.length - 1]?.id ?? '';

    expect(stats(last).recognition).toBeGreaterThan(stats(first).recognition + 0.1);
    expect(stats(last).image).toBeGreaterThan(stats(first).image);
  });

  describe('writing', () => {
    let db: Db;

    beforeAll(async () => {
      db = await freshTable();
      await publishDefinition(db, miniSurvey);
    });

    it('stores every response once with aggregates that match a recomputation', async () => {
      const inputs = generate(miniSurvey, 120);

      const first = await writeDemoResponses(db, inputs);
      const again = await writeDemoResponses(db, inputs.slice(0, 10));

      expect(first).toEqual({ created: 120, replayed: 0 });
      expect(again).toEqual({ created: 0, replayed: 10 });
      let n = 0;
      for (const wave of miniSurvey.waves) {
        n += totalOf(await readCells(db, miniSurvey.id, wave.id, miniSurvey.settings.aggregateShards)).n ?? 0;
      }
      expect(n).toBe(120);
      expect(await verifyAggregates(db, miniSurvey)).toEqual([]);
    });
  });
});
