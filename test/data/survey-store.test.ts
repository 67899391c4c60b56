import { beforeAll, describe, expect, it } from 'vitest';
import { localClient } from '../../local/dynamodb-local.js';
import { getDefinition, listSurveys, openWaveAt, publishDefinition } from '../../shared/data/survey-store.js';
import { createDb, type Db } from '../../shared/data/table.js';
import {
  AggregateShardsChangedError,
  DefinitionVersionConflictError,
  SurveyChangedMeanwhileError,
  SurveyNotFoundError,
} from '../../shared/errors.js';
import { miniSurvey } from '../fixtures/mini-survey.js';
import { freshTable } from '../setup/table.js';

describe('survey-store', () => {
  let db: Db;

  beforeAll(async () => {
    db = await freshTable();
  });

  it('publishes a definition and reads it back parsed', async () => {
    expect(await publishDefinition(db, miniSurvey)).toBe('published');
    expect(await getDefinition(db, 'mini')).toEqual(miniSurvey);
  });

  it('accepts the same content again under the same version', async () => {
    await expect(publishDefinition(db, structuredClone(miniSurvey))).resolves.toBe('unchanged');
  });

  it('refuses changed content under a published version and keeps the old one', async () => {
    const changed = structuredClone(miniSurvey);
    changed.title.de = 'Geändert';
    await expect(publishDefinition(db, changed)).rejects.toBeInstanceOf(DefinitionVersionConflictError);
    expect((await getDefinition(db, 'mini')).title.de).toBe(miniSurvey.title.de);
  });

  it('moves the survey to a new version and keeps the old version readable', async () => {
    const next = { ...structuredClone(miniSurvey), version: '2' };
    next.title.de = 'Version 2';
    await publishDefinition(db, next);
    expect((await getDefinition(db, 'mini')).version).toBe('2');
    expect((await getDefinition(db, 'mini', '1')).title.de).toBe(miniSurvey.title.de);
  });

  it('does not move the survey back to a version published before, unless asked to', async () => {
    // Prepare: version 2 is current (the test above).
    const stale = structuredClone(miniSurvey);

    // Act
    const again = await publishDefinition(db, stale);
    const afterStale = (await getDefinition(db, 'mini')).version;
    const rollback = await publishDefinition(db, stale, { makeCurrent: true });
    const afterRollback = (await getDefinition(db, 'mini')).version;
    const two = { ...structuredClone(miniSurvey), version: '2' };
    two.title.de = 'Version 2';
    const forward = await publishDefinition(db, two, { makeCurrent: true });

    // Assess
    expect(again).toBe('not-current');
    expect(afterStale).toBe('2');
    expect(rollback).toBe('published');
    expect(afterRollback).toBe('1');
    expect(forward).toBe('published');
    expect((await getDefinition(db, 'mini')).version).toBe('2');
  });

  it('refuses to move the survey when another publish moved it meanwhile, and writes nothing', async () => {
    // Prepare: a client whose first transaction is preceded by another admin's publish of version 7.
    const other = await freshTable();
    await publishDefinition(other, miniSurvey);
    const racing = createDb(localClient(other.endpoint), other.tableName);
    let raced = false;
    racing.doc.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'TransactWriteItemsCommand' && !raced) {
          raced = true;
          await publishDefinition(other, { ...structuredClone(miniSurvey), version: '7' });
        }
        return next(args);
      },
      { step: 'initialize', name: 'raceAnotherPublish' },
    );

    // Act
    const attempt = publishDefinition(racing, { ...structuredClone(miniSurvey), version: '6' });

    // Assess
    await expect(attempt).rejects.toBeInstanceOf(SurveyChangedMeanwhileError);
    expect((await getDefinition(other, 'mini')).version).toBe('7');
    await expect(getDefinition(other, 'mini', '6')).rejects.toBeInstanceOf(SurveyNotFoundError);
    expect(await listSurveys(other)).toEqual([
      { surveyId: 'mini', campaignId: miniSurvey.campaign.id, currentVersion: '7' },
    ]);
  });

  it('lists every published survey with its current version, by id', async () => {
    const other = await freshTable();
    expect(await listSurveys(other)).toEqual([]);
    await publishDefinition(other, { ...structuredClone(miniSurvey), id: 'zeta' });
    await publishDefinition(other, miniSurvey);
    await publishDefinition(other, { ...structuredClone(miniSurvey), version: '2' });
    expect(await listSurveys(other)).toEqual([
      { surveyId: 'mini', campaignId: miniSurvey.campaign.id, currentVersion: '2' },
      { surveyId: 'zeta', campaignId: miniSurvey.campaign.id, currentVersion: '1' },
    ]);
  });

  it('refuses a new version that changes the aggregate shard count', async () => {
    const next = { ...structuredClone(miniSurvey), version: '3' };
    next.settings.aggregateShards = 16;
    await expect(publishDefinition(db, next)).rejects.toBeInstanceOf(AggregateShardsChangedError);
  });

  it('throws SurveyNotFoundError for an unknown survey', async () => {
    await expect(getDefinition(db, 'unknown')).rejects.toBeInstanceOf(SurveyNotFoundError);
  });
});

