import type { FieldIssue } from '../errors.js';
import { UNKNOWN_CHANNEL } from '../response/build.js';
import type { Channel, SurveyDefinition } from '../survey/schema.js';

/** What makes a channel unfit for its survey; the shape itself is checked by the `Channel` schema. */
export function channelIssues(definition: SurveyDefinition, channel: Channel): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (channel.code === UNKNOWN_CHANNEL) {
    issues.push({
      field: 'code',
      code: 'reserved',
      message: `"${UNKNOWN_CHANNEL}" is what responses without a known channel record`,
    });
  }
  if (channel.city !== undefined && !definition.campaign.cities.some((c) => c.code === channel.city)) {
    issues.push({
      field: 'city',
      code: 'out_of_range',
      message: `"${channel.city}" is not a city of campaign "${definition.campaign.id}"`,
    });
  }
  return issues;
}
