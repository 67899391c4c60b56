import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateDemoResponses } from '../../local/demo-data.js';
import { fillDemo } from '../../local/demo-fill.js';
import { writeDemoResponses } from '../../local/demo-write.js';
import { loadSurveys } from '../../local/load-surveys.js';
import { seededRandom } from '../../local/random.js';
import { readCells, totalOf, verifyAggregates } from '../../shared/data/aggregate-store.js';
import { impactCells } from '../../shared/data/impact-snapshot-store.js';
import { publishDefinition, SETTLE_GRACE_MS, setWaveState } from '../../shared/data/survey-store.js';
import type { Db } from '../../shared/data/table.js';
import { RESPONDENTS } from '../../shared/impact/report.js';
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
      // Posters bring the public; a survey of businesses only has none.
      expect(
        recorded.some((r) => kinds.get(r.channel) === 'poster'),
        definition.id,
      ).toBe(definition.audiences.public !== undefined);
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

  it("starts a target's indicator at its starting value and reaches the target by the last wave", () => {
    // Emscher-Lippe: the administration's grade from 3.1 (the agreement's figure) to 2.7.
    const survey = definitions.find((d) => d.id === 'unternehmensbefragung-emscher-lippe');
    const inputs = generate(survey ?? miniSurvey, 4000);
    const mean = (waveId: string | undefined) => {
      const grades = inputs
        .filter((i) => i.waveId === waveId)
        .map((i) => i.answers.admin_grade)
        .filter((v): v is number => typeof v === 'number');
      return grades.reduce((a, b) => a + b, 0) / grades.length;
    };
    const means = (survey?.waves ?? []).map((w) => mean(w.id));

    expect(means).toHaveLength(4);
    // About 1,000 grades per wave: a standard error of about 0.03.
    expect(Math.abs((means[0] ?? 0) - 3.1)).toBeLessThan(0.1);
    expect(Math.abs((means[3] ?? 0) - 2.7)).toBeLessThan(0.1);
    expect(means[1]).toBeLessThan(means[0] ?? 0);
    expect(means[2]).toBeLessThan(means[1] ?? 0);
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

    it('releases waves that are over anew once the demo is written, so a read during the fill does not keep part of it', async () => {
      // Every wave closed long ago: a read releases each for good.
      const closedAt = new Date(NOW.getTime() - 400 * 86_400_000);
      for (const wave of miniSurvey.waves) {
        await setWaveState(db, miniSurvey.id, { waveId: wave.id, state: 'closed', changedAt: closedAt.toISOString() });
      }
      const read = () => impactCells(db, miniSurvey, { now: new Date(NOW.getTime() + SETTLE_GRACE_MS), maxAgeMs: 1 });
      const respondents = (cells: Awaited<ReturnType<typeof read>>) => {
        let count = 0;
        for (const byAudience of cells.indexes.values()) {
          for (const byCity of byAudience.values()) {
            for (const byExposure of byCity.values()) {
              for (const byMeasure of byExposure.values()) count += byMeasure.get(RESPONDENTS)?.n ?? 0;
            }
          }
        }
        return count;
      };
      const before = await read();
      expect(before.settled.size).toBe(miniSurvey.waves.length);

      const written = await fillDemo(db, miniSurvey, { count: 60, seed: 7, now: NOW });

      expect(written.created).toBe(60);
      expect(respondents(await read())).toBe(respondents(before) + 60);
    });
  });
});
