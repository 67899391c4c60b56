import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { accepts } from 'hono/accepts';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { stringify } from 'yaml';
import * as z from 'zod';
import { planPublish, publishPlanned } from '../../shared/data/publish-file.js';
import { getDefinition } from '../../shared/data/survey-store.js';
import {
  EarlierVersionError,
  ForbiddenError,
  InvalidQueryError,
  SurveyFileInvalidError,
  SurveyNotFoundError,
} from '../../shared/errors.js';
import { exportDefaults } from '../../shared/export/profile.js';
import type { DefinitionChanges } from '../../shared/survey/changes.js';
import { parseSurveyFile } from '../../shared/survey/parse-file.js';
import { Code, type SurveyDefinition } from '../../shared/survey/schema.js';
import type { Claims } from '../lib/auth.js';
import { requireRole } from '../lib/auth.js';
import type { AuthEnv } from '../lib/authenticate.js';
import { type ConsoleText, consoleText } from '../lib/console-i18n.js';
import { problemFor } from '../lib/problem.js';
import type { Problem } from '../lib/problem-schema.js';
import { validationHook } from '../lib/validation.js';
import { type Lang, langFrom } from '../respond/pages/i18n.js';
import { SectionPage } from '../respond/pages/section-page.js';
import type { AdminDeps } from './deps.js';
import { problemEntry } from './route-kit.js';

/** Largest survey file the route takes: the shipped ones are 30-40 KB. */
export const SURVEY_FILE_MAX_BYTES = 512 * 1024;
/** The routes that take a survey file: checking or publishing it, and previewing its pages. */
export const DEFINITIONS_PATH = /^\/api\/v1\/admin\/surveys\/[^/]+\/definitions(\/preview)?$/;

/** Media types a survey file may come as (JSON is valid YAML). */
const FILE_TYPES = [
  'application/yaml',
  'application/x-yaml',
  'text/yaml',
  'text/x-yaml',
  'text/plain',
  'application/json',
];

const Listed = z.object({ added: z.array(z.string()), removed: z.array(z.string()), changed: z.array(z.string()) });
const QuestionRef = z.object({ audience: z.string(), id: z.string() });
const Changes = z
  .object({
    surveyId: z.string(),
    from: z.string().nullable(),
    to: z.string(),
    identical: z.boolean(),
    questions: z.object({
      added: z.array(QuestionRef),
      removed: z.array(QuestionRef),
      changed: z.array(
        QuestionRef.extend({
          what: z.array(z.string()),
          codesAdded: z.array(z.string()).optional(),
          codesRemoved: z.array(z.string()).optional(),
        }),
      ),
    }),
    audiences: Listed,
    sections: Listed,
    indicators: Listed,
    waves: Listed,
    channels: Listed,
    cities: Listed,
    settings: z.array(z.string()),
    other: z.array(z.string()),
  })
  .meta({ id: 'DefinitionChanges' });
const PublishAnswer = z
  .object({
    surveyId: z.string(),
    version: z.string(),
    outcome: z.enum(['new', 'new-version', 'unchanged', 'earlier-version']),
    dryRun: z.boolean(),
    published: z.boolean(),
    changes: Changes,
    retention: z.object({
      rule: z.string(),
      before: z.string().optional(),
      /** Stored responses still carry the earlier rule until the retention run brings them to this one. */
      pending: z.boolean(),
    }),
  })
  .meta({ id: 'PublishAnswer' });

const route = createRoute({
  method: 'post',
  path: '/api/v1/admin/surveys/{surveyId}/definitions',
  tags: ['admin'],
  summary: 'Check a survey file (dryRun=true), or publish it as a new version',
  description:
    'The body is the survey file itself (YAML or JSON, up to 512 KiB). Problems come back with their path and ' +
    'line. The publish rules are those of `surveys publish`: a published version never changes its content, ' +
    'and going back to an earlier version needs makeCurrent=true.',
  security: [{ bearer: [] }],
  request: {
    params: z.object({ surveyId: Code }),
    query: z.object({
      dryRun: z.enum(['true', 'false']).optional(),
      makeCurrent: z.enum(['true', 'false']).optional(),
      lang: z.enum(['de', 'en']).optional().meta({ description: 'Language of the text/html answer (the console’s)' }),
    }),
    body: { required: true, content: { 'application/yaml': { schema: z.string() } } },
  },
  responses: {
    200: {
      description: 'Valid (dry run), or already current',
      content: { 'application/json': { schema: PublishAnswer } },
    },
    201: { description: 'Published', content: { 'application/json': { schema: PublishAnswer } } },
    400: problemEntry('The file is not valid: every problem with path and line'),
    401: problemEntry('No valid bearer token'),
    403: problemEntry('Not an admin of the survey’s campaign (or of the campaign the file names)'),
    409: problemEntry('Refused by a publish rule (version published with other content, shards, an earlier version)'),
    413: problemEntry('The file is larger than 512 KiB'),
    415: problemEntry('Not a YAML or JSON body'),
  },
});

