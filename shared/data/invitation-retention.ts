import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { listBatches } from './invitation-store.js';
import { setExpiresAt } from './response-retention.js';
import type { Db } from './table.js';

/**
 * Gives the invitation tokens of a survey that were issued before retention existed their
 * `expiresAt`: `expiresAtOf` of the token's last usable day, or of its batch's creation day when it
 * has none (as `issueInvitations` does for new tokens). Returns how many tokens it set.
 *
 * Tokens are keyed by their hash alone, so nothing but a table scan finds a survey's tokens: this is
 * for the operator's CLI (`retention apply --invitations`), once after upgrading, and reads the whole
 * table. No function may scan (infra/access.ts). Tokens that already have `expiresAt` are left alone.
 */
export async function backfillInvitationExpiry(
  db: Db,
  surveyId: string,
  expiresAtOf: (day: string) => number,
): Promise<number> {
  const createdOn = new Map((await listBatches(db, surveyId, new Date(0))).map((b) => [b.batchId, b.createdOn]));
  let set = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.doc.send(
      new ScanCommand({
        TableName: db.tableName,
        ExclusiveStartKey: start,
        FilterExpression: 'begins_with(pk, :inv) AND surveyId = :survey AND attribute_not_exists(expiresAt)',
        ProjectionExpression: 'pk, sk, batchId, expiresOn',
        ExpressionAttributeValues: { ':inv': 'INV#', ':survey': surveyId },
      }),
    );
    for (const item of page.Items ?? []) {
      const day = typeof item.expiresOn === 'string' ? item.expiresOn : createdOn.get(String(item.batchId));
      // A token whose batch item is missing was never handed out (its creation did not finish).
      if (day === undefined) continue;
      if (await setExpiresAt(db, { pk: item.pk, sk: item.sk }, expiresAtOf(day), true)) set++;
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return set;
}
