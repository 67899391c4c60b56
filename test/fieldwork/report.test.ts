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
  it('shows counts from 1 to k-1 as "< k" and keeps 0 and k', () => {
    expect([0, 1, 9, 10, 11].map((c) => shown(c, 10))).toEqual([0, '< 10', '< 10', 10, 11]);
  });

  it('counts responses per wave, audience, city and channel and per day from cells only', () => {
    const w0 = new Map<string, Counters>([
      ['public|alpha|_|_|_|_|yes', cell(12, 'plakat-alpha', { '2026-11-01': 7, '2026-11-02': 5 })],
      ['public|alpha|_|_|_|_|no', cell(3, 'plakat-alpha', { '2026-11-02': 3 })],
      ['public|beta|_|_|_|_|no', cell(4, 'unknown', { '2026-11-02': 4 })],
    ]);
    const report = fieldworkReport(miniSurvey, new Map([['w0', w0]]));
    expect(report.minCellSize).toBe(10);
    expect(report.waves[0]).toEqual({
      waveId: 'w0',
      responses: 19,
      rows: [
        { audience: 'public', city: 'alpha', channel: 'plakat-alpha', responses: 15 },
        { audience: 'public', city: 'beta', channel: 'unknown', responses: '< 10' },
      ],
      byDay: [
        { day: '2026-11-01', responses: '< 10' },
        { day: '2026-11-02', responses: 12 },
      ],
    });
    expect(report.waves[1]).toEqual({ waveId: 'w1', responses: 0, rows: [], byDay: [] });
  });
});