const currentFile = createRoute({
  method: 'get',
  path: '/api/v1/admin/surveys/{surveyId}/definitions/current',
  tags: ['admin'],
  summary: 'The published survey file (as stored: defaults filled in, comments gone)',
  security: [{ bearer: [] }],
  request: { params: z.object({ surveyId: Code }) },
  responses: {
    200: { description: 'The file', content: { 'application/yaml': { schema: z.string() } } },
    401: problemEntry('No valid bearer token'),
    403: problemEntry('Not an admin of this campaign'),
    404: problemEntry('No such survey'),
  },
});

const previewRoute = createRoute({
  method: 'post',
  path: '/api/v1/admin/surveys/{surveyId}/definitions/preview',
  tags: ['admin'],
  summary: 'One page of a survey file as a respondent would see it (rendered by the respondent pages, nothing stored)',
  security: [{ bearer: [] }],
  request: {
    params: z.object({ surveyId: Code }),
    query: z.object({
      audience: Code,
      page: z.coerce.number().int().min(0).max(200).default(0).meta({ description: 'Page index, from 0' }),
      lang: z.enum(['de', 'en']).optional(),
    }),
    body: { required: true, content: { 'application/yaml': { schema: z.string() } } },
  },
  responses: {
    200: { description: 'The page, its buttons disabled', content: { 'text/html': { schema: z.string() } } },
    400: problemEntry('The file is not valid, or has no such audience or page'),
    401: problemEntry('No valid bearer token'),
    403: problemEntry('Not an admin of the survey’s campaign'),
    413: problemEntry('The file is larger than 512 KiB'),
    415: problemEntry('Not a YAML or JSON body'),
  },
});

type Answer = z.infer<typeof PublishAnswer>;

interface Request {
  surveyId: string;
  dryRun: boolean;
  makeCurrent: boolean;
  contentType: string;
  text: () => Promise<string>;
}

/**
 * A valid survey file for `surveyId` from an admin who may publish it, or the reason it is not;
 * with the published definition the caller's rights were checked against (none for a new survey).
 */
async function checkedFile(
  deps: AdminDeps,
  claims: Claims,
  req: Omit<Request, 'dryRun' | 'makeCurrent'>,
): Promise<{ definition: SurveyDefinition; published: SurveyDefinition | undefined }> {
  const { surveyId } = req;
  // An existing survey: its admins only, before anything of the body is read.
  const published = await getDefinition(deps.db, surveyId).catch((error: unknown) => {
    if (error instanceof SurveyNotFoundError) return undefined;
    throw error;
  });
  if (published) requireRole(claims, 'admin', published.campaign.id);
  // A new survey: only someone who is an admin somewhere has their file read at all.
  else if (!claims.roles.includes('admin')) throw new ForbiddenError('admin', '(the file names it)');
  const type = req.contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  if (!FILE_TYPES.includes(type)) {
    throw new HTTPException(415, { message: `send the survey file as application/yaml (got "${type || 'nothing'}")` });
  }
  const parsed = parseSurveyFile('survey file', await req.text());
  if (!parsed.ok) throw new SurveyFileInvalidError(parsed.issues);
  const definition = parsed.definition;
  if (definition.id !== surveyId) {
    const line = parsed.lineOf?.(['id']);
    throw new SurveyFileInvalidError([
      { path: 'id', message: `the file is survey "${definition.id}", not "${surveyId}"`, line },
    ]);
  }
  // A new survey, or one moved to another campaign: an admin of the campaign the file names, too.
  requireRole(claims, 'admin', definition.campaign.id);
  // A definition is stored as one DynamoDB item (at most 400 KB): refuse what could not be stored.
  const size = Buffer.byteLength(JSON.stringify(definition));
  if (size > MAX_STORED_BYTES) {
    throw new SurveyFileInvalidError([
      {
        path: '(file)',
        message: `the survey takes ${Math.ceil(size / 1024)} KB once read (aliases expanded); at most ${MAX_STORED_BYTES / 1024} KB can be stored`,
      },
    ]);
  }
  const lowered = protectionLowered(published, definition);
  if (lowered.length > 0) {
    throw new SurveyFileInvalidError(
      lowered.map((issue) => ({ ...issue, line: parsed.lineOf?.(issue.path.split('.')) })),
    );
  }
  return { definition, published };
}

