/**
 * The one way terms are found in text: the topic filter, relevance, the section rules and the
 * connectors' keyword filters all use it.
 *
 * A Latin term matches as a whole word, case-insensitive: not preceded or followed by a letter or
 * digit of a spaced script, with an optional plural "s" ("LLMs", "agents"); spaces and hyphens
 * inside a term match any run of spaces or hyphens ("open source" = "open-source"); a version
 * glued to the term counts as the term ("Qwen4.5", "Gemma3", "AI2" hold "qwen", "gemma", "ai"). Chinese and
 * Japanese characters count as a word boundary, because those scripts put no space between words:
 * "AI进入科学发现" and "面向Agent的设计" hold "AI" and "agent", while "said" and "FAIL" hold no "AI".
 * Terms in scripts written without spaces between words match anywhere.
 *
 * A text is read once for the matchers that ask about it in turn (a story's title: the topics, then
 * each section's keywords): lower-cased, its word starts found as far as a matcher reads, and a
 * pattern tried only at a word start whose first two characters begin some term.
 */

const UNSPACED_CLASS = '\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}';
const UNSPACED_SCRIPT = new RegExp(`[${UNSPACED_CLASS}]`, 'u');
/** A letter or digit that continues a word: any, except those of scripts written without spaces. */
const WORD_CHAR = `(?![${UNSPACED_CLASS}])[\\p{L}\\p{N}\\p{M}]`;
/** One whole character that is a {@link WORD_CHAR}. */
const IS_WORD_CHAR = new RegExp(`^${WORD_CHAR}$`, 'u');

/** Whether the character just before `index` of `text` continues a word (what `(?<!WORD_CHAR)` refuses). */
function wordCharBefore(text: string, index: number): boolean {
  if (index === 0) return false;
  const low = text.charCodeAt(index - 1);
  const start =
    low >= 0xdc00 && low <= 0xdfff && index >= 2 && (text.charCodeAt(index - 2) & 0xfc00) === 0xd800
      ? index - 2
      : index - 1;
  return IS_WORD_CHAR.test(text.slice(start, index));
}

/** A version glued to a name: "Qwen4.5", "GPT4o" is not one (a letter follows), "Gemma3" is. */
const VERSION_SUFFIX = '\\d+(?:\\.\\d+)*';
const VERSION_AT_END = /\d+(?:\.\d+)*$/u;

/** ASCII letters and digits: the ASCII characters that continue a word. */
const ASCII_WORD = new Uint8Array(0x80);
for (let code = 0; code < 0x80; code++) ASCII_WORD[code] = IS_WORD_CHAR.test(String.fromCharCode(code)) ? 1 : 0;

/** A sticky pattern of whole-word terms (in the order given) but for the word start: see {@link termMatcher}. */
function wholeWordPattern(terms: readonly string[]): RegExp {
  const alternation = terms
    .map((term) =>
      term
        .split(/[\s-]+/)
        .map(escapeRegExp)
        .join('[\\s-]+'),
    )
    .join('|');
  return new RegExp(`(?:${alternation})(?:s|${VERSION_SUFFIX})?(?!${WORD_CHAR})`, 'iuy');
}

/**
 * One pattern per ASCII character that terms start with (of those terms, in their order), or
 * undefined when a term starts with a character outside ASCII or with a space or hyphen: under
 * case-insensitive Unicode matching such a character may stand for an ASCII one ("ſ" for "s"), so
 * every word start is tried with the whole pattern.
 */
function patternsByFirstChar(terms: readonly string[]): Array<RegExp | undefined> | undefined {
  const groups = new Map<number, string[]>();
  for (const term of terms) {
    const code = term.charCodeAt(0);
    if (code >= 0x80 || /[\s-]/.test(term[0]!)) return undefined;
    const group = groups.get(code);
    if (group) group.push(term);
    else groups.set(code, [term]);
  }
  const patterns = new Array<RegExp | undefined>(0x80).fill(undefined);
  for (const [code, group] of groups) patterns[code] = wholeWordPattern(group);
  return patterns;
}

