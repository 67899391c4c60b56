import * as z from 'zod/mini';
import '../zod-locale.js';
import { Audience, Code, Text } from './primitives.js';

/**
 * Survey-as-code: the shape of a definition file in `surveys/`.
 * Cross-references (showIf targets, dimension and indicator tags, option codes) are checked
 * in `validate.ts`; this module only describes shapes.
 */

// The primitives live in a module of their own so that the respondent function, which needs only
// them, does not build every schema below when it starts (docs/benchmarks.md, bundles).
export { Audience, Code, Locale, Text } from './primitives.js';

/** Crosstab variables: each defines aggregate cells and weighting strata. */
const QUASI_IDENTIFIER_DIMENSIONS = ['city', 'age_band', 'gender', 'role', 'business_size'] as const;
export const Dimension = z.enum([...QUASI_IDENTIFIER_DIMENSIONS, 'exposure']);
export type Dimension = z.infer<typeof Dimension>;
/** The dimensions that can single someone out (exposure cannot, so it has no generalisation step). */
const QuasiIdentifierDimension = z.enum(QUASI_IDENTIFIER_DIMENSIONS);

export const Option = z.strictObject({ code: Code, label: Text });
export type Option = z.infer<typeof Option>;

/** Show a question or section only when an earlier answer matches one of the codes. */
export const ShowIf = z.strictObject({
  question: Code,
  anyOf: z.array(z.union([Code, z.number()])).check(z.minLength(1)),
});
export type ShowIf = z.infer<typeof ShowIf>;

const base = {
  id: Code,
  label: Text,
  help: z.optional(Text),
  required: z._default(z.boolean(), false),
  showIf: z.optional(ShowIf),
  dimension: z.optional(Dimension),
  indicator: z.optional(Code),
};

export const SingleChoice = z.strictObject({
  ...base,
  type: z.literal('single_choice'),
  options: z.array(Option).check(z.minLength(2)),
  dontKnow: z._default(z.boolean(), false),
});
export const MultipleChoice = z.strictObject({
  ...base,
  type: z.literal('multiple_choice'),
  options: z.array(Option).check(z.minLength(2)),
  /** Codes that cannot be combined with others, such as "none of these". */
  exclusive: z._default(z.array(Code), []),
  maxSelected: z.optional(z.number().check(z.int(), z.positive())),
});
export const Likert = z.strictObject({
  ...base,
  type: z.literal('likert'),
  dontKnow: z._default(z.boolean(), true),
});
export const SemanticDifferential = z.strictObject({
  ...base,
  type: z.literal('semantic_differential'),
  left: Text,
  right: Text,
  points: z._default(z.union([z.literal(5), z.literal(7)]), 5),
  dontKnow: z._default(z.boolean(), true),
});
export const Rating = z.strictObject({
  ...base,
  type: z.literal('rating'),
  low: Text,
  high: Text,
  dontKnow: z._default(z.boolean(), false),
});
export const Grade = z.strictObject({
  ...base,
  type: z.literal('grade'),
  dontKnow: z._default(z.boolean(), true),
});
export const NumberQuestion = z
  .strictObject({
    ...base,
    type: z.literal('number'),
    min: z.number(),
    max: z.number(),
    integer: z._default(z.boolean(), true),
    unit: z.optional(Text),
  })
  .check(z.refine((q) => q.min < q.max, { message: 'min must be below max', path: ['max'] }));
export const YesNo = z.strictObject({
  ...base,
  type: z.literal('yes_no'),
  dontKnow: z._default(z.boolean(), true),
});
export const FreeText = z.strictObject({
  ...base,
  type: z.literal('text'),
  maxLength: z._default(z.number().check(z.int(), z.gte(1), z.lte(2000)), 500),
  multiline: z._default(z.boolean(), true),
});
export const Consent = z.strictObject({
  ...base,
  type: z.literal('consent'),
  required: z._default(z.literal(true), true),
  /** Stored with every response so it is known which wording was agreed to. */
  version: z.string().check(z.minLength(1), z.maxLength(32)),
  /** Respondents at or above this age consent themselves; younger ones need a parent. */
  selfConsentAge: z._default(z.number().check(z.int(), z.gte(13), z.lte(18)), 14),
  /**
   * `false` where every respondent answers as an adult for an organisation (a business survey):
   * there is no parent's consent, only the respondent's own ("self"). Absent means a parent may
   * consent for a younger respondent (absent rather than defaulted: a default would change the
   * digest of every published definition).
   */
  parentalConsent: z.optional(z.boolean()),
});

