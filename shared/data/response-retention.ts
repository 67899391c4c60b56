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

async function setExpiresAt(db: Db, key: { pk: string; sk: string }, expiresAt: number): Promise<boolean> {
  try {
    await db.doc.send(
      new UpdateCommand({
        TableName: db.tableName,
        Key: key,
        UpdateExpression: 'SET expiresAt = :e',
        // Never recreate a response deleted meanwhile (early deletion or TTL) as a stub.
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':e': expiresAt },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
}
