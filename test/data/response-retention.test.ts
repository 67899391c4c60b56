import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { contributionOf } from '../../shared/aggregate/contribution.js';
import { ensureRetention } from '../../shared/data/response-retention.js';
import { getResponse, responseKey, saveResponse } from '../../shared/data/response-store.js';
import { publishDefinition } from '../../shared/data/survey-store.js';
import { type Db, keys } from '../../shared/data/table.js';
import { expiresAtFor, retentionRule } from '../../shared/response/retention.js';
import type { SurveyDefinition } from '../../shared/survey/schema.js';
import { miniResponse } from '../fixtures/mini-response.js';
import { miniSurvey } from '../fixtures/mini-survey.js';
import { freshTable } from '../setup/table.js';

/** Counts the Query calls a client makes (reading responses is a Query per shard). */
function countQueries(db: Db): { readonly queries: number } {
  const seen = { queries: 0 };
  db.doc.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'QueryCommand') seen.queries++;
      return next(args);
    },
    { step: 'initialize', name: 'countQueries' },
  );
  return seen;
}

describe('ensureRetention', () => {
  let db: Db;
  const days = ['2026-03-02', '2026-04-15', '2026-05-31'];
  const ids: string[] = [];

  beforeAll(async () => {
    db = await freshTable();
    await publishDefinition(db, miniSurvey);
    for (const day of days) {
      const response = miniResponse('w0', {}, day, miniSurvey);
      await saveResponse(db, response, contributionOf(miniSurvey, response), miniSurvey.settings.aggregateShards);
      ids.push(response.responseId);
    }
    // As stored before retention existed: no expiresAt.
    for (const id of ids.slice(0, 2)) {
      const stored = await getResponse(db, miniSurvey.id, id);
      if (!stored) throw new Error('fixture response missing');
      await db.doc.send(
        new UpdateCommand({ TableName: db.tableName, Key: responseKey(stored), UpdateExpression: 'REMOVE expiresAt' }),
      );
    }
  });

  const stored = async () => Promise.all(ids.map(async (id) => (await getResponse(db, miniSurvey.id, id))?.expiresAt));

  it('brings responses from before the record to the rule once, then reads nothing', async () => {
    // Act
    const counted = countQueries(db);
    const first = await ensureRetention(db, miniSurvey);
    const queriedByFirst = counted.queries;
    const second = await ensureRetention(db, miniSurvey);

    // Assess
    expect(first).toEqual({ rule: retentionRule(miniSurvey), applied: { set: 2, unchanged: 1 } });
    expect(await stored()).toEqual(days.map((day) => expiresAtFor(miniSurvey, day)));
    expect(second).toEqual({ rule: retentionRule(miniSurvey) });
    // The first read the responses (one query per shard at least); the second read none.
    expect(queriedByFirst).toBeGreaterThan(0);
    expect(counted.queries).toBe(queriedByFirst);
    const record = await db.doc.send(new GetCommand({ TableName: db.tableName, Key: keys.retentionApplied('mini') }));
    expect(record.Item?.rule).toBe("24 months after each response's day");
  });

  it('gives every stored response the new rule when a version changes it, after waiting out cached definitions', async () => {
    // Prepare
    const shorter: SurveyDefinition = {
      ...structuredClone(miniSurvey),
      version: '2',
      settings: { ...structuredClone(miniSurvey.settings), retention: { months: 6 } },
    };
    shorter.waves = shorter.waves.map((w, i) => (i === 1 ? { ...w, closes: '2026-09-30' } : w));
    await publishDefinition(db, shorter);
    const slept: number[] = [];

    // Act
    const changed = await ensureRetention(db, shorter, {
      settleMs: 16_000,
      sleep: async (ms) => {
        slept.push(ms);
      },
    });

    // Assess
    expect(changed).toEqual({
      rule: '6 months after the last wave closes (2026-10-01T00:00:00.000Z)',
      before: "24 months after each response's day",
      applied: { set: 3, unchanged: 0 },
    });
    expect(slept).toEqual([16_000]);
    // All three now expire together, 6 months after the last wave's close.
    expect(await stored()).toEqual(days.map(() => Date.parse('2027-04-01T00:00:00Z') / 1000));
  });

  it('does not wait for cached definitions when the rule is unchanged or was never recorded', async () => {
    // Prepare
    const other = await freshTable();
    await publishDefinition(other, miniSurvey);
    const slept: number[] = [];
    const sleep = async (ms: number) => {
      slept.push(ms);
    };

    // Act
    const first = await ensureRetention(other, miniSurvey, { settleMs: 16_000, sleep });
    const again = await ensureRetention(other, miniSurvey, { settleMs: 16_000, sleep });

    // Assess
    expect(first.applied).toEqual({ set: 0, unchanged: 0 });
    expect(again.applied).toBeUndefined();
    expect(slept).toEqual([]);
  });
});
