import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { expiresAtFor, retentionRule } from '../response/retention.js';
import type { SurveyDefinition } from '../survey/schema.js';
import { writtenIf } from './conditional.js';
import { queryPages } from './query.js';
import { RESPONSE_PAGE_ITEMS } from './response-store.js';
import { type Db, keys, RESPONSE_SHARDS } from './table.js';

export interface RetentionReport {
  /** Responses whose `expiresAt` was set or changed. */
  set: number;
  /** Responses that already carried the value of the current rule. */
  unchanged: number;
}

/**
 * Gives every stored response of the survey the `expiresAt` the current definition's rule gives its
 * submission day (`shared/response/retention.ts`): for responses stored before retention existed, and
 * after a new definition version changed `settings.retention` or the waves' declared closes (a
 * shorter period then applies to the responses already stored, too). Only `expiresAt` is written, on
 * responses that still exist; aggregates are not touched. A second run changes nothing.
 */
/**
 * Each stored response of a survey as its key, submission day and expiry only: what the rule needs.
 * The retention function runs this, and it never reads an answer.
 */
async function* datedResponses(db: Db, surveyId: string) {
  for (let shard = 0; shard < RESPONSE_SHARDS; shard++) {
    const pages = queryPages(
      db,
      keys.responsePartition(surveyId, shard),
      undefined,
      RETENTION_FIELDS,
      RESPONSE_PAGE_ITEMS,
    );
    for await (const page of pages) {
      for (const item of page) {
        if (typeof item.submittedOn !== 'string') continue;
        yield {
          key: { pk: item.pk, sk: item.sk },
          submittedOn: item.submittedOn,
          expiresAt: typeof item.expiresAt === 'number' ? item.expiresAt : undefined,
        };
      }
    }
  }
}

/** What bringing a response to a retention rule reads of it (besides its key). */
export const RETENTION_FIELDS = ['submittedOn', 'expiresAt'] as const;

export async function applyRetention(db: Db, definition: SurveyDefinition, parallel = 8): Promise<RetentionReport> {
  const report: RetentionReport = { set: 0, unchanged: 0 };
  let inFlight: Promise<void>[] = [];
  for await (const response of datedResponses(db, definition.id)) {
    const expiresAt = expiresAtFor(definition, response.submittedOn);
    if (response.expiresAt === expiresAt) {
      report.unchanged++;
      continue;
    }
    inFlight.push(
      setExpiresAt(db, response.key, expiresAt).then((done) => {
        if (done) report.set++;
      }),
    );
    if (inFlight.length >= parallel) {
      await Promise.all(inFlight);
      inFlight = [];
    }
  }
  await Promise.all(inFlight);
  return report;
}

export interface RetentionUpToDate {
  /** The rule the survey's responses now carry (`retentionRule`). */
  rule: string;
  /** The rule they carried before, when `applied` is set; undefined when none was recorded. */
  before?: string;
  /** Set when the responses had to be brought to the rule (it changed, or was never recorded). */
  applied?: RetentionReport;
}

/**
 * Brings the stored responses to the definition's retention rule when they do not carry it yet:
 * the rule last applied is recorded on an item of the survey (`keys.retentionApplied`), so this
 * reads the responses only when a new version changed the rule, or once for a database from before
 * the record existed. Run wherever a definition becomes current (`surveys publish`, `npm start`);
 * responses stored afterwards get `expiresAt` by the current definition when they are written. Right
 * after a publish, function instances may still hold the previous definition for `CATALOG_TTL_MS`:
 * `settleMs` waits that long before reading when the rule changed, so their last responses get the
 * new rule too.
 */
export async function ensureRetention(
  db: Db,
  definition: SurveyDefinition,
  options: { settleMs?: number; sleep?: (ms: number) => Promise<void> } = {},
): Promise<RetentionUpToDate> {
  const rule = retentionRule(definition);
  const recorded = await db.doc.send(
    new GetCommand({ TableName: db.tableName, Key: keys.retentionApplied(definition.id), ConsistentRead: true }),
  );
  const before = typeof recorded.Item?.rule === 'string' ? recorded.Item.rule : undefined;
  if (before === rule) return { rule };
  // Instances that still hold the previous definition may store a few responses by its rule.
  if (before !== undefined && options.settleMs)
    await (options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))))(options.settleMs);
  const applied = await applyRetention(db, definition);
  await recordRetention(db, definition.id, rule);
  return { rule, applied, ...(before === undefined ? {} : { before }) };
}

/** Records that every stored response of the survey carries `rule` (after `applyRetention`). */
export async function recordRetention(db: Db, surveyId: string, rule: string): Promise<void> {
  await db.doc.send(new PutCommand({ TableName: db.tableName, Item: { ...keys.retentionApplied(surveyId), rule } }));
}

/**
 * Sets `expiresAt` on an item that still exists (never recreating one deleted meanwhile, by early
 * deletion or TTL, as a stub); with `onlyIfUnset` only where it has none. False when it did not.
 */
export async function setExpiresAt(
  db: Db,
  key: Record<string, unknown>,
  expiresAt: number,
  onlyIfUnset = false,
): Promise<boolean> {
  return writtenIf(
    db.doc.send(
      new UpdateCommand({
        TableName: db.tableName,
        Key: key,
        UpdateExpression: 'SET expiresAt = :e',
        ConditionExpression: onlyIfUnset
          ? 'attribute_exists(pk) AND attribute_not_exists(expiresAt)'
          : 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':e': expiresAt },
      }),
    ),
  );
}
