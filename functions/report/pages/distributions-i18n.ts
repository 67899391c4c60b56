import type { Lang } from '../../respond/pages/i18n.js';

/** Strings of the dashboard's answers per question (see distributions-fragment.tsx), German first. */
export const answersUi: Record<
  Lang,
  {
    heading: string;
    intro: string;
    answered: string;
    multiple: string;
    notInRelease: string;
    notInReleaseNote: string;
    tableOf: (question: string) => string;
    channels: string;
    channelsCaption: string;
  }
> = {
  de: {
    heading: 'Antworten je Frage',
    intro:
      'Anteile derer, die die Frage beantwortet haben („weiß nicht“ eingeschlossen), je Welle. Gewichtet, wenn oben „gewichtet“ gewählt ist. Wie bei den Kennzahlen werden kleine Gruppen nicht ausgewiesen.',
    answered: 'Beantwortet (n)',
    multiple: 'Mehrfachnennung möglich: Die Anteile ergeben zusammen mehr als 100 %.',
    notInRelease: 'nicht erfasst',
    notInReleaseNote:
      '„nicht erfasst“: Die Welle wurde veröffentlicht, bevor Antworten je Frage gespeichert wurden; ihre Zahlen bleiben, wie sie veröffentlicht wurden.',
    tableOf: (question) => `Antworten: ${question}`,
    channels: 'Wie die Antworten kamen',
    channelsCaption: 'Antworten dieser Zielgruppe nach Kanal (Link oder QR-Code) und Welle, ungewichtet',
  },
  en: {
    heading: 'Answers per question',
    intro:
      'Shares of those who answered the question ("don\'t know" included), per wave. Weighted when "weighted" is chosen above. As with the indicators, small groups are not shown.',
    answered: 'Answered (n)',
    multiple: 'More than one answer possible: the shares add up to more than 100%.',
    notInRelease: 'not recorded',
    notInReleaseNote:
      '"not recorded": the wave was released before answers per question were stored; its figures stay as they were released.',
    tableOf: (question) => `Answers: ${question}`,
    channels: 'How the responses came in',
    channelsCaption: 'Responses of this audience per channel (link or QR code) and wave, unweighted',
  },
};
