import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import * as z from 'zod';
import { channelLink, qrLink, qrPng, qrSvg, shortUrl } from '../../shared/channels/qr.js';
import {
  findSurveyChannel,
  listSurveyChannels,
  registerChannel,
  retireChannel,
} from '../../shared/channels/registry.js';
import { SurveyChannel } from '../../shared/channels/schema.js';
import { Audience, Channel, Code } from '../../shared/survey/schema.js';
import type { AuthEnv } from '../lib/authenticate.js';
import { validationHook } from '../lib/validation.js';
import type { AdminDeps } from './deps.js';
import { adminSurveyOf, problemEntry, publicBaseOf } from './route-kit.js';

const problems = {
  401: problemEntry('No valid bearer token'),
  403: problemEntry('Not an admin of this campaign'),
  404: problemEntry('No such survey or channel'),
};
// The shared schemas are zod/mini: route schemas are `zod` objects around their fields.
const ChannelView = z
  .strictObject({
    ...SurveyChannel.shape,
    link: z.url().meta({ description: 'The public survey page with the channel as `?c=`' }),
    shortUrl: z.url().meta({ description: 'Short printable link, redirects to `link`' }),
  })
  .meta({ id: 'ChannelView' });
type ChannelView = z.infer<typeof ChannelView>;
const ChannelList = z.object({ channels: z.array(ChannelView) }).meta({ id: 'ChannelList' });
const SurveyParams = z.object({ surveyId: Code });
const ChannelParams = SurveyParams.extend({ code: Code });
const QrQuery = z.object({ audience: z._default(Audience, 'public') });

const security = [{ bearer: [] }];
const one = (description: string) => ({ description, content: { 'application/json': { schema: ChannelView } } });

const list = createRoute({
  method: 'get',
  path: '/api/v1/admin/surveys/{surveyId}/channels',
  tags: ['admin'],
  summary: 'Channels of a survey (survey file and registry) with state and links',
  security,
  request: { params: SurveyParams },
  responses: {
    200: { description: 'The channels', content: { 'application/json': { schema: ChannelList } } },
    ...problems,
  },
});
const create = createRoute({
  method: 'post',
  path: '/api/v1/admin/surveys/{surveyId}/channels',
  tags: ['admin'],
  summary: 'Register a channel (code unique per survey, city of the campaign)',
  security,
  request: {
    params: SurveyParams,
    body: { required: true, content: { 'application/json': { schema: z.strictObject(Channel.shape) } } },
  },
  responses: {
    201: one('The registered channel'),
    ...problems,
    400: problemEntry('Invalid channel'),
    409: problemEntry('The survey already has a channel with this code'),
  },
});
const disable = createRoute({
  method: 'post',
  path: '/api/v1/admin/surveys/{surveyId}/channels/{code}/disable',
  tags: ['admin'],
  summary: 'Disable a channel: its responses count as "unknown" from now on',
  security,
  request: { params: ChannelParams },
  responses: { 200: one('The disabled channel'), ...problems },
});
const qr = (format: 'svg' | 'png') =>
  createRoute({
    method: 'get',
    path: `/api/v1/admin/surveys/{surveyId}/channels/{code}/qr.${format}`,
    tags: ['admin'],
    summary: `QR code as ${format.toUpperCase()}: the short link for the public, the full link for another audience (quiet zone included, A4-poster size)`,
    security,
    request: { params: ChannelParams, query: QrQuery },
    responses: {
      200: {
        description: 'The QR code',
        content: {
          [format === 'svg' ? 'image/svg+xml' : 'image/png']: { schema: z.string().meta({ format: 'binary' }) },
        },
      },
      ...problems,
    },
  });

/** Links point at the host the admin called: the API and the survey pages share it. */

function view(base: string, surveyId: string, channel: SurveyChannel): ChannelView {
  return {
    ...channel,
    link: channelLink(base, surveyId, 'public', channel.code),
    shortUrl: shortUrl(base, surveyId, channel.code),
  };
}

/** Channel administration: validate, check the admin role for the survey's campaign, call the domain. */
export function channelRoutes(deps: AdminDeps) {
  const app = new OpenAPIHono<AuthEnv>({ defaultHook: validationHook });
  const originOf = publicBaseOf(deps);
  const adminSurvey = adminSurveyOf(deps);

  app.openapi(list, async (c) => {
    const { surveyId } = c.req.valid('param');
    const definition = await adminSurvey(c.var.claims, surveyId);
    const channels = await listSurveyChannels(deps.db, definition);
    return c.json({ channels: channels.map((ch) => view(originOf(c), surveyId, ch)) }, 200);
  });
  app.openapi(create, async (c) => {
    const { surveyId } = c.req.valid('param');
    const definition = await adminSurvey(c.var.claims, surveyId);
    const channel = await registerChannel(deps.db, definition, c.req.valid('json'), deps.now());
    deps.logger.info('channel created', { surveyId, code: channel.code, by: c.var.claims.sub });
    return c.json(view(originOf(c), surveyId, { ...channel, source: 'registry' }), 201);
  });
  app.openapi(disable, async (c) => {
    const { surveyId, code } = c.req.valid('param');
    const definition = await adminSurvey(c.var.claims, surveyId);
    const channel = await retireChannel(deps.db, definition, code, deps.now());
    deps.logger.info('channel disabled', { surveyId, code, by: c.var.claims.sub });
    return c.json(view(originOf(c), surveyId, { ...channel, source: 'registry' }), 200);
  });
  app.openapi(qr('svg'), async (c) => {
    const { surveyId, code } = c.req.valid('param');
    const definition = await adminSurvey(c.var.claims, surveyId);
    await findSurveyChannel(deps.db, definition, code);
    return c.body(await qrSvg(qrLink(originOf(c), surveyId, c.req.valid('query').audience, code)), 200, {
      'Content-Type': 'image/svg+xml; charset=utf-8',
    });
  });
  app.openapi(qr('png'), async (c) => {
    const { surveyId, code } = c.req.valid('param');
    const definition = await adminSurvey(c.var.claims, surveyId);
    await findSurveyChannel(deps.db, definition, code);
    const link = qrLink(originOf(c), surveyId, c.req.valid('query').audience, code);
    return c.body(new Uint8Array(await qrPng(link)), 200, { 'Content-Type': 'image/png' });
  });
  return app;
}
