import type { Lang } from '../respond/pages/i18n.js';

/** A moment as campaign teams in the Ruhr area read it: local time, to the minute. */
export function localTime(iso: string, lang: Lang): string {
  return new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'de-DE', {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'Europe/Berlin',
  }).format(new Date(iso));
}
