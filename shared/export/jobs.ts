import { randomUUID } from 'node:crypto';
import { surveyChannels } from '../channels/resolve.js';
import type { Catalog } from '../data/catalog.js';
import { type ExportRecord, finishExportRecord, getExportRecord, putExportRecord } from '../data/export-store.js';
import type { Db } from '../data/table.js';
import { type ExportFile, type ExportProgress, type ExportRequest, type ExportSink, runExport } from './run.js';

const CONTENT_TYPES: [RegExp, string][] = [
  [/\.csv$/, 'text/csv; charset=utf-8'],
  [/\.jsonl$/, 'application/x-ndjson'],
  [/\.json$/, 'application/json'],
  [/\.md$/, 'text/markdown; charset=utf-8'],
  [/\.(sps|R)$/, 'text/plain; charset=utf-8'],
];

/** The media type an export file is stored and served with. */
export function exportContentType(name: string): string {
  return CONTENT_TYPES.find(([pattern]) => pattern.test(name))?.[1] ?? 'application/octet-stream';
}

/** Where an export's files can be fetched from: streamed through the API, or a short-lived link. */
export type ExportDownload =
  | { kind: 'stream'; body: ReadableStream<Uint8Array> }
  | { kind: 'link'; url: string; expiresAt: Date };

/** An export sink that can also take back what it wrote, for an export that failed half-way. */
export interface DiscardableSink extends ExportSink {
  /** Removes the export's files, finished or not (never rejects: a leftover is expired by the bucket's lifecycle). */
  discard(): Promise<void>;
}

/** Where export files live: a local folder, or (in AWS) an S3 bucket. */
export interface ExportStorage {
  sink(surveyId: string, exportId: string): DiscardableSink;
  /**
   * How to fetch one file of a finished export, or undefined when there is none by that name.
   * `as` is what the file is called and typed as on the evaluator's machine.
   */
  download(
    surveyId: string,
    exportId: string,
    name: string,
    as: { filename: string; contentType: string },
  ): Promise<ExportDownload | undefined>;
}

export type ExportSettings = Pick<ExportRecord, 'format' | 'profile'>;

/** What the export worker needs to find an export: its record says everything else. */
export interface ExportJob {
  surveyId: string;
  exportId: string;
}

/**
 * Starts writing a recorded export somewhere else than the request that recorded it: in the
 * background of the local server, or (in AWS) in an asynchronous invocation of the export function.
 * Rejects when the export could not be handed over; the caller then marks it failed.
 */
export type ExportDispatcher = (job: ExportJob) => Promise<void>;

/** Records an export as running: the first step of every export, before anything is written. */
export async function recordExport(
  db: Db,
  input: { surveyId: string; settings: ExportSettings; requestedBy: string; now: () => Date },
): Promise<ExportRecord> {
  const record: ExportRecord = {
    exportId: randomUUID(),
    surveyId: input.surveyId,
    requestedBy: input.requestedBy,
    requestedAt: input.now().toISOString(),
    status: 'running',
    ...input.settings,
  };
  await putExportRecord(db, record);
  return record;
}

/** Marks a running export failed with a reason (an error name and message, never data). */
export async function failExport(db: Db, record: ExportRecord, error: unknown, now: Date): Promise<ExportRecord> {
  const outcome = {
    status: 'failed' as const,
    finishedAt: now.toISOString(),
    error: error instanceof Error ? `${error.name}: ${error.message}` : 'unknown error',
  };
  // Only a running record is finished: if it was finished meanwhile, that outcome stands.
  await finishExportRecord(db, record.surveyId, record.exportId, outcome).catch(() => {});
  return { ...record, ...outcome };
}

/**
 * How long an export may say running. An export that stops without finishing its record (the
 * local server restarted, the function crashed on every retry) is failed once it is older: far
 * beyond the 15 minutes a function may run, and beyond any export the benchmarks have seen.
 */
export const RUNNING_LIMIT_MS = 60 * 60 * 1000;

/** The export's worker stopped without a word: see `RUNNING_LIMIT_MS`. */
export class ExportAbandonedError extends Error {
  constructor() {
    super(`the export stopped without finishing within ${RUNNING_LIMIT_MS / 60_000} minutes; please start it again`);
    this.name = 'ExportAbandonedError';
  }
}

