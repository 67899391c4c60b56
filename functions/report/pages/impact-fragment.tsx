import type { Context } from 'hono';
import { surveyChannels } from '../../../shared/channels/resolve.js';
import type { Catalog } from '../../../shared/data/catalog.js';
import type { ShownCount } from '../../../shared/fieldwork/report.js';
import type { Figure } from '../../../shared/impact/estimate.js';
import type { ChangeRow, ImpactReport, IndicatorImpact, Tested } from '../../../shared/impact/report.js';
import type { TargetResult } from '../../../shared/impact/targets.js';
import type { ShownWeightingSummary } from '../../../shared/impact/weights.js';
import { cityCodesOf } from '../../../shared/quotas/progress.js';
import type { Audience, Indicator, SurveyDefinition } from '../../../shared/survey/schema.js';
import { localTime } from '../../lib/local-time.js';
import { type Lang, langFrom } from '../../respond/pages/i18n.js';
import { impactCsvName } from '../impact-csv.js';
import { labelLines } from './chart-labels.js';
import { Distributions } from './distributions-fragment.js';
import { Count, periodText, Table } from './fieldwork-fragment.js';
import { formatDifference, formatDifferenceInterval, formatInterval, formatP, formatValue, number } from './format.js';
import { impactUi } from './impact-i18n.js';
import { type ReportLabels, reportLabels } from './labels.js';
import { Targets, Verdict } from './verdict-fragment.js';

type Kind = Indicator['kind'];

export {
  formatDifference,
  formatDifferenceInterval,
  formatInterval,
  formatP,
  formatValue,
} from './format.js';

/** The impact route's body: the report and, when weighted, how the weights came about. */
export type ImpactView = ImpactReport & { weighting: ShownWeightingSummary | null; dataAsOf: string };

export function flagText(flags: Figure['flags'], lang: Lang): string {
  const ui = impactUi[lang];
  if (flags.includes('suppressed')) return ui.suppressed;
  if (flags.includes('collecting')) return ui.collecting;
  return flags.includes('unreliable') ? ui.unreliable : '';
}

/** An estimate cell: the value, or a dash with the reason (suppressed figures show no number). */
function Value({ kind, figure, lang }: { kind: Kind; figure: Figure; lang: Lang }) {
  const note = flagText(figure.flags, lang);
  return (
    <td class={`num${figure.flags.includes('unreliable') ? ' unreliable' : ''}`}>
      {figure.estimate === null ? '–' : formatValue(kind, figure.estimate, lang)}
      {note && <span class="flag"> ({note})</span>}
    </td>
  );
}

function Significance({ row, lang }: { row: Tested; lang: Lang }) {
  const ui = impactUi[lang];
  if (row.p === null) return <td>{flagText(row.flags, lang) || '–'}</td>;
  const p = row.pAdjusted ?? row.p;
  return (
    <td class={row.significant ? 'significant' : undefined}>
      {row.significant ? `★ ${ui.significant}` : ui.notSignificant} (p {formatP(p, lang)})
    </td>
  );
}

/** The natural range of each kind: charts never reach beyond it. */
const RANGE: Record<Kind, [number, number] | undefined> = {
  share: [0, 1],
  index: [0, 100],
  nps: [-100, 100],
  mean: undefined,
};

/**
 * The y range of a chart: the intervals with some room, on round steps, inside the kind's natural
 * range. Zooming in keeps intervals visible (on 0-100 a 5-point interval would hide behind its dot).
 */
export function domainOf(indicator: IndicatorImpact, target?: number): [number, number] {
  const values = indicator.waves.flatMap((w) => (w.ci ? [w.ci.lo, w.ci.hi] : w.estimate !== null ? [w.estimate] : []));
  // The target too, so that the distance to it is seen.
  if (target !== undefined && values.length > 0) values.push(target);
  const natural = RANGE[indicator.kind];
  if (values.length === 0) return natural ?? [0, 1];
  const step = indicator.kind === 'share' ? 0.05 : indicator.kind === 'mean' ? 0.5 : 5;
  let lo = Math.floor((Math.min(...values) - step / 2) / step) * step;
  let hi = Math.ceil((Math.max(...values) + step / 2) / step) * step;
  if (natural) {
    lo = Math.max(natural[0], lo);
    hi = Math.min(natural[1], hi);
  }
  return hi > lo ? [lo, hi] : [lo - step, hi + step];
}

