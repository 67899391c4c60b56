import { createChannel, disableChannel, listChannels } from '../data/channel-store.js';
import type { Db } from '../data/table.js';
import { ChannelExistsError, ChannelNotFoundError, InvalidChannelError } from '../errors.js';
import type { Channel, SurveyDefinition } from '../survey/schema.js';
import { surveyChannels } from './resolve.js';
import type { RegisteredChannel, SurveyChannel } from './schema.js';
import { channelIssues } from './validate.js';

/**
 * Registers a new channel of a published survey. A code the survey file declares is taken too:
 * codes are unique per survey, whichever side they come from.
 */
export async function registerChannel(
  db: Db,
  definition: SurveyDefinition,
  channel: Channel,
  now: Date,
): Promise<RegisteredChannel> {
  const issues = channelIssues(definition, channel);
  if (issues.length > 0) throw new InvalidChannelError(issues);
  if (definition.channels.some((c) => c.code === channel.code))
    throw new ChannelExistsError(definition.id, channel.code);
  return createChannel(db, definition.id, channel, now);
}

/**
 * Disables a channel, registered or declared in the survey file. A file-declared one gets a
 * disabled registry entry, which wins over the file, so no new definition version is needed.
 */
export async function retireChannel(
  db: Db,
  definition: SurveyDefinition,
  code: string,
  now: Date,
): Promise<RegisteredChannel> {
  try {
    return await disableChannel(db, definition.id, code, now);
  } catch (error) {
    const declared = definition.channels.find((c) => c.code === code);
    if (!(error instanceof ChannelNotFoundError) || !declared) throw error;
    return createChannel(db, definition.id, declared, now, 'disabled').catch((raced: unknown) => {
      // Someone disabled it at the same moment: their entry is there now, disabling it is idempotent.
      if (raced instanceof ChannelExistsError) return disableChannel(db, definition.id, code, now);
      throw raced;
    });
  }
}

/** The survey's channels, file-declared and registered, for listing. */
export async function listSurveyChannels(db: Db, definition: SurveyDefinition): Promise<SurveyChannel[]> {
  return surveyChannels(definition, await listChannels(db, definition.id));
}

/** One channel of the survey, file-declared or registered, whatever its state; unknown codes throw. */
export async function findSurveyChannel(db: Db, definition: SurveyDefinition, code: string): Promise<SurveyChannel> {
  const channel = (await listSurveyChannels(db, definition)).find((c) => c.code === code);
  if (!channel) throw new ChannelNotFoundError(definition.id, code);
  return channel;
}
