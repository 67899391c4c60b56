import * as z from 'zod/mini';
import { type AnswerCode, answerCodes, DONT_KNOW, scalePoints } from './codes.js';
import { formatPath } from './field-path.js';
import { type Audience, type Dimension, type Question, SurveyDefinition } from './schema.js';

export { formatPath } from './field-path.js';

type Ctx = z.core.$RefinementCtx<SurveyDefinition>;
type Path = (string | number)[];

const OUTSIDE_CITY = 'elsewhere';

const DIMENSION_TYPES: Record<Dimension, Question['type'][]> = {
  city: ['single_choice'],
  age_band: ['single_choice'],
  gender: ['single_choice'],
  role: ['single_choice'],
  business_size: ['single_choice'],
  exposure: ['yes_no', 'single_choice'],
};

const INDICATOR_TYPES: Record<string, Question['type'][]> = {
  index: ['likert', 'semantic_differential'],
  mean: ['likert', 'semantic_differential', 'rating', 'grade', 'number'],
  share: ['single_choice', 'multiple_choice', 'yes_no', 'likert'],
  nps: ['rating'],
};

function issue(ctx: Ctx, path: Path, message: string): void {
  ctx.addIssue({ code: 'custom', path, message, input: undefined });
}

function checkDuplicates(ctx: Ctx, ids: { id: string; path: Path }[], what: string): void {
  const seen = new Set<string>();
  for (const { id, path } of ids) {
    if (seen.has(id)) issue(ctx, path, `duplicate ${what} id "${id}"`);
    seen.add(id);
  }
}

/** Checks everything that spans more than one field: ids, references, tags, codes. */
function checkReferences(def: SurveyDefinition, ctx: Ctx): void {
  checkDuplicates(
    ctx,
    def.waves.map((w, i) => ({ id: w.id, path: ['waves', i, 'id'] })),
    'wave',
  );
  const baselines = def.waves.filter((w) => w.kind === 'baseline').length;
  if (baselines !== 1) issue(ctx, ['waves'], `exactly one wave must be the baseline (found ${baselines})`);
  def.waves.forEach((w, i) => {
    if (w.opens && w.closes && Date.parse(w.opens) >= Date.parse(w.closes)) {
      issue(ctx, ['waves', i, 'closes'], 'closes must be after opens');
    }
  });
  checkDuplicates(
    ctx,
    def.campaign.cities.map((c, i) => ({ id: c.code, path: ['campaign', 'cities', i, 'code'] })),
    'city',
  );
  checkDuplicates(
    ctx,
    def.channels.map((c, i) => ({ id: c.code, path: ['channels', i, 'code'] })),
    'channel',
  );
  const cityCodes = new Set(def.campaign.cities.map((c) => c.code));
  def.channels.forEach((c, i) => {
    if (c.city && !cityCodes.has(c.city))
      issue(ctx, ['channels', i, 'city'], `"${c.city}" is not a campaign city code`);
  });
  checkDuplicates(
    ctx,
    def.indicators.map((d, i) => ({ id: d.id, path: ['indicators', i, 'id'] })),
    'indicator',
  );

  const sharedShapes = new Map<string, { type: string; codes: string }>();
  const usedIndicators = new Set<string>();
  for (const [audience, spec] of Object.entries(def.audiences)) {
    if (!spec) continue;
    const seen = new Map<string, Question>();
    const dims = new Set<Dimension>();
    const sectionIds: { id: string; path: Path }[] = [];
    spec.sections.forEach((section, s) => {
      const sPath: Path = ['audiences', audience, 'sections', s];
      sectionIds.push({ id: section.id, path: [...sPath, 'id'] });
      if (section.showIf) checkShowIf(ctx, seen, section.showIf, [...sPath, 'showIf']);
      section.questions.forEach((q, k) => {
        const qPath: Path = [...sPath, 'questions', k];
        if (seen.has(q.id)) issue(ctx, [...qPath, 'id'], `duplicate question id "${q.id}" in audience ${audience}`);
        if (q.showIf) checkShowIf(ctx, seen, q.showIf, [...qPath, 'showIf']);
        if (q.type === 'consent' && (s !== 0 || k !== 0)) {
          issue(ctx, qPath, 'the consent question must be the first question of the first section');
        }
        checkOptions(ctx, q, qPath);
        if (q.dimension) checkDimension(ctx, def, q, dims, qPath);
        if (q.indicator) {
          usedIndicators.add(q.indicator);
          checkIndicatorTag(ctx, def, q, qPath);
        }
        checkSharedShape(ctx, sharedShapes, q, qPath);
        seen.set(q.id, q);
      });
    });
    checkDuplicates(ctx, sectionIds, 'section');
    const first = spec.sections[0]?.questions[0];
    if (first?.type !== 'consent') {
      issue(
        ctx,
        ['audiences', audience as Audience, 'sections', 0, 'questions', 0],
        'each audience starts with a consent question',
      );
    }
  }
  checkExportSettings(def, ctx);
  checkTargets(def, ctx);
  def.indicators.forEach((ind, i) => {
    if (!usedIndicators.has(ind.id))
      issue(ctx, ['indicators', i, 'id'], `indicator "${ind.id}" is tagged on no question`);
    if (ind.kind === 'share' && !ind.positive?.length) {
      issue(ctx, ['indicators', i, 'positive'], 'a share indicator needs the answer codes that count as positive');
    }
  });
}

