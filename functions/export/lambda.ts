import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { handle, type LambdaContext, type LambdaEvent } from 'hono/aws-lambda';
import * as z from 'zod';
import type { ExportRecord } from '../../shared/data/export-store.js';
import { type ExportDispatcher, ExportTimeoutError } from '../../shared/export/jobs.js';
import { Code } from '../../shared/survey/schema.js';
import { type Config, ConfigError } from '../lib/config.js';
import { createExportApp } from './app.js';
import type { ExportDeps } from './deps.js';
import { s3Storage } from './s3-storage.js';
import { workExport } from './worker.js';

/** The event the export function sends itself to write one export (an asynchronous invocation). */
export const ExportJobEvent = z.object({
  resonanzExport: z.object({ surveyId: Code, exportId: z.uuid() }).strict(),
});
export type ExportJobEvent = z.infer<typeof ExportJobEvent>;

/**
 * Dispatches each export to an asynchronous invocation of the worker function (`InvocationType:
 * Event`): the request that started it answers 202 at once, and the export gets a whole function
 * time limit (up to 15 minutes) of its own.
 */
export function lambdaDispatcher(client: LambdaClient, functionName: string): ExportDispatcher {
  return async (job) => {
    const event: ExportJobEvent = { resonanzExport: job };
    const out = await client.send(
      new InvokeCommand({
        FunctionName: functionName,
        InvocationType: 'Event',
        Payload: new TextEncoder().encode(JSON.stringify(event)),
      }),
    );
    if (out.StatusCode !== 202) throw new Error(`the export worker was not invoked (status ${out.StatusCode})`);
  };
}

/** Time kept back before the function's limit to stop an export, discard its files and record why. */
export const STOP_MARGIN_MS = 30_000;

/**
 * The export function's handler: HTTP API events go to the export app (start, poll, download);
 * an export job event writes that export, stopped `STOP_MARGIN_MS` before the time limit.
 */
export function exportLambda(deps: ExportDeps, stopMarginMs = STOP_MARGIN_MS) {
  const http = handle(createExportApp(deps));
  return async (event: LambdaEvent | ExportJobEvent, context?: LambdaContext): Promise<unknown> => {
    if (!('resonanzExport' in event)) return http(event, context);
    const job = ExportJobEvent.safeParse(event);
    if (!job.success) {
      // Not ours to retry: a malformed job stays malformed.
      deps.logger.error('export job malformed', { issues: job.error.issues.length });
      return { status: 'rejected' };
    }
    const remaining = context?.getRemainingTimeInMillis();
    const stop = new AbortController();
    const timer =
      remaining === undefined
        ? undefined
        : setTimeout(
            () => stop.abort(new ExportTimeoutError(Math.round(remaining / 1000))),
            Math.max(0, remaining - stopMarginMs),
          );
    try {
      const record: ExportRecord = await workExport(deps, job.data.resonanzExport, stop.signal);
      return { status: record.status };
    } finally {
      clearTimeout(timer);
    }
  };
}

/** The S3 client and storage of a deployment (or, with `S3_ENDPOINT`, of a local S3-compatible server). */
export function exportStorageFor(config: Config, now: () => Date = () => new Date()) {
  if (!config.EXPORT_BUCKET) throw new ConfigError(['EXPORT_BUCKET is required by the export function']);
  const client = config.S3_ENDPOINT
    ? new S3Client({
        region: config.AWS_REGION,
        endpoint: config.S3_ENDPOINT,
        forcePathStyle: true,
        credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      })
    : new S3Client({ region: config.AWS_REGION });
  return s3Storage(client, config.EXPORT_BUCKET, { linkSeconds: config.EXPORT_LINK_SECONDS, now });
}

/** The function exports are dispatched to: `EXPORT_WORKER_FUNCTION`, else this function itself. */
export function workerFunctionOf(config: Config): string {
  const name = config.EXPORT_WORKER_FUNCTION ?? config.AWS_LAMBDA_FUNCTION_NAME;
  if (!name) throw new ConfigError(['EXPORT_WORKER_FUNCTION is required outside Lambda (the export worker function)']);
  return name;
}
