import { readFileSync } from 'node:fs';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { parse } from 'csv-parse/sync';
import type { LambdaContext, LambdaEvent } from 'hono/aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { exportStorageFor, STOP_MARGIN_MS, workerFunctionOf } from '../../functions/export/lambda.js';
import { ConfigError, readConfig } from '../../functions/lib/config.js';
import { getExportRecord } from '../../shared/data/export-store.js';
import { publishDefinition } from '../../shared/data/survey-store.js';
import type { Db } from '../../shared/data/table.js';
import { CSV_BUNDLE } from '../fixtures/export-bundle.js';
import { submitMini } from '../fixtures/mini-response.js';
import { miniSurvey } from '../fixtures/mini-survey.js';
import { EXPORT_BUCKET, type LocalS3, startLocalS3 } from '../setup/s3.js';
import { freshTable } from '../setup/table.js';

type Handler = typeof import('../../functions/export/handler.js').handler;
const BASE = '/api/v1/surveys/mini/exports';
const WORKER = 'resonanz-dev-export';

/** An HTTP API event as API Gateway sends it after its JWT authorizer verified a Cognito token. */
function httpEvent(method: string, path: string, body?: unknown, groups = '[evaluator]'): LambdaEvent {
  const base = JSON.parse(readFileSync(new URL('../fixtures/events/admin-list-waves.json', import.meta.url), 'utf8'));
  base.routeKey = `${method} ${path}`;
  base.rawPath = path;
  base.requestContext.routeKey = base.routeKey;
  base.requestContext.http = { ...base.requestContext.http, method, path };
  base.requestContext.authorizer.jwt.claims['cognito:groups'] = groups;
  if (body !== undefined) {
    base.body = JSON.stringify(body);
    base.headers['content-type'] = 'application/json';
  }
  return base;
}

/** What Lambda passes a handler: here only the time left matters. */
const context = (remainingMs: number) => ({ getRemainingTimeInMillis: () => remainingMs }) as unknown as LambdaContext;

