import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import type { LogFields, Logger } from '../../functions/lib/logger.js';
import { RetentionRunFailedError, runRetention } from '../../functions/retention/run.js';
import { checkAggregates, readCells } from '../../shared/data/aggregate-store.js';
import { publishDefinition } from '../../shared/data/survey-store.js';
import { type Db, keys } from '../../shared/data/table.js';
import { miniResponse, saveMini } from '../fixtures/mini-response.js';
import { miniSurvey } from '../fixtures/mini-survey.js';
import { freshTable } from '../setup/table.js';

const NOW = new Date('2026-06-01T00:00:00Z');
const EXPIRED_DAY = '2024-03-04';
const other = { ...structuredClone(miniSurvey), id: 'mini-two' };

function recordingLogger(): Logger & { lines: { level: string; message: string; fields: LogFields }[] } {
  const lines: { level: string; message: string; fields: LogFields }[] = [];
  const at =
    (level: string) =>
    (message: string, fields: LogFields = {}) => {
      lines.push({ level, message, fields });
    };
  return { lines, info: at('info'), warn: at('warn'), error: at('error') };
}

/** The ProjectionExpression (with names resolved) of every Query on a response partition. */
function responseQueries(db: Db): string[] {
  const seen: string[] = [];
  db.doc.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as {
        ExpressionAttributeValues?: Record<string, { S?: string }>;
        ProjectionExpression?: string;
        ExpressionAttributeNames?: Record<string, string>;
      };
      const pk = input.ExpressionAttributeValues?.[':pk']?.S ?? '';
      if (context.commandName === 'QueryCommand' && pk.startsWith('RESP#')) {
        const names = input.ExpressionAttributeNames ?? {};
        seen.push((input.ProjectionExpression ?? '(all)').replace(/#a\d+/g, (n) => names[n] ?? n));
      }
      return next(args);
    },
    { step: 'build', name: 'recordResponseQueries' },
  );
  return seen;
}

async function seed(db: Db) {
  for (const definition of [miniSurvey, other]) {
    await publishDefinition(db, definition);
    for (const city of ['alpha', 'beta', 'beta', 'elsewhere']) {
      await saveMini(db, miniResponse('w0', { city, seen_what: 'Plakat am Rathaus Alpha' }, EXPIRED_DAY, definition));
    }
  }
}

describe('the scheduled retention run', () => {
  it('pools every survey, reads responses only as keys, wave, day and expiry, and logs counts only', async () => {
    // Prepare
    const db = await freshTable();
    await seed(db);
    const queries = responseQueries(db);
    const logger = recordingLogger();

    // Act
    const run = await runRetention({ db, logger }, NOW);
    const queriedByRun = [...queries];

    // Assess
    expect(run).toEqual({ surveys: 2, expiredDeleted: 8, pooled: 6, failed: 0 });
    for (const definition of [miniSurvey, other]) {
      const cells = await readCells(db, definition.id, 'w0', definition.settings.aggregateShards);
      expect([...cells.keys()]).toEqual(['public|_|_|_|_|_|_']);
      expect(await checkAggregates(db, definition, NOW)).toEqual({
        drift: [],
        expired: [{ waveId: 'w0', responses: 4, poolable: 0 }],
      });
    }
    expect(queriedByRun.length).toBeGreaterThan(0);
    // Pooling reads keys, wave and expiry; bringing the responses to the survey's retention rule
    // (never recorded for these seeded surveys) reads keys, day and expiry. Never an answer.
    expect(new Set(queriedByRun)).toEqual(new Set(['pk, sk, waveId, expiresAt', 'pk, sk, submittedOn, expiresAt']));
    const text = JSON.stringify(logger.lines);
    for (const planted of ['Rathaus', 'alpha', 'beta', '|', 'RESP#', 'AGG#']) expect(text).not.toContain(planted);
    expect(logger.lines.at(-1)).toEqual({
      level: 'info',
      message: 'retention run',
      fields: { surveys: 2, expiredDeleted: 8, pooled: 6, failed: 0 },
    });
  });

  it('logs a survey that fails by its error name, runs the others, then fails the invocation', async () => {
    // Prepare: the first survey's stored definition is damaged.
    const db = await freshTable();
    await seed(db);
    await db.doc.send(
      new PutCommand({
        TableName: db.tableName,
        Item: { ...keys.definition(miniSurvey.id, miniSurvey.version), definition: { id: 'mini' }, digest: 'x' },
      }),
    );
    const logger = recordingLogger();

    // Act
    const attempt = runRetention({ db, logger }, NOW);

    // Assess
    await expect(attempt).rejects.toBeInstanceOf(RetentionRunFailedError);
    await expect(attempt).rejects.toMatchObject({ run: { surveys: 2, failed: 1, pooled: 3 } });
    expect(logger.lines).toContainEqual({
      level: 'error',
      message: 'retention failed',
      fields: { surveyId: 'mini', error: 'StoredItemInvalidError' },
    });
    const cells = await readCells(db, other.id, 'w0', other.settings.aggregateShards);
    expect([...cells.keys()]).toEqual(['public|_|_|_|_|_|_']);
  });
});
