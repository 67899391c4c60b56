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

/** Used over issued; none when `used` is hidden as "< k" (a rate would give the hidden count away). */
function rate(issued: number, used: ShownCount, lang: Lang): string {
  if (typeof used !== 'number' || issued === 0) return '–';
  return new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 1 }).format(used / issued);
}

/** Counts are shown verbatim: the route has already hidden small ones as "< k". */
const Count = ({ value }: { value: ShownCount }) => <td class="num">{String(value)}</td>;

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
        {ui.total}: <strong>{String(wave.responses)}</strong>
      </p>
      {wave.rows.length === 0 ? (
        <p>{ui.noResponses}</p>
      ) : (
        <>
          <Table caption={ui.byCell(name)} columns={[[ui.audience], [ui.city], [ui.channel], [ui.responses, 'num']]}>
            {wave.rows.map((row) => (
              <tr>
                <td>{labels.audience(row.audience)}</td>
                <td>{labels.city(row.city)}</td>
                <td>{labels.channel(row.channel)}</td>
                <Count value={row.responses} />
              </tr>
            ))}
          </Table>
          <Table caption={ui.byDay(name)} columns={[[ui.day], [ui.responses, 'num']]}>
            {wave.byDay.map((d) => (
              <tr>
                <th scope="row">
                  <time datetime={d.day}>{formatDay(d.day, lang)}</time>
                </th>
                <Count value={d.responses} />
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
            <Count value={q.responses} />
            <Count value={q.target} />
            <td>{q.whenMet === 'close' ? ui.closes : ui.keeps}</td>
            <td>{q.met ? ui.met : ui.open}</td>
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
              <Count value={b.issued} />
              <Count value={b.used} />
              <Count value={b.revoked} />
              <Count value={b.expired} />
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
