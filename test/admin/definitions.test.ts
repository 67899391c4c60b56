import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { createAdminApp } from '../../functions/admin/app.js';
import { devKeyAuthenticator } from '../../functions/lib/authenticate.js';
import { silentLogger } from '../../functions/lib/logger.js';
import { DEV_AUDIENCE, DEV_ISSUER, mintDevToken } from '../../local/dev-token.js';
import { createCatalog } from '../../shared/data/catalog.js';
import { ensureRetention } from '../../shared/data/response-retention.js';
import { getDefinition, publishDefinition } from '../../shared/data/survey-store.js';
import type { Db } from '../../shared/data/table.js';
import { validateDefinition } from '../../shared/survey/validate.js';
import { miniSurveyInput } from '../fixtures/mini-survey.js';
import { adminAppWith, bearer } from '../setup/admin-app.js';
import { freshTable } from '../setup/table.js';

const CAMPAIGN = miniSurveyInput.campaign.id;
const PATH = '/api/v1/admin/surveys/mini/definitions';

/** The mini survey as a file, with changes. */
const file = (changes: Record<string, unknown> = {}) => stringify({ ...miniSurveyInput, ...changes });
const yamlPost = (body: string, type = 'application/yaml'): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': type },
  body,
});

/** Version 2: one more image question for the public, and a new wording of seen_ads. */
function withChanges() {
  type Loose = { public: { sections: { id: string; questions: Record<string, unknown>[] }[] } };
  const audiences = structuredClone(miniSurveyInput.audiences) as unknown as Loose;
  const image = audiences.public.sections.find((s) => s.id === 'image');
  image?.questions.push({
    id: 'img_fair',
    type: 'likert',
    label: { de: 'fair', en: 'fair' },
    indicator: 'image_index',
  });
  const recall = audiences.public.sections.find((s) => s.id === 'recall');
  const seen = recall?.questions.find((q) => q.id === 'seen_ads');
  if (seen) seen.label = { de: 'Haben Sie Werbung gesehen?', en: 'Have you seen ads?' };
  return { version: '2', audiences };
}