export const Question = z.discriminatedUnion('type', [
  SingleChoice,
  MultipleChoice,
  Likert,
  SemanticDifferential,
  Rating,
  Grade,
  NumberQuestion,
  YesNo,
  FreeText,
  Consent,
]);
export type Question = z.infer<typeof Question>;
export type QuestionType = Question['type'];

export const Section = z.strictObject({
  id: Code,
  title: Text,
  intro: z.optional(Text),
  showIf: z.optional(ShowIf),
  /** After this section the respondent cannot go back (unaided recall before the campaign is shown). */
  noBack: z._default(z.boolean(), false),
  questions: z.array(Question).check(z.minLength(1)),
});
export type Section = z.infer<typeof Section>;

export const AudienceDefinition = z.strictObject({
  title: Text,
  intro: z.optional(Text),
  sections: z.array(Section).check(z.minLength(1)),
});
export type AudienceDefinition = z.infer<typeof AudienceDefinition>;

export const IndicatorKind = z.enum(['index', 'mean', 'share', 'nps']);
export const Indicator = z.strictObject({
  id: Code,
  kind: IndicatorKind,
  label: Text,
  /** For `share`: the answer codes counted as a "yes" (for likert: 4,5 = top-2-box). */
  positive: z.optional(z.array(z.union([Code, z.number()]))),
});
export type Indicator = z.infer<typeof Indicator>;

const isoDate = z.union([z.iso.datetime({ offset: true }), z.iso.date()]);

export const Wave = z.strictObject({
  id: Code,
  label: Text,
  kind: z.enum(['baseline', 'followup']),
  opens: z.optional(isoDate),
  closes: z.optional(isoDate),
});
export type Wave = z.infer<typeof Wave>;

/**
 * An agreed target for an indicator: where it should be by when, for whom, and who agreed it. The
 * value is in the indicator's unit as the dashboard shows it: index points 0-100, a mean on its
 * scale (a school grade 1-6), NPS points, and for a share its percentage (40 for 40 %).
 */
export const Target = z.strictObject({
  indicator: Code,
  audience: Audience,
  /** Only these campaign cities together (all respondents of the audience when absent). */
  cities: z.optional(z.array(Code).check(z.minLength(1))),
  /** Reached when the estimate is at least (`at_least`) or at most (`at_most`, e.g. a grade) the value. */
  direction: z.enum(['at_least', 'at_most']),
  value: z.number(),
  /** The starting value the agreement names (e.g. grade 3.1), shown beside the target. */
  from: z.optional(z.number()),
  /** The day by which the target should be reached. */
  deadline: z.iso.date(),
  /** The wave that checks it (the latest wave with figures when absent). */
  wave: z.optional(Code),
  /** Where the target comes from, e.g. "Vereinbarung Emscher-Lippe, Ziffer 4.2". */
  source: Text,
});
export type Target = z.infer<typeof Target>;

/** One group of a declared generalisation step: the option codes it stands for. */
export const HierarchyGroup = z.strictObject({ code: Code, label: Text, members: z.array(Code).check(z.minLength(1)) });
export type HierarchyGroup = z.infer<typeof HierarchyGroup>;

/**
 * A generalisation step the export may apply to a quasi-identifier before suppressing it: every
 * option of the single-choice question(s) tagged with `dimension` belongs to exactly one group
 * (checked in `validate.ts`). Exposure is not a quasi-identifier, so it has none. Instead of a
 * dimension, a hierarchy may name one question the survey declares a quasi-identifier.
 */
export const ExportHierarchy = z.strictObject({
  /** The single-choice questions tagged with this dimension (or, instead, `question`). */
  dimension: z.optional(QuasiIdentifierDimension),
  /** One single-choice question the survey declares a quasi-identifier (`quasiIdentifiers`). */
  question: z.optional(Code),
  groups: z.array(HierarchyGroup).check(z.minLength(1)),
});
export type ExportHierarchy = z.infer<typeof ExportHierarchy>;

