import type { Child } from 'hono/jsx';
import type { AnswerFlag, ChannelWave, QuestionDistribution } from '../../../shared/impact/distributions.js';
import type { ImpactReport } from '../../../shared/impact/report.js';
import type { Lang } from '../../respond/pages/i18n.js';
import { answersUi } from './distributions-i18n.js';
import { Count } from './fieldwork-fragment.js';
import { impactUi } from './impact-i18n.js';
import type { ReportLabels } from './labels.js';

/**
 * The dashboard's "answers per question": per closed question one small table, waves across and
 * answers down, each share with a thin bar under it; then the channels that brought responses.
 * Built for a phone: the tables take the page's width and wrap their labels, never scroll sideways.
 * Every number is the report's (the gate decided in shared/); hidden ones show as "–".
 */

const percent = (share: number, lang: Lang) =>
  new Intl.NumberFormat(lang, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(share);

/** Why a wave shows no figure, in words (a hidden one never tells whether it was small). */
function reason(flags: AnswerFlag[], lang: Lang): string {
  const ui = impactUi[lang];
  if (flags.includes('suppressed')) return ui.suppressed;
  if (flags.includes('collecting')) return ui.collecting;
  if (flags.includes('not-in-release')) return answersUi[lang].notInRelease;
  return flags.includes('unreliable') ? ui.unreliable : '';
}

/**
 * The waves worth a column: those with anything to say. A wave nobody has answered yet (n 0 in
 * every question) would only add a column of dashes to a narrow screen.
 */
function columns(report: ImpactReport): string[] {
  const waves = report.distributions[0]?.waves.map((w) => w.waveId) ?? [];
  return waves.filter((waveId) =>
    report.distributions.some((q) => q.waves.some((w) => w.waveId === waveId && w.n !== 0)),
  );
}

function Share({ share, lang }: { share: number | null; lang: Lang }) {
  if (share === null) return <td class="num">–</td>;
  return (
    <td class="num share">
      {percent(share, lang)}
      <svg class="share-bar" viewBox="0 0 100 4" preserveAspectRatio="none" aria-hidden="true" focusable="false">
        <rect width={String(Math.max(0, Math.min(1, share)) * 100)} height="4" />
      </svg>
    </td>
  );
}

/**
 * One table per question: waves across, and per answer a row of shares under a row that names
 * the answer across the whole width. So the waves share the screen's width among themselves (a
 * column of answer labels beside them would leave each wave too little on a phone).
 */
function Question({
  question,
  waves,
  labels,
  lang,
}: {
  question: QuestionDistribution;
  waves: string[];
  labels: ReportLabels;
  lang: Lang;
}) {
  const ui = answersUi[lang];
  const shown = waves.map((waveId) => question.waves.find((w) => w.waveId === waveId));
  return (
    <details class="answers" data-question={question.id}>
      <summary>{question.label[lang]}</summary>
      {question.type === 'multiple_choice' && <p class="note">{ui.multiple}</p>}
      <table class="answers">
        <caption class="visually-hidden">{ui.tableOf(question.label[lang])}</caption>
        <WaveHeads waves={waves} labels={labels} />
        {(question.waves[0]?.options ?? []).map((option, i) => (
          <tbody>
            <Named colspan={waves.length}>{option.label[lang]}</Named>
            <tr>
              {shown.map((wave) => (
                <Share share={wave?.options[i]?.share ?? null} lang={lang} />
              ))}
            </tr>
          </tbody>
        ))}
        <tbody class="subtotal">
          <Named colspan={waves.length}>{ui.answered}</Named>
          <tr>
            {shown.map((wave) => {
              const note = wave ? reason(wave.flags, lang) : '';
              return (
                <td class={`num${wave?.flags.includes('unreliable') ? ' unreliable' : ''}`}>
                  {wave?.n == null ? '–' : String(wave.n)}
                  {note && <span class="flag"> ({note})</span>}
                </td>
              );
            })}
          </tr>
        </tbody>
      </table>
    </details>
  );
}

function WaveHeads({ waves, labels }: { waves: string[]; labels: ReportLabels }) {
  return (
    <thead>
      <tr>
        {waves.map((waveId) => (
          <th scope="col" class="num">
            {labels.wave(waveId)}
          </th>
        ))}
      </tr>
    </thead>
  );
}

/** The row naming what the row under it counts (an answer, a channel), across every wave. */
function Named({ colspan, children }: { colspan: number; children: Child }) {
  return (
    <tr>
      <th scope="rowgroup" colspan={colspan} class="named">
        {children}
      </th>
    </tr>
  );
}

/** Responses per channel and wave: the channels any wave shows, in code order, "–" where hidden. */
function Channels({ channels, labels, lang }: { channels: ChannelWave[]; labels: ReportLabels; lang: Lang }) {
  const ui = answersUi[lang];
  const codes = [...new Set(channels.flatMap((w) => w.channels.map((c) => c.channel)))].sort((a, b) =>
    a.localeCompare(b),
  );
  const waves = channels.filter((w) => w.channels.length > 0 || w.flags.length > 0);
  if (codes.length === 0 || waves.length === 0) return null;
  const notes = waves.filter((w) => w.flags.length > 0);
  return (
    <>
      <h3>{ui.channels}</h3>
      <table class="answers channels">
        <caption>{ui.channelsCaption}</caption>
        <WaveHeads waves={waves.map((w) => w.waveId)} labels={labels} />
        {codes.map((code) => (
          <tbody>
            <Named colspan={waves.length}>{labels.channel(code)}</Named>
            <tr>
              {waves.map((w) => {
                const row = w.channels.find((c) => c.channel === code);
                if (row) return <Count value={row.responses} lang={lang} />;
                // Not listed: none of this audience's responses came through it (or the wave shows none).
                return <td class="num">{w.flags.length > 0 ? '–' : '0'}</td>;
              })}
            </tr>
          </tbody>
        ))}
      </table>
      {notes.length > 0 && (
        <p class="note">{notes.map((w) => `${labels.wave(w.waveId)}: ${reason(w.flags, lang)}`).join(' · ')}</p>
      )}
    </>
  );
}

export function Distributions({ report, labels, lang }: { report: ImpactReport; labels: ReportLabels; lang: Lang }) {
  const ui = answersUi[lang];
  if (report.distributions.length === 0 && report.channels.length === 0) return null;
  const waves = columns(report);
  const unrecorded = report.distributions.some((q) => q.waves.some((w) => w.flags.includes('not-in-release')));
  return (
    <section class="report-section answers-list" aria-labelledby="answers">
      <h2 id="answers">{ui.heading}</h2>
      <p class="note">{ui.intro}</p>
      {unrecorded && <p class="note">{ui.notInReleaseNote}</p>}
      {waves.length > 0 &&
        report.distributions.map((q) => <Question question={q} waves={waves} labels={labels} lang={lang} />)}
      <Channels channels={report.channels} labels={labels} lang={lang} />
    </section>
  );
}
