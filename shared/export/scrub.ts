/**
 * Scrubs personal data out of free-text survey answers (German and English, respondents in the Ruhr area)
 * before they leave in an export: each hit is replaced by a placeholder per kind and counted.
 *
 * This is a heuristic safety net, not a guarantee: it errs towards removing a little too much around
 * phone numbers and addresses, and knowingly misses names and obfuscated forms (the known gaps are listed
 * in the tests and in docs/export.md, "Known gaps of scrubbing").
 *
 * Order of the passes (each pass sees the output of the one before; placeholders contain no digit,
 * "@" or ".", so no later pass can match inside one):
 *   1. e-mail   - first, so that the domain of an address is not taken for a URL and digits in the
 *                 local part are not taken for a phone number;
 *   2. URL      - before IBAN and phone, so that digits in a path or query are not taken for a number;
 *   3. IBAN     - before phone, because IBAN digit groups ("0044 0532 ...") look like a phone number
 *                 with an international prefix;
 *   4. phone    - before street and postcode, so that a dialling code is not taken for a house number
 *                 or a postcode; numbers after a label ("Tel 2364 602718") in a second pass, once the
 *                 numbers with a trunk 0 or a country code are gone;
 *   5. street   - before postcode, so that "Hauptstraße 12, 45657 Recklinghausen" loses both parts and
 *                 the postcode pass can use the "[Adresse]" placeholder as a hint;
 *   6. postcode - last, the most context-dependent pass.
 *
 * Every pattern needs a digit, an "@" or a "." to match, so text without any of them comes back unchanged.
 */

export type ScrubKind = 'email' | 'phone' | 'url' | 'iban' | 'postcode' | 'street';

/** Every kind, in a fixed order (for counting and reports). */
export const SCRUB_KINDS: readonly ScrubKind[] = ['email', 'phone', 'url', 'iban', 'postcode', 'street'];

export const SCRUB_PLACEHOLDERS: Record<ScrubKind, string> = {
  email: '[E-Mail]',
  phone: '[Telefon]',
  url: '[URL]',
  iban: '[IBAN]',
  postcode: '[PLZ]',
  street: '[Adresse]',
};

/** Builds a pattern from readable pieces (String.raw keeps the backslashes). */
const re = (parts: string[], flags = 'gu'): RegExp => new RegExp(parts.join(''), flags);

/** How many digits a candidate holds (IBAN and phone candidates are judged by it). */
const digitCount = (match: string): number => match.match(/\d/g)?.length ?? 0;

/**
 * "Right after this label": a lookbehind for the label and the white space, ":" or "," after it. It comes
 * after the checks that a number starts here (a digit, not preceded by one), so it is only tried there,
 * and its white space can be read in one way only ("PLZ : 45657": label, spaces and ":", then spaces).
 * Two optional runs of spaces side by side would be tried in every split at every position, which made a
 * long run of spaces take cubic time.
 */
const afterLabel = (label: string): string => String.raw`(?=\d)(?<!\p{N})(?<=(?:${label})(?:[ \t]*[:,])?[ \t]*)`;

/** A letter or digit in any script: the edge of a "word" for the lookarounds below. */
const WORD_CHAR = String.raw`[\p{L}\p{N}]`;

// ---------------------------------------------------------------------------------------------------------
// 1. E-mail
// ---------------------------------------------------------------------------------------------------------

/**
 * local@domain.tld: a local part of letters, digits and . _ % + - (so plus-addressing is kept inside),
 * one or more domain labels (subdomains), and a TLD of at least two letters. Upper case matches too.
 */
const EMAIL = re([
  String.raw`(?<![\p{L}\p{N}._%+-])`, // start at the beginning of the local part (keeps long runs linear)
  String.raw`[\p{L}\p{N}._%+-]+`, // local part, e.g. "max.mustermann+umfrage"
  '@',
  String.raw`[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*`, // domain labels, e.g. "mail.stadt-re"
  String.raw`\.\p{L}{2,}`, // top-level domain
]);

// ---------------------------------------------------------------------------------------------------------
// 2. URL
// ---------------------------------------------------------------------------------------------------------

/** Characters a URL may continue with after its start: no white space, quotes, angle or square brackets. */
const URL_CHAR = String.raw`[^\s<>"'\[\]]`;

