/**
 * How numbers are written in titles and sentences, shared by the clustering evidence
 * (src/pipeline/entities.ts: "120亿" = "12B") and the verifier (src/analyze/verify/numbers.ts:
 * a model's "12 billion" against a source's "120亿"), so that both read a scale the same way.
 */

/** Scale words, English and Chinese, and their factors. */
const SCALE_WORDS: ReadonlyMap<string, number> = new Map([
  ['trillion', 1e12],
  ['billion', 1e9],
  ['million', 1e6],
  ['thousand', 1e3],
  ['bn', 1e9],
  ['mn', 1e6],
  ['万亿', 1e12],
  ['千亿', 1e11],
  ['百亿', 1e10],
  ['十亿', 1e9],
  ['亿', 1e8],
  ['千万', 1e7],
  ['百万', 1e6],
  ['十万', 1e5],
  ['万', 1e4],
  ['千', 1e3],
]);

/** Scale letters glued to a number ("12B", "1.2k"). */
const SCALE_LETTERS: ReadonlyMap<string, number> = new Map([
  ['k', 1e3],
  ['m', 1e6],
  ['b', 1e9],
  ['t', 1e12],
]);

/** The factor of a scale word or letter (any case), or undefined. */
export function scaleFactor(scale: string): number | undefined {
  const lower = scale.toLowerCase();
  return SCALE_WORDS.get(lower) ?? SCALE_LETTERS.get(lower);
}

/** The scale words as a regular-expression alternation, longest first ("万亿" before "亿"). */
export const SCALE_WORD_PATTERN = [...SCALE_WORDS.keys()].sort((a, b) => b.length - a.length).join('|');

/** The scale letters as a regular-expression alternation. */
export const SCALE_LETTER_PATTERN = [...SCALE_LETTERS.keys()].join('|');

/** "1,200" groups thousands; "1,2" (one or two digits after the comma) is a decimal comma; "08" is 8. */
export function parseNumber(text: string): number {
  const grouped = /^\d{1,3}(?:,\d{3})+(?:\.\d+)?$/.test(text);
  return Number(grouped ? text.replace(/,/g, '') : text.replace(',', '.'));
}

/** 12345 → "12,345" (locale-independent; the report's one way to write a count). */
export function formatCount(value: number): string {
  const [whole, fraction] = String(value).split('.');
  const grouped = whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return fraction ? `${grouped}.${fraction}` : grouped;
}
