import { randomBytes } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { publishSurvey } from '../../local/publish.js';
import { createBatch, listBatches } from '../../shared/data/invitation-store.js';
import { publishDefinition } from '../../shared/data/survey-store.js';
import { type Db, keys } from '../../shared/data/table.js';
import { retentionRule } from '../../shared/response/retention.js';
import { moveBatchToLegacyPlace } from '../fixtures/legacy-batch.js';
import { miniInvitedSurvey as survey } from '../fixtures/mini-survey.js';
import { freshTable } from '../setup/table.js';

const NOW = new Date('2026-11-20T10:00:00Z');

/** A batch put back where versions before December 2026 kept it, in the survey's partition. */
async function legacyBatch(db: Db): Promise<string> {
  const { batchId } = await createBatch(db, {
    expiresAt: 2_000_000_000,
    surveyId: survey.id,
    audience: 'business',
    count: 2,
    now: NOW,
    randomBytes,
  });
  await moveBatchToLegacyPlace(db, survey.id, batchId);
  return batchId;
}

const recordedRule = async (db: Db) =>
  (await db.doc.send(new GetCommand({ TableName: db.tableName, Key: keys.retentionApplied(survey.id) }))).Item?.rule;

describe('publishSurvey (npm start and surveys publish)', () => {
  it('brings retention and invitation batches up to date with the version it makes current', async () => {
    // Prepare
    const db = await freshTable();
    await publishDefinition(db, survey);
    const batchId = await legacyBatch(db);

    // Act
    const published = await publishSurvey(db, survey);

    // Assess
    expect(published.outcome).toBe('unchanged');
    expect(published.retention?.rule).toBe(retentionRule(survey));
    expect(await recordedRule(db)).toBe(retentionRule(survey));
    expect(await listBatches(db, survey.id, NOW)).toMatchObject([{ batchId, issued: 2 }]);
  });

  it('leaves everything else alone for a version it does not make current', async () => {
    // Prepare: version 2 is current, then the older file comes again.
    const db = await freshTable();
    await publishDefinition(db, survey);
    await publishDefinition(db, { ...structuredClone(survey), version: '2', title: { de: 'Zwei', en: 'Two' } });
    await legacyBatch(db);

    // Act
    const stale = await publishSurvey(db, survey);

    // Assess
    expect(stale).toEqual({ outcome: 'not-current' });
    expect(await recordedRule(db)).toBeUndefined();
    expect(await listBatches(db, survey.id, NOW)).toEqual([]);
  });
});
