import type { Locale } from '../../../shared/survey/schema.js';

/**
 * Every string of the respondent pages that does not come from the survey definition, in German
 * (the default) and English. Labels of questions and options come from the definition.
 */
export type Lang = Locale;

/** German unless English is asked for explicitly: the campaigns are German first. */
export function langFrom(value: string | undefined): Lang {
  return value === 'en' ? 'en' : 'de';
}

export function otherLang(lang: Lang): Lang {
  return lang === 'de' ? 'en' : 'de';
}

interface Strings {
  /** The name of this language, written in itself (for the switch offering it). */
  languageName: string;
  /** Header of pages that know no survey (unknown link, failures). */
  siteName: string;
  skipToContent: string;
  progress: (position: number, total: number) => string;
  required: string;
  next: string;
  submit: string;
  back: string;
  decline: string;
  dontKnow: string;
  yes: string;
  no: string;
  likert: [string, string, string, string, string];
  grades: [string, string, string, string, string, string];
  scaleEnds: (from: number, low: string, to: number, high: string) => string;
  consentSelf: (age: number) => string;
  consentGuardian: (age: number) => string;
  /** The one option of a consent without a parent's (a business survey). */
  consentAdult: string;
  consentDeclineHint: string;
  maxLength: (n: number) => string;
  numberRange: (min: number, max: number) => string;
  exclusive: string;
  maxSelected: (n: number) => string;
  noBackNote: string;
  errorSummaryTitle: string;
  errorTitlePrefix: string;
  noticeLocked: string;
  noticeRevealed: string;
  noticeBusy: string;
  noticeAnswered: string;
  error: {
    required: string;
    consentRequired: string;
    choose: string;
    number: string;
    wholeNumber: string;
    numberRange: (min: number, max: number) => string;
    tooLong: (n: number) => string;
    maxSelected: (n: number) => string;
    exclusive: (label: string) => string;
    notShown: string;
  };
  pages: {
    thanksTitle: string;
    thanksText: string;
    declinedTitle: string;
    declinedText: string;
    declinedRestart: string;
    groupCompleteTitle: string;
    groupCompleteText: string;
    notFoundTitle: string;
    notFoundText: string;
    notCollectingTitle: string;
    notCollectingText: string;
    alreadySubmittedTitle: string;
    alreadySubmittedText: string;
    tooLargeTitle: string;
    tooLargeText: string;
    invalidTitle: string;
    invalidText: string;
    busyTitle: string;
    busyText: string;
    failedTitle: string;
    failedText: string;
    restart: string;
    invitationMalformedTitle: string;
    invitationMalformedText: string;
    invitationUnknownTitle: string;
    invitationUnknownText: string;
    invitationExpiredTitle: string;
    invitationExpiredText: string;
    invitationRevokedTitle: string;
    invitationRevokedText: string;
    invitationUsedTitle: string;
    invitationUsedText: string;
  };
}

