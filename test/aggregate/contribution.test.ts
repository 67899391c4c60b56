import { describe, expect, it } from 'vitest';
import {
  addCounters,
  cellKey,
  contributionOf,
  indicatorScore,
  parseCellKey,
  shardOf,
} from '../../shared/aggregate/contribution.js';
import { counterParts } from '../../shared/data/aggregate-layout.js';
import { aggregateUpdates } from '../../shared/data/response-store.js';
import { buildResponse, responseIdFor } from '../../shared/response/build.js';
import { miniAnswers, miniSurvey } from '../fixtures/mini-survey.js';

const build = (answers: Record<string, unknown>) =>
  buildResponse({
    definition: miniSurvey,
    audience: 'public',
    waveId: 'w0',
    submissionId: '6f1c7c1e-8d51-4c5e-9d8e-1f2a3b4c5d6e',
    channel: undefined,
    activeChannels: new Set(),
    locale: 'de',
    answers: answers as never,
    now: new Date('2026-03-04T23:59:59Z'),
  });

describe('contributionOf', () => {
  it('adds n, sums, sums of squares and option counts', () => {
    const counters = contributionOf(miniSurvey, build({ ...miniAnswers, img_modern: 'dk' }));
    expect(counters).toEqual({
      n: 1,
      '@channel#unknown': 1,
      '@day#2026-03-04': 1,
      // Indicator scores in hundredths. Only img_pair (6 on 1..7) scores for the index:
      // (6 - 1) / 6 x 100 = 83.33; img_modern is "don't know".
      '@ind#image_index#n': 1,
      '@ind#image_index#s': 8333,
      '@ind#image_index#ss': 8333 ** 2,
      // recommend 9: a promoter (+1); aided "yes": recognised (1).
      '@ind#nps#n': 1,
      '@ind#nps#s': 100,
      '@ind#nps#ss': 10000,
      '@ind#recognition#n': 1,
      '@ind#recognition#s': 100,
      '@ind#recognition#ss': 10000,
      'consent#n': 1,
      'consent#o#self': 1,
      'seen_ads#n': 1,
      'seen_ads#o#yes': 1,
      'seen_what#n': 1,
      'img_modern#o#dk': 1,
      'img_pair#n': 1,
      'img_pair#s': 6,
      'img_pair#ss': 36,
      'img_pair#o#6': 1,
      'recommend#n': 1,
      'recommend#s': 9,
      'recommend#ss': 81,
      'recommend#o#9': 1,
      'grade#n': 1,
      'grade#s': 2,
      'grade#ss': 4,
      'grade#o#2': 1,
      'aided#n': 1,
      'aided#o#yes': 1,
      'channels#n': 1,
      'channels#o#poster': 1,
      'channels#o#social': 1,
      'city#n': 1,
      'city#o#alpha': 1,
      'age#n': 1,
      'age#s': 17,
      'age#ss': 289,
    });
  });

  it('scores each indicator per respondent', () => {
    const questions = miniSurvey.audiences.public?.sections.flatMap((s) => s.questions) ?? [];
    const indicator = (id: string) => {
      const found = miniSurvey.indicators.find((i) => i.id === id);
      if (!found) throw new Error(`no indicator ${id}`);
      return [found, questions.filter((q) => q.indicator === id)] as const;
    };
    const [index, items] = indicator('image_index');
    expect(items.map((q) => q.id)).toEqual(['img_modern', 'img_pair']);
    // likert 4 on 1..5 -> 75; semantic differential 7 on 1..7 -> 100.
    expect(indicatorScore(index, items, { img_modern: 4, img_pair: 7 })).toBeCloseTo(87.5, 12);
    expect(indicatorScore(index, items, { img_modern: 1, img_pair: 1 })).toBe(0);
    expect(indicatorScore(index, items, { img_modern: 'dk', img_pair: 'dk' })).toBeUndefined();
    expect(indicatorScore(index, items, {})).toBeUndefined();

    const [nps, rating] = indicator('nps');
    expect([10, 9, 8, 7, 6, 0].map((recommend) => indicatorScore(nps, rating, { recommend }))).toEqual([
      1, 1, 0, 0, -1, -1,
    ]);
    expect(indicatorScore(nps, rating, {})).toBeUndefined();

    const [share, aided] = indicator('recognition');
    expect(['yes', 'no', 'dk'].map((a) => indicatorScore(share, aided, { aided: a }))).toEqual([1, 0, 0]);
    expect(indicatorScore(share, aided, {})).toBeUndefined();

    // A mean stays on the item's own scale (a grade 1-6), "don't know" is no answer.
    const grade = questions.filter((q) => q.id === 'grade');
    const meanOf = { id: 'grade_mean', kind: 'mean', label: { de: 'Note', en: 'Grade' } } as const;
    expect(indicatorScore(meanOf, grade, { grade: 2 })).toBe(2);
    expect(indicatorScore(meanOf, grade, { grade: 'dk' })).toBeUndefined();

    const counters = contributionOf(miniSurvey, build({ ...miniAnswers, img_modern: 'dk', img_pair: 'dk' }));
    expect(Object.keys(counters).filter((k) => k.startsWith('@ind#image_index'))).toEqual([]);
  });

  it('keeps the day only and never the submission id', () => {
    const response = build(miniAnswers);
    expect(response.submittedOn).toBe('2026-03-04');
    expect(JSON.stringify(response)).not.toContain('6f1c7c1e');
    expect(response.responseId).toBe(responseIdFor('mini', '6F1C7C1E-8D51-4C5E-9D8E-1F2A3B4C5D6E'));
  });

  it('keys cells by audience and every dimension', () => {
    const response = build(miniAnswers);
    const key = cellKey(response.audience, response.dimensions);
    expect(key).toBe('public|alpha|_|_|_|_|yes');
    expect(parseCellKey(key)).toEqual({ audience: 'public', dimensions: response.dimensions });
  });
});

describe('aggregateUpdates', () => {
  it('splits many counters into several ADD expressions below 4 KB', () => {
    const counters = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`q${i}#o#option_code_${i}`, 1]));
    const parts = aggregateUpdates(counters);
    expect(parts.length).toBe(3);
    for (const part of parts) expect(part.expression.length).toBeLessThan(4096);
    const merged = parts.reduce(
      (acc, p) =>
        addCounters(
          acc,
          Object.fromEntries(Object.entries(p.names).map(([k, name]) => [name, p.values[k.replace('#', ':')] ?? 0])),
        ),
      {},
    );
    expect(merged).toEqual(counters);
  });
});

describe('counterParts', () => {
  it('puts n first in part 0 whatever sorts before it, so every response changes n of its cell', () => {
    const counters = { n: 1, ...Object.fromEntries(Array.from({ length: 130 }, (_, i) => [`a${i}#n`, 1])) };
    const parts = counterParts(counters);
    expect(parts.map((p) => Object.keys(p).length)).toEqual([120, 11]);
    expect(Object.keys(parts[0] ?? {})[0]).toBe('n');
    expect(addCounters(addCounters({}, parts[0] ?? {}), parts[1] ?? {})).toEqual(counters);
  });
});

describe('shardOf', () => {
  it('spreads ids over all shards', () => {
    const seen = new Set(Array.from({ length: 400 }, (_, i) => shardOf(responseIdFor('s', `id-${i}`), 8)));
    expect(seen.size).toBe(8);
  });
});
