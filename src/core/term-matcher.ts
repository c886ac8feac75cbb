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
 * A text is read as it is, not lower-cased (the patterns are case-insensitive, and every character
 * but "İ" and "Σ" matches as its lower-cased self would), by one pattern per matcher that irregexp
 * runs over the text: a character that does not continue a word, followed by a term. What a text
 * needs besides (whether it holds Chinese or Japanese, its lower-cased form for the unspaced terms)
 * is worked out once for the matchers that ask about it in turn (a story's title: the topics, then
 * each section's keywords).
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
 * A text as every matcher reads it: the patterns are case-insensitive, so they read the text itself
 * (each character matches as its lower-cased self would: `term-matcher.test.ts` checks every code
 * point), except a text holding "İ" (the one character toLowerCase makes two) or "Σ" (which
 * toLowerCase makes "σ" or "ς" by the letters around it), which they read lower-cased; the text
 * lower-cased when an unspaced term is looked for; and whether it holds a character of a script
 * written without spaces (else no unspaced term can occur in it). Worked out once for the several
 * matchers that read one text (a title: the topics, then each section's keywords).
 */
interface ScannedText {
  readonly text: string;
  readonly subject: string;
  lower: string | undefined;
  unspacedScript: boolean | undefined;
}

/** Characters whose lower-case form is not one of the same length, or depends on the letters around it. */
const LOWER_CASE_IRREGULAR = /[\u0130\u03a3]/;

/** The texts scanned last: the matchers of one title or lead ask about it in turn. */
const recentScans: ScannedText[] = [];
const RECENT_SCANS = 2;

function scanText(text: string): ScannedText {
  for (const scan of recentScans) if (scan.text === text) return scan;
  const irregular = LOWER_CASE_IRREGULAR.test(text);
  const subject = irregular ? text.toLowerCase() : text;
  const scan: ScannedText = { text, subject, lower: irregular ? subject : undefined, unspacedScript: undefined };
  if (recentScans.unshift(scan) > RECENT_SCANS) recentScans.pop();
  return scan;
}

/** The text lower-cased, as unspaced terms are looked for in it. */
function lowerOf(scan: ScannedText): string {
  scan.lower ??= scan.text.toLowerCase();
  return scan.lower;
}

/** Whether a scanned text holds a character of a script written without spaces. */
function hasUnspacedScript(scan: ScannedText): boolean {
  scan.unspacedScript ??= UNSPACED_SCRIPT.test(scan.subject);
  return scan.unspacedScript;
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

/** Terms compiled for matching: see {@link termMatcher}. */
interface CompiledTerms {
  /** Lower-cased and trimmed, without repeats, in the order given. */
  readonly unique: readonly string[];
  /** Those in a script written without spaces: found anywhere in the lower-cased text. */
  readonly unspaced: readonly string[];
  /** The others as one sticky pattern, but for the word start, and the pattern that finds them ({@link nextSpaced}). */
  readonly spacedPattern: RegExp | undefined;
  readonly nextStart: RegExp | undefined;
}

function compileTerms(terms: readonly string[]): CompiledTerms {
  const unique = [...new Set(terms.map((term) => term.trim().toLowerCase()).filter((term) => term !== ''))];
  const unspaced = unique.filter((term) => UNSPACED_SCRIPT.test(term));
  // Longest first so that "large language model" is tried before "language model".
  const spaced = unique
    .filter((term) => !UNSPACED_SCRIPT.test(term))
    .sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
  // The pattern of a whole-word term, but for the word start: irregexp would test the lookbehind
  // `(?<!WORD_CHAR)` at every position of the text, so `nextStart` finds the character before a
  // term instead (anything but an ASCII letter or digit: the Kelvin sign and "ſ", which fold to
  // "k" and "s", are letters too), one before it outside ASCII is checked apart (`wordCharBefore`),
  // and the term at the text's start is tried sticky: `nextSpaced` finds the same matches as the
  // lookbehind would.
  const spacedPattern = spaced.length > 0 ? wholeWordPattern(spaced) : undefined;
  const nextStart = spacedPattern ? new RegExp(`[^A-Za-z0-9\\u212a](?=${spacedPattern.source})`, 'giu') : undefined;
  return { unique, unspaced, spacedPattern, nextStart };
}

/** Where the match {@link nextSpaced} found last ends. */
let matchEnd = 0;

/**
 * Where the next match of `pattern` at or after `from` starts that starts a word, as
 * `(?<!WORD_CHAR)` + the pattern would find it (-1: none); it ends at `matchEnd`. `finder` is
 * {@link CompiledTerms.nextStart} of the pattern. `test` rather than `exec`: no match object.
 */
function nextSpaced(pattern: RegExp, finder: RegExp, subject: string, from: number): number {
  if (from === 0) {
    pattern.lastIndex = 0;
    if (pattern.test(subject)) {
      matchEnd = pattern.lastIndex;
      return 0;
    }
  }
  // The character before `from` may be the one before a term.
  finder.lastIndex = from > 0 ? from - 1 : 0;
  while (finder.test(subject)) {
    // The match is that character, the term a lookahead: it starts where the match ends.
    const index = finder.lastIndex;
    if (subject.charCodeAt(index - 1) >= 0x80 && wordCharBefore(subject, index)) {
      finder.lastIndex = index; // one of the term's characters may be the one before the next
      continue;
    }
    pattern.lastIndex = index;
    pattern.test(subject); // matches: the lookahead did
    matchEnd = pattern.lastIndex;
    return index;
  }
  return -1;
}

/** Whether a scanned text holds one of `unspaced` (terms of a script written without spaces). */
function holdsUnspaced(scan: ScannedText, unspaced: readonly string[]): boolean {
  if (unspaced.length === 0 || !hasUnspacedScript(scan)) return false;
  const lower = lowerOf(scan);
  return unspaced.some((term) => lower.includes(term));
}

/** Match texts whose term a matcher remembers (it forgets them all past this many). */
const TERMS_OF_FOUND_KEPT = 10_000;

/** Compiles terms (any case) into a matcher. An empty list matches nothing. */
export function termMatcher(terms: readonly string[]): TermMatcher {
  const { unique, unspaced, spacedPattern, nextStart } = compileTerms(terms);
  const order = new Map(unique.map((term, index) => [term, index]));
  const bySpelling = new Map(unique.map((term) => [spellingKey(term), term]));

  const spelled = (text: string): string | undefined => {
    const key = spellingKey(text);
    return bySpelling.get(key) ?? (key.endsWith('s') ? bySpelling.get(key.slice(0, -1)) : undefined);
  };
  /** The term of each match text seen (a pure function of it; texts repeat their terms' spellings), bounded. */
  const termOfFound = new Map<string, string | undefined>();
  const termOf = (found: string): string | undefined => {
    if (termOfFound.has(found)) return termOfFound.get(found);
    const term = spelled(found) ?? spelled(found.replace(VERSION_AT_END, ''));
    if (termOfFound.size >= TERMS_OF_FOUND_KEPT) termOfFound.clear();
    termOfFound.set(found, term);
    return term;
  };

  /** Whether an unspaced term may occur in a text: each holds a character of an unspaced script. */
  const mayHoldUnspaced = (scan: ScannedText): boolean => unspaced.length > 0 && hasUnspacedScript(scan);

  /** Whether {@link tally}'s last text held a match of a spaced term, counted or not. */
  let sawMatch = false;

  /** {@link TermMatcher.count} of a scanned text. */
  const tally = (scan: ScannedText, atMost: number): number => {
    const { subject } = scan;
    sawMatch = false;
    const found = new Set<string>();
    if (found.size >= atMost) return found.size;
    if (spacedPattern) {
      for (let index = nextSpaced(spacedPattern, nextStart!, scan.subject, 0); index !== -1; ) {
        sawMatch = true;
        const term = termOf(subject.slice(index, matchEnd));
        if (term) {
          found.add(term);
          if (found.size >= atMost) return found.size;
        }
        index = nextSpaced(spacedPattern, nextStart!, subject, matchEnd);
      }
    }
    if (mayHoldUnspaced(scan)) {
      const lower = lowerOf(scan);
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
    if (spacedPattern && nextSpaced(spacedPattern, nextStart!, scan.subject, 0) !== -1) return true;
    return holdsUnspaced(scan, unspaced);
  };

  return {
    matches(text: string): string[] {
      const scan = scanText(text);
      const { subject } = scan;
      const found = new Set<string>();
      if (spacedPattern) {
        for (let index = nextSpaced(spacedPattern, nextStart!, scan.subject, 0); index !== -1; ) {
          const term = termOf(subject.slice(index, matchEnd));
          if (term) found.add(term);
          index = nextSpaced(spacedPattern, nextStart!, subject, matchEnd);
        }
      }
      if (mayHoldUnspaced(scan)) for (const term of unspaced) if (lowerOf(scan).includes(term)) found.add(term);
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

/**
 * Which of several term lists a text holds a term of, as {@link termMatcher}'s `test` of each would
 * say, the text read once: one pattern of all their terms finds every word start where a term of
 * some list matches, and each list not found yet is tried there. Bit i of the answer is list i.
 */
export function termListsTest(lists: readonly (readonly string[])[]): (text: string) => number {
  if (lists.length > 30) throw new RangeError('at most 30 term lists');
  const parts = lists.map(compileTerms);
  const all = compileTerms(lists.flat());
  let spacedLists = 0;
  parts.forEach((part, list) => {
    if (part.spacedPattern) spacedLists |= 1 << list;
  });
  return (text: string): number => {
    const scan = scanText(text);
    const { subject } = scan;
    let found = 0;
    if (all.spacedPattern && all.nextStart) {
      // A term of some list matches at each index found (the pattern of all terms matches there
      // exactly when one list's pattern does), so every start where any list matches is visited.
      let index = nextSpaced(all.spacedPattern, all.nextStart, subject, 0);
      while (index !== -1 && (spacedLists & ~found) !== 0) {
        for (let list = 0; list < parts.length; list++) {
          const pattern = parts[list]!.spacedPattern;
          if (pattern === undefined || (found & (1 << list)) !== 0) continue;
          pattern.lastIndex = index;
          if (pattern.test(subject)) found |= 1 << list;
        }
        index = nextSpaced(all.spacedPattern, all.nextStart, subject, index + 1);
      }
    }
    for (let list = 0; list < parts.length; list++) {
      if ((found & (1 << list)) === 0 && holdsUnspaced(scan, parts[list]!.unspaced)) found |= 1 << list;
    }
    return found;
  };
}
