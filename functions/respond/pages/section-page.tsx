import type { FieldIssue } from '../../../shared/errors.js';
import {
  asAnswers,
  mayContinue,
  type PageNotice,
  progressOf,
  type RawAnswers,
  visibleQuestions,
} from '../../../shared/survey/flow.js';
import type { AudienceDefinition, Question, SurveyDefinition } from '../../../shared/survey/schema.js';
import { previousSectionIndex } from '../../../shared/survey/visibility.js';
import { messageFor } from './error-messages.js';
import { formStrings } from './form-values.js';
import { type Lang, otherLang, ui } from './i18n.js';
import { Layout } from './layout.js';
import { fieldAnchor, QuestionField } from './question.js';

export interface SectionPageProps {
  definition: SurveyDefinition;
  audience: AudienceDefinition;
  index: number;
  lang: Lang;
  /** Where the form posts (the page's own address, with language and channel). */
  action: string;
  /** The consent page reached by a link offers the other language as a link; later pages post a button. */
  langHref?: string | undefined;
  submissionId?: string | undefined;
  lock: number;
  answers: RawAnswers;
  issues?: FieldIssue[];
  notice?: PageNotice | undefined;
  /**
   * A preview for the campaign team (console): the page as a respondent sees it, with this text
   * above it and its buttons disabled, so nothing is sent from it.
   */
  preview?: string | undefined;
}

interface SummaryItem {
  anchor?: string | undefined;
  text: string;
}

function ErrorSummary({ lang, items }: { lang: Lang; items: SummaryItem[] }) {
  return (
    <div class="error-summary" role="alert" aria-labelledby="error-summary-title">
      <h2 id="error-summary-title">{ui[lang].errorSummaryTitle}</h2>
      <ul>
        {items.map((item) => (
          <li>{item.anchor ? <a href={`#${item.anchor}`}>{item.text}</a> : item.text}</li>
        ))}
      </ul>
    </div>
  );
}

function noticeText(notice: PageNotice, lang: Lang): string {
  const t = ui[lang];
  const texts: Record<PageNotice, string> = {
    locked: t.noticeLocked,
    revealed: t.noticeRevealed,
    busy: t.noticeBusy,
    answered: t.noticeAnswered,
  };
  return texts[notice];
}

/** One section of the questionnaire as a form page; answers of other sections ride along hidden. */
export function SectionPage(props: SectionPageProps) {
  const { definition, audience, index, lang, answers, lock } = props;
  const t = ui[lang];
  const section = audience.sections[index];
  if (!section) throw new Error(`section ${index} does not exist`);
  const visible = visibleQuestions(section, answers);
  const visibleIds = new Set(visible.map((q) => q.id));
  const byId = new Map<string, Question>(audience.sections.flatMap((s) => s.questions.map((q) => [q.id, q])));

  const issues = props.issues ?? [];
  const errors = new Map<string, string>();
  const summary: SummaryItem[] = issues.map((issue) => {
    const q = byId.get(issue.field);
    const message = messageFor(issue, q, lang);
    if (!q) return { text: message };
    const text = `${q.label[lang]}${/[?:.!]$/.test(q.label[lang]) ? '' : ':'} ${message}`;
    if (!visibleIds.has(q.id)) return { text };
    if (!errors.has(q.id)) errors.set(q.id, message);
    return { anchor: fieldAnchor(q), text };
  });

  const carried = Object.entries(answers).filter(([id]) => !visibleIds.has(id) && byId.has(id));
  const { position, total } = progressOf(audience, index, answers);
  const previous = previousSectionIndex(audience, index, asAnswers(answers));
  const canGoBack = previous >= 0 && previous > lock;
  const heading = index === 0 ? audience.title[lang] : section.title[lang];
  const title = `${issues.length > 0 ? t.errorTitlePrefix : ''}${section.title[lang]} – ${definition.title[lang]}`;
  const other = otherLang(lang);

  return (
    <Layout lang={lang} title={title} siteTitle={definition.title[lang]} langHref={props.langHref}>
      {props.preview && (
        <p class="notice" role="note">
          {props.preview}
        </p>
      )}
      {summary.length > 0 && <ErrorSummary lang={lang} items={summary} />}
      {props.notice && (
        <p class="notice" role="status">
          {noticeText(props.notice, lang)}
        </p>
      )}
      <p class="progress" id="progress">
        {t.progress(position, total)}
      </p>
      <progress max={total} value={position} aria-labelledby="progress" />
      <h1>{heading}</h1>
      {index === 0 && audience.intro && <p class="intro">{audience.intro[lang]}</p>}
      {index === 0 && <h2>{section.title[lang]}</h2>}
      {section.intro && <p>{section.intro[lang]}</p>}
      <form method="post" action={props.action} novalidate>
        <input type="hidden" name="_section" value={String(index)} />
        <input type="hidden" name="_lock" value={String(lock)} />
        <input type="hidden" name="_shown" value={[...visibleIds].join(' ')} />
        {props.submissionId && <input type="hidden" name="_sid" value={props.submissionId} />}
        {carried.flatMap(([id, value]) => formStrings(value).map((v) => <input type="hidden" name={id} value={v} />))}
        {visible.map((q) => (
          <QuestionField q={q} lang={lang} value={answers[q.id]} error={errors.get(q.id)} />
        ))}
        {index === 0 && <p class="hint">{t.consentDeclineHint}</p>}
        {section.noBack && <p class="hint">{t.noBackNote}</p>}
        <div class="actions">
          <button type="submit" class="primary" name="_action" value="next" disabled={!!props.preview}>
            {mayContinue(audience, index, answers) ? t.next : t.submit}
          </button>
          {canGoBack && (
            <button type="submit" class="secondary" name="_action" value="back" disabled={!!props.preview}>
              {t.back}
            </button>
          )}
          {index === 0 && (
            <button type="submit" class="secondary" name="_action" value="decline" disabled={!!props.preview}>
              {t.decline}
            </button>
          )}
        </div>
        {!props.langHref && (
          <p class="lang-form">
            <button
              type="submit"
              class="link-button"
              name="_action"
              value="lang"
              lang={other}
              disabled={!!props.preview}
            >
              {ui[other].languageName}
            </button>
          </p>
        )}
      </form>
    </Layout>
  );
}
