import type { Lang } from '../respond/pages/i18n.js';

/**
 * Strings of the campaign console (home, survey file, waves, channels, invitations, quotas), German
 * first. The shell's own strings (sign-in, loading, errors) are in functions/report/pages/i18n.ts.
 */
export interface ConsoleText {
  homeTitle: string;
  homeIntro: string;
  noSurveys: string;
  campaign: string;
  version: string;
  yourRoles: string;
  roleNames: Record<'admin' | 'lead' | 'evaluator', string>;
  openWave: string;
  noOpenWave: string;
  today: string;
  fewer: (k: number) => string;
  pages: Record<ConsolePage | 'fieldwork' | 'dashboard', string>;
  pageHints: Record<ConsolePage | 'fieldwork' | 'dashboard', string>;
  // Survey file
  currentFile: string;
  downloadFile: string;
  fileLabel: string;
  fileHint: string;
  chooseFile: string;
  check: string;
  publish: string;
  publishConfirm: string;
  goBack: string;
  problemsTitle: (n: number) => string;
  line: string;
  where: string;
  problem: string;
  validTitle: (version: string) => string;
  outcome: Record<'new' | 'new-version' | 'unchanged' | 'earlier-version', string>;
  publishedTitle: (version: string) => string;
  changesTitle: (from: string | null, to: string) => string;
  noChanges: string;
  questionsAdded: string;
  questionsRemoved: string;
  questionsChanged: string;
  what: Record<string, string>;
  codesAdded: string;
  codesRemoved: string;
  listed: Record<'audiences' | 'sections' | 'indicators' | 'waves' | 'channels' | 'cities', string>;
  added: string;
  removed: string;
  changed: string;
  settingsChanged: string;
  otherChanged: string;
  retentionChanges: (before: string, rule: string) => string;
  retentionPending: string;
  preview: string;
  previewHint: string;
  previewBanner: (page: number, pages: number) => string;
  // Waves
  wavesCaption: string;
  wave: string;
  kind: string;
  kinds: Record<'baseline' | 'followup', string>;
  state: string;
  states: Record<'scheduled' | 'open' | 'closed', string>;
  window: string;
  windowText: (from: string | undefined, to: string | undefined) => string;
  collectingNow: string;
  windowEnded: string;
  openClosesOther: (running: string, wave: string) => string;
  yes: string;
  no: string;
  open: string;
  close: string;
  schedule: string;
  opensAt: string;
  closesAt: string;
  scheduleHint: string;
  // Channels
  channelsCaption: string;
  code: string;
  labelDe: string;
  labelEn: string;
  labelEnHint: string;
  backToChannels: string;
  channelKind: string;
  channelKinds: Record<'poster' | 'social' | 'school' | 'event' | 'mail' | 'press' | 'web', string>;
  city: string;
  noCity: string;
  shortLink: string;
  qrCode: string;
  printSheet: string;
  disable: string;
  disabled: string;
  active: string;
  fromFile: string;
  register: string;
  registerTitle: string;
  codeHint: string;
  noChannels: string;
  sheetScan: string;
  sheetOr: string;
  print: string;
  // Invitations
  batchesCaption: string;
  noBatches: string;
  audience: string;
  expiresOn: string;
  issued: string;
  used: string;
  revoked: string;
  expired: string;
  openLinks: string;
  revoke: string;
  revokeConfirm: (open: number, batch: string, day: string) => string;
  invitationsFile: string;
  createBatch: string;
  count: string;
  countHint: string;
  recipients: string;
  recipientsHint: string;
  recipientsUnusable: string;
  expiresHint: string;
  createAndDownload: string;
  noInvitedAudience: string;
  linksOnce: string;
  // Quotas
  quotasCaption: string;
  noQuotas: string;
  target: string;
  progress: string;
  whenMet: string;
  whenMetModes: Record<'close' | 'keep', string>;
  remove: string;
  setQuota: string;
  quotaHint: string;
  allCities: string;
  // Exports
  exportIntro: (k: number) => string;
  format: string;
  formats: Record<'csv' | 'csv-excel' | 'jsonl', string>;
  kHint: (k: number) => string;
  period: string;
  periods: Record<'week' | 'wave', string>;
  freeText: string;
  freeTexts: Record<'exclude' | 'scrub', string>;
  startExport: string;
  exportStarted: string;
  earlierExports: string;
  exportRunning: string;
  noExports: string;
  exportStates: Record<'running' | 'done' | 'failed', string>;
  requestedBy: string;
  you: string;
  otherEvaluator: string;
  protection: string;
  rows: string;
  files: string;
  exportRecordsIntro: string;
}