/** The range an indicator's figures can take, in the unit targets are written in (a share in percent). */
function indicatorRange(def: SurveyDefinition, indicator: string): [number, number] | undefined {
  const kind = def.indicators.find((i) => i.id === indicator)?.kind;
  if (kind === 'index' || kind === 'share') return [0, 100];
  if (kind === 'nps') return [-100, 100];
  if (kind !== 'mean') return undefined;
  const tagged = Object.values(def.audiences)
    .flatMap((spec) => spec?.sections.flatMap((s) => s.questions) ?? [])
    .filter((q) => q.indicator === indicator);
  const ends = tagged.flatMap((q) => (q.type === 'number' ? [q.min, q.max] : scalePoints(q)));
  return ends.length > 0 ? [Math.min(...ends), Math.max(...ends)] : undefined;
}

/**
 * A target names an indicator the audience is asked, cities of the campaign, a wave of the survey
 * and a value the indicator can reach but has not by definition (a share target of 0 % or 100 %
 * cannot be tested: nothing is beyond it).
 */
function checkTargets(def: SurveyDefinition, ctx: Ctx): void {
  const cityCodes = new Set(def.campaign.cities.map((c) => c.code));
  const seen = new Set<string>();
  (def.targets ?? []).forEach((target, t) => {
    const path: Path = ['targets', t];
    const indicator = def.indicators.find((i) => i.id === target.indicator);
    if (!indicator) {
      issue(ctx, [...path, 'indicator'], `"${target.indicator}" is not declared under indicators`);
      return;
    }
    const asked = def.audiences[target.audience]?.sections.some((s) =>
      s.questions.some((q) => q.indicator === target.indicator),
    );
    if (!asked) {
      issue(ctx, [...path, 'audience'], `the ${target.audience} audience is not asked "${target.indicator}"`);
    }
    target.cities?.forEach((city, c) => {
      if (!cityCodes.has(city)) issue(ctx, [...path, 'cities', c], `"${city}" is not a campaign city code`);
    });
    if (target.wave && !def.waves.some((w) => w.id === target.wave)) {
      issue(ctx, [...path, 'wave'], `the survey has no wave "${target.wave}"`);
    }
    const range = indicatorRange(def, target.indicator);
    if (range) {
      const [lo, hi] = range;
      const open = indicator.kind === 'share';
      const outside = open ? !(target.value > lo && target.value < hi) : target.value < lo || target.value > hi;
      if (outside) {
        const unit = indicator.kind === 'share' ? ' (a share in percent)' : '';
        const bounds = open ? `between ${lo} and ${hi}, exclusive` : `from ${lo} to ${hi}`;
        issue(ctx, [...path, 'value'], `a target for "${target.indicator}" lies ${bounds}${unit}`);
      }
      if (target.from !== undefined && (target.from < lo || target.from > hi)) {
        issue(ctx, [...path, 'from'], `a starting value for "${target.indicator}" lies from ${lo} to ${hi}`);
      }
    }
    const key = `${target.indicator}|${target.audience}|${[...(target.cities ?? [])].sort().join(',')}`;
    if (seen.has(key)) {
      issue(ctx, path, `a second target for "${target.indicator}" and the same audience and cities`);
    }
    seen.add(key);
  });
}