/** A wave's label lines under its dot, with "(unweighted)" as a line of its own where that applies. */
function waveLines(label: string, maxChars: number, unweighted: boolean, lang: Lang): string[] {
  const lines = labelLines(label, maxChars);
  if (!unweighted) return lines;
  const kept = lines.length > 2 ? [lines[0] ?? '', `${lines[1]} …`] : lines;
  return [...kept, `(${impactUi[lang].unweightedMark})`];
}

// 400 wide: on a 390 px phone the chart is drawn at about 0.9 of its size, so 13 px labels stay
// readable (at 520 wide they shrank to 8 px).
const CHART = { width: 400, height: 230, left: 56, right: 16, top: 16, bottom: 62 };

/**
 * Estimates per wave as dots with their interval, drawn on the server as SVG (no chart script,
 * nothing inline for the CSP to block). The table beside it carries the same numbers for screen
 * readers and print.
 */
function WaveChart({
  indicator,
  target,
  unweighted,
  labels,
  lang,
}: {
  indicator: IndicatorImpact;
  /** The indicator's target in this view, drawn as a dashed line. */
  target: TargetResult | undefined;
  unweighted: ReadonlySet<string>;
  labels: ReportLabels;
  lang: Lang;
}) {
  const ui = impactUi[lang];
  const [lo, hi] = domainOf(indicator, target?.value);
  const targetText = target && ui.targetLine(target.direction, formatValue(indicator.kind, target.value, lang));
  const plotW = CHART.width - CHART.left - CHART.right;
  const plotH = CHART.height - CHART.top - CHART.bottom;
  const y = (v: number) => CHART.top + plotH - ((Math.min(hi, Math.max(lo, v)) - lo) / (hi - lo)) * plotH;
  const step = plotW / Math.max(1, indicator.waves.length);
  const x = (i: number) => CHART.left + step * (i + 0.5);
  const ticks = [lo, (lo + hi) / 2, hi];
  const starred = new Set(indicator.changes.filter((c) => c.significant).map((c) => c.to));
  const id = `chart-${indicator.id}`;
  return (
    <svg
      class="chart"
      viewBox={`0 0 ${CHART.width} ${CHART.height}`}
      role="img"
      aria-labelledby={`${id}-title ${id}-desc`}
      data-indicator={indicator.id}
    >
      <title id={`${id}-title`}>{ui.chartOf(indicator.label[lang])}</title>
      <desc id={`${id}-desc`}>{targetText ? `${ui.chartDesc} ${ui.targetDesc(targetText)}` : ui.chartDesc}</desc>
      {ticks.map((t) => (
        <g class="tick">
          <line x1={CHART.left} x2={CHART.width - CHART.right} y1={y(t)} y2={y(t)} />
          <text x={CHART.left - 6} y={y(t) + 4} text-anchor="end">
            {formatValue(indicator.kind, t, lang)}
          </text>
        </g>
      ))}
      {target && targetText && (
        <g class="target" data-value={String(target.value)}>
          <line x1={CHART.left} x2={CHART.width - CHART.right} y1={y(target.value)} y2={y(target.value)} />
          <text x={CHART.width - CHART.right} y={y(target.value) - 5} text-anchor="end">
            {targetText}
          </text>
        </g>
      )}
      {indicator.waves.map((w, i) => (
        <g
          class={`wave${w.flags.includes('unreliable') ? ' unreliable' : ''}${unweighted.has(w.waveId) ? ' unweighted' : ''}`}
          data-wave={w.waveId}
        >
          <text x={x(i)} y={CHART.top + plotH + 18} text-anchor="middle">
            {waveLines(labels.wave(w.waveId), Math.floor(step / 7.4), unweighted.has(w.waveId), lang).map((line, l) => (
              <tspan x={x(i)} dy={l === 0 ? 0 : 14}>
                {line}
              </tspan>
            ))}
          </text>
          {w.estimate === null ? (
            <text x={x(i)} y={CHART.top + plotH / 2} text-anchor="middle" class="missing">
              –
            </text>
          ) : (
            <>
              {w.ci && (
                <g class="ci">
                  <line x1={x(i)} x2={x(i)} y1={y(w.ci.lo)} y2={y(w.ci.hi)} />
                  <line x1={x(i) - 7} x2={x(i) + 7} y1={y(w.ci.lo)} y2={y(w.ci.lo)} />
                  <line x1={x(i) - 7} x2={x(i) + 7} y1={y(w.ci.hi)} y2={y(w.ci.hi)} />
                </g>
              )}
              <circle class="estimate" cx={x(i)} cy={y(w.estimate)} r="4.5" />
              {starred.has(w.waveId) && (
                <text class="star" x={x(i) + 12} y={y(w.ci?.hi ?? w.estimate) + 4}>
                  ★
                </text>
              )}
            </>
          )}
        </g>
      ))}
    </svg>
  );
}

