import { randomBytes } from 'node:crypto';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import {
  type AuthEnv,
  type Authenticator,
  authenticate,
  devKeyAuthenticator,
  gatewayAuthenticator,
} from '../../functions/lib/authenticate.js';
import { silentLogger } from '../../functions/lib/logger.js';
import { errorProblem } from '../../functions/lib/problem.js';
import { DEV_AUDIENCE, DEV_ISSUER, mintDevToken } from '../../local/dev-token.js';

/** A one-route app that answers with the claims the authenticator let through. */
function appWith(authenticator: Authenticator) {
  const app = new Hono<AuthEnv>();
  app.use(authenticate(authenticator));
  app.get('/whoami', (c) => c.json(c.var.claims));
  app.onError(errorProblem(silentLogger));
  return app;
}

/** The `c.env` hono/aws-lambda hands the app: the event with what the JWT authorizer verified. */
const lambdaEnv = (claims: Record<string, unknown>) => ({
  event: { requestContext: { authorizer: { jwt: { claims } } } },
});

describe('authenticate', () => {
  const key = new Uint8Array(randomBytes(32));
  const adminToken = () => mintDevToken({ sub: 'mallory', roles: ['admin'], campaigns: ['*'] }, key, { ttl: '5m' });

  describe('gatewayAuthenticator', () => {
    it('answers 401 to a request that carries a valid-looking bearer token but no authorizer claims', async () => {
      const app = appWith(gatewayAuthenticator());

      const res = await app.request('/whoami', { headers: { authorization: `Bearer ${await adminToken()}` } });

      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
    });

    it("takes the caller from the authorizer's claims, whatever the Authorization header says", async () => {
      const app = appWith(gatewayAuthenticator());
      const env = lambdaEnv({ sub: 'lea', 'cognito:groups': '[lead]', 'custom:campaigns': 'mini-campaign' });

      const res = await app.request('/whoami', { headers: { authorization: `Bearer ${await adminToken()}` } }, env);

      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ sub: 'lea', roles: ['lead'], campaigns: ['mini-campaign'] });
    });
  });

  describe('devKeyAuthenticator', () => {
    const app = appWith(devKeyAuthenticator(key, DEV_ISSUER, DEV_AUDIENCE));

    it('reads a bearer token from the Authorization header', async () => {
      const res = await app.request('/whoami', { headers: { authorization: `Bearer ${await adminToken()}` } });

      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ sub: 'mallory' });
    });

    it('answers 401 to another scheme, a token in the query or no header', async () => {
      const token = await adminToken();
      const requests: [string, RequestInit][] = [
        ['/whoami', { headers: { authorization: `Basic ${token}` } }],
        ['/whoami', { headers: { authorization: token } }],
        [`/whoami?access_token=${token}`, {}],
        ['/whoami', {}],
      ];

      for (const [path, init] of requests) expect((await app.request(path, init)).status, path).toBe(401);
    });
  });
});
