import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerChannel, retireChannel } from '../../shared/channels/registry.js';
import { getResponse } from '../../shared/data/response-store.js';
import type { Db } from '../../shared/data/table.js';
import { miniAnswers, miniSurvey } from '../fixtures/mini-survey.js';
import { json, jsonPost, respondAppWith } from '../setup/respond-app.js';
import { freshTable } from '../setup/table.js';

const label = { de: 'Kanal', en: 'Channel' };

describe('respondent channels', () => {
  let db: Db;
  let app: Awaited<ReturnType<typeof respondAppWith>>['app'];

  beforeAll(async () => {
    db = await freshTable();
    ({ app } = await respondAppWith(db, miniSurvey, 'w0'));
    const day = new Date('2026-11-01T09:00:00Z');
    await registerChannel(db, miniSurvey, { code: 'plakat-beta', label, kind: 'poster', city: 'beta' }, day);
    await registerChannel(db, miniSurvey, { code: 'schule-alpha', label, kind: 'school', city: 'alpha' }, day);
    await retireChannel(db, miniSurvey, 'schule-alpha', new Date('2026-11-10T09:00:00Z'));
  });

  /** Submits through the API with `channel` and returns the channel the stored response records. */
  async function recorded(channel: string): Promise<string | undefined> {
    const body = { submissionId: randomUUID(), audience: 'public', locale: 'de', answers: miniAnswers, channel };
    const res = await app.request('/api/v1/surveys/mini/responses', jsonPost(body));
    expect(res.status).toBe(201);
    return (await getResponse(db, 'mini', (await json(res)).responseId))?.channel;
  }

  it('records an active registered channel', async () => {
    expect(await recorded('plakat-beta')).toBe('plakat-beta');
  });

  it('records a channel declared in the survey file', async () => {
    expect(await recorded('plakat-alpha')).toBe('plakat-alpha');
  });

  it('stores a disabled channel as unknown', async () => {
    expect(await recorded('schule-alpha')).toBe('unknown');
  });

  it('stores an unregistered code as unknown', async () => {
    expect(await recorded('max-mustermann-1990')).toBe('unknown');
  });

  it('stores a file-declared channel as unknown once it is disabled in the registry', async () => {
    // Prepare: a survey of its own, so disabling its file channel does not touch the other tests
    const other = { ...structuredClone(miniSurvey), id: 'mini-retired' };
    const { app: otherApp } = await respondAppWith(db, other, 'w0');
    await retireChannel(db, other, 'plakat-alpha', new Date('2026-11-15T09:00:00Z'));
    // Act
    const body = { submissionId: randomUUID(), audience: 'public', locale: 'de', answers: miniAnswers };
    const res = await otherApp.request(
      '/api/v1/surveys/mini-retired/responses',
      jsonPost({ ...body, channel: 'plakat-alpha' }),
    );
    // Assess
    expect(res.status).toBe(201);
    expect((await getResponse(db, 'mini-retired', (await json(res)).responseId))?.channel).toBe('unknown');
  });

  it('keeps a registered channel from ?c= in the survey form', async () => {
    const page = await app.request('/s/mini/public?c=plakat-beta');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('c=plakat-beta');
  });

  it('redirects a short link to the public survey page with the channel', async () => {
    const res = await app.request('/c/mini/plakat-beta');
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/s/mini/public?c=plakat-beta');
  });

  it('answers a malformed short link with a 404 page', async () => {
    const res = await app.request('/c/mini/Not%20A%20Code');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('text/html');
  });
});
