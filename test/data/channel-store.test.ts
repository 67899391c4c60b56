import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { createChannel, disableChannel, getChannel, listChannels } from '../../shared/data/channel-store.js';
import { type Db, keys } from '../../shared/data/table.js';
import { ChannelExistsError, ChannelNotFoundError, StoredItemInvalidError } from '../../shared/errors.js';
import type { Channel } from '../../shared/survey/schema.js';
import { freshTable } from '../setup/table.js';

const poster: Channel = {
  code: 'plakat-marl',
  label: { de: 'Plakat Marl', en: 'Poster Marl' },
  kind: 'poster',
  city: 'marl',
};
const newsletter: Channel = { code: 'newsletter', label: { de: 'Newsletter', en: 'Newsletter' }, kind: 'mail' };

describe('channel-store', () => {
  let db: Db;

  beforeAll(async () => {
    db = await freshTable();
  });

  it('creates an active channel and reads it back', async () => {
    // Act
    const created = await createChannel(db, 'survey-a', poster, new Date('2026-11-20T23:30:00Z'));
    // Assess
    expect(created).toEqual({ ...poster, state: 'active', createdOn: '2026-11-20' });
    expect(await getChannel(db, 'survey-a', 'plakat-marl')).toEqual(created);
  });

  it('stores the channel under SURVEY#{surveyId} / CHANNEL#{code}', async () => {
    const item = await db.doc.send(
      new GetCommand({ TableName: db.tableName, Key: keys.channel('survey-a', 'plakat-marl') }),
    );
    expect(item.Item).toMatchObject({ pk: 'SURVEY#survey-a', sk: 'CHANNEL#plakat-marl', kind: 'poster' });
  });

  it('refuses a second channel with the same code in the same survey', async () => {
    const other = { ...poster, label: { de: 'Anderes', en: 'Other' } };
    await expect(createChannel(db, 'survey-a', other, new Date())).rejects.toBeInstanceOf(ChannelExistsError);
    expect((await getChannel(db, 'survey-a', 'plakat-marl')).label.de).toBe('Plakat Marl');
  });

  it('allows the same code in another survey', async () => {
    await expect(createChannel(db, 'survey-b', poster, new Date('2026-11-21T00:00:00Z'))).resolves.toMatchObject({
      code: 'plakat-marl',
    });
  });

  it('lists the channels of one survey only, ordered by code', async () => {
    // Prepare
    await createChannel(db, 'survey-a', newsletter, new Date('2026-11-21T08:00:00Z'));
    // Act
    const listed = await listChannels(db, 'survey-a');
    // Assess
    expect(listed.map((c) => c.code)).toEqual(['newsletter', 'plakat-marl']);
    expect(await listChannels(db, 'survey-none')).toEqual([]);
  });

  it('disables a channel and keeps the first day when disabled again', async () => {
    const disabled = await disableChannel(db, 'survey-a', 'newsletter', new Date('2026-12-01T10:00:00Z'));
    expect(disabled).toEqual({ ...newsletter, state: 'disabled', createdOn: '2026-11-21', disabledOn: '2026-12-01' });
    const again = await disableChannel(db, 'survey-a', 'newsletter', new Date('2026-12-05T10:00:00Z'));
    expect(again.disabledOn).toBe('2026-12-01');
    expect((await getChannel(db, 'survey-b', 'plakat-marl')).state).toBe('active');
  });

  it('throws ChannelNotFoundError for an unknown channel', async () => {
    await expect(getChannel(db, 'survey-a', 'nope')).rejects.toBeInstanceOf(ChannelNotFoundError);
    await expect(disableChannel(db, 'survey-a', 'nope', new Date())).rejects.toBeInstanceOf(ChannelNotFoundError);
    await expect(listChannels(db, 'survey-a')).resolves.toHaveLength(2);
  });

  it('parses items with the schema and refuses one that does not match', async () => {
    // Prepare: an item with a kind the schema does not know
    await db.doc.send(
      new PutCommand({
        TableName: db.tableName,
        Item: { ...keys.channel('survey-c', 'broken'), ...newsletter, code: 'broken', kind: 'tv', state: 'active' },
      }),
    );
    // Act & Assess
    await expect(getChannel(db, 'survey-c', 'broken')).rejects.toBeInstanceOf(StoredItemInvalidError);
    await expect(listChannels(db, 'survey-c')).rejects.toBeInstanceOf(StoredItemInvalidError);
  });

  it('returns the fields without the table keys', async () => {
    const channel = await getChannel(db, 'survey-a', 'plakat-marl');
    expect(Object.keys(channel).sort()).toEqual(['city', 'code', 'createdOn', 'kind', 'label', 'state']);
  });
});