/** Admin pages (served by the admin function), and the evaluators' export page (`data`, by the export function). */
export const ADMIN_PAGES = ['definition', 'waves', 'channels', 'invitations', 'quotas', 'exports'] as const;
export const CONSOLE_PAGES = [...ADMIN_PAGES, 'data'] as const;
export type ConsolePage = (typeof CONSOLE_PAGES)[number];

const de: ConsoleText = {
  homeTitle: 'Übersicht',
  homeIntro: 'Ihre Umfragen, nach Kampagne. Was Sie öffnen können, hängt von Ihrer Rolle ab.',
  noSurveys: 'Für Ihre Anmeldung ist keine Umfrage veröffentlicht.',
  campaign: 'Kampagne',
  version: 'Version',
  yourRoles: 'Ihre Rollen',
  roleNames: { admin: 'Admin', lead: 'Kampagnenleitung', evaluator: 'Evaluation' },
  openWave: 'Offene Welle',
  noOpenWave: 'keine Welle offen',
  today: 'Antworten heute',
  fewer: (k) => `weniger als ${k}`,
  pages: {
    definition: 'Fragebogen',
    waves: 'Wellen',
    channels: 'Kanäle und QR-Codes',
    invitations: 'Persönliche Einladungen',
    quotas: 'Quoten',
    exports: 'Exportprotokoll',
    data: 'Daten exportieren',
    fieldwork: 'Feldbericht',
    dashboard: 'Wirkung',
  },
  pageHints: {
    definition: 'Umfragedatei prüfen, Änderungen sehen, veröffentlichen',
    waves: 'Wellen öffnen, schließen, planen',
    channels: 'Plakate und Links anlegen, QR-Codes drucken',
    invitations: 'Einmal-Links für Betriebe erzeugen und widerrufen',
    quotas: 'Zielgrößen je Gruppe setzen',
    exports: 'Wer wann welche Daten exportiert hat',
    data: 'Anonymisierte Daten mit Codebuch für SPSS und R',
    fieldwork: 'Rücklauf nach Zielgruppe, Ort, Kanal und Tag',
    dashboard: 'Hat die Kampagne gewirkt?',
  },
  currentFile: 'Veröffentlicht ist Version {version}.',
  downloadFile: 'Veröffentlichte Datei herunterladen',
  fileLabel: 'Umfragedatei (YAML)',
  fileHint:
    'Datei wählen oder den Inhalt einfügen. Geprüft wird ohne zu speichern; veröffentlicht erst mit „Veröffentlichen“.',
  chooseFile: 'Datei wählen',
  check: 'Prüfen',
  publish: 'Veröffentlichen',
  publishConfirm: 'Diese Datei jetzt veröffentlichen? Neue Antworten bekommen dann diese Version.',
  goBack: 'Zu dieser früheren Version zurückkehren',
  problemsTitle: (n) => (n === 1 ? 'Die Datei hat 1 Problem' : `Die Datei hat ${n} Probleme`),
  line: 'Zeile',
  where: 'Stelle',
  problem: 'Problem',
  validTitle: (v) => `Die Datei ist gültig (Version ${v}).`,
  outcome: {
    new: 'Die Umfrage ist neu und wird mit dieser Datei angelegt.',
    'new-version': 'Veröffentlichen macht diese Version zur aktuellen: neue Antworten bekommen sie.',
    unchanged: 'Diese Version ist bereits genau so veröffentlicht. Es gibt nichts zu tun.',
    'earlier-version':
      'Diese Version war früher veröffentlicht; aktuell ist eine spätere. Veröffentlichen kehrt nur zu ihr zurück, wenn Sie es ausdrücklich wählen.',
  },
  publishedTitle: (v) => `Version ${v} ist veröffentlicht.`,
  changesTitle: (from, to) => (from ? `Änderungen von Version ${from} zu ${to}` : `Neue Umfrage, Version ${to}`),
  noChanges: 'Keine Änderungen gegenüber der veröffentlichten Version.',
  questionsAdded: 'Neue Fragen',
  questionsRemoved: 'Entfernte Fragen',
  questionsChanged: 'Geänderte Fragen',
  what: {
    type: 'Fragetyp',
    text: 'Text',
    codes: 'Antwortcodes',
    'option texts': 'Texte der Antworten',
    required: 'Pflichtfrage',
    condition: 'Bedingung',
    dimension: 'Merkmal',
    indicator: 'Indikator',
    other: 'weitere Angaben',
  },
  codesAdded: 'neue Codes',
  codesRemoved: 'entfernte Codes',
  listed: {
    audiences: 'Zielgruppen',
    sections: 'Abschnitte',
    indicators: 'Indikatoren',
    waves: 'Wellen',
    channels: 'Kanäle',
    cities: 'Orte',
  },
  added: 'neu',
  removed: 'entfernt',
  changed: 'geändert',
  settingsChanged: 'Geänderte Einstellungen',
  otherChanged: 'Weitere Änderungen',
  retentionChanges: (before, rule) => `Die Aufbewahrung ändert sich von „${before}“ zu „${rule}“.`,
  retentionPending:
    'Gespeicherte Antworten bekommen die neue Aufbewahrung beim nächsten Lauf der Aufbewahrungsfunktion (wöchentlich).',
  preview: 'Vorschau',
  previewHint:
    'Jede Seite öffnet sich in einem neuen Tab, so wie Befragte sie sehen, mit den Fragen, die ohne Antworten sichtbar sind. Nichts wird gespeichert.',
  previewBanner: (page, pages) =>
    `Vorschau: so sehen Befragte diese Seite (Abschnitt ${page} von ${pages} der Datei; die Zählung oben zählt nur die Abschnitte, die ein Befragter sieht). Die Schaltflächen sind abgeschaltet, nichts wird gesendet.`,
  wavesCaption: 'Wellen dieser Umfrage',
  wave: 'Welle',
  kind: 'Art',
  kinds: { baseline: 'Nullmessung', followup: 'Folgemessung' },
  state: 'Status',
  states: { scheduled: 'geplant', open: 'offen', closed: 'geschlossen' },
  window: 'Zeitraum',
  windowText: (from, to) =>
    from && to ? `${from} bis ${to}` : from ? `ab ${from}` : to ? `bis ${to}` : 'nicht geplant',
  collectingNow: 'Sammelt jetzt',
  windowEnded: 'Zeitraum vorbei',
  openClosesOther: (running, wave) => `„${wave}“ öffnen? Das schließt die laufende Welle „${running}“.`,
  yes: 'ja',
  no: 'nein',
  open: 'Jetzt öffnen',
  close: 'Schließen',
  schedule: 'Zeitraum planen',
  opensAt: 'Öffnet am',
  closesAt: 'Schließt am',
  scheduleHint: 'Ortszeit Ihres Browsers. Ein Feld darf leer bleiben.',
  channelsCaption: 'Kanäle dieser Umfrage',
  code: 'Code',
  labelDe: 'Bezeichnung (deutsch)',
  labelEn: 'Bezeichnung (englisch, wahlweise)',
  labelEnHint: 'Leer lassen, wenn die deutsche Bezeichnung auch auf Englisch passt.',
  backToChannels: '← Zu den Kanälen',
  channelKind: 'Art',
  channelKinds: {
    poster: 'Plakat',
    social: 'Soziale Medien',
    school: 'Schule',
    event: 'Veranstaltung',
    mail: 'Brief oder E-Mail',
    press: 'Presse',
    web: 'Website',
  },
  city: 'Ort',
  noCity: 'kein bestimmter Ort',
  shortLink: 'Kurzlink',
  qrCode: 'QR-Code',
  printSheet: 'Druckbogen',
  disable: 'Deaktivieren',
  disabled: 'deaktiviert',
  active: 'aktiv',
  fromFile: 'aus der Umfragedatei',
  register: 'Kanal anlegen',
  registerTitle: 'Neuer Kanal',
  codeHint: 'Kleinbuchstaben, Ziffern und Bindestriche, z. B. plakat-hauptbahnhof. Steht im Link und auf dem Plakat.',
  noChannels: 'Noch keine Kanäle.',
  sheetScan: 'Scannen und an der Umfrage teilnehmen',
  sheetOr: 'oder im Browser öffnen',
  print: 'Drucken',
  batchesCaption: 'Einladungsstapel',
  noBatches: 'Noch keine Einladungen.',
  audience: 'Zielgruppe',
  expiresOn: 'Gültig bis',
  issued: 'Ausgegeben',
  used: 'Genutzt',
  revoked: 'Widerrufen',
  expired: 'Abgelaufen',
  openLinks: 'Offen',
  revoke: 'Widerrufen',
  revokeConfirm: (open, batch, day) =>
    `Die ${open} offenen Links des Stapels ${batch} vom ${day} widerrufen? Sie funktionieren dann nicht mehr.`,
  invitationsFile: 'einladungen',
  createBatch: 'Neue Einladungen',
  count: 'Anzahl Links (ohne Empfängerliste)',
  countHint: 'Ein Link je Empfänger; jeder Link gilt für genau eine Antwort.',
  recipients: 'Empfängerliste (CSV, wahlweise)',
  recipientsHint:
    'Eine Zeile je Betrieb mit Kopfzeile. Die Links werden in Ihrem Browser als Spalte „link“ angefügt; Namen und Adressen verlassen Ihren Rechner nicht.',
  recipientsUnusable:
    'Die Empfängerliste ist nicht lesbar: sie braucht eine Kopfzeile und mindestens eine Zeile darunter (Anführungszeichen geschlossen), und nicht beide Spalten „link“ und „resonanz_link“.',
  expiresHint: 'Letzter Tag, an dem die Links gelten (leer: bis zur Löschfrist).',
  createAndDownload: 'Erzeugen und Serienbrief-Datei herunterladen',
  noInvitedAudience:
    'Diese Umfrage hat keine Zielgruppe für persönliche Einladungen (Betriebe oder Multiplikatoren). Sie wird über öffentliche Links beantwortet.',
  linksOnce:
    'Die Links werden nur dieses eine Mal ausgeliefert und nirgends im Klartext gespeichert. Bewahren Sie die Datei sicher auf.',
  quotasCaption: 'Quoten',
  noQuotas: 'Keine Quoten gesetzt.',
  target: 'Ziel',
  progress: 'Erreicht',
  whenMet: 'Wenn erreicht',
  whenMetModes: { close: 'Gruppe schließen', keep: 'weiter annehmen' },
  remove: 'Entfernen',
  setQuota: 'Quote setzen',
  quotaHint: 'Eine Quote gilt für eine Welle, eine Zielgruppe und wahlweise einen Ort.',
  allCities: 'alle Orte',
  exportIntro: (k) =>
    `Anonymisierte Daten der abgeschlossenen Wellen, mit Codebuch, SPSS- und R-Skript. Jede Kombination der Merkmale kommt mindestens ${k}-mal vor (k = ${k}).`,
  format: 'Format',
  formats: {
    csv: 'CSV (UTF-8), mit SPSS- und R-Skript',
    'csv-excel': 'CSV für Excel (Semikolon)',
    jsonl: 'JSON Lines',
  },
  kHint: (k) => `Mindestens ${k}, wie die Umfragedatei festlegt; ein höheres k schützt mehr und vergröbert mehr.`,
  period: 'Zeitangabe',
  periods: { week: 'Kalenderwoche', wave: 'nur Welle' },
  freeText: 'Freitext',
  freeTexts: { exclude: 'weglassen', scrub: 'mit entfernten Telefonnummern, Adressen und IBANs' },
  startExport: 'Export starten',
  exportStarted: 'Der Export läuft. Die Dateien erscheinen unten, sobald er fertig ist.',
  earlierExports: 'Exporte dieser Umfrage',
  exportRunning: 'Ein Export läuft; diese Liste aktualisiert sich von selbst.',
  noExports: 'Noch keine Exporte.',
  exportStates: { running: 'läuft', done: 'fertig', failed: 'fehlgeschlagen' },
  requestedBy: 'Angefordert von',
  you: 'Ihnen',
  otherEvaluator: 'einer anderen Person der Evaluation',
  protection: 'Schutz',
  rows: 'Zeilen',
  files: 'Dateien',
  exportRecordsIntro: 'Wer wann welche Daten exportiert hat (nur Zählungen, nie Daten).',
};