/**
 * Which ASCII character pairs a term of {@link patternsByFirstChar} may start with, by
 * `first << 7 | second`: a word start whose next character is ASCII and not a second character of
 * any term that starts there cannot match, so its pattern is not tried. (In the lower-cased text an
 * ASCII character matches a term's ASCII character only when it is that character.) A term of one
 * character, or whose second character is a space, a hyphen (they match a run of spaces or hyphens)
 * or not ASCII, allows every second character after its first.
 */
function pairsByFirstChar(terms: readonly string[]): Uint8Array {
  const pairs = new Uint8Array(0x80 << 7);
  for (const term of terms) {
    const first = term.charCodeAt(0);
    const second = term.charCodeAt(1);
    if (term.length < 2 || second >= 0x80 || /[\s-]/.test(term[1]!)) pairs.fill(1, first << 7, (first + 1) << 7);
    else pairs[(first << 7) | second] = 1;
  }
  return pairs;
}

/** a-z and 0-9: after one of these, no term of {@link patternsByFirstChar} starts. */
const LOWER_ALNUM = new Uint8Array(0x80);
for (let code = 0; code < 0x80; code++) LOWER_ALNUM[code] = /[a-z0-9]/.test(String.fromCharCode(code)) ? 1 : 0;

/**
 * Where a term of {@link patternsByFirstChar} may start, by character (ASCII only): one of their
 * first characters after no ASCII letter or digit of the lower-cased text (a letter outside ASCII
 * before it is checked apart). Besides these, the two characters outside ASCII that
 * case-insensitive Unicode matching folds to ASCII letters may start a term ("ſ" to "s", the Kelvin
 * sign to "k"; `term-matcher.test.ts` checks that there are no others).
 */
function firstCharsOf(byFirstChar: ReadonlyArray<RegExp | undefined>): Uint8Array {
  const firstChars = new Uint8Array(0x80);
  for (let code = 0; code < byFirstChar.length; code++) firstChars[code] = byFirstChar[code] === undefined ? 0 : 1;
  return firstChars;
}

/**
 * A text as every matcher reads it: lower-cased, with the places a term of
 * {@link patternsByFirstChar} may start (an ASCII character other than a space after no ASCII
 * letter or digit, or "ſ" or the Kelvin sign after none), found as far as a matcher has read
 * ({@link extendStarts}: one that stops at its first match reads no further), and whether it holds a
 * character of a script written without spaces (else no unspaced term can occur in it). Worked out
 * once for the several matchers that read one text (a title: the topics, then each section's keywords).
 */
interface ScannedText {
  readonly text: string;
  readonly lower: string;
  readonly starts: number[];
  /** Where finding starts goes on, and the character before it (-1: none). */
  scannedTo: number;
  previous: number;
  unspacedScript: boolean | undefined;
}

/** The texts scanned last: the matchers of one title or lead ask about it in turn. */
const recentScans: ScannedText[] = [];
const RECENT_SCANS = 2;

function scanText(text: string): ScannedText {
  for (const scan of recentScans) if (scan.text === text) return scan;
  const scan: ScannedText = {
    text,
    lower: text.toLowerCase(),
    starts: [],
    scannedTo: 0,
    previous: -1,
    unspacedScript: undefined,
  };
  if (recentScans.unshift(scan) > RECENT_SCANS) recentScans.pop();
  return scan;
}

/** Finds the next word start of a scan; false at the end of its text. */
function extendStarts(scan: ScannedText): boolean {
  const { lower, starts } = scan;
  let previous = scan.previous;
  for (let index = scan.scannedTo; index < lower.length; index++) {
    const code = lower.charCodeAt(index);
    const canStart = code < 0x80 ? code !== 0x20 : code === 0x17f || code === 0x212a;
    const afterWord = previous >= 0 && previous < 0x80 && LOWER_ALNUM[previous] === 1;
    previous = code;
    if (canStart && !afterWord) {
      starts.push(index);
      scan.scannedTo = index + 1;
      scan.previous = code;
      return true;
    }
  }
  scan.scannedTo = lower.length;
  scan.previous = previous;
  return false;
}

