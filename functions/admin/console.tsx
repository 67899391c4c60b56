import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import * as z from 'zod';
import { qrSvg, shortUrl } from '../../shared/channels/qr.js';
import { listSurveyChannels } from '../../shared/channels/registry.js';
import type { SurveyChannel } from '../../shared/channels/schema.js';
import { type ExportRecord, listExportRecords } from '../../shared/data/export-store.js';
import { InvitedAudience, listBatches } from '../../shared/data/invitation-store.js';
import { settleAbandoned } from '../../shared/export/jobs.js';
import { listQuotaProgress } from '../../shared/quotas/manage.js';
import type { SurveyDefinition } from '../../shared/survey/schema.js';
import { listWaves } from '../../shared/waves/manage.js';
import type { AuthEnv } from '../lib/authenticate.js';
import { ADMIN_PAGES, type ConsoleText, consoleText } from '../lib/console-i18n.js';
import { localTime } from '../lib/local-time.js';
import { validationHook } from '../lib/validation.js';
import { type Lang, langFrom } from '../respond/pages/i18n.js';
import type { AdminDeps } from './deps.js';
import { quotaView } from './quotas.js';
import { adminSurveyOf, problemEntry, publicBaseOf } from './route-kit.js';

const route = createRoute({
  method: 'get',
  path: '/api/v1/admin/surveys/{surveyId}/console/{page}',
  tags: ['admin'],
  summary: 'A console page of a survey as an HTML fragment (what the console shows; the page itself holds no data)',
  security: [{ bearer: [] }],
  request: {
    params: z.object({ surveyId: z.string(), page: z.enum(ADMIN_PAGES) }),
    query: z.object({ lang: z.enum(['de', 'en']).optional(), code: z.string().optional() }),
  },
  responses: {
    200: { description: 'The fragment', content: { 'text/html': { schema: z.string() } } },
    401: problemEntry('No valid bearer token'),
    403: problemEntry('Not an admin of this campaign'),
    404: problemEntry('No such survey'),
  },
});

const A = (surveyId: string) => `/api/v1/admin/surveys/${encodeURIComponent(surveyId)}`;
interface Props {
  definition: SurveyDefinition;
  lang: Lang;
  t: ConsoleText;
}

/**
 * One item of a list (a wave, a channel, a batch, a quota): a card with its facts and what can be
 * done with it. Cards instead of table rows, so nothing is cut off on a phone.
 */
function Card({
  title,
  code,
  facts,
  children,
}: {
  title: string;
  code?: string;
  facts: [string, unknown][];
  children?: unknown;
}) {
  return (
    <li class="card">
      <h3>
        {title} {code && <code>{code}</code>}
      </h3>
      <dl class="facts">
        {facts.map(([term, value]) => (
          <>
            <dt>{term}</dt>
            <dd>{value}</dd>
          </>
        ))}
      </dl>
      {children && <div class="row-actions">{children}</div>}
    </li>
  );
}

/**
 * A one-click action on an item (open, close, disable, revoke, remove): a form the console script
 * sends with the token. `name` says which item, for screen readers (every row has the same button).
 */
function Action(props: {
  action: string;
  label: string;
  name: string;
  method?: 'POST' | 'DELETE';
  confirm?: string;
  done?: string;
  primary?: boolean;
}) {
  return (
    <form
      data-api
      data-body="none"
      action={props.action}
      data-method={props.method ?? 'POST'}
      data-confirm={props.confirm}
      data-done={props.done}
    >
      <button
        type="submit"
        class={props.primary ? undefined : 'secondary'}
        aria-label={`${props.label}: ${props.name}`}
      >
        {props.label}
      </button>
    </form>
  );
}

/** The survey file: what is published, a field to paste or load a file, check and publish. */
function DefinitionPage({ definition, lang, t }: Props) {
  const action = `${A(definition.id)}/definitions`;
  return (
    <div>
      <p>
        {t.currentFile.replace('{version}', definition.version)}{' '}
        <a
          href={`${action}/current`}
          data-download={`${definition.id}-v${definition.version}.yaml`}
          data-accept="application/yaml"
        >
          {t.downloadFile}
        </a>
      </p>
      <form
        id="definition-form"
        data-api
        data-body="yaml"
        action={`${action}?dryRun=true&lang=${lang}`}
        data-result="definition-result"
      >
        <label for="definition-file">{t.chooseFile}</label>
        <input
          id="definition-file"
          type="file"
          accept=".yaml,.yml,.json,application/yaml,application/json"
          data-fill="definition-text"
        />
        <label for="definition-text">{t.fileLabel}</label>
        <p class="hint" id="definition-hint">
          {t.fileHint}
        </p>
        <textarea id="definition-text" name="file" rows={18} spellcheck={false} aria-describedby="definition-hint" />
        <div class="buttons">
          <button type="submit" formaction={`${action}?dryRun=true&lang=${lang}`}>
            {t.check}
          </button>
          <button type="submit" class="secondary" formaction={`${action}?lang=${lang}`} data-confirm={t.publishConfirm}>
            {t.publish}
          </button>
        </div>
      </form>
      <div id="definition-result" tabindex={-1} aria-live="polite" />
    </div>
  );
}

