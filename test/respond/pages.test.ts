import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { getResponse, scanResponses } from '../../shared/data/response-store.js';
import { setWaveState } from '../../shared/data/survey-store.js';
import type { Db } from '../../shared/data/table.js';
import { responseIdFor } from '../../shared/response/build.js';
import { validateDefinition } from '../../shared/survey/validate.js';
import { miniAnswers, miniPagesToEnd, miniSurvey, miniSurveyInput } from '../fixtures/mini-survey.js';
import { respondAppWith } from '../setup/respond-app.js';
import { freshTable } from '../setup/table.js';
import {
  type Choices,
  cookiesOf,
  formAction,
  formPost,
  heading,
  hiddenValue,
  open,
  pageAt,
  send,
  walk,
} from './html-form.js';

type App = Awaited<ReturnType<typeof respondAppWith>>['app'];

async function countResponses(db: Db, surveyId: string): Promise<number> {
  let n = 0;
  for await (const _ of scanResponses(db, surveyId)) n++;
  return n;
}

const toImage: Choices[] = [{ consent: 'self' }, { seen_ads: 'no' }];
const toEnd: Choices[] = miniPagesToEnd;

/** The mini survey with an extra section shown only to those who recognised the campaign. */
const branchSurvey = (() => {
  const [consent, recall, image, campaign, about] = miniSurveyInput.audiences.public.sections;
  const extra = {
    id: 'campaign_more',
    title: { de: 'Mehr zur Kampagne', en: 'More on the campaign' },
    showIf: { question: 'aided', anyOf: ['yes'] },
    questions: [{ id: 'liked', type: 'likert', label: { de: 'Gefällt mir', en: 'I like it' } }],
  };
  const parsed = validateDefinition({
    ...miniSurveyInput,
    id: 'branch',
    audiences: {
      public: { ...miniSurveyInput.audiences.public, sections: [consent, recall, image, campaign, extra, about] },
    },
  });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.definition;
})();