/** http(s)://... up to the next white space (trailing punctuation is given back by `splitTrailing`). */
const URL_WITH_SCHEME = re([String.raw`\bhttps?:\/\/`, `${URL_CHAR}+`], 'giu');

/** www.something... without a scheme, in any case. */
const URL_WWW = re([`(?<!${WORD_CHAR}|[.@-])`, String.raw`www\.`, `${URL_CHAR}+`], 'giu');

/**
 * Common TLDs for bare domains like "handwerk-re.de". Kept lower case and free of English words
 * ("it", "me", "be", "to", "in") so that a missing space after a full stop ("gut.Aber", "do.it") is not
 * taken for a domain.
 */
const BARE_TLDS = [
  'de',
  'com',
  'org',
  'net',
  'eu',
  'info',
  'nrw',
  'ruhr',
  'io',
  'biz',
  'at',
  'ch',
  'nl',
  'uk',
  'fr',
  'app',
  'online',
  'shop',
  'website',
];

/** A domain label: letters/digits, hyphens only inside. */
const DOMAIN_LABEL = String.raw`[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?`;

/** label.label.tld with a known lower-case TLD, optionally followed by a path, query or fragment. */
const URL_BARE_DOMAIN = re([
  `(?<!${WORD_CHAR}|[.@/_-])`, // start of a token (not inside a longer domain or e-mail)
  `(?:${DOMAIN_LABEL}\\.)+`,
  `(?:${BARE_TLDS.join('|')})`,
  `(?!${WORD_CHAR}|-)`, // the TLD ends the host name: "handwerk-re.dental" is no match
  `(?:[/?#]${URL_CHAR}*)?`, // optional path
]);

/** Punctuation that ends a sentence rather than a URL. */
const TRAILING_PUNCTUATION = /[.,;:!?)}»“”]+$/u;

// ---------------------------------------------------------------------------------------------------------
// 3. IBAN
// ---------------------------------------------------------------------------------------------------------

/**
 * Country code, two check digits, then groups of four letters/digits joined by nothing, a single space or
 * a single dash, and a last shorter group: "DE89 3704 0044 0532 0130 00", "DE89370400440532013000",
 * "de89-3704-0044-0532-0130-00", "GB29 NWBK 6016 1331 9268 19". Respondents type IBANs in lower case and
 * copy them from forms with dashes; both are still the same account. A space between country code and
 * check digits ("DE 89") is only taken in upper case: in lower case it would make "am 12 ..." or "um 10 ..."
 * followed by long digit groups a candidate. The check sum is not verified: a mistyped IBAN is still
 * personal data.
 */
const IBAN = re([
  `(?<!${WORD_CHAR})`,
  String.raw`(?:[A-Z]{2}[ ]?|[A-Za-z]{2})\d{2}`, // country and check digits ("DE89", "DE 89", "de89")
  '(?:[ -]?[A-Za-z0-9]{4}){2,7}', // groups of four
  '(?:[ -]?[A-Za-z0-9]{1,3})?', // shorter last group
  `(?!${WORD_CHAR})`,
]);

/** An IBAN is 15 to 34 characters long and mostly digits; this keeps out e.g. product codes with words. */
const looksLikeIban = (match: string): boolean => {
  const compact = match.replace(/[ -]/g, '');
  return compact.length >= 15 && compact.length <= 34 && digitCount(compact) >= 10;
};

// ---------------------------------------------------------------------------------------------------------
// 4. Phone
// ---------------------------------------------------------------------------------------------------------

/**
 * Between digit groups of a phone number: "/" or "-" (with optional spaces around), spaces, or a dot
 * directly before three or more digits ("02362.395814", "0209 123.456"). A dot before only one or two
 * digits is not a separator, so a date ("01.05.2026") or a time ("09.30 - 17.00") never grows into a
 * phone number.
 */
const PHONE_SEPARATOR = String.raw`(?:[ \t]*[\/–-][ \t]*|[ \t]+|\.(?=\d{3}))`;

/** Further digit groups: " 12 34 56", "-1234567", "/123456", ".395814". */
const PHONE_GROUPS = `(?:${PHONE_SEPARATOR}\\d+)*`;

