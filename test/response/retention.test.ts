import { randomBytes } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { contributionOf } from '../../shared/aggregate/contribution.js';
import { queryAll } from '../../shared/data/query.js';
import { getResponse, saveResponse } from '../../shared/data/response-store.js';
import { publishDefinition } from '../../shared/data/survey-store.js';
import { type Db, keys } from '../../shared/data/table.js';
import { issueInvitations } from '../../shared/invitations/issue.js';
import { tokenHash } from '../../shared/invitations/token.js';
import { addMonths, expiresAtFor } from '../../shared/response/retention.js';
import type { SurveyDefinition } from '../../shared/survey/schema.js';
import { validateDefinition } from '../../shared/survey/validate.js';
import { miniResponse } from '../fixtures/mini-response.js';
import { miniSurvey, miniSurveyInput } from '../fixtures/mini-survey.js';
import { freshTable } from '../setup/table.js';

const epoch = (iso: string) => Date.parse(iso) / 1000;

function definitionWith(changes: Record<string, unknown>): SurveyDefinition {
  const result = validateDefinition({ ...miniSurveyInput, ...changes });
  if (!result.ok) throw new Error(`fixture invalid: ${JSON.stringify(result.issues)}`);
  return result.definition;
}

/** Both waves scheduled in the file, the last closing at a timestamp; kept 6 months; a business audience. */
const scheduled = definitionWith({
  id: 'mini-scheduled',
  waves: [
    { ...miniSurveyInput.waves[0], closes: '2027-01-31' },
    { ...miniSurveyInput.waves[1], opens: '2027-05-01', closes: '2027-06-30T18:00:00+02:00' },
  ],
  settings: { ...miniSurveyInput.settings, retention: { months: 6 } },
  audiences: { ...miniSurveyInput.audiences, business: miniSurveyInput.audiences.public },
});