function ChangeRows({
  changes,
  kind,
  labels,
  lang,
}: {
  changes: ChangeRow[];
  kind: Kind;
  labels: ReportLabels;
  lang: Lang;
}) {
  const ui = impactUi[lang];
  return (
    <>
      {changes.map((c) => (
        <tr>
          <th scope="row">{ui.vsBaseline(labels.wave(c.from), labels.wave(c.to))}</th>
          <td class="num">{c.delta === null ? '–' : formatDifference(kind, c.delta, lang)}</td>
          <td class="num">{formatDifferenceInterval(kind, c, lang)}</td>
          <Significance row={c} lang={lang} />
        </tr>
      ))}
    </>
  );
}

function IndicatorSection({
  indicator,
  target,
  weighted,
  unweighted,
  method,
  labels,
  lang,
}: {
  indicator: IndicatorImpact;
  target: TargetResult | undefined;
  weighted: boolean;
  /** Waves a weighted view shows unweighted (see WeightingNote for why). */
  unweighted: ReadonlySet<string>;
  /** How the p-values shown were adjusted for the number of tests. */
  method: ImpactReport['adjustment'];
  labels: ReportLabels;
  lang: Lang;
}) {
  const ui = impactUi[lang];
  const columns: [string, 'num'?][] = [[ui.wave], [ui.estimate, 'num'], [ui.interval, 'num'], [ui.n, 'num']];
  const label = indicator.label[lang];
  const headingId = `ind-${indicator.id}`;
  return (
    <section class="report-section indicator" aria-labelledby={headingId} data-indicator={indicator.id}>
      <h2 id={headingId}>{label}</h2>
      <div class="chart-and-table">
        <WaveChart indicator={indicator} target={target} unweighted={unweighted} labels={labels} lang={lang} />
        <Table caption={label} columns={weighted ? [...columns, [ui.nEff, 'num']] : columns}>
          {indicator.waves.map((w) => (
            <tr class={unweighted.has(w.waveId) ? 'unweighted' : undefined}>
              <th scope="row">
                {labels.wave(w.waveId)}
                {unweighted.has(w.waveId) && <span class="flag"> ({ui.unweightedMark})</span>}
              </th>
              <Value kind={indicator.kind} figure={w} lang={lang} />
              <td class="num">{formatInterval(indicator.kind, w, lang)}</td>
              <td class="num">{w.n === null ? '–' : String(w.n)}</td>
              {weighted && <td class="num">{w.nEff == null ? '–' : number(lang, w.nEff, 0)}</td>}
            </tr>
          ))}
        </Table>
      </div>
      {indicator.changes.length > 0 && (
        <Table
          caption={`${ui.change}: ${label}`}
          columns={[[ui.wave], [ui.change, 'num'], [ui.interval, 'num'], [ui.pAdjusted(method)]]}
        >
          <ChangeRows changes={indicator.changes} kind={indicator.kind} labels={labels} lang={lang} />
        </Table>
      )}
      {indicator.cities.length > 0 && (
        <details class="cities">
          <summary>{ui.cities}</summary>
          <Table
            caption={ui.citiesCaption(label, ui.wave)}
            columns={[[ui.city], ...indicator.cities.map((w): [string, 'num'] => [labels.wave(w.waveId), 'num'])]}
          >
            {(indicator.cities[0]?.rows ?? []).map((row, r) => (
              <tr>
                <th scope="row">{labels.city(row.city)}</th>
                {indicator.cities.map((w) => {
                  const figure = w.rows[r];
                  return figure ? <Value kind={indicator.kind} figure={figure} lang={lang} /> : <td>–</td>;
                })}
              </tr>
            ))}
          </Table>
        </details>
      )}
    </section>
  );
}

/**
 * The last wave with figures to show: exposure and gap tables show that one. A wave still
 * collecting has none yet (its n is null, not 0), so it is passed over.
 */
