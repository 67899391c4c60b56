import type { Catalog } from '../../shared/data/catalog.js';
import type { Db } from '../../shared/data/table.js';
import type { Authenticator } from '../lib/authenticate.js';
import type { Logger } from '../lib/logger.js';

export interface AdminDeps {
  db: Db;
  catalog: Catalog;
  logger: Logger;
  now: () => Date;
  /** Dev key locally, the API Gateway JWT authorizer's claims in AWS. */
  authenticate: Authenticator;
  /** Origin of the public survey links; without it, the origin the admin request came to. */
  publicBaseUrl?: string | undefined;
}
