import { createHash } from 'node:crypto';
import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import '../zod-locale.js';
import {
  AggregateShardsChangedError,
  DefinitionVersionConflictError,
  StoredItemInvalidError,
  SurveyChangedMeanwhileError,
  SurveyNotFoundError,
} from '../errors.js';
import { SurveyDefinition, type Wave } from '../survey/schema.js';
import { endOfCloses } from '../survey/wave-window.js';
import { type Db, keys } from './table.js';

export const SurveyPointer = z.object({ surveyId: z.string(), campaignId: z.string(), currentVersion: z.string() });
export type SurveyPointer = z.infer<typeof SurveyPointer>;

export const WaveState = z.object({
  waveId: z.string(),
  state: z.enum(['scheduled', 'open', 'closed']),
  opensAt: z.optional(z.string()),
  closesAt: z.optional(z.string()),
  /** When an admin last changed the state (tells how long ago a wave stopped collecting). */
  changedAt: z.optional(z.string()),
});
export type WaveState = z.infer<typeof WaveState>;

/** Content digest of a definition: tells a re-publish of the same file from a changed one. */
export function definitionDigest(definition: SurveyDefinition): string {
  return createHash('sha256').update(JSON.stringify(definition)).digest('base64url');
}

export type PublishOutcome =
  /** Stored under a new version, or made current again with `makeCurrent`: respondents get it now. */
  | 'published'
  /** This version is already the current one, with this content: nothing written. */
  | 'unchanged'
  /** This version was published before but another one is current: left as it is (see `makeCurrent`). */
  | 'not-current';

/**
 * Publishes a definition: stores it under its version and points the survey at it. Responses record
 * the version they were given under, so a version, once published, never changes meaning:
 * different content under a published version fails with `DefinitionVersionConflictError` (bump
 * `version`). Publishing the current version again changes nothing. Publishing an older version
 * again, say from a stale checkout, does not move the survey back to it unless `makeCurrent` says
 * so (a deliberate rollback). The survey's pointer is only moved from the version read here: a
 * publish racing another fails with `SurveyChangedMeanwhileError` instead of overwriting it.
 */
export async function publishDefinition(
  db: Db,
  definition: SurveyDefinition,
  options: {
    makeCurrent?: boolean;
    /**
     * What the caller checked the publisher's rights against: the survey's campaign and version
     * then, or null for a survey that did not exist. The pointer moves only if that still holds, so
     * a survey moved to another campaign meanwhile is not taken back by a publish checked before.
     */
    expected?: { campaignId: string; version: string } | null;
  } = {},
): Promise<PublishOutcome> {
  const digest = definitionDigest(definition);
  const stored = await db.doc.send(
    new GetCommand({
      TableName: db.tableName,
      Key: keys.definition(definition.id, definition.version),
      ProjectionExpression: 'digest',
    }),
  );
  const current = await getDefinition(db, definition.id).catch((error: unknown) => {
    if (error instanceof SurveyNotFoundError) return undefined;
    throw error;
  });
  const storedBefore = stored.Item !== undefined;
  if (storedBefore && stored.Item?.digest !== digest) {
    throw new DefinitionVersionConflictError(definition.id, definition.version);
  }
  if (storedBefore && current && current.version !== definition.version && !options.makeCurrent) {
    return 'not-current';
  }
  // Aggregates are read from `aggregateShards` partitions per wave: changing it would hide cells.
  if (current && current.settings.aggregateShards !== definition.settings.aggregateShards) {
    throw new AggregateShardsChangedError(definition.id, current.settings.aggregateShards);
  }
  const pointer: SurveyPointer = {
    surveyId: definition.id,
    campaignId: definition.campaign.id,
    currentVersion: definition.version,
  };
  // The survey the caller checked its rights against must be the one read here.
  if (options.expected !== undefined) {
    const read = current ? { campaignId: current.campaign.id, version: current.version } : null;
    if (JSON.stringify(read) !== JSON.stringify(options.expected)) throw new SurveyChangedMeanwhileError(definition.id);
  }
  // The pointer moves only from the campaign and version read above (or into being, for a new survey).
  const fromRead = current
    ? {
        ConditionExpression: 'currentVersion = :read AND campaignId = :campaign',
        ExpressionAttributeValues: { ':read': current.version, ':campaign': current.campaign.id },
      }
    : { ConditionExpression: 'attribute_not_exists(pk)' };
  try {
    await db.doc.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: db.tableName,
              Item: { ...keys.definition(definition.id, definition.version), definition, digest },
              ConditionExpression: 'attribute_not_exists(pk) OR digest = :digest',
              ExpressionAttributeValues: { ':digest': digest },
            },
          },
          { Put: { TableName: db.tableName, Item: { ...keys.survey(definition.id), ...pointer }, ...fromRead } },
          { Put: { TableName: db.tableName, Item: { ...keys.surveyIndex(definition.id), ...pointer } } },
        ],
      }),
    );
    return storedBefore && current?.version === definition.version ? 'unchanged' : 'published';
  } catch (error) {
    const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons;
    if (error instanceof Error && error.name === 'TransactionCanceledException') {
      if (reasons?.[0]?.Code === 'ConditionalCheckFailed') {
        throw new DefinitionVersionConflictError(definition.id, definition.version, { cause: error });
      }
      if (reasons?.[1]?.Code === 'ConditionalCheckFailed') {
        throw new SurveyChangedMeanwhileError(definition.id, { cause: error });
      }
    }
    throw error;
  }
}

