import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteCommand, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeEndpointFile } from '../../local/endpoint-file.js';
import { readCells, totalOf, verifyAggregates } from '../../shared/data/aggregate-store.js';
import { createBatch } from '../../shared/data/invitation-store.js';
import { getResponse, responseKey, scanResponses } from '../../shared/data/response-store.js';
import { publishDefinition } from '../../shared/data/survey-store.js';
import { type Db, keys } from '../../shared/data/table.js';
import { tokenHash } from '../../shared/invitations/token.js';
import { expiresAtFor } from '../../shared/response/retention.js';
import { miniResponse, saveMini } from '../fixtures/mini-response.js';
import { miniSurvey } from '../fixtures/mini-survey.js';
import { runScript } from '../setup/run-script.js';
import { freshTable } from '../setup/table.js';

/** A free-text answer that must never reach the output. */
const PLANTED = 'Geheimnis-7f3a am Rathaus';

describe('npm run admin -- responses delete | retention apply', () => {
  let dir: string;
  let db: Db & { endpoint: string };
  const admin = (...args: string[]) => runScript('scripts/admin.ts', args, { RESONANZ_DATA_DIR: dir });

  async function count(): Promise<Record<string, number>> {
    const byWave: Record<string, number> = {};
    for await (const r of scanResponses(db, 'mini')) byWave[r.waveId] = (byWave[r.waveId] ?? 0) + 1;
    return byWave;
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'resonanz-responses-'));
    db = await freshTable();
    await mkdir(dir, { recursive: true });
    await writeEndpointFile(dir, { endpoint: db.endpoint, tableName: db.tableName, pid: process.pid, owner: 'start' });
    await publishDefinition(db, miniSurvey);
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses to delete without --confirm repeating the survey id, before opening the database', async () => {
    const nowhere = { RESONANZ_DATA_DIR: join(dir, 'nowhere') };
    for (const args of [
      ['responses', 'delete', '--survey', 'mini'],
      ['responses', 'delete', '--survey', 'mini', '--confirm', 'other'],
      ['responses', 'delete', '--survey', 'mini', '--wave', 'w0', '--confirm'],
    ]) {
      const out = await runScript('scripts/admin.ts', args, nowhere);
      expect(out.code, args.join(' ')).toBe(1);
      expect(out.stderr).toMatch(/--confirm mini|argument missing/);
      expect(out.stderr).not.toMatch(/\n\s+at /);
      expect(out.stdout).not.toContain('database:');
    }
    const help = await admin('--help');
    expect(help.stdout).toMatch(/^ {2}responses delete --survey ID \[--wave W\] --confirm ID\s+Deletes/m);
    expect(help.stdout).toMatch(/^ {2}retention apply --survey ID \[--invitations\]\s+Sets/m);
  }, 60_000);

  it("deletes a wave's responses, prints counts only and ends with drift 0; a second run deletes none", async () => {
    // Prepare
    for (let i = 0; i < 5; i++) await saveMini(db, miniResponse('w0', { seen_what: PLANTED, city: 'beta' }));
    for (let i = 0; i < 3; i++) await saveMini(db, miniResponse('w1', { seen_what: PLANTED }));

    // Act
    const first = await admin('responses', 'delete', '--survey', 'mini', '--wave', 'w0', '--confirm', 'mini');
    const second = await admin('responses', 'delete', '--survey', 'mini', '--wave', 'w0', '--confirm', 'mini');
    const unknownWave = await admin('responses', 'delete', '--survey', 'mini', '--wave', 'w9', '--confirm', 'mini');

    // Assess
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('w0: 5 deleted');
    expect(first.stdout).toMatch(/deleted 5 response\(s\); \d+ emptied aggregate item\(s\) removed/);
    expect(first.stdout).toContain('mini: aggregates match the responses (drift 0)');
    for (const out of [first, second]) {
      expect(out.stdout).not.toContain(PLANTED);
      expect(out.stdout).not.toContain('beta');
    }
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('deleted 0 response(s)');
    expect(await count()).toEqual({ w1: 3 });
    expect(await verifyAggregates(db, miniSurvey)).toEqual([]);
    expect(unknownWave.code).toBe(1);
    expect(unknownWave.stderr.trim()).toBe('"w9" is not a wave of mini (waves: w0, w1)');
  }, 120_000);

  it('back-fills expiresAt on responses stored before retention, then changes nothing', async () => {
    // Prepare: a response as stored before retention existed (no expiresAt).
    const old = miniResponse('w1', {}, '2026-02-10');
    await saveMini(db, old);
    await db.doc.send(
      new UpdateCommand({ TableName: db.tableName, Key: responseKey(old), UpdateExpression: 'REMOVE expiresAt' }),
    );
    expect((await getResponse(db, 'mini', old.responseId))?.expiresAt).toBeUndefined();

    // Act
    const first = await admin('retention', 'apply', '--survey', 'mini');
    const second = await admin('retention', 'apply', '--survey', 'mini');

    // Assess
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/mini: expiresAt set on 1 response\(s\), \d+ already right \(24 months/);
    expect((await getResponse(db, 'mini', old.responseId))?.expiresAt).toBe(expiresAtFor(miniSurvey, '2026-02-10'));
    expect(second.stdout).toContain('expiresAt set on 0 response(s)');
  }, 120_000);

  it('back-fills expiresAt on invitation tokens issued before retention, only for the survey named', async () => {
    // Prepare: tokens as issued before retention existed (no expiresAt), one batch with an expiry day.
    const issue = async (surveyId: string, expiresOn?: string) => {
      const { tokens } = await createBatch(db, {
        surveyId,
        audience: 'business',
        count: 2,
        ...(expiresOn ? { expiresOn } : {}),
        expiresAt: 1,
        now: new Date('2026-10-05T09:00:00Z'),
        randomBytes,
      });
      for (const token of tokens) {
        await db.doc.send(
          new UpdateCommand({
            TableName: db.tableName,
            Key: keys.invitation(tokenHash(token)),
            UpdateExpression: 'REMOVE expiresAt',
          }),
        );
      }
      return tokens;
    };
    const ttlOf = async (token: string) =>
      (await db.doc.send(new GetCommand({ TableName: db.tableName, Key: keys.invitation(tokenHash(token)) }))).Item
        ?.expiresAt;
    const withExpiry = await issue('mini', '2026-12-31');
    const without = await issue('mini');
    const foreign = await issue('other');

    // Act
    const first = await admin('retention', 'apply', '--survey', 'mini', '--invitations');
    const second = await admin('retention', 'apply', '--survey', 'mini', '--invitations');

    // Assess
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('mini: expiresAt set on 4 invitation token(s) that had none');
    expect(second.stdout).toContain('mini: expiresAt set on 0 invitation token(s) that had none');
    for (const t of withExpiry) expect(await ttlOf(t)).toBe(expiresAtFor(miniSurvey, '2026-12-31'));
    for (const t of without) expect(await ttlOf(t)).toBe(expiresAtFor(miniSurvey, '2026-10-05'));
    for (const t of foreign) expect(await ttlOf(t)).toBeUndefined();
  }, 120_000);

  it('verify reports responses gone by retention apart from drift', async () => {
    // Prepare: a response given long ago (its 24 months have passed by today), then deleted as TTL would.
    const expired = miniResponse('w1', {}, '2024-01-15');
    await saveMini(db, expired);
    await db.doc.send(new DeleteCommand({ TableName: db.tableName, Key: responseKey(expired) }));

    // Act
    const out = await admin('verify', '--survey', 'mini');
    const script = await runScript('scripts/verify.ts', ['--survey', 'mini'], { RESONANZ_DATA_DIR: dir });

    // Assess
    for (const run of [out, script]) {
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('retention w1: 1 response(s) past their retention are no longer stored');
      expect(run.stdout).toContain('mini: aggregates match the responses (drift 0)');
    }
  }, 120_000);

  it('verify names small cells past retention; retention pool pools them after --confirm, keeping n and drift 0', async () => {
    // Prepare: a second long-expired response in a cell of its own, deleted as TTL would.
    const expired = miniResponse('w1', { city: 'elsewhere' }, '2024-01-16');
    await saveMini(db, expired);
    await db.doc.send(new DeleteCommand({ TableName: db.tableName, Key: responseKey(expired) }));
    const nBefore = totalOf(await readCells(db, 'mini', 'w1', miniSurvey.settings.aggregateShards)).n;

    // Act
    const hinted = await admin('verify', '--survey', 'mini');
    const refused = await admin('retention', 'pool', '--survey', 'mini');
    const badK = await admin('retention', 'pool', '--survey', 'mini', '--k', 'ten', '--confirm', 'mini');
    const pooled = await admin('retention', 'pool', '--survey', 'mini', '--wave', 'w1', '--confirm', 'mini');
    const after = await admin('verify', '--survey', 'mini');

    // Assess
    expect(hinted.stdout).toMatch(/^retention w1: [1-9]\d* cell\(s\) of those responses count fewer than minCellSize/m);
    expect(hinted.stdout).toContain('"retention pool --survey mini --confirm mini" pools them');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('pooling cells cannot be undone: repeat the survey id as --confirm mini');
    expect(badK.code).toBe(1);
    expect(badK.stderr).toContain('--k must be a whole number from 1 to 9999, not "ten"');
    expect(pooled.code, pooled.stderr).toBe(0);
    expect(pooled.stdout).toMatch(/^ {2}w1: [1-9]\d* cell\(s\) pooled \(k = 10\)$/m);
    expect(pooled.stdout).toContain('mini: aggregates match the responses (drift 0)');
    expect(after.stdout).not.toContain('count fewer than minCellSize');
    expect(totalOf(await readCells(db, 'mini', 'w1', miniSurvey.settings.aggregateShards)).n).toBe(nBefore);
    const help = await admin('--help');
    expect(help.stdout).toMatch(/^ {2}retention pool --survey ID \[--wave W\] \[--k N\] --confirm ID\s+Pools/m);
  }, 120_000);
});
