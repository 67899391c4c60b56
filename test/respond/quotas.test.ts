import { randomBytes, randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCatalog } from '../../shared/data/catalog.js';
import { createBatch } from '../../shared/data/invitation-store.js';
import { scanResponses } from '../../shared/data/response-store.js';
import type { Db } from '../../shared/data/table.js';
import { setQuota } from '../../shared/quotas/manage.js';
import type { QuotaGroup, QuotaSettings } from '../../shared/quotas/schema.js';
import type { SurveyDefinition } from '../../shared/survey/schema.js';
import { validateDefinition } from '../../shared/survey/validate.js';
import { miniAnswers, miniSurveyInput } from '../fixtures/mini-survey.js';
import { json, jsonPost, respondAppWith } from '../setup/respond-app.js';
import { freshTable } from '../setup/table.js';
import { type Choices, heading, open, pageAt, send, walk } from './html-form.js';

type App = Awaited<ReturnType<typeof respondAppWith>>['app'];

const GROUP_COMPLETE = 'Vielen Dank für Ihr Interesse!';
const THANKS = 'Vielen Dank!';
const NOW = new Date('2026-11-20T10:15:00Z');

/**
 * Two variants of the mini survey, both with an invited business audience: `late` asks for the
 * city on the last page (as the mini survey does), `early` right after consent.
 */
function variant(id: string, cityEarly: boolean): SurveyDefinition {
  const [consent, recall, image, campaign, about] = miniSurveyInput.audiences.public.sections;
  const sections = cityEarly ? [consent, about, recall, image, campaign] : [consent, recall, image, campaign, about];
  const parsed = validateDefinition({
    ...miniSurveyInput,
    id,
    audiences: {
      public: { ...miniSurveyInput.audiences.public, sections },
      business: miniSurveyInput.audiences.public,
    },
  });
  if (!parsed.ok) throw new Error(`fixture invalid: ${JSON.stringify(parsed.issues)}`);
  return parsed.definition;
}

const toEndLate: Choices[] = [
  { consent: 'self' },
  { seen_ads: 'no' },
  { img_modern: '4', img_pair: '6', recommend: '9', grade: '2' },
  { aided: 'no' },
  { city: 'alpha', age: '17' },
];

async function countResponses(db: Db, surveyId: string): Promise<number> {
  let n = 0;
  for await (const _ of scanResponses(db, surveyId)) n++;
  return n;
}

