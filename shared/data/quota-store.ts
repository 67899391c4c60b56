import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { QuotaNotFoundError, StoredItemInvalidError } from '../errors.js';
import { Quota, type QuotaGroup, type QuotaSettings, quotaIdOf } from '../quotas/schema.js';
import { queryAll } from './query.js';
import { type Db, keys } from './table.js';

function parseItem(surveyId: string, item: Record<string, unknown>): Quota {
  const { pk: _pk, sk: _sk, ...fields } = item;
  const parsed = Quota.safeParse(fields);
  if (!parsed.success)
    throw new StoredItemInvalidError(`quota ${surveyId}/${String(item.sk)}`, { cause: parsed.error });
  return parsed.data;
}

/** Sets (or replaces) the quota of a group; the caller has checked the group against the survey. */
export async function putQuota(
  db: Db,
  surveyId: string,
  group: QuotaGroup,
  settings: QuotaSettings,
  now: Date,
): Promise<Quota> {
  const quota = Quota.parse({ ...group, ...settings, setOn: now.toISOString().slice(0, 10) });
  await db.doc.send(
    new PutCommand({ TableName: db.tableName, Item: { ...keys.quota(surveyId, quotaIdOf(group)), ...quota } }),
  );
  return quota;
}

/** Removes a group's quota; `QuotaNotFoundError` when there is none. */
export async function deleteQuota(db: Db, surveyId: string, group: QuotaGroup): Promise<void> {
  const id = quotaIdOf(group);
  try {
    await db.doc.send(
      new DeleteCommand({
        TableName: db.tableName,
        Key: keys.quota(surveyId, id),
        ConditionExpression: 'attribute_exists(pk)',
      }),
    );
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) throw new QuotaNotFoundError(surveyId, id, { cause: error });
    throw error;
  }
}

/** Every quota of the survey, ordered by id (wave, audience, city). */
export async function listQuotas(db: Db, surveyId: string): Promise<Quota[]> {
  const { pk, sk } = keys.quota(surveyId, '');
  const items = await queryAll(db, pk, sk);
  return items.map((item) => parseItem(surveyId, item));
}