function WavesPage({
  definition,
  lang,
  t,
  waves,
  now,
}: Props & { waves: Awaited<ReturnType<typeof listWaves>>; now: Date }) {
  const base = `${A(definition.id)}/waves`;
  const running = waves.find((w) => w.collectingNow);
  // "open" with a window that has not begun or has ended reads as what it is for the team.
  const stateOf = (w: (typeof waves)[number]) => {
    if (w.state !== 'open' || w.collectingNow) return t.states[w.state];
    if (w.opensAt && Date.parse(w.opensAt) > now.getTime()) return t.states.scheduled;
    return t.windowEnded;
  };
  return (
    <ul class="cards" aria-label={t.wavesCaption}>
      {waves.map((w) => {
        const label = w.label[lang];
        return (
          <Card
            title={label}
            code={w.id}
            facts={[
              [t.kind, t.kinds[w.kind]],
              [t.state, stateOf(w)],
              [
                t.window,
                t.windowText(w.opensAt && localTime(w.opensAt, lang), w.closesAt && localTime(w.closesAt, lang)),
              ],
              [t.collectingNow, w.collectingNow ? t.yes : t.no],
            ]}
          >
            {w.state !== 'open' && (
              <Action
                action={`${base}/${w.id}/open`}
                label={t.open}
                name={label}
                done={`${t.states.open}: ${label}`}
                confirm={running && running.id !== w.id ? t.openClosesOther(running.label[lang], label) : undefined}
                primary
              />
            )}
            {w.state === 'open' && (
              <Action
                action={`${base}/${w.id}/close`}
                label={t.close}
                name={label}
                confirm={`${t.close}: ${label}?`}
                done={`${t.states.closed}: ${label}`}
              />
            )}
            <details class="schedule">
              <summary>{t.schedule}</summary>
              <form data-api data-method="PUT" action={`${base}/${w.id}/schedule`} id={`schedule-${w.id}`}>
                <p class="hint">{t.scheduleHint}</p>
                <label for={`opens-${w.id}`}>{t.opensAt}</label>
                <input id={`opens-${w.id}`} name="opensAt" type="datetime-local" data-iso={w.opensAt} />
                <label for={`closes-${w.id}`}>{t.closesAt}</label>
                <input id={`closes-${w.id}`} name="closesAt" type="datetime-local" data-iso={w.closesAt} />
                <button type="submit" aria-label={`${t.schedule}: ${label}`}>
                  {t.schedule}
                </button>
              </form>
            </details>
          </Card>
        );
      })}
    </ul>
  );
}

