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
        },
      ],
      channels: [
        { channel: 'plakat-alpha', responses: 15 },
        { channel: 'unknown', responses: 18 },
      ],
      periods: [
        { from: '2026-11-01', to: '2026-11-02', responses: 19 },
        { from: '2026-11-03', to: '2026-11-03', responses: 14 },
      ],
    });
    expect(report.waves[1]).toEqual({ waveId: 'w1', responses: 0, audiences: [], channels: [], periods: [] });
  });
});
