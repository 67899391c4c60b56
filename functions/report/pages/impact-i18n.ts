import type { Dimension } from '../../../shared/survey/schema.js';
import type { Lang } from '../../respond/pages/i18n.js';

/** Strings of the impact dashboard (fragment and controls), German first. */
export const impactUi: Record<
  Lang,
  {
    dashboardTitle: string;
    controls: string;
    audience: string;
    city: string;
    allCities: string;
    weighted: string;
    show: string;
    downloadCsv: string;
    wave: string;
    estimate: string;
    interval: string;
    n: string;
    change: string;
    vsBaseline: (from: string, to: string) => string;
    significant: string;
    notSignificant: string;
    suppressed: string;
    collecting: string;
    unreliable: string;
    chartOf: (label: string) => string;
    chartDesc: string;
    /** The target drawn into a chart: "Ziel ≤ 2,70". */
    targetLine: (direction: 'at_least' | 'at_most', value: string) => string;
    targetDesc: (line: string) => string;
    cities: string;
    citiesCaption: (label: string, wave: string) => string;
    exposure: string;
    exposureCaption: (wave: string) => string;
    aware: string;
    notAware: string;
    difference: string;
    gap: string;
    gapCaption: (label: string, wave: string) => string;
    self: string;
    outside: string;
    allRespondents: string;
    fieldwork: string;
    responsesPerWave: string;
    trend: string;
    trendDesc: (periods: number, total: number) => string;
    legend: (k: number, reliable: number, method: string) => string;
    asOf: (time: string) => string;
    methods: Record<string, string>;
    /** The p column's heading: the p-values shown are adjusted, and by which method. */
    pAdjusted: (method: string) => string;
    /** Unit of a difference of shares. */
    percentagePoints: string;
    noData: string;
    nEff: string;
    /** `by`: what the audience is weighted by, in words ("Wohnort, Alter und Geschlecht"). */
    weightedNote: (area: string, cap: number, by: string) => string;
    /** The weighting dimensions as words of the note. */
    weightedBy: Record<Dimension, string>;
    and: string;
    unverified: string;
    notConverged: (groups: string) => string;
    noMargins: (audience: string) => string;
    unweightedMark: string;
    pair: string;
    defaultPair: string;
    pairOption: (from: string, to: string) => string;
  }