/** How `npm run export` anonymises this survey's microdata. */
export const ExportSettings = z.strictObject({
  /** Every exported combination of quasi-identifiers is shared by at least k rows (or suppressed). */
  k: z._default(z.number().check(z.int(), z.gte(2), z.lte(100)), 5),
  /**
   * Questions that are quasi-identifiers besides the dimension-tagged ones (city, age band, gender,
   * role, business size): answers that, combined, could single someone out (e.g. a business's trade).
   */
  quasiIdentifiers: z._default(z.array(Code), []),
  hierarchies: z._default(z.array(ExportHierarchy), []),
  /**
   * Quasi-identifier questions the evaluation needs most (e.g. the commune of a survey compared per
   * commune): the export gives up other quasi-identifiers before these. Every release is
   * k-anonymous either way; this only chooses among them. Absent rather than defaulted: a default
   * would change the digest of every published definition.
   */
  keep: z.optional(z.array(Code)),
  /** The date of an answer as its ISO week (default) or only its wave. */
  period: z.optional(z.enum(['week', 'wave'])),
  /** Free-text answers left out (default) or included with personal data scrubbed. */
  freeText: z.optional(z.enum(['exclude', 'scrub'])),
});
export type ExportSettings = z.infer<typeof ExportSettings>;

export const City = z.strictObject({ code: Code, name: z.string().check(z.minLength(1)) });

/**
 * A distribution channel (poster in Marl, school newsletter, ...). Only declared channels are
 * recorded with a response; any other `?c=` value is stored as "unknown", so a link cannot carry a
 * personal tracking code into the data.
 */
export const Channel = z.strictObject({
  code: Code,
  label: Text,
  kind: z.enum(['poster', 'social', 'school', 'event', 'mail', 'press', 'web']),
  city: z.optional(Code),
});
export type Channel = z.infer<typeof Channel>;

export const Campaign = z.strictObject({
  id: Code,
  name: Text,
  region: z.string().check(z.minLength(1)),
  cities: z.array(City).check(z.minLength(1)),
  organisations: z.array(z.string().check(z.minLength(1))).check(z.minLength(1)),
});
export type Campaign = z.infer<typeof Campaign>;

export const SurveyDefinition = z.strictObject({
  id: Code,
  /** Bump whenever questions or codes change; stored with every response. */
  version: z.string().check(z.regex(/^\d+(\.\d+){0,2}$/, 'use a version such as "1", "1.2" or "1.2.0"')),
  title: Text,
  campaign: Campaign,
  waves: z.array(Wave).check(z.minLength(1)),
  indicators: z._default(z.array(Indicator), []),
  channels: z._default(z.array(Channel), []),
  /** Absent rather than defaulted: a default would change the digest of every published definition. */
  targets: z.optional(z.array(Target)),
  settings: z.prefault(
    z.strictObject({
      /** Cells below this size show no figure (used by the impact views). */
      minCellSize: z._default(z.number().check(z.int(), z.gte(1)), 10),
      /** Write shards per wave for aggregate items; more shards spread hot writes. */
      aggregateShards: z._default(z.number().check(z.int(), z.gte(1), z.lte(64)), 8),
      /**
       * Weight to population margins: `population` names `population/{population}.yaml`, whose
       * `audiences` say which audiences are weighted; weights are capped at `cap` x their mean.
       * Without it every figure is unweighted.
       */
      weighting: z.optional(
        z.strictObject({ population: Code, cap: z._default(z.number().check(z.gte(1), z.lte(20)), 5) }),
      ),
      /** k and generalisation steps for the microdata export (without it: k = 5, built-in steps only). */
      export: z.optional(ExportSettings),
      /**
       * How long responses are kept (`shared/response/retention.ts`): `months` after the last declared
       * wave close, at least after the day of submission. Without it: 24 months. No default is filled
       * in here on purpose: a default would change the digest of every published definition.
       */
      retention: z.optional(z.strictObject({ months: z.number().check(z.int(), z.gte(1), z.lte(120)) })),
    }),
    {},
  ),
  audiences: z
    .strictObject({
      public: z.optional(AudienceDefinition),
      business: z.optional(AudienceDefinition),
      multiplier: z.optional(AudienceDefinition),
    })
    .check(z.refine((a) => Object.values(a).some(Boolean), { message: 'define at least one audience' })),
});
export type SurveyDefinition = z.infer<typeof SurveyDefinition>;
/** What a definition file may omit (defaults filled in by parsing). */
export type SurveyDefinitionInput = z.input<typeof SurveyDefinition>;
