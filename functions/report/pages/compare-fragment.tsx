import type { Context } from 'hono';
import type { DidRow, SharedIndicator, SlotFigure } from '../../../shared/impact/compare.js';
import { localTime } from '../../lib/local-time.js';
import { type Lang, langFrom } from '../../respond/pages/i18n.js';
import type { ComparisonView } from '../compare.js';
import { compareUi } from './compare-i18n.js';
import { differenceNumber } from './format.js';
import {
  flagText,
  formatDifference,
  formatDifferenceInterval,
  formatInterval,
  formatP,
  formatValue,
} from './impact-fragment.js';
import { impactUi } from './impact-i18n.js';
import { summaryUi } from './summary-i18n.js';

type Survey = ComparisonView['surveys'][number];

/**
 * What a column is headed with: the region, unless two surveys share it (two surveys of one
 * campaign), then with the title, and the id where even that repeats.
 */
export function surveyNames(surveys: readonly Survey[], lang: Lang): Map<string, string> {
  const region = (s: Survey) => s.campaign.region;
  const titled = (s: Survey) => `${s.campaign.region}: ${s.title[lang]}`;
  const unique = (name: (s: Survey) => string) => new Set(surveys.map(name)).size === surveys.length;
  const name = unique(region) ? region : unique(titled) ? titled : (s: Survey) => `${titled(s)} (${s.surveyId})`;
  return new Map(surveys.map((s) => [s.surveyId, name(s)]));
}

/** A figure with "%" kept to its number, so that a narrow column breaks only between the bounds. */
const keepUnits = (text: string) => text.replaceAll(' %', '\u00a0%');

/** One survey's figure in a wave: the value, its interval and n on lines of their own. */
function FigureCell({ kind, figure, lang }: { kind: SharedIndicator['kind']; figure: SlotFigure; lang: Lang }) {
  const note = flagText(figure.flags, lang);
  const unreliable = figure.flags.includes('unreliable');
  return (
    <>
      <span class={`estimate${unreliable ? ' unreliable' : ''}`}>
        {figure.estimate === null ? '–' : keepUnits(formatValue(kind, figure.estimate, lang))}
        {note && <span class="flag"> ({note})</span>}
      </span>
      {figure.ci && <span class="interval">{keepUnits(formatInterval(kind, figure, lang))}</span>}
      {figure.n !== null && <span class="n">n = {String(figure.n)}</span>}
    </>
  );
}

/** The unit a difference of this kind is read in (a share's is "percentage points"). */
function unitOf(kind: SharedIndicator['kind'], lang: Lang): string {
  const units = summaryUi[lang].unit;
  return kind === 'share'
    ? units.percentage_points
    : kind === 'index'
      ? units.index_points
      : kind === 'nps'
        ? units.nps_points
        : units.scale_points;
}

/**
 * Each survey's own change from the baseline to the follow-up, from the figures the table shows
 * (so a reader sees what the difference is a difference of).
 */
function ownChanges(indicator: SharedIndicator, row: DidRow, name: (id: string) => string, lang: Lang): string | null {
  const at = (slot: string, survey: string) =>
    indicator.waves.find((w) => w.slot === slot)?.figures.find((f) => f.surveyId === survey)?.estimate ?? null;
  const change = (survey: string) => {
    const [from, to] = [at('baseline', survey), at(row.slot, survey)];
    return from === null || to === null ? null : `${name(survey)} ${differenceNumber(indicator.kind, to - from, lang)}`;
  };
  const [b, a] = [change(row.b), change(row.a)];
  if (b === null || a === null) return null;
  return compareUi[lang].ownChanges(`${b}, ${a} ${unitOf(indicator.kind, lang)}`);
}

/** A difference in differences: the value in the indicator's unit, its interval, the adjusted p. */
function DidCell({
  indicator,
  row,
  name,
  lang,
}: {
  indicator: SharedIndicator;
  row: DidRow;
  name: (id: string) => string;
  lang: Lang;
}) {
  const ui = impactUi[lang];
  const kind = indicator.kind;
  // Beside a difference shown, where the surveys differ and a pair may still ask alike (three or more).
  const questions = !indicator.sameQuestions && indicator.surveys.length > 2 && (
    <span class={`pair-questions${row.sameQuestions ? '' : ' differ'}`}>
      {compareUi[lang].pairQuestions(row.sameQuestions)}
    </span>
  );
  if (row.delta === null || row.p === null) {
    return <span class="estimate">{`${compareUi[lang].notTested}: ${flagText(row.flags, lang) || '–'}`}</span>;
  }
  const p = row.pAdjusted ?? row.p;
  const own = ownChanges(indicator, row, name, lang);
  const value =
    kind === 'share'
      ? formatDifference(kind, row.delta, lang)
      : `${differenceNumber(kind, row.delta, lang)} ${unitOf(kind, lang)}`;
  return (
    <>
      {questions}
      {own && <span class="own-changes">{own}</span>}
      <span class="estimate">{value}</span>
      <span class="interval">{`${ui.interval}: ${formatDifferenceInterval(kind, row, lang)}`}</span>
      <span class={row.significant ? 'significant' : undefined}>
        {row.significant ? `★ ${ui.significant}` : ui.notSignificant} · {ui.pAdjusted('holm')} {formatP(p, lang)}
      </span>
    </>
  );
}

