import { randomBytes, randomUUID } from 'node:crypto';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { readCells, totalOf } from '../../shared/data/aggregate-store.js';
import {
  batchStats,
  classifyToken,
  createBatch,
  invitationConsumeItems,
  listBatches,
  moveLegacyBatches,
  revoke,
} from '../../shared/data/invitation-store.js';
import { scanResponses } from '../../shared/data/response-store.js';
import type { Db } from '../../shared/data/table.js';
import {
  InvitationAudienceMismatchError,
  InvitationExpiredError,
  InvitationNotFoundError,
  InvitationRevokedError,
  InvitationTokenMalformedError,
  InvitationUsedError,
} from '../../shared/errors.js';
import { newToken, tokenHash } from '../../shared/invitations/token.js';
import { expiresAtFor } from '../../shared/response/retention.js';
import { storeResponse } from '../../shared/response/submit.js';
import { moveBatchToLegacyPlace } from '../fixtures/legacy-batch.js';
import { miniAnswers, miniInvitedSurvey } from '../fixtures/mini-survey.js';
import { freshTable } from '../setup/table.js';

const survey = miniInvitedSurvey;

const CREATED = new Date('2026-11-18T08:00:00Z');
const SUBMITTED = new Date('2026-11-20T10:15:00Z');

async function scanAll(db: Db): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.doc.send(new ScanCommand({ TableName: db.tableName, ExclusiveStartKey: start }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

function store(
  db: Db,
  invitation: string | undefined,
  options: { submissionId?: string; now?: Date; audience?: 'public' | 'business'; answers?: object } = {},
) {
  return storeResponse(db, {
    definition: survey,
    audience: options.audience ?? 'business',
    waveId: 'w0',
    submissionId: options.submissionId ?? randomUUID(),
    channel: undefined,
    activeChannels: new Set<string>(),
    locale: 'de',
    answers: { ...miniAnswers, ...options.answers },
    now: options.now ?? SUBMITTED,
    invitation,
  });
}

async function batchOf(db: Db, count: number, expiresOn?: string) {
  return createBatch(db, {
    expiresAt: 2_000_000_000,
    surveyId: survey.id,
    audience: 'business',
    count,
    expiresOn,
    now: CREATED,
    randomBytes,
  });
}

describe('invitation-store', () => {
  let db: Db;

  beforeAll(async () => {
    db = await freshTable();
  });

  it('creates a batch of distinct tokens and stores none of them in plain form', async () => {
    // Act
    const { batchId, tokens } = await batchOf(db, 50);

    // Assess
    expect(tokens).toHaveLength(50);
    expect(new Set(tokens).size).toBe(50);
    const dump = JSON.stringify(await scanAll(db));
    for (const token of tokens) {
      expect(dump).not.toContain(token);
      expect(dump).toContain(tokenHash(token));
    }
    expect(await batchStats(db, survey.id, batchId, SUBMITTED)).toMatchObject({
      issued: 50,
      used: 0,
      revoked: 0,
      expired: 0,
      open: 50,
      createdOn: '2026-11-18',
    });
  });

  it('stores a response with a valid token and marks the token used', async () => {
    // Prepare
    const { batchId, tokens } = await batchOf(db, 3);
    const [token = ''] = tokens;
    expect((await classifyToken(db, survey.id, token, SUBMITTED)).status).toBe('valid');

    // Act
    const outcome = await store(db, token);

    // Assess
    expect(outcome.status).toBe('created');
    expect((await classifyToken(db, survey.id, token, SUBMITTED)).status).toBe('used');
    expect((await batchStats(db, survey.id, batchId, SUBMITTED)).used).toBe(1);
    await expect(store(db, token)).rejects.toThrow(InvitationUsedError);
  });

  it('replays a retried submission with its token instead of calling the token used', async () => {
    // Prepare
    const { batchId, tokens } = await batchOf(db, 2);
    const [token = '', other = ''] = tokens;
    const submissionId = randomUUID();
    const first = await store(db, token, { submissionId });

    // Act
    const retried = await store(db, token, { submissionId });
    const withOtherToken = await store(db, other, { submissionId });

    // Assess
    expect(retried).toEqual({ status: 'replayed', response: first.response });
    expect(withOtherToken.status).toBe('replayed');
    // A replay consumes nothing: the second token is still usable.
    expect((await classifyToken(db, survey.id, other, SUBMITTED)).status).toBe('valid');
    expect((await batchStats(db, survey.id, batchId, SUBMITTED)).used).toBe(1);
  });

  it('accepts exactly one of 20 concurrent submissions with one token', async () => {
    // Prepare: a table of its own, so the aggregate total counts only this test's responses.
    const own = await freshTable();
    const { batchId, tokens } = await createBatch(own, {
      expiresAt: 2_000_000_000,
      surveyId: survey.id,
      audience: 'business',
      count: 1,
      now: CREATED,
      randomBytes,
    });
    const [token = ''] = tokens;

    // Act
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => store(own, token)));

    // Assess
    const accepted = results.filter((r) => r.status === 'fulfilled');
    const rejected = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
    expect(accepted).toHaveLength(1);
    expect(rejected).toHaveLength(19);
    for (const reason of rejected) expect(reason).toBeInstanceOf(InvitationUsedError);
    let stored = 0;
    for await (const _ of scanResponses(own, survey.id)) stored++;
    expect(stored).toBe(1);
    expect(totalOf(await readCells(own, survey.id, 'w0', survey.settings.aggregateShards)).n).toBe(1);
    expect((await batchStats(own, survey.id, batchId, SUBMITTED)).used).toBe(1);
  }, 60_000);

  it('rejects an expired token, and accepts one on its last day', async () => {
    // Prepare
    const { tokens } = await batchOf(db, 2, '2026-11-19');
    const [token = '', other = ''] = tokens;

    // Act + Assess
    await expect(store(db, token)).rejects.toThrow(InvitationExpiredError);
    expect((await classifyToken(db, survey.id, token, SUBMITTED)).status).toBe('expired');
    expect((await store(db, other, { now: new Date('2026-11-19T23:59:00Z') })).status).toBe('created');
  });

  it('rejects a token revoked on its own and one of a revoked batch', async () => {
    // Prepare
    const single = await batchOf(db, 2);
    const whole = await batchOf(db, 2);
    const [singleToken = ''] = single.tokens;
    const [batchToken = ''] = whole.tokens;

    // Act
    expect(await revoke(db, survey.id, { tokenHash: tokenHash(singleToken) })).toBe(true);
    expect(await revoke(db, survey.id, { batchId: whole.batchId })).toBe(true);

    // Assess
    await expect(store(db, singleToken)).rejects.toThrow(InvitationRevokedError);
    await expect(store(db, batchToken)).rejects.toThrow(InvitationRevokedError);
    expect((await classifyToken(db, survey.id, batchToken, SUBMITTED)).status).toBe('revoked');
    // The other token of the first batch is untouched.
    expect((await classifyToken(db, survey.id, single.tokens[1] ?? '', SUBMITTED)).status).toBe('valid');
  });

  it('rejects an unknown token, a malformed one and one of another survey, each in its own way', async () => {
    // Prepare
    const foreign = await createBatch(db, {
      expiresAt: 2_000_000_000,
      surveyId: 'other',
      audience: 'business',
      count: 1,
      now: CREATED,
      randomBytes,
    });

    // Act + Assess
    await expect(store(db, newToken(randomBytes))).rejects.toThrow(InvitationNotFoundError);
    await expect(store(db, 'not-a-token')).rejects.toThrow(InvitationTokenMalformedError);
    await expect(store(db, foreign.tokens[0])).rejects.toSatisfy(
      (error) => error instanceof InvitationNotFoundError && error.otherSurvey,
    );
    expect((await classifyToken(db, survey.id, newToken(randomBytes), SUBMITTED)).status).toBe('unknown');
    expect((await classifyToken(db, survey.id, 'x', SUBMITTED)).status).toBe('malformed');
    expect((await classifyToken(db, survey.id, foreign.tokens[0] ?? '', SUBMITTED)).status).toBe('other-survey');
  });

  it('rejects a token used for another audience than it was issued for, without using it', async () => {
    // Prepare
    const { tokens } = await batchOf(db, 1);
    const [token = ''] = tokens;

    // Act + Assess
    await expect(store(db, token, { audience: 'public' })).rejects.toThrow(InvitationAudienceMismatchError);
    expect((await classifyToken(db, survey.id, token, SUBMITTED)).status).toBe('valid');
  });

  it('counts issued, used, revoked and expired tokens of a batch from counters alone', async () => {
    // Prepare: 6 tokens valid through 2026-11-21; 2 used, 1 revoked.
    const { batchId, tokens } = await batchOf(db, 6, '2026-11-21');
    const [a = '', b = '', c = ''] = tokens;
    await store(db, a);
    await store(db, b);
    expect(await revoke(db, survey.id, { tokenHash: tokenHash(c) })).toBe(true);
    // Revoking a used or an already revoked token changes nothing.
    expect(await revoke(db, survey.id, { tokenHash: tokenHash(a) })).toBe(false);
    expect(await revoke(db, survey.id, { tokenHash: tokenHash(c) })).toBe(false);

    // Act
    const onLastDay = await batchStats(db, survey.id, batchId, new Date('2026-11-21T12:00:00Z'));
    const afterExpiry = await batchStats(db, survey.id, batchId, new Date('2026-11-22T00:00:00Z'));
    await revoke(db, survey.id, { batchId });
    const afterRevocation = await batchStats(db, survey.id, batchId, new Date('2026-11-22T00:00:00Z'));

    // Assess
    expect(onLastDay).toMatchObject({ issued: 6, used: 2, revoked: 1, expired: 0, open: 3 });
    expect(afterExpiry).toMatchObject({ issued: 6, used: 2, revoked: 1, expired: 3, open: 0 });
    expect(afterRevocation).toMatchObject({ issued: 6, used: 2, revoked: 4, expired: 0, open: 0 });
    expect((await listBatches(db, survey.id, SUBMITTED)).map((s) => s.batchId)).toContain(batchId);
    await expect(batchStats(db, survey.id, 'nope', SUBMITTED)).rejects.toThrow(InvitationNotFoundError);
  });

  it('leaves nothing that links a used invitation to its response', async () => {
    // Prepare
    const own = await freshTable();
    const { batchId, tokens } = await createBatch(own, {
      // As `issueInvitations` sets it: the retention rule applied to the last usable day.
      expiresAt: expiresAtFor(survey, '2026-12-31'),
      surveyId: survey.id,
      audience: 'business',
      count: 3,
      expiresOn: '2026-12-31',
      now: CREATED,
      randomBytes,
    });
    const [token = ''] = tokens;
    const hash = tokenHash(token);

    // Act
    const { response } = await store(own, token);

    // Assess
    const items = await scanAll(own);
    const responseItem = items.find((i) => i.sk === response.responseId);
    const tokenItem = items.find((i) => i.pk === `INV#${hash}`);
    const batchItem = items.find((i) => i.pk === `INVBATCH#${survey.id}` && i.sk === batchId);
    if (!responseItem || !tokenItem || !batchItem) throw new Error('items missing from the scan');
    expect(tokenItem.used).toBe(true);

    const valuesOf = (item: Record<string, unknown>) => new Set(Object.values(item).map((v) => JSON.stringify(v)));
    const responseValues = valuesOf(responseItem);
    for (const item of [tokenItem, batchItem]) {
      for (const [name, value] of Object.entries(item)) {
        // Shared values would be keys to join on. (The survey id and audience are shared by design:
        // they say which survey and questionnaire, never which response.)
        if (name === 'surveyId' || name === 'audience' || name === 'pk') continue;
        expect(responseValues.has(JSON.stringify(value)), `${name} = ${String(value)}`).toBe(false);
        // No time finer than a day: no ISO date-time, no epoch number (but the TTL, checked below).
        if (typeof value === 'string') expect(value).not.toMatch(/\d{4}-\d\d-\d\dT|\d\d:\d\d/);
        if (typeof value === 'number' && name !== 'expiresAt') expect(value).toBeLessThan(1_000_000);
      }
    }
    // The TTL is an epoch number, but one fixed when the batch was issued, the same on every token
    // of the batch, used or not: it says nothing about when (or whether) a token was used.
    const tokenTtls = items.filter((i) => String(i.pk).startsWith('INV#')).map((i) => i.expiresAt);
    expect(tokenTtls).toEqual([
      expiresAtFor(survey, '2026-12-31'),
      expiresAtFor(survey, '2026-12-31'),
      expiresAtFor(survey, '2026-12-31'),
    ]);
    expect(batchItem.expiresAt).toBeUndefined();
    const responseDump = JSON.stringify(responseItem);
    for (const secret of [token, hash, batchId]) expect(responseDump).not.toContain(secret);
    expect(Object.keys(tokenItem).sort()).toEqual(
      ['audience', 'batchId', 'expiresAt', 'expiresOn', 'pk', 'sk', 'state', 'surveyId', 'used'].sort(),
    );
  });

  it('moves batches kept in the survey partition by earlier versions, so their links keep working', async () => {
    // Prepare: a fresh table with one batch, then its item put back where earlier versions kept it.
    const own = await freshTable();
    const { batchId, tokens } = await batchOf(own, 3);
    await store(own, tokens[0] ?? '');
    await moveBatchToLegacyPlace(own, survey.id, batchId);
    expect(await listBatches(own, survey.id, SUBMITTED)).toEqual([]);

    // Act
    const moved = await moveLegacyBatches(own, survey.id);
    const again = await moveLegacyBatches(own, survey.id);

    // Assess: the batch and its count are where they belong, nothing is left behind, and a link works.
    expect([moved, again]).toEqual([1, 0]);
    expect(await listBatches(own, survey.id, SUBMITTED)).toMatchObject([{ batchId, issued: 3, used: 1 }]);
    expect((await scanAll(own)).filter((i) => String(i.sk).startsWith('INVBATCH#'))).toEqual([]);
    expect((await store(own, tokens[1] ?? '')).status).toBe('created');
    expect((await batchStats(own, survey.id, batchId, SUBMITTED)).used).toBe(2);
  });

  it('builds the consume items for the response transaction from the token', async () => {
    // Prepare
    const { batchId, tokens } = await batchOf(db, 1);

    // Act
    const { items } = await invitationConsumeItems(db, survey.id, tokens[0] ?? '', SUBMITTED, 'business');

    // Assess
    expect(items).toHaveLength(2);
    expect(items[0]?.Update?.UpdateExpression).toBe('SET #used = :true');
    expect(items[1]?.Update?.Key).toEqual({ pk: `INVBATCH#${survey.id}`, sk: batchId });
    expect(JSON.stringify(items)).not.toContain(tokens[0]);
  });
});
