import * as z from 'zod';
import { Channel } from '../survey/schema.js';

const Day = z.iso.date();

export const ChannelState = z.enum(['active', 'disabled']);
export type ChannelState = z.infer<typeof ChannelState>;

/**
 * A channel registered by an admin after the survey file was published (a new poster site, a
 * mailing). Registered channels are never deleted, only disabled: responses keep their code.
 */
export const RegisteredChannel = Channel.extend({
  state: ChannelState,
  createdOn: Day,
  disabledOn: Day.optional(),
});
export type RegisteredChannel = z.infer<typeof RegisteredChannel>;

/** One row of a survey's channel list: declared in the survey file, registered, or both. */
export const SurveyChannel = Channel.extend({
  state: ChannelState,
  source: z.enum(['file', 'registry']),
  createdOn: Day.optional(),
  disabledOn: Day.optional(),
});
export type SurveyChannel = z.infer<typeof SurveyChannel>;
