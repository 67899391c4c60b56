import { randomUUID } from 'node:crypto';
import { type ExportRecord, finishExportRecord, putExportRecord } from '../data/export-store.js';
import type { Db } from '../data/table.js';
import type { Channel, SurveyDefinition } from '../survey/schema.js';
import { type ExportRequest, type ExportSink, runExport } from './run.js';

/** Where export files live: a local folder, or (in AWS) an S3 bucket. */
export interface ExportStorage {
  sink(surveyId: string, exportId: string): ExportSink;
  /** A file of an export as a stream, or undefined when there is none by that name. */
  read(surveyId: string, exportId: string, name: string): Promise<ReadableStream<Uint8Array> | undefined>;
}

export type ExportSettings = Pick<ExportRecord, 'format' | 'profile'>;

export interface StartedExport {
  record: ExportRecord;
  /** Settles when the export is written and its record says so (never rejects: a failure is recorded). */
  finished: Promise<ExportRecord>;
}

/**
 * Records an export as running and writes it in the background; the record then says done (with
 * rows, files and what anonymisation did) or failed (with the error's name and message only).
 */
export async function startExport(
  db: Db,
  storage: ExportStorage,
  input: {
    definition: SurveyDefinition;
    channels: readonly Pick<Channel, 'code' | 'kind'>[];
    settings: ExportSettings;
    requestedBy: string;
    now: () => Date;
  },
): Promise<StartedExport> {
  const { definition, settings } = input;
  const record: ExportRecord = {
    exportId: randomUUID(),
    surveyId: definition.id,
    requestedBy: input.requestedBy,
    requestedAt: input.now().toISOString(),
    status: 'running',
    ...settings,
  };
  await putExportRecord(db, record);
  const request: ExportRequest = {
    definition,
    channels: input.channels,
    format: settings.format,
    k: settings.profile.k,
    period: settings.profile.period,
    freeText: settings.profile.freeText,
    lang: settings.profile.lang,
    now: input.now(),
  };
  const finished = (async (): Promise<ExportRecord> => {
    try {
      const result = await runExport(db, request, storage.sink(definition.id, record.exportId));
      const outcome = {
        status: 'done' as const,
        finishedAt: input.now().toISOString(),
        rows: result.rows,
        files: result.files,
        suppressedValues: result.disclosure.suppressedValues,
        smallestGroup: result.disclosure.smallestGroup,
      };
      await finishExportRecord(db, definition.id, record.exportId, outcome);
      return { ...record, ...outcome };
    } catch (error) {
      const outcome = {
        status: 'failed' as const,
        finishedAt: input.now().toISOString(),
        error: error instanceof Error ? `${error.name}: ${error.message}` : 'unknown error',
      };
      await finishExportRecord(db, definition.id, record.exportId, outcome).catch(() => {});
      return { ...record, ...outcome };
    }
  })();
  return { record, finished };
}