function latestWave(report: ImpactReport): string | undefined {
  const measured = new Set(
    report.indicators.flatMap((i) =>
      i.waves.filter((w) => w.n !== 0 && !w.flags.includes('collecting')).map((w) => w.waveId),
    ),
  );
  return report.indicators[0]?.waves
    .map((w) => w.waveId)
    .filter((w) => measured.has(w))
    .at(-1);
}

function Exposure({ report, labels, lang }: { report: ImpactReport; labels: ReportLabels; lang: Lang }) {
  const ui = impactUi[lang];
  const wave = latestWave(report);
  const rows = report.exposure.filter((e) => e.waveId === wave);
  if (!wave || rows.length === 0) return null;
  const kindOf = (id: string) => report.indicators.find((i) => i.id === id)?.kind ?? 'mean';
  const labelOf = (id: string) => report.indicators.find((i) => i.id === id)?.label[lang] ?? id;
  const method = report.adjustment;
  return (
    <section class="report-section" aria-labelledby="exposure">
      <h2 id="exposure">{ui.exposure}</h2>
      <Table
        caption={ui.exposureCaption(labels.wave(wave))}
        columns={[[''], [ui.aware, 'num'], [ui.notAware, 'num'], [ui.difference, 'num'], [ui.pAdjusted(method)]]}
      >
        {rows.map((e) => (
          <tr>
            <th scope="row">{labelOf(e.indicator)}</th>
            <Value kind={kindOf(e.indicator)} figure={e.aware} lang={lang} />
            <Value kind={kindOf(e.indicator)} figure={e.notAware} lang={lang} />
            <td class="num">{e.delta === null ? '–' : formatDifference(kindOf(e.indicator), e.delta, lang)}</td>
            <Significance row={e} lang={lang} />
          </tr>
        ))}
      </Table>
    </section>
  );
}

function Gap({ report, labels, lang }: { report: ImpactReport; labels: ReportLabels; lang: Lang }) {
  const ui = impactUi[lang];
  const wave = latestWave(report);
  const rows = report.gap.filter((g) => g.waveId === wave);
  if (!wave || rows.length === 0) return null;
  const label = report.indicators.find((i) => i.id === rows[0]?.indicator)?.label[lang] ?? rows[0]?.indicator ?? '';
  const method = report.adjustment;
  return (
    <section class="report-section" aria-labelledby="gap">
      <h2 id="gap">{ui.gap}</h2>
      <Table
        caption={ui.gapCaption(label, labels.wave(wave))}
        columns={[[ui.city], [ui.self, 'num'], [ui.outside, 'num'], [ui.difference, 'num'], [ui.pAdjusted(method)]]}
      >
        {rows.map((g) => (
          <tr>
            <th scope="row">{g.city === null ? ui.allRespondents : labels.city(g.city)}</th>
            <Value kind="index" figure={g.self} lang={lang} />
            <Value kind="index" figure={g.outside} lang={lang} />
            <td class="num">{g.delta === null ? '–' : formatDifference('index', g.delta, lang)}</td>
            <Significance row={g} lang={lang} />
          </tr>
        ))}
      </Table>
    </section>
  );
}

/** What the dashboard shows of fieldwork: the audience's responses per wave and the latest wave's periods. */
export interface FieldworkSummary {
  totals: { waveId: string; responses: ShownCount }[];
  trend: { waveId: string; periods: { from: string; to: string; responses: number }[] } | undefined;
}

/**
 * Responses of the audience per wave and the trend of the latest wave as a small bar chart: one bar
 * per period of at least k responses (days merged until they reach k), so no bar is about fewer.
 */
