import { describe, expect, it } from 'vitest';
import type { Counters } from '../../shared/aggregate/contribution.js';
import { fieldworkReport, shown } from '../../shared/fieldwork/report.js';
import { miniSurvey } from '../fixtures/mini-survey.js';

const cell = (n: number, channel: string, days: Record<string, number>): Counters => ({
  n,
  [`@channel#${channel}`]: n,
  ...Object.fromEntries(Object.entries(days).map(([d, c]) => [`@day#${d}`, c])),
});

describe('fieldworkReport', () => {
  it('hides a count on its own from 1 to k-1 and keeps 0 and k', () => {
    expect([0, 1, 9, 10, 11].map((c) => shown(c, 10))).toEqual([0, null, null, 10, 11]);
  });

  it('counts responses per wave, audience, city and channel and per period from cells only, through the gate', () => {
    const w0 = new Map<string, Counters>([
      ['public|alpha|_|_|_|_|yes', cell(12, 'plakat-alpha', { '2026-11-01': 7, '2026-11-02': 5 })],
      ['public|alpha|_|_|_|_|no', cell(3, 'plakat-alpha', { '2026-11-02': 3 })],
      ['public|beta|_|_|_|_|no', cell(14, 'unknown', { '2026-11-02': 4, '2026-11-03': 10 })],
      ['public|gamma|_|_|_|_|no', cell(4, 'unknown', { '2026-11-03': 4 })],
    ]);
    const report = fieldworkReport(miniSurvey, new Map([['w0', w0]]));
    expect(report.minCellSize).toBe(10);
    expect(report.waves[0]).toEqual({
      waveId: 'w0',
      collecting: false,
      responses: 33,
      audiences: [
        {
          audience: 'public',
          responses: 33,
          // gamma's 4 are hidden; beta's 14, the smallest other, with them; alpha's 15 shown.
          cities: [
            { city: 'alpha', responses: 15 },
            { city: 'beta', responses: null },
            { city: 'gamma', responses: null },
          ],
          // 33 - 15: what the shown total and alpha give anyway, as one row
          otherCities: { groups: ['beta', 'gamma'], responses: 18 },
        },
      ],
      otherAudiences: undefined,
      channels: [
        { channel: 'plakat-alpha', responses: 15 },
        { channel: 'unknown', responses: 18 },
      ],
      otherChannels: undefined,
      periods: [
        { from: '2026-11-01', to: '2026-11-02', responses: 19, cumulative: 19 },
        { from: '2026-11-03', to: '2026-11-03', responses: 14, cumulative: 33 },
      ],
    });
    expect(report.waves[1]).toEqual({
      waveId: 'w1',
      collecting: false,
      responses: 0,
      audiences: [],
      otherAudiences: undefined,
      channels: [],
      otherChannels: undefined,
      periods: [],
    });
    expect(report.acrossWaves).toEqual({
      responses: 33,
      audiences: [{ audience: 'public', responses: 33 }],
      otherAudiences: undefined,
    });
  });

  it('adds nothing where the total is hidden: the hidden groups stay hidden together', () => {
    // Prepare: 6 in all, below k: the total, every city and every channel are hidden.
    const w0 = new Map<string, Counters>([
      ['public|alpha|_|_|_|_|no', cell(4, 'plakat-alpha', { '2026-11-01': 4 })],
      ['public|beta|_|_|_|_|no', cell(2, 'unknown', { '2026-11-01': 2 })],
    ]);
    // Act
    const [wave] = fieldworkReport(miniSurvey, new Map([['w0', w0]])).waves;
    // Assess
    expect(wave?.responses).toBeNull();
    expect(wave?.audiences[0]?.otherCities).toEqual({ groups: ['alpha', 'beta'], responses: null });
    expect(wave?.otherAudiences).toEqual({ groups: ['public'], responses: null });
    expect(wave?.otherChannels).toEqual({ groups: ['plakat-alpha', 'unknown'], responses: null });
    expect(wave?.periods).toEqual([]);
  });

  it('puts the collecting wave first, then the others newest first, then those not started', () => {
    // Prepare: a survey of four waves; w1 collects, w0 and w2 have responses, w3 none yet.
    const waves = ['w0', 'w1', 'w2', 'w3'].map((id, i) => ({
      id,
      kind: i === 0 ? ('baseline' as const) : ('followup' as const),
      label: { de: id, en: id },
    }));
    const definition = { ...miniSurvey, waves };
    const some = new Map<string, Counters>([['public|alpha|_|_|_|_|no', cell(12, 'unknown', { '2026-11-01': 12 })]]);
    const cells = new Map([
      ['w0', some],
      ['w1', some],
      ['w2', some],
    ]);
    // Act
    const report = fieldworkReport(definition, cells, [], 'w1');
    // Assess
    expect(report.waves.map((w) => [w.waveId, w.collecting])).toEqual([
      ['w1', true],
      ['w2', false],
      ['w0', false],
      ['w3', false],
    ]);
    expect(fieldworkReport(definition, cells).waves.map((w) => w.waveId)).toEqual(['w2', 'w1', 'w0', 'w3']);
    // A collecting wave comes first even before its first response.
    expect(fieldworkReport(definition, cells, [], 'w3').waves[0]?.waveId).toBe('w3');
  });
});
