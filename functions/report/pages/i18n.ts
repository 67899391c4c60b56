import type { Lang } from '../../respond/pages/i18n.js';

/** Every string of the lead pages (shell, sign-in, report fragments), German first. */
interface ConsoleStrings {
  languageName: string;
  siteName: string;
  skipToContent: string;
  noscript: string;
  /** Name of the header navigation with sign-out and language. */
  accountNav: string;
  loading: string;
  signOut: string;
  /** "{sub}" and "{roles}" are filled in by the script, as text. */
  signedInAs: string;
  forbidden: string;
  failed: string;
  fieldworkTitle: string;
  dashboardTitle: string;
  survey: string;
  /** The link back to the console home. */
  home: string;
  signInTitle: string;
  signInIntro: string;
  tokenLabel: string;
  tokenHint: string;
  tokenSubmit: string;
  tokenRejected: string;
  /** While an action is sent, and after it succeeded. */
  sending: string;
  saved: string;
  oidcIntro: string;
  oidcSubmit: string;
  notConfigured: string;
  callbackTitle: string;
  callbackWorking: string;
  stateMismatch: string;
  idpError: string;
  tokenExchangeFailed: string;
}

export const consoleUi: Record<Lang, ConsoleStrings> = {
  de: {
    languageName: 'Deutsch',
    siteName: 'Resonanz – Kampagnenkonsole',
    skipToContent: 'Zum Inhalt springen',
    noscript:
      'Diese Seite braucht JavaScript: Sie holt die Daten mit Ihrer Anmeldung vom Server, damit die Seite selbst keine enthält. Bitte erlauben Sie JavaScript für diese Website in den Einstellungen Ihres Browsers und laden Sie die Seite neu. Geht das an Ihrem Arbeitsplatz nicht, wenden Sie sich an Ihre IT: die Seite lädt nur ihr eigenes Skript von dieser Adresse.',
    accountNav: 'Konto und Sprache',
    loading: 'Wird geladen …',
    signOut: 'Abmelden',
    signedInAs: 'Angemeldet als {sub} ({roles})',
    forbidden:
      'Kein Zugriff: Ihre Anmeldung erlaubt diese Seite nicht, weil Ihrem Konto die nötige Rolle (Admin, Kampagnenleitung oder Evaluation) oder diese Kampagne fehlt. Fragen Sie die Person, die die Konten verwaltet.',
    failed: 'Die Seite konnte nicht geladen werden.',
    fieldworkTitle: 'Feldbericht',
    dashboardTitle: 'Wirkung der Kampagne',
    survey: 'Umfrage',
    home: '← Übersicht',
    signInTitle: 'Anmelden',
    signInIntro: 'Berichte sehen nur Kampagnenleitungen und Admins der jeweiligen Kampagne.',
    tokenLabel: 'Zugangstoken',
    tokenHint: 'Lokal erzeugen mit: npm run token -- --role lead --campaign <Kampagnen-ID>',
    tokenSubmit: 'Mit Token anmelden',
    tokenRejected: 'Das Token wurde nicht angenommen.',
    sending: 'Wird gesendet …',
    saved: 'Gespeichert.',
    oidcIntro: 'Sie werden zur Anmeldeseite Ihrer Organisation weitergeleitet und danach hierher zurückgebracht.',
    oidcSubmit: 'Weiter zur Anmeldung',
    notConfigured: 'Die Anmeldung ist für diese Installation nicht eingerichtet. Bitte wenden Sie sich an den Betrieb.',
    callbackTitle: 'Anmeldung wird abgeschlossen',
    callbackWorking: 'Anmeldung wird abgeschlossen …',
    stateMismatch:
      'Diese Anmeldeantwort gehört nicht zu einer Anmeldung aus diesem Browserfenster und wurde verworfen. Bitte melden Sie sich erneut an.',
    idpError: 'Die Anmeldung wurde abgebrochen oder abgelehnt.',
    tokenExchangeFailed: 'Der Anmeldedienst hat kein Token ausgestellt.',
  },
  en: {
    languageName: 'English',
    siteName: 'Resonanz – campaign console',
    skipToContent: 'Skip to content',
    noscript:
      'This page needs JavaScript: it fetches the data from the server with your sign-in, so that the page itself holds none. Please allow JavaScript for this site in your browser settings and reload the page. If your workplace does not allow that, ask your IT: the page loads only its own script from this address.',
    accountNav: 'Account and language',
    loading: 'Loading …',
    signOut: 'Sign out',
    signedInAs: 'Signed in as {sub} ({roles})',
    forbidden:
      'No access: your sign-in does not allow this page, because your account lacks the role it needs (admin, campaign lead or evaluator) or this campaign. Ask whoever manages the accounts.',
    failed: 'The page could not be loaded.',
    fieldworkTitle: 'Fieldwork report',
    dashboardTitle: 'Campaign impact',
    survey: 'Survey',
    home: '← Overview',
    signInTitle: 'Sign in',
    signInIntro: 'Reports are shown to campaign leads and admins of their campaign only.',
    tokenLabel: 'Access token',
    tokenHint: 'Make one locally with: npm run token -- --role lead --campaign <campaign id>',
    tokenSubmit: 'Sign in with token',
    tokenRejected: 'The token was not accepted.',
    sending: 'Sending …',
    saved: 'Saved.',
    oidcIntro: "You will be taken to your organisation's sign-in page and brought back here afterwards.",
    oidcSubmit: 'Continue to sign-in',
    notConfigured: 'Sign-in is not set up for this installation. Please contact the operators.',
    callbackTitle: 'Completing sign-in',
    callbackWorking: 'Completing sign-in …',
    stateMismatch:
      'This sign-in answer does not belong to a sign-in started in this browser window and was discarded. Please sign in again.',
    idpError: 'The sign-in was cancelled or refused.',
    tokenExchangeFailed: 'The sign-in service issued no token.',
  },
};

