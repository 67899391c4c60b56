import { moveLegacyBatches } from '../shared/data/invitation-store.js';
import { ensureRetention, type RetentionUpToDate } from '../shared/data/response-retention.js';
import { type PublishOutcome, publishDefinition } from '../shared/data/survey-store.js';
import type { Db } from '../shared/data/table.js';
import type { SurveyDefinition } from '../shared/survey/schema.js';

/**
 * Publishes a definition and brings what is stored for its survey up to date with it, the same for
 * `npm start` (local files) and `surveys publish` (any table): stored responses get the retention
 * rule of the version now current (`ensureRetention`; `settleMs` waits out cached definitions when
 * the rule changed), and invitation batches kept where they lived before their own partition are
 * moved (`moveLegacyBatches`). Nothing but the publish happens for a version left not current.
 */
export async function publishSurvey(
  db: Db,
  definition: SurveyDefinition,
  options: { makeCurrent?: boolean; settleMs?: number } = {},
): Promise<{ outcome: PublishOutcome; retention?: RetentionUpToDate }> {
  const outcome = await publishDefinition(db, definition, { makeCurrent: options.makeCurrent });
  if (outcome === 'not-current') return { outcome };
  const retention = await ensureRetention(db, definition, { settleMs: options.settleMs });
  await moveLegacyBatches(db, definition.id);
  return { outcome, retention };
}
