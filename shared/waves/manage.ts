import type { Catalog } from '../data/catalog.js';
import { listWaveStates, openWaveAt, setWaveState, type WaveState } from '../data/survey-store.js';
import type { Db } from '../data/table.js';
import { WaveNotFoundError, WaveScheduleError } from '../errors.js';
import type { SurveyDefinition, Wave } from '../survey/schema.js';

/** A wave as admins see it: the definition's wave, its state, its effective window, open now or not. */
export interface WaveView {
  id: string;
  label: Wave['label'];
  kind: Wave['kind'];
  state: WaveState['state'];
  opensAt?: string;
  closesAt?: string;
  collectingNow: boolean;
}

function waveOf(definition: SurveyDefinition, waveId: string): Wave {
  const wave = definition.waves.find((w) => w.id === waveId);
  if (!wave) throw new WaveNotFoundError(definition.id, waveId);
  return wave;
}

export async function listWaves(db: Db, definition: SurveyDefinition, now: Date): Promise<WaveView[]> {
  const states = await listWaveStates(db, definition.id);
  const open = openWaveAt(states, now, definition.waves);
  return definition.waves.map((wave) => {
    const state = states.find((s) => s.waveId === wave.id);
    const opensAt = state?.opensAt ?? wave.opens;
    const closesAt = state?.closesAt ?? wave.closes;
    return {
      id: wave.id,
      label: wave.label,
      kind: wave.kind,
      state: state?.state ?? 'closed',
      ...(opensAt ? { opensAt } : {}),
      ...(closesAt ? { closesAt } : {}),
      collectingNow: open?.waveId === wave.id,
    };
  });
}

/** Opens a wave now (keeping a schedule's close time) and closes every other open wave: one collects at a time. */
export async function openWave(db: Db, catalog: Catalog, definition: SurveyDefinition, waveId: string, now: Date) {
  waveOf(definition, waveId);
  const states = await listWaveStates(db, definition.id);
  for (const other of states.filter((s) => s.state === 'open' && s.waveId !== waveId)) {
    await setWaveState(db, definition.id, { ...other, state: 'closed', changedAt: now.toISOString() });
  }
  const own = states.find((s) => s.waveId === waveId);
  const closesAt = own?.closesAt && Date.parse(own.closesAt) > now.getTime() ? own.closesAt : undefined;
  await setWaveState(db, definition.id, {
    waveId,
    state: 'open',
    opensAt: now.toISOString(),
    ...(closesAt ? { closesAt } : {}),
    changedAt: now.toISOString(),
  });
  catalog.clear();
  return listWaves(db, definition, now);
}

export async function closeWave(db: Db, catalog: Catalog, definition: SurveyDefinition, waveId: string, now: Date) {
  waveOf(definition, waveId);
  await setWaveState(db, definition.id, { waveId, state: 'closed', changedAt: now.toISOString() });
  catalog.clear();
  return listWaves(db, definition, now);
}

/**
 * Schedules a wave to collect between `opensAt` and `closesAt` (either may be open-ended). The
 * window may not overlap another open or scheduled wave, so a respondent always meets one wave.
 */
export async function scheduleWave(
  db: Db,
  catalog: Catalog,
  definition: SurveyDefinition,
  waveId: string,
  window: { opensAt?: string; closesAt?: string },
  now: Date,
) {
  waveOf(definition, waveId);
  const start = window.opensAt ? Date.parse(window.opensAt) : Number.NEGATIVE_INFINITY;
  const end = window.closesAt ? Date.parse(window.closesAt) : Number.POSITIVE_INFINITY;
  if (!(start < end)) throw new WaveScheduleError('closesAt must be after opensAt');
  const states = await listWaveStates(db, definition.id);
  for (const other of states.filter((s) => s.state === 'open' && s.waveId !== waveId)) {
    const oStart = other.opensAt ? Date.parse(other.opensAt) : Number.NEGATIVE_INFINITY;
    const oEnd = other.closesAt ? Date.parse(other.closesAt) : Number.POSITIVE_INFINITY;
    if (start < oEnd && oStart < end) {
      throw new WaveScheduleError(`the window overlaps wave "${other.waveId}", which is open or scheduled then`);
    }
  }
  await setWaveState(db, definition.id, { waveId, state: 'open', ...window, changedAt: now.toISOString() });
  catalog.clear();
  return listWaves(db, definition, now);
}
