import { type Logger, silentLogger } from '../../functions/lib/logger.js';
import type { Runtime } from '../../functions/lib/runtime.js';
import { localClient } from '../../local/dynamodb-local.js';
import { createCatalog } from '../../shared/data/catalog.js';
import type { Db } from '../../shared/data/table.js';

/** What the local server's apps share, on a test table: no catalog cache, so a change shows at once. */
export function localRuntime(db: Db & { endpoint: string }, logger: Logger = silentLogger): Runtime {
  return { client: localClient(db.endpoint), db, catalog: createCatalog(db, { ttlMs: 0 }), logger };
}
