import type { Text } from '../survey/schema.js';
import type { AudienceDisclosure, KAnonymityPlan } from './k-anonymity.js';

/** What an export did to protect respondents: written beside the data for the evaluator and the DPO. */
export interface DisclosureReport {
  surveyId: string;
  definitionVersion: string;
  generatedAt: string;
  rows: number;
  profile: {
    k: number;
    period: 'week' | 'wave';
    freeText: 'exclude' | 'scrub';
    /** With scrubbed free text: how many personal data were replaced, per kind. */
    scrubbed?: Record<string, number>;
    /** What never leaves: always true, listed so a reader sees it. */
    removed: string[];
  };
  quasiIdentifiers: string[];
  /** The generalisation steps that were available, as described. */
  hierarchies: string[];
  audiences: (AudienceDisclosure & { label: Text })[];
  suppressedValues: number;
  /** Smallest group of rows sharing all quasi-identifiers over the whole export (rows not suppressed). */
  smallestGroup: number | null;
}

export const REMOVED_ALWAYS = [
  'response ids, submission ids and invitation tokens (row_id is a fresh random number per export)',
  'the day of submission (only the ISO week, or nothing but the wave)',
  'channel codes (only their kind)',
  'consent records',
  'IP addresses, user agents and times (never stored)',
];

export function disclosureReport(input: {
  surveyId: string;
  definitionVersion: string;
  generatedAt: Date;
  rows: number;
  period: 'week' | 'wave';
  freeText: 'exclude' | 'scrub';
  scrubbed?: Record<string, number> | undefined;
  plan: KAnonymityPlan;
  hierarchies: string[];
  audienceLabels: Map<number, Text>;
}): DisclosureReport {
  const { plan } = input;
  const smallest = plan.audiences.map((a) => a.smallestGroup).filter((n): n is number => n !== null);
  return {
    surveyId: input.surveyId,
    definitionVersion: input.definitionVersion,
    generatedAt: input.generatedAt.toISOString(),
    rows: input.rows,
    profile: {
      k: plan.k,
      period: input.period,
      freeText: input.freeText,
      ...(input.scrubbed ? { scrubbed: input.scrubbed } : {}),
      removed: REMOVED_ALWAYS,
    },
    quasiIdentifiers: plan.quasiIdentifiers,
    hierarchies: input.hierarchies,
    audiences: plan.audiences.map((a) => ({
      ...a,
      label: input.audienceLabels.get(a.audience) ?? { de: String(a.audience), en: String(a.audience) },
    })),
    suppressedValues: plan.audiences.reduce((sum, a) => sum + a.suppressedValues, 0),
    smallestGroup: smallest.length > 0 ? Math.min(...smallest) : null,
  };
}

/** The report as Markdown (English: it goes to evaluators and data protection officers alike). */
export function disclosureMarkdown(report: DisclosureReport): string {
  const lines = [
    `# Disclosure report: ${report.surveyId} (definition ${report.definitionVersion})`,
    '',
    `Exported ${report.generatedAt}: ${report.rows} rows.`,
    '',
    '## Profile',
    '',
    `- k-anonymity with k = ${report.profile.k} over: ${report.quasiIdentifiers.join(', ') || '(none)'}, within each audience`,
    `- submission date: ${report.profile.period === 'week' ? 'ISO week' : 'wave only'}`,
    `- free text: ${
      report.profile.freeText === 'exclude'
        ? 'not exported'
        : `exported after scrubbing personal data (replaced: ${Object.entries(report.profile.scrubbed ?? {})
            .map(([kind, n]) => `${kind} ${n}`)
            .join(', ')})`
    }`,
    ...report.profile.removed.map((r) => `- removed: ${r}`),
    '',
    '## Generalisation and suppression',
    '',
    `Available steps: ${report.hierarchies.join('; ') || '(none)'}.`,
    '',
    '| audience | rows | generalised | rows suppressed | values suppressed | smallest group |',
    '|---|---|---|---|---|---|',
    ...report.audiences.map(
      (a) =>
        `| ${a.label.en} | ${a.rows} | ${a.generalised.join(', ') || '-'} | ${a.suppressedRows} | ${a.suppressedValues} | ${a.smallestGroup ?? '-'} |`,
    ),
    '',
    `Values suppressed in total: ${report.suppressedValues}. Smallest group reached: ${report.smallestGroup ?? '-'}.`,
    '',
  ];
  return lines.join('\n');
}