/**
 * A phone number starts with an international prefix (+49, 0049, optionally with a "(0)" trunk),
 * a dialling code in brackets ("(02361) 9876"), or a national 0 followed by a non-zero digit ("0209",
 * "0171", and "0 23 09" where the trunk 0 is set apart by one space), then continues with digit groups.
 * A start right after a letter, digit, "+", "/", "-" or a digit with "." or "," (a decimal or date) is
 * refused. `looksLikePhone` then asks for at least seven digits, so years, grades and short numbers stay.
 *
 * The spaced trunk ("0 23 09 / 71 42 58") is ambiguous with a list of numbers that starts at zero
 * ("0 12 24 36 48 60 72"); such a list is rare in an answer and a number written that way is not, so it
 * is taken for a phone number. A list of single digits ("0 1 2 3 4 5") is not: the spaced trunk needs
 * two digits after it.
 */
const PHONE = re([
  String.raw`(?<![\p{L}\p{N}_+\/–-]|\d[.,])`,
  '(?:',
  String.raw`(?:\+|00)[1-9]\d*(?:[ \t]*\(0\)[ \t]*\d+)?`, // "+49", "0049", "+49 (0)209"
  String.raw`|\(0[1-9]\d{1,4}\)[ \t]*\d+`, // "(02361) 9876"
  String.raw`|0[ \t]?[1-9]\d+`, // "0209", "0171", "0 23"
  ')',
  PHONE_GROUPS,
]);

const MIN_PHONE_DIGITS = 7;
const looksLikePhone = (match: string): boolean => digitCount(match) >= MIN_PHONE_DIGITS;

/** Words that announce a phone number: "Tel", "Tel.", "Tel.-Nr.:", "Telefonnummer", "Handy", "Fax". */
const PHONE_LABEL = String.raw`(?<!\p{L})(?:Tel(?:efon)?(?:nummer)?|Handy(?:nummer)?|Mobil(?:nummer)?|Rufnummer|Fon|Fax|Phone|Mobile)`;

/**
 * Digit groups right after a phone label, also without the trunk 0 ("Tel 2364 602718", "Fax: 12345"),
 * which the pass above cannot tell from a count. After a label five digits are enough: a local number
 * without dialling code has that many, and a year ("Handy 2019 gekauft") has fewer.
 */
const PHONE_LABELLED = re(
  [
    afterLabel(String.raw`${PHONE_LABEL}\.?(?:[ -]?Nr\.?)?`), // "Tel", "Tel.-Nr.", "Tel. Nr."
    String.raw`\d+`,
    PHONE_GROUPS,
  ],
  'giu',
);

const MIN_LABELLED_PHONE_DIGITS = 5;
const looksLikeLabelledPhone = (match: string): boolean => digitCount(match) >= MIN_LABELLED_PHONE_DIGITS;

// ---------------------------------------------------------------------------------------------------------
// 5. Street address
// ---------------------------------------------------------------------------------------------------------

/**
 * Street-type endings of a one-word street name ("Hauptstraße", "Kirchweg", "Hauptstr.", "Marktpl.").
 * The abbreviations "str" and "pl" are taken with or without their dot ("Bahnhofstr 12a", "Kirchpl 3"):
 * a German word rarely ends in either, and the house number that must follow right after keeps out words
 * that merely contain them ("Bahnhofstrecke 5").
 */
const STREET_SUFFIX = String.raw`(?:[Ss]tra(?:ße|sse)|[Ss]tr\.?|[Ww]eg|[Pp]latz|[Pp]l\.?|[Aa]llee|[Gg]asse|[Rr]ing|[Dd]amm|(?<!ä)[Uu]fer)`;

/** The same as a word of its own after an adjective ("Dorstener Str.", "Dorstener Str", "Langer Weg"). */
const STREET_WORD = String.raw`(?:Stra(?:ße|sse)|Str\.?|Weg|Platz|Pl\.?|Allee|Gasse|Ring|Damm|Ufer)`;

/** Capitalised words that are articles, pronouns or prepositions rather than part of a street name. */
const NOT_AN_ADJECTIVE = [
  'Der',
  'Die',
  'Das',
  'Den',
  'Dem',
  'Des',
  'Eine',
  'Einer',
  'Einen',
  'Meine',
  'Meiner',
  'Meinen',
  'Unsere',
  'Unserer',
  'Unseren',
  'Ihre',
  'Ihrer',
  'Ihren',
  'Deine',
  'Seine',
  'Jede',
  'Jeder',
  'Diese',
  'Dieser',
  'Diesen',
  'Alle',
  'Andere',
  'Anderen',
  'Keine',
  'Über',
  'Unter',
  'Hinter',
  'Neben',
  'Oder',
  'Aber',
];

