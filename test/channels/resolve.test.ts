import { describe, expect, it } from 'vitest';
import { activeChannelCodes, surveyChannels } from '../../shared/channels/resolve.js';
import type { RegisteredChannel } from '../../shared/channels/schema.js';
import { recordedChannel } from '../../shared/response/build.js';
import { miniSurvey } from '../fixtures/mini-survey.js';

const label = { de: 'Kanal', en: 'Channel' };
const registered: RegisteredChannel[] = [
  { code: 'plakat-beta', label, kind: 'poster', city: 'beta', state: 'active', createdOn: '2026-11-01' },
  { code: 'mail-1', label, kind: 'mail', state: 'disabled', createdOn: '2026-11-01', disabledOn: '2026-11-02' },
];

describe('resolve', () => {
  it('lists file-declared and registered channels with their source', () => {
    expect(surveyChannels(miniSurvey, registered).map((c) => [c.code, c.state, c.source])).toEqual([
      ['plakat-alpha', 'active', 'file'],
      ['plakat-beta', 'active', 'registry'],
      ['mail-1', 'disabled', 'registry'],
    ]);
  });

  it('counts file-declared and active registered channels as active', () => {
    expect([...activeChannelCodes(miniSurvey, registered)].sort()).toEqual(['plakat-alpha', 'plakat-beta']);
  });

  it('lets a disabled registry entry win over the survey file', () => {
    const retired: RegisteredChannel = {
      ...registered[1],
      code: 'plakat-alpha',
      state: 'disabled',
    } as RegisteredChannel;
    expect(activeChannelCodes(miniSurvey, [retired]).has('plakat-alpha')).toBe(false);
  });
});

describe('recordedChannel', () => {
  const active = new Set(['plakat-alpha']);

  it('records an active code', () => {
    expect(recordedChannel(active, 'plakat-alpha')).toBe('plakat-alpha');
  });

  it.each([['plakat-beta'], [undefined], ['']])('records %s as unknown', (code) => {
    expect(recordedChannel(active, code)).toBe('unknown');
  });
});
