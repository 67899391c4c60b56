import { listWaveStates, openWaveAt, setWaveState } from '../shared/data/survey-store.js';
import type { Db } from '../shared/data/table.js';
import type { SurveyDefinition, Wave } from '../shared/survey/schema.js';

export interface OpenWaveResult {
  waveId: string;
  /** True when this call opened it; false when it was open already. */
  opened: boolean;
  /** Set when the wanted wave does not exist in this survey (the baseline rule applied instead). */
  note?: string;
}

/** A note when the survey file's dates keep an opened wave from collecting today. */
function outsideDates(wave: Wave, now: Date): { note?: string } {
  const open = openWaveAt([{ waveId: wave.id, state: 'open' }], now, [wave]);
  return open
    ? {}
    : { note: `wave "${wave.id}" is open but outside its dates in the survey file, so it collects nothing now` };
}

/**
 * Makes sure the survey collects responses locally. A wave named explicitly (`RESONANZ_DEMO_WAVE`)
 * becomes the only open one; otherwise a survey with an open wave is left alone and one without
 * gets its baseline opened, so restarts never move a wave someone opened on purpose.
 */
export async function ensureOpenWave(
  db: Db,
  definition: SurveyDefinition,
  options: { wanted?: string; now: Date },
): Promise<OpenWaveResult> {
  const states = await listWaveStates(db, definition.id);
  const open = openWaveAt(states, options.now, definition.waves);
  const wanted = options.wanted ? definition.waves.find((w) => w.id === options.wanted) : undefined;
  const note =
    options.wanted && !wanted
      ? `wave "${options.wanted}" is not part of ${definition.id} (waves: ${definition.waves.map((w) => w.id).join(', ')})`
      : undefined;

  if (wanted) {
    if (open?.waveId === wanted.id) return { waveId: wanted.id, opened: false };
    for (const state of states.filter((s) => s.state === 'open' && s.waveId !== wanted.id)) {
      await setWaveState(db, definition.id, { ...state, state: 'closed', changedAt: options.now.toISOString() });
    }
    await setWaveState(db, definition.id, { waveId: wanted.id, state: 'open', changedAt: options.now.toISOString() });
    return { waveId: wanted.id, opened: true, ...outsideDates(wanted, options.now) };
  }
  if (open) return { waveId: open.waveId, opened: false, ...(note ? { note } : {}) };
  const baseline = definition.waves.find((w) => w.kind === 'baseline') ?? definition.waves[0];
  if (!baseline) throw new Error(`${definition.id} has no waves`);
  await setWaveState(db, definition.id, { waveId: baseline.id, state: 'open', changedAt: options.now.toISOString() });
  const dates = outsideDates(baseline, options.now);
  return {
    waveId: baseline.id,
    opened: true,
    ...(note || dates.note ? { note: [note, dates.note].filter(Boolean).join('; ') } : {}),
  };
}