const en: ConsoleText = {
  homeTitle: 'Overview',
  homeIntro: 'Your surveys, by campaign. What you can open depends on your role.',
  noSurveys: 'No survey is published for your sign-in.',
  campaign: 'Campaign',
  version: 'Version',
  yourRoles: 'Your roles',
  roleNames: { admin: 'admin', lead: 'campaign lead', evaluator: 'evaluator' },
  openWave: 'Open wave',
  noOpenWave: 'no wave open',
  today: 'Responses today',
  fewer: (k) => `fewer than ${k}`,
  pages: {
    definition: 'Questionnaire',
    waves: 'Waves',
    channels: 'Channels and QR codes',
    invitations: 'Personal invitations',
    quotas: 'Quotas',
    exports: 'Export records',
    data: 'Export data',
    fieldwork: 'Fieldwork',
    dashboard: 'Impact',
  },
  pageHints: {
    definition: 'Check a survey file, see what changes, publish',
    waves: 'Open, close and schedule waves',
    channels: 'Add posters and links, print QR codes',
    invitations: 'Make single-use links for businesses, and revoke them',
    quotas: 'Set targets per group',
    exports: 'Who exported which data when',
    data: 'Anonymised data with codebook for SPSS and R',
    fieldwork: 'Responses by audience, town, channel and day',
    dashboard: 'Did the campaign work?',
  },
  currentFile: 'Version {version} is published.',
  downloadFile: 'Download the published file',
  fileLabel: 'Survey file (YAML)',
  fileHint: 'Choose a file or paste its content. Checking stores nothing; only "Publish" does.',
  chooseFile: 'Choose a file',
  check: 'Check',
  publish: 'Publish',
  publishConfirm: 'Publish this file now? New responses then get this version.',
  goBack: 'Go back to this earlier version',
  problemsTitle: (n) => (n === 1 ? 'The file has 1 problem' : `The file has ${n} problems`),
  line: 'Line',
  where: 'Where',
  problem: 'Problem',
  validTitle: (v) => `The file is valid (version ${v}).`,
  outcome: {
    new: 'The survey is new and is created with this file.',
    'new-version': 'Publishing makes this version the current one: new responses get it.',
    unchanged: 'This version is already published exactly like this. Nothing to do.',
    'earlier-version':
      'This version was published before; a later one is current. Publishing goes back to it only if you choose so explicitly.',
  },
  publishedTitle: (v) => `Version ${v} is published.`,
  changesTitle: (from, to) => (from ? `Changes from version ${from} to ${to}` : `New survey, version ${to}`),
  noChanges: 'No changes against the published version.',
  questionsAdded: 'New questions',
  questionsRemoved: 'Removed questions',
  questionsChanged: 'Changed questions',
  what: {
    type: 'question type',
    text: 'text',
    codes: 'answer codes',
    'option texts': 'answer texts',
    required: 'required',
    condition: 'condition',
    dimension: 'dimension',
    indicator: 'indicator',
    other: 'other details',
  },
  codesAdded: 'new codes',
  codesRemoved: 'removed codes',
  listed: {
    audiences: 'Audiences',
    sections: 'Sections',
    indicators: 'Indicators',
    waves: 'Waves',
    channels: 'Channels',
    cities: 'Towns',
  },
  added: 'new',
  removed: 'removed',
  changed: 'changed',
  settingsChanged: 'Changed settings',
  otherChanged: 'Other changes',
  retentionChanges: (before, rule) => `Retention changes from "${before}" to "${rule}".`,
  retentionPending: 'Stored responses get the new retention at the next run of the retention function (weekly).',
  preview: 'Preview',
  previewHint:
    'Each page opens in a new tab as respondents see it, with the questions shown before any answer. Nothing is stored.',
  previewBanner: (page, pages) =>
    `Preview: what respondents see on this page (section ${page} of ${pages} in the file; the count above counts only the sections a respondent sees). The buttons are switched off, nothing is sent.`,
  wavesCaption: 'Waves of this survey',
  wave: 'Wave',
  kind: 'Kind',
  kinds: { baseline: 'baseline', followup: 'follow-up' },
  state: 'State',
  states: { scheduled: 'scheduled', open: 'open', closed: 'closed' },
  window: 'Window',
  windowText: (from, to) =>
    from && to ? `${from} to ${to}` : from ? `from ${from}` : to ? `until ${to}` : 'not scheduled',
  collectingNow: 'Collecting now',
  windowEnded: 'window over',
  openClosesOther: (running, wave) => `Open "${wave}"? This closes the running wave "${running}".`,
  yes: 'yes',
  no: 'no',
  open: 'Open now',
  close: 'Close',
  schedule: 'Schedule',
  opensAt: 'Opens at',
  closesAt: 'Closes at',
  scheduleHint: "Your browser's local time. One field may stay empty.",
  channelsCaption: 'Channels of this survey',
  code: 'Code',
  labelDe: 'Label (German)',
  labelEn: 'Label (English, optional)',
  labelEnHint: 'Leave empty when the German label works in English too.',
  backToChannels: '← Back to the channels',
  channelKind: 'Kind',
  channelKinds: {
    poster: 'poster',
    social: 'social media',
    school: 'school',
    event: 'event',
    mail: 'letter or e-mail',
    press: 'press',
    web: 'website',
  },
  city: 'Town',
  noCity: 'no particular town',
  shortLink: 'Short link',
  qrCode: 'QR code',
  printSheet: 'Print sheet',
  disable: 'Disable',
  disabled: 'disabled',
  active: 'active',
  fromFile: 'from the survey file',
  register: 'Add channel',
  registerTitle: 'New channel',
  codeHint: 'Lower-case letters, digits and hyphens, e.g. poster-main-station. It is part of the link and the poster.',
  noChannels: 'No channels yet.',
  sheetScan: 'Scan to take part in the survey',
  sheetOr: 'or open in a browser',
  print: 'Print',
  batchesCaption: 'Invitation batches',
  noBatches: 'No invitations yet.',
  audience: 'Audience',
  expiresOn: 'Valid until',
  issued: 'Issued',
  used: 'Used',
  revoked: 'Revoked',
  expired: 'Expired',
  openLinks: 'Open',
  revoke: 'Revoke',
  revokeConfirm: (open, batch, day) => `Revoke the ${open} open links of batch ${batch} of ${day}? They stop working.`,
  invitationsFile: 'invitations',
  createBatch: 'New invitations',
  count: 'Number of links (without a recipients list)',
  countHint: 'One link per recipient; each link is good for exactly one response.',
  recipients: 'Recipients list (CSV, optional)',
  recipientsHint:
    'One row per business, with a header row. Your browser adds the links as a column "link"; names and addresses never leave your computer.',
  recipientsUnusable:
    'The recipients list cannot be read: it needs a header row and at least one row below it (quotes closed), and not both columns "link" and "resonanz_link".',
  expiresHint: 'Last day the links work (empty: until the retention period).',
  createAndDownload: 'Create and download the mail-merge file',
  noInvitedAudience:
    'This survey has no audience for personal invitations (businesses or multipliers). It is answered through public links.',
  linksOnce: 'The links are delivered this once and stored nowhere in plain form. Keep the file safe.',
  quotasCaption: 'Quotas',
  noQuotas: 'No quotas set.',
  target: 'Target',
  progress: 'Reached',
  whenMet: 'When reached',
  whenMetModes: { close: 'close the group', keep: 'keep accepting' },
  remove: 'Remove',
  setQuota: 'Set quota',
  quotaHint: 'A quota is for one wave, one audience and optionally one town.',
  allCities: 'all towns',
  exportIntro: (k) =>
    `Anonymised data of the settled waves, with codebook, SPSS and R script. Every combination of the characteristics occurs at least ${k} times (k = ${k}).`,
  format: 'Format',
  formats: {
    csv: 'CSV (UTF-8), with SPSS and R script',
    'csv-excel': 'CSV for Excel (semicolon)',
    jsonl: 'JSON Lines',
  },
  kHint: (k) => `At least ${k}, as the survey file sets; a higher k protects more and coarsens more.`,
  period: 'Time',
  periods: { week: 'calendar week', wave: 'wave only' },
  freeText: 'Free text',
  freeTexts: { exclude: 'leave out', scrub: 'with phone numbers, addresses and IBANs removed' },
  startExport: 'Start export',
  exportStarted: 'The export is running. Its files appear below when it is done.',
  earlierExports: 'Exports of this survey',
  exportRunning: 'An export is running; this list updates itself.',
  noExports: 'No exports yet.',
  exportStates: { running: 'running', done: 'done', failed: 'failed' },
  requestedBy: 'Requested by',
  you: 'you',
  otherEvaluator: 'another evaluator',
  protection: 'Protection',
  rows: 'Rows',
  files: 'Files',
  exportRecordsIntro: 'Who exported which data when (counts only, never data).',
};

export const consoleText: Record<Lang, ConsoleText> = { de, en };