/** Strings of the fieldwork fragment. */
export const fieldworkUi: Record<
  Lang,
  {
    generatedAt: string;
    wave: string;
    /** Beside the name of the wave that collects now. */
    collectingNow: string;
    total: string;
    noResponses: string;
    /** Rows that stand for the groups a line hides (`all` where no group of the line is shown). */
    otherCities: (all: boolean) => string;
    otherAudiences: (all: boolean) => string;
    otherChannels: (all: boolean) => string;
    cumulative: string;
    curveTitle: (wave: string) => string;
    curveDesc: (p: { from: string; to: string; total: number; periods: number; k: number }) => string;
    noCurve: (k: number) => string;
    acrossWaves: string;
    acrossWavesCaption: string;
    allAudiences: string;
    byCity: (wave: string) => string;
    byChannel: (wave: string) => string;
    byPeriod: (wave: string) => string;
    period: string;
    hidden: string;
    audience: string;
    audienceAndCity: string;
    city: string;
    channel: string;
    responses: string;
    day: string;
    invitations: string;
    invitationsCaption: string;
    noInvitations: string;
    batch: string;
    createdOn: string;
    issued: string;
    used: string;
    revoked: string;
    expired: string;
    rate: string;
    unknownChannel: string;
    noCity: string;
    quotas: string;
    quotasCaption: string;
    allCities: string;
    target: string;
    whenMet: string;
    closes: string;
    keeps: string;
    status: string;
    met: string;
    open: string;
    smallCells: (k: number) => string;
  }
