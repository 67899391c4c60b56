import type { Indicator } from '../../../shared/survey/schema.js';
import type { Lang } from '../../respond/pages/i18n.js';
import { impactUi } from './impact-i18n.js';

/** How figures read in the lead's reports (dashboard, verdict, comparison, CSV): one place for all. */

type Kind = Indicator['kind'];

export function number(lang: Lang, value: number, digits: number, sign = false): string {
  return new Intl.NumberFormat(lang, {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
    signDisplay: sign ? 'exceptZero' : 'auto',
  }).format(value);
}

/** A figure in its kind's units: index points, a mean on its scale, a share in percent, NPS points. */
export function formatValue(kind: Kind, value: number, lang: Lang, sign = false): string {
  switch (kind) {
    case 'share':
      return `${number(lang, value * 100, 1, sign)}\u00a0%`;
    case 'mean':
      return number(lang, value, 2, sign);
    case 'index':
    case 'nps':
      return number(lang, value, 1, sign);
  }
}

export function formatInterval(kind: Kind, f: { ci: { lo: number; hi: number } | null }, lang: Lang): string {
  return f.ci ? `${formatValue(kind, f.ci.lo, lang)} – ${formatValue(kind, f.ci.hi, lang)}` : '–';
}

/**
 * A difference of two figures (a change, an exposure contrast, a gap) in its kind's units: a
 * difference of shares is in percentage points, never "%" (from 30 % to 40 % is +10 points, not
 * +33 %).
 */
export function formatDifference(kind: Kind, value: number, lang: Lang): string {
  if (kind !== 'share') return formatValue(kind, value, lang, true);
  return `${number(lang, value * 100, 1, true)} ${impactUi[lang].percentagePoints}`;
}

/** The interval of a difference, signed at both ends (a difference of shares in percentage points). */
export function formatDifferenceInterval(kind: Kind, f: { ci: { lo: number; hi: number } | null }, lang: Lang): string {
  if (!f.ci) return '–';
  const range = `${differenceNumber(kind, f.ci.lo, lang)} – ${differenceNumber(kind, f.ci.hi, lang)}`;
  return kind === 'share' ? `${range} ${impactUi[lang].percentagePoints}` : range;
}

/** A p-value as read in reports: three decimals, and "< 0.001" below that (never "p = 0.000"). */
export function formatP(p: number, lang: Lang): string {
  return p < 0.001 ? `< ${number(lang, 0.001, 3)}` : `= ${number(lang, p, 3)}`;
}

/** A signed difference without its unit (a difference of shares in points: 0.1 reads "+10,0"). */
export function differenceNumber(kind: Kind, value: number, lang: Lang): string {
  if (kind === 'share') return number(lang, value * 100, 1, true);
  return number(lang, value, kind === 'mean' ? 2 : 1, true);
}

/** An ISO date (YYYY-MM-DD) as a reader writes it: 31.12.2029, Dec 31, 2029. */
export function formatDate(iso: string, lang: Lang): string {
  return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${iso}T00:00:00Z`));
}
