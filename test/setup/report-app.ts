import { randomBytes, randomUUID } from 'node:crypto';
import type { Role } from '../../functions/lib/auth.js';
import { devKeyAuthenticator } from '../../functions/lib/authenticate.js';
import { type Logger, silentLogger } from '../../functions/lib/logger.js';
import { createReportApp } from '../../functions/report/app.js';
import type { SignIn } from '../../functions/report/deps.js';
import { DEV_AUDIENCE, DEV_ISSUER, mintDevToken } from '../../local/dev-token.js';
import { createCatalog } from '../../shared/data/catalog.js';
import { createChannel } from '../../shared/data/channel-store.js';
import { createBatch } from '../../shared/data/invitation-store.js';
import type { Db } from '../../shared/data/table.js';
import { miniAnswers, miniSurvey } from '../fixtures/mini-survey.js';
import { jsonPost, respondAppWith } from './respond-app.js';

export const REPORT_SURVEY = miniSurvey.id;
export const REPORT_CAMPAIGN = miniSurvey.campaign.id;
/** A registered channel whose label tries to run a script: the pages must show it as text. */
export const PLANTED_LABEL = '<script>window.planted = 1</script><b>Schulnewsletter</b>';

/**
 * The mini survey with fieldwork to show, written through the respondent API: wave w0 gets 12
 * responses from the Alpha poster, 11 from a registered school channel in Beta and 3 without a
 * known channel (shown as "< 10"); plus one invitation batch of 5.
 */
export async function seedFieldwork(db: Db): Promise<void> {
  const { app: respond } = await respondAppWith(db, miniSurvey, 'w0');
  await createChannel(
    db,
    REPORT_SURVEY,
    { code: 'schule-beta', label: { de: PLANTED_LABEL, en: PLANTED_LABEL }, kind: 'school', city: 'beta' },
    new Date('2026-11-01T00:00:00Z'),
  );
  const answer = (channel: string, city: string) =>
    respond.request(
      `/api/v1/surveys/${REPORT_SURVEY}/responses`,
      jsonPost({ submissionId: randomUUID(), audience: 'public', channel, answers: { ...miniAnswers, city } }),
    );
  const plan: [string, string, number][] = [
    ['plakat-alpha', 'alpha', 12],
    ['schule-beta', 'beta', 11],
    ['not-a-channel', 'elsewhere', 3],
  ];
  for (const [channel, city, count] of plan) {
    for (let i = 0; i < count; i++) {
      const res = await answer(channel, city);
      if (res.status !== 201) throw new Error(`seeding failed: ${res.status} ${await res.text()}`);
    }
  }
  await createBatch(db, {
    expiresAt: 2_000_000_000,
    surveyId: REPORT_SURVEY,
    audience: 'business',
    count: 5,
    now: new Date(),
    randomBytes,
  });
}

/** The report app on `db` with a throwaway dev key, and a way to mint tokens it accepts. */
export function reportAppWith(db: Db, signIn: SignIn = { mode: 'token' }, logger: Logger = silentLogger) {
  const key = new Uint8Array(randomBytes(32));
  const app = createReportApp({
    db,
    catalog: createCatalog(db, { ttlMs: 0 }),
    logger,
    now: () => new Date('2026-11-20T12:00:00Z'),
    authenticate: devKeyAuthenticator(key, DEV_ISSUER, DEV_AUDIENCE),
    signIn,
  });
  const token = (roles: Role[], campaigns: string[] = [REPORT_CAMPAIGN]) =>
    mintDevToken({ sub: 'lead@example.org', roles, campaigns }, key, { ttl: '1h' });
  return { app, key, token };
}