/** An adjective before a street word: "Dorstener", "Alte", "Großen", "Langes". */
const STREET_ADJECTIVE = String.raw`(?!(?:${NOT_AN_ADJECTIVE.join('|')})(?!\p{L}))\p{Lu}\p{L}*(?:er|e|en|es)`;

/** "Hauptstraße", "Kurt-Schumacher-Straße", "Alte Poststraße", "Dorstener Str.". */
const STREET_NAME = String.raw`(?:(?:${STREET_ADJECTIVE}[ \t]+)?\p{Lu}[\p{L}-]*?${STREET_SUFFIX}|${STREET_ADJECTIVE}[ \t]+${STREET_WORD})`;

/** Words after "Am", "Im", "Zum", "Zur" that make a time or a phrase, not a street ("Am Montag 5 Leute"). */
const NOT_A_PLACE = [
  'Montag',
  'Dienstag',
  'Mittwoch',
  'Donnerstag',
  'Freitag',
  'Samstag',
  'Sonnabend',
  'Sonntag',
  'Wochenende',
  'Wochentag',
  'Januar',
  'Februar',
  'März',
  'April',
  'Mai',
  'Juni',
  'Juli',
  'August',
  'September',
  'Oktober',
  'November',
  'Dezember',
  'Anfang',
  'Ende',
  'Schluss',
  'Jahr',
  'Monat',
  'Tag',
  'Abend',
  'Morgen',
  'Mittag',
  'Vormittag',
  'Nachmittag',
  'Moment',
  'Schnitt',
  'Durchschnitt',
  'Beispiel',
  'Glück',
  'Teil',
  'Zeit',
  'Prinzip',
  'Grunde',
  'Großen',
  'Ganzen',
  'Allgemeinen',
  'Vergleich',
  'Besten',
  'Meisten',
  'Liebsten',
  'Thema',
  'Punkt',
  'Info',
];

/** "Am Markt", "An der Kirche", "Zur Alten Mühle": a prefix and one or two capitalised words. */
const STREET_WITH_PREFIX = String.raw`(?:Am|Im|Zum|Zur|An der|An den)[ \t]+(?!(?:${NOT_A_PLACE.join('|')})(?!\p{L}))\p{Lu}[\p{L}-]+(?:[ \t]+\p{Lu}[\p{L}-]+)?`;

/** House number: 1-3 digits, an optional letter ("3a", "3 a"), an optional range ("12-14", "12/1"). */
const HOUSE_NUMBER = String.raw`\d{1,3}(?!\d)(?:[ ]?[a-zA-Z](?!\p{L}))?(?:[ \t]*[-–\/][ \t]*\d{1,3}(?!\d)[a-zA-Z]?(?!\p{L}))?`;

/** Words after a number that make it a count or a measure rather than a house number. */
const COUNT_WORDS = [
  '%',
  '€',
  'Prozent',
  'Euro',
  'EUR',
  'Jahre',
  'Jahren',
  'Monate',
  'Monaten',
  'Wochen?',
  'Tage',
  'Tagen',
  'Stunden?',
  'Std',
  'Minuten?',
  'Min',
  'Uhr',
  'Mal',
  'mal',
  'Leute',
  'Personen',
  'Menschen',
  'Kinder',
  'km',
  'Km',
  'Kilometer',
  'Meter',
  'm',
  'Punkte?',
  'Sterne?',
  'von',
  'x',
  'years',
  'minutes',
  'people',
  'times',
];

/** A house number must not be part of a decimal or date, nor a count followed by a unit. */
const NOT_A_COUNT = String.raw`(?![.,]\d)(?![ \t]*(?:${COUNT_WORDS.join('|')})(?!\p{L}))`;

const STREET = re([
  String.raw`(?<![\p{L}\p{N}-])`,
  `(?:${STREET_WITH_PREFIX}|${STREET_NAME})`,
  String.raw`[ \t]*`,
  HOUSE_NUMBER,
  NOT_A_COUNT,
]);

// ---------------------------------------------------------------------------------------------------------
// 6. Postcode
// ---------------------------------------------------------------------------------------------------------

