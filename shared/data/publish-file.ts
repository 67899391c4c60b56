import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { AggregateShardsChangedError, DefinitionVersionConflictError, SurveyNotFoundError } from '../errors.js';
import { retentionRule } from '../response/retention.js';
import { type DefinitionChanges, definitionChanges } from '../survey/changes.js';
import type { SurveyDefinition } from '../survey/schema.js';
import { recordRetention } from './response-retention.js';
import { definitionDigest, getDefinition, publishDefinition } from './survey-store.js';
import { type Db, keys } from './table.js';

/**
 * What publishing a survey file would do, worked out without writing anything:
 * - `new`: the survey is not published yet;
 * - `new-version`: the file's version is new, it becomes current;
 * - `unchanged`: the file is the current version, as published (publishing changes nothing);
 * - `earlier-version`: the file is a version published before, and another one is current:
 *   publishing it goes back to it only when asked to (a rollback).
 */
export type PublishPlanOutcome = 'new' | 'new-version' | 'unchanged' | 'earlier-version';

export interface PublishPlan {
  outcome: PublishPlanOutcome;
  /** The published definition it is compared with (undefined for a new survey). */
  current: SurveyDefinition | undefined;
  changes: DefinitionChanges;
  /** The retention rule of the file, and the rule the stored responses carry when it differs. */
  retention: { rule: string; before?: string | undefined; changes: boolean };
}

/**
 * Checks a valid definition against what is published, by the same rules as publishing: a version
 * once published never changes its content (`DefinitionVersionConflictError`), and the number of
 * aggregate shards never changes (`AggregateShardsChangedError`). Reads only.
 */
export async function planPublish(
  db: Db,
  definition: SurveyDefinition,
  /** The published definition, when the caller has just read it (read here otherwise). */
  published?: SurveyDefinition,
): Promise<PublishPlan> {
  const current =
    published ??
    (await getDefinition(db, definition.id).catch((error: unknown) => {
      if (error instanceof SurveyNotFoundError) return undefined;
      throw error;
    }));
  const [stored, recorded] = await Promise.all([
    db.doc.send(
      new GetCommand({
        TableName: db.tableName,
        Key: keys.definition(definition.id, definition.version),
        ProjectionExpression: 'digest',
      }),
    ),
    db.doc.send(new GetCommand({ TableName: db.tableName, Key: keys.retentionApplied(definition.id) })),
  ]);
  if (stored.Item && stored.Item.digest !== definitionDigest(definition)) {
    throw new DefinitionVersionConflictError(definition.id, definition.version);
  }
  if (current && current.settings.aggregateShards !== definition.settings.aggregateShards) {
    throw new AggregateShardsChangedError(definition.id, current.settings.aggregateShards);
  }
  const outcome: PublishPlanOutcome = !current
    ? 'new'
    : current.version === definition.version
      ? 'unchanged'
      : stored.Item
        ? 'earlier-version'
        : 'new-version';
  const rule = retentionRule(definition);
  const before = typeof recorded.Item?.rule === 'string' ? recorded.Item.rule : undefined;
  return {
    outcome,
    current,
    // Going back compares with the version current now, as publishing would change from it.
    changes: definitionChanges(current, definition),
    retention: { rule, ...(before !== undefined && before !== rule ? { before } : {}), changes: before !== rule },
  };
}

/**
 * Publishes a checked definition (see `planPublish`). A new survey has no stored responses, so its
 * retention rule is recorded at once. When an existing survey's rule changes, its stored responses
 * are brought to it by `applyRetention` (`ensureRetention`): by the scheduled retention run, which
 * does that for every survey before pooling, or at once where the caller can (the operator's CLI,
 * `npm start`). Returns whether the responses still need that.
 */
export async function publishPlanned(
  db: Db,
  definition: SurveyDefinition,
  plan: PublishPlan,
  options: { makeCurrent?: boolean; expected?: { campaignId: string; version: string } | null } = {},
): Promise<{ published: boolean; retentionPending: boolean }> {
  const outcome = await publishDefinition(db, definition, options);
  if (outcome === 'not-current') return { published: false, retentionPending: false };
  if (plan.outcome === 'new') {
    await recordRetention(db, definition.id, plan.retention.rule);
    return { published: true, retentionPending: false };
  }
  return { published: outcome === 'published', retentionPending: plan.retention.changes };
}
