import * as z from 'zod/mini';
import '../zod-locale.js';
import { Audience, Code, Locale } from '../survey/primitives.js';

const AnswerValue = z.union([z.string(), z.number(), z.array(z.string())]);

/**
 * Body of `POST /api/v1/surveys/{surveyId}/responses`. Strict: an unknown key is an error.
 * `submissionId` is made by the client once per filled form, so a retry is recognised.
 * `invitation` is never stored: only its hash is looked up and marked used.
 */
export const SubmitRequest = z.strictObject({
  submissionId: z.uuid(),
  audience: Audience,
  channel: z.optional(Code),
  locale: z._default(Locale, 'de'),
  answers: z.record(z.string().check(z.maxLength(64)), z.unknown()),
  /** The plain token of a personal invitation: this submission uses it up (single use). */
  invitation: z.optional(z.string().check(z.maxLength(64))),
});
export type SubmitRequest = z.infer<typeof SubmitRequest>;

/** Dimension values of a response: the aggregate cell it counts in. Missing values are "_". */
export const Dimensions = z.strictObject({
  city: z.string(),
  age_band: z.string(),
  gender: z.string(),
  role: z.string(),
  business_size: z.string(),
  exposure: z.string(),
});
export type Dimensions = z.infer<typeof Dimensions>;

/** A stored response. Nothing here identifies a person: no IP, user agent, cookie or exact time. */
export const StoredResponse = z.strictObject({
  responseId: z.string().check(z.minLength(16)),
  surveyId: Code,
  surveyVersion: z.string(),
  waveId: Code,
  audience: Audience,
  dimensions: Dimensions,
  channel: z.string(),
  locale: Locale,
  consentVersion: z.string(),
  consentBy: z.enum(['self', 'guardian']),
  /** Day only (YYYY-MM-DD, UTC): coarse on purpose. */
  submittedOn: z.iso.date(),
  /** Hash of the normalised answers: tells a retry from a conflicting reuse of a submissionId. */
  fingerprint: z.string(),
  answers: z.record(z.string(), AnswerValue),
  /**
   * DynamoDB TTL (epoch seconds): when the table may delete this response (`shared/response/retention.ts`).
   * Absent only on responses stored before retention existed (`npm run admin -- retention apply` sets it).
   */
  expiresAt: z.optional(z.number().check(z.int(), z.positive())),
});
export type StoredResponse = z.infer<typeof StoredResponse>;

export const SubmitResult = z.strictObject({ responseId: z.string(), wave: Code });
export type SubmitResult = z.infer<typeof SubmitResult>;