describe('quotas on public links', () => {
  let db: Db;
  const catalog = () => createCatalog(db, { ttlMs: 0 });
  const quota = (definition: SurveyDefinition, group: QuotaGroup, settings: QuotaSettings) =>
    setQuota(db, catalog(), definition, group, settings, NOW);

  beforeAll(async () => {
    db = await freshTable();
  });

  describe('JSON API', () => {
    const survey = variant('quota-api', false);
    let app: App;
    const post = (city: string, extra: object = {}, submissionId: string = randomUUID()) =>
      app.request(
        `/api/v1/surveys/${survey.id}/responses`,
        jsonPost({ submissionId, audience: 'public', answers: { ...miniAnswers, city }, ...extra }),
      );

    beforeAll(async () => {
      ({ app } = await respondAppWith(db, survey, 'w0', { catalog: catalog() }));
    });

    it('refuses a newcomer of a full group with a 409 problem, others are stored', async () => {
      await quota(survey, { waveId: 'w0', audience: 'public', city: 'alpha' }, { target: 2, whenMet: 'close' });
      const second = randomUUID();
      expect((await post('alpha')).status).toBe(201);
      expect((await post('alpha', {}, second)).status).toBe(201);

      const refused = await post('alpha');
      expect(refused.status).toBe(409);
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
      const body = await json(refused);
      expect(body.type).toMatch(/quota-met$/);
      expect(body.title).toBe('This group is complete');
      expect(body.detail).toContain('w0.public.alpha');

      // Another city and the retry of a submission stored before the group filled up still pass.
      expect((await post('beta')).status).toBe(201);
      expect((await post('alpha', {}, second)).status).toBe(200);
      expect(await countResponses(db, survey.id)).toBe(3);
    });

    it('keeps collecting when the quota says keep, and never screens personal invitations', async () => {
      await quota(survey, { waveId: 'w0', audience: 'public', city: 'beta' }, { target: 1, whenMet: 'keep' });
      expect((await post('beta')).status).toBe(201);

      await quota(survey, { waveId: 'w0', audience: 'business', city: 'alpha' }, { target: 1, whenMet: 'close' });
      const { tokens } = await createBatch(db, {
        expiresAt: 2_000_000_000,
        surveyId: survey.id,
        audience: 'business',
        count: 2,
        now: NOW,
        randomBytes,
      });
      const invited = (token: string | undefined) =>
        app.request(
          `/api/v1/surveys/${survey.id}/responses`,
          jsonPost({
            submissionId: randomUUID(),
            audience: 'business',
            answers: { ...miniAnswers, city: 'alpha' },
            ...(token ? { invitation: token } : {}),
          }),
        );
      expect((await invited(tokens[0])).status).toBe(201);
      expect((await invited(tokens[1])).status).toBe(201);
      // The group is over its target; a public business link is screened, invitations were not.
      expect((await invited(undefined)).status).toBe(409);
    });
  });

  describe('pages, city on the last page', () => {
    const survey = variant('quota-late', false);
    let app: App;

    beforeAll(async () => {
      ({ app } = await respondAppWith(db, survey, 'w0', { catalog: catalog() }));
    });

    it('thanks a newcomer of a full group at the final page and stores nothing; a resent final page still thanks', async () => {
      const url = `/s/${survey.id}/public`;
      const first = await walk(app, url, toEndLate);
      expect(heading(pageAt(first, -1).html)).toBe(THANKS);
      // A second respondent reaches the last page; the group fills up meanwhile (target 1).
      const late = pageAt(await walk(app, url, toEndLate.slice(0, -1)), -1);
      const alreadyThere = await walk(app, url, toEndLate.slice(0, -1));
      await quota(survey, { waveId: 'w0', audience: 'public', city: 'alpha' }, { target: 1, whenMet: 'close' });

      const screened = await send(app, late, { city: 'alpha', age: '30' });
      expect(screened.res.status).toBe(200);
      expect(heading(screened.html)).toBe(GROUP_COMPLETE);
      expect(screened.html).toContain('Es wurde nichts gespeichert');
      expect(screened.html).not.toContain('<form');
      expect(await countResponses(db, survey.id)).toBe(1);

      // Another city goes through; so does the resend of the first respondent's final page.
      const beta = await send(app, pageAt(alreadyThere, -1), { city: 'beta', age: '30' });
      expect(heading(beta.html)).toBe(THANKS);
      const resent = await send(app, pageAt(first, -2), { city: 'alpha', age: '17' });
      expect(heading(resent.html)).toBe(THANKS);
      expect(await countResponses(db, survey.id)).toBe(2);
    });

    it('shows the group-complete page on the way in when the whole audience is full, in both languages', async () => {
      await quota(survey, { waveId: 'w0', audience: 'public' }, { target: 2, whenMet: 'close' });
      const de = await open(app, `/s/${survey.id}/public?c=plakat-alpha`);
      expect(heading(de.html)).toBe(GROUP_COMPLETE);
      expect(de.res.headers.get('cache-control')).toBe('no-store');
      const en = await open(app, `/s/${survey.id}/public?lang=en`);
      expect(heading(en.html)).toBe('Thank you for your interest!');
      expect(en.html).toContain('We already have enough answers from your group');
    });
  });

  describe('pages, city right after consent', () => {
    const survey = variant('quota-early', true);
    let app: App;
    const url = `/s/${survey.id}/public`;

    beforeAll(async () => {
      ({ app } = await respondAppWith(db, survey, 'w0', { catalog: catalog() }));
      await quota(survey, { waveId: 'w0', audience: 'public', city: 'beta' }, { target: 1, whenMet: 'close' });
    });

    it('screens at the city page, lets other cities on, and lets those past it finish', async () => {
      // Past the city page before the group filled up.
      const early = await walk(app, url, [{ consent: 'self' }, { city: 'beta', age: '40' }]);
      expect(heading(pageAt(early, -1).html)).toBe('Erinnerung');
      const done = await walk(app, url, [
        { consent: 'self' },
        { city: 'beta', age: '40' },
        { seen_ads: 'no' },
        { img_modern: '4', img_pair: '6', recommend: '9', grade: '2' },
        { aided: 'no' },
      ]);
      expect(heading(pageAt(done, -1).html)).toBe(THANKS);

      const screened = await walk(app, url, [{ consent: 'self' }, { city: 'beta', age: '40' }]);
      expect(heading(pageAt(screened, -1).html)).toBe(GROUP_COMPLETE);
      const other = await walk(app, url, [{ consent: 'self' }, { city: 'alpha', age: '40' }]);
      expect(heading(pageAt(other, -1).html)).toBe('Erinnerung');

      // The early respondent finishes although the group is now full: screened only up to the city page.
      let page = pageAt(early, -1);
      const rest: Choices[] = [
        { seen_ads: 'no' },
        { img_modern: '4', img_pair: '6', recommend: '9', grade: '2' },
        { aided: 'no' },
      ];
      for (const choices of rest) {
        page = await send(app, page, choices);
      }
      expect(heading(page.html)).toBe(THANKS);
      expect(await countResponses(db, survey.id)).toBe(2);
    });
  });
});
