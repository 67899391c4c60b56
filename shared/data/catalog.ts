import type { RegisteredChannel } from '../channels/schema.js';
import { type QuotaProgress, quotaProgress } from '../quotas/progress.js';
import type { SurveyDefinition } from '../survey/schema.js';
import { readCells } from './aggregate-store.js';
import { listChannels } from './channel-store.js';
import { listQuotas } from './quota-store.js';
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
  /**
   * Progress of the quotas set for one wave (empty when none are: then no aggregate cell is read).
   * Cached like the rest, so a group closes within `ttlMs` of reaching its target.
   */
  quotas(surveyId: string, waveId: string): Promise<QuotaProgress[]>;
  /** Drops cached entries (tests, admin commands in the same process). */
  clear(): void;
}

/** How long a function instance keeps a definition, wave state or channel list it has read. */
export const CATALOG_TTL_MS = 15_000;

export function createCatalog(db: Db, options: { ttlMs?: number; clock?: () => number } = {}): Catalog {
  const ttl = options.ttlMs ?? CATALOG_TTL_MS;
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
    quotas: (surveyId, waveId) =>
      cached(`quotas:${surveyId}:${waveId}`, async () => {
        const quotas = (await listQuotas(db, surveyId)).filter((q) => q.waveId === waveId);
        if (quotas.length === 0) return [];
        const definition = await cached(`def:${surveyId}`, () => getDefinition(db, surveyId));
        const cells = await readCells(db, surveyId, waveId, definition.settings.aggregateShards);
        return quotaProgress(quotas, new Map([[waveId, cells]]));
      }),
    clear: () => cache.clear(),
  };
}
