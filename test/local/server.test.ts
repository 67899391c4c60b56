import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../functions/routes.js';
import { DEV_AUDIENCE, DEV_ISSUER, mintDevToken } from '../../local/dev-token.js';
import { createLocalApp } from '../../local/server.js';
import { publishDefinition, setWaveState } from '../../shared/data/survey-store.js';
import { miniSurvey } from '../fixtures/mini-survey.js';
import { localRuntime } from '../setup/local-runtime.js';
import { freshTable } from '../setup/table.js';

describe('createLocalApp', () => {
  const devKey = new Uint8Array(randomBytes(32));
  let app: ReturnType<typeof createLocalApp>;

  beforeAll(async () => {
    const db = await freshTable();
    await publishDefinition(db, miniSurvey);
    await setWaveState(db, 'mini', { waveId: 'w0', state: 'open' });
    app = createLocalApp(localRuntime(db), { devKey, exportDir: mkdtempSync(join(tmpdir(), 'resonanz-exports-')) });
  });

  it('serves the API reference of each function at the path the route table gives it, without a token', async () => {
    const titles: Record<string, string> = {
      '/api/v1/admin/openapi.json': 'Resonanz admin API',
      '/api/v1/reports/openapi.json': 'Resonanz report API',
      '/api/v1/exports/openapi.json': 'Resonanz export API',
      '/api/v1/openapi.json': 'Resonanz API',
    };
    for (const [path, title] of Object.entries(titles)) {
      const res = await app.request(path);
      expect(res.status, path).toBe(200);
      expect(((await res.json()) as { info: { title: string } }).info.title, path).toBe(title);
    }
    // Every public route of the table that is a fixed path answers locally as in AWS.
    for (const route of ROUTES.filter((r) => r.auth === 'public' && r.path.endsWith('openapi.json')))
      expect(titles[route.path], route.path).toBeDefined();
  });

  it('routes the export paths to the export app, which wants a token', async () => {
    const res = await app.request('/api/v1/surveys/mini/exports', { method: 'POST' });
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
  });

  it('routes admin paths to the admin app, which wants a dev token', async () => {
    const path = '/api/v1/admin/surveys/mini/waves';
    expect((await app.request(path)).status).toBe(401);
    const token = await mintDevToken({ sub: 'dev', roles: ['admin'], campaigns: ['*'] }, devKey, {
      ttl: '5m',
      issuer: DEV_ISSUER,
      audience: DEV_AUDIENCE,
    });
    const res = await app.request(path, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
  });

  it('routes the fieldwork report to the report app, which wants a token too', async () => {
    const res = await app.request('/api/v1/surveys/mini/fieldwork');
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('routes everything else to the respondent app', async () => {
    expect((await app.request('/api/v1/surveys/mini')).status).toBe(200);
    expect((await app.request('/s/mini/public')).headers.get('content-type')).toContain('text/html');
  });
});
