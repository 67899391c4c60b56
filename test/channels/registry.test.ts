import { beforeAll, describe, expect, it } from 'vitest';
import { listSurveyChannels, registerChannel, retireChannel } from '../../shared/channels/registry.js';
import { channelIssues } from '../../shared/channels/validate.js';
import type { Db } from '../../shared/data/table.js';
import { ChannelExistsError, ChannelNotFoundError, InvalidChannelError } from '../../shared/errors.js';
import { miniSurvey } from '../fixtures/mini-survey.js';
import { freshTable } from '../setup/table.js';

const label = { de: 'Kanal', en: 'Channel' };
const now = new Date('2026-11-20T10:00:00Z');

describe('channelIssues', () => {
  it('accepts a channel in a campaign city or without a city', () => {
    expect(channelIssues(miniSurvey, { code: 'p', label, kind: 'poster', city: 'beta' })).toEqual([]);
    expect(channelIssues(miniSurvey, { code: 'p', label, kind: 'web' })).toEqual([]);
  });

  it('reports a city outside the campaign and the reserved code "unknown"', () => {
    const issues = channelIssues(miniSurvey, { code: 'unknown', label, kind: 'poster', city: 'gamma' });
    expect(issues.map((i) => [i.field, i.code])).toEqual([
      ['code', 'reserved'],
      ['city', 'out_of_range'],
    ]);
  });
});

describe('registry', () => {
  let db: Db;

  beforeAll(async () => {
    db = await freshTable();
  });

  it('registers a valid channel', async () => {
    const created = await registerChannel(db, miniSurvey, { code: 'plakat-beta', label, kind: 'poster' }, now);
    expect(created).toMatchObject({ code: 'plakat-beta', state: 'active', createdOn: '2026-11-20' });
  });

  it('refuses an invalid channel with InvalidChannelError', async () => {
    const channel = { code: 'plakat-gamma', label, kind: 'poster' as const, city: 'gamma' };
    await expect(registerChannel(db, miniSurvey, channel, now)).rejects.toBeInstanceOf(InvalidChannelError);
  });

  it('refuses a code the survey file declares or the registry holds', async () => {
    for (const code of ['plakat-alpha', 'plakat-beta']) {
      await expect(registerChannel(db, miniSurvey, { code, label, kind: 'web' }, now)).rejects.toBeInstanceOf(
        ChannelExistsError,
      );
    }
  });

  it('disables a registered and a file-declared channel', async () => {
    await retireChannel(db, miniSurvey, 'plakat-beta', now);
    await retireChannel(db, miniSurvey, 'plakat-alpha', now);
    const listed = await listSurveyChannels(db, miniSurvey);
    expect(listed.map((c) => [c.code, c.state])).toEqual([
      ['plakat-alpha', 'disabled'],
      ['plakat-beta', 'disabled'],
    ]);
  });

  it('throws ChannelNotFoundError when disabling a code nobody declared', async () => {
    await expect(retireChannel(db, miniSurvey, 'nope', now)).rejects.toBeInstanceOf(ChannelNotFoundError);
  });
});
