import { createBatch, type InvitedAudience } from '../data/invitation-store.js';
import type { Db } from '../data/table.js';
import { AudienceNotFoundError } from '../errors.js';
import { expiresAtFor } from '../response/retention.js';
import type { SurveyDefinition } from '../survey/schema.js';
import type { RandomBytes } from './token.js';

export interface IssueInput {
  audience: InvitedAudience;
  count: number;
  expiresOn?: string;
  now: Date;
  randomBytes: RandomBytes;
}

/** The personal link of a token; the respondent side answers it at `/i/{token}`. */
export function invitationLink(baseUrl: string, token: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/i/${token}`;
}

/**
 * A new batch of invitations for an audience the survey has, as links. The links are the only
 * plain form of the tokens: callers hand them out once and never log them.
 */
export async function issueInvitations(
  db: Db,
  definition: SurveyDefinition,
  baseUrl: string,
  input: IssueInput,
): Promise<{ batchId: string; links: string[] }> {
  if (!definition.audiences[input.audience]) throw new AudienceNotFoundError(definition.id, input.audience);
  // A token item is kept as long as a response would be that was given on its last usable day
  // (or, for a token without an expiry, on the day it was issued).
  const day = input.expiresOn ?? input.now.toISOString().slice(0, 10);
  const expiresAt = expiresAtFor(definition, day);
  const { batchId, tokens } = await createBatch(db, { surveyId: definition.id, ...input, expiresAt });
  return { batchId, links: tokens.map((token) => invitationLink(baseUrl, token)) };
}
