import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import { surveyChannels } from '../../../shared/channels/resolve.js';
import type { Catalog } from '../../../shared/data/catalog.js';
import type { FieldworkReport, FieldworkWave, ShownCount } from '../../../shared/fieldwork/report.js';
import type { SurveyDefinition } from '../../../shared/survey/schema.js';
import { type Lang, langFrom } from '../../respond/pages/i18n.js';
import { fieldworkUi } from './i18n.js';
import { type ReportLabels, reportLabels } from './labels.js';

/** The fieldwork JSON body as the route builds it; fields added later are simply not rendered yet. */
export interface FieldworkView extends FieldworkReport {
  generatedAt: string;
  invitations: {
    batchId: string;
    audience: string;
    createdOn: string;
    issued: number;
    used: ShownCount;
    revoked: number;
    expired: number;
  }[];
}

interface Props {
  definition: SurveyDefinition;
  view: FieldworkView;
  labels: ReportLabels;
  lang: Lang;
}

const formatDay = (day: string, lang: Lang) =>
  new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`));

/** Used over issued; none when `used` is hidden (a rate would give the hidden count away). */
function rate(issued: number, used: ShownCount, lang: Lang): string {
  if (typeof used !== 'number' || issued === 0) return '–';
  return new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 1 }).format(used / issued);
}

/** A count as the route gave it: a number, or "–" where the disclosure gate hid it (never told apart why). */
export const Count = ({ value, lang }: { value: ShownCount; lang: Lang }) =>
  value === null ? (
    <td class="num">
      <abbr title={fieldworkUi[lang].hidden}>–</abbr>
    </td>
  ) : (
    <td class="num">{String(value)}</td>
  );

/** A run of days, as one day or "from – to". */
export const periodText = (from: string, to: string, lang: Lang) =>
  from === to ? formatDay(from, lang) : `${formatDay(from, lang)} – ${formatDay(to, lang)}`;

/** One report table: a caption, column headers (numbers right-aligned), and its rows. */
export function Table({
  caption,
  columns,
  children,
}: {
  caption: string;
  columns: [string, 'num'?][];
  children: Child;
}) {
  return (
    // Wide tables scroll sideways on small screens: keyboard users reach them as a named region.
    <section class="table-scroll" aria-label={caption} tabindex={0}>
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            {columns.map(([heading, kind]) => (
              <th scope="col" class={kind}>
                {heading}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </section>
  );
}

function Wave({ wave, labels, lang }: { wave: FieldworkWave; labels: ReportLabels; lang: Lang }) {
  const ui = fieldworkUi[lang];
  const name = labels.wave(wave.waveId);
  const headingId = `wave-${wave.waveId}`;
  return (
    <section class="report-section" aria-labelledby={headingId}>
      <h2 id={headingId}>
        {ui.wave}: {name}
      </h2>
      <p class="total">
        {ui.total}: <strong>{wave.responses === null ? '–' : String(wave.responses)}</strong>
      </p>
      {wave.audiences.length === 0 ? (
        <p>{ui.noResponses}</p>
      ) : (
        <>
          <Table caption={ui.byCity(name)} columns={[[ui.audience], [ui.city], [ui.responses, 'num']]}>
            {wave.audiences.flatMap((a) => [
              <tr class="subtotal">
                <th scope="row">{labels.audience(a.audience)}</th>
                <td />
                <Count value={a.responses} lang={lang} />
              </tr>,
              ...a.cities.map((c) => (
                <tr>
                  <td />
                  <td>{labels.city(c.city)}</td>
                  <Count value={c.responses} lang={lang} />
                </tr>
              )),
            ])}
          </Table>
          <Table caption={ui.byChannel(name)} columns={[[ui.channel], [ui.responses, 'num']]}>
            {wave.channels.map((c) => (
              <tr>
                <td>{labels.channel(c.channel)}</td>
                <Count value={c.responses} lang={lang} />
              </tr>
            ))}
          </Table>
          <Table caption={ui.byPeriod(name)} columns={[[ui.period], [ui.responses, 'num']]}>
            {wave.periods.map((p) => (
              <tr>
                <th scope="row">
                  <time datetime={p.from}>{periodText(p.from, p.to, lang)}</time>
                </th>
                <Count value={p.responses} lang={lang} />
              </tr>
            ))}
          </Table>
        </>
      )}
    </section>
  );
}

/** Quota progress; shown only when the survey has quotas (most have none). */
function Quotas({ view, labels, lang }: Omit<Props, 'definition'>) {
  const ui = fieldworkUi[lang];
  if (view.quotas.length === 0) return null;
  return (
    <section class="report-section" aria-labelledby="quotas">
      <h2 id="quotas">{ui.quotas}</h2>
      <Table
        caption={ui.quotasCaption}
        columns={[
          [ui.wave],
          [ui.audience],
          [ui.city],
          [ui.responses, 'num'],
          [ui.target, 'num'],
          [ui.whenMet],
          [ui.status],
        ]}
      >
        {view.quotas.map((q) => (
          <tr>
            <td>{labels.wave(q.waveId)}</td>
            <td>{labels.audience(q.audience)}</td>
            <td>{q.city ? labels.city(q.city) : ui.allCities}</td>
            <Count value={q.responses} lang={lang} />
            <Count value={q.target} lang={lang} />
            <td>{q.whenMet === 'close' ? ui.closes : ui.keeps}</td>
            <td>{q.met === null ? '–' : q.met ? ui.met : ui.open}</td>
          </tr>
        ))}
      </Table>
    </section>
  );
}

function Invitations({ view, labels, lang }: Omit<Props, 'definition'>) {
  const ui = fieldworkUi[lang];
  const counts = [ui.issued, ui.used, ui.revoked, ui.expired, ui.rate].map((h): [string, 'num'] => [h, 'num']);
  return (
    <section class="report-section" aria-labelledby="invitations">
      <h2 id="invitations">{ui.invitations}</h2>
      {view.invitations.length === 0 ? (
        <p>{ui.noInvitations}</p>
      ) : (
        <Table caption={ui.invitationsCaption} columns={[[ui.batch], [ui.audience], [ui.createdOn], ...counts]}>
          {view.invitations.map((b) => (
            <tr>
              <th scope="row">
                <code>{b.batchId}</code>
              </th>
              <td>{labels.audience(b.audience)}</td>
              <td>
                <time datetime={b.createdOn}>{formatDay(b.createdOn, lang)}</time>
              </td>
              <Count value={b.issued} lang={lang} />
              <Count value={b.used} lang={lang} />
              <Count value={b.revoked} lang={lang} />
              <Count value={b.expired} lang={lang} />
              <td class="num">{rate(b.issued, b.used, lang)}</td>
            </tr>
          ))}
        </Table>
      )}
    </section>
  );
}

/** The report as an HTML fragment for the lead shell's `<main>`; hono/jsx escapes every value. */
export function FieldworkFragment({ definition, view, labels, lang }: Props) {
  const ui = fieldworkUi[lang];
  const generated = new Intl.DateTimeFormat(lang, {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: 'Europe/Berlin',
    timeZoneName: 'short',
  }).format(new Date(view.generatedAt));
  return (
    <div class="report" lang={lang}>
      <p class="report-meta">
        <strong>{definition.title[lang]}</strong> · {ui.generatedAt}{' '}
        <time datetime={view.generatedAt}>{generated}</time>
      </p>
      {view.waves.map((wave) => (
        <Wave wave={wave} labels={labels} lang={lang} />
      ))}
      <Quotas view={view} labels={labels} lang={lang} />
      <Invitations view={view} labels={labels} lang={lang} />
      <p class="note">{ui.smallCells(view.minCellSize)}</p>
    </div>
  );
}

/** The `Accept: text/html` answer of the fieldwork route, in `?lang=` (German unless `en`). */
export async function sendFieldworkFragment(
  c: Context,
  catalog: Catalog,
  definition: SurveyDefinition,
  view: FieldworkView,
): Promise<Response> {
  const lang = langFrom(c.req.query('lang'));
  const labels = reportLabels(definition, surveyChannels(definition, await catalog.channels(definition.id)), lang);
  return c.html(<FieldworkFragment definition={definition} view={view} labels={labels} lang={lang} />, 200);
}
