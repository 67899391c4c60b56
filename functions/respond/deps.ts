import type { Catalog } from '../../shared/data/catalog.js';
import type { RetryPolicy } from '../../shared/data/response-store.js';
import type { Db } from '../../shared/data/table.js';
import type { Logger } from '../lib/logger.js';

/** Everything the respondent app needs from outside: injected so tests pass a local table or a mock. */
export interface AppDeps {
  db: Db;
  catalog: Catalog;
  logger: Logger;
  now: () => Date;
  retry?: RetryPolicy;
}