/** What the stored definition may take: DynamoDB's 400 KB item, less room for the item's other fields. */
const MAX_STORED_BYTES = 350 * 1024;

/** The least protection a survey gets through the console: the defaults of the survey file. */
const FLOOR = { minCellSize: 10, k: 5 };

/**
 * Settings that protect respondents, which the console may raise but not lower: the minimum cell
 * size of reports, the export's k and time detail, and its quasi-identifiers. Lowering them is a
 * decision for the operator, with `surveys publish`, and shows in the survey file's history.
 */
function protectionLowered(before: SurveyDefinition | undefined, after: SurveyDefinition) {
  const issues: { path: string; message: string }[] = [];
  const operator = 'lowering it needs the operator (npm run admin -- surveys publish)';
  const was = before && exportDefaults(before);
  const now = exportDefaults(after);
  const minFloor = before?.settings.minCellSize ?? FLOOR.minCellSize;
  const kFloor = was?.k ?? FLOOR.k;
  const than = (floor: number) => (before ? `the published ${floor}` : `${floor}, the least for a new survey here`);
  if (after.settings.minCellSize < minFloor) {
    issues.push({
      path: 'settings.minCellSize',
      message: `${after.settings.minCellSize} is less than ${than(minFloor)}: ${operator}`,
    });
  }
  if (now.k < kFloor)
    issues.push({ path: 'settings.export.k', message: `${now.k} is less than ${than(kFloor)}: ${operator}` });
  if (was?.period === 'wave' && now.period !== 'wave') {
    issues.push({
      path: 'settings.export.period',
      message: `the published version exports the wave only: ${operator}`,
    });
  }
  const kept = new Set(after.settings.export?.quasiIdentifiers ?? []);
  const dropped = (before?.settings.export?.quasiIdentifiers ?? []).filter((q) => !kept.has(q));
  if (dropped.length > 0) {
    issues.push({
      path: 'settings.export.quasiIdentifiers',
      message: `${dropped.join(', ')} would no longer be protected in exports: ${operator}`,
    });
  }
  return issues;
}

/** Checks a file and publishes it unless only asked to check: the answer and its status. */
async function decide(
  deps: AdminDeps,
  claims: Claims,
  req: Request,
): Promise<{ status: 200 | 201; answer: Answer; definition: SurveyDefinition }> {
  const { surveyId, dryRun, makeCurrent } = req;
  const { definition, published } = await checkedFile(deps, claims, req);
  const plan = await planPublish(deps.db, definition, published);
  const answer: Answer = {
    surveyId,
    version: definition.version,
    outcome: plan.outcome,
    dryRun,
    published: false,
    changes: plan.changes,
    retention: {
      rule: plan.retention.rule,
      ...(plan.retention.before ? { before: plan.retention.before } : {}),
      pending: false,
    },
  };
  if (dryRun || plan.outcome === 'unchanged') return { status: 200, answer, definition };
  if (plan.outcome === 'earlier-version' && !makeCurrent) {
    throw new EarlierVersionError(surveyId, definition.version, plan.current?.version ?? '?');
  }
  const expected = published ? { campaignId: published.campaign.id, version: published.version } : null;
  const done = await publishPlanned(deps.db, definition, plan, { makeCurrent, expected });
  deps.catalog.clear();
  // Where this process may write responses (locally), they get the new retention rule at once.
  let pending = done.retentionPending;
  if (pending && deps.applyRetention) {
    await deps.applyRetention(definition);
    pending = false;
  }
  deps.logger.info('survey published', {
    surveyId,
    version: definition.version,
    outcome: plan.outcome,
    by: claims.sub,
  });
  return {
    status: 201,
    answer: { ...answer, published: done.published, retention: { ...answer.retention, pending } },
    definition,
  };
}

function Names({ title, items }: { title: string; items: string[] }) {
  if (items.length === 0) return null;
  return (
    <li>
      {title}:{' '}
      {items.map((item, i) => (
        <>
          {i > 0 && ', '}
          <code>{item}</code>
        </>
      ))}
    </li>
  );
}