/** Whether a scanned text holds a character of a script written without spaces. */
function hasUnspacedScript(scan: ScannedText): boolean {
  scan.unspacedScript ??= UNSPACED_SCRIPT.test(scan.lower);
  return scan.unspacedScript;
}

/** Index of the first of `starts` (ascending) not below `from`. */
function firstStartFrom(starts: readonly number[], from: number): number {
  let low = 0;
  let high = starts.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (starts[mid]! < from) low = mid + 1;
    else high = mid;
  }
  return low;
}

export interface TermMatcher {
  /** Distinct terms found in `text`, as written in the term list, in the list's order. */
  matches(text: string): string[];
  /** Whether any term occurs in `text`. */
  test(text: string): boolean;
  /**
   * How many distinct terms `matches(text)` finds, counting up to `atMost` (the text is read only
   * until that many are found): `count(text, n) >= n` says what `matches(text).length >= n` says.
   */
  count(text: string, atMost: number): number;
  /** `count(text, atMost)` and `test(text)` at once, reading the text once. */
  countAndTest(text: string, atMost: number): { terms: number; any: boolean };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A term's spelling with its inner spaces and hyphens made one space. */
function spellingKey(term: string): string {
  return term.toLowerCase().replace(/[\s-]+/g, ' ');
}

/** Compiles terms (any case) into a matcher. An empty list matches nothing. */
export function termMatcher(terms: readonly string[]): TermMatcher {
  const unique = [...new Set(terms.map((term) => term.trim().toLowerCase()).filter((term) => term !== ''))];
  const order = new Map(unique.map((term, index) => [term, index]));
  const bySpelling = new Map(unique.map((term) => [spellingKey(term), term]));
  const unspaced = unique.filter((term) => UNSPACED_SCRIPT.test(term));
  // Longest first so that "large language model" is tried before "language model".
  const spaced = unique
    .filter((term) => !UNSPACED_SCRIPT.test(term))
    .sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
  // The pattern of a whole-word term, but for the word start: irregexp would test the lookbehind
  // `(?<!WORD_CHAR)` at every position of the text, so candidates are tried sticky at word starts
  // only (`nextSpaced`), which finds the same matches as the lookbehind would.
  const spacedPattern = spaced.length > 0 ? wholeWordPattern(spaced) : undefined;
  // At an ASCII character only the terms that start with it can match: one pattern per first
  // character, each with those terms in the same order, so irregexp does not try every term at
  // every word start. The first alternative that matches is the one the whole pattern would take.
  const byFirstChar = spacedPattern ? patternsByFirstChar(spaced) : undefined;

  const firstChars = byFirstChar ? firstCharsOf(byFirstChar) : undefined;
  const pairs = byFirstChar ? pairsByFirstChar(spaced) : undefined;
  /** Where the match {@link nextSpaced} found last ends. */
  let matchEnd = 0;

  /**
   * Where the next match at or after `from` starts that starts a word, as `(?<!WORD_CHAR)` + the
   * pattern would find it (-1: none); it ends at `matchEnd`. `test` rather than `exec`: no match
   * object for each word tried.
   */
  const nextSpaced = (pattern: RegExp, scan: ScannedText, from: number): number => {
    const { lower, starts } = scan;
    if (firstChars === undefined || byFirstChar === undefined || pairs === undefined) {
      return nextSpacedAnywhere(pattern, lower, from);
    }
    for (let at = firstStartFrom(starts, from); ; at++) {
      if (at === starts.length && !extendStarts(scan)) return -1;
      const index = starts[at]!;
      if (index < from) continue; // found by extending, before a match that ended beyond the scan
      const code = lower.charCodeAt(index);
      // Only where a character some term starts with stands (or one that case-folds to ASCII: "ſ",
      // the Kelvin sign, which every word start of the scan of that kind is).
      if (code < 0x80 && firstChars[code] === 0) continue;
      // No term starts with these two characters (at the text's end `next` is NaN: tried).
      const next = lower.charCodeAt(index + 1);
      if (code < 0x80 && next < 0x80 && pairs[(code << 7) | next] === 0) continue;
      if (index > 0 && lower.charCodeAt(index - 1) >= 0x80 && wordCharBefore(lower, index)) continue;
      const candidate = code < 0x80 ? byFirstChar[code]! : pattern;
      candidate.lastIndex = index;
      if (candidate.test(lower)) {
        matchEnd = candidate.lastIndex;
        return index;
      }
    }
  };

  /** {@link nextSpaced} trying the whole pattern at every word start. */
  const nextSpacedAnywhere = (pattern: RegExp, lower: string, from: number): number => {
    const length = lower.length;
    for (let index = from; index < length; index++) {
      const code = lower.charCodeAt(index);
      if (code >= 0xdc00 && code <= 0xdfff && index > 0 && (lower.charCodeAt(index - 1) & 0xfc00) === 0xd800) {
        continue; // the second half of a character that starts before
      }
      if (index > 0) {
        const before = lower.charCodeAt(index - 1);
        if (before < 0x80 ? ASCII_WORD[before] === 1 : wordCharBefore(lower, index)) continue;
      }
      pattern.lastIndex = index;
      if (pattern.test(lower)) {
        matchEnd = pattern.lastIndex;
        return index;
      }
    }
    return -1;
  };

  const termOf = (found: string): string | undefined => {
    const spelled = (text: string): string | undefined => {
      const key = spellingKey(text);
      return bySpelling.get(key) ?? (key.endsWith('s') ? bySpelling.get(key.slice(0, -1)) : undefined);
    };
    return spelled(found) ?? spelled(found.replace(VERSION_AT_END, ''));
  };

  /** Whether an unspaced term may occur in a text: each holds a character of an unspaced script. */
  const mayHoldUnspaced = (scan: ScannedText): boolean => unspaced.length > 0 && hasUnspacedScript(scan);

  /** Whether {@link tally}'s last text held a match of a spaced term, counted or not. */
  let sawMatch = false;

  /** {@link TermMatcher.count} of a scanned text. */
  const tally = (scan: ScannedText, atMost: number): number => {
    const { lower } = scan;
    sawMatch = false;
    const found = new Set<string>();
    if (found.size >= atMost) return found.size;
    if (spacedPattern) {
      for (let index = nextSpaced(spacedPattern, scan, 0); index !== -1; ) {
        sawMatch = true;
        const term = termOf(lower.slice(index, matchEnd));
        if (term) {
          found.add(term);
          if (found.size >= atMost) return found.size;
        }
        index = nextSpaced(spacedPattern, scan, matchEnd);
      }
    }
    if (mayHoldUnspaced(scan)) {
      for (const term of unspaced) {
        if (!found.has(term) && lower.includes(term)) {
          found.add(term);
          if (found.size >= atMost) return found.size;
        }
      }
    }
    return found.size;
  };

  /** {@link TermMatcher.test} of a scanned text. */
  const testScan = (scan: ScannedText): boolean => {
    if (spacedPattern && nextSpaced(spacedPattern, scan, 0) !== -1) return true;
    return mayHoldUnspaced(scan) && unspaced.some((term) => scan.lower.includes(term));
  };

  return {
    matches(text: string): string[] {
      const scan = scanText(text);
      const { lower } = scan;
      const found = new Set<string>();
      if (spacedPattern) {
        for (let index = nextSpaced(spacedPattern, scan, 0); index !== -1; ) {
          const term = termOf(lower.slice(index, matchEnd));
          if (term) found.add(term);
          index = nextSpaced(spacedPattern, scan, matchEnd);
        }
      }
      if (mayHoldUnspaced(scan)) for (const term of unspaced) if (lower.includes(term)) found.add(term);
      return [...found].sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
    },
    count(text: string, atMost: number): number {
      return tally(scanText(text), atMost);
    },
    test(text: string): boolean {
      return testScan(scanText(text));
    },
    countAndTest(text: string, atMost: number): { terms: number; any: boolean } {
      const scan = scanText(text);
      const terms = tally(scan, atMost);
      // Fewer than atMost terms: tally read the whole text, so it saw every match test would find.
      if (terms > 0) return { terms, any: true };
      return { terms, any: atMost > 0 ? sawMatch : testScan(scan) };
    },
  };
}