const de: Strings = {
  languageName: 'Deutsch',
  siteName: 'Befragung',
  skipToContent: 'Zum Inhalt springen',
  progress: (position, total) => `Abschnitt ${position} von ${total}`,
  required: 'Pflichtfrage',
  next: 'Weiter',
  submit: 'Absenden',
  back: 'Zurück',
  decline: 'Nicht teilnehmen',
  dontKnow: 'weiß nicht / keine Angabe',
  yes: 'Ja',
  no: 'Nein',
  likert: [
    'stimme überhaupt nicht zu',
    'stimme eher nicht zu',
    'teils, teils',
    'stimme eher zu',
    'stimme voll und ganz zu',
  ],
  grades: ['sehr gut', 'gut', 'befriedigend', 'ausreichend', 'mangelhaft', 'ungenügend'],
  scaleEnds: (from, low, to, high) => `${from} = ${low}, ${to} = ${high}`,
  consentSelf: (age) => `Ja, ich bin ${age} Jahre oder älter und stimme selbst zu.`,
  consentAdult: 'Ja, ich stimme zu.',
  consentGuardian: (age) =>
    `Ja, ich bin jünger als ${age} Jahre, und ein Elternteil oder eine andere erziehungsberechtigte Person stimmt zu.`,
  consentDeclineHint: 'Wenn Sie nicht teilnehmen möchten, wählen Sie „Nicht teilnehmen“. Dann wird nichts gespeichert.',
  maxLength: (n) => `Höchstens ${n} Zeichen.`,
  numberRange: (min, max) => `Bitte eine Zahl von ${min} bis ${max}.`,
  exclusive: 'nur allein wählbar',
  maxSelected: (n) => `Höchstens ${n} Antworten.`,
  noBackNote: 'Hinweis: Nach „Weiter“ können Sie die Antworten auf dieser Seite nicht mehr ändern.',
  errorSummaryTitle: 'Bitte prüfen Sie Ihre Angaben',
  errorTitlePrefix: 'Fehler: ',
  noticeLocked:
    'Die Antworten vor dieser Seite sind festgelegt und können nicht mehr geändert werden. Es geht hier weiter.',
  noticeRevealed: 'Passend zu Ihrer Antwort gibt es auf dieser Seite noch eine Frage.',
  noticeAnswered:
    'Auf diesem Gerät wurde diese Befragung schon beantwortet – vielen Dank! Bitte nehmen Sie nur einmal teil. Nutzt jemand anderes dieses Gerät, kann er oder sie gern teilnehmen.',
  noticeBusy:
    'Ihre Antworten konnten gerade nicht gespeichert werden. Es ist nichts verloren gegangen: Bitte senden Sie die Seite in ein paar Sekunden noch einmal ab.',
  error: {
    required: 'Bitte beantworten Sie diese Frage.',
    consentRequired: 'Bitte wählen Sie, wer der Teilnahme zustimmt, oder wählen Sie „Nicht teilnehmen“.',
    choose: 'Bitte wählen Sie eine der angebotenen Antworten.',
    number: 'Bitte geben Sie eine Zahl ein.',
    wholeNumber: 'Bitte geben Sie eine ganze Zahl ein.',
    numberRange: (min, max) => `Bitte geben Sie eine Zahl von ${min} bis ${max} ein.`,
    tooLong: (n) => `Bitte kürzen Sie Ihre Antwort auf höchstens ${n} Zeichen.`,
    maxSelected: (n) => `Bitte wählen Sie höchstens ${n} Antworten.`,
    exclusive: (label) => `„${label}“ kann nicht zusammen mit anderen Antworten gewählt werden.`,
    notShown: 'Diese Angabe passt nicht zu Ihren bisherigen Antworten.',
  },
  pages: {
    thanksTitle: 'Vielen Dank!',
    thanksText: 'Ihre Antworten wurden gespeichert. Sie können dieses Fenster jetzt schließen.',
    declinedTitle: 'Schade, dass Sie nicht teilnehmen möchten',
    declinedText: 'Es wurde nichts gespeichert. Sie können dieses Fenster jetzt schließen.',
    declinedRestart: 'Doch teilnehmen',
    groupCompleteTitle: 'Vielen Dank für Ihr Interesse!',
    groupCompleteText:
      'Aus Ihrer Gruppe haben wir schon genug Antworten. Es wurde nichts gespeichert; Sie können dieses Fenster jetzt schließen.',
    notFoundTitle: 'Diese Befragung gibt es nicht',
    notFoundText: 'Bitte prüfen Sie den Link. Vielleicht fehlt ein Teil davon.',
    notCollectingTitle: 'Diese Befragung nimmt gerade keine Antworten an',
    notCollectingText:
      'Vielleicht hat sie noch nicht begonnen oder ist schon beendet. Es wurde nichts gespeichert. Vielen Dank für Ihr Interesse!',
    alreadySubmittedTitle: 'Ihre Antworten wurden bereits gespeichert',
    alreadySubmittedText: 'Spätere Änderungen können nicht mehr übernommen werden. Vielen Dank für Ihre Teilnahme!',
    tooLargeTitle: 'Ihre Eingaben sind zu lang',
    tooLargeText: 'Bitte gehen Sie zurück und kürzen Sie Ihre Texte.',
    invalidTitle: 'Diese Seite ist nicht mehr gültig',
    invalidText: 'Bitte beginnen Sie die Befragung noch einmal.',
    busyTitle: 'Bitte versuchen Sie es gleich noch einmal',
    busyText: 'Gerade ist viel los. Es wurde nichts gespeichert.',
    failedTitle: 'Etwas ist schiefgegangen',
    failedText: 'Bitte versuchen Sie es später noch einmal.',
    restart: 'Zum Anfang der Befragung',
    invitationMalformedTitle: 'Dieser Link ist unvollständig',
    invitationMalformedText:
      'Bitte öffnen Sie den persönlichen Link genau so, wie er in Ihrer Einladung steht. Vielleicht fehlt ein Teil davon.',
    invitationUnknownTitle: 'Diese Einladung gibt es nicht',
    invitationUnknownText:
      'Bitte prüfen Sie den Link in Ihrer Einladung. Vielleicht wurde er nicht vollständig kopiert.',
    invitationExpiredTitle: 'Diese Einladung ist abgelaufen',
    invitationExpiredText: 'Der Zeitraum für Antworten mit diesem Link ist vorbei. Vielen Dank für Ihr Interesse!',
    invitationRevokedTitle: 'Diese Einladung gilt nicht mehr',
    invitationRevokedText: 'Das Befragungsteam hat diesen Link zurückgezogen. Es wurde nichts gespeichert.',
    invitationUsedTitle: 'Mit diesem Link wurde bereits geantwortet',
    invitationUsedText:
      'Jeder persönliche Link zählt genau einmal. Die Antworten dazu sind gespeichert. Vielen Dank für Ihre Teilnahme!',
  },
};

