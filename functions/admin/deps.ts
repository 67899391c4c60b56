import type { Catalog } from '../../shared/data/catalog.js';
import type { Db } from '../../shared/data/table.js';
import type { SurveyDefinition } from '../../shared/survey/schema.js';
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
  /**
   * Brings a survey's stored responses to its retention rule right after a publish changed it.
   * Only where this process may write responses (locally); in AWS the admin function may not, and
   * the scheduled retention run does it (functions/retention/run.ts).
   */
  applyRetention?: ((definition: SurveyDefinition) => Promise<void>) | undefined;
}
