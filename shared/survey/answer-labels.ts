import { type AnswerCode, DONT_KNOW, scalePoints } from './codes.js';
import type { Question, Text } from './schema.js';

/**
 * Words for stored answer codes, the same wherever answers are labelled: the export's codebook
 * (value labels beside numeric codes) and the lead's answer distributions.
 */

const t = (de: string, en: string): Text => ({ de, en });

/** "Don't know" on every scale that offers it. */
export const DONT_KNOW_LABEL: Text = t('weiß nicht', "don't know");

/** The numeric code of "don't know": a missing-value code in exports (see `MISSING_CODES` in shared/export/codebook-types.ts). */
export const DONT_KNOW_CODE = -1;

/** A numeric code for an answer code: options 1..k in definition order, scale points as they are. */
export function codeOf(q: Question, answer: AnswerCode): number | undefined {
  if (answer === DONT_KNOW) return DONT_KNOW_CODE;
  if (typeof answer === 'number') return answer;
  if (q.type === 'yes_no') return answer === 'yes' ? 1 : answer === 'no' ? 0 : undefined;
  if (q.type === 'single_choice') {
    const i = q.options.findIndex((o) => o.code === answer);
    return i < 0 ? undefined : i + 1;
  }
  return undefined;
}

/**
 * A question's categories by numeric code (without "don't know"): options, yes/no, the named
 * points of likert and grade scales, and the labelled ends of ratings and semantic differentials.
 */
export function answerCategories(q: Question): { code: number; label: Text }[] {
  switch (q.type) {
    case 'single_choice':
      return q.options.map((o, i) => ({ code: i + 1, label: o.label }));
    case 'yes_no':
      return [
        { code: 1, label: t('ja', 'yes') },
        { code: 0, label: t('nein', 'no') },
      ];
    case 'likert':
      return [
        { code: 1, label: t('stimme gar nicht zu', 'strongly disagree') },
        { code: 2, label: t('stimme eher nicht zu', 'disagree') },
        { code: 3, label: t('teils, teils', 'neither nor') },
        { code: 4, label: t('stimme eher zu', 'agree') },
        { code: 5, label: t('stimme voll zu', 'strongly agree') },
      ];
    case 'semantic_differential':
      return scalePoints(q).map((p, i, all) => ({
        code: p,
        label:
          i === 0
            ? { de: `1 = ${q.left.de}`, en: `1 = ${q.left.en}` }
            : i === all.length - 1
              ? { de: `${p} = ${q.right.de}`, en: `${p} = ${q.right.en}` }
              : { de: String(p), en: String(p) },
      }));
    case 'rating':
      return [
        { code: 0, label: { de: `0 = ${q.low.de}`, en: `0 = ${q.low.en}` } },
        { code: 10, label: { de: `10 = ${q.high.de}`, en: `10 = ${q.high.en}` } },
      ];
    case 'grade':
      return [
        { code: 1, label: t('sehr gut', 'very good') },
        { code: 2, label: t('gut', 'good') },
        { code: 3, label: t('befriedigend', 'satisfactory') },
        { code: 4, label: t('ausreichend', 'sufficient') },
        { code: 5, label: t('mangelhaft', 'poor') },
        { code: 6, label: t('ungenügend', 'insufficient') },
      ];
    default:
      return [];
  }
}

/** The words for one stored answer code: its option or category, "don't know", else the code itself. */
export function answerLabel(q: Question, answer: AnswerCode): Text {
  if (answer === DONT_KNOW) return DONT_KNOW_LABEL;
  if (q.type === 'multiple_choice') {
    const option = q.options.find((o) => o.code === answer);
    if (option) return option.label;
  }
  const code = codeOf(q, answer);
  const category = answerCategories(q).find((c) => c.code === code);
  return category?.label ?? { de: String(answer), en: String(answer) };
}

/**
 * Whether a question carries what the assumed adversary knows of a respondent (docs/privacy.md,
 * "The assumed adversary"): a dimension other than exposure, or a question the survey declares
 * under `settings.export.quasiIdentifiers` (`declared`).
 */
export function isQuasiIdentifier(q: Question, declared: ReadonlySet<string>): boolean {
  return (q.dimension !== undefined && q.dimension !== 'exposure') || declared.has(q.id);
}