describe('export handler (AWS): HTTP API events, asynchronous export jobs, S3 files', () => {
  let db: Db;
  let s3: LocalS3;
  let handler: Handler;
  const lambda = mockClient(LambdaClient);
  const invoked: unknown[] = [];

  beforeAll(async () => {
    db = await freshTable();
    s3 = await startLocalS3();
    await publishDefinition(db, miniSurvey);
    await submitMini(db, 14);
    vi.stubEnv('TABLE_NAME', db.tableName);
    vi.stubEnv('DYNAMODB_ENDPOINT', (db as Db & { endpoint: string }).endpoint);
    vi.stubEnv('EXPORT_BUCKET', EXPORT_BUCKET);
    vi.stubEnv('S3_ENDPOINT', s3.endpoint);
    vi.stubEnv('AWS_LAMBDA_FUNCTION_NAME', WORKER);
    vi.stubEnv('LOG_LEVEL', 'silent');
    vi.resetModules();
    ({ handler } = await import('../../functions/export/handler.js'));
  });

  beforeEach(() => {
    lambda.reset();
    invoked.length = 0;
    lambda.on(InvokeCommand).callsFake((input) => {
      invoked.push(input);
      return { StatusCode: 202 };
    });
  });

  afterAll(async () => {
    lambda.restore();
    vi.unstubAllEnvs();
    await s3.stop();
  });

  const start = async () => {
    const res = (await handler(httpEvent('POST', BASE, { format: 'csv' }))) as { statusCode: number; body: string };
    expect(res.statusCode).toBe(202);
    return JSON.parse(res.body).exportId as string;
  };
  const jobOf = (input: unknown) => {
    const { FunctionName, InvocationType, Payload } = input as {
      FunctionName: string;
      InvocationType: string;
      Payload: Uint8Array;
    };
    return { FunctionName, InvocationType, event: JSON.parse(new TextDecoder().decode(Payload)) };
  };
  const objects = async (exportId: string) =>
    (
      (await s3.client.send(new ListObjectsV2Command({ Bucket: EXPORT_BUCKET, Prefix: `mini/${exportId}/` })))
        .Contents ?? []
    ).map((o) => o.Key?.split('/').at(-1));

  it('starts an export by invoking itself asynchronously, writes it to S3 in that invocation, and hands out a 303 to a presigned link', async () => {
    const exportId = await start();
    expect(invoked).toHaveLength(1);
    const { FunctionName, InvocationType, event } = jobOf(invoked[0]);
    expect({ FunctionName, InvocationType }).toEqual({ FunctionName: WORKER, InvocationType: 'Event' });
    expect(event).toEqual({ resonanzExport: { surveyId: 'mini', exportId } });
    expect((await getExportRecord(db, 'mini', exportId)).status).toBe('running');

    expect(await handler(event, context(900_000))).toEqual({ status: 'done' });
    expect((await objects(exportId)).sort()).toEqual(CSV_BUNDLE);

    const status = (await handler(httpEvent('GET', `${BASE}/${exportId}`))) as { statusCode: number; body: string };
    expect(JSON.parse(status.body)).toMatchObject({ status: 'done', rows: 14 });
    const download = (await handler(httpEvent('GET', `${BASE}/${exportId}/files/data.csv`))) as {
      statusCode: number;
      headers: Record<string, string>;
      body: string;
    };
    expect(download.statusCode).toBe(303);
    expect(download.headers['cache-control']).toBe('no-store');
    const location = download.headers.location as string;
    expect(JSON.parse(download.body)).toMatchObject({ url: location, expiresAt: expect.any(String) });
    expect(new URL(location).searchParams.get('X-Amz-Expires')).toBe('300');
    // The console asks for the link as JSON (?as=link): a script under its CSP may not follow the 303.
    const asLink = Object.assign(httpEvent('GET', `${BASE}/${exportId}/files/data.csv`), {
      rawQueryString: 'as=link',
      queryStringParameters: { as: 'link' },
    });
    const link = (await handler(asLink)) as { statusCode: number; headers: Record<string, string>; body: string };
    expect(link.statusCode).toBe(200);
    expect(link.headers['cache-control']).toBe('no-store');
    expect(JSON.parse(link.body)).toMatchObject({ url: expect.stringContaining('X-Amz-Expires=300') });
    const file = await fetch(location);
    expect(file.headers.get('content-disposition')).toBe('attachment; filename="mini-data.csv"');
    expect(parse(await file.text(), { columns: true })).toHaveLength(14);
  });

  it('does nothing when the same job is delivered again (asynchronous invocations are retried)', async () => {
    const exportId = await start();
    const { event } = jobOf(invoked[0]);
    expect(await handler(event, context(900_000))).toEqual({ status: 'done' });
    const first = await getExportRecord(db, 'mini', exportId);
    const before = await objects(exportId);
    expect(await handler(event, context(900_000))).toEqual({ status: 'done' });
    expect(await getExportRecord(db, 'mini', exportId)).toEqual(first);
    expect(await objects(exportId)).toEqual(before);
  });

  it('stops an export that would outlive the function, records why and leaves no files', async () => {
    const exportId = await start();
    const { event } = jobOf(invoked[0]);
    // Less time left than the stop margin: the export is stopped at its first write.
    expect(await handler(event, context(STOP_MARGIN_MS - 1))).toEqual({ status: 'failed' });
    const record = await getExportRecord(db, 'mini', exportId);
    expect(record.status).toBe('failed');
    expect(record.error).toMatch(/^ExportTimeoutError: the export did not finish within 30 s/);
    expect(await objects(exportId)).toEqual([]);
    // The retried invocation finds it finished and leaves it so.
    expect(await handler(event, context(900_000))).toEqual({ status: 'failed' });
  });

  it('answers 503 with Retry-After when the worker cannot be invoked, and records the export as failed', async () => {
    lambda.on(InvokeCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException' }));
    const res = (await handler(httpEvent('POST', BASE, {}))) as {
      statusCode: number;
      headers: Record<string, string>;
      body: string;
    };
    expect(res.statusCode).toBe(503);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.headers['retry-after']).toBe('5');
    const exportId = JSON.parse(res.body).detail.match(/export "([^"]+)"/)[1];
    expect(await getExportRecord(db, 'mini', exportId)).toMatchObject({
      status: 'failed',
      error: 'TooManyRequestsException: Rate exceeded',
    });
  });

  it('rejects a malformed job without touching anything, and keeps leads out', async () => {
    expect(
      await handler({ resonanzExport: { surveyId: 'mini', exportId: '../x' } } as never, context(900_000)),
    ).toEqual({
      status: 'rejected',
    });
    const lead = (await handler(httpEvent('POST', BASE, {}, '[lead]'))) as { statusCode: number };
    expect(lead.statusCode).toBe(403);
    expect(invoked).toHaveLength(0);
  });

  it('checks its configuration at cold start: bucket, link lifetime, worker function', () => {
    const config = (env: Record<string, string>) => readConfig({ TABLE_NAME: 't', ...env });
    expect(config({}).EXPORT_LINK_SECONDS).toBe(300);
    for (const bad of ['0', '901', '1.5', 'soon'])
      expect(() => config({ EXPORT_LINK_SECONDS: bad }), bad).toThrow(
        /EXPORT_LINK_SECONDS must be a whole number of seconds from 10 to 900/,
      );
    expect(() => config({ EXPORT_BUCKET: 'Exports_2026' })).toThrow(/EXPORT_BUCKET must be an S3 bucket name/);
    expect(() => exportStorageFor(config({}))).toThrow(ConfigError);
    expect(() => exportStorageFor(config({}))).toThrow(/EXPORT_BUCKET is required by the export function/);
    expect(() => workerFunctionOf(config({}))).toThrow(/EXPORT_WORKER_FUNCTION is required outside Lambda/);
    expect(workerFunctionOf(config({ AWS_LAMBDA_FUNCTION_NAME: 'self' }))).toBe('self');
    expect(workerFunctionOf(config({ AWS_LAMBDA_FUNCTION_NAME: 'self', EXPORT_WORKER_FUNCTION: 'worker' }))).toBe(
      'worker',
    );
  });
});