function Fieldwork({ fieldwork, labels, lang }: { fieldwork: FieldworkSummary; labels: ReportLabels; lang: Lang }) {
  const ui = impactUi[lang];
  const days = fieldwork.trend?.periods ?? [];
  const counts = days.map((d) => d.responses);
  const max = Math.max(1, ...counts);
  const width = 520;
  const barW = days.length > 0 ? width / days.length : width;
  const title = fieldwork.trend ? `${ui.trend} – ${labels.wave(fieldwork.trend.waveId)}` : ui.trend;
  return (
    <section class="report-section" aria-labelledby="fieldwork">
      <h2 id="fieldwork">{ui.fieldwork}</h2>
      <Table caption={ui.responsesPerWave} columns={[[ui.wave], [ui.n, 'num']]}>
        {fieldwork.totals.map((w) => (
          <tr>
            <th scope="row">{labels.wave(w.waveId)}</th>
            <Count value={w.responses} lang={lang} />
          </tr>
        ))}
      </Table>
      {days.length > 0 && (
        <figure class="trend">
          <svg class="chart" viewBox={`0 0 ${width} 80`} role="img" aria-labelledby="trend-title trend-desc">
            <title id="trend-title">{title}</title>
            <desc id="trend-desc">
              {ui.trendDesc(
                days.length,
                counts.reduce((a, b) => a + b, 0),
              )}
            </desc>
            {days.map((d, i) => (
              <rect
                class="bar"
                x={i * barW + 1}
                y={78 - (d.responses / max) * 74}
                width={Math.max(1, barW - 2)}
                height={(d.responses / max) * 74}
              >
                <title>{`${periodText(d.from, d.to, lang)}: ${d.responses}`}</title>
              </rect>
            ))}
          </svg>
          <figcaption>{title}</figcaption>
        </figure>
      )}
    </section>
  );
}

interface Props {
  definition: SurveyDefinition;
  report: ImpactView;
  fieldwork: FieldworkSummary;
  labels: ReportLabels;
  lang: Lang;
}

/**
 * The selection as a plain GET form to the dashboard shell (which hands it on to this route), and
 * the CSV of the same figures (fetched with the token by the page script, `data-download`).
 */
function Controls({ definition, report, labels, lang }: Omit<Props, 'fieldwork'>) {
  const ui = impactUi[lang];
  const audiences = (Object.keys(definition.audiences) as Audience[]).filter((a) => definition.audiences[a]);
  const spec = definition.audiences[report.audience];
  const cities = spec ? (cityCodesOf(spec) ?? []) : [];
  const query = new URLSearchParams({
    ...(report.weighted ? { weighted: 'true' } : {}),
    audience: report.audience,
    ...(report.city ? { city: report.city } : {}),
    adjustment: report.adjustment,
    ...(report.compared ?? {}),
    ...(lang === 'en' ? { lang } : {}),
  });
  // Every earlier wave against every later one; none chosen: the baseline against each follow-up.
  const pairs = definition.waves.flatMap((from, i) => definition.waves.slice(i + 1).map((to) => ({ from, to })));
  const chosen = report.compared ? `${report.compared.from}~${report.compared.to}` : '';
  return (
    <form class="controls" method="get" action={`/dashboard/${encodeURIComponent(definition.id)}`}>
      <fieldset>
        <legend>{ui.controls}</legend>
        <div class="control">
          <label for="select-audience">{ui.audience}</label>
          <select id="select-audience" name="audience">
            {audiences.map((a) => (
              <option value={a} selected={a === report.audience}>
                {labels.audience(a)}
              </option>
            ))}
          </select>
        </div>
        <div class="control">
          <label for="select-city">{ui.city}</label>
          <select id="select-city" name="city">
            <option value="">{ui.allCities}</option>
            {cities.map((c) => (
              <option value={c} selected={c === report.city}>
                {labels.city(c)}
              </option>
            ))}
          </select>
        </div>
        {pairs.length > 1 && (
          <div class="control">
            <label for="select-pair">{ui.pair}</label>
            <select id="select-pair" name="pair">
              <option value="">{ui.defaultPair}</option>
              {pairs.map(({ from, to }) => (
                <option value={`${from.id}~${to.id}`} selected={`${from.id}~${to.id}` === chosen}>
                  {ui.pairOption(from.label[lang], to.label[lang])}
                </option>
              ))}
            </select>
          </div>
        )}
        {definition.settings.weighting && (
          <div class="control check">
            <input id="select-weighted" type="checkbox" name="weighted" value="true" checked={report.weighted} />
            <label for="select-weighted">{ui.weighted}</label>
          </div>
        )}
        {lang === 'en' && <input type="hidden" name="lang" value="en" />}
        <button type="submit">{ui.show}</button>
        <a
          class="download"
          href={`/api/v1/surveys/${encodeURIComponent(definition.id)}/impact?${query}`}
          data-download={impactCsvName(definition.id, report)}
        >
          {ui.downloadCsv}
        </a>
      </fieldset>
    </form>
  );
}