/** Option codes are what responses store: unique, never the don't-know code, references resolvable. */
function checkOptions(ctx: Ctx, q: Question, path: Path): void {
  if (q.type !== 'single_choice' && q.type !== 'multiple_choice') return;
  checkDuplicates(
    ctx,
    q.options.map((o, i) => ({ id: o.code, path: [...path, 'options', i, 'code'] })),
    'option',
  );
  if (q.type === 'single_choice' && q.dontKnow) {
    q.options.forEach((o, i) => {
      if (o.code === DONT_KNOW) {
        issue(ctx, [...path, 'options', i, 'code'], `"${DONT_KNOW}" is added by dontKnow: true; use another code`);
      }
    });
  }
  if (q.type === 'multiple_choice') {
    const codes = new Set(q.options.map((o) => o.code));
    q.exclusive.forEach((code, i) => {
      if (!codes.has(code)) issue(ctx, [...path, 'exclusive', i], `"${code}" is not an option of this question`);
    });
    if (q.maxSelected !== undefined && q.maxSelected > q.options.length) {
      issue(ctx, [...path, 'maxSelected'], `maxSelected ${q.maxSelected} is more than the ${q.options.length} options`);
    }
  }
}

function checkShowIf(
  ctx: Ctx,
  seen: Map<string, Question>,
  showIf: { question: string; anyOf: AnswerCode[] },
  path: Path,
): void {
  const target = seen.get(showIf.question);
  if (!target) {
    issue(ctx, [...path, 'question'], `"${showIf.question}" is not an earlier question of this audience`);
    return;
  }
  const codes = answerCodes(target);
  if (!codes) {
    issue(ctx, [...path, 'question'], `"${showIf.question}" has no answer codes to match`);
    return;
  }
  showIf.anyOf.forEach((code, i) => {
    if (!codes.includes(code))
      issue(ctx, [...path, 'anyOf', i], `"${code}" is not an answer code of "${showIf.question}"`);
  });
}

function checkDimension(ctx: Ctx, def: SurveyDefinition, q: Question, dims: Set<Dimension>, path: Path): void {
  const dim = q.dimension as Dimension;
  if (dims.has(dim)) issue(ctx, [...path, 'dimension'], `dimension "${dim}" is already tagged on another question`);
  dims.add(dim);
  if (!DIMENSION_TYPES[dim].includes(q.type)) {
    issue(
      ctx,
      [...path, 'dimension'],
      `dimension "${dim}" needs a ${DIMENSION_TYPES[dim].join(' or ')} question, not ${q.type}`,
    );
    return;
  }
  if (dim === 'city' && q.type === 'single_choice') {
    const allowed = new Set([...def.campaign.cities.map((c) => c.code), OUTSIDE_CITY]);
    q.options.forEach((o, i) => {
      if (!allowed.has(o.code)) {
        issue(ctx, [...path, 'options', i, 'code'], `"${o.code}" is not a campaign city code (or "${OUTSIDE_CITY}")`);
      }
    });
  }
}

function checkIndicatorTag(ctx: Ctx, def: SurveyDefinition, q: Question, path: Path): void {
  const ind = def.indicators.find((d) => d.id === q.indicator);
  if (!ind) {
    issue(ctx, [...path, 'indicator'], `"${q.indicator}" is not declared under indicators`);
    return;
  }
  const types = INDICATOR_TYPES[ind.kind] ?? [];
  if (!types.includes(q.type)) {
    issue(
      ctx,
      [...path, 'indicator'],
      `a ${ind.kind} indicator cannot use a ${q.type} question (use ${types.join(', ')})`,
    );
    return;
  }
  const codes = answerCodes(q);
  for (const code of ind.positive ?? []) {
    if (codes && !codes.includes(code)) {
      issue(
        ctx,
        [...path, 'indicator'],
        `indicator "${ind.id}" counts "${code}" as positive, which "${q.id}" does not offer`,
      );
    }
  }
}

