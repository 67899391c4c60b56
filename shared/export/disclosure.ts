import type { Text } from '../survey/schema.js';
import type { KAnonymityPlan, PartitionDisclosure } from './k-anonymity.js';
import type { WaveRelease } from './release.js';

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
    /** The survey file's own k and period: the floor, and the release every export coarsens. */
    base: { k: number; period: 'week' | 'wave' };
    /** With scrubbed free text: how many personal data were replaced, per kind. */
    scrubbed?: Record<string, number>;
    /** What never leaves: always true, listed so a reader sees it. */
    removed: string[];
  };
  quasiIdentifiers: string[];
  /** The generalisation steps that were available, as described. */
  hierarchies: string[];
  /** Every wave: released in this export, or left out and why. */
  waves: (WaveRelease & { label: Text })[];
  /** Per audience and wave released: what was generalised, suppressed and left out. */
  partitions: (PartitionDisclosure & { audienceLabel: Text; waveLabel: Text })[];
  suppressedValues: number;
  /** Rows left out in total (see `PartitionDisclosure.droppedRows`). */
  droppedRows: number;
  /** Smallest group of rows sharing all quasi-identifiers over the whole export (rows not suppressed). */
  smallestGroup: number | null;
}

export const REMOVED_ALWAYS = [
  'response ids, submission ids and invitation tokens (row_id is a fresh random number per export)',
  'the day of submission (only the ISO week, or nothing but the wave)',
  'channel codes (only their kind)',
  'consent records',
  'IP addresses, user agents and times (never stored)',
  'waves still collecting (only settled waves are released)',
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
  /** The plan's partitions of the waves released. */
  partitions: PartitionDisclosure[];
  hierarchies: string[];
  base: { k: number; period: 'week' | 'wave' };
  /** The label of a code of a frame variable (`audience`, `wave`). */
  labelOf: (variable: string, code: number) => Text;
  waves: (WaveRelease & { label?: Text | undefined })[];
}): DisclosureReport {
  const { plan, partitions } = input;
  const smallest = partitions.map((p) => p.smallestGroup).filter((n): n is number => n !== null);
  return {
    surveyId: input.surveyId,
    definitionVersion: input.definitionVersion,
    generatedAt: input.generatedAt.toISOString(),
    rows: input.rows,
    profile: {
      k: plan.k,
      period: input.period,
      freeText: input.freeText,
      base: input.base,
      ...(input.scrubbed ? { scrubbed: input.scrubbed } : {}),
      removed: REMOVED_ALWAYS,
    },
    quasiIdentifiers: ['wave', ...plan.quasiIdentifiers],
    hierarchies: input.hierarchies,
    waves: input.waves.map((w) => ({ ...w, label: w.label ?? { de: w.waveId, en: w.waveId } })),
    partitions: partitions.map((p) => ({
      ...p,
      audienceLabel: input.labelOf('audience', p.audience),
      waveLabel: input.labelOf('wave', p.wave),
    })),
    suppressedValues: partitions.reduce((sum, p) => sum + p.suppressedValues, 0),
    droppedRows: partitions.reduce((sum, p) => sum + p.droppedRows, 0),
    smallestGroup: smallest.length > 0 ? Math.min(...smallest) : null,
  };
}

const WAVE_STATUS: Record<WaveRelease['status'], string> = {
  released: 'released',
  collecting: 'not released: still collecting (only settled waves are exported)',
  changed:
    'not released: its responses or its anonymisation changed since its first release (reopened, responses deleted or past retention, or the survey file changed); exporting it again would show the difference',
};

/** The report as Markdown (English: it goes to evaluators and data protection officers alike). */
export function disclosureMarkdown(report: DisclosureReport): string {
  const { profile } = report;
  const lines = [
    `# Disclosure report: ${report.surveyId} (definition ${report.definitionVersion})`,
    '',
    `Exported ${report.generatedAt}: ${report.rows} rows.`,
    '',
    '## Profile',
    '',
    `- k-anonymity with k = ${profile.k} over: ${report.quasiIdentifiers.join(', ') || '(none)'}, within each audience and wave`,
    `- the survey file's own profile (the floor; this release is a coarsening of it): k = ${profile.base.k}, ${profile.base.period === 'week' ? 'ISO week' : 'wave only'}`,
    `- submission date: ${profile.period === 'week' ? 'ISO week' : 'wave only'}`,
    `- free text: ${
      profile.freeText === 'exclude'
        ? 'not exported'
        : `exported after scrubbing personal data (replaced: ${Object.entries(profile.scrubbed ?? {})
            .map(([kind, n]) => `${kind} ${n}`)
            .join(', ')})`
    }`,
    ...profile.removed.map((r) => `- removed: ${r}`),
    '',
    '## Waves',
    '',
    '| wave | responses | released |',
    '|---|---|---|',
    ...report.waves.map((w) => `| ${w.label.en} | ${w.responses} | ${WAVE_STATUS[w.status]} |`),
    '',
    '## Generalisation, suppression and rows left out',
    '',
    `Available steps: ${report.hierarchies.join('; ') || '(none)'}.`,
    '',
    'Rows whose quasi-identifiers are all suppressed form a group of their own in each audience and wave; where it has fewer than k rows, they are left out.',
    '',
    '| audience | wave | rows | generalised | rows suppressed | values suppressed | rows left out | smallest group |',
    '|---|---|---|---|---|---|---|---|',
    ...report.partitions.map(
      (p) =>
        `| ${p.audienceLabel.en} | ${p.waveLabel.en} | ${p.rows} | ${p.generalised.join(', ') || '-'} | ${p.suppressedRows} | ${p.suppressedValues} | ${p.droppedRows} | ${p.smallestGroup ?? '-'} |`,
    ),
    '',
    `Values suppressed in total: ${report.suppressedValues}. Rows left out: ${report.droppedRows}. Smallest group reached: ${report.smallestGroup ?? '-'}.`,
    '',
  ];
  return lines.join('\n');
}
