import { createHash } from 'node:crypto';
import type { AudienceDefinition, Dimension, SurveyDefinition } from '../survey/schema.js';
import type { Answers } from '../survey/visibility.js';
import { expiresAtFor } from './retention.js';
import type { Dimensions, StoredResponse } from './schema.js';

export const UNKNOWN_CHANNEL = 'unknown';
export const MISSING = '_';

/**
 * The response id is derived from the survey and the client's submissionId, so every retry of a
 * submission maps to the same item and the conditional put rejects it. The submissionId itself is
 * not stored.
 */
export function responseIdFor(surveyId: string, submissionId: string): string {
  return createHash('sha256').update(`${surveyId}\u0000${submissionId.toLowerCase()}`).digest('base64url').slice(0, 22);
}

/** Stable JSON with sorted keys, so equal answers hash equally whatever order they came in. */
function canonical(answers: Answers): string {
  return JSON.stringify(
    Object.keys(answers)
      .sort()
      .map((k) => [k, answers[k]]),
  );
}

export function fingerprintOf(audience: string, answers: Answers): string {
  return createHash('sha256')
    .update(`${audience}\u0000${canonical(answers)}`)
    .digest('base64url')
    .slice(0, 22);
}

export function dimensionsOf(audience: AudienceDefinition, answers: Answers): Dimensions {
  const dims: Record<Dimension, string> = {
    city: MISSING,
    age_band: MISSING,
    gender: MISSING,
    role: MISSING,
    business_size: MISSING,
    exposure: MISSING,
  };
  for (const section of audience.sections) {
    for (const q of section.questions) {
      const value = answers[q.id];
      if (q.dimension && value !== undefined && !Array.isArray(value)) dims[q.dimension] = String(value);
    }
  }
  return dims;
}

/**
 * Only active channels of the survey reach the data (see `activeChannelCodes`): any other code
 * could be a personal code put into a link, or a channel an admin has disabled.
 */
export function recordedChannel(activeCodes: ReadonlySet<string>, channel: string | undefined): string {
  return channel !== undefined && activeCodes.has(channel) ? channel : UNKNOWN_CHANNEL;
}

export interface BuildInput {
  definition: SurveyDefinition;
  audience: keyof SurveyDefinition['audiences'];
  waveId: string;
  submissionId: string;
  /** As given in the link; recorded only if it is in `activeChannels`, otherwise as "unknown". */
  channel: string | undefined;
  /** The survey's active channel codes (file-declared and registered, see `activeChannelCodes`). */
  activeChannels: ReadonlySet<string>;
  locale: 'de' | 'en';
  answers: Answers;
  /** The moment of submission; only its UTC day is kept. */
  now: Date;
}

export function buildResponse(input: BuildInput): StoredResponse {
  const spec = input.definition.audiences[input.audience];
  if (!spec) throw new Error(`audience ${input.audience} is not part of ${input.definition.id}`);
  const consent = spec.sections[0]?.questions[0];
  if (consent?.type !== 'consent') throw new Error('definition without consent question');
  const consentBy = input.answers[consent.id];
  if (consentBy !== 'self' && consentBy !== 'guardian') throw new Error('response without consent');
  const submittedOn = input.now.toISOString().slice(0, 10);
  return {
    responseId: responseIdFor(input.definition.id, input.submissionId),
    surveyId: input.definition.id,
    surveyVersion: input.definition.version,
    waveId: input.waveId,
    audience: input.audience,
    dimensions: dimensionsOf(spec, input.answers),
    channel: recordedChannel(input.activeChannels, input.channel),
    locale: input.locale,
    consentVersion: consent.version,
    consentBy,
    submittedOn,
    fingerprint: fingerprintOf(input.audience, input.answers),
    answers: input.answers,
    expiresAt: expiresAtFor(input.definition, submittedOn),
  };
}
