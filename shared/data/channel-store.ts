import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import '../zod-locale.js';
import { type ChannelState, RegisteredChannel } from '../channels/schema.js';
import { ChannelExistsError, ChannelNotFoundError, StoredItemInvalidError } from '../errors.js';
import type { Channel } from '../survey/schema.js';
import { queryAll } from './query.js';
import { type Db, keys } from './table.js';

/** Items carry their keys beside the fields; reading strips them (and anything added later). */
const ChannelItem = z.object(RegisteredChannel.shape);

function parseItem(surveyId: string, item: Record<string, unknown>): RegisteredChannel {
  const parsed = ChannelItem.safeParse(item);
  if (!parsed.success) {
    throw new StoredItemInvalidError(`channel ${surveyId}/${String(item.sk)}`, { cause: parsed.error });
  }
  return parsed.data;
}

const dayOf = (now: Date) => now.toISOString().slice(0, 10);

/** Registers a channel; its code is unique per survey, so a second one fails with `ChannelExistsError`. */
export async function createChannel(
  db: Db,
  surveyId: string,
  channel: Channel,
  now: Date,
  state: ChannelState = 'active',
): Promise<RegisteredChannel> {
  const day = dayOf(now);
  const record: RegisteredChannel = {
    ...channel,
    state,
    createdOn: day,
    ...(state === 'disabled' ? { disabledOn: day } : {}),
  };
  try {
    await db.doc.send(
      new PutCommand({
        TableName: db.tableName,
        Item: { ...keys.channel(surveyId, channel.code), ...record },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) {
      throw new ChannelExistsError(surveyId, channel.code, { cause: error });
    }
    throw error;
  }
  return record;
}

export async function getChannel(db: Db, surveyId: string, code: string): Promise<RegisteredChannel> {
  const result = await db.doc.send(
    new GetCommand({ TableName: db.tableName, Key: keys.channel(surveyId, code), ConsistentRead: true }),
  );
  if (!result.Item) throw new ChannelNotFoundError(surveyId, code);
  return parseItem(surveyId, result.Item);
}

/** Every registered channel of the survey, ordered by code. */
export async function listChannels(db: Db, surveyId: string): Promise<RegisteredChannel[]> {
  const { pk, sk } = keys.channel(surveyId, '');
  const items = await queryAll(db, pk, sk);
  return items.map((item) => parseItem(surveyId, item));
}

/**
 * Disables a registered channel: responses through it count as "unknown" from now on. Disabling
 * twice keeps the first day.
 */
export async function disableChannel(db: Db, surveyId: string, code: string, now: Date): Promise<RegisteredChannel> {
  try {
    const result = await db.doc.send(
      new UpdateCommand({
        TableName: db.tableName,
        Key: keys.channel(surveyId, code),
        ConditionExpression: 'attribute_exists(pk)',
        UpdateExpression: 'SET #state = :disabled, disabledOn = if_not_exists(disabledOn, :day)',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':disabled': 'disabled', ':day': dayOf(now) },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return parseItem(surveyId, result.Attributes ?? {});
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) {
      throw new ChannelNotFoundError(surveyId, code, { cause: error });
    }
    throw error;
  }
}
