import type { SurveyDefinition } from '../survey/schema.js';
import type { RegisteredChannel, SurveyChannel } from './schema.js';

/**
 * The channels of a survey: those declared in its file are the seed, the registry adds new ones
 * and its entry wins for a code in both, so an admin can disable a channel printed on posters
 * without publishing a new definition.
 */
export function surveyChannels(
  definition: SurveyDefinition,
  registered: readonly RegisteredChannel[],
): SurveyChannel[] {
  const byCode = new Map<string, SurveyChannel>();
  for (const channel of definition.channels) byCode.set(channel.code, { ...channel, state: 'active', source: 'file' });
  for (const channel of registered) byCode.set(channel.code, { ...channel, source: 'registry' });
  return [...byCode.values()];
}

/** The codes a response may record; every other `?c=` value becomes "unknown". */
export function activeChannelCodes(
  definition: SurveyDefinition,
  registered: readonly RegisteredChannel[],
): ReadonlySet<string> {
  return new Set(
    surveyChannels(definition, registered)
      .filter((c) => c.state === 'active')
      .map((c) => c.code),
  );
}
