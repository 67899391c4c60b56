import { BatchWriteCommand, GetCommand, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import '../zod-locale.js';
import {
  InvitationAudienceMismatchError,
  InvitationExpiredError,
  InvitationNotFoundError,
  InvitationRevokedError,
  InvitationTokenMalformedError,
  InvitationUsedError,
  StorageBusyError,
  StoredItemInvalidError,
} from '../errors.js';
import { newToken, parseToken, type RandomBytes, tokenHash } from '../invitations/token.js';
import type { Audience } from '../survey/schema.js';
import { queryAll } from './query.js';
import type { GuardedItems, TransactItem } from './response-store.js';
import { type Db, keys } from './table.js';

/*
 * Personal single-use invitations.
 *
 * Unlinkability: nobody with access to the stored data can tell which response an invitation was used
 * for, because the used-marker and the response share nothing that could pair them:
 * - Keys: an invitation is keyed by the SHA-256 of its token (`INV#{hash}`), a response by a hash of
 *   the client's random submissionId. The response carries no token, hash, batch id or invitation
 *   marker; the invitation carries no response id. The response id is never derived from the token.
 * - Time: the token item gets `used: true` and nothing else, no timestamp of any precision. The batch
 *   item keeps `used` as a bare counter; `createdOn`/`expiresOn` are days set when the batch is made,
 *   not when a token is used. The response keeps only its submission day.
 * - Order: DynamoDB orders items by key, and both keys are hashes of random values, so neither the
 *   order of invitation items nor the order of responses follows the order of submissions.
 * - No invitation marker on the response (`channel` stays whatever the link's channel resolves to):
 *   business and multiplier answers mostly come from invitations, so a marker would add little for
 *   analysis, while for a small audience it would narrow "which responses can belong to a used
 *   token" from all responses of that audience to the few invited ones. Invitation response rates
 *   come from the batch counters instead (`batchStats`).
 * What this does not hide: whoever holds a plain token (the mail-merge CSV) can look up its item and
 *   see whether it was used, i.e. whether that recipient took part, never what they answered (the
 *   CSV should be deleted after mailing). And someone watching writes as they happen (a DynamoDB
 *   stream, CloudTrail data events, a series of point-in-time restores seconds apart) sees the token
 *   update and the response put land together: the table has no stream, and restores and data-event
 *   logging belong to a break-glass role, not to readers of the data.
 */

/** Largest batch `createBatch` makes in one go (a mail merge of a chamber's whole membership fits). */
export const MAX_BATCH_SIZE = 10_000;
/** DynamoDB's BatchWriteItem limit. */
const WRITE_CHUNK = 25;
const WRITE_ATTEMPTS = 8;

export const InvitedAudience = z.enum(['business', 'multiplier']);
export type InvitedAudience = z.infer<typeof InvitedAudience>;

const Day = z.iso.date();

/** The stored form of one invitation: keyed by the token's hash, which is the only trace of the token. */
const InvitationItem = z.object({
  surveyId: z.string(),
  batchId: z.string(),
  audience: InvitedAudience,
  state: z.enum(['issued', 'revoked']),
  expiresOn: z.optional(Day),
  /** Present (and only ever `true`) once a response was stored with this invitation. Never a time. */
  used: z.optional(z.literal(true)),
  /** DynamoDB TTL (epoch seconds), the same for every token of a batch; absent on tokens issued before retention. */
  expiresAt: z.optional(z.number()),
});

const BatchItem = z.object({
  surveyId: z.string(),
  batchId: z.string(),
  audience: InvitedAudience,
  issued: z.number().check(z.int(), z.nonnegative()),
  /** Counter only: how many tokens of the batch were used, never which or when. */
  used: z.number().check(z.int(), z.nonnegative()),
  /** Tokens revoked one by one while unused. */
  revokedTokens: z.number().check(z.int(), z.nonnegative()),
  /** The whole batch was revoked: every token unused at that moment stays unusable. */
  revokedAll: z.boolean(),
  createdOn: Day,
  expiresOn: z.optional(Day),
});

/** What a valid (or once valid) token resolves to. */
export interface Invitation {
  hash: string;
  surveyId: string;
  batchId: string;
  audience: InvitedAudience;
  expiresOn?: string;
}

export type TokenClassification =
  | { status: 'malformed' | 'unknown' | 'other-survey' }
  | { status: 'valid' | 'used' | 'revoked' | 'expired'; invitation: Invitation };

export type TokenStatus = TokenClassification['status'];

export interface BatchStats {
  batchId: string;
  audience: InvitedAudience;
  createdOn: string;
  expiresOn?: string;
  issued: number;
  used: number;
  revoked: number;
  /** Unused, unrevoked tokens whose expiry day has passed. */
  expired: number;
  /** Tokens that can still be used. */
  open: number;
}

export interface CreateBatchInput {
  surveyId: string;
  audience: InvitedAudience;
  count: number;
  /** Last day (UTC, YYYY-MM-DD) on which the tokens can be used; none = no expiry. */
  expiresOn?: string;
  /**
   * When DynamoDB's TTL may delete the token items (epoch seconds, see `shared/response/retention.ts`):
   * the plain token's only stored trace then goes. The batch item (counters only) stays.
   */
  expiresAt: number;
  now: Date;
  /** `node:crypto` `randomBytes` at call sites. */
  randomBytes: RandomBytes;
}

const dayOf = (now: Date) => now.toISOString().slice(0, 10);

function parseItem<T>(schema: z.ZodMiniType<T>, item: Record<string, unknown>, what: string): T {
  const { pk: _pk, sk: _sk, ...rest } = item;
  const parsed = schema.safeParse(rest);
  if (!parsed.success) throw new StoredItemInvalidError(what, { cause: parsed.error });
  return parsed.data;
}

/**
 * Issues `count` new tokens as one batch and returns them in plain form: the only time they exist
 * in plain form. Tokens are written first and the batch item last; a token is usable only while its
 * batch item exists, so a creation that fails halfway leaves nothing usable behind.
 */
export async function createBatch(db: Db, input: CreateBatchInput): Promise<{ batchId: string; tokens: string[] }> {
  if (!Number.isInteger(input.count) || input.count < 1 || input.count > MAX_BATCH_SIZE) {
    throw new RangeError(`an invitation batch has 1 to ${MAX_BATCH_SIZE} tokens, not ${input.count}`);
  }
  const audience = InvitedAudience.parse(input.audience);
  const expiresOn = input.expiresOn === undefined ? undefined : Day.parse(input.expiresOn);
  const batchId = Buffer.from(input.randomBytes(9)).toString('base64url');
  const tokens = Array.from({ length: input.count }, () => newToken(input.randomBytes));
  const items = tokens.map((token) => ({
    ...keys.invitation(tokenHash(token)),
    surveyId: input.surveyId,
    batchId,
    audience,
    state: 'issued',
    expiresOn,
    expiresAt: input.expiresAt,
  }));
  for (let i = 0; i < items.length; i += WRITE_CHUNK) {
    await writeChunk(
      db,
      items.slice(i, i + WRITE_CHUNK).map((Item) => ({ PutRequest: { Item } })),
    );
  }
  const batch: z.infer<typeof BatchItem> = {
    surveyId: input.surveyId,
    batchId,
    audience,
    issued: input.count,
    used: 0,
    revokedTokens: 0,
    revokedAll: false,
    createdOn: dayOf(input.now),
    ...(expiresOn ? { expiresOn } : {}),
  };
  await db.doc.send(
    new PutCommand({
      TableName: db.tableName,
      Item: { ...keys.invitationBatch(input.surveyId, batchId), ...batch },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
  return { batchId, tokens };
}

type WriteRequest = { PutRequest: { Item: Record<string, unknown> } };

/** One BatchWriteItem of at most 25 puts, resending whatever DynamoDB leaves unprocessed. */
async function writeChunk(db: Db, requests: WriteRequest[]): Promise<void> {
  let pending = requests;
  for (let attempt = 1; pending.length > 0; attempt++) {
    if (attempt > WRITE_ATTEMPTS) throw new StorageBusyError(2);
    if (attempt > 1) await new Promise((resolve) => setTimeout(resolve, 25 * 2 ** attempt));
    const out = await db.doc.send(new BatchWriteCommand({ RequestItems: { [db.tableName]: pending } }));
    pending = (out.UnprocessedItems?.[db.tableName] ?? []) as WriteRequest[];
  }
}

async function readInvitation(db: Db, hash: string) {
  const out = await db.doc.send(
    new GetCommand({ TableName: db.tableName, Key: keys.invitation(hash), ConsistentRead: true }),
  );
  return out.Item ? parseItem(InvitationItem, out.Item, 'invitation') : undefined;
}

async function readBatch(db: Db, surveyId: string, batchId: string) {
  const out = await db.doc.send(
    new GetCommand({ TableName: db.tableName, Key: keys.invitationBatch(surveyId, batchId), ConsistentRead: true }),
  );
  return out.Item ? parseItem(BatchItem, out.Item, `invitation batch ${batchId}`) : undefined;
}

/**
 * What a token is, so a route can answer each case in its own words. Only for messages: whether a
 * token is consumed is decided by the condition in the response transaction (`invitationConsumeItems`).
 */
export async function classifyToken(db: Db, surveyId: string, raw: string, now: Date): Promise<TokenClassification> {
  let token: string;
  try {
    token = parseToken(raw);
  } catch (error) {
    if (error instanceof InvitationTokenMalformedError) return { status: 'malformed' };
    throw error;
  }
  const hash = tokenHash(token);
  const item = await readInvitation(db, hash);
  if (!item) return { status: 'unknown' };
  if (item.surveyId !== surveyId) return { status: 'other-survey' };
  const batch = await readBatch(db, surveyId, item.batchId);
  // Tokens of a batch whose creation did not finish were never handed out.
  if (!batch) return { status: 'unknown' };
  const invitation: Invitation = {
    hash,
    surveyId,
    batchId: item.batchId,
    audience: item.audience,
    ...(item.expiresOn ? { expiresOn: item.expiresOn } : {}),
  };
  if (item.used) return { status: 'used', invitation };
  if (item.state === 'revoked' || batch.revokedAll) return { status: 'revoked', invitation };
  if (item.expiresOn !== undefined && item.expiresOn < dayOf(now)) return { status: 'expired', invitation };
  return { status: 'valid', invitation };
}

/** The domain error for a token that cannot be used; `undefined` for a valid one. */
export function invitationErrorFor(surveyId: string, classified: TokenClassification): Error | undefined {
  switch (classified.status) {
    case 'valid':
      return undefined;
    case 'malformed':
      return new InvitationTokenMalformedError();
    case 'unknown':
      return new InvitationNotFoundError(surveyId);
    case 'other-survey':
      return new InvitationNotFoundError(surveyId, true);
    case 'used':
      return new InvitationUsedError();
    case 'revoked':
      return new InvitationRevokedError();
    case 'expired':
      return new InvitationExpiredError(classified.invitation.expiresOn ?? '');
  }
}

/**
 * The items that consume an invitation inside the response transaction (`saveResponse`'s guarded
 * items): the token must be issued, unused, unexpired and of this survey and audience, and is marked
 * `used: true`; its batch must exist and not be revoked, and counts one more use. Nothing else is
 * written: no time, no response id (see the unlinkability note above).
 *
 * Unknown, malformed and foreign tokens fail here. A token that is already used, revoked or expired
 * still yields the items: if this is the retry of a submission that used it, the response put finds
 * the stored response and the client gets the replay; otherwise the transaction's condition fails
 * and `onConditionFailed` names the reason.
 */
export async function invitationConsumeItems(
  db: Db,
  surveyId: string,
  token: string,
  now: Date,
  audience?: Audience,
): Promise<GuardedItems> {
  const classified = await classifyToken(db, surveyId, token, now);
  if (!('invitation' in classified)) throw invitationErrorFor(surveyId, classified);
  const { invitation } = classified;
  if (audience !== undefined && audience !== invitation.audience) {
    throw new InvitationAudienceMismatchError(invitation.audience, audience);
  }
  const items: TransactItem[] = [
    {
      Update: {
        TableName: db.tableName,
        Key: keys.invitation(invitation.hash),
        UpdateExpression: 'SET #used = :true',
        ConditionExpression:
          '#surveyId = :s AND #audience = :a AND #state = :issued AND attribute_not_exists(#used) AND ' +
          '(attribute_not_exists(#expiresOn) OR #expiresOn >= :today)',
        ExpressionAttributeNames: {
          '#used': 'used',
          '#surveyId': 'surveyId',
          '#audience': 'audience',
          '#state': 'state',
          '#expiresOn': 'expiresOn',
        },
        ExpressionAttributeValues: {
          ':true': true,
          ':s': surveyId,
          ':a': invitation.audience,
          ':issued': 'issued',
          ':today': dayOf(now),
        },
      },
    },
    {
      Update: {
        TableName: db.tableName,
        Key: keys.invitationBatch(surveyId, invitation.batchId),
        UpdateExpression: 'ADD #used :one',
        ConditionExpression: 'attribute_exists(pk) AND #revokedAll = :false',
        ExpressionAttributeNames: { '#used': 'used', '#revokedAll': 'revokedAll' },
        ExpressionAttributeValues: { ':one': 1, ':false': false },
      },
    },
  ];
  return {
    items,
    onConditionFailed: async () =>
      invitationErrorFor(surveyId, await classifyToken(db, surveyId, token, now)) ?? new InvitationUsedError(),
  };
}

export type RevokeTarget = { batchId: string } | { tokenHash: string };

/**
 * Revokes a whole batch or one token. Returns whether anything changed: a token that is already
 * revoked or used stays as it is (a used token cannot be used again anyway).
 */
export async function revoke(db: Db, surveyId: string, target: RevokeTarget): Promise<boolean> {
  if ('batchId' in target) {
    try {
      const out = await db.doc.send(
        new UpdateCommand({
          TableName: db.tableName,
          Key: keys.invitationBatch(surveyId, target.batchId),
          UpdateExpression: 'SET revokedAll = :true',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':true': true },
          ReturnValues: 'UPDATED_OLD',
        }),
      );
      return out.Attributes?.revokedAll !== true;
    } catch (error) {
      if (error instanceof Error && error.name === 'ConditionalCheckFailedException') {
        throw new InvitationNotFoundError(surveyId, false, { cause: error });
      }
      throw error;
    }
  }
  const item = await readInvitation(db, target.tokenHash);
  if (!item) throw new InvitationNotFoundError(surveyId);
  if (item.surveyId !== surveyId) throw new InvitationNotFoundError(surveyId, true);
  try {
    await db.doc.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: db.tableName,
              Key: keys.invitation(target.tokenHash),
              UpdateExpression: 'SET #state = :revoked',
              ConditionExpression: '#state = :issued AND attribute_not_exists(#used)',
              ExpressionAttributeNames: { '#state': 'state', '#used': 'used' },
              ExpressionAttributeValues: { ':revoked': 'revoked', ':issued': 'issued' },
            },
          },
          {
            Update: {
              TableName: db.tableName,
              Key: keys.invitationBatch(surveyId, item.batchId),
              UpdateExpression: 'ADD revokedTokens :one',
              ConditionExpression: 'attribute_exists(pk)',
              ExpressionAttributeValues: { ':one': 1 },
            },
          },
        ],
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof Error && error.name === 'TransactionCanceledException') {
      const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
      if (reasons[0]?.Code === 'ConditionalCheckFailed') return false;
      if (reasons[1]?.Code === 'ConditionalCheckFailed') throw new InvitationNotFoundError(surveyId, false);
    }
    throw error;
  }
}

