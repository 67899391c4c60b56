import * as z from 'zod/mini';
import '../zod-locale.js';
import { Channel } from '../survey/schema.js';

const Day = z.iso.date();

export const ChannelState = z.enum(['active', 'disabled']);
export type ChannelState = z.infer<typeof ChannelState>;

/**
 * A channel registered by an admin after the survey file was published (a new poster site, a
 * mailing). Registered channels are never deleted, only disabled: responses keep their code.
 */
export const RegisteredChannel = z.extend(Channel, {
  state: ChannelState,
  createdOn: Day,
  disabledOn: z.optional(Day),
});
export type RegisteredChannel = z.infer<typeof RegisteredChannel>;

/** One row of a survey's channel list: declared in the survey file, registered, or both. */
export const SurveyChannel = z.extend(Channel, {
  state: ChannelState,
  source: z.enum(['file', 'registry']),
  createdOn: z.optional(Day),
  disabledOn: z.optional(Day),
});
export type SurveyChannel = z.infer<typeof SurveyChannel>;