/** Five digits on their own (German postcodes run from 01001 to 99998, so "00..." is never one). */
const FIVE_DIGITS = String.raw`(?<![\p{N}.,])(?!00)\d{5}(?!\p{N})`;

/** Five digits after "PLZ", "Postleitzahl" or an address placeholder: "PLZ: 45657", "[Adresse], 45657". */
const POSTCODE_LABELLED = re([afterLabel(String.raw`\bPLZ|\bPostleitzahl|\[Adresse\]`), FIVE_DIGITS], 'giu');

/** Capitalised nouns that count something after a five-digit number ("10000 Euro", "45000 Menschen"). */
const NOT_A_TOWN = [
  'Euro',
  'Euros',
  'EUR',
  'Dollar',
  'Menschen',
  'Einwohner',
  'Einwohnerinnen',
  'Bürger',
  'Bürgerinnen',
  'Leute',
  'Personen',
  'Besucher',
  'Besucherinnen',
  'Teilnehmer',
  'Teilnehmende',
  'Mitglieder',
  'Stimmen',
  'Kunden',
  'Mitarbeiter',
  'Beschäftigte',
  'Arbeitsplätze',
  'Haushalte',
  'Wohnungen',
  'Schüler',
  'Studierende',
  'Studenten',
  'Zuschauer',
  'Fans',
  'Unterschriften',
  'Stück',
  'Exemplare',
  'Kilometer',
  'Meter',
  'Quadratmeter',
  'Tonnen',
  'Liter',
  'Jahre',
  'Tage',
  'Stunden',
  'Punkte',
  'Mal',
  'Fälle',
  'Anrufe',
  'Autos',
  'Fahrzeuge',
  'Bäume',
  'Follower',
  'Klicks',
  'Likes',
  'People',
];

/** Five digits followed by a capitalised word that is not a counted noun: "45657 Recklinghausen". */
const POSTCODE_BEFORE_TOWN = re([
  FIVE_DIGITS,
  String.raw`(?=[ \t]+(?!(?:${NOT_A_TOWN.join('|')})(?!\p{L}))\p{Lu}\p{Ll}{2,})`,
]);

// ---------------------------------------------------------------------------------------------------------
// The passes
// ---------------------------------------------------------------------------------------------------------

interface Pass {
  kind: ScrubKind;
  pattern: RegExp;
  /** A second look at a candidate; a refused candidate stays as it is. */
  accept?: (match: string) => boolean;
  /** Gives back trailing sentence punctuation that the pattern took (URLs). */
  splitTrailing?: boolean;
}

/** In the order documented at the top of the file. */
const PASSES: Pass[] = [
  { kind: 'email', pattern: EMAIL },
  { kind: 'url', pattern: URL_WITH_SCHEME, splitTrailing: true, accept: (m) => /[.\d]/.test(m) },
  { kind: 'url', pattern: URL_WWW, splitTrailing: true },
  { kind: 'url', pattern: URL_BARE_DOMAIN, splitTrailing: true },
  { kind: 'iban', pattern: IBAN, accept: looksLikeIban },
  { kind: 'phone', pattern: PHONE, accept: looksLikePhone },
  { kind: 'phone', pattern: PHONE_LABELLED, accept: looksLikeLabelledPhone },
  { kind: 'street', pattern: STREET },
  { kind: 'postcode', pattern: POSTCODE_LABELLED },
  { kind: 'postcode', pattern: POSTCODE_BEFORE_TOWN },
];

const emptyCounts = (): Record<ScrubKind, number> => ({
  email: 0,
  phone: 0,
  url: 0,
  iban: 0,
  postcode: 0,
  street: 0,
});

/** Replaces personal data in a free-text answer by placeholders and counts the replacements per kind. */
export function scrubText(text: string): { text: string; removed: Record<ScrubKind, number> } {
  const removed = emptyCounts();
  let result = text;
  for (const pass of PASSES) {
    result = result.replace(pass.pattern, (match: string) => {
      let core = match;
      let tail = '';
      if (pass.splitTrailing) {
        tail = TRAILING_PUNCTUATION.exec(match)?.[0] ?? '';
        core = match.slice(0, match.length - tail.length);
      }
      if (pass.accept && !pass.accept(core)) return match;
      removed[pass.kind] += 1;
      return SCRUB_PLACEHOLDERS[pass.kind] + tail;
    });
  }
  return { text: result, removed };
}