/** What a change summary says, as a person checking a file before publishing reads it. */
function ChangesList({ changes, t }: { changes: DefinitionChanges; t: ConsoleText }) {
  const q = changes.questions;
  const ref = (r: { audience: string; id: string }) => `${r.audience}: ${r.id}`;
  const listed = (['audiences', 'sections', 'indicators', 'waves', 'channels', 'cities'] as const).flatMap(
    (key): [string, string[]][] => [
      [`${t.listed[key]} (${t.added})`, changes[key].added],
      [`${t.listed[key]} (${t.removed})`, changes[key].removed],
      [`${t.listed[key]} (${t.changed})`, changes[key].changed],
    ],
  );
  const any =
    q.added.length + q.removed.length + q.changed.length + changes.settings.length + changes.other.length > 0 ||
    listed.some(([, items]) => items.length > 0);
  if (changes.from !== null && !any) return <p>{t.noChanges}</p>;
  return (
    <ul class="changes">
      <Names title={t.questionsAdded} items={q.added.map(ref)} />
      <Names title={t.questionsRemoved} items={q.removed.map(ref)} />
      {q.changed.length > 0 && (
        <li>
          {t.questionsChanged}:
          <ul>
            {q.changed.map((c) => (
              <li>
                <code>{ref(c)}</code>: {c.what.map((w) => t.what[w] ?? w).join(', ')}
                {c.codesAdded && ` (${t.codesAdded}: ${c.codesAdded.join(', ')})`}
                {c.codesRemoved && ` (${t.codesRemoved}: ${c.codesRemoved.join(', ')})`}
              </li>
            ))}
          </ul>
        </li>
      )}
      {listed.map(([title, items]) => (
        <Names title={title} items={items} />
      ))}
      <Names title={t.settingsChanged} items={changes.settings} />
      <Names title={t.otherChanged} items={changes.other} />
    </ul>
  );
}

/** A button per page of each audience: the page opens in a new tab, rendered as respondents get it. */
interface PreviewPages {
  audience: string;
  /** The audience's title, as its first page shows it. */
  title: string;
  titles: string[];
}

function Preview({ pages, surveyId, lang }: { pages: PreviewPages[]; surveyId: string; lang: Lang }) {
  const t = consoleText[lang];
  const action = `/api/v1/admin/surveys/${encodeURIComponent(surveyId)}/definitions/preview`;
  return (
    <section aria-labelledby="preview-title">
      <h3 id="preview-title">{t.preview}</h3>
      <p class="hint">{t.previewHint}</p>
      {pages.map(({ audience, title, titles }) => (
        <div class="preview-audience">
          <h4>
            {title} <code>{audience}</code>
          </h4>
          <div class="row-actions">
            {titles.map((title, page) => (
              <button
                type="button"
                class="secondary"
                data-preview={`${action}?audience=${audience}&page=${page}&lang=${lang}`}
                aria-label={`${t.preview} ${audience}: ${page + 1}. ${title}`}
              >
                {page + 1}. {title}
              </button>
            ))}
          </div>
        </div>
      ))}
    </section>
  );
}

function ResultFragment({ answer, lang, pages }: { answer: Answer; lang: Lang; pages?: PreviewPages[] | undefined }) {
  const t = consoleText[lang];
  const action = `/api/v1/admin/surveys/${encodeURIComponent(answer.surveyId)}/definitions`;
  return (
    <section class="result ok" aria-labelledby="result-title">
      <h2 id="result-title">{answer.published ? t.publishedTitle(answer.version) : t.validTitle(answer.version)}</h2>
      {!answer.published && <p>{t.outcome[answer.outcome]}</p>}
      {answer.retention.before && <p>{t.retentionChanges(answer.retention.before, answer.retention.rule)}</p>}
      {answer.retention.pending && <p>{t.retentionPending}</p>}
      <h3>{t.changesTitle(answer.changes.from, answer.changes.to)}</h3>
      <ChangesList changes={answer.changes} t={t} />
      {pages && <Preview pages={pages} surveyId={answer.surveyId} lang={lang} />}
      {answer.dryRun && answer.outcome === 'earlier-version' && (
        <p>
          <button
            type="submit"
            form="definition-form"
            class="secondary"
            formaction={`${action}?makeCurrent=true&lang=${lang}`}
          >
            {t.goBack}
          </button>
        </p>
      )}
    </section>
  );
}

