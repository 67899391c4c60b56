import { randomBytes } from 'node:crypto';
import { createAdminApp } from '../../functions/admin/app.js';
import type { AdminDeps } from '../../functions/admin/deps.js';
import type { Role } from '../../functions/lib/auth.js';
import { devKeyAuthenticator } from '../../functions/lib/authenticate.js';
import { silentLogger } from '../../functions/lib/logger.js';
import { DEV_AUDIENCE, DEV_ISSUER, mintDevToken } from '../../local/dev-token.js';
import type { Catalog } from '../../shared/data/catalog.js';
import type { Db } from '../../shared/data/table.js';

/** The admin app with a throwaway dev key, and a way to mint tokens for it. */
export function adminAppWith(
  db: Db,
  catalog: Catalog,
  now: () => Date = () => new Date(),
  extra: Pick<AdminDeps, 'publicBaseUrl'> = {},
) {
  const key = new Uint8Array(randomBytes(32));
  const app = createAdminApp({
    db,
    catalog,
    logger: silentLogger,
    now,
    authenticate: devKeyAuthenticator(key, DEV_ISSUER, DEV_AUDIENCE),
    ...extra,
  });
  const token = (roles: Role[], campaigns: string[], options: { ttl?: string; key?: Uint8Array; now?: Date } = {}) =>
    mintDevToken({ sub: 'tester', roles, campaigns }, options.key ?? key, {
      ttl: options.ttl ?? '1h',
      now: options.now,
    });
  return { app, token };
}

export const bearer = (token: string, init: RequestInit = {}): RequestInit => ({
  ...init,
  headers: { ...(init.headers as Record<string, string> | undefined), authorization: `Bearer ${token}` },
});
