import type { Figure } from '../../../shared/impact/estimate.js';
import type { ImpactReport } from '../../../shared/impact/report.js';
import type { SummaryLine } from '../../../shared/impact/summary.js';
import type { TargetResult } from '../../../shared/impact/targets.js';
import type { Indicator } from '../../../shared/survey/schema.js';
import type { Lang } from '../../respond/pages/i18n.js';
import { differenceNumber, formatDate, formatInterval, formatP, formatValue } from './format.js';
import { impactUi } from './impact-i18n.js';
import type { ReportLabels } from './labels.js';
import { summaryUi } from './summary-i18n.js';

type Kind = Indicator['kind'];

/** The judgement's sign as text too (never colour alone): ▲ rose, ▼ fell, = unchanged, · otherwise. */
const MARK: Record<SummaryLine['judgement'], string> = {
  rose: '▲',
  fell: '▼',
  hint_rose: '△',
  hint_fell: '▽',
  unchanged: '=',
  too_few: '·',
  collecting: '·',
  no_comparison: '·',
};

const STATE_MARK: Record<TargetResult['state'], string> = {
  reached: '✓',
  not_reached: '✗',
  undecided: '?',
  too_few: '·',
};

/** "höchstens 2,70 bis 31.12.2029": the target's bound and deadline. */
export function targetText(target: TargetResult, kind: Kind, lang: Lang): string {
  const ui = summaryUi[lang];
  const bound = `${target.direction === 'at_most' ? ui.atMost : ui.atLeast} ${formatValue(kind, target.value, lang)}`;
  return ui.bound(bound, formatDate(target.deadline, lang));
}

/** What a line says in words: the judgement, and better or worse for a significant change. */
export function judgementText(line: SummaryLine, lang: Lang): string {
  const ui = summaryUi[lang];
  const said = ui.judgement[line.judgement];
  return line.assessment ? `${said} – ${ui.assessment[line.assessment]}` : said;
}

/** "+4,2 Indexpunkte (95-%-Intervall +1,0 bis +7,4)", in the line's unit. */
export function changeText(line: SummaryLine, level: number, lang: Lang): string | null {
  const ui = summaryUi[lang];
  const change = line.change;
  if (!change || change.delta === null) return null;
  const unit = ui.unit[line.unit];
  const value = `${differenceNumber(line.kind, change.delta, lang)} ${unit}`;
  if (!change.ci) return value;
  const lo = differenceNumber(line.kind, change.ci.lo, lang);
  const hi = differenceNumber(line.kind, change.ci.hi, lang);
  return `${value} (${ui.intervalOf(level)} ${lo} ${lang === 'de' ? 'bis' : 'to'} ${hi})`;
}

function estimateOf(kind: Kind, figure: Figure | null, lang: Lang): string | null {
  return figure && figure.estimate !== null ? formatValue(kind, figure.estimate, lang) : null;
}

/** One line per indicator, to read first: what moved, by how much, how sure, and the target. */
export function Verdict({
  report,
  labels,
  labelOf,
  lang,
}: {
  report: ImpactReport;
  labels: ReportLabels;
  labelOf: (indicator: string) => string;
  lang: Lang;
}) {
  const ui = summaryUi[lang];
  const { summary } = report;
  if (summary.lines.length === 0) return null;
  return (
    <section class="report-section verdict" aria-labelledby="verdict">
      <h2 id="verdict">{ui.heading}</h2>
      <p class="verdict-pair">
        {summary.from && summary.to ? ui.pair(labels.wave(summary.from), labels.wave(summary.to)) : ui.noPair} ·{' '}
        {report.weighted ? ui.weighted : ui.unweighted}
      </p>
      <ul class="verdict-lines">
        {summary.lines.map((line) => {
          const from = estimateOf(line.kind, line.from, lang);
          const to = estimateOf(line.kind, line.to, lang);
          const change = changeText(line, report.level, lang);
          const p = line.change?.pAdjusted ?? null;
          return (
            <li
              class={`verdict-line judgement-${line.judgement}${line.assessment ? ` ${line.assessment}` : ''}`}
              data-indicator={line.indicator}
              data-judgement={line.judgement}
            >
              <span class="verdict-label">{labelOf(line.indicator)}</span>
              <span class="verdict-judgement">
                <span aria-hidden="true">{MARK[line.judgement]} </span>
                {judgementText(line, lang)}
              </span>
              {change && (
                <span class="verdict-change">
                  {change}
                  {from && to ? `; ${ui.fromTo(from, to)}` : ''}
                  {p !== null ? `; ${impactUi[lang].pAdjusted(report.adjustment)} ${formatP(p, lang)}` : ''}
                </span>
              )}
              {!change && line.judgement === 'no_comparison' && from && (
                <span class="verdict-change">
                  {labels.wave(line.from?.waveId ?? '')}: {from}
                </span>
              )}
              {line.target && (
                <span class={`verdict-target target-${line.target.state}`} data-state={line.target.state}>
                  <span aria-hidden="true">{STATE_MARK[line.target.state]} </span>
                  {ui.state(line.target.state, line.target.deadlinePassed)} ({targetText(line.target, line.kind, lang)}
                  {line.target.waveId ? `; ${ui.at(labels.wave(line.target.waveId))}` : ''})
                </span>
              )}
            </li>
          );
        })}
      </ul>
      <p class="note">{ui.howToRead(report.level)}</p>
    </section>
  );
}

/** Every target of the audience: its bound, the figure tested with its interval, the test, the source. */
export function Targets({
  report,
  labels,
  labelOf,
  kindOf,
  lang,
}: {
  report: ImpactReport;
  labels: ReportLabels;
  labelOf: (indicator: string) => string;
  kindOf: (indicator: string) => Kind;
  lang: Lang;
}) {
  const ui = summaryUi[lang];
  if (report.targets.length === 0) return null;
  return (
    <section class="report-section targets" aria-labelledby="targets">
      <h2 id="targets">{ui.targets}</h2>
      <p class="note">{ui.targetsIntro(report.level)}</p>
      <ul class="target-list">
        {report.targets.map((t) => {
          const kind = kindOf(t.indicator);
          const figure = t.figure;
          return (
            <li class={`target target-${t.state}`} data-indicator={t.indicator} data-state={t.state}>
              <strong>{labelOf(t.indicator)}</strong>
              {t.cities && <span> ({ui.cities(t.cities.map((c) => labels.city(c)).join(', '))})</span>}
              <br />
              {ui.targetLabel}: {targetText(t, kind, lang)}
              {t.from !== null && ` (${ui.fromValue(formatValue(kind, t.from, lang))})`}
              <br />
              <span class="target-state">
                <span aria-hidden="true">{STATE_MARK[t.state]} </span>
                {ui.state(t.state, t.deadlinePassed)}
              </span>
              {t.waveId && figure.estimate !== null ? (
                <>
                  {' · '}
                  {ui.targetFigure(
                    labels.wave(t.waveId),
                    formatValue(kind, figure.estimate, lang),
                    `${ui.intervalOf(report.level)} ${formatInterval(kind, figure, lang)}`,
                    String(figure.n ?? '–'),
                  )}
                </>
              ) : (
                ` · ${ui.noFigureYet}`
              )}
              {t.test && ` · ${ui.targetTest(formatP(t.test.p, lang))}`}
              {t.checkedBy && t.checkedBy !== t.waveId && ` · ${ui.checkedBy(labels.wave(t.checkedBy))}`}
              <br />
              <span class="target-source">
                {ui.source}: {t.source[lang]}
              </span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
