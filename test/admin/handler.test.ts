import { readFileSync } from 'node:fs';
import type { LambdaEvent } from 'hono/aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { publishDefinition, setWaveState } from '../../shared/data/survey-store.js';
import { miniSurvey } from '../fixtures/mini-survey.js';
import { freshTable } from '../setup/table.js';

type Handler = typeof import('../../functions/admin/handler.js').handler;

/** An HTTP API event as API Gateway sends it after its JWT authorizer verified a Cognito token. */
function event(claims: Record<string, unknown> | undefined): LambdaEvent {
  const base = JSON.parse(readFileSync(new URL('../fixtures/events/admin-list-waves.json', import.meta.url), 'utf8'));
  if (claims === undefined) delete base.requestContext.authorizer;
  else base.requestContext.authorizer.jwt.claims = { ...base.requestContext.authorizer.jwt.claims, ...claims };
  return base;
}

describe('admin handler', () => {
  let handler: Handler;

  beforeAll(async () => {
    const table = await freshTable();
    await publishDefinition(table, miniSurvey);
    await setWaveState(table, 'mini', { waveId: 'w0', state: 'open' });
    vi.stubEnv('TABLE_NAME', table.tableName);
    vi.stubEnv('DYNAMODB_ENDPOINT', table.endpoint);
    vi.stubEnv('LOG_LEVEL', 'silent');
    vi.resetModules();
    ({ handler } = await import('../../functions/admin/handler.js'));
  });

  afterAll(() => {
    vi.unstubAllEnvs();
  });

  it('lists waves for Cognito claims with the admin group and the campaign', async () => {
    const result = await handler(event({}));
    expect(result.statusCode).toBe(200);
    const body = JSON.parse(result.body);
    expect(body.waves.map((w: { id: string; collectingNow: boolean }) => [w.id, w.collectingNow])).toEqual([
      ['w0', true],
      ['w1', false],
    ]);
  });

  it('accepts groups as an array and every campaign as *', async () => {
    const result = await handler(event({ 'cognito:groups': ['admin'], 'custom:campaigns': '*' }));
    expect(result.statusCode).toBe(200);
  });

  it('answers 403 for a lead or another campaign, 401 without authorizer claims', async () => {
    expect((await handler(event({ 'cognito:groups': '[lead]' }))).statusCode).toBe(403);
    expect((await handler(event({ 'custom:campaigns': 'other-campaign' }))).statusCode).toBe(403);
    expect((await handler(event(undefined))).statusCode).toBe(401);
    expect((await handler(event({ 'cognito:groups': '[]' }))).statusCode).toBe(401);
  });
});
