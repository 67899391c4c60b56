import type { Question, SurveyDefinition } from './schema.js';

/** One question of one audience whose definition differs between two versions, and in what. */
export interface QuestionChange {
  audience: string;
  id: string;
  /** What differs: `type`, `text` (label, help, scale ends), `codes`, `option texts`, `required`, `condition`, `dimension`, `indicator`, `other`. */
  what: string[];
  /** Answer codes only one side has (choice questions). */
  codesAdded?: string[];
  codesRemoved?: string[];
}

export interface Listed {
  added: string[];
  removed: string[];
  changed: string[];
}

/**
 * What a new version of a survey file changes against the published one, as a person checking it
 * before publishing wants to read it: questions per audience (added, removed, and what changed in
 * each: answer codes, texts, conditions), indicators, waves, channels, cities, and which settings.
 */
export interface DefinitionChanges {
  surveyId: string;
  /** The published version, or null for a survey not published yet. */
  from: string | null;
  to: string;
  /** True when nothing differs at all (publishing it again changes nothing). */
  identical: boolean;
  questions: {
    added: { audience: string; id: string }[];
    removed: { audience: string; id: string }[];
    changed: QuestionChange[];
  };
  audiences: Listed;
  sections: Listed;
  indicators: Listed;
  waves: Listed;
  channels: Listed;
  cities: Listed;
  /** Top-level settings (`minCellSize`, `export`, `retention`, ...) and other top-level fields that differ. */
  settings: string[];
  other: string[];
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Items of two lists by id: which only the new one has, which only the old one, which differ. */
function listed<T>(before: readonly T[], after: readonly T[], id: (item: T) => string): Listed {
  const old = new Map(before.map((item) => [id(item), item]));
  const now = new Map(after.map((item) => [id(item), item]));
  return {
    added: [...now.keys()].filter((key) => !old.has(key)),
    removed: [...old.keys()].filter((key) => !now.has(key)),
    changed: [...now].filter(([key, item]) => old.has(key) && !same(old.get(key), item)).map(([key]) => key),
  };
}

function questionsOf(definition: SurveyDefinition): Map<string, { audience: string; question: Question }> {
  const out = new Map<string, { audience: string; question: Question }>();
  for (const [audience, body] of Object.entries(definition.audiences)) {
    for (const section of body?.sections ?? []) {
      for (const question of section.questions) out.set(`${audience}\u0000${question.id}`, { audience, question });
    }
  }
  return out;
}

const TEXT_FIELDS = new Set(['label', 'help', 'left', 'right', 'low', 'high', 'text']);
const NAMED: Record<string, string> = {
  type: 'type',
  required: 'required',
  showIf: 'condition',
  dimension: 'dimension',
  indicator: 'indicator',
};

function questionChange(audience: string, a: Question, b: Question): QuestionChange | undefined {
  if (same(a, b)) return undefined;
  const what = new Set<string>();
  const change: QuestionChange = { audience, id: b.id, what: [] };
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  for (const field of new Set([...Object.keys(ra), ...Object.keys(rb)])) {
    if (field === 'id' || same(ra[field], rb[field])) continue;
    if (field === 'options') {
      const codes = (q: Record<string, unknown>) =>
        ((q.options as { code: string; label: unknown }[] | undefined) ?? []).map((o) => o.code);
      const [ca, cb] = [codes(ra), codes(rb)];
      const added = cb.filter((c) => !ca.includes(c));
      const removed = ca.filter((c) => !cb.includes(c));
      if (added.length > 0 || removed.length > 0 || !same(ca, cb)) what.add('codes');
      if (added.length > 0) change.codesAdded = added;
      if (removed.length > 0) change.codesRemoved = removed;
      const labels = (q: Record<string, unknown>) =>
        new Map(((q.options as { code: string; label: unknown }[] | undefined) ?? []).map((o) => [o.code, o.label]));
      const [la, lb] = [labels(ra), labels(rb)];
      if ([...lb].some(([code, label]) => la.has(code) && !same(la.get(code), label))) what.add('option texts');
    } else if (TEXT_FIELDS.has(field)) what.add('text');
    else what.add(NAMED[field] ?? 'other');
  }
  change.what = [...what];
  return change;
}

/** What `after` changes against `before` (the published version; undefined for a new survey). */
export function definitionChanges(before: SurveyDefinition | undefined, after: SurveyDefinition): DefinitionChanges {
  const base = before;
  const qa = base ? questionsOf(base) : new Map();
  const qb = questionsOf(after);
  const ref = ({ audience, question }: { audience: string; question: Question }) => ({ audience, id: question.id });
  const changed: QuestionChange[] = [];
  for (const [key, entry] of qb) {
    const old = qa.get(key);
    const change = old && questionChange(entry.audience, old.question, entry.question);
    if (change) changed.push(change);
  }
  const sectionsOf = (d: SurveyDefinition | undefined) =>
    Object.entries(d?.audiences ?? {}).flatMap(([audience, body]) =>
      (body?.sections ?? []).map((s) => ({
        key: `${audience}/${s.id}`,
        s: { ...s, questions: s.questions.map((q) => q.id) },
      })),
    );
  const audiencesOf = (d: SurveyDefinition | undefined) =>
    Object.entries(d?.audiences ?? {}).map(([id, body]) => ({ id, title: body?.title, intro: body?.intro }));
  const {
    audiences: _a,
    campaign: ca,
    waves: _w,
    indicators: _i,
    channels: _c,
    settings: sa,
    ...restA
  } = base ?? ({} as Partial<SurveyDefinition>);
  const { audiences: _b, campaign: cb, waves: _x, indicators: _j, channels: _d, settings: sb, ...restB } = after;
  const settings = [...new Set([...Object.keys(sa ?? {}), ...Object.keys(sb)])].filter(
    (key) => !same((sa as Record<string, unknown> | undefined)?.[key], (sb as Record<string, unknown>)[key]),
  );
  const other = [
    ...[...new Set([...Object.keys(restA), ...Object.keys(restB)])].filter(
      (key) =>
        key !== 'version' && !same((restA as Record<string, unknown>)[key], (restB as Record<string, unknown>)[key]),
    ),
    ...(base && !same({ ...ca, cities: [] }, { ...cb, cities: [] }) ? ['campaign'] : []),
  ];
  const result: DefinitionChanges = {
    surveyId: after.id,
    from: base?.version ?? null,
    to: after.version,
    identical: base !== undefined && same(base, after),
    questions: {
      added: [...qb].filter(([key]) => !qa.has(key)).map(([, entry]) => ref(entry)),
      removed: [...qa].filter(([key]) => !qb.has(key)).map(([, entry]) => ref(entry)),
      changed,
    },
    audiences: listed(audiencesOf(base), audiencesOf(after), (a) => a.id),
    sections: listed(sectionsOf(base), sectionsOf(after), (s) => s.key),
    indicators: listed(base?.indicators ?? [], after.indicators, (i) => i.id),
    waves: listed(base?.waves ?? [], after.waves, (w) => w.id),
    channels: listed(base?.channels ?? [], after.channels, (c) => c.code),
    cities: listed(ca?.cities ?? [], cb.cities, (c) => c.code),
    settings: base ? settings : [],
    other: base ? other : [],
  };
  return result;
}