/** The record as it stands: a running export older than `RUNNING_LIMIT_MS` is recorded as failed first. */
export async function settleAbandoned(db: Db, record: ExportRecord, now: Date): Promise<ExportRecord> {
  if (record.status !== 'running') return record;
  if (now.getTime() - Date.parse(record.requestedAt) <= RUNNING_LIMIT_MS) return record;
  await failExport(db, record, new ExportAbandonedError(), now);
  // Read back: if the export finished after all in the meantime, that outcome stands.
  return getExportRecord(db, record.surveyId, record.exportId);
}

/** The export ran out of time (the function's limit in AWS) and was stopped; nothing of it is kept. */
export class ExportTimeoutError extends Error {
  constructor(seconds: number) {
    super(`the export did not finish within ${seconds} s and was stopped; try a narrower export or retry later`);
    this.name = 'ExportTimeoutError';
  }
}

/** Every write first checks the signal, so a stopped export ends at its next row. */
function guardedSink(sink: ExportSink, signal: AbortSignal | undefined): ExportSink {
  if (!signal) return sink;
  return {
    open(name): ExportFile {
      signal.throwIfAborted();
      const file = sink.open(name);
      return {
        async write(chunk) {
          signal.throwIfAborted();
          await file.write(chunk);
        },
        close: () => file.close(),
      };
    },
  };
}

/**
 * Writes the files of a recorded, running export and finishes its record: done (with rows, files
 * and what anonymisation did) or failed (with the error's name and message only, and its files
 * discarded). Never rejects. `signal` stops the export (e.g. shortly before a function's time limit).
 */
export async function writeExport(
  db: Db,
  storage: ExportStorage,
  input: {
    record: ExportRecord;
    request: Omit<ExportRequest, 'format' | 'k' | 'period' | 'freeText' | 'lang'>;
    now: () => Date;
    signal?: AbortSignal;
    onProgress?: (progress: ExportProgress) => void;
  },
): Promise<ExportRecord> {
  const { record, request } = input;
  let sink: DiscardableSink | undefined;
  try {
    sink = storage.sink(record.surveyId, record.exportId);
    const result = await runExport(
      db,
      {
        ...request,
        format: record.format,
        k: record.profile.k,
        period: record.profile.period,
        freeText: record.profile.freeText,
        lang: record.profile.lang,
      },
      guardedSink(sink, input.signal),
      input.onProgress,
    );
    input.signal?.throwIfAborted();
    const outcome = {
      status: 'done' as const,
      finishedAt: input.now().toISOString(),
      rows: result.rows,
      files: result.files,
      suppressedValues: result.disclosure.suppressedValues,
      smallestGroup: result.disclosure.smallestGroup,
      droppedRows: result.disclosure.droppedRows,
      waves: result.waves,
    };
    await finishExportRecord(db, record.surveyId, record.exportId, outcome);
    return { ...record, ...outcome };
  } catch (error) {
    await sink?.discard();
    const reason = input.signal?.aborted ? input.signal.reason : error;
    return failExport(db, record, reason, input.now());
  }
}

/**
 * The export worker: finds the job's record and writes the export if it is still running. A job
 * delivered twice (asynchronous invocations are retried) or for an export already finished does
 * nothing, so an export is written at most once to its end.
 */
export async function runExportJob(
  deps: { db: Db; catalog: Catalog; storage: ExportStorage; now: () => Date },
  job: ExportJob,
  signal?: AbortSignal,
): Promise<ExportRecord> {
  const record = await getExportRecord(deps.db, job.surveyId, job.exportId);
  if (record.status !== 'running') return record;
  try {
    const definition = await deps.catalog.definition(job.surveyId);
    const channels = surveyChannels(definition, await deps.catalog.channels(job.surveyId));
    return await writeExport(deps.db, deps.storage, {
      record,
      request: { definition, channels, now: deps.now() },
      now: deps.now,
      ...(signal ? { signal } : {}),
    });
  } catch (error) {
    return failExport(deps.db, record, error, deps.now());
  }
}
