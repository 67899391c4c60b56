import { readFileSync } from 'node:fs';
import type { LambdaEvent } from 'hono/aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ConfigError, readConfig } from '../../functions/lib/config.js';
import { readCells, totalOf } from '../../shared/data/aggregate-store.js';
import { getResponse } from '../../shared/data/response-store.js';
import { publishDefinition, setWaveState } from '../../shared/data/survey-store.js';
import type { Db } from '../../shared/data/table.js';
import { miniSurvey } from '../fixtures/mini-survey.js';
import { freshTable } from '../setup/table.js';

/** API Gateway HTTP API (payload 2.0) events, as stored JSON files. */
function eventFixture(name: string): LambdaEvent {
  return JSON.parse(readFileSync(new URL(`../fixtures/events/${name}`, import.meta.url), 'utf8'));
}

type Handler = typeof import('../../functions/respond/handler.js').handler;

describe('respond handler', () => {
  let db: Db;
  let handler: Handler;

  beforeAll(async () => {
    // Prepare: a published survey with an open wave, and the environment Lambda would have.
    const table = await freshTable();
    db = table;
    await publishDefinition(db, miniSurvey);
    await setWaveState(db, miniSurvey.id, { waveId: 'w0', state: 'open' });
    vi.stubEnv('TABLE_NAME', table.tableName);
    vi.stubEnv('DYNAMODB_ENDPOINT', table.endpoint);
    vi.stubEnv('LOG_LEVEL', 'silent');
    vi.resetModules();
    ({ handler } = await import('../../functions/respond/handler.js'));
  });

  afterAll(() => {
    vi.unstubAllEnvs();
  });

  it('returns the public definition for a GET event', async () => {
    const result = await handler(eventFixture('get-survey.json'));

    expect(result.statusCode).toBe(200);
    expect(result.headers['content-type']).toContain('application/json');
    const body = JSON.parse(result.body);
    expect(body.definition.id).toBe('mini');
    expect(body.wave).toMatchObject({ id: 'w0', kind: 'baseline' });
  });

  it('stores a response sent as a JSON body and counts it once', async () => {
    const event = eventFixture('post-response.json');

    const result = await handler(event);
    const retry = await handler(event);

    expect(result.statusCode).toBe(201);
    const { responseId, wave } = JSON.parse(result.body);
    expect(wave).toBe('w0');
    expect(retry.statusCode).toBe(200);
    const stored = await getResponse(db, 'mini', responseId);
    expect(stored).toMatchObject({ waveId: 'w0', audience: 'public', dimensions: { city: 'alpha' } });
    expect(JSON.stringify(stored)).not.toContain('203.0.113.10');
  });

  it('decodes a base64-encoded body', async () => {
    const cells = () => readCells(db, 'mini', 'w0', miniSurvey.settings.aggregateShards);
    const before = totalOf(await cells()).n ?? 0;
    const result = await handler(eventFixture('post-response-base64.json'));

    expect(result.statusCode).toBe(201);
    const stored = await getResponse(db, 'mini', JSON.parse(result.body).responseId);
    expect(stored?.answers.seen_what).toBe('Anzeige für Ausbildung im Bus – schön');
    expect(stored?.dimensions).toMatchObject({ city: 'beta', exposure: 'no' });
    expect(totalOf(await cells()).n).toBe(before + 1);
  });

  it('answers a problem for an unknown survey', async () => {
    const event = eventFixture('get-survey.json');
    const missing = { ...event, rawPath: '/api/v1/surveys/nope' };

    const result = await handler(missing as LambdaEvent);

    expect(result.statusCode).toBe(404);
    expect(result.headers['content-type']).toContain('application/problem+json');
  });
});

describe('config', () => {
  afterAll(() => {
    vi.unstubAllEnvs();
  });

  it('names a missing TABLE_NAME', () => {
    expect(() => readConfig({ DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000' })).toThrow(
      /invalid configuration: TABLE_NAME is required/,
    );
  });

  it('lists every invalid variable at once', () => {
    const error = (() => {
      try {
        readConfig({
          TABLE_NAME: 't',
          DYNAMODB_ENDPOINT: 'not a url',
          LOG_LEVEL: 'loud',
          PUBLIC_BASE_URL: 'umfrage.de',
          IMPACT_MAX_AGE_SECONDS: '1.5',
        });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      expect.stringMatching(/^DYNAMODB_ENDPOINT /),
      expect.stringMatching(/^LOG_LEVEL must be one of info, warn, error, silent/),
      expect.stringMatching(/^PUBLIC_BASE_URL must be an http\(s\) URL/),
      expect.stringMatching(/^IMPACT_MAX_AGE_SECONDS must be a whole number of seconds from 0 to 86400/),
    ]);
    for (const bad of ['-1', 'soon', '90000']) {
      expect(() => readConfig({ TABLE_NAME: 't', IMPACT_MAX_AGE_SECONDS: bad }), bad).toThrow(/IMPACT_MAX_AGE_SECONDS/);
    }
    expect(readConfig({ TABLE_NAME: 't' }).IMPACT_MAX_AGE_SECONDS).toBe(60);
    expect(readConfig({ TABLE_NAME: 't', IMPACT_MAX_AGE_SECONDS: '0' }).IMPACT_MAX_AGE_SECONDS).toBe(0);
    expect(readConfig({ TABLE_NAME: 't', PUBLIC_BASE_URL: 'https://umfrage.kreis-re.de' }).PUBLIC_BASE_URL).toBe(
      'https://umfrage.kreis-re.de',
    );
  });

  it('fails the cold start when TABLE_NAME is missing', async () => {
    vi.stubEnv('TABLE_NAME', undefined);
    vi.resetModules();

    await expect(import('../../functions/respond/handler.js')).rejects.toThrow(/TABLE_NAME is required/);
  });
});
