import type { Audience } from '../../../shared/survey/schema.js';
import type { Lang } from '../../respond/pages/i18n.js';

/** Strings of the regional comparison (page, form, fragment, the console home's link), German first. */
export const compareUi: Record<
  Lang,
  {
    title: string;
    homeLink: string;
    homeHint: string;
    intro: string;
    surveys: string;
    audience: string;
    audiences: Record<Audience, string>;
    weighted: string;
    show: string;
    pick: string;
    noSurveys: string;
    /** What a refused selection means, per query parameter. */
    issues: Record<'surveys' | 'audience' | 'weighted', string>;
    slot: (slot: string) => string;
    /** The same for a narrow column: with soft hyphens where the word may break. */
    slotShort: (slot: string) => string;
    wave: string;
    caption: (label: string) => string;
    differentQuestions: string;
    /** With three surveys or more: each difference says whether its two surveys ask alike. */
    pairsNamed: string;
    pairQuestions: (same: boolean) => string;
    didHeading: string;
    didRow: (b: string, a: string, slot: string) => string;
    /** Each survey's own change, before their difference. */
    ownChanges: (changes: string) => string;
    notTested: string;
    noWave: string;
    nothingShared: string;
    withoutAudience: (surveys: string[]) => string;
    unweightedNote: string;
    weightedNote: string;
    legend: (reliable: number) => string;
  }