/**
 * Response rate of a batch from its counters alone, so it never says which token was used. Tokens
 * of a batch share one expiry day, which makes "expired" computable from counters too.
 */
function statsOf(batch: z.infer<typeof BatchItem>, now: Date): BatchStats {
  const unused = batch.issued - batch.used;
  const revoked = batch.revokedAll ? unused : batch.revokedTokens;
  const pastExpiry = batch.expiresOn !== undefined && batch.expiresOn < dayOf(now);
  const expired = pastExpiry ? unused - revoked : 0;
  return {
    batchId: batch.batchId,
    audience: batch.audience,
    createdOn: batch.createdOn,
    ...(batch.expiresOn ? { expiresOn: batch.expiresOn } : {}),
    issued: batch.issued,
    used: batch.used,
    revoked,
    expired,
    open: unused - revoked - expired,
  };
}

export async function batchStats(db: Db, surveyId: string, batchId: string, now: Date): Promise<BatchStats> {
  const batch = await readBatch(db, surveyId, batchId);
  if (!batch) throw new InvitationNotFoundError(surveyId);
  return statsOf(batch, now);
}

/** Where batches were kept before they got a partition of their own: `SURVEY#{surveyId}`, `INVBATCH#{batchId}`. */
const LEGACY_BATCH_PREFIX = 'INVBATCH#';