const en: Strings = {
  languageName: 'English',
  siteName: 'Survey',
  skipToContent: 'Skip to content',
  progress: (position, total) => `Section ${position} of ${total}`,
  required: 'required',
  next: 'Next',
  submit: 'Submit',
  back: 'Back',
  decline: 'Do not take part',
  dontKnow: 'don’t know / prefer not to say',
  yes: 'Yes',
  no: 'No',
  likert: ['strongly disagree', 'tend to disagree', 'neither agree nor disagree', 'tend to agree', 'strongly agree'],
  grades: ['very good', 'good', 'satisfactory', 'sufficient', 'poor', 'inadequate'],
  scaleEnds: (from, low, to, high) => `${from} = ${low}, ${to} = ${high}`,
  consentSelf: (age) => `Yes, I am ${age} or older and agree myself.`,
  consentAdult: 'Yes, I agree.',
  consentGuardian: (age) => `Yes, I am younger than ${age}, and a parent or guardian agrees.`,
  consentDeclineHint: 'If you do not want to take part, choose “Do not take part”. Nothing will be stored.',
  maxLength: (n) => `At most ${n} characters.`,
  numberRange: (min, max) => `A number from ${min} to ${max}.`,
  exclusive: 'only on its own',
  maxSelected: (n) => `At most ${n} answers.`,
  noBackNote: 'Note: after “Next” you cannot change your answers on this page.',
  errorSummaryTitle: 'Please check your answers',
  errorTitlePrefix: 'Error: ',
  noticeLocked: 'The answers before this page are final and cannot be changed any more. Please continue here.',
  noticeRevealed: 'Based on your answer, there is one more question on this page.',
  noticeAnswered:
    'This survey has already been answered on this device – thank you! Please take part only once. If someone else uses this device, they are welcome to take part.',
  noticeBusy:
    'Your answers could not be saved just now. Nothing is lost: please submit this page again in a few seconds.',
  error: {
    required: 'Please answer this question.',
    consentRequired: 'Please choose who agrees to taking part, or choose “Do not take part”.',
    choose: 'Please choose one of the answers offered.',
    number: 'Please enter a number.',
    wholeNumber: 'Please enter a whole number.',
    numberRange: (min, max) => `Please enter a number from ${min} to ${max}.`,
    tooLong: (n) => `Please shorten your answer to at most ${n} characters.`,
    maxSelected: (n) => `Please choose at most ${n} answers.`,
    exclusive: (label) => `“${label}” cannot be combined with other answers.`,
    notShown: 'This answer does not fit your earlier answers.',
  },
  pages: {
    thanksTitle: 'Thank you!',
    thanksText: 'Your answers have been saved. You can close this window now.',
    declinedTitle: 'Sorry you do not want to take part',
    declinedText: 'Nothing has been stored. You can close this window now.',
    declinedRestart: 'Take part after all',
    groupCompleteTitle: 'Thank you for your interest!',
    groupCompleteText:
      'We already have enough answers from your group. Nothing was stored; you can close this window now.',
    notFoundTitle: 'This survey does not exist',
    notFoundText: 'Please check the link. Part of it may be missing.',
    notCollectingTitle: 'This survey is not collecting responses right now',
    notCollectingText:
      'It may not have started yet or may already have ended. Nothing has been stored. Thank you for your interest!',
    alreadySubmittedTitle: 'Your answers have already been saved',
    alreadySubmittedText: 'Later changes cannot be taken over. Thank you for taking part!',
    tooLargeTitle: 'Your input is too long',
    tooLargeText: 'Please go back and shorten your texts.',
    invalidTitle: 'This page is no longer valid',
    invalidText: 'Please start the survey again.',
    busyTitle: 'Please try again in a moment',
    busyText: 'We are very busy right now. Nothing has been stored.',
    failedTitle: 'Something went wrong',
    failedText: 'Please try again later.',
    restart: 'Go to the start of the survey',
    invitationMalformedTitle: 'This link is incomplete',
    invitationMalformedText:
      'Please open the personal link exactly as it appears in your invitation. Part of it may be missing.',
    invitationUnknownTitle: 'This invitation does not exist',
    invitationUnknownText: 'Please check the link in your invitation. It may not have been copied completely.',
    invitationExpiredTitle: 'This invitation has expired',
    invitationExpiredText: 'The period for answering with this link is over. Thank you for your interest!',
    invitationRevokedTitle: 'This invitation is no longer valid',
    invitationRevokedText: 'The survey team has withdrawn this link. Nothing has been stored.',
    invitationUsedTitle: 'This link has already been used to answer',
    invitationUsedText:
      'Each personal link counts exactly once. The answers given with it are saved. Thank you for taking part!',
  },
};

export const ui: Record<Lang, Strings> = { de, en };