/** What weighted figures rest on: the population, the cap, unverified figures, groups left unweighted. */
function WeightingNote({
  weighting,
  audience,
  labels,
  lang,
}: {
  weighting: ShownWeightingSummary | null;
  audience: Audience;
  labels: ReportLabels;
  lang: Lang;
}) {
  const ui = impactUi[lang];
  if (!weighting) return null;
  const because = (reason: 'no_margins' | 'not_converged') =>
    weighting.unweighted.filter((w) => w.reason === reason).map((w) => labels.wave(w.waveId));
  const [noMargins, notConverged] = [because('no_margins'), because('not_converged')];
  const by = weighting.dimensions.map((d) => ui.weightedBy[d]);
  const byText = by.length > 1 ? `${by.slice(0, -1).join(', ')} ${ui.and} ${by.at(-1)}` : (by[0] ?? '');
  return (
    <div class="notice weighting">
      {by.length > 0 && <p>{ui.weightedNote(weighting.area, weighting.cap, byText)}</p>}
      {by.length > 0 && !weighting.verified && <p>{ui.unverified}</p>}
      {noMargins.length > 0 && <p class="unweighted-why">{ui.noMargins(labels.audience(audience))}</p>}
      {notConverged.length > 0 && <p class="unweighted-why">{ui.notConverged(notConverged.join(', '))}</p>}
    </div>
  );
}

/** The dashboard's content: escaped server-rendered HTML with inline SVG charts, for the shell's `<main>`. */
export function ImpactFragment({ definition, report, fieldwork, labels, lang }: Props) {
  const ui = impactUi[lang];
  const empty = report.indicators.every((i) => i.waves.every((w) => w.n === 0));
  const labelOf = (id: string) => report.indicators.find((i) => i.id === id)?.label[lang] ?? id;
  const kindOf = (id: string) => report.indicators.find((i) => i.id === id)?.kind ?? 'mean';
  const unweighted = new Set(report.weighting?.unweighted.map((w) => w.waveId) ?? []);
  return (
    <div class="report impact" lang={lang} data-audience={report.audience} data-weighted={String(report.weighted)}>
      <p class="report-meta">
        <strong>{definition.campaign.name[lang]}</strong> · {definition.title[lang]} ·{' '}
        {labels.audience(report.audience)}
        {report.city ? ` · ${labels.city(report.city)}` : ''} · {report.weighted ? ui.weighted : ui.unweightedMark} ·{' '}
        <time datetime={report.dataAsOf}>{ui.asOf(localTime(report.dataAsOf, lang))}</time>
      </p>
      <Verdict report={report} labels={labels} labelOf={labelOf} lang={lang} />
      <Targets report={report} labels={labels} labelOf={labelOf} kindOf={kindOf} lang={lang} />
      <Controls definition={definition} report={report} labels={labels} lang={lang} />
      <WeightingNote weighting={report.weighting} audience={report.audience} labels={labels} lang={lang} />
      {empty ? (
        <p>{ui.noData}</p>
      ) : (
        report.indicators.map((i) => (
          <IndicatorSection
            indicator={i}
            target={report.targets.find((t) => t.indicator === i.id)}
            weighted={report.weighted}
            unweighted={unweighted}
            method={report.adjustment}
            labels={labels}
            lang={lang}
          />
        ))
      )}
      <Exposure report={report} labels={labels} lang={lang} />
      <Gap report={report} labels={labels} lang={lang} />
      <Distributions report={report} labels={labels} lang={lang} />
      <Fieldwork fieldwork={fieldwork} labels={labels} lang={lang} />
      <p class="note">
        {ui.legend(report.minCellSize, report.unreliableBelow, ui.methods[report.adjustment] ?? report.adjustment)}
      </p>
    </div>
  );
}

/** The `Accept: text/html` answer of the impact route, in `?lang=` (German unless `en`). */
export async function sendImpactFragment(
  c: Context,
  catalog: Catalog,
  definition: SurveyDefinition,
  report: ImpactView,
  fieldwork: FieldworkSummary,
): Promise<Response> {
  const lang = langFrom(c.req.query('lang'));
  const labels = reportLabels(definition, surveyChannels(definition, await catalog.channels(definition.id)), lang);
  return c.html(
    <ImpactFragment definition={definition} report={report} fieldwork={fieldwork} labels={labels} lang={lang} />,
    200,
  );
}
