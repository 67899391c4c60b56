import { randomUUID } from 'node:crypto';
import jsqr from 'jsqr';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCatalog } from '../../shared/data/catalog.js';
import { getResponse } from '../../shared/data/response-store.js';
import type { Db } from '../../shared/data/table.js';
import { miniAnswers, miniSurvey } from '../fixtures/mini-survey.js';
import { adminAppWith, bearer } from '../setup/admin-app.js';
import { json, jsonPost, respondAppWith } from '../setup/respond-app.js';
import { freshTable } from '../setup/table.js';

// jsqr is CommonJS typed as an ES module: its default import is the module object (see qr.test.ts).
const jsQR = jsqr.default;

const CAMPAIGN = miniSurvey.campaign.id;
const CHANNELS = '/api/v1/admin/surveys/mini/channels';
const ORIGIN = 'https://umfrage.example.de';
const label = { de: 'Kanal', en: 'Channel' };
const post = (body: unknown): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

describe('admin channels API', () => {
  let db: Db;
  let admin: ReturnType<typeof adminAppWith>;
  let respond: Awaited<ReturnType<typeof respondAppWith>>['app'];

  beforeAll(async () => {
    db = await freshTable();
    ({ app: respond } = await respondAppWith(db, miniSurvey, 'w0', { catalog: createCatalog(db, { ttlMs: 0 }) }));
    admin = adminAppWith(db, createCatalog(db, { ttlMs: 0 }), () => new Date('2026-11-20T10:00:00Z'));
  });

  const asAdmin = async (path: string, init: RequestInit = {}) =>
    admin.app.request(`${ORIGIN}${path}`, bearer(await admin.token(['admin'], [CAMPAIGN]), init));

  /** Submits through the respondent API with `channel` and returns what the stored response records. */
  async function recorded(channel: string): Promise<string | undefined> {
    const body = { submissionId: randomUUID(), audience: 'public', locale: 'de', answers: miniAnswers, channel };
    const res = await respond.request('/api/v1/surveys/mini/responses', jsonPost(body));
    expect(res.status).toBe(201);
    return (await getResponse(db, 'mini', (await json(res)).responseId))?.channel;
  }

  describe('authorization', () => {
    // Each matrix run creates a channel of its own, so the 2xx case is not a 409 the second time.
    let n = 0;
    const created = () => post({ code: `matrix-${++n}`, label, kind: 'event' });
    const routes: [string, string, (() => RequestInit)?][] = [
      ['GET', CHANNELS],
      ['POST', CHANNELS, created],
      ['POST', `${CHANNELS}/plakat-alpha/disable`],
      ['GET', `${CHANNELS}/plakat-alpha/qr.svg`],
      ['GET', `${CHANNELS}/plakat-alpha/qr.png?audience=business`],
    ];

    it.each(routes)('%s %s answers 401 without a token', async (method, path, init) => {
      const res = await admin.app.request(path, { ...init?.(), method });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    });

    it.each(routes)('%s %s answers 403 for another role or campaign', async (method, path, init) => {
      const lead = await admin.token(['lead', 'evaluator'], [CAMPAIGN]);
      const other = await admin.token(['admin'], ['another-campaign']);
      expect((await admin.app.request(path, bearer(lead, { ...init?.(), method }))).status).toBe(403);
      expect((await admin.app.request(path, bearer(other, { ...init?.(), method }))).status).toBe(403);
    });

    it.each(routes)(
      '%s %s answers 2xx for an admin of the campaign or of all campaigns',
      async (method, path, init) => {
        for (const campaigns of [[CAMPAIGN], ['*']]) {
          const token = await admin.token(['admin'], campaigns);
          const res = await admin.app.request(path, bearer(token, { ...init?.(), method }));
          expect(res.status).toBe(method === 'POST' && path === CHANNELS ? 201 : 200);
        }
      },
    );
  });

  it('creates, lists and disables a channel; a disabled channel records as unknown', async () => {
    // Prepare
    const channel = { code: 'plakat-beta', label, kind: 'poster', city: 'beta' };
    // Act
    const res = await asAdmin(CHANNELS, post(channel));
    // Assess
    expect(res.status).toBe(201);
    expect(await json(res)).toMatchObject({
      ...channel,
      state: 'active',
      source: 'registry',
      createdOn: '2026-11-20',
      link: `${ORIGIN}/s/mini/public?c=plakat-beta`,
      shortUrl: `${ORIGIN}/c/mini/plakat-beta`,
    });
    const listed = (await json(await asAdmin(CHANNELS))).channels;
    expect(listed.find((c: { code: string }) => c.code === 'plakat-beta')).toMatchObject({ state: 'active' });
    expect(listed.find((c: { code: string }) => c.code === 'plakat-alpha')).toMatchObject({
      link: `${ORIGIN}/s/mini/public?c=plakat-alpha`,
    });
    expect(await recorded('plakat-beta')).toBe('plakat-beta');

    const disabled = await asAdmin(`${CHANNELS}/plakat-beta/disable`, { method: 'POST' });
    expect(disabled.status).toBe(200);
    expect(await json(disabled)).toMatchObject({ code: 'plakat-beta', state: 'disabled', disabledOn: '2026-11-20' });
    const after = (await json(await asAdmin(CHANNELS))).channels;
    expect(after.find((c: { code: string }) => c.code === 'plakat-beta')).toMatchObject({ state: 'disabled' });
    expect(await recorded('plakat-beta')).toBe('unknown');
  });

  it('answers 409 for a used code, 400 for a city outside the campaign or an unknown key', async () => {
    const duplicate = await asAdmin(CHANNELS, post({ code: 'plakat-alpha', label, kind: 'poster' }));
    expect(duplicate.status).toBe(409);
    const city = await asAdmin(CHANNELS, post({ code: 'plakat-gamma', label, kind: 'poster', city: 'gamma' }));
    expect(city.status).toBe(400);
    expect((await json(city)).errors).toEqual([expect.objectContaining({ field: 'city' })]);
    expect((await asAdmin(CHANNELS, post({ code: 'x-1', label, kind: 'poster', extra: 1 }))).status).toBe(400);
    expect((await asAdmin(CHANNELS, post({ code: 'x-2', label, kind: 'flyer' }))).status).toBe(400);
  });

  it('answers 404 for the QR code or disabling of an unknown channel', async () => {
    expect((await asAdmin(`${CHANNELS}/nope/qr.png`)).status).toBe(404);
    expect((await asAdmin(`${CHANNELS}/nope/qr.svg`)).status).toBe(404);
    expect((await asAdmin(`${CHANNELS}/nope/disable`, { method: 'POST' })).status).toBe(404);
  });

  it('serves a PNG QR code that decodes to the short link printed under it (the public)', async () => {
    const res = await asAdmin(`${CHANNELS}/plakat-alpha/qr.png`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    const png = PNG.sync.read(Buffer.from(await res.arrayBuffer()));
    const decoded = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
    expect(decoded?.data).toBe(`${ORIGIN}/c/mini/plakat-alpha`);
  });

  it('serves an SVG QR code and honours ?audience=', async () => {
    const svg = await asAdmin(`${CHANNELS}/plakat-alpha/qr.svg`);
    expect(svg.status).toBe(200);
    expect(svg.headers.get('content-type')).toContain('image/svg+xml');
    expect(await svg.text()).toMatch(/^<svg/);
    const png = await asAdmin(`${CHANNELS}/plakat-alpha/qr.png?audience=business`);
    const image = PNG.sync.read(Buffer.from(await png.arrayBuffer()));
    const decoded = jsQR(new Uint8ClampedArray(image.data), image.width, image.height);
    expect(decoded?.data).toBe(`${ORIGIN}/s/mini/business?c=plakat-alpha`);
    expect((await asAdmin(`${CHANNELS}/plakat-alpha/qr.png?audience=nobody`)).status).toBe(400);
  });

  it('builds links from the configured public base URL when the admin API lives elsewhere', async () => {
    const behindGateway = adminAppWith(db, createCatalog(db, { ttlMs: 0 }), () => new Date('2026-11-20T10:00:00Z'), {
      publicBaseUrl: 'https://umfrage.kreis-re.de/',
    });
    const token = await behindGateway.token(['admin'], [CAMPAIGN]);
    const api = 'https://abc123.execute-api.eu-central-1.amazonaws.com';
    const listed = await json(await behindGateway.app.request(`${api}${CHANNELS}`, bearer(token)));
    expect(listed.channels.find((c: { code: string }) => c.code === 'plakat-alpha')).toMatchObject({
      link: 'https://umfrage.kreis-re.de/s/mini/public?c=plakat-alpha',
      shortUrl: 'https://umfrage.kreis-re.de/c/mini/plakat-alpha',
    });
    const png = await behindGateway.app.request(`${api}${CHANNELS}/plakat-alpha/qr.png`, bearer(token));
    const image = PNG.sync.read(Buffer.from(await png.arrayBuffer()));
    const decoded = jsQR(new Uint8ClampedArray(image.data), image.width, image.height);
    expect(decoded?.data).toBe('https://umfrage.kreis-re.de/c/mini/plakat-alpha');
  });
});
