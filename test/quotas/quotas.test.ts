import { describe, expect, it } from 'vitest';
import { cellKey } from '../../shared/aggregate/contribution.js';
import { createCatalog } from '../../shared/data/catalog.js';
import { listQuotas } from '../../shared/data/quota-store.js';
import { publishDefinition } from '../../shared/data/survey-store.js';
import { InvalidQuotaError, QuotaNotFoundError } from '../../shared/errors.js';
import { listQuotaProgress, removeQuota, setQuota } from '../../shared/quotas/manage.js';
import { closedQuotaFor, quotaGroupIssues, quotaProgress } from '../../shared/quotas/progress.js';
import { parseQuotaId, type Quota, quotaIdOf } from '../../shared/quotas/schema.js';
import { storeResponse } from '../../shared/response/submit.js';
import { miniAnswers, miniSurvey } from '../fixtures/mini-survey.js';
import { freshTable } from '../setup/table.js';

const dims = (city: string, age_band = '_') => ({
  city,
  age_band,
  gender: '_',
  role: '_',
  business_size: '_',
  exposure: '_',
});
const quota = (q: Partial<Quota>): Quota => ({
  waveId: 'w0',
  audience: 'public',
  target: 3,
  whenMet: 'close',
  setOn: '2026-11-20',
  ...q,
});

describe('quota ids', () => {
  it('round-trip with and without a city', () => {
    for (const group of [
      { waveId: 'w1-followup', audience: 'public' as const },
      { waveId: 'w0', audience: 'business' as const, city: 'marl' },
    ]) {
      expect(parseQuotaId(quotaIdOf(group))).toEqual(group);
    }
    expect(quotaIdOf({ waveId: 'w0', audience: 'public', city: 'marl' })).toBe('w0.public.marl');
  });

  it.each(['w0', 'w0.public.marl.x', 'w0.pupils', 'W0.public', 'w0..marl', ''])('refuses "%s"', (id) => {
    expect(parseQuotaId(id)).toBeUndefined();
  });
});

describe('quota groups against the survey', () => {
  it('accepts a wave, audience and a city respondents can choose', () => {
    expect(quotaGroupIssues(miniSurvey, { waveId: 'w1', audience: 'public', city: 'elsewhere' })).toEqual([]);
    expect(quotaGroupIssues(miniSurvey, { waveId: 'w0', audience: 'public' })).toEqual([]);
  });

  it('names each field that does not fit', () => {
    const issues = quotaGroupIssues(miniSurvey, { waveId: 'w9', audience: 'public', city: 'gamma' });
    expect(issues.map((i) => [i.field, i.code])).toEqual([
      ['waveId', 'unknown_wave'],
      ['city', 'unknown_city'],
    ]);
    expect(issues[1]?.message).toContain('alpha, beta, elsewhere');
    const audience = quotaGroupIssues(miniSurvey, { waveId: 'w0', audience: 'business' });
    expect(audience.map((i) => i.code)).toEqual(['unknown_audience']);
  });
});

