import { silentLogger } from '../../functions/lib/logger.js';
import { createRespondApp } from '../../functions/respond/app.js';
import type { AppDeps } from '../../functions/respond/deps.js';
import { createCatalog } from '../../shared/data/catalog.js';
import { publishDefinition, setWaveState } from '../../shared/data/survey-store.js';
import type { Db } from '../../shared/data/table.js';
import type { SurveyDefinition } from '../../shared/survey/schema.js';

/** Publishes the definition, opens `waveId` and returns the respondent app wired to `db`. */
export async function respondAppWith(
  db: Db,
  definition: SurveyDefinition,
  waveId: string,
  overrides: Partial<AppDeps> = {},
) {
  await publishDefinition(db, definition);
  await setWaveState(db, definition.id, { waveId, state: 'open' });
  const deps: AppDeps = {
    db,
    catalog: createCatalog(db, { ttlMs: 0 }),
    logger: silentLogger,
    now: () => new Date('2026-11-20T10:15:00Z'),
    ...overrides,
  };
  return { app: createRespondApp(deps), deps };
}

export function jsonPost(body: unknown): RequestInit {
  return { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

/** Response body as JSON; its shape is what the assertions check. */
// biome-ignore lint/suspicious/noExplicitAny: the assertions that follow are the type check
export async function json(res: Response): Promise<any> {
  return res.json();
}