/** Question types whose one answer code can be a quasi-identifier (not multiple choice, free text or consent). */
const QI_TYPES = new Set<Question['type']>([
  'single_choice',
  'yes_no',
  'likert',
  'semantic_differential',
  'rating',
  'grade',
  'number',
]);

type SingleChoice = Question & { type: 'single_choice' };

/**
 * The export settings must describe steps the export can take:
 * - declared quasi-identifiers are questions of the survey with one answer code each, listed once
 *   and not already quasi-identifiers by their dimension;
 * - generalisation steps are total and unambiguous: each names a dimension or a declared
 *   single-choice question (one step each), has unique group codes, and puts every option of the
 *   questions it generalises in exactly one group (members no such question offers are errors).
 */
function checkExportSettings(def: SurveyDefinition, ctx: Ctx): void {
  const settings = def.settings.export;
  if (!settings) return;
  const byId = new Map<string, Question>();
  const tagged = new Map<Dimension, Map<string, SingleChoice>>();
  for (const spec of Object.values(def.audiences)) {
    for (const q of spec?.sections.flatMap((s) => s.questions) ?? []) {
      if (!byId.has(q.id)) byId.set(q.id, q);
      if (!q.dimension || q.type !== 'single_choice') continue;
      const ofDimension = tagged.get(q.dimension) ?? new Map();
      tagged.set(q.dimension, ofDimension);
      if (!ofDimension.has(q.id)) ofDimension.set(q.id, q);
    }
  }

  const declared = new Set<string>();
  settings.quasiIdentifiers.forEach((id, i) => {
    const path: Path = ['settings', 'export', 'quasiIdentifiers', i];
    const q = byId.get(id);
    if (!q) issue(ctx, path, `"${id}" is not a question of this survey`);
    else if (!QI_TYPES.has(q.type))
      issue(ctx, path, `"${id}" is a ${q.type} question; a quasi-identifier must have one answer code`);
    else if (q.dimension && q.dimension !== 'exposure')
      issue(ctx, path, `"${id}" is tagged with dimension "${q.dimension}", which already makes it a quasi-identifier`);
    else if (declared.has(id)) issue(ctx, path, `"${id}" is listed twice`);
    declared.add(id);
  });

  const kept = new Set<string>();
  (settings.keep ?? []).forEach((id, i) => {
    const path: Path = ['settings', 'export', 'keep', i];
    const q = byId.get(id);
    const quasi = q !== undefined && ((q.dimension !== undefined && q.dimension !== 'exposure') || declared.has(id));
    if (!quasi) {
      issue(
        ctx,
        path,
        `"${id}" is not a quasi-identifier question (tagged with a dimension, or listed under quasiIdentifiers)`,
      );
    } else if (kept.has(id)) issue(ctx, path, `"${id}" is listed twice`);
    kept.add(id);
  });

  const targets = new Set<string>();
  settings.hierarchies.forEach((h, i) => {
    const hPath: Path = ['settings', 'export', 'hierarchies', i];
    if ((h.dimension === undefined) === (h.question === undefined)) {
      issue(ctx, hPath, 'name either a dimension or a question, not both or neither');
      return;
    }
    const target = h.dimension ? `dimension "${h.dimension}"` : `question "${h.question}"`;
    if (targets.has(target))
      issue(ctx, [...hPath, h.dimension ? 'dimension' : 'question'], `${target} already has a hierarchy`);
    targets.add(target);
    checkDuplicates(
      ctx,
      h.groups.map((g, j) => ({ id: g.code, path: [...hPath, 'groups', j, 'code'] })),
      'group',
    );
    const questions = hierarchyQuestions(ctx, hPath, h, { byId, tagged, declared });
    if (!questions) return;
    const offered = new Set(questions.flatMap((q) => q.options.map((o) => o.code)));
    const groupOf = new Map<string, string>();
    h.groups.forEach((g, j) => {
      g.members.forEach((code, m) => {
        const mPath: Path = [...hPath, 'groups', j, 'members', m];
        const earlier = groupOf.get(code);
        if (!offered.has(code)) {
          issue(
            ctx,
            mPath,
            `"${code}" is not an option code of ${h.dimension ? `a question tagged with ${target}` : target}`,
          );
        } else if (earlier !== undefined) {
          issue(ctx, mPath, `"${code}" is already a member of group "${earlier}"`);
        } else {
          groupOf.set(code, g.code);
        }
      });
    });
    for (const q of questions) {
      for (const o of q.options) {
        if (!groupOf.has(o.code)) {
          issue(ctx, [...hPath, 'groups'], `option "${o.code}" of "${q.id}" is in no group`);
        }
      }
    }
  });
}

