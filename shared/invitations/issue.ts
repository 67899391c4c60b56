import { createBatch, type InvitedAudience } from '../data/invitation-store.js';
import type { Db } from '../data/table.js';
import { AudienceNotFoundError } from '../errors.js';
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
  const { batchId, tokens } = await createBatch(db, { surveyId: definition.id, ...input });
  return { batchId, links: tokens.map((token) => invitationLink(baseUrl, token)) };
}
