import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import { surveyChannels } from '../../../shared/channels/resolve.js';
import type { Catalog } from '../../../shared/data/catalog.js';
import type { FieldworkReport, FieldworkWave, ShownCount } from '../../../shared/fieldwork/report.js';
import type { SurveyDefinition } from '../../../shared/survey/schema.js';
import { type Lang, langFrom } from '../../respond/pages/i18n.js';
import { CumulativeCurve } from './cumulative-curve.js';
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

/** A run of days, as one day or "from – to", the shared part said once ("10.–12.11.2026"), short enough for a phone. */
export const periodText = (from: string, to: string, lang: Lang) => {
  const format = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeZone: 'UTC' });
  const day = (d: string) => new Date(`${d}T00:00:00Z`);
  return from === to ? format.format(day(from)) : format.formatRange(day(from), day(to));
};

/**
 * One report table: a caption, column headers (numbers right-aligned), and its rows; with `groups`
 * the children are `<tbody>` elements of their own (rows grouped under a heading row).
 */
export function Table({
  caption,
  columns,
  groups = false,
  children,
}: {
  caption: string;
  columns: [string, 'num'?][];
  groups?: boolean;
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
        {groups ? children : <tbody>{children}</tbody>}
      </table>
    </section>
  );
}

/**
 * The row that stands for the groups a line hides: a label, the groups' names below it, and
 * their sum where the total is shown (it follows from the total and the shown rows). `scope`
 * makes the label a header cell, as the rows beside it have.
 */
function TogetherRow({
  label,
  names,
  responses,
  scope,
  subtotal = false,
  indent = false,
  lang,
}: {
  label: string;
  names: string[];
  responses: ShownCount;
  scope?: 'row' | 'rowgroup';
  subtotal?: boolean;
  indent?: boolean;
  lang: Lang;
}) {
  const content = (
    <>
      {label}
      <span class="groups">{names.join(', ')}</span>
    </>
  );
  return (
    <tr class={subtotal ? 'subtotal together' : 'together'}>
      {scope ? (
        <th scope={scope} class={indent ? 'city' : undefined}>
          {content}
        </th>
      ) : (
        <td>{content}</td>
      )}
      <Count value={responses} lang={lang} />
    </tr>
  );
}

/**
 * Audiences and their cities in two columns, so that the counts stay in view on a phone: each
 * audience is a group of rows headed by its total, its cities indented below it.
 */
function ByCity({ wave, name, labels, lang }: { wave: FieldworkWave; name: string; labels: ReportLabels; lang: Lang }) {
  const ui = fieldworkUi[lang];
  const shown = wave.audiences.filter((a) => a.responses !== null);
  const others = wave.otherAudiences;
  return (
    <Table caption={ui.byCity(name)} columns={[[ui.audienceAndCity], [ui.responses, 'num']]} groups>
      {shown.map((a) => {
        const cities = a.cities.filter((c) => c.responses !== null);
        return (
          <tbody>
            <tr class="subtotal">
              <th scope="rowgroup">{labels.audience(a.audience)}</th>
              <Count value={a.responses} lang={lang} />
            </tr>
            {cities.map((c) => (
              <tr>
                <th scope="row" class="city">
                  {labels.city(c.city)}
                </th>
                <Count value={c.responses} lang={lang} />
              </tr>
            ))}
            {a.otherCities && (
              <TogetherRow
                label={ui.otherCities(cities.length === 0)}
                names={a.otherCities.groups.map(labels.city)}
                responses={a.otherCities.responses}
                scope="row"
                indent
                lang={lang}
              />
            )}
          </tbody>
        );
      })}
      {others && (
        <tbody>
          <TogetherRow
            label={ui.otherAudiences(shown.length === 0)}
            names={others.groups.map(labels.audience)}
            responses={others.responses}
            scope="rowgroup"
            subtotal
            lang={lang}
          />
        </tbody>
      )}
    </Table>
  );
}