> = {
  de: {
    generatedAt: 'Stand',
    wave: 'Welle',
    collectingNow: 'läuft gerade',
    total: 'Antworten insgesamt',
    noResponses: 'Noch keine Antworten in dieser Welle.',
    otherCities: (all) => (all ? 'alle Orte zusammen' : 'übrige Orte zusammen'),
    otherAudiences: (all) => (all ? 'alle Zielgruppen zusammen' : 'übrige Zielgruppen zusammen'),
    otherChannels: (all) => (all ? 'alle Kanäle zusammen' : 'übrige Kanäle zusammen'),
    cumulative: 'bis dahin zusammen',
    curveTitle: (wave) => `Antworten aufsummiert – ${wave}`,
    curveDesc: ({ from, to, total, periods, k }) =>
      `Die Kurve steigt ${from === to ? `am ${from} von 0 auf ${total}` : `von 0 am ${from} auf ${total} am ${to}`}, ${periods === 1 ? 'in einem Zeitraum' : `in ${periods} Zeiträumen`} mit mindestens ${k} Antworten. Die Tabelle „Antworten im Zeitverlauf“ nennt jeden Zeitraum.`,
    noCurve: (k) => `Für einen Verlauf fehlen noch Antworten: Er beginnt, sobald es ${k} sind.`,
    acrossWaves: 'Alle Wellen zusammen',
    acrossWavesCaption: 'Antworten nach Zielgruppe, alle Wellen zusammen',
    allAudiences: 'alle Zielgruppen',
    byCity: (wave) => `Antworten nach Zielgruppe und Ort – ${wave}`,
    byChannel: (wave) => `Antworten nach Kanal – ${wave}`,
    byPeriod: (wave) => `Antworten im Zeitverlauf – ${wave}`,
    period: 'Zeitraum',
    hidden: 'nicht ausgewiesen',
    audience: 'Zielgruppe',
    audienceAndCity: 'Zielgruppe und Ort',
    city: 'Ort',
    channel: 'Kanal',
    responses: 'Antworten',
    day: 'Tag',
    invitations: 'Persönliche Einladungen',
    invitationsCaption: 'Einladungsstapel und Rücklauf',
    noInvitations: 'Noch keine Einladungen ausgegeben.',
    batch: 'Stapel',
    createdOn: 'erstellt am',
    issued: 'ausgegeben',
    used: 'genutzt',
    revoked: 'widerrufen',
    expired: 'abgelaufen',
    rate: 'Rücklaufquote',
    unknownChannel: 'ohne bekannten Kanal',
    noCity: 'keine Angabe',
    quotas: 'Quoten',
    quotasCaption: 'Quoten je Welle, Zielgruppe und Ort',
    allCities: 'alle Orte',
    target: 'Ziel',
    whenMet: 'wenn erreicht',
    closes: 'Gruppe schließt',
    keeps: 'weiter sammeln',
    status: 'Stand',
    met: 'erreicht',
    open: 'offen',
    smallCells: (k) =>
      `„–“ heißt: nicht ausgewiesen. Zahlen unter ${k} werden nicht gezeigt, damit niemand einzelne Befragte erkennen kann, und wo nötig weitere, damit sich eine verborgene Zahl nicht aus der Summe errechnen lässt. Die verborgenen Orte, Zielgruppen oder Kanäle stehen zusammen in einer Zeile („übrige … zusammen“): Ihre Summe ergibt sich ohnehin aus der Gesamtzahl und verrät keine einzelne. Tage sind zu Zeiträumen mit mindestens ${k} Antworten zusammengefasst. Eine Rücklaufquote entfällt bei verborgener Zahl.`,
  },
  en: {
    generatedAt: 'As of',
    wave: 'Wave',
    collectingNow: 'collecting now',
    total: 'Responses in total',
    noResponses: 'No responses in this wave yet.',
    otherCities: (all) => (all ? 'all areas together' : 'other areas together'),
    otherAudiences: (all) => (all ? 'all audiences together' : 'other audiences together'),
    otherChannels: (all) => (all ? 'all channels together' : 'other channels together'),
    cumulative: 'running total',
    curveTitle: (wave) => `Responses added up – ${wave}`,
    curveDesc: ({ from, to, total, periods, k }) =>
      `The curve rises ${from === to ? `from 0 to ${total} on ${from}` : `from 0 on ${from} to ${total} on ${to}`}, in ${periods === 1 ? 'one period' : `${periods} periods`} of at least ${k} responses. The table "Responses over time" lists every period.`,
    noCurve: (k) => `Too few responses for a curve yet: it starts once there are ${k}.`,
    acrossWaves: 'All waves together',
    acrossWavesCaption: 'Responses by audience, all waves together',
    allAudiences: 'all audiences',
    byCity: (wave) => `Responses by audience and area – ${wave}`,
    byChannel: (wave) => `Responses by channel – ${wave}`,
    byPeriod: (wave) => `Responses over time – ${wave}`,
    period: 'Period',
    hidden: 'not shown',
    audience: 'Audience',
    audienceAndCity: 'Audience and area',
    city: 'Area',
    channel: 'Channel',
    responses: 'Responses',
    day: 'Day',
    invitations: 'Personal invitations',
    invitationsCaption: 'Invitation batches and response rate',
    noInvitations: 'No invitations issued yet.',
    batch: 'Batch',
    createdOn: 'created on',
    issued: 'issued',
    used: 'used',
    revoked: 'revoked',
    expired: 'expired',
    rate: 'response rate',
    unknownChannel: 'no known channel',
    noCity: 'not given',
    quotas: 'Quotas',
    quotasCaption: 'Quotas per wave, audience and area',
    allCities: 'all areas',
    target: 'target',
    whenMet: 'when met',
    closes: 'group closes',
    keeps: 'keep collecting',
    status: 'status',
    met: 'met',
    open: 'open',
    smallCells: (k) =>
      `"–" means not shown. Counts below ${k} are not shown so that no single respondent can be recognised, and where needed others too, so that a hidden count cannot be worked out from the total. The hidden areas, audiences or channels stand together in one row ("other … together"): their sum follows from the total anyway and tells none of them apart. Days are merged into periods of at least ${k} responses. No response rate is given for a hidden count.`,
  },
};
