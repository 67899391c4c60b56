import type { Judgement, SummaryLine } from '../../../shared/impact/summary.js';
import type { TargetState } from '../../../shared/impact/targets.js';
import type { Lang } from '../../respond/pages/i18n.js';

type Unit = SummaryLine['unit'];

/** Strings of the verdict, the targets and the lead's CSV, German first. */
export const summaryUi: Record<
  Lang,
  {
    heading: string;
    pair: (from: string, to: string) => string;
    noPair: string;
    judgement: Record<Judgement, string>;
    assessment: Record<'better' | 'worse', string>;
    unit: Record<Unit, string>;
    /** "95 % interval" as written before an interval. */
    intervalOf: (level: number) => string;
    fromTo: (from: string, to: string) => string;
    state: (state: TargetState, deadlinePassed: boolean) => string;
    atLeast: string;
    atMost: string;
    /** "target at most 2.7 by 31.12.2029". */
    /** "mindestens 25,0 % bis 31.12.2027". */
    bound: (bound: string, deadline: string) => string;
    fromValue: (value: string) => string;
    targetLabel: string;
    source: string;
    targets: string;
    targetsIntro: (level: number) => string;
    targetFigure: (wave: string, estimate: string, interval: string, n: string) => string;
    targetTest: (p: string) => string;
    checkedBy: (wave: string) => string;
    cities: (names: string) => string;
    noFigureYet: string;
    howToRead: (level: number) => string;
    /** The wave whose figure a target line reads. */
    at: (wave: string) => string;
    weighted: string;
    unweighted: string;
  }
> = {
  de: {
    heading: 'Auf einen Blick',
    pair: (from, to) => `${to} im Vergleich zu ${from}`,
    noPair: 'Noch kein Vergleich: es gibt noch keine Folgemessung mit Ergebnissen.',
    judgement: {
      rose: 'gestiegen',
      fell: 'gesunken',
      hint_rose: 'Hinweis auf einen Anstieg, nach Korrektur für die vielen Vergleiche nicht gesichert',
      hint_fell: 'Hinweis auf einen Rückgang, nach Korrektur für die vielen Vergleiche nicht gesichert',
      unchanged: 'unverändert im Rahmen der Unsicherheit',
      too_few: 'zu wenige Antworten für eine Aussage',
      collecting: 'Welle läuft noch: Ergebnis nach ihrem Abschluss',
      no_comparison: 'noch kein Vergleich',
    },
    assessment: { better: 'besser', worse: 'schlechter' },
    unit: {
      index_points: 'Indexpunkte',
      percentage_points: 'Prozentpunkte',
      nps_points: 'NPS-Punkte',
      grade_steps: 'Notenstufen',
      scale_points: 'Skalenpunkte',
    },
    intervalOf: (level) => `${Math.round(level * 100)}-%-Intervall`,
    fromTo: (from, to) => `von ${from} auf ${to}`,
    state: (state, passed) =>
      ({
        reached: 'Ziel erreicht',
        not_reached: passed ? 'Ziel verfehlt' : 'Ziel noch nicht erreicht',
        undecided: 'noch nicht entscheidbar: das Intervall schließt den Zielwert ein',
        too_few: 'zu wenige Antworten für eine Prüfung',
      })[state],
    atLeast: 'mindestens',
    atMost: 'höchstens',
    bound: (bound, deadline) => `${bound} bis ${deadline}`,
    fromValue: (value) => `Ausgangswert laut Quelle ${value}`,
    targetLabel: 'Ziel',
    source: 'Quelle',
    targets: 'Ziele',
    targetsIntro: (level) =>
      `Erreicht heißt: das ganze ${Math.round(level * 100)}-%-Intervall liegt auf der Seite des Ziels (einseitiger Test auf dem Niveau ${((1 - level) / 2).toLocaleString('de')}).`,
    targetFigure: (wave, estimate, interval, n) => `${wave}: ${estimate} (${interval}; n = ${n})`,
    targetTest: (p) => `einseitiger Test: p ${p}`,
    checkedBy: (wave) => `geprüft mit: ${wave}`,
    cities: (names) => `nur ${names}`,
    noFigureYet: 'noch kein Ergebnis',
    at: (wave) => `Stand: ${wave}`,
    weighted: 'gewichtet',
    unweighted: 'ungewichtet',
    howToRead: (level) =>
      `„gestiegen“ oder „gesunken“ heißt: nach Korrektur für die vielen Vergleiche gesichert (p < ${(1 - level).toLocaleString('de')}). Die Intervalle gelten je Vergleich einzeln: schließt eines die 0 aus, ohne dass die Veränderung nach der Korrektur gesichert ist, steht dort „Hinweis auf …“.`,
  },
  en: {
    heading: 'At a glance',
    pair: (from, to) => `${to} compared with ${from}`,
    noPair: 'No comparison yet: no follow-up wave has results yet.',
    judgement: {
      rose: 'rose',
      fell: 'fell',
      hint_rose: 'a hint of a rise, not established after correcting for the many comparisons',
      hint_fell: 'a hint of a fall, not established after correcting for the many comparisons',
      unchanged: 'unchanged within the uncertainty',
      too_few: 'too few answers to tell',
      collecting: 'wave still collecting: results once it has closed',
      no_comparison: 'no comparison yet',
    },
    assessment: { better: 'better', worse: 'worse' },
    unit: {
      index_points: 'index points',
      percentage_points: 'percentage points',
      nps_points: 'NPS points',
      grade_steps: 'grade steps',
      scale_points: 'scale points',
    },
    intervalOf: (level) => `${Math.round(level * 100)} % interval`,
    fromTo: (from, to) => `from ${from} to ${to}`,
    state: (state, passed) =>
      ({
        reached: 'target reached',
        not_reached: passed ? 'target missed' : 'target not reached yet',
        undecided: 'not yet decidable: the interval still covers the target',
        too_few: 'too few answers to check',
      })[state],
    atLeast: 'at least',
    atMost: 'at most',
    bound: (bound, deadline) => `${bound} by ${deadline}`,
    fromValue: (value) => `starting value according to the source ${value}`,
    targetLabel: 'Target',
    source: 'Source',
    targets: 'Targets',
    targetsIntro: (level) =>
      `Reached means: the whole ${Math.round(level * 100)} % interval lies on the target's side (one-sided test at level ${(1 - level) / 2}).`,
    targetFigure: (wave, estimate, interval, n) => `${wave}: ${estimate} (${interval}; n = ${n})`,
    targetTest: (p) => `one-sided test: p ${p}`,
    checkedBy: (wave) => `checked by: ${wave}`,
    cities: (names) => `only ${names}`,
    noFigureYet: 'no result yet',
    at: (wave) => `as of ${wave}`,
    weighted: 'weighted',
    unweighted: 'unweighted',
    howToRead: (level) =>
      `"rose" or "fell" means: established after correcting for the many comparisons (p < ${(1 - level).toLocaleString('en')}). The intervals hold for each comparison alone: where one excludes 0 but the change is not established after the correction, the line reads "a hint of …".`,
  },
};
