import type { FieldIssue } from '../errors.js';
import { type DidMethod, differenceInDifferences } from '../stats/did.js';
import type { Audience, Indicator, ShowIf, SurveyDefinition, Text } from '../survey/schema.js';
import { type Figure, UNRELIABLE_BELOW } from './estimate.js';
import { adjustFamily, type ImpactReport, type Tested } from './report.js';

/**
 * Regional comparison: several surveys' impact reports side by side. Every figure is taken from
 * its survey's own report as it stands (so it has passed that survey's disclosure gate); nothing
 * is estimated here but the difference in differences of figures the reports show.
 */

/** How many surveys one comparison takes: at least two, and few enough for a table on a phone. */
export const MIN_COMPARED = 2;
export const MAX_COMPARED = 6;

/** Where a wave stands in its survey: the baseline, or the n-th follow-up in definition order. */
export type WaveSlot = 'baseline' | `follow-up ${number}`;

/** One survey and its report, computed for the audience asked (and weighted or not) as the impact route does. */
export interface CompareInput {
  definition: SurveyDefinition;
  report: ImpactReport;
}

export interface SlotFigure extends Figure {
  surveyId: string;
  waveId: string;
}

/** b's change from the baseline to a follow-up minus a's, tested; adjusted over the whole comparison. */
export interface DidRow extends Tested {
  slot: WaveSlot;
  a: string;
  b: string;
  /**
   * a and b build the indicator from the same questions: in a comparison of three surveys two may
   * ask alike while the third does not, and only their difference is one of opinion.
   */
  sameQuestions: boolean;
  /** Degrees of freedom of the t test; null for z or when nothing was tested. */
  df: number | null;
}

export interface SharedIndicator {
  id: string;
  kind: Indicator['kind'];
  /** The label in the first survey that asks it. */
  label: Text;
  /** The surveys that ask it, in the order asked for. */
  surveys: string[];
  /**
   * Every one of them builds it from the same questions (ids, types, wording, answer options,
   * filters) and, for shares, counts the same answers: only then is a difference a difference in
   * opinion rather than in the questionnaire.
   */
  sameQuestions: boolean;
  /** Per wave slot, each survey's figure (a survey without that wave is not listed). */
  waves: { slot: WaveSlot; figures: SlotFigure[] }[];
  differences: DidRow[];
}

export interface ComparedSurvey {
  surveyId: string;
  definitionVersion: string;
  title: Text;
  campaign: { id: string; name: Text; region: string };
  minCellSize: number;
  waves: { slot: WaveSlot; waveId: string; label: Text }[];
}

export interface Comparison {
  audience: Audience;
  weighted: boolean;
  level: number;
  unreliableBelow: number;
  /** The differences in differences are one family, adjusted with Holm's method. */
  adjustment: 'holm';
  surveys: ComparedSurvey[];
  indicators: SharedIndicator[];
}

/** Each wave's slot: the baseline, and follow-ups numbered in the order the definition lists them. */
export function waveSlots(definition: SurveyDefinition): { slot: WaveSlot; waveId: string; label: Text }[] {
  let followUps = 0;
  return definition.waves.map((w) => ({
    slot: w.kind === 'baseline' ? 'baseline' : `follow-up ${++followUps}`,
    waveId: w.id,
    label: w.label,
  }));
}

/**
 * Why a comparison cannot be made as asked, named like the query parameters: the audience must be
 * asked by two surveys at least, and weighting needs population margins in every survey compared.
 */
export function compareQueryIssues(
  definitions: readonly SurveyDefinition[],
  query: { audience: Audience; weighted: boolean },
): FieldIssue[] {
  const asking = definitions.filter((d) => d.audiences[query.audience]);
  const issues: FieldIssue[] = [];
  if (asking.length < 2) {
    issues.push({
      field: 'audience',
      code: 'not_shared',
      message: `"${query.audience}" is asked by ${asking.length} of the surveys; a comparison needs two`,
    });
  }
  const unweighted = asking.filter((d) => !d.settings.weighting).map((d) => d.id);
  if (query.weighted && unweighted.length > 0) {
    issues.push({
      field: 'weighted',
      code: 'no_weighting',
      message: `no population margins (settings.weighting) in ${unweighted.join(', ')}: compare unweighted`,
    });
  }
  return issues;
}

