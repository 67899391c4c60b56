import { beforeEach, describe, expect, it } from 'vitest';
import { ensureOpenWave } from '../../local/open-wave.js';
import { listWaveStates, publishDefinition } from '../../shared/data/survey-store.js';
import type { Db } from '../../shared/data/table.js';
import { miniSurvey } from '../fixtures/mini-survey.js';
import { freshTable } from '../setup/table.js';

const now = new Date('2026-11-20T10:00:00Z');

describe('open-wave', () => {
  let db: Db;

  beforeEach(async () => {
    db = await freshTable();
    await publishDefinition(db, miniSurvey);
  });

  const openWaves = async () =>
    (await listWaveStates(db, miniSurvey.id)).filter((w) => w.state === 'open').map((w) => w.waveId);

  it('opens the baseline when no wave is open and leaves an open wave alone', async () => {
    const first = await ensureOpenWave(db, miniSurvey, { now });
    const again = await ensureOpenWave(db, miniSurvey, { now });

    expect(first).toEqual({ waveId: 'w0', opened: true });
    expect(again).toEqual({ waveId: 'w0', opened: false });
    expect(await openWaves()).toEqual(['w0']);
  });

  it('makes a wanted wave the only open one and keeps it on later starts', async () => {
    await ensureOpenWave(db, miniSurvey, { now });

    const wanted = await ensureOpenWave(db, miniSurvey, { wanted: 'w1', now });
    const later = await ensureOpenWave(db, miniSurvey, { now });

    expect(wanted).toEqual({ waveId: 'w1', opened: true });
    expect(later).toEqual({ waveId: 'w1', opened: false });
    expect(await openWaves()).toEqual(['w1']);
  });

  it('notes a wanted wave the survey does not have and falls back to the baseline', async () => {
    const result = await ensureOpenWave(db, miniSurvey, { wanted: 'w9', now });

    expect(result).toMatchObject({ waveId: 'w0', opened: true, note: expect.stringContaining('"w9"') });
  });
});