function ChannelsPage({ definition, lang, t, channels, base }: Props & { channels: SurveyChannel[]; base: string }) {
  const api = `${A(definition.id)}/channels`;
  const cityName = (code: string | undefined) =>
    code ? (definition.campaign.cities.find((c) => c.code === code)?.name ?? code) : '–';
  const sheet = (code: string) =>
    `/console/${encodeURIComponent(definition.id)}/channels?code=${code}${lang === 'en' ? '&lang=en' : ''}`;
  return (
    <div>
      <h2>{t.registerTitle}</h2>
      <form data-api action={api} id="channel-form" class="stacked">
        <label for="channel-code">{t.code}</label>
        <p class="hint" id="channel-code-hint">
          {t.codeHint}
        </p>
        <input
          id="channel-code"
          name="code"
          required
          pattern="[a-z][a-z0-9_\-]*"
          maxlength={48}
          aria-describedby="channel-code-hint"
        />
        <label for="channel-label-de">{t.labelDe}</label>
        <input id="channel-label-de" name="label.de" required maxlength={200} />
        <label for="channel-label-en">{t.labelEn}</label>
        <p class="hint" id="channel-label-en-hint">
          {t.labelEnHint}
        </p>
        <input
          id="channel-label-en"
          name="label.en"
          maxlength={200}
          data-default-from="channel-label-de"
          aria-describedby="channel-label-en-hint"
        />
        <label for="channel-kind">{t.channelKind}</label>
        <select id="channel-kind" name="kind">
          {(Object.keys(t.channelKinds) as (keyof ConsoleText['channelKinds'])[]).map((kind) => (
            <option value={kind}>{t.channelKinds[kind]}</option>
          ))}
        </select>
        <label for="channel-city">{t.city}</label>
        <select id="channel-city" name="city">
          <option value="">{t.noCity}</option>
          {definition.campaign.cities.map((c) => (
            <option value={c.code}>{c.name}</option>
          ))}
        </select>
        <button type="submit">{t.register}</button>
      </form>
      <h2>{t.channelsCaption}</h2>
      {channels.length === 0 ? (
        <p>{t.noChannels}</p>
      ) : (
        <ul class="cards" aria-label={t.channelsCaption}>
          {channels.map((ch) => (
            <Card
              title={ch.label[lang]}
              code={ch.code}
              facts={[
                [t.channelKind, t.channelKinds[ch.kind]],
                [t.city, cityName(ch.city)],
                [t.shortLink, <code class="link">{shortUrl(base, definition.id, ch.code)}</code>],
                [
                  t.state,
                  `${ch.state === 'active' ? t.active : t.disabled}${ch.source === 'file' ? ` (${t.fromFile})` : ''}`,
                ],
              ]}
            >
              {/* A disabled channel's responses count as "unknown": no new posters for it. */}
              {ch.state === 'active' && <a href={sheet(ch.code)}>{t.printSheet}</a>}
              {ch.state === 'active' && (
                <a href={`${api}/${ch.code}/qr.svg`} data-download={`qr-${ch.code}.svg`} data-accept="image/svg+xml">
                  {t.qrCode} (SVG)
                </a>
              )}
              {ch.state === 'active' && (
                <a href={`${api}/${ch.code}/qr.png`} data-download={`qr-${ch.code}.png`} data-accept="image/png">
                  {t.qrCode} (PNG)
                </a>
              )}
              {ch.state === 'active' && ch.source === 'registry' && (
                <Action
                  action={`${api}/${ch.code}/disable`}
                  label={t.disable}
                  name={ch.code}
                  confirm={`${t.disable}: ${ch.code}?`}
                />
              )}
            </Card>
          ))}
        </ul>
      )}
    </div>
  );
}