/** Keys sorted, so that two objects with the same content give the same text. */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)))
      : v,
  );

/**
 * Who is asked a question: its section's filter and its own, both of which must hold, as one
 * condition per filtering question with the answers that pass both. A section for pupils and
 * parents holding a question for pupils asks the pupils, like a section for pupils alone.
 */
function askedWhen(...filters: (ShowIf | undefined)[]): { question: string; anyOf: (string | number)[] }[] {
  const passing = new Map<string, (string | number)[]>();
  for (const filter of filters) {
    if (!filter) continue;
    const before = passing.get(filter.question);
    passing.set(filter.question, before ? before.filter((v) => filter.anyOf.includes(v)) : [...filter.anyOf]);
  }
  const byText =
    <T>(text: (v: T) => string) =>
    (x: T, y: T) =>
      text(x) < text(y) ? -1 : text(x) > text(y) ? 1 : 0;
  return [...passing]
    .map(([question, anyOf]) => ({ question, anyOf: anyOf.sort(byText((v) => JSON.stringify(v))) }))
    .sort(byText((c) => c.question));
}

/** What an indicator is made of in one survey and audience: its questions as asked, and what counts. */
function makeUp(definition: SurveyDefinition, audience: Audience, indicator: Indicator): string {
  const questions = (definition.audiences[audience]?.sections ?? []).flatMap((section) =>
    section.questions
      .filter((q) => q.indicator === indicator.id)
      // Help texts explain; who is asked (filters, also a section's) and what is asked count.
      .map(({ help: _, showIf, ...q }) => ({ ...q, askedWhen: askedWhen(section.showIf, showIf) })),
  );
  return canonical({ positive: indicator.positive ?? null, questions });
}

function untested(slot: WaveSlot, a: string, b: string, flags: Figure['flags']): Omit<DidRow, 'sameQuestions'> {
  return {
    slot,
    a,
    b,
    delta: null,
    ci: null,
    p: null,
    pAdjusted: null,
    significant: false,
    test: null,
    flags,
    df: null,
  };
}

/** t for means and indices from plain sums; z for shares, NPS and any weighted figure. */
const methodOf = (kind: Indicator['kind'], weighted: boolean): DidMethod =>
  !weighted && (kind === 'index' || kind === 'mean') ? 't' : 'z';

/**
 * The difference in differences of two surveys for one follow-up. A suppressed or collecting
 * figure on any of the four sides means no test; an unreliable one is tested but never significant
 * (`adjustFamily`, as in the impact report).
 */
function didRow(
  slot: WaveSlot,
  a: { surveyId: string; from: Figure; to: Figure },
  b: { surveyId: string; from: Figure; to: Figure },
  method: DidMethod,
  level: number,
): Omit<DidRow, 'sameQuestions'> {
  const sides = [a.from, a.to, b.from, b.to];
  const flags = [...new Set(sides.flatMap((f) => f.flags))];
  if (flags.includes('suppressed') || flags.includes('collecting'))
    return untested(slot, a.surveyId, b.surveyId, flags);
  const did = differenceInDifferences(a, b, method, level);
  if (!did) return untested(slot, a.surveyId, b.surveyId, flags);
  return {
    slot,
    a: a.surveyId,
    b: b.surveyId,
    delta: did.delta,
    ci: did.ci,
    p: did.p,
    pAdjusted: null,
    significant: false,
    test: did.test,
    flags,
    df: did.df ?? null,
  };
}

/**
 * The indicators two or more of the reports share (same id and kind), aligned by wave slot, with
 * the difference in differences for every pair of surveys and follow-up where both have the
 * baseline and that follow-up. Reports must be for one audience and all weighted or all not.
 */
