import { DONT_KNOW_CODE, DONT_KNOW_LABEL } from '../survey/answer-labels.js';
import type { Text } from '../survey/schema.js';

/**
 * The codebook of an export: what every column of the data file means. The SPSS and R scripts
 * are generated from it, and it is written as JSON and Markdown beside the data.
 *
 * Coding rules (shared by every generator):
 * - one column per variable, in `variables` order, named `name` (lower case, [a-z][a-z0-9_]*,
 *   at most 64 characters; valid in SPSS, PSPP and R);
 * - `numeric` variables hold integers or decimals written with "." in the CSV, or a missing-value
 *   code; `string` variables hold text (UTF-8), empty for missing;
 * - categories (`values`) are numeric codes for numeric variables (1, 2, ... in the definition's
 *   option order, or the scale point itself); string variables may have string codes;
 * - missing values are negative codes, the same for every numeric variable that can have them:
 *   see `MISSING_CODES`.
 */
export interface CodebookValue {
  code: number | string;
  label: Text;
}

export interface CodebookVariable {
  name: string;
  label: Text;
  type: 'numeric' | 'string';
  /** For `string`: the longest value in characters (at least 1). */
  width?: number;
  /** Decimals shown for `numeric` (0 for codes and whole numbers). */
  decimals?: number;
  measure: 'nominal' | 'ordinal' | 'scale';
  /** Value labels of the categories (empty for free numbers and text). */
  values: CodebookValue[];
  /** Missing-value codes this variable can hold, with labels (numeric variables only). */
  missing: CodebookValue[];
  /** The question the variable comes from, if any. */
  question?: string;
  /** For a multiple-choice option variable: the option's code. */
  option?: string;
  indicator?: string;
  dimension?: string;
  /** Part of the k-anonymity check (generalised and suppressed as needed). */
  quasiIdentifier: boolean;
  /** Where the data file writes values otherwise than they were given (free text in data.csv). */
  note?: Text;
}

export interface Codebook {
  surveyId: string;
  definitionVersion: string;
  title: Text;
  /** ISO timestamp of the export. */
  generatedAt: string;
  /** The data file the scripts read: comma-separated, UTF-8, header line, RFC 4180 quoting. */
  dataFile: string;
  waves: { id: string; label: Text; kind: 'baseline' | 'followup' }[];
  variables: CodebookVariable[];
}

/** Missing-value codes used by every numeric variable that can be missing in that way. */
export const MISSING_CODES = {
  dontKnow: { code: DONT_KNOW_CODE, label: DONT_KNOW_LABEL },
  /** Merged for every row of the audience in that wave (a generalisation step with nothing coarser to go to). */
  generalised: {
    code: -6,
    label: {
      de: 'für Zielgruppe und Welle zusammengefasst (Anonymisierung)',
      en: 'merged for the audience and wave (anonymisation)',
    },
  },
  suppressed: { code: -7, label: { de: 'unterdrückt (Anonymisierung)', en: 'suppressed (anonymisation)' } },
  noAnswer: { code: -8, label: { de: 'keine Angabe', en: 'no answer' } },
  notAsked: { code: -9, label: { de: 'nicht gefragt', en: 'not asked' } },
} as const satisfies Record<string, CodebookValue>;
