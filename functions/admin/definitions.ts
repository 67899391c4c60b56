import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { HTTPException } from 'hono/http-exception';
import * as z from 'zod';
import { planPublish, publishPlanned } from '../../shared/data/publish-file.js';
import { getDefinition } from '../../shared/data/survey-store.js';
import { EarlierVersionError, SurveyFileInvalidError, SurveyNotFoundError } from '../../shared/errors.js';
import { parseSurveyFile } from '../../shared/survey/parse-file.js';
import { Code } from '../../shared/survey/schema.js';
import { requireRole } from '../lib/auth.js';
import type { AuthEnv } from '../lib/authenticate.js';
import { validationHook } from '../lib/validation.js';
import type { AdminDeps } from './deps.js';
import { problemEntry } from './route-kit.js';

/** Largest survey file the route takes: the shipped ones are 30-40 KB. */
export const SURVEY_FILE_MAX_BYTES = 512 * 1024;
export const DEFINITIONS_PATH = /^\/api\/v1\/admin\/surveys\/[^/]+\/definitions$/;

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

/** Survey files from the console: the same checks and publish as `surveys publish`, over HTTP. */
export function definitionRoutes(deps: AdminDeps) {
  const app = new OpenAPIHono<AuthEnv>({ defaultHook: validationHook });
  app.openapi(route, async (c) => {
    const { surveyId } = c.req.valid('param');
    const { dryRun, makeCurrent } = c.req.valid('query');
    const claims = c.var.claims;
    // An existing survey: its admins only, before anything of the body is read.
    const current = await getDefinition(deps.db, surveyId).catch((error: unknown) => {
      if (error instanceof SurveyNotFoundError) return undefined;
      throw error;
    });
    if (current) requireRole(claims, 'admin', current.campaign.id);
    const type = (c.req.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    if (!FILE_TYPES.includes(type)) {
      throw new HTTPException(415, {
        message: `send the survey file as application/yaml (got "${type || 'nothing'}")`,
      });
    }
    const text = await c.req.text();
    const parsed = parseSurveyFile('survey file', text);
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
    const plan = await planPublish(deps.db, definition);
    const answer = {
      surveyId,
      version: definition.version,
      outcome: plan.outcome,
      dryRun: dryRun === 'true',
      published: false,
      changes: plan.changes,
      retention: {
        rule: plan.retention.rule,
        ...(plan.retention.before ? { before: plan.retention.before } : {}),
        pending: false,
      },
    };
    if (dryRun === 'true') return c.json(answer, 200);
    if (plan.outcome === 'earlier-version' && makeCurrent !== 'true') {
      throw new EarlierVersionError(surveyId, definition.version, plan.current?.version ?? '?');
    }
    if (plan.outcome === 'unchanged') return c.json(answer, 200);
    const done = await publishPlanned(deps.db, definition, plan, { makeCurrent: makeCurrent === 'true' });
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
    return c.json({ ...answer, published: done.published, retention: { ...answer.retention, pending } }, 201);
  });
  return app;
}