function IndicatorTable({
  indicator,
  view,
  names,
  lang,
}: {
  indicator: SharedIndicator;
  view: ComparisonView;
  names: Map<string, string>;
  lang: Lang;
}) {
  const ui = compareUi[lang];
  const label = indicator.label[lang];
  const headingId = `cmp-${indicator.id}-${indicator.kind}`;
  const surveys = view.surveys.filter((s) => indicator.surveys.includes(s.surveyId));
  const name = (id: string) => names.get(id) ?? id;
  // More than two columns do not fit a phone: the table then stacks (console.css).
  const stack = surveys.length > 2 ? ' stack' : '';
  return (
    <section
      class="report-section compare-indicator"
      aria-labelledby={headingId}
      data-indicator={indicator.id}
      data-same-questions={String(indicator.sameQuestions)}
    >
      <h2 id={headingId}>{label}</h2>
      {!indicator.sameQuestions && (
        <p class="notice">{surveys.length > 2 ? `${ui.differentQuestions} ${ui.pairsNamed}` : ui.differentQuestions}</p>
      )}
      <table class={`compare-table${stack}`}>
        <caption>{ui.caption(label)}</caption>
        <thead>
          <tr>
            <th scope="col">{ui.wave}</th>
            {surveys.map((s) => (
              <th scope="col" class="num">
                {name(s.surveyId)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {indicator.waves.map((row) => (
            <tr data-slot={row.slot}>
              <th scope="row">{ui.slotShort(row.slot)}</th>
              {surveys.map((s) => {
                const figure = row.figures.find((f) => f.surveyId === s.surveyId);
                const wave = s.waves.find((w) => w.waveId === figure?.waveId);
                return (
                  <td class="num" data-label={name(s.surveyId)} data-survey={s.surveyId}>
                    {figure ? <FigureCell kind={indicator.kind} figure={figure} lang={lang} /> : ui.noWave}
                    {wave && <span class="own-wave">{wave.label[lang]}</span>}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
        {indicator.differences.length > 0 && (
          // Each difference takes the table's width: its name on one row, its result on the next
          // (tied to the name by `headers`), so that neither is squeezed into a column on a phone.
          <tbody class="did">
            {indicator.differences.map((d) => {
              const id = `${headingId}-${d.a}-${d.b}-${d.slot.replace(' ', '-')}`;
              return (
                <>
                  <tr data-slot={d.slot} data-a={d.a} data-b={d.b}>
                    <th id={id} colspan={surveys.length + 1}>
                      {ui.didRow(name(d.b), name(d.a), ui.slot(d.slot))}
                    </th>
                  </tr>
                  <tr>
                    <td headers={id} colspan={surveys.length + 1}>
                      <DidCell indicator={indicator} row={d} name={name} lang={lang} />
                    </td>
                  </tr>
                </>
              );
            })}
          </tbody>
        )}
      </table>
    </section>
  );
}

/**
 * The comparison's content: escaped server-rendered HTML, one table per shared indicator.
 * `nameOf` names a survey left out for not asking the audience as the page's choices do (its id
 * where the caller has no names).
 */
export function CompareFragment({
  view,
  lang,
  nameOf = (id) => id,
}: {
  view: ComparisonView;
  lang: Lang;
  nameOf?: (surveyId: string) => string;
}) {
  const ui = compareUi[lang];
  const names = surveyNames(view.surveys, lang);
  const oldest = view.surveys.map((s) => s.dataAsOf).sort()[0] ?? view.generatedAt;
  return (
    <div class="report compare" lang={lang} data-audience={view.audience} data-weighted={String(view.weighted)}>
      <p class="report-meta">
        <strong>{ui.audiences[view.audience]}</strong> · {view.weighted ? ui.weightedNote : ui.unweightedNote} ·{' '}
        <time datetime={oldest}>{impactUi[lang].asOf(localTime(oldest, lang))}</time>
      </p>
      {view.withoutAudience.length > 0 && <p class="notice">{ui.withoutAudience(view.withoutAudience.map(nameOf))}</p>}
      {view.indicators.length === 0 ? (
        <p>{ui.nothingShared}</p>
      ) : (
        view.indicators.map((indicator) => (
          <IndicatorTable indicator={indicator} view={view} names={names} lang={lang} />
        ))
      )}
      <p class="note">{ui.legend(view.unreliableBelow)}</p>
    </div>
  );
}

/** The `Accept: text/html` answer of the compare route, in `?lang=` (German unless `en`). */
export function sendCompareFragment(c: Context, view: ComparisonView): Response | Promise<Response> {
  return c.html(<CompareFragment view={view} lang={langFrom(c.req.query('lang'))} />, 200);
}
