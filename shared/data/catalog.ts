import type { RegisteredChannel } from '../channels/schema.js';
import type { SurveyDefinition } from '../survey/schema.js';
import { listChannels } from './channel-store.js';
import { getDefinition, listWaveStates, openWaveAt, type WaveState } from './survey-store.js';
import type { Db } from './table.js';

/**
 * Definitions, wave states and registered channels, cached per process for a short time: a Lambda
 * instance serving many respondents reads them once, and an admin's change shows within `ttlMs`.
 */
export interface Catalog {
  definition(surveyId: string): Promise<SurveyDefinition>;
  openWave(surveyId: string, now: Date): Promise<WaveState | undefined>;
  /** The survey's registered channels (not those only declared in its file). */
  channels(surveyId: string): Promise<RegisteredChannel[]>;
  /** Drops cached entries (tests, admin commands in the same process). */
  clear(): void;
}

export function createCatalog(db: Db, options: { ttlMs?: number; clock?: () => number } = {}): Catalog {
  const ttl = options.ttlMs ?? 15_000;
  const clock = options.clock ?? Date.now;
  const cache = new Map<string, { at: number; value: Promise<unknown> }>();

  function cached<T>(key: string, load: () => Promise<T>): Promise<T> {
    const hit = cache.get(key);
    if (hit && clock() - hit.at < ttl) return hit.value as Promise<T>;
    const value = load();
    cache.set(key, { at: clock(), value });
    // A failed load must not be cached (e.g. a survey published a moment later).
    value.catch(() => cache.delete(key));
    return value;
  }

  return {
    definition: (surveyId) => cached(`def:${surveyId}`, () => getDefinition(db, surveyId)),
    openWave: async (surveyId, now) =>
      openWaveAt(
        await cached(`waves:${surveyId}`, () => listWaveStates(db, surveyId)),
        now,
        (await cached(`def:${surveyId}`, () => getDefinition(db, surveyId))).waves,
      ),
    channels: (surveyId) => cached(`channels:${surveyId}`, () => listChannels(db, surveyId)),
    clear: () => cache.clear(),
  };
}
