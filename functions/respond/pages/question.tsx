import type { Child } from 'hono/jsx';
import { DONT_KNOW, scalePoints } from '../../../shared/survey/codes.js';
import type { Question } from '../../../shared/survey/schema.js';
import { formStrings } from './form-values.js';
import { type Lang, ui } from './i18n.js';

/** The id of a question's element: error summaries link here, `aria-describedby` points near it. */
export function fieldId(q: Question): string {
  return `q-${q.id}`;
}

/** Where an error summary link should land: the first input of a group, or the input itself. */
export function fieldAnchor(q: Question): string {
  return q.type === 'number' || q.type === 'text' ? fieldId(q) : `${fieldId(q)}-0`;
}

interface QuestionProps {
  q: Question;
  lang: Lang;
  value: unknown;
  error?: string | undefined;
}

interface Option {
  value: string;
  label: Child;
}

function describedBy(...ids: (string | false | undefined)[]): string | undefined {
  const list = ids.filter((id): id is string => typeof id === 'string');
  return list.length > 0 ? list.join(' ') : undefined;
}

function QuestionText({ q, lang }: { q: Question; lang: Lang }) {
  return (
    <>
      {q.label[lang]}
      {q.required && <span class="required-mark"> ({ui[lang].required})</span>}
    </>
  );
}

function Hint({ id, texts }: { id: string; texts: string[] }) {
  return texts.length > 0 ? (
    <p class="hint" id={id}>
      {texts.join(' ')}
    </p>
  ) : null;
}

function ErrorText({ id, lang, error }: { id: string; lang: Lang; error: string | undefined }) {
  return error ? (
    <p class="error-message" id={id}>
      <span class="visually-hidden">{ui[lang].errorTitlePrefix}</span>
      {error}
    </p>
  ) : null;
}

/** Hints beyond the definition's help text that a question type needs to be answered right. */
function hintsOf(q: Question, lang: Lang): string[] {
  const t = ui[lang];
  const help = q.help ? [q.help[lang]] : [];
  switch (q.type) {
    case 'rating':
      return [...help, t.scaleEnds(0, q.low[lang], 10, q.high[lang])];
    case 'number':
      return [...help, t.numberRange(q.min, q.max)];
    case 'text':
      return [...help, t.maxLength(q.maxLength)];
    case 'multiple_choice':
      return q.maxSelected !== undefined ? [...help, t.maxSelected(q.maxSelected)] : help;
    default:
      return help;
  }
}

/** Radio buttons or checkboxes as full-width rows (the whole row is the touch target). */
function Choices(props: {
  q: Question;
  type: 'radio' | 'checkbox';
  options: Option[];
  checked: string[];
  invalid: boolean;
  first?: number;
}) {
  const base = fieldId(props.q);
  const first = props.first ?? 0;
  return (
    <div class="choices">
      {props.options.map((o, i) => (
        <label class="choice" for={`${base}-${first + i}`}>
          <input
            type={props.type}
            id={`${base}-${first + i}`}
            name={props.q.id}
            value={o.value}
            checked={props.checked.includes(o.value)}
            aria-invalid={props.invalid ? 'true' : undefined}
          />
          <span>{o.label}</span>
        </label>
      ))}
    </div>
  );
}

/** Numbered scale points side by side; the end labels are spoken with the first and last point. */
function Scale(props: { q: Question; points: number[]; ends: [string, string]; checked: string[]; invalid: boolean }) {
  const base = fieldId(props.q);
  const last = props.points.length - 1;
  return (
    <div class={`scale scale-${props.points.length}`}>
      {props.points.map((point, i) => {
        const end = i === 0 ? props.ends[0] : i === last ? props.ends[1] : undefined;
        return (
          <label class="point" for={`${base}-${i}`}>
            <input
              type="radio"
              id={`${base}-${i}`}
              name={props.q.id}
              value={String(point)}
              checked={props.checked.includes(String(point))}
              aria-invalid={props.invalid ? 'true' : undefined}
            />
            <span>
              {point}
              {end && <span class="visually-hidden"> – {end}</span>}
            </span>
          </label>
        );
      })}
    </div>
  );
}

