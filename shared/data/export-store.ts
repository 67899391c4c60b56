import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { ExportNotFoundError, StoredItemInvalidError } from '../errors.js';
import { WaveRelease } from '../export/release.js';
import { queryAll } from './query.js';
import { type Db, keys } from './table.js';

/**
 * The record of one export: who asked for what, when, and what came of it. Kept for
 * accountability (admins list them); it holds no exported data, only counts and file names.
 */
export const ExportRecord = z.object({
  exportId: z.string(),
  surveyId: z.string(),
  /** The evaluator's `sub` claim. */
  requestedBy: z.string(),
  requestedAt: z.string(),
  status: z.enum(['running', 'done', 'failed']),
  format: z.enum(['csv', 'csv-excel', 'jsonl']),
  profile: z.object({
    k: z.number().int(),
    period: z.enum(['week', 'wave']),
    freeText: z.enum(['exclude', 'scrub']),
    lang: z.enum(['de', 'en']),
  }),
  finishedAt: z.string().optional(),
  rows: z.number().int().optional(),
  files: z.array(z.string()).optional(),
  suppressedValues: z.number().int().optional(),
  smallestGroup: z.number().int().nullable().optional(),
  /** Rows left out because their pool of suppressed rows was smaller than k. */
  droppedRows: z.number().int().optional(),
  /** What the export released of each wave, and what it left out and why (see shared/export/release.ts). */
  waves: z.array(WaveRelease).optional(),
  /** Why it failed (an error name and message, never data). */
  error: z.string().optional(),
});
export type ExportRecord = z.infer<typeof ExportRecord>;

function parse(item: Record<string, unknown>): ExportRecord {
  const parsed = ExportRecord.safeParse(item);
  if (!parsed.success) throw new StoredItemInvalidError(`export ${String(item.sk)}`, { cause: parsed.error });
  return parsed.data;
}

export async function putExportRecord(db: Db, record: ExportRecord): Promise<void> {
  await db.doc.send(
    new PutCommand({
      TableName: db.tableName,
      Item: { ...keys.exportRecord(record.surveyId, record.exportId), ...record },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
}

/**
 * Marks a running export done (with its counts) or failed (with the reason). Only a running
 * record changes: an export finished once (e.g. stopped for time) stays as it was finished.
 */
export async function finishExportRecord(
  db: Db,
  surveyId: string,
  exportId: string,
  outcome: Pick<
    ExportRecord,
    | 'status'
    | 'finishedAt'
    | 'rows'
    | 'files'
    | 'suppressedValues'
    | 'smallestGroup'
    | 'droppedRows'
    | 'waves'
    | 'error'
  >,
): Promise<void> {
  const entries = Object.entries(outcome).filter(([, v]) => v !== undefined);
  await db.doc.send(
    new UpdateCommand({
      TableName: db.tableName,
      Key: keys.exportRecord(surveyId, exportId),
      UpdateExpression: `SET ${entries.map((_, i) => `#f${i} = :v${i}`).join(', ')}`,
      ConditionExpression: '#running = :running',
      ExpressionAttributeNames: {
        ...Object.fromEntries(entries.map(([name], i) => [`#f${i}`, name])),
        '#running': 'status',
      },
      ExpressionAttributeValues: {
        ...Object.fromEntries(entries.map(([, value], i) => [`:v${i}`, value])),
        ':running': 'running',
      },
    }),
  );
}

export async function getExportRecord(db: Db, surveyId: string, exportId: string): Promise<ExportRecord> {
  const out = await db.doc.send(
    new GetCommand({ TableName: db.tableName, Key: keys.exportRecord(surveyId, exportId), ConsistentRead: true }),
  );
  if (!out.Item) throw new ExportNotFoundError(surveyId, exportId);
  return parse(out.Item);
}

/** Every export of a survey, newest first. */
export async function listExportRecords(db: Db, surveyId: string): Promise<ExportRecord[]> {
  const items = await queryAll(db, keys.survey(surveyId).pk, 'EXPORT#');
  return items.map(parse).sort((a, b) => b.requestedAt.localeCompare(a.requestedAt));
}