describe('quota progress from aggregate cells', () => {
  const cells = new Map([
    [
      'w0',
      new Map([
        [cellKey('public', dims('alpha', 'a14_17')), { n: 2 }],
        [cellKey('public', dims('alpha', 'a18_29')), { n: 1 }],
        [cellKey('public', dims('beta')), { n: 4 }],
        [cellKey('business', dims('alpha')), { n: 7 }],
      ]),
    ],
    ['w1', new Map([[cellKey('public', dims('alpha')), { n: 9 }]])],
  ]);

  it('sums every cell of the group across other dimensions, per wave', () => {
    const progress = quotaProgress(
      [
        quota({ city: 'alpha' }),
        quota({ city: 'beta', target: 5 }),
        quota({ target: 10 }),
        quota({ waveId: 'w1', city: 'alpha', target: 10 }),
      ],
      cells,
    );
    expect(progress.map((p) => [p.id, p.responses, p.met])).toEqual([
      ['w0.public.alpha', 3, true],
      ['w0.public.beta', 4, false],
      ['w0.public', 7, false],
      ['w1.public.alpha', 9, false],
    ]);
  });

  it('closes only met quotas set to close, for the group asked about', () => {
    const progress = quotaProgress(
      [quota({ city: 'alpha' }), quota({ city: 'beta', target: 4, whenMet: 'keep' })],
      cells,
    );
    expect(closedQuotaFor(progress, { waveId: 'w0', audience: 'public', city: 'alpha' })?.id).toBe('w0.public.alpha');
    // Met, but set to keep collecting.
    expect(closedQuotaFor(progress, { waveId: 'w0', audience: 'public', city: 'beta' })).toBeUndefined();
    // City not asked yet: only a quota on the whole audience could close the group.
    expect(closedQuotaFor(progress, { waveId: 'w0', audience: 'public', city: undefined })).toBeUndefined();
    expect(closedQuotaFor(progress, { waveId: 'w1', audience: 'public', city: 'alpha' })).toBeUndefined();
    const whole = quotaProgress([quota({ target: 7 })], cells);
    expect(closedQuotaFor(whole, { waveId: 'w0', audience: 'public', city: undefined })?.id).toBe('w0.public');
    expect(closedQuotaFor(whole, { waveId: 'w0', audience: 'business', city: undefined })).toBeUndefined();
  });
});

describe('quota store and management (DynamoDB Local)', () => {
  it('sets, replaces, lists with progress and removes quotas', async () => {
    const db = await freshTable();
    await publishDefinition(db, miniSurvey);
    const catalog = createCatalog(db, { ttlMs: 60_000 });
    const now = new Date('2026-11-20T10:00:00Z');
    const store = (city: string, i: number) =>
      storeResponse(db, {
        definition: miniSurvey,
        audience: 'public',
        waveId: 'w0',
        submissionId: `00000000-0000-4000-8000-00000000000${i}`,
        channel: undefined,
        activeChannels: new Set(),
        locale: 'de',
        answers: { ...miniAnswers, city },
        now,
      });
    await Promise.all([store('alpha', 1), store('alpha', 2), store('beta', 3)]);

    // Cached before any quota exists: setting one must reach respondents at once (same process).
    expect(await catalog.quotas('mini', 'w0')).toEqual([]);
    await setQuota(
      db,
      catalog,
      miniSurvey,
      { waveId: 'w0', audience: 'public', city: 'alpha' },
      { target: 5, whenMet: 'close' },
      now,
    );
    await setQuota(db, catalog, miniSurvey, { waveId: 'w0', audience: 'public' }, { target: 3, whenMet: 'keep' }, now);
    expect((await catalog.quotas('mini', 'w0')).map((p) => [p.id, p.responses, p.met])).toEqual([
      ['w0.public', 3, true],
      ['w0.public.alpha', 2, false],
    ]);
    expect(await catalog.quotas('mini', 'w1')).toEqual([]);

    // Setting again replaces target and mode.
    await setQuota(
      db,
      catalog,
      miniSurvey,
      { waveId: 'w0', audience: 'public', city: 'alpha' },
      { target: 2, whenMet: 'close' },
      now,
    );
    const listed = await listQuotaProgress(db, miniSurvey);
    expect(listed.find((p) => p.id === 'w0.public.alpha')).toMatchObject({
      responses: 2,
      met: true,
      quota: { target: 2 },
    });

    await expect(
      setQuota(
        db,
        catalog,
        miniSurvey,
        { waveId: 'w0', audience: 'public', city: 'gamma' },
        { target: 2, whenMet: 'close' },
        now,
      ),
    ).rejects.toBeInstanceOf(InvalidQuotaError);

    await removeQuota(db, catalog, miniSurvey, { waveId: 'w0', audience: 'public' });
    expect((await listQuotas(db, 'mini')).map(quotaIdOf)).toEqual(['w0.public.alpha']);
    await expect(removeQuota(db, catalog, miniSurvey, { waveId: 'w0', audience: 'public' })).rejects.toBeInstanceOf(
      QuotaNotFoundError,
    );
  });
});
