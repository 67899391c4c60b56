import { randomUUID } from 'node:crypto';
import { type Context, Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { classifyLink, invitationErrorFor } from '../../shared/data/invitation-store.js';
import {
  AudienceNotFoundError,
  InvalidSubmissionError,
  NoOpenWaveError,
  QuotaMetError,
  StorageBusyError,
  SurveyNotFoundError,
} from '../../shared/errors.js';
import { cityAnswerOf, closedQuotaFor } from '../../shared/quotas/progress.js';
import { submit } from '../../shared/response/submit.js';
import { lockedAnswers, step } from '../../shared/survey/flow.js';
import { Audience, Code } from '../../shared/survey/primitives.js';
import type { AudienceDefinition, SurveyDefinition } from '../../shared/survey/schema.js';
import type { Answers } from '../../shared/survey/visibility.js';
import type { AppDeps } from './deps.js';
import { answeredBefore, markAnswered } from './pages/answered-cookie.js';
import { SITE_CSS_PATH, serveSiteCss } from './pages/assets.js';
import { type Control, controlFrom } from './pages/control-fields.js';
import { pageError } from './pages/error-page.js';
import { answersFromForm, type FormBody } from './pages/form-values.js';
import { type Lang, langFrom, otherLang, ui } from './pages/i18n.js';
import { sendPage } from './pages/layout.js';
import { clearLock, readLock, writeLock } from './pages/lock-cookie.js';
import { MessagePage } from './pages/message-page.js';
import { SectionPage, type SectionPageProps } from './pages/section-page.js';

/** The survey and audience a form belongs to, while a wave collects responses; domain errors otherwise. */
async function openForm(deps: AppDeps, surveyId: string, audienceParam: string) {
  if (!Code.safeParse(surveyId).success) throw new SurveyNotFoundError(surveyId);
  const definition = await deps.catalog.definition(surveyId);
  const audienceId = Audience.safeParse(audienceParam);
  const audience = audienceId.success ? definition.audiences[audienceId.data] : undefined;
  if (!audienceId.success || !audience) throw new AudienceNotFoundError(surveyId, audienceParam);
  const wave = await deps.catalog.openWave(surveyId, deps.now());
  if (!wave) throw new NoOpenWaveError(surveyId);
  return { definition, audienceId: audienceId.data, audience, waveId: wave.waveId };
}

/**
 * The form of a personal link: the token names survey and audience. The token travels only in the
 * path, never in a hidden field, a cookie or a log line; and it records no channel. Opening the link
 * needs a usable token; a post also gets through with a used one, for the replay of its own submit.
 */
async function invitationForm(c: Context, deps: AppDeps, mode: 'open' | 'post'): Promise<Form> {
  const token = c.req.param('token') ?? '';
  const classified = await classifyLink(deps.db, token, deps.now());
  const unusable = invitationErrorFor('invitation' in classified ? classified.invitation.surveyId : '', classified);
  if (!('invitation' in classified)) throw unusable; // malformed or unknown: always an error
  if (unusable && mode === 'open') throw unusable;
  const { surveyId, audience } = classified.invitation;
  return {
    c,
    deps,
    path: c.req.path,
    lang: langFrom(c.req.query('lang')),
    channel: undefined,
    // Not the link's own path: the cookie's Path attribute would keep the token in the browser.
    cookiePath: '/i',
    invitation: { token, unusable },
    ...(await openForm(deps, surveyId, audience)),
  };
}

/** Language and channel travel in the query string of every page, the form's own address included. */
function formUrl(path: string, lang: Lang, channel: string | undefined): string {
  const query = new URLSearchParams();
  if (channel) query.set('c', channel);
  if (lang === 'en') query.set('lang', 'en');
  const search = query.toString();
  return search ? `${path}?${search}` : path;
}

function requestOf(c: Context) {
  const channel = Code.safeParse(c.req.query('c'));
  return {
    surveyId: c.req.param('surveyId') ?? '',
    audienceParam: c.req.param('audience') ?? '',
    path: c.req.path,
    lang: langFrom(c.req.query('lang')),
    channel: channel.success ? channel.data : undefined,
  };
}

interface Form {
  c: Context;
  deps: AppDeps;
  definition: SurveyDefinition;
  audienceId: Audience;
  audience: AudienceDefinition;
  /** The wave collecting now (quota checks). */
  waveId: string;
  path: string;
  lang: Lang;
  channel: string | undefined;
  /** Path the lock cookie is scoped to: the form's own, except for personal links (see `invitationForm`). */
  cookiePath: string;
  /** The plain token of a personal link (`/i/{token}`), used up by the final submit. */
  invitation?: InvitationLink | undefined;
}

interface InvitationLink {
  token: string;
  /** Why the token cannot be used any more, if so: only the replay of its own final submit gets past. */
  unusable: Error | undefined;
}

type PageState = Omit<SectionPageProps, 'definition' | 'audience' | 'lang' | 'action'>;

function sectionPage(form: Form, state: PageState, status = 200, headers: Record<string, string> = {}) {
  const { c, definition, audience, path, lang, channel } = form;
  return sendPage(
    c,
    <SectionPage
      definition={definition}
      audience={audience}
      lang={lang}
      action={formUrl(path, lang, channel)}
      {...state}
    />,
    status,
    headers,
  );
}

function messagePage(form: Form, title: string, text: string, link?: { href: string; label: string }, status = 200) {
  const { c, definition, lang } = form;
  return sendPage(
    c,
    <MessagePage lang={lang} siteTitle={definition.title[lang]} title={title} text={text} link={link} />,
    status,
  );
}

/** The last page was sent: store through the same service as the JSON API, then thank. */
async function finish(form: Form, control: Control, submissionId: string, answers: Answers, lock: number) {
  const { c, deps, definition, audienceId, audience, lang, channel, cookiePath } = form;
  const t = ui[lang].pages;
  try {
    const outcome = await submit(
      deps,
      definition.id,
      { submissionId, audience: audienceId, channel, locale: lang, answers },
      form.invitation?.token,
      // The city question on the last page: screened here, where a resent final page is replayed.
      { screenQuotas: screens(form, control.section) },
    );
    clearLock(c, cookiePath);
    // Public links only: a personal invitation already works once.
    if (!form.invitation) markAnswered(c, definition.id, outcome.response.waveId);
    deps.logger.info('response stored', { surveyId: definition.id, status: outcome.status });
    return messagePage(form, t.thanksTitle, t.thanksText);
  } catch (error) {
    if (error instanceof QuotaMetError) return groupCompletePage(form);
    // The last page again with everything given so far: nothing is lost, the respondent resends.
    const last = { submissionId, answers, lock: Math.min(lock, control.section - 1) };
    if (error instanceof StorageBusyError) {
      return sectionPage(form, { ...last, index: control.section, notice: 'busy' }, 503, {
        'Retry-After': String(error.retryAfterSeconds),
      });
    }
    if (error instanceof InvalidSubmissionError) {
      // Only a tampered or outdated form gets here: show the first section with a problem.
      const issues = error.issues.map((i) => ({ ...i, field: i.field.replace(/^answers\./, '') }));
      const fields = new Set(issues.map((i) => i.field));
      const index = Math.max(
        0,
        audience.sections.findIndex((s) => s.questions.some((q) => fields.has(q.id))),
      );
      return sectionPage(form, { ...last, index, lock: Math.min(last.lock, index - 1), issues }, 400);
    }
    throw error;
  }
}

/**
 * Quotas screen public links only, and only until the respondent has told us their group: on the
 * way in (the whole audience's quota) and up to the page with the city question. Anyone past it
 * finishes, even if the group fills up meanwhile; personal invitations are never screened.
 */
function screens(form: Form, section: number): boolean {
  const citySection = form.audience.sections.findIndex((s) => s.questions.some((q) => q.dimension === 'city'));
  return !form.invitation && section <= Math.max(citySection, 0);
}

async function groupClosed(form: Form, answers: Record<string, unknown>, section: number): Promise<boolean> {
  if (!screens(form, section)) return false;
  const progress = await form.deps.catalog.quotas(form.definition.id, form.waveId);
  const group = { waveId: form.waveId, audience: form.audienceId, city: cityAnswerOf(form.audience, answers) };
  return closedQuotaFor(progress, group) !== undefined;
}

function groupCompletePage(form: Form) {
  const t = ui[form.lang].pages;
  clearLock(form.c, form.cookiePath);
  return messagePage(form, t.groupCompleteTitle, t.groupCompleteText);
}

async function postPage(form: Form): Promise<Response> {
  const { c, audience, path, channel, cookiePath } = form;
  // A body that is not a form at all (multipart without a boundary, broken encoding) is a bad request
  // like a form without its control fields, not an error of ours.
  const body: FormBody | undefined = await c.req.parseBody({ all: true }).catch(() => undefined);
  const control = body && controlFrom(body, audience.sections.length);
  if (!body || !control) {
    const t = ui[form.lang].pages;
    return messagePage(
      form,
      t.invalidTitle,
      t.invalidText,
      { href: formUrl(path, form.lang, channel), label: t.restart },
      400,
    );
  }
  const lang = control.action === 'lang' ? otherLang(form.lang) : form.lang;
  const next = { ...form, lang };
  const answers = answersFromForm(
    audience.sections.flatMap((s) => s.questions),
    body,
  );
  const result = step(audience, { ...control, answers }, control.action, readLock(c, control.submissionId));
  // A used (or withdrawn) personal link goes no further; its final submit may be the retry of the
  // submission that used it, which `submit` recognises and thanks for again.
  if (form.invitation?.unusable && result.kind !== 'finish') throw form.invitation.unusable;

  if (result.kind === 'declined') {
    clearLock(c, cookiePath);
    const t = ui[lang].pages;
    return messagePage(next, t.declinedTitle, t.declinedText, {
      href: formUrl(path, lang, channel),
      label: t.declinedRestart,
    });
  }
  // Made once consent is given and carried from then on, so a repeated final post is one response.
  const submissionId =
    control.submissionId ?? (result.kind === 'page' && result.section === 0 ? undefined : randomUUID());
  if (result.kind === 'finish') return finish(next, control, submissionId ?? randomUUID(), result.answers, result.lock);
  if (
    control.action === 'next' &&
    result.issues.length === 0 &&
    (await groupClosed(next, result.answers, control.section))
  ) {
    return groupCompletePage(next);
  }

  if (submissionId && result.lock >= 0) {
    writeLock(c, cookiePath, submissionId, {
      lock: result.lock,
      answers: lockedAnswers(audience, result.lock, result.answers),
    });
  }
  const state = {
    index: result.section,
    submissionId,
    lock: result.lock,
    answers: result.answers,
    issues: result.issues,
    notice: result.notice,
  };
  return sectionPage(next, state, result.issues.length > 0 ? 400 : 200);
}

/**
 * Server-rendered respondent pages: one form page per section, no JavaScript. The server keeps no
 * session: answers so far travel in hidden fields and are stored once, when the last page is sent.
 */
export function surveyPages(deps: AppDeps): Hono {
  const app = new Hono();

  app.get(SITE_CSS_PATH, serveSiteCss);

  app.get('/s/:surveyId/:audience', async (c) => {
    const { surveyId, audienceParam, path, lang, channel } = requestOf(c);
    const form = { c, deps, path, lang, channel, cookiePath: path, ...(await openForm(deps, surveyId, audienceParam)) };
    if (await groupClosed(form, {}, 0)) return groupCompletePage(form);
    const notice = answeredBefore(c, form.waveId) ? 'answered' : undefined;
    return sectionPage(form, {
      index: 0,
      lock: -1,
      answers: {},
      notice,
      langHref: formUrl(path, otherLang(lang), channel),
    });
  });

  app.post('/s/:surveyId/:audience', async (c) => {
    const { surveyId, audienceParam, path, lang, channel } = requestOf(c);
    return postPage({
      c,
      deps,
      path,
      lang,
      channel,
      cookiePath: path,
      ...(await openForm(deps, surveyId, audienceParam)),
    });
  });

  app.get('/i/:token', async (c) => {
    const form = await invitationForm(c, deps, 'open');
    const langHref = formUrl(form.path, otherLang(form.lang), undefined);
    return sectionPage(form, { index: 0, lock: -1, answers: {}, langHref });
  });

  app.post('/i/:token', async (c) => postPage(await invitationForm(c, deps, 'post')));

  app.all('/s/*', (c) => pageError(c, new HTTPException(404), deps.logger));
  app.all('/i/*', (c) => pageError(c, new HTTPException(404), deps.logger));
  app.onError((error, c) => pageError(c, error, deps.logger));
  return app;
}