describe('survey pages', () => {
  let db: Db;
  let app: App;

  beforeAll(async () => {
    db = await freshTable();
    ({ app } = await respondAppWith(db, miniSurvey, 'w0'));
  });

  it('renders the consent page in German by default', async () => {
    const { res, html } = await open(app, '/s/mini/public');

    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(html).toMatch(/^<!doctype html><html lang="de">/);
    expect(heading(html)).toBe('Bürgerinnen und Bürger');
    expect(html).toContain('<h2>Einwilligung</h2>');
    expect(html).toContain('Abschnitt 1 von 5');
    expect(html).toContain('Ja, ich bin 14 Jahre oder älter und stimme selbst zu.');
    expect(html).toContain('value="decline"');
    expect(html).toContain('href="/s/mini/public?lang=en"');
    expect(hiddenValue(html, '_sid')).toBeUndefined();
  });

  it('renders the consent page in English with lang=en and keeps language and channel in the form', async () => {
    const { res, html } = await open(app, '/s/mini/public?c=poster&lang=en');

    expect(res.status).toBe(200);
    expect(html).toContain('<html lang="en">');
    expect(heading(html)).toBe('Public');
    expect(html).toContain('Section 1 of 5');
    expect(html).toContain('Do not take part');
    expect(formAction(html)).toBe('/s/mini/public?c=poster&lang=en');
    expect(html).toContain('href="/s/mini/public?c=poster"');
  });

  it('answers a post that is not a form (multipart without a boundary) with the 400 page, not an error', async () => {
    const res = await app.request('/s/mini/public', {
      method: 'POST',
      headers: { 'content-type': 'multipart/form-data' },
      body: '',
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('text/html');
  });

  it('stores nothing when the respondent declines', async () => {
    const before = await countResponses(db, 'mini');
    const consent = await open(app, '/s/mini/public');

    const declined = await send(app, consent, {}, 'decline');

    expect(declined.res.status).toBe(200);
    expect(heading(declined.html)).toBe('Schade, dass Sie nicht teilnehmen möchten');
    expect(declined.html).not.toContain('<form');
    expect(await countResponses(db, 'mini')).toBe(before);
  });

  it('walks the survey page by page to the thank-you page and stores one response', async () => {
    const before = await countResponses(db, 'mini');

    const pages = await walk(app, '/s/mini/public?c=plakat-alpha', toEnd);

    expect(pages.map((p) => heading(p.html))).toEqual([
      'Bürgerinnen und Bürger',
      'Erinnerung',
      'Erinnerung', // the answer "yes" reveals the follow-up question on the same page
      'Bild',
      'Kampagne',
      'Kampagne',
      'Zu Ihnen',
      'Vielen Dank!',
    ]);
    expect(pageAt(pages, 2).html).toContain('noch eine Frage');
    expect(pageAt(pages, 6).html).toContain('Absenden');
    const submissionId = hiddenValue(pageAt(pages, 6).html, '_sid') ?? '';
    expect(submissionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await countResponses(db, 'mini')).toBe(before + 1);
    const stored = await getResponse(db, 'mini', responseIdFor('mini', submissionId));
    expect(stored?.answers).toEqual(miniAnswers);
    expect(stored).toMatchObject({ channel: 'plakat-alpha', locale: 'de', consentBy: 'self', waveId: 'w0' });
  });

  it('shows the thank-you page again for a repeated final submit and stores it once', async () => {
    const pages = await walk(app, '/s/mini/public', toEnd.slice(0, -1));
    const last = pageAt(pages, -1);
    const before = await countResponses(db, 'mini');

    const first = await send(app, last, { city: 'beta' });
    const again = await send(app, last, { city: 'beta' });

    expect(heading(first.html)).toBe('Vielen Dank!');
    expect(again.res.status).toBe(200);
    expect(heading(again.html)).toBe('Vielen Dank!');
    expect(await countResponses(db, 'mini')).toBe(before + 1);
  });

  it('switches the language on a later page without losing answers', async () => {
    const recall = pageAt(await walk(app, '/s/mini/public', [{ consent: 'guardian' }]), 1);

    const english = await send(app, recall, { seen_ads: 'no' }, 'lang');

    expect(english.html).toContain('<html lang="en">');
    expect(heading(english.html)).toBe('Recall');
    expect(formAction(english.html)).toBe('/s/mini/public?lang=en');
    expect(hiddenValue(english.html, 'consent')).toBe('guardian');
    expect(english.html).toMatch(/value="no" checked=""/);
  });

  it('shows each error beside its field and keeps the other answers', async () => {
    const pages = await walk(app, '/s/mini/public', toEnd.slice(0, -1));
    const about = pageAt(pages, -1);

    const { res, html } = await send(app, about, { age: '200' });

    expect(res.status).toBe(400);
    expect(heading(html)).toBe('Zu Ihnen');
    expect(html).toMatch(/<title>Fehler: /);
    expect(html).toContain('class="error-summary"');
    expect(html).toContain('href="#q-city-0"');
    expect(html).toContain('href="#q-age"');
    expect(html).toContain('<p class="error-message" id="q-age-error">');
    expect(html).toContain('Bitte geben Sie eine Zahl von 10 bis 99 ein.');
    expect(html).toContain('Bitte beantworten Sie diese Frage.');
    expect(html).toMatch(
      /<input type="number"[^>]*value="200"[^>]*aria-describedby="q-age-hint q-age-error" aria-invalid="true"/,
    );
    expect(html).toMatch(/<fieldset class="question has-error" id="q-city" aria-describedby="q-city-error">/);
    expect(html).not.toContain('expected a number'); // the developer message stays out of the page
    expect(hiddenValue(html, 'img_pair')).toBe('6');
    expect(hiddenValue(html, 'seen_what')).toBe(miniAnswers.seen_what);
  });

  it('skips a section hidden by showIf', async () => {
    const { app: branch } = await respondAppWith(db, branchSurvey, 'w0');
    const common: Choices[] = [{ consent: 'self' }, { seen_ads: 'no' }, {}];

    const notAware = await walk(branch, '/s/branch/public', [...common, { aided: 'no' }]);
    const aware = await walk(branch, '/s/branch/public', [...common, { aided: 'yes' }, { channels: ['poster'] }]);

    expect(heading(pageAt(notAware, -1).html)).toBe('Zu Ihnen');
    expect(pageAt(notAware, -1).html).toContain('Abschnitt 5 von 5');
    expect(heading(pageAt(aware, -1).html)).toBe('Mehr zur Kampagne');
    expect(pageAt(aware, -1).html).toContain('Abschnitt 5 von 6');
  });

  it('refuses to go back past a noBack section, even from an old page of the browser history', async () => {
    const walked = await walk(app, '/s/mini/public', toImage);
    const [recall, image] = [pageAt(walked, 1), pageAt(walked, 2)];
    const cookie = cookiesOf(image.res);
    expect(cookie).toMatch(/^rz_lock=/);
    expect(image.res.headers.get('set-cookie')).toMatch(/HttpOnly/i);
    expect(heading(image.html)).toBe('Bild');
    expect(image.html).not.toContain('value="back"');

    const back = await send(app, image, {}, 'back', cookie);
    const stale = await send(app, recall, { seen_ads: 'yes' }, 'next', cookie);
    const rest = await send(app, stale, { img_modern: '2' }, 'next', cookie);
    const campaign = await send(app, rest, { aided: 'no' }, 'next', cookie);
    const done = await send(app, campaign, { city: 'beta' }, 'next', cookie);

    expect(heading(back.html)).toBe('Bild');
    expect(back.html).toContain('können nicht mehr geändert werden');
    expect(heading(stale.html)).toBe('Bild');
    expect(stale.html).toContain('können nicht mehr geändert werden');
    expect(hiddenValue(stale.html, 'seen_ads')).toBe('no');
    expect(heading(done.html)).toBe('Vielen Dank!');
    const stored = await getResponse(db, 'mini', responseIdFor('mini', hiddenValue(image.html, '_sid') ?? ''));
    expect(stored?.answers).toMatchObject({ seen_ads: 'no', img_modern: 2, city: 'beta' });
    expect(stored?.answers).not.toHaveProperty('seen_what');
  });

  it('returns script in free text HTML-escaped', async () => {
    const script = '<script>alert("x")</script>';
    const recall = pageAt(await walk(app, '/s/mini/public', [{ consent: 'self' }, { seen_ads: 'yes' }]), 2);

    const tooLong = await send(app, recall, { seen_what: `${script}${'x'.repeat(100)}` });
    const next = await send(app, recall, { seen_what: script });

    expect(tooLong.res.status).toBe(400);
    expect(tooLong.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(heading(next.html)).toBe('Bild');
    expect(next.html).toContain('value="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"');
    for (const html of [tooLong.html, next.html]) expect(html).not.toContain('<script');
  });

  it('sends security headers that forbid scripts, framing and sniffing', async () => {
    const { res } = await open(app, '/s/mini/public');

    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("form-action 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toMatch(/script-src/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('serves the stylesheet the pages link to, cached long', async () => {
    const { html } = await open(app, '/s/mini/public');
    const href = html.match(/<link rel="stylesheet" href="([^"]+)"/)?.[1] ?? '';

    const res = await app.request(href);

    expect(href).toMatch(/^\/assets\/site\.css\?v=/);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/css');
    expect(res.headers.get('cache-control')).toContain('max-age=31536000');
    expect(await res.text()).toContain('.choice');
  });

  it('shows a friendly page when the survey is not collecting responses', async () => {
    const other = await freshTable();
    const { app: closed } = await respondAppWith(other, miniSurvey, 'w0');
    const consent = await open(closed, '/s/mini/public');
    await setWaveState(other, 'mini', { waveId: 'w0', state: 'closed' });

    const get = await open(closed, '/s/mini/public?lang=en');
    const post = await send(closed, consent, { consent: 'self' });

    expect(get.res.status).toBe(409);
    expect(get.res.headers.get('content-type')).toContain('text/html');
    expect(heading(get.html)).toBe('This survey is not collecting responses right now');
    expect(post.res.status).toBe(409);
    expect(heading(post.html)).toBe('Diese Befragung nimmt gerade keine Antworten an');
  });

  it('answers an unknown survey, audience or path with a 404 page, not JSON', async () => {
    for (const url of ['/s/mini/business', '/s/mini/nobody', '/s/nope/public', '/s/mini', '/s/mini/public/extra']) {
      const { res, html } = await open(app, url);

      expect(res.status, url).toBe(404);
      expect(res.headers.get('content-type'), url).toContain('text/html');
      expect(heading(html), url).toBe('Diese Befragung gibt es nicht');
    }
  });

  it('answers a body that is not one of its forms, or too large, with a page', async () => {
    const garbage = await app.request('/s/mini/public', formPost(new URLSearchParams({ _section: '99' })));
    const huge = await app.request(
      '/s/mini/public',
      formPost(new URLSearchParams({ _section: '1', seen_what: 'x'.repeat(70_000) })),
    );

    expect(garbage.status).toBe(400);
    expect(heading(await garbage.text())).toBe('Diese Seite ist nicht mehr gültig');
    expect(huge.status).toBe(413);
    expect(huge.headers.get('content-type')).toContain('text/html');
  });

  it('keeps every answer and asks to resend when storage stays busy', async () => {
    const busyDb: Db = {
      ...db,
      doc: {
        send: (command: unknown) =>
          command instanceof TransactWriteCommand
            ? Promise.reject(Object.assign(new Error('throttled'), { name: 'ThrottlingException' }))
            : db.doc.send(command as never),
      } as Db['doc'],
    };
    const retry = {
      attempts: 2,
      baseDelayMs: 1,
      maxDelayMs: 1,
      retryAfterSeconds: 3,
      sleep: async () => {},
      random: () => 0,
    };
    const { app: busy } = await respondAppWith(db, miniSurvey, 'w0', { db: busyDb, retry });
    const pages = await walk(busy, '/s/mini/public', toEnd.slice(0, -1));

    const { res, html } = await send(busy, pageAt(pages, -1), { city: 'alpha', age: '17' });

    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('3');
    expect(heading(html)).toBe('Zu Ihnen');
    expect(html).toContain('Bitte senden Sie die Seite in ein paar Sekunden noch einmal ab');
    expect(html).toMatch(/value="alpha" checked=""/);
    expect(html).toContain('value="17"');
    expect(hiddenValue(html, 'seen_what')).toBe(miniAnswers.seen_what);
    const retried = await send(app, { res, html }, {});
    expect(heading(retried.html)).toBe('Vielen Dank!');
  });
  it('hints on the same device that the wave was already answered, storing nothing on the server', async () => {
    const pages = await walk(app, '/s/mini/public', toEnd);
    const thanks = pageAt(pages, -1);
    const set = thanks.res.headers.getSetCookie().find((c) => c.startsWith('rz_answered='));
    expect(set).toBeDefined();
    // Only the wave id, the same for everybody: no identifier.
    expect(set).toMatch(/^rz_answered=w0; Max-Age=\d+; Path=\/s\/mini; HttpOnly; SameSite=Lax$/);

    const again = await app.request('/s/mini/public', { headers: { cookie: 'rz_answered=w0' } });
    const html = await again.text();
    expect(again.status).toBe(200);
    expect(html).toContain('Auf diesem Gerät wurde diese Befragung schon beantwortet');
    expect(html).toContain('value="next"');
    const otherWave = await (await app.request('/s/mini/public', { headers: { cookie: 'rz_answered=w9' } })).text();
    expect(otherWave).not.toContain('schon beantwortet');
  });
});