export function compareReports(inputs: readonly CompareInput[]): Comparison {
  const [first] = inputs;
  if (!first) throw new Error('compareReports needs at least one report');
  const { audience, weighted, level } = first.report;
  if (inputs.some(({ report }) => report.audience !== audience || report.weighted !== weighted)) {
    throw new Error('compareReports needs reports of one audience, all weighted or all unweighted');
  }
  const surveys = inputs.map(({ definition, report }) => ({
    surveyId: definition.id,
    definitionVersion: report.definitionVersion,
    title: definition.title,
    campaign: { id: definition.campaign.id, name: definition.campaign.name, region: definition.campaign.region },
    minCellSize: report.minCellSize,
    waves: waveSlots(definition),
  }));
  const slotOrder = [...new Set(surveys.flatMap((s) => s.waves.map((w) => w.slot)))].sort(
    (x, y) => slotNumber(x) - slotNumber(y),
  );

  // Indicators in the order the first survey asking them lists them, shared by id and kind.
  const candidates = new Map<string, { id: string; kind: Indicator['kind'] }>();
  for (const { report } of inputs) {
    for (const { id, kind } of report.indicators) candidates.set(`${id}#${kind}`, { id, kind });
  }
  const indicators: SharedIndicator[] = [];
  for (const { id, kind } of candidates.values()) {
    const asking = inputs.flatMap(({ definition, report }, index) => {
      const indicator = report.indicators.find((i) => i.id === id && i.kind === kind);
      const declared = definition.indicators.find((i) => i.id === id);
      const survey = surveys[index];
      if (!indicator || !declared || !survey) return [];
      return [{ indicator, survey, makeUp: makeUp(definition, audience, declared) }];
    });
    const [head] = asking;
    if (!head || asking.length < 2) continue;
    const figureAt = (entry: (typeof asking)[number], slot: WaveSlot): SlotFigure | undefined => {
      const waveId = entry.survey.waves.find((w) => w.slot === slot)?.waveId;
      const figure = entry.indicator.waves.find((w) => w.waveId === waveId);
      return figure && { surveyId: entry.survey.surveyId, ...figure };
    };
    const waves = slotOrder
      .map((slot) => ({ slot, figures: asking.flatMap((e) => figureAt(e, slot) ?? []) }))
      .filter((row) => row.figures.length > 0);
    const differences: DidRow[] = [];
    const method = methodOf(kind, weighted);
    for (const [i, ea] of asking.entries()) {
      for (const eb of asking.slice(i + 1)) {
        for (const slot of slotOrder.filter((s) => s !== 'baseline')) {
          const [aFrom, aTo, bFrom, bTo] = [
            figureAt(ea, 'baseline'),
            figureAt(ea, slot),
            figureAt(eb, 'baseline'),
            figureAt(eb, slot),
          ];
          if (!aFrom || !aTo || !bFrom || !bTo) continue;
          const a = { surveyId: ea.survey.surveyId, from: aFrom, to: aTo };
          const b = { surveyId: eb.survey.surveyId, from: bFrom, to: bTo };
          differences.push({ ...didRow(slot, a, b, method, level), sameQuestions: ea.makeUp === eb.makeUp });
        }
      }
    }
    const makeUps = new Set(asking.map((e) => e.makeUp));
    indicators.push({
      id,
      kind,
      label: head.indicator.label,
      surveys: asking.map((e) => e.survey.surveyId),
      sameQuestions: makeUps.size === 1,
      waves,
      differences,
    });
  }
  adjustFamily(
    indicators.flatMap((i) => i.differences),
    'holm',
    level,
  );
  return { audience, weighted, level, unreliableBelow: UNRELIABLE_BELOW, adjustment: 'holm', surveys, indicators };
}

/** The baseline first, then follow-ups by number. */
function slotNumber(slot: WaveSlot): number {
  return slot === 'baseline' ? 0 : Number(slot.slice('follow-up '.length));
}
