import type { SurveyChannel } from '../../../shared/channels/schema.js';
import { MISSING, UNKNOWN_CHANNEL } from '../../../shared/response/build.js';
import type { Audience, SurveyDefinition } from '../../../shared/survey/schema.js';
import type { Lang } from '../../respond/pages/i18n.js';
import { fieldworkUi } from './i18n.js';

/** Codes in a report turned into the words a lead knows, falling back to the code itself. */
export interface ReportLabels {
  wave(waveId: string): string;
  audience(code: string): string;
  city(code: string): string;
  channel(code: string): string;
}

/**
 * Labels from the survey definition and its channels (file-declared and registered). Cities come
 * from the campaign, answers outside it (e.g. "elsewhere") from the city question's options.
 */
export function reportLabels(
  definition: SurveyDefinition,
  channels: readonly SurveyChannel[],
  lang: Lang,
): ReportLabels {
  const ui = fieldworkUi[lang];
  const cities = new Map<string, string>();
  for (const spec of Object.values(definition.audiences)) {
    for (const question of spec?.sections.flatMap((s) => s.questions) ?? []) {
      if (question.dimension !== 'city' || !('options' in question)) continue;
      for (const option of question.options) cities.set(option.code, option.label[lang]);
    }
  }
  for (const city of definition.campaign.cities) cities.set(city.code, city.name);
  const channelLabels = new Map(channels.map((c) => [c.code, c.label[lang]]));
  return {
    wave: (waveId) => definition.waves.find((w) => w.id === waveId)?.label[lang] ?? waveId,
    audience: (code) => definition.audiences[code as Audience]?.title[lang] ?? code,
    city: (code) => (code === MISSING ? ui.noCity : (cities.get(code) ?? code)),
    channel: (code) => (code === UNKNOWN_CHANNEL ? ui.unknownChannel : (channelLabels.get(code) ?? code)),
  };
}
