import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { LambdaEvent } from 'hono/aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { miniAnswers, miniSurvey } from '../fixtures/mini-survey.js';
import { jsonPost, respondAppWith } from '../setup/respond-app.js';
import { freshTable } from '../setup/table.js';

type Handler = typeof import('../../functions/report/handler.js').handler;

const HOSTED_UI = 'https://resonanz-test.auth.eu-central-1.amazoncognito.com';

/**
 * An HTTP API event for `path` as API Gateway sends it: with `claims` after its JWT authorizer
 * verified a Cognito ID token, without an authorizer block on the public page routes.
 */
function event(path: string, claims?: Record<string, unknown>): LambdaEvent {
  const base = JSON.parse(readFileSync(new URL('../fixtures/events/admin-list-waves.json', import.meta.url), 'utf8'));
  base.rawPath = path;
  base.requestContext.http.path = path;
  base.routeKey = base.requestContext.routeKey = 'ANY /api/v1/surveys/{surveyId}/fieldwork';
  if (claims === undefined) {
    delete base.requestContext.authorizer;
    delete base.headers.authorization;
  } else {
    base.requestContext.authorizer.jwt.claims = { ...base.requestContext.authorizer.jwt.claims, ...claims };
  }
  return base;
}

describe('report handler (AWS): Cognito claims from the JWT authorizer, OIDC sign-in pages', () => {
  let db: Awaited<ReturnType<typeof freshTable>>;
  let handler: Handler;

  beforeAll(async () => {
    db = await freshTable();
    const { app: respond } = await respondAppWith(db, miniSurvey, 'w0');
    for (let i = 0; i < 12; i++) {
      const res = await respond.request(
        '/api/v1/surveys/mini/responses',
        jsonPost({ submissionId: randomUUID(), audience: 'public', channel: 'plakat-alpha', answers: miniAnswers }),
      );
      expect(res.status).toBe(201);
    }
    // The environment the stack sets on the report function.
    vi.stubEnv('TABLE_NAME', db.tableName);
    vi.stubEnv('DYNAMODB_ENDPOINT', db.endpoint);
    vi.stubEnv('LOG_LEVEL', 'silent');
    vi.stubEnv('OIDC_AUTHORIZE_URL', `${HOSTED_UI}/oauth2/authorize`);
    vi.stubEnv('OIDC_TOKEN_URL', `${HOSTED_UI}/oauth2/token`);
    vi.stubEnv('OIDC_CLIENT_ID', 'exampleclientid');
    vi.resetModules();
    ({ handler } = await import('../../functions/report/handler.js'));
  });

  afterAll(() => {
    vi.unstubAllEnvs();
  });

  it('serves a lead in the campaign the fieldwork report and the impact report', async () => {
    const lead = { 'cognito:groups': '[lead]', 'custom:campaigns': miniSurvey.campaign.id };

    const fieldwork = await handler(event('/api/v1/surveys/mini/fieldwork', lead));
    const impact = await handler(event('/api/v1/surveys/mini/impact', lead));

    expect(fieldwork.statusCode).toBe(200);
    const waves = JSON.parse(fieldwork.body).waves as { waveId: string; responses: number }[];
    expect(waves.find((w) => w.waveId === 'w0')?.responses).toBe(12);
    expect(impact.statusCode).toBe(200);
    expect(JSON.parse(impact.body)).toMatchObject({ surveyId: 'mini', audience: 'public' });
  });

  it('answers 403 for an evaluator or another campaign and 401 without authorizer claims', async () => {
    const path = '/api/v1/surveys/mini/fieldwork';
    expect((await handler(event(path, { 'cognito:groups': '[evaluator]' }))).statusCode).toBe(403);
    expect((await handler(event(path, { 'custom:campaigns': 'other-campaign' }))).statusCode).toBe(403);
    const anonymous = await handler(event(path));
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers['content-type']).toContain('application/problem+json');
  });

  it('tells the signed-in user who they are, from the claims', async () => {
    const me = await handler(event('/api/v1/reports/me', { 'cognito:groups': ['lead', 'evaluator'] }));
    expect(me.statusCode).toBe(200);
    expect(JSON.parse(me.body)).toMatchObject({ roles: ['lead', 'evaluator'], campaigns: ['mini-campaign'] });
  });

  it('serves the sign-in page (a public route) pointing at the hosted UI of this deployment', async () => {
    const page = await handler(event('/reports/signin'));
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    const html = page.isBase64Encoded ? Buffer.from(page.body, 'base64').toString('utf8') : page.body;
    expect(html).toContain(`${HOSTED_UI}/oauth2/authorize`);
    expect(html).toContain('exampleclientid');
  });
});