function ProblemFragment({ problem, lang, lines }: { problem: Problem; lang: Lang; lines: string[] }) {
  const t = consoleText[lang];
  const problems = problem.problems ?? [];
  return (
    <section class="result problems" aria-labelledby="result-title">
      <h2 id="result-title">{problems.length > 0 ? t.problemsTitle(problems.length) : problem.title}</h2>
      {problems.length === 0 && problem.detail && <p>{problem.detail}</p>}
      {problems.length > 0 && (
        <div class="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col" class="num">
                  {t.line}
                </th>
                <th scope="col">{t.where}</th>
                <th scope="col">{t.problem}</th>
              </tr>
            </thead>
            <tbody>
              {problems.map((p) => (
                <tr>
                  <td class="num">{p.line ?? '–'}</td>
                  <td>
                    <code>{p.path}</code>
                    {p.line !== undefined && lines[p.line - 1] !== undefined && (
                      <code class="problem-line">{lines[p.line - 1]?.slice(0, 160)}</code>
                    )}
                  </td>
                  <td>{p.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** An HTML answer of any status (the route's typed answers are its JSON ones). */
async function sendHtml(c: Context, node: unknown, status: number): Promise<Response> {
  return c.html(`${await node}`, status as ContentfulStatusCode);
}

/** Survey files from the console: the same checks and publish as `surveys publish`, over HTTP. */
export function definitionRoutes(deps: AdminDeps) {
  const app = new OpenAPIHono<AuthEnv>({ defaultHook: validationHook });
  app.openapi(currentFile, async (c) => {
    const definition = await deps.catalog.definition(c.req.valid('param').surveyId);
    requireRole(c.var.claims, 'admin', definition.campaign.id);
    return c.body(stringify(definition, { lineWidth: 0 }), 200, {
      'Content-Type': 'application/yaml; charset=utf-8',
      'Cache-Control': 'no-store',
    });
  });
  app.openapi(previewRoute, async (c) => {
    const { audience, page, lang: asked } = c.req.valid('query');
    const { definition } = await checkedFile(deps, c.var.claims, {
      surveyId: c.req.valid('param').surveyId,
      contentType: c.req.header('content-type') ?? '',
      text: () => c.req.text(),
    });
    const body = definition.audiences[audience as keyof typeof definition.audiences];
    if (!body || page >= body.sections.length) {
      throw new InvalidQueryError([
        {
          field: body ? 'page' : 'audience',
          code: 'not_in_file',
          message: body
            ? `the audience has ${body.sections.length} pages (0 to ${body.sections.length - 1})`
            : `the file has no audience "${audience}"`,
        },
      ]);
    }
    const lang = langFrom(asked);
    const html = await (
      <SectionPage
        definition={definition}
        audience={body}
        index={page}
        lang={lang}
        action="#"
        lock={-1}
        answers={{}}
        preview={consoleText[lang].previewBanner(page + 1, body.sections.length)}
      />
    );
    // Shown from a blob: in a new tab, where a path has no origin to resolve against.
    const origin = new URL(c.req.url).origin;
    const page_ = `<!doctype html>${String(html).replaceAll('href="/', `href="${origin}/`)}`;
    return c.body(page_, 200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' }) as never;
  });
  app.openapi(route, async (c) => {
    const query = c.req.valid('query');
    const req: Request = {
      surveyId: c.req.valid('param').surveyId,
      dryRun: query.dryRun === 'true',
      makeCurrent: query.makeCurrent === 'true',
      contentType: c.req.header('content-type') ?? '',
      text: () => c.req.text(),
    };
    // The console asks for HTML: the answer, or the problems of a refused file, as a fragment to show.
    const html =
      accepts(c, { header: 'Accept', supports: ['application/json', 'text/html'], default: 'application/json' }) ===
      'text/html';
    if (!html) {
      const { status, answer } = await decide(deps, c.var.claims, req);
      return status === 201 ? c.json(answer, 201) : c.json(answer, 200);
    }
    const lang = langFrom(query.lang);
    try {
      const { status, answer, definition } = await decide(deps, c.var.claims, req);
      // A checked file can be previewed page by page (the text is sent again: nothing is kept).
      const pages = answer.dryRun
        ? Object.entries(definition.audiences).map(([audience, body]) => ({
            audience,
            title: body?.title[lang] ?? audience,
            titles: (body?.sections ?? []).map((section) => section.title[lang]),
          }))
        : undefined;
      // The typed answers are the JSON ones; the fragment is the same answer for the console.
      return (await sendHtml(c, <ResultFragment answer={answer} lang={lang} pages={pages} />, status)) as never;
    } catch (error) {
      const { problem } = problemFor(error);
      // Who may not, and what failed on our side, stay problems (the script shows them as such).
      if (problem.status === 401 || problem.status === 403 || problem.status >= 500) throw error;
      // The lines the problems point at, shown beside them (the text field has no line numbers).
      const lines = problem.problems ? (await c.req.text().catch(() => '')).split(/\r?\n/) : [];
      return (await sendHtml(
        c,
        <ProblemFragment problem={problem} lang={lang} lines={lines} />,
        problem.status,
      )) as never;
    }
  });
  return app;
}