function GroupBody({ q, lang, checked, invalid }: { q: Question; lang: Lang; checked: string[]; invalid: boolean }) {
  const t = ui[lang];
  const dontKnow: Option = { value: DONT_KNOW, label: t.dontKnow };
  const withDontKnow = (options: Option[], offered: boolean) => (offered ? [...options, dontKnow] : options);
  const choices = (type: 'radio' | 'checkbox', options: Option[]) => (
    <Choices q={q} type={type} options={options} checked={checked} invalid={invalid} />
  );
  switch (q.type) {
    case 'single_choice':
      return choices(
        'radio',
        withDontKnow(
          q.options.map((o) => ({ value: o.code, label: o.label[lang] })),
          q.dontKnow,
        ),
      );
    case 'multiple_choice':
      return choices(
        'checkbox',
        q.options.map((o) => ({
          value: o.code,
          label: q.exclusive.includes(o.code) ? (
            <>
              {o.label[lang]} <span class="choice-note">({t.exclusive})</span>
            </>
          ) : (
            o.label[lang]
          ),
        })),
      );
    case 'likert':
      return choices(
        'radio',
        withDontKnow(
          t.likert.map((label, i) => ({ value: String(i + 1), label })),
          q.dontKnow,
        ),
      );
    case 'grade':
      return choices(
        'radio',
        withDontKnow(
          t.grades.map((label, i) => ({ value: String(i + 1), label: `${i + 1} – ${label}` })),
          q.dontKnow,
        ),
      );
    case 'yes_no':
      return choices(
        'radio',
        withDontKnow(
          [
            { value: 'yes', label: t.yes },
            { value: 'no', label: t.no },
          ],
          q.dontKnow,
        ),
      );
    case 'consent':
      // A business answers through an adult: one option, no age and no parent.
      if (q.parentalConsent === false) return choices('radio', [{ value: 'self', label: t.consentAdult }]);
      return choices('radio', [
        { value: 'self', label: t.consentSelf(q.selfConsentAge) },
        { value: 'guardian', label: t.consentGuardian(q.selfConsentAge) },
      ]);
    case 'semantic_differential':
    case 'rating': {
      const points = scalePoints(q);
      const ends: [string, string] = q.type === 'rating' ? [q.low[lang], q.high[lang]] : [q.left[lang], q.right[lang]];
      return (
        <>
          {q.type === 'semantic_differential' && (
            <p class="scale-ends" aria-hidden="true">
              <span>{ends[0]}</span>
              <span>{ends[1]}</span>
            </p>
          )}
          <Scale q={q} points={points} ends={ends} checked={checked} invalid={invalid} />
          {q.dontKnow && (
            <Choices
              q={q}
              type="radio"
              options={[dontKnow]}
              checked={checked}
              invalid={invalid}
              first={points.length}
            />
          )}
        </>
      );
    }
    default:
      return null;
  }
}

function TextInput({ q, lang, value, error }: QuestionProps) {
  if (q.type !== 'text' && q.type !== 'number') return null;
  const id = fieldId(q);
  const hints = hintsOf(q, lang);
  const unit = q.type === 'number' && q.unit ? q.unit[lang] : undefined;
  const common = {
    id,
    name: q.id,
    'aria-describedby': describedBy(
      hints.length > 0 && `${id}-hint`,
      unit !== undefined && `${id}-unit`,
      error !== undefined && `${id}-error`,
    ),
    'aria-invalid': error ? 'true' : undefined,
  };
  const text = formStrings(value)[0] ?? '';
  return (
    <div class={error ? 'question has-error' : 'question'}>
      <label class="question-label" for={id}>
        <QuestionText q={q} lang={lang} />
      </label>
      <Hint id={`${id}-hint`} texts={hints} />
      <ErrorText id={`${id}-error`} lang={lang} error={error} />
      {q.type === 'number' ? (
        <div class="number-row">
          <input
            type="number"
            inputmode={q.integer ? 'numeric' : 'decimal'}
            min={q.min}
            max={q.max}
            step={q.integer ? 1 : 'any'}
            value={text}
            {...common}
          />
          {unit && (
            <span class="unit" id={`${id}-unit`}>
              {unit}
            </span>
          )}
        </div>
      ) : q.multiline ? (
        <textarea rows={5} maxlength={q.maxLength} {...common}>
          {text}
        </textarea>
      ) : (
        <input type="text" maxlength={q.maxLength} value={text} {...common} />
      )}
    </div>
  );
}

/** One question as accessible form controls: a fieldset with legend for every group of options. */
export function QuestionField(props: QuestionProps) {
  const { q, lang, value, error } = props;
  if (q.type === 'text' || q.type === 'number') return <TextInput {...props} />;
  const id = fieldId(q);
  const hints = hintsOf(q, lang);
  return (
    <fieldset
      class={error ? 'question has-error' : 'question'}
      id={id}
      aria-describedby={describedBy(hints.length > 0 && `${id}-hint`, error !== undefined && `${id}-error`)}
    >
      <legend>
        <QuestionText q={q} lang={lang} />
      </legend>
      <Hint id={`${id}-hint`} texts={hints} />
      <ErrorText id={`${id}-error`} lang={lang} error={error} />
      <GroupBody q={q} lang={lang} checked={formStrings(value)} invalid={error !== undefined} />
    </fieldset>
  );
}
