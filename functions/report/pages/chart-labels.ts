/**
 * Wave labels under a chart's dots, in lines of at most `maxChars`: SVG text does not wrap, and a
 * word wider than its column runs into the next label ("Zwischenmessung" beside
 * "Abschlussmessung", "(Ausgangswert)" with four waves). Such a word is hyphenated.
 */

const VOWEL = /[aeiouyäöü]/i;
const LETTER = /\p{L}/u;
/** Letter groups German does not split: the hyphen goes before them ("Zwi-schen", "Kampagnen-phase"). */
const UNITS = ['sch', 'ch', 'ck', 'ph', 'th'];
/**
 * Words wave labels are compounded of ("Folge|messung", "Ausgangs|wert"): a seam before one of them
 * is the best place for the hyphen, which syllables alone do not find.
 */
const PARTS = ['messung', 'befragung', 'wiederholung', 'erhebung', 'prüfung', 'phase', 'kampagne', 'wert', 'welle'];

/**
 * Where a word may be hyphenated between syllables: before the last consonant (or consonant
 * group) between two vowels: "Wie|der|ho|lung", "Zwi|schen". Positions leave two letters at
 * least on either side.
 */
function breakPoints(word: string): number[] {
  const points = new Set<number>();
  let i = 0;
  while (i < word.length) {
    const start = i;
    while (i < word.length && LETTER.test(word[i] ?? '') && !VOWEL.test(word[i] ?? '')) i++;
    const cluster = word.slice(start, i).toLowerCase();
    const between = start > 0 && VOWEL.test(word[start - 1] ?? '') && VOWEL.test(word[i] ?? '');
    if (cluster.length > 0 && between) {
      const unit = UNITS.find((u) => cluster.endsWith(u))?.length ?? 1;
      points.add(start + Math.max(0, cluster.length - unit));
    }
    if (i === start) i++;
  }
  const letters = (s: string) => [...s].filter((c) => LETTER.test(c)).length;
  return [...points].filter((p) => letters(word.slice(0, p)) >= 2 && letters(word.slice(p)) >= 2).sort((a, b) => a - b);
}

/** Positions after a hyphen the word has. */
const hyphens = (word: string) => [...word.matchAll(/-(?=.)/g)].map((m) => m.index + 1).filter((at) => at >= 2);

/** Seams before a known part of a compound (never at the word's start). */
function seams(word: string): number[] {
  const lower = word.toLowerCase();
  return PARTS.flatMap((part) => {
    const at = lower.indexOf(part, 2);
    return at > 0 && LETTER.test(word[at - 1] ?? '') ? [at] : [];
  });
}

/**
 * A word split into pieces of at most `maxChars` (a hyphen added where it had none): after its own
 * hyphen, at a compound's seam, else between syllables; fewest lines, then the most even ones.
 */
export function hyphenate(word: string, maxChars: number): string[] {
  if (word.length <= maxChars) return [word];
  const withHyphen = (head: string) => (head.endsWith('-') ? head : `${head}-`);
  const fits = (p: number) => withHyphen(word.slice(0, p)).length <= maxChars;
  // Its own hyphens first, then a compound's seams, then syllables.
  const points = [hyphens(word), seams(word), breakPoints(word)].map((tier) => tier.filter(fits));
  let best: string[] | undefined;
  for (const p of points.find((tier) => tier.length > 0) ?? []) {
    const pieces = [withHyphen(word.slice(0, p)), ...hyphenate(word.slice(p), maxChars)];
    const longest = (xs: string[]) => Math.max(...xs.map((x) => x.length));
    // Fewest lines, then the most even ones.
    if (!best || pieces.length < best.length || (pieces.length === best.length && longest(pieces) < longest(best)))
      best = pieces;
  }
  return best ?? [word];
}

/** A wave label in lines that fit under its dot (at most three, the last one shortened). */
export function labelLines(label: string, maxChars: number): string[] {
  const lines: string[] = [];
  for (const word of label.split(/\s+/)) {
    const [first = '', ...rest] = hyphenate(word, maxChars);
    const last = lines.at(-1);
    if (last !== undefined && `${last} ${first}`.length <= maxChars) lines[lines.length - 1] = `${last} ${first}`;
    else lines.push(first);
    lines.push(...rest);
  }
  if (lines.length <= 3) return lines;
  const third = lines[2] ?? '';
  // A hyphenated word cut short ends in the ellipsis itself: "(Ausgangs…", not "(Ausgangs- …".
  return [...lines.slice(0, 2), third.endsWith('-') ? `${third.slice(0, -1)}…` : `${third} …`];
}