/** One channel's printable sheet: the code, large, with the short link in words under it. */
async function ChannelSheet({ definition, lang, t, channel, base }: Props & { channel: SurveyChannel; base: string }) {
  const link = shortUrl(base, definition.id, channel.code);
  const svg = await qrSvg(link);
  // A poster speaks German first, and English under it, whatever the console's language.
  const [de, en] = [consoleText.de, consoleText.en];
  const back = `/console/${encodeURIComponent(definition.id)}/channels${lang === 'en' ? '?lang=en' : ''}`;
  return (
    <div>
      <p class="breadcrumb sheet-back">
        <a href={back}>{t.backToChannels}</a>
      </p>
      <div class="sheet">
        <p class="sheet-title" lang="de">
          {definition.title.de}
        </p>
        <p class="sheet-title-en" lang="en">
          {definition.title.en}
        </p>
        <p class="sheet-scan">
          <span lang="de">{de.sheetScan}</span>
          <br />
          <span lang="en" class="sheet-en">
            {en.sheetScan}
          </span>
        </p>
        {/* The SVG is made here from the link (qrcode), never from input: safe to place as markup. */}
        <div class="qr" role="img" aria-label={`${t.qrCode}: ${link}`} dangerouslySetInnerHTML={{ __html: svg }} />
        <p class="sheet-link">
          <span lang="de">{de.sheetOr}</span> / <span lang="en">{en.sheetOr}</span>
          <br />
          <strong>{link.replace(/^https?:\/\//, '')}</strong>
        </p>
        <p class="hint">
          {channel.label[lang]} · <code>{channel.code}</code>
        </p>
        <button type="button" class="print-button" data-print>
          {t.print}
        </button>
      </div>
    </div>
  );
}

function InvitationsPage({
  definition,
  lang,
  t,
  batches,
}: Props & { batches: Awaited<ReturnType<typeof listBatches>> }) {
  const api = `${A(definition.id)}/invitations`;
  const audiences = InvitedAudience.options.filter((a) => definition.audiences[a] !== undefined);
  return (
    <div>
      {batches.length === 0 ? (
        <p>{t.noBatches}</p>
      ) : (
        <ul class="cards" aria-label={t.batchesCaption}>
          {batches.map((b) => (
            <Card
              title={`${b.createdOn} · ${definition.audiences[b.audience]?.title[lang] ?? b.audience}`}
              code={b.batchId.slice(0, 8)}
              facts={[
                [t.expiresOn, b.expiresOn ?? '–'],
                [t.issued, b.issued],
                [t.used, b.used],
                [t.revoked, b.revoked],
                [t.expired, b.expired],
                [t.openLinks, b.open],
              ]}
            >
              {b.open > 0 && (
                <Action
                  action={`${api}/${b.batchId}/revoke`}
                  label={t.revoke}
                  name={`${b.createdOn} ${b.batchId.slice(0, 8)}`}
                  confirm={t.revokeConfirm(b.open, b.batchId.slice(0, 8), b.createdOn)}
                />
              )}
            </Card>
          ))}
        </ul>
      )}
      <h2>{t.createBatch}</h2>
      {audiences.length === 0 ? (
        <p class="notice">{t.noInvitedAudience}</p>
      ) : (
        <InvitationForm definition={definition} lang={lang} t={t} audiences={audiences} />
      )}
    </div>
  );
}

function InvitationForm({ definition, lang, t, audiences }: Props & { audiences: InvitedAudience[] }) {
  const api = `${A(definition.id)}/invitations`;
  return (
    <div>
      <p class="notice">{t.linksOnce}</p>
      <form
        data-api
        action={api}
        id="invitation-form"
        class="stacked"
        data-save-as={`${t.invitationsFile}-${definition.id}.csv`}
        data-accept="text/csv"
      >
        <label for="invitation-audience">{t.audience}</label>
        <select id="invitation-audience" name="audience">
          {audiences.map((a) => (
            <option value={a}>{definition.audiences[a]?.title[lang] ?? a}</option>
          ))}
        </select>
        <label for="invitation-recipients">{t.recipients}</label>
        <p class="hint" id="invitation-recipients-hint">
          {t.recipientsHint}
        </p>
        <input
          id="invitation-recipients"
          name="recipients"
          type="file"
          accept=".csv,text/csv"
          data-recipients
          data-msg-unusable={t.recipientsUnusable}
          aria-describedby="invitation-recipients-hint"
        />
        <label for="invitation-count">{t.count}</label>
        <p class="hint" id="invitation-count-hint">
          {t.countHint}
        </p>
        <input
          id="invitation-count"
          name="count"
          type="number"
          min={1}
          max={5000}
          aria-describedby="invitation-count-hint"
        />
        <label for="invitation-expires">{t.expiresOn}</label>
        <p class="hint" id="invitation-expires-hint">
          {t.expiresHint}
        </p>
        <input id="invitation-expires" name="expiresOn" type="date" aria-describedby="invitation-expires-hint" />
        <button type="submit">{t.createAndDownload}</button>
      </form>
    </div>
  );
}

function QuotasPage({ definition, lang, t, quotas }: Props & { quotas: ReturnType<typeof quotaView>[] }) {
  const api = `${A(definition.id)}/quotas`;
  const cityName = (code: string | undefined) =>
    code ? (definition.campaign.cities.find((c) => c.code === code)?.name ?? code) : t.allCities;
  const waveLabel = (id: string) => definition.waves.find((w) => w.id === id)?.label[lang] ?? id;
  return (
    <div>
      {quotas.length === 0 ? (
        <p>{t.noQuotas}</p>
      ) : (
        <ul class="cards" aria-label={t.quotasCaption}>
          {quotas.map((q) => (
            <Card
              title={`${waveLabel(q.waveId)} · ${definition.audiences[q.audience]?.title[lang] ?? q.audience} · ${cityName(q.city)}`}
              facts={[
                [t.target, q.target],
                [t.progress, q.responses === null ? t.fewer(definition.settings.minCellSize) : q.responses],
                [t.whenMet, t.whenMetModes[q.whenMet]],
              ]}
            >
              <Action action={`${api}/${q.id}`} method="DELETE" label={t.remove} name={q.id} confirm={`${t.remove}?`} />
            </Card>
          ))}
        </ul>
      )}
      <h2>{t.setQuota}</h2>
      <p class="hint">{t.quotaHint}</p>
      <form data-api data-method="PUT" action={`${api}/{waveId}.{audience}{.city}`} id="quota-form" class="stacked">
        <label for="quota-wave">{t.wave}</label>
        <select id="quota-wave" name="waveId" data-in-path>
          {definition.waves.map((w) => (
            <option value={w.id}>{w.label[lang]}</option>
          ))}
        </select>
        <label for="quota-audience">{t.audience}</label>
        <select id="quota-audience" name="audience" data-in-path>
          {Object.entries(definition.audiences).map(([id, a]) => (
            <option value={id}>{a?.title[lang] ?? id}</option>
          ))}
        </select>
        <label for="quota-city">{t.city}</label>
        <select id="quota-city" name="city" data-in-path>
          <option value="">{t.allCities}</option>
          {definition.campaign.cities.map((c) => (
            <option value={c.code}>{c.name}</option>
          ))}
        </select>
        <label for="quota-target">{t.target}</label>
        <input id="quota-target" name="target" type="number" min={1} required />
        <label for="quota-when">{t.whenMet}</label>
        <select id="quota-when" name="whenMet">
          <option value="close">{t.whenMetModes.close}</option>
          <option value="keep">{t.whenMetModes.keep}</option>
        </select>
        <button type="submit">{t.setQuota}</button>
      </form>
    </div>
  );
}

/** Export records for admins: who exported when, with which protection, how many rows; never data. */
function ExportRecordsPage({ lang, t, records }: Props & { records: ExportRecord[] }) {
  return (
    <div>
      <p>{t.exportRecordsIntro}</p>
      {records.length === 0 ? (
        <p>{t.noExports}</p>
      ) : (
        <ul class="cards" aria-label={t.pages.exports}>
          {records.map((r) => (
            <Card
              title={`${localTime(r.requestedAt, lang)} · ${t.exportStates[r.status]}`}
              facts={[
                [t.requestedBy, <code>{r.requestedBy}</code>],
                [t.format, t.formats[r.format]],
                [
                  t.protection,
                  `k = ${r.profile.k}, ${t.periods[r.profile.period]}, ${t.freeTexts[r.profile.freeText]}`,
                ],
                [t.rows, r.rows ?? '–'],
              ]}
            />
          ))}
        </ul>
      )}
    </div>
  );
}

/** The console's admin pages, each an HTML fragment the page's script fetches with the admin's token. */
export function consoleRoutes(deps: AdminDeps) {
  const app = new OpenAPIHono<AuthEnv>({ defaultHook: validationHook });
  const adminSurvey = adminSurveyOf(deps);
  const originOf = publicBaseOf(deps);
  app.openapi(route, async (c) => {
    const { surveyId, page } = c.req.valid('param');
    const query = c.req.valid('query');
    const definition = await adminSurvey(c.var.claims, surveyId);
    const lang = langFrom(query.lang);
    const props = { definition, lang, t: consoleText[lang] };
    c.header('Cache-Control', 'no-store');
    switch (page) {
      case 'definition':
        return c.html(<DefinitionPage {...props} />, 200);
      case 'waves':
        return c.html(
          <WavesPage {...props} waves={await listWaves(deps.db, definition, deps.now())} now={deps.now()} />,
          200,
        );
      case 'channels': {
        const channels = await listSurveyChannels(deps.db, definition);
        const one = query.code && channels.find((ch) => ch.code === query.code);
        if (one) return c.html(<ChannelSheet {...props} channel={one} base={originOf(c)} />, 200);
        return c.html(<ChannelsPage {...props} channels={channels} base={originOf(c)} />, 200);
      }
      case 'invitations':
        return c.html(
          <InvitationsPage {...props} batches={await listBatches(deps.db, definition.id, deps.now())} />,
          200,
        );
      case 'exports': {
        const now = deps.now();
        const records = await Promise.all(
          (await listExportRecords(deps.db, definition.id)).map((r) => settleAbandoned(deps.db, r, now)),
        );
        records.sort((a, b) => b.requestedAt.localeCompare(a.requestedAt));
        return c.html(<ExportRecordsPage {...props} records={records} />, 200);
      }
      case 'quotas': {
        const quotas = (await listQuotaProgress(deps.db, definition)).map((p) => quotaView(p));
        return c.html(<QuotasPage {...props} quotas={quotas} />, 200);
      }
    }
  });
  return app;
}