export async function getDefinition(db: Db, surveyId: string, version?: string): Promise<SurveyDefinition> {
  let wanted = version;
  if (!wanted) {
    const pointer = await db.doc.send(new GetCommand({ TableName: db.tableName, Key: keys.survey(surveyId) }));
    if (!pointer.Item) throw new SurveyNotFoundError(surveyId);
    const parsed = SurveyPointer.safeParse(pointer.Item);
    if (!parsed.success) throw new StoredItemInvalidError(`survey ${surveyId}`, { cause: parsed.error });
    wanted = parsed.data.currentVersion;
  }
  const item = await db.doc.send(new GetCommand({ TableName: db.tableName, Key: keys.definition(surveyId, wanted) }));
  if (!item.Item) throw new SurveyNotFoundError(surveyId);
  const parsed = SurveyDefinition.safeParse(item.Item.definition);
  if (!parsed.success) throw new StoredItemInvalidError(`definition ${surveyId}@${wanted}`, { cause: parsed.error });
  return parsed.data;
}

/**
 * Every published survey with its current version, sorted by id. Read from the survey index (one
 * Query); a survey published before the index existed appears once it is published again.
 */
export async function listSurveys(db: Db): Promise<SurveyPointer[]> {
  const surveys: SurveyPointer[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.doc.send(
      new QueryCommand({
        TableName: db.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.surveyIndexPartition },
        ExclusiveStartKey: start,
      }),
    );
    for (const item of page.Items ?? []) {
      const parsed = SurveyPointer.safeParse(item);
      if (!parsed.success) throw new StoredItemInvalidError(`survey index ${String(item.sk)}`, { cause: parsed.error });
      surveys.push(parsed.data);
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return surveys;
}

export async function setWaveState(db: Db, surveyId: string, wave: WaveState): Promise<void> {
  await db.doc.send(
    new PutCommand({ TableName: db.tableName, Item: { ...keys.wave(surveyId, wave.waveId), ...wave } }),
  );
}

export async function listWaveStates(db: Db, surveyId: string): Promise<WaveState[]> {
  const page = await db.doc.send(
    new QueryCommand({
      TableName: db.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :w)',
      ExpressionAttributeValues: { ':pk': `SURVEY#${surveyId}`, ':w': 'WAVE#' },
      ConsistentRead: true,
    }),
  );
  return (page.Items ?? []).map((item) => {
    const parsed = WaveState.safeParse(item);
    if (!parsed.success) throw new StoredItemInvalidError(`wave ${String(item.sk)}`, { cause: parsed.error });
    return parsed.data;
  });
}

/**
 * The wave collecting responses at `now`: opened by an admin (state `open`), part of the current
 * definition, and inside its time window. The window is the wave state's own `opensAt`/`closesAt`
 * when set (an admin's schedule), otherwise the `opens`/`closes` of the survey file.
 */
export function openWaveAt(states: WaveState[], now: Date, waves: Wave[]): WaveState | undefined {
  const t = now.getTime();
  return states.find((state) => {
    const wave = waves.find((w) => w.id === state.waveId);
    if (state.state !== 'open' || !wave) return false;
    const opens = state.opensAt ?? wave.opens;
    const closes = state.closesAt ?? wave.closes;
    return (!opens || Date.parse(opens) <= t) && (!closes || t < endOfCloses(closes));
  });
}

/**
 * How long after a wave stops collecting a late answer may still land: a respondent function keeps
 * wave states cached for 15 s and a request in flight may take up to API Gateway's 30 s.
 */
export const SETTLE_GRACE_MS = 60_000;

/**
 * Whether a wave's responses are final at `now`: it is not collecting, cannot start collecting
 * without an admin changing its state (no open window ahead), and stopped at least
 * `SETTLE_GRACE_MS` ago (closed by an admin at `changedAt`, or its window ended). A wave with no
 * state at all never collected.
 */
export function waveSettledAt(states: WaveState[], now: Date, waves: Wave[], waveId: string): boolean {
  const state = states.find((s) => s.waveId === waveId);
  const wave = waves.find((w) => w.id === waveId);
  if (!state || !wave) return true;
  const t = now.getTime();
  let stopped: number | undefined;
  if (state.state === 'closed') {
    stopped = state.changedAt === undefined ? undefined : Date.parse(state.changedAt);
  } else if (state.state === 'open') {
    const closes = state.closesAt ?? wave.closes;
    // Open with no end, or an end still ahead: collecting now or about to.
    if (!closes || endOfCloses(closes) > t) return false;
    stopped = endOfCloses(closes);
  } else {
    return false;
  }
  return stopped === undefined || stopped + SETTLE_GRACE_MS <= t;
}
