import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { expiresAtFor } from '../response/retention.js';
import type { SurveyDefinition } from '../survey/schema.js';
import { responseKey, scanResponses } from './response-store.js';
import type { Db } from './table.js';

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
export async function applyRetention(db: Db, definition: SurveyDefinition, parallel = 8): Promise<RetentionReport> {
  const report: RetentionReport = { set: 0, unchanged: 0 };
  let inFlight: Promise<void>[] = [];
  for await (const response of scanResponses(db, definition.id)) {
    const expiresAt = expiresAtFor(definition, response.submittedOn);
    if (response.expiresAt === expiresAt) {
      report.unchanged++;
      continue;
    }
    inFlight.push(
      setExpiresAt(db, responseKey(response), expiresAt).then((done) => {
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
  try {
    await db.doc.send(
      new UpdateCommand({
        TableName: db.tableName,
        Key: key,
        UpdateExpression: 'SET expiresAt = :e',
        ConditionExpression: onlyIfUnset
          ? 'attribute_exists(pk) AND attribute_not_exists(expiresAt)'
          : 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':e': expiresAt },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
}