describe('admin survey files API (POST /api/v1/admin/surveys/{id}/definitions)', () => {
  let db: Db;
  let admin: ReturnType<typeof adminAppWith>;
  let token: string;
  const post = (body: string, query = '', type = 'application/yaml', t = token) =>
    admin.app.request(`${PATH}${query}`, bearer(t, yamlPost(body, type)));

  beforeAll(async () => {
    db = await freshTable();
    const parsed = validateDefinition(miniSurveyInput);
    if (!parsed.ok) throw new Error('mini survey invalid');
    await publishDefinition(db, parsed.definition);
    await ensureRetention(db, parsed.definition);
    admin = adminAppWith(db, createCatalog(db, { ttlMs: 0 }));
    token = await admin.token(['admin'], [CAMPAIGN]);
  });

  it('answers 401 without a token, 403 to a lead and to an admin of another campaign, before reading the file', async () => {
    expect((await admin.app.request(PATH, yamlPost(file()))).status).toBe(401);
    const lead = await admin.token(['lead'], [CAMPAIGN]);
    const other = await admin.token(['admin'], ['another-campaign']);
    for (const t of [lead, other]) {
      const res = await post('not: [valid', '', 'application/yaml', t);
      expect(res.status).toBe(403);
      expect(await res.json()).not.toHaveProperty('problems');
    }
  });

  it('lists every problem of a file with its path and line', async () => {
    const text = file({ version: 'x' }).replace('type: likert', 'type: likertt');
    const res = await post(text);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const body = (await res.json()) as { problems: { path: string; line: number; message: string }[] };
    const lines = text.split('\n');
    const lineOf = (needle: string) => lines.findIndex((l) => l.includes(needle)) + 1;
    expect(body.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'version', line: lineOf('version: x') }),
        expect.objectContaining({
          path: expect.stringMatching(/^audiences\.public\.sections\[\d\]\.questions\[\d\]\.type$/),
          line: lineOf('type: likertt'),
        }),
      ]),
    );
  });

  it('gives a YAML syntax error its line, and refuses a file of another survey at its id line', async () => {
    const broken = await post('id: mini\nversion: "2"\ntitle: [unclosed\n');
    expect(broken.status).toBe(400);
    const syntax = (await broken.json()) as { problems: { line: number }[] };
    expect(syntax.problems[0]?.line).toBeGreaterThanOrEqual(3);
    const other = file({ id: 'maxi' });
    const res = await post(other);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      problems: [{ path: 'id', line: other.split('\n').findIndex((l) => l.startsWith('id: maxi')) + 1 }],
    });
  });

  it('checks without publishing (dryRun): what changed against the published version', async () => {
    const res = await post(file(withChanges()), '?dryRun=true');
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({
      surveyId: 'mini',
      version: '2',
      outcome: 'new-version',
      dryRun: true,
      published: false,
      changes: {
        from: '1',
        to: '2',
        questions: {
          added: [{ audience: 'public', id: 'img_fair' }],
          removed: [],
          changed: [{ audience: 'public', id: 'seen_ads', what: ['text'] }],
        },
      },
    });
    expect((await getDefinition(db, 'mini')).version).toBe('1');
  });

  it('publishes a new version (201), then answers 200 for the same file again and 409 for other content under it', async () => {
    const res = await post(file(withChanges()));
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ outcome: 'new-version', published: true, retention: { pending: false } });
    expect((await getDefinition(db, 'mini')).version).toBe('2');
    const again = await post(file(withChanges()));
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ outcome: 'unchanged', published: false });
    const changed = await post(file({ ...withChanges(), title: { de: 'Anders', en: 'Other' } }));
    expect(changed.status).toBe(409);
    expect(await changed.json()).toMatchObject({ type: expect.stringContaining('version-conflict') });
  });

  it('goes back to an earlier version only when asked (makeCurrent=true)', async () => {
    const refused = await post(file());
    expect(refused.status).toBe(409);
    expect(await refused.json()).toMatchObject({ type: expect.stringContaining('earlier-version') });
    expect((await getDefinition(db, 'mini')).version).toBe('2');
    const back = await post(file(), '?makeCurrent=true');
    expect(back.status).toBe(201);
    expect((await getDefinition(db, 'mini')).version).toBe('1');
  });

  it('refuses a change of aggregateShards', async () => {
    const res = await post(file({ version: '3', settings: { ...miniSurveyInput.settings, aggregateShards: 8 } }));
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ type: expect.stringContaining('shards-changed') });
  });

  it('says when stored responses still carry the earlier retention rule, and applies it where it can', async () => {
    const settings = { ...miniSurveyInput.settings, retention: { months: 12 } };
    const dry = await post(file({ version: '4', settings }), '?dryRun=true');
    expect(await dry.json()).toMatchObject({
      changes: { settings: ['retention'] },
      retention: { rule: "12 months after each response's day", before: "24 months after each response's day" },
    });
    const res = await post(file({ version: '4', settings }));
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ retention: { pending: true } });

    // With a way to apply it (locally), the responses get the rule at once.
    const key = new Uint8Array(randomBytes(32));
    const applied: string[] = [];
    const local = createAdminApp({
      db,
      catalog: createCatalog(db, { ttlMs: 0 }),
      logger: silentLogger,
      now: () => new Date(),
      authenticate: devKeyAuthenticator(key, DEV_ISSUER, DEV_AUDIENCE),
      applyRetention: async (definition) => {
        applied.push(definition.version);
        await ensureRetention(db, definition);
      },
    });
    const localToken = await mintDevToken({ sub: 'a', roles: ['admin'], campaigns: [CAMPAIGN] }, key, { ttl: '1h' });
    const next = { ...miniSurveyInput.settings, retention: { months: 6 } };
    const done = await local.request(PATH, bearer(localToken, yamlPost(file({ version: '5', settings: next }))));
    expect(done.status).toBe(201);
    expect(await done.json()).toMatchObject({ retention: { pending: false } });
    expect(applied).toEqual(['5']);
  });

  it('publishes a new survey for an admin of the campaign the file names, and no one else', async () => {
    const other = await admin.token(['admin'], ['another-campaign']);
    const text = file({ id: 'mini-new' });
    const path = '/api/v1/admin/surveys/mini-new/definitions';
    const denied = await admin.app.request(path, bearer(other, yamlPost(text)));
    expect(denied.status).toBe(403);
    const res = await admin.app.request(path, bearer(token, yamlPost(text)));
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ outcome: 'new', changes: { from: null } });
    expect((await getDefinition(db, 'mini-new')).campaign.id).toBe(CAMPAIGN);
  });

  it('takes a 300 KB file but refuses one over 512 KiB (413), and any body that is not YAML or JSON (415)', async () => {
    const padded = `${file({ version: '9' })}\n${'# comment line to make a large file\n'.repeat(8000)}`;
    expect(padded.length).toBeGreaterThan(280_000);
    const big = await post(padded, '?dryRun=true');
    expect(big.status).toBe(200);
    const huge = await post(`${file()}\n${'#'.repeat(600 * 1024)}`, '?dryRun=true');
    expect(huge.status).toBe(413);
    const form = await post('id=mini', '?dryRun=true', 'application/x-www-form-urlencoded');
    expect(form.status).toBe(415);
    const json = await post(JSON.stringify({ ...miniSurveyInput, version: '9' }), '?dryRun=true', 'application/json');
    expect(json.status).toBe(200);
  });

  it('reads no file of a new survey for someone who is no admin at all (a large file costs time)', async () => {
    for (const roles of [['lead'], ['evaluator']] as const) {
      const t = await admin.token([...roles], ['*']);
      const res = await admin.app.request(
        '/api/v1/admin/surveys/brand-new/definitions?dryRun=true',
        bearer(t, yamlPost(Array.from({ length: 20_000 }, (_, i) => `k${i}: 0`).join('\n'))),
      );
      expect(res.status).toBe(403);
    }
  });

  it('lets the console raise the protection but not lower it: minCellSize, k, period, quasi-identifiers', async () => {
    const current = await getDefinition(db, 'mini');
    const settings = { ...miniSurveyInput.settings };
    const lower = [
      [{ ...settings, minCellSize: 5 }, 'settings.minCellSize'],
      [{ ...settings, export: { k: 3 } }, 'settings.export.k'],
    ] as const;
    for (const [next, path] of lower) {
      const text = file({ version: '50', settings: next });
      const res = await post(text, '?dryRun=true');
      expect(res.status).toBe(400);
      const body = (await res.json()) as { problems: { path: string; message: string; line?: number }[] };
      expect(body.problems).toEqual([
        expect.objectContaining({ path, message: expect.stringContaining('needs the operator') }),
      ]);
      expect(body.problems[0]?.line).toBeGreaterThan(1);
    }
    const raised = await post(
      file({ version: '50', settings: { ...settings, minCellSize: 15, export: { k: 8 } } }),
      '?dryRun=true',
    );
    expect(raised.status).toBe(200);
    // A new survey gets at least the defaults through the console.
    const fresh = await post(file({ id: 'mini-lax', settings: { ...settings, minCellSize: 3 } }), '?dryRun=true');
    expect(fresh.status).toBe(400);
    expect((await getDefinition(db, 'mini')).version).toBe(current.version);
  });

  it('refuses a survey that could not be stored as one item (aliases expanded), before anything is written', async () => {
    // One long title, written once and repeated by aliases (yaml writes a shared object as &a1 / *a1).
    const long = { de: 'x'.repeat(90_000), en: 'y'.repeat(90_000) };
    const input = structuredClone(miniSurveyInput) as unknown as {
      title: unknown;
      audiences: { public: { title: unknown; sections: { title: unknown }[] } };
    };
    input.title = long;
    input.audiences.public.title = long;
    for (const section of input.audiences.public.sections) section.title = long;
    const text = stringify({ ...input, version: '60' });
    expect(text.length).toBeLessThan(512 * 1024);
    expect(text).toContain('*a1');
    const res = await post(text, '?dryRun=true');
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      problems: [{ path: '(file)', message: expect.stringContaining('at most 350 KB can be stored') }],
    });
  });

  it('answers hostile YAML (alias bomb, deep nesting) with 400 and a reason, quickly', async () => {
    const bomb = [
      'a: &a ["x","x","x","x","x","x","x","x","x"]',
      ...Array.from({ length: 9 }, (_, i) => {
        const [self, prev] = [String.fromCharCode(98 + i), String.fromCharCode(97 + i)];
        return `${self}: &${self} [${Array(9).fill(`*${prev}`).join(',')}]`;
      }),
    ].join('\n');
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    for (const [text, reason] of [
      [bomb, /aliases/],
      [deep, /nested too deeply/],
    ] as const) {
      const res = await post(text, '?dryRun=true');
      expect(res.status).toBe(400);
      const body = (await res.json()) as { problems: { message: string }[] };
      expect(body.problems.map((p) => p.message).join(' ')).toMatch(reason);
    }
  });
});