describe('openWaveAt', () => {
  const now = new Date('2026-06-01T12:00:00Z');

  const waves = miniSurvey.waves;

  it('picks the open wave inside its window', () => {
    const states = [
      { waveId: 'w0', state: 'closed' as const },
      { waveId: 'w1', state: 'open' as const, opensAt: '2026-05-01T00:00:00Z', closesAt: '2026-07-01T00:00:00Z' },
    ];
    expect(openWaveAt(states, now, waves)?.waveId).toBe('w1');
  });

  it('ignores an open wave outside its window', () => {
    expect(openWaveAt([{ waveId: 'w1', state: 'open', closesAt: '2026-06-01T12:00:00Z' }], now, waves)).toBeUndefined();
    expect(openWaveAt([{ waveId: 'w1', state: 'open', opensAt: '2026-06-02T00:00:00Z' }], now, waves)).toBeUndefined();
  });

  it('honours the dates of the survey file, a date-only close lasting through that day', () => {
    const dated = waves.map((w) => (w.id === 'w1' ? { ...w, opens: '2026-05-01', closes: '2026-06-01' } : w));
    const open = [{ waveId: 'w1', state: 'open' as const }];
    expect(openWaveAt(open, now, dated)?.waveId).toBe('w1');
    expect(openWaveAt(open, new Date('2026-06-02T00:00:00Z'), dated)).toBeUndefined();
    expect(openWaveAt(open, new Date('2026-04-30T23:59:59Z'), dated)).toBeUndefined();
  });

  it('lets an admin schedule on the wave state override the file', () => {
    const dated = waves.map((w) => (w.id === 'w1' ? { ...w, closes: '2026-01-01' } : w));
    expect(openWaveAt([{ waveId: 'w1', state: 'open', closesAt: '2026-12-31T00:00:00Z' }], now, dated)?.waveId).toBe(
      'w1',
    );
  });

  it('treats a wave that is not in the current definition as closed', () => {
    expect(openWaveAt([{ waveId: 'w9', state: 'open' }], now, waves)).toBeUndefined();
  });

  it('publishes only from the campaign and version the caller was checked against', async () => {
    const db = await freshTable();
    await publishDefinition(db, miniSurvey);
    // Meanwhile someone moved the survey to another campaign (a version 2 there).
    const moved = { ...miniSurvey, version: '2', campaign: { ...miniSurvey.campaign, id: 'other-campaign' } };
    await publishDefinition(db, moved);
    const checked = { campaignId: miniSurvey.campaign.id, version: miniSurvey.version };
    const late = { ...miniSurvey, version: '3' };
    await expect(publishDefinition(db, late, { expected: checked })).rejects.toBeInstanceOf(
      SurveyChangedMeanwhileError,
    );
    expect((await getDefinition(db, miniSurvey.id)).campaign.id).toBe('other-campaign');
    // Checked as a new survey, but it exists now: refused as well.
    await expect(publishDefinition(db, late, { expected: null })).rejects.toBeInstanceOf(SurveyChangedMeanwhileError);
    // Checked against what is there: published.
    await expect(
      publishDefinition(db, { ...moved, version: '3' }, { expected: { campaignId: 'other-campaign', version: '2' } }),
    ).resolves.toBe('published');
  });
});