/**
 * Moves a survey's invitation batches from where versions before December 2026 kept them (in the
 * survey's partition) to their own partition, each in one transaction, so their links keep working
 * and their counts stay. Returns how many it moved; with nothing left to move, it does nothing.
 * `npm start` runs it on the local database, `surveys publish` on any table (local/publish.ts).
 */
export async function moveLegacyBatches(db: Db, surveyId: string): Promise<number> {
  const legacy = await queryAll(db, keys.survey(surveyId).pk, LEGACY_BATCH_PREFIX);
  for (const item of legacy) {
    const batchId = String(item.sk).slice(LEGACY_BATCH_PREFIX.length);
    await db.doc.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: db.tableName,
              Item: { ...item, ...keys.invitationBatch(surveyId, batchId) },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          { Delete: { TableName: db.tableName, Key: { pk: item.pk, sk: item.sk } } },
        ],
      }),
    );
  }
  return legacy.length;
}

/** Every batch of a survey with its response rate (fieldwork report, `invitations list`). */
export async function listBatches(db: Db, surveyId: string, now: Date): Promise<BatchStats[]> {
  const items = await queryAll(db, keys.invitationBatchPartition(surveyId));
  return items.map((item) => statsOf(parseItem(BatchItem, item, 'invitation batch'), now));
}

/**
 * The survey and audience of a token, looked up by its hash alone: a personal link (`/i/{token}`)
 * carries nothing but the token. `undefined` for a malformed or unknown token.
 */
export async function findInvitation(
  db: Db,
  raw: string,
): Promise<{ surveyId: string; audience: InvitedAudience } | undefined> {
  let token: string;
  try {
    token = parseToken(raw);
  } catch (error) {
    if (error instanceof InvitationTokenMalformedError) return undefined;
    throw error;
  }
  const item = await readInvitation(db, tokenHash(token));
  return item ? { surveyId: item.surveyId, audience: item.audience } : undefined;
}

/** `classifyToken` for a link that names no survey: the token's own survey is the one it is checked for. */
export async function classifyLink(db: Db, raw: string, now: Date): Promise<TokenClassification> {
  const found = await findInvitation(db, raw);
  // Without a stored item, classifyToken only tells malformed from unknown; the survey id is not read.
  return classifyToken(db, found?.surveyId ?? '', raw, now);
}