function ByChannel({
  wave,
  name,
  labels,
  lang,
}: {
  wave: FieldworkWave;
  name: string;
  labels: ReportLabels;
  lang: Lang;
}) {
  const ui = fieldworkUi[lang];
  const shown = wave.channels.filter((c) => c.responses !== null);
  const others = wave.otherChannels;
  return (
    <Table caption={ui.byChannel(name)} columns={[[ui.channel], [ui.responses, 'num']]}>
      {shown.map((c) => (
        <tr>
          <td>{labels.channel(c.channel)}</td>
          <Count value={c.responses} lang={lang} />
        </tr>
      ))}
      {others && (
        <TogetherRow
          label={ui.otherChannels(shown.length === 0)}
          names={others.groups.map(labels.channel)}
          responses={others.responses}
          lang={lang}
        />
      )}
    </Table>
  );
}

function Wave({ wave, k, labels, lang }: { wave: FieldworkWave; k: number; labels: ReportLabels; lang: Lang }) {
  const ui = fieldworkUi[lang];
  const name = labels.wave(wave.waveId);
  const headingId = `wave-${wave.waveId}`;
  return (
    <section
      class={`report-section wave${wave.collecting ? ' collecting' : ''}`}
      aria-labelledby={headingId}
      data-wave={wave.waveId}
    >
      <h2 id={headingId}>
        {ui.wave}: {name}
        {wave.collecting && (
          <>
            {' '}
            <span class="badge">{ui.collectingNow}</span>
          </>
        )}
      </h2>
      <p class="total">
        {ui.total}: <strong>{wave.responses === null ? '–' : String(wave.responses)}</strong>
      </p>
      {wave.audiences.length === 0 ? (
        <p>{ui.noResponses}</p>
      ) : (
        <>
          {wave.periods.length > 0 ? (
            <CumulativeCurve wave={wave} name={name} k={k} lang={lang} />
          ) : (
            <p class="note">{ui.noCurve(k)}</p>
          )}
          <ByCity wave={wave} name={name} labels={labels} lang={lang} />
          <ByChannel wave={wave} name={name} labels={labels} lang={lang} />
          {wave.periods.length > 0 && (
            <Table caption={ui.byPeriod(name)} columns={[[ui.period], [ui.responses, 'num'], [ui.cumulative, 'num']]}>
              {wave.periods.map((p) => (
                <tr>
                  <th scope="row">
                    <time datetime={p.from}>{periodText(p.from, p.to, lang)}</time>
                  </th>
                  <Count value={p.responses} lang={lang} />
                  <Count value={p.cumulative} lang={lang} />
                </tr>
              ))}
            </Table>
          )}
        </>
      )}
    </section>
  );
}

/** Each audience's responses over all waves, where more than one wave has any. */
function AcrossWaves({ view, labels, lang }: Omit<Props, 'definition'>) {
  const ui = fieldworkUi[lang];
  const { acrossWaves: across } = view;
  if (view.waves.filter((w) => w.responses !== 0).length < 2) return null;
  const shown = across.audiences.filter((a) => a.responses !== null);
  const others = across.otherAudiences;
  return (
    <section class="report-section" aria-labelledby="across-waves">
      <h2 id="across-waves">{ui.acrossWaves}</h2>
      <Table caption={ui.acrossWavesCaption} columns={[[ui.audience], [ui.responses, 'num']]}>
        {shown.map((a) => (
          <tr>
            <th scope="row">{labels.audience(a.audience)}</th>
            <Count value={a.responses} lang={lang} />
          </tr>
        ))}
        {others && (
          <TogetherRow
            label={ui.otherAudiences(shown.length === 0)}
            names={others.groups.map(labels.audience)}
            responses={others.responses}
            scope="row"
            lang={lang}
          />
        )}
        <tr class="subtotal">
          <th scope="row">{ui.allAudiences}</th>
          <Count value={across.responses} lang={lang} />
        </tr>
      </Table>
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
        <Wave wave={wave} k={view.minCellSize} labels={labels} lang={lang} />
      ))}
      <AcrossWaves view={view} labels={labels} lang={lang} />
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
