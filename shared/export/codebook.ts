import { answerCategories, isQuasiIdentifier } from '../survey/answer-labels.js';
import { answerCodes } from '../survey/codes.js';
import type { Audience, Channel, Question, SurveyDefinition, Text } from '../survey/schema.js';
import { type Codebook, type CodebookValue, type CodebookVariable, MISSING_CODES } from './codebook-types.js';
import { type DataFormat, dataFileName, lineBreakNote } from './writers.js';

/**
 * How an export's codebook is built from a survey definition. Every question any audience is
 * asked becomes one variable (a multiple-choice question one 0/1 variable per option), shared by
 * the audiences that ask it; consent is not exported (every stored response has it) and free text
 * only when scrubbed free text is asked for.
 */
export interface CodebookOptions {
  generatedAt: Date;
  /** `week`: the ISO week of submission; `wave`: no date at all beyond the wave. */
  period: 'week' | 'wave';
  freeText: 'exclude' | 'scrub';
  /** The data file's format (default `csv`): its name, and how it writes line breaks in text. */
  format?: DataFormat;
}

const t = (de: string, en: string): Text => ({ de, en });

/** SPSS, PSPP and R accept these: lower case, starting with a letter, at most 64 characters. */
export function variableName(...parts: string[]): string {
  const name = parts
    .join('_')
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, '_');
  return (/^[a-z]/.test(name) ? name : `v_${name}`).slice(0, 64);
}

const CHANNEL_KINDS: Channel['kind'][] = ['poster', 'social', 'school', 'event', 'mail', 'press', 'web'];
/**
 * The channel kinds in the order of `channel_kind`'s codes. A response records its channel code
 * only (an invitation is not recorded with it), so "unknown" also holds invitations without one.
 */
export const CHANNEL_KIND_CODES = [...CHANNEL_KINDS, 'unknown'] as const;
const CHANNEL_KIND_LABELS: Record<Channel['kind'] | 'unknown', Text> = {
  poster: t('Plakat', 'poster'),
  social: t('Soziale Medien', 'social media'),
  school: t('Schule', 'school'),
  event: t('Veranstaltung', 'event'),
  mail: t('Post / E-Mail', 'mail'),
  press: t('Presse', 'press'),
  web: t('Website', 'website'),
  unknown: t('unbekannt / direkt', 'unknown / direct'),
};

function measureOf(q: Question): CodebookVariable['measure'] {
  if (q.type === 'single_choice' || q.type === 'yes_no' || q.type === 'multiple_choice') return 'nominal';
  if (q.type === 'number' || q.type === 'text') return q.type === 'number' ? 'scale' : 'nominal';
  return 'ordinal';
}

/** Missing codes a question's variable can hold. */
function missingOf(q: Question, askedOfAll: boolean, quasiIdentifier: boolean): CodebookValue[] {
  const dk = 'dontKnow' in q && q.dontKnow ? [MISSING_CODES.dontKnow] : [];
  const suppressed = quasiIdentifier ? [MISSING_CODES.generalised, MISSING_CODES.suppressed] : [];
  // Optional questions and ones behind showIf can be unanswered; those other audiences skip are not asked.
  const noAnswer = !q.required || q.showIf ? [MISSING_CODES.noAnswer] : [];
  const notAsked = askedOfAll ? [] : [MISSING_CODES.notAsked];
  return [...dk, ...suppressed, ...noAnswer, ...notAsked];
}

/** One question as the export sees it: where it is asked and under which variable name(s). */
export interface QuestionPlan {
  question: Question;
  audiences: Audience[];
  /** The variable (for multiple choice: one per option, in option order). */
  variables: CodebookVariable[];
}

/**
 * Which questions an export has, in questionnaire order (first audience first); a question id
 * asked of several audiences is one variable when its answer codes agree, else one per audience.
 */
export function questionPlans(
  definition: SurveyDefinition,
  options: Pick<CodebookOptions, 'freeText'>,
): QuestionPlan[] {
  const plans = new Map<string, QuestionPlan>();
  const audiences = Object.keys(definition.audiences) as Audience[];
  for (const audience of audiences) {
    const questions = definition.audiences[audience]?.sections.flatMap((s) => s.questions) ?? [];
    for (const q of questions) {
      if (q.type === 'consent' || (q.type === 'text' && options.freeText === 'exclude')) continue;
      const shape = JSON.stringify([q.type, answerCodes(q) ?? null]);
      const same = plans.get(q.id);
      if (same && JSON.stringify([same.question.type, answerCodes(same.question) ?? null]) === shape) {
        same.audiences.push(audience);
        continue;
      }
      const key = same ? `${audience}:${q.id}` : q.id;
      plans.set(key, { question: q, audiences: [audience], variables: [] });
    }
  }
  const declared = new Set(definition.settings.export?.quasiIdentifiers ?? []);
  for (const [key, plan] of plans) {
    const prefix = key.includes(':') ? [plan.audiences[0] ?? ''] : [];
    const askedOfAll = plan.audiences.length === audiences.length;
    const name = [...prefix, plan.question.id];
    plan.variables = variablesOf(plan.question, name, askedOfAll, declared);
  }
  return [...plans.values()];
}

