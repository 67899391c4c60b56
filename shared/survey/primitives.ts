import * as z from 'zod/mini';
import '../zod-locale.js';

/** The building blocks of survey definitions and responses (re-exported by schema.ts). */

/** Stable identifiers: what analysts and exports see, so they never change with wording. */
export const Code = z
  .string()
  .check(
    z.regex(/^[a-z][a-z0-9_-]{0,47}$/, 'use lower-case letters, digits, "_" or "-", starting with a letter (max 48)'),
  );
export type Code = z.infer<typeof Code>;

export const Locale = z.enum(['de', 'en']);
export type Locale = z.infer<typeof Locale>;

/** German first, English beside it: every text a respondent sees exists in both. */
export const Text = z.strictObject({ de: z.string().check(z.minLength(1)), en: z.string().check(z.minLength(1)) });
export type Text = z.infer<typeof Text>;

export const Audience = z.enum(['public', 'business', 'multiplier']);
export type Audience = z.infer<typeof Audience>;