> = {
  de: {
    title: 'Regionalvergleich',
    homeLink: 'Regionalvergleich',
    homeHint: 'die gemeinsamen Kennzahlen mehrerer Umfragen nebeneinander',
    intro:
      'Kennzahlen, die mehrere Umfragen gemeinsam haben, nebeneinander: je Welle der Wert mit Intervall, dann der Unterschied in der Veränderung seit der Nullmessung.',
    surveys: 'Umfragen (zwei bis sechs)',
    audience: 'Zielgruppe',
    audiences: { public: 'Bevölkerung', business: 'Betriebe', multiplier: 'Multiplikatoren' },
    weighted: 'gewichtet (jede Umfrage auf ihre Bevölkerung)',
    show: 'Vergleichen',
    pick: 'Wählen Sie mindestens zwei Umfragen und dann „Vergleichen“.',
    noSurveys:
      'Für einen Vergleich braucht Ihre Anmeldung die Rolle Kampagnenleitung oder Admin für mindestens zwei veröffentlichte Umfragen.',
    issues: {
      surveys: 'Wählen Sie zwei bis sechs verschiedene Umfragen.',
      audience: 'Diese Zielgruppe wird in weniger als zwei der gewählten Umfragen befragt.',
      weighted:
        'Gewichtet geht nur, wenn jede gewählte Umfrage Bevölkerungszahlen für die Gewichtung hat. Vergleichen Sie ungewichtet.',
    },
    slot: (slot) => (slot === 'baseline' ? 'Nullmessung' : `${slot.replace('follow-up ', '')}. Folgemessung`),
    slotShort: (slot) =>
      slot === 'baseline' ? 'Null\u00admessung' : `${slot.replace('follow-up ', '')}. Folge\u00admessung`,
    wave: 'Welle',
    caption: (label) => `${label}: Wert, 95-%-Konfidenzintervall und n je Welle`,
    differentQuestions:
      'Achtung: Die Umfragen bilden diesen Wert nicht aus denselben Fragen (andere Fragen, Formulierungen, Antworten oder Filter). Ein Unterschied kann deshalb auch am Fragebogen liegen.',
    pairsNamed: 'Bei jedem Unterschied steht, ob die beiden Umfragen dieselben Fragen stellen.',
    pairQuestions: (same) =>
      same
        ? 'Beide Umfragen stellen hier dieselben Fragen.'
        : 'Andere Fragen: Dieser Unterschied kann auch am Fragebogen liegen.',
    didHeading: 'Unterschied in der Veränderung',
    didRow: (b, a, slot) => `Unterschied in der Veränderung bis zur ${slot}: ${b} gegenüber ${a}`,
    ownChanges: (changes) => `Veränderung seit der Nullmessung: ${changes}. Unterschied:`,
    notTested: 'kein Test',
    noWave: 'keine solche Welle',
    nothingShared: 'Die gewählten Umfragen haben für diese Zielgruppe keine gemeinsame Kennzahl.',
    withoutAudience: (surveys) =>
      `Nicht im Vergleich, weil sie diese Zielgruppe nicht befragen: ${surveys.map((s) => `„${s}“`).join(', ')}.`,
    unweightedNote: 'ungewichtet',
    weightedNote: 'gewichtet, jede Umfrage auf die Bevölkerung ihrer Region',
    legend: (reliable) =>
      `Jeder Wert stammt aus dem Wirkungsbericht seiner Umfrage, mit deren Regeln für kleine Gruppen: „nicht ausgewiesen“ heißt, der Wert wird dort nicht gezeigt, und hier auch nicht. „Unterschied in der Veränderung“ ist die Veränderung der einen Region von der Nullmessung bis zur Folgemessung minus die der anderen (Differenz der Differenzen), mit 95-%-Konfidenzintervall; bei Anteilen in Prozentpunkten. Der p-Wert ist nach Holm für alle Vergleiche dieser Seite korrigiert; signifikant heißt p < 0,05 nach Korrektur, nie bei Werten unter ${reliable} Antworten. Der Test setzt unabhängige Stichproben voraus und ist nur aussagekräftig, wo die Umfragen dieselben Fragen stellen.`,
  },
  en: {
    title: 'Regional comparison',
    homeLink: 'Regional comparison',
    homeHint: 'the indicators several surveys share, side by side',
    intro:
      'Indicators that several surveys share, side by side: per wave the figure with its interval, then the difference in the change since the baseline.',
    surveys: 'Surveys (two to six)',
    audience: 'Audience',
    audiences: { public: 'Public', business: 'Businesses', multiplier: 'Multipliers' },
    weighted: 'weighted (each survey to its population)',
    show: 'Compare',
    pick: 'Choose at least two surveys, then "Compare".',
    noSurveys:
      'A comparison needs your sign-in to hold the campaign lead or admin role for at least two published surveys.',
    issues: {
      surveys: 'Choose two to six different surveys.',
      audience: 'Fewer than two of the chosen surveys ask this audience.',
      weighted:
        'Weighting works only when every chosen survey has population figures to weight to. Compare unweighted.',
    },
    slot: (slot) => (slot === 'baseline' ? 'Baseline' : `Follow-up ${slot.replace('follow-up ', '')}`),
    slotShort: (slot) => (slot === 'baseline' ? 'Baseline' : `Follow-up ${slot.replace('follow-up ', '')}`),
    wave: 'Wave',
    caption: (label) => `${label}: value, 95% confidence interval and n per wave`,
    differentQuestions:
      'Note: the surveys do not build this figure from the same questions (other questions, wording, answers or filters). A difference may therefore come from the questionnaire.',
    pairsNamed: 'Each difference says whether its two surveys ask the same questions.',
    pairQuestions: (same) =>
      same
        ? 'Both surveys ask the same questions here.'
        : 'Different questions: this difference may also come from the questionnaire.',
    didHeading: 'Difference in the change',
    didRow: (b, a, slot) => `Difference in the change up to ${slot}: ${b} against ${a}`,
    ownChanges: (changes) => `Change since the baseline: ${changes}. Difference:`,
    notTested: 'no test',
    noWave: 'no such wave',
    nothingShared: 'The chosen surveys share no indicator for this audience.',
    withoutAudience: (surveys) =>
      `Not compared, because they do not ask this audience: ${surveys.map((s) => `"${s}"`).join(', ')}.`,
    unweightedNote: 'unweighted',
    weightedNote: 'weighted, each survey to the population of its region',
    legend: (reliable) =>
      `Every figure comes from its survey's impact report, under that survey's rules for small groups: "not shown" means the figure is not shown there, nor here. "Difference in the change" is one region's change from the baseline to the follow-up minus the other's (difference in differences), with its 95% confidence interval; for shares in percentage points. The p-value is Holm-adjusted over every comparison on this page; significant means p < 0.05 after adjustment, never for figures below ${reliable} responses. The test assumes independent samples and is meaningful only where the surveys ask the same questions.`,
  },
};