/** The single-choice questions a hierarchy generalises, or undefined (with an issue) when it has none. */
function hierarchyQuestions(
  ctx: Ctx,
  hPath: Path,
  h: { dimension?: Dimension | undefined; question?: string | undefined },
  known: { byId: Map<string, Question>; tagged: Map<Dimension, Map<string, SingleChoice>>; declared: Set<string> },
): SingleChoice[] | undefined {
  if (h.dimension) {
    const questions = [...(known.tagged.get(h.dimension)?.values() ?? [])];
    if (questions.length > 0) return questions;
    issue(ctx, [...hPath, 'dimension'], `no single-choice question is tagged with dimension "${h.dimension}"`);
    return undefined;
  }
  const id = h.question ?? '';
  const q = known.byId.get(id);
  if (q?.type !== 'single_choice') {
    issue(ctx, [...hPath, 'question'], `"${id}" is not a single-choice question of this survey`);
    return undefined;
  }
  if (q.dimension && q.dimension !== 'exposure') {
    issue(ctx, [...hPath, 'question'], `"${id}" is tagged with dimension "${q.dimension}": name the dimension instead`);
    return undefined;
  }
  if (!known.declared.has(id)) {
    issue(ctx, [...hPath, 'question'], `"${id}" is not listed under settings.export.quasiIdentifiers`);
    return undefined;
  }
  return [q];
}

/** A question id used in several audiences is the same question: same type and codes (shared core battery). */
function checkSharedShape(
  ctx: Ctx,
  shapes: Map<string, { type: string; codes: string }>,
  q: Question,
  path: Path,
): void {
  // Consent is stored as who consented (consentBy), not as an answer, and is never exported or
  // counted: the public's (with a parent's option) and a business's (without) may differ.
  if (q.type === 'consent') return;
  const shape = { type: q.type, codes: JSON.stringify(answerCodes(q) ?? null) };
  const prev = shapes.get(q.id);
  if (prev && (prev.type !== shape.type || prev.codes !== shape.codes)) {
    issue(ctx, [...path, 'id'], `"${q.id}" appears in another audience with a different type or codes`);
  }
  shapes.set(q.id, shape);
}

/** The definition schema with all cross-reference checks: parse files with this. */
export const ValidSurveyDefinition = SurveyDefinition.check(z.superRefine(checkReferences));

export interface DefinitionIssue {
  path: string;
  message: string;
  /** Where in the file, when it was read from one (1-based). */
  line?: number;
  /** The path as keys and indices, for finding it in the file. */
  at?: readonly PropertyKey[];
}

export type DefinitionResult = { ok: true; definition: SurveyDefinition } | { ok: false; issues: DefinitionIssue[] };

export function validateDefinition(raw: unknown): DefinitionResult {
  const result = ValidSurveyDefinition.safeParse(raw);
  if (result.success) return { ok: true, definition: result.data };
  return {
    ok: false,
    issues: result.error.issues.map((i) => ({ path: formatPath(i.path) || '(root)', message: i.message, at: i.path })),
  };
}