describe('retention', () => {
  describe('expiresAtFor', () => {
    it('counts 24 months from the end of the submission day when no wave declares an end', () => {
      expect(expiresAtFor(miniSurvey, '2026-05-01')).toBe(epoch('2028-05-02T00:00:00Z'));
      expect(expiresAtFor(miniSurvey, '2026-12-31')).toBe(epoch('2029-01-01T00:00:00Z'));
    });

    it('counts from the last declared wave close, or from a later submission day', () => {
      // 2027-06-30T18:00+02:00 is 16:00 UTC; six months later.
      expect(expiresAtFor(scheduled, '2026-05-01')).toBe(epoch('2027-12-30T16:00:00Z'));
      expect(expiresAtFor(scheduled, '2027-06-29')).toBe(epoch('2027-12-30T16:00:00Z'));
      // Only the day is stored: a response of the closing day counts from that day's end (the later).
      expect(expiresAtFor(scheduled, '2027-06-30')).toBe(epoch('2028-01-01T00:00:00Z'));
      // Answered after the declared close (an admin kept the wave open): never less than 6 months.
      expect(expiresAtFor(scheduled, '2027-08-15')).toBe(epoch('2028-02-16T00:00:00Z'));
    });

    it('takes the latest close of any wave, whatever their order, and a date-only close through that day', () => {
      const reversed = definitionWith({
        waves: [
          { ...miniSurveyInput.waves[0], closes: '2027-08-30' },
          { ...miniSurveyInput.waves[1], closes: '2027-03-01' },
        ],
        settings: { ...miniSurveyInput.settings, retention: { months: 6 } },
      });
      // End of 2027-08-30 is 2027-08-31T00:00Z; six months on, February has no 31st: its last day.
      expect(expiresAtFor(reversed, '2026-05-01')).toBe(epoch('2028-02-29T00:00:00Z'));
    });

    it('adds calendar months, keeping the time of day', () => {
      expect(addMonths(Date.parse('2026-01-31T12:30:00Z'), 1)).toBe(Date.parse('2026-02-28T12:30:00Z'));
      expect(addMonths(Date.parse('2026-11-15T00:00:00Z'), 24)).toBe(Date.parse('2028-11-15T00:00:00Z'));
    });
  });

  describe('settings.retention', () => {
    it('accepts 1 to 120 whole months and nothing else', () => {
      for (const months of [0, 121, 2.5, -1]) {
        const result = validateDefinition({
          ...miniSurveyInput,
          settings: { ...miniSurveyInput.settings, retention: { months } },
        });
        expect(result.ok, `months ${months}`).toBe(false);
        if (!result.ok) expect(result.issues.map((i) => i.path)).toContain('settings.retention.months');
      }
      const unknownKey = validateDefinition({
        ...miniSurveyInput,
        settings: { ...miniSurveyInput.settings, retention: { months: 12, days: 3 } },
      });
      expect(unknownKey.ok).toBe(false);
    });

    it('fills in no default, so definitions published before it keep their digest', () => {
      expect(miniSurvey.settings.retention).toBeUndefined();
      expect(expiresAtFor(miniSurvey, '2026-05-01')).toBe(expiresAtFor(definitionWith({}), '2026-05-01'));
    });
  });

  describe('stored items', () => {
    let db: Db;

    beforeAll(async () => {
      db = await freshTable();
      await publishDefinition(db, miniSurvey);
      await publishDefinition(db, scheduled);
    });

    async function store(definition: SurveyDefinition, waveId: string, day: string) {
      const response = miniResponse(waveId, {}, day, definition);
      await saveResponse(db, response, contributionOf(definition, response), definition.settings.aggregateShards);
      return getResponse(db, definition.id, response.responseId);
    }

    it('gives every stored response the TTL of its survey and day', async () => {
      // Act
      const unscheduled = await store(miniSurvey, 'w0', '2026-05-01');
      const inWindow = await store(scheduled, 'w1', '2027-06-02');
      const late = await store(scheduled, 'w1', '2027-08-15');

      // Assess
      expect(unscheduled?.expiresAt).toBe(epoch('2028-05-02T00:00:00Z'));
      expect(inWindow?.expiresAt).toBe(epoch('2027-12-30T16:00:00Z'));
      expect(late?.expiresAt).toBe(epoch('2028-02-16T00:00:00Z'));
    });

    it('gives aggregate cells no TTL: they are kept when responses go', async () => {
      const stored = await store(miniSurvey, 'w0', '2026-05-03');
      if (!stored) throw new Error('not stored');
      const shards = miniSurvey.settings.aggregateShards;
      const pages = await Promise.all(
        Array.from({ length: shards }, (_, s) => queryAll(db, keys.aggregatePartition('mini', 'w0', s))),
      );
      const Items = pages.flat();
      expect(Items.length).toBeGreaterThan(0);
      for (const item of Items) expect(item.expiresAt).toBeUndefined();
    });

    it('gives invitation tokens the TTL of their last usable day, or of the day they were issued', async () => {
      // Act
      const withExpiry = await issueInvitations(db, scheduled, 'https://x.test', {
        audience: 'business',
        count: 2,
        expiresOn: '2027-09-30',
        now: new Date('2027-05-10T08:00:00Z'),
        randomBytes,
      });
      const without = await issueInvitations(db, scheduled, 'https://x.test', {
        audience: 'business',
        count: 1,
        now: new Date('2027-05-10T08:00:00Z'),
        randomBytes,
      });

      // Assess
      const itemOf = async (link: string) => {
        const token = link.split('/i/')[1] ?? '';
        const out = await db.doc.send(
          new GetCommand({ TableName: db.tableName, Key: keys.invitation(tokenHash(token)) }),
        );
        return out.Item ?? {};
      };
      for (const link of withExpiry.links) {
        expect((await itemOf(link)).expiresAt).toBe(epoch('2028-04-01T00:00:00Z'));
      }
      // Issued before the last declared close: kept 6 months after it, like the responses.
      expect((await itemOf(without.links[0] ?? '')).expiresAt).toBe(epoch('2027-12-30T16:00:00Z'));
      const batch = await db.doc.send(
        new GetCommand({ TableName: db.tableName, Key: keys.invitationBatch(scheduled.id, withExpiry.batchId) }),
      );
      expect(batch.Item?.issued).toBe(2);
      expect(batch.Item?.expiresAt).toBeUndefined();
    });
  });
});