> = {
  de: {
    dashboardTitle: 'Wirkung der Kampagne',
    controls: 'Auswahl',
    audience: 'Zielgruppe',
    city: 'Ort',
    allCities: 'alle Orte',
    weighted: 'gewichtet',
    show: 'Anzeigen',
    downloadCsv: 'Tabelle als CSV',
    wave: 'Welle',
    estimate: 'Wert',
    interval: '95-%-Konfidenzintervall',
    n: 'n',
    change: 'Veränderung',
    vsBaseline: (from, to) => `${to} gegenüber ${from}`,
    significant: 'signifikant',
    notSignificant: 'nicht signifikant',
    suppressed: 'nicht ausgewiesen',
    collecting: 'Welle läuft noch',
    unreliable: 'unsicher, n < 30',
    chartOf: (label) => `Diagramm: ${label} nach Welle`,
    chartDesc:
      'Punkt: Schätzwert; Linie: 95-%-Konfidenzintervall; Stern: signifikante Veränderung gegenüber der Nullmessung; hohler Punkt: unsicher.',
    targetLine: (direction, value) => `Ziel ${direction === 'at_most' ? '≤' : '≥'} ${value}`,
    targetDesc: (line) => `Gestrichelte Linie: ${line}.`,
    cities: 'Nach Ort',
    citiesCaption: (label, wave) => `${label} nach Ort – ${wave}`,
    exposure: 'Kampagne gesehen oder nicht',
    exposureCaption: (wave) => `Wer die Kampagne kennt, im Vergleich zu allen anderen – ${wave}`,
    aware: 'kennt die Kampagne',
    notAware: 'kennt sie nicht',
    difference: 'Unterschied',
    gap: 'Selbstbild und Fremdbild',
    gapCaption: (label, wave) => `${label}: Betriebe über sich (Selbstbild) und Bevölkerung (Fremdbild) – ${wave}`,
    self: 'Selbstbild (Betriebe)',
    outside: 'Fremdbild (Bevölkerung)',
    allRespondents: 'alle',
    fieldwork: 'Feldarbeit',
    responsesPerWave: 'Antworten dieser Zielgruppe je Welle',
    trend: 'Rücklauf im Zeitverlauf (alle Zielgruppen; Tage zu Zeiträumen zusammengefasst)',
    trendDesc: (periods, total) => `${total} Antworten in ${periods} Zeiträumen`,
    legend: (k, reliable, method) =>
      `„nicht ausgewiesen“: Werte aus weniger als ${k} Antworten werden nicht gezeigt, und wo nötig weitere, damit sich keiner aus anderen Zahlen errechnen lässt – in jeder Ansicht gleich (Ortsfilter, gewichtet, CSV). Werte einer Welle, die noch läuft, erscheinen, wenn sie abgeschlossen ist: sonst ließe sich eine einzelne neue Antwort aus dem Unterschied zweier Abrufe ablesen. Unter ${reliable} Antworten gilt ein Wert als unsicher und bekommt keinen Signifikanzstern. Signifikanz: p < 0,05 nach Korrektur für mehrere Vergleiche (${method}).`,
    asOf: (time) => `Stand der Zahlen: ${time}`,
    methods: { holm: 'Holm', 'benjamini-hochberg': 'Benjamini-Hochberg' },
    pAdjusted: (method) => `p (${method === 'holm' ? 'Holm' : 'Benjamini-Hochberg'}-korrigiert)`,
    percentagePoints: 'Prozentpunkte',
    noData: 'Für diese Auswahl gibt es noch keine Antworten.',
    nEff: 'n (effektiv)',
    weightedNote: (area, cap, by) =>
      `Gewichtet auf die Bevölkerung (${area}) nach ${by}, je Welle; Gewichte höchstens das ${cap}-Fache des Mittels. „n (effektiv)“ ist die Fallzahl, der die gewichtete Stichprobe an Genauigkeit entspricht.`,
    // The population's places are the campaign's cities, communes or districts: where people live.
    weightedBy: {
      city: 'Wohnort',
      age_band: 'Alter',
      gender: 'Geschlecht',
      role: 'Rolle',
      business_size: 'Betriebsgröße',
      exposure: 'Kenntnis der Kampagne',
    },
    and: 'und',
    unverified: 'Achtung: Die Bevölkerungszahlen sind noch nicht mit den amtlichen Tabellen abgeglichen.',
    notConverged: (groups) =>
      `Ungewichtet gezeigt: ${groups}. Die Gewichtung ging dort nicht auf (die Antworten passen nicht zu den Bevölkerungsanteilen, z. B. weil eine Gruppe fehlt).`,
    noMargins: (audience) =>
      `Ungewichtet gezeigt: alle Wellen. Für die Zielgruppe „${audience}“ gibt es keine Bevölkerungszahlen, auf die gewichtet werden könnte.`,
    unweightedMark: 'ungewichtet',
    pair: 'Vergleich',
    defaultPair: 'Nullmessung mit jeder Folgemessung',
    pairOption: (from, to) => `${from} → ${to}`,
  },
  en: {
    dashboardTitle: 'Campaign impact',
    controls: 'Selection',
    audience: 'Audience',
    city: 'Area',
    allCities: 'all areas',
    weighted: 'weighted',
    show: 'Show',
    downloadCsv: 'Table as CSV',
    wave: 'Wave',
    estimate: 'Value',
    interval: '95% confidence interval',
    n: 'n',
    change: 'Change',
    vsBaseline: (from, to) => `${to} against ${from}`,
    significant: 'significant',
    notSignificant: 'not significant',
    suppressed: 'not shown',
    collecting: 'wave still collecting',
    unreliable: 'uncertain, n < 30',
    chartOf: (label) => `Chart: ${label} by wave`,
    chartDesc:
      'Dot: estimate; line: 95% confidence interval; star: significant change against the baseline; hollow dot: uncertain.',
    targetLine: (direction, value) => `target ${direction === 'at_most' ? '≤' : '≥'} ${value}`,
    targetDesc: (line) => `Dashed line: ${line}.`,
    cities: 'By area',
    citiesCaption: (label, wave) => `${label} by area – ${wave}`,
    exposure: 'Saw the campaign or not',
    exposureCaption: (wave) => `Those who know the campaign compared with everyone else – ${wave}`,
    aware: 'knows the campaign',
    notAware: 'does not',
    difference: 'Difference',
    gap: 'Self-image and outside image',
    gapCaption: (label, wave) =>
      `${label}: businesses about themselves (self-image) and the public (outside image) – ${wave}`,
    self: 'Self-image (businesses)',
    outside: 'Outside image (public)',
    allRespondents: 'all',
    fieldwork: 'Fieldwork',
    responsesPerWave: 'Responses of this audience per wave',
    trend: 'Responses over time (all audiences; days merged into periods)',
    trendDesc: (periods, total) => `${total} responses in ${periods} periods`,
    legend: (k, reliable, method) =>
      `"not shown": figures from fewer than ${k} responses are not shown, and where needed others too, so that none can be worked out from other figures – alike in every view (city filter, weighted, CSV). Figures of a wave still collecting appear once it has closed: otherwise a single new answer could be read from the difference of two visits. Below ${reliable} responses a figure is uncertain and gets no significance star. Significance: p < 0.05 after correcting for multiple comparisons (${method}).`,
    asOf: (time) => `Figures as of ${time}`,
    methods: { holm: 'Holm', 'benjamini-hochberg': 'Benjamini-Hochberg' },
    pAdjusted: (method) => `p (${method === 'holm' ? 'Holm' : 'Benjamini-Hochberg'}-adjusted)`,
    percentagePoints: 'percentage points',
    noData: 'No responses for this selection yet.',
    nEff: 'n (effective)',
    weightedNote: (area, cap, by) =>
      `Weighted to the population (${area}) by ${by}, per wave; weights at most ${cap} times the mean. "n (effective)" is the sample size the weighted sample is as precise as.`,
    weightedBy: {
      city: 'place of residence',
      age_band: 'age',
      gender: 'gender',
      role: 'role',
      business_size: 'business size',
      exposure: 'knowing the campaign',
    },
    and: 'and',
    unverified: 'Note: the population figures have not yet been checked against the official tables.',
    notConverged: (groups) =>
      `Shown unweighted: ${groups}. The weighting did not converge there (the responses do not fit the population shares, e.g. because a group is missing).`,
    noMargins: (audience) =>
      `Shown unweighted: every wave. There are no population figures for the audience "${audience}" to weight to.`,
    unweightedMark: 'unweighted',
    pair: 'Comparison',
    defaultPair: 'Baseline with each follow-up',
    pairOption: (from, to) => `${from} → ${to}`,
  },
};