/** `declared`: the questions the survey lists under `settings.export.quasiIdentifiers`. */
function variablesOf(
  q: Question,
  name: string[],
  askedOfAll: boolean,
  declared: ReadonlySet<string>,
): CodebookVariable[] {
  const tags = {
    question: q.id,
    ...(q.indicator ? { indicator: q.indicator } : {}),
    ...(q.dimension ? { dimension: q.dimension } : {}),
  };
  const quasiIdentifier = isQuasiIdentifier(q, declared);
  if (q.type === 'multiple_choice') {
    return q.options.map((o) => ({
      name: variableName(...name, o.code),
      label: { de: `${q.label.de}: ${o.label.de}`, en: `${q.label.en}: ${o.label.en}` },
      type: 'numeric',
      decimals: 0,
      measure: 'nominal',
      values: [
        { code: 1, label: t('genannt', 'selected') },
        { code: 0, label: t('nicht genannt', 'not selected') },
      ],
      missing: missingOf(q, askedOfAll, false),
      option: o.code,
      quasiIdentifier: false,
      ...tags,
    }));
  }
  if (q.type === 'text') {
    return [
      {
        name: variableName(...name),
        label: q.label,
        type: 'string',
        width: q.maxLength,
        measure: 'nominal',
        values: [],
        missing: [],
        quasiIdentifier: false,
        ...tags,
      },
    ];
  }
  return [
    {
      name: variableName(...name),
      label: q.label,
      type: 'numeric',
      decimals: q.type === 'number' && !q.integer ? 2 : 0,
      measure: measureOf(q),
      values: answerCategories(q),
      missing: missingOf(q, askedOfAll, quasiIdentifier),
      quasiIdentifier,
      ...tags,
    },
  ];
}

/** The variables every export starts with: row id, wave, audience, period, channel kind, language. */
function frameVariables(definition: SurveyDefinition, options: CodebookOptions): CodebookVariable[] {
  const audiences = Object.keys(definition.audiences) as Audience[];
  const audienceLabels: Record<Audience, Text> = {
    public: t('Bevölkerung', 'general public'),
    // Not "Handwerksbetriebe": a survey may ask businesses of every sector (Emscher-Lippe).
    business: t('Betriebe', 'businesses'),
    multiplier: t('Multiplikatoren', 'multipliers'),
  };
  const kinds = CHANNEL_KIND_CODES;
  const frame: CodebookVariable[] = [
    {
      name: 'row_id',
      label: t('Zeilennummer (zufällig, je Export neu)', 'row number (random, new in every export)'),
      type: 'numeric',
      decimals: 0,
      measure: 'scale',
      values: [],
      missing: [],
      quasiIdentifier: false,
    },
    {
      name: 'wave',
      label: t('Welle', 'wave'),
      type: 'numeric',
      decimals: 0,
      measure: 'nominal',
      values: definition.waves.map((w, i) => ({ code: i + 1, label: w.label })),
      missing: [],
      // Known to anyone who knows when the poster hung; never generalised: each wave is anonymised on its own.
      quasiIdentifier: true,
    },
    {
      name: 'audience',
      label: t('Zielgruppe', 'audience'),
      type: 'numeric',
      decimals: 0,
      measure: 'nominal',
      values: audiences.map((a, i) => ({ code: i + 1, label: audienceLabels[a] })),
      missing: [],
      quasiIdentifier: false,
    },
  ];
  if (options.period === 'week') {
    frame.push({
      name: 'period',
      label: t('Kalenderwoche der Antwort (ISO, z. B. 2026-W47)', 'ISO week of the answer (e.g. 2026-W47)'),
      type: 'string',
      width: 8,
      measure: 'ordinal',
      values: [],
      missing: [],
      quasiIdentifier: true,
    });
  }
  frame.push(
    {
      name: 'channel_kind',
      label: t('Art des Zugangs (Kanal)', 'kind of access (channel)'),
      type: 'numeric',
      decimals: 0,
      measure: 'nominal',
      values: kinds.map((k, i) => ({ code: i + 1, label: CHANNEL_KIND_LABELS[k] })),
      // A neighbour may know which poster someone scanned: a quasi-identifier, merged away where needed.
      missing: [MISSING_CODES.generalised, MISSING_CODES.suppressed],
      quasiIdentifier: true,
    },
    {
      name: 'language',
      label: t('Sprache des Fragebogens', 'language of the questionnaire'),
      type: 'numeric',
      decimals: 0,
      measure: 'nominal',
      values: [
        { code: 1, label: t('Deutsch', 'German') },
        { code: 2, label: t('Englisch', 'English') },
      ],
      // The one English-language answer of a small town is easy to pick out.
      missing: [MISSING_CODES.generalised, MISSING_CODES.suppressed],
      quasiIdentifier: true,
    },
  );
  return frame;
}

/** An export's codebook and the question plans its rows are coded by (the same variable objects). */
export interface ExportPlan {
  codebook: Codebook;
  questions: QuestionPlan[];
  options: CodebookOptions;
}

export function exportPlan(definition: SurveyDefinition, options: CodebookOptions): ExportPlan {
  const questions = questionPlans(definition, options);
  const variables = [...frameVariables(definition, options), ...questions.flatMap((p) => p.variables)];
  const seen = new Set<string>();
  for (const v of variables) {
    // Names cut at 64 characters could meet; a numbered suffix keeps them apart.
    let name = v.name;
    for (let i = 2; seen.has(name); i++) name = `${v.name.slice(0, 60)}_${i}`;
    v.name = name;
    seen.add(name);
  }
  const format = options.format ?? 'csv';
  const note = lineBreakNote(format);
  // Free text is the only text a respondent types; the period never holds a line break.
  if (note) for (const v of variables) if (v.type === 'string' && v.question !== undefined) v.note = note;
  const codebook: Codebook = {
    surveyId: definition.id,
    definitionVersion: definition.version,
    title: definition.title,
    generatedAt: options.generatedAt.toISOString(),
    dataFile: dataFileName(format),
    waves: definition.waves.map((w) => ({ id: w.id, label: w.label, kind: w.kind })),
    variables,
  };
  return { codebook, questions, options };
}
