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

export interface TermMatcher {
  /** Distinct terms found in `text`, as written in the term list, in the list's order. */
  matches(text: string): string[];
  /** Whether any term occurs in `text`. */
  test(text: string): boolean;
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
  const alternation = unique
    .filter((term) => !UNSPACED_SCRIPT.test(term))
    .sort((a, b) => b.length - a.length || (a < b ? -1 : 1))
    .map((term) =>
      term
        .split(/[\s-]+/)
        .map(escapeRegExp)
        .join('[\\s-]+'),
    )
    .join('|');
  // The pattern of a whole-word term, but for the word start: irregexp would test the lookbehind
  // `(?<!WORD_CHAR)` at every position of the text, so a candidate's start is checked after it is
  // found instead (`nextSpaced`), which finds the same matches.
  const spacedPattern = alternation
    ? new RegExp(`(?:${alternation})(?:s|${VERSION_SUFFIX})?(?!${WORD_CHAR})`, 'giu')
    : undefined;

  /** The next match at or after `from` that starts a word, as `(?<!WORD_CHAR)` + the pattern would find it. */
  const nextSpaced = (pattern: RegExp, lower: string, from: number): RegExpExecArray | null => {
    pattern.lastIndex = from;
    for (;;) {
      const match = pattern.exec(lower);
      if (match === null || !wordCharBefore(lower, match.index)) return match;
      // Not a word start: look again from the next character (a later match may overlap this one).
      const code = lower.codePointAt(match.index) ?? 0;
      pattern.lastIndex = match.index + (code > 0xffff ? 2 : 1);
    }
  };

  const termOf = (found: string): string | undefined => {
    const spelled = (text: string): string | undefined => {
      const key = spellingKey(text);
      return bySpelling.get(key) ?? (key.endsWith('s') ? bySpelling.get(key.slice(0, -1)) : undefined);
    };
    return spelled(found) ?? spelled(found.replace(VERSION_AT_END, ''));
  };

  return {
    matches(text: string): string[] {
      const lower = text.toLowerCase();
      const found = new Set<string>();
      if (spacedPattern) {
        for (let match = nextSpaced(spacedPattern, lower, 0); match !== null; ) {
          const term = termOf(match[0]);
          if (term) found.add(term);
          match = nextSpaced(spacedPattern, lower, match.index + match[0].length);
        }
        spacedPattern.lastIndex = 0;
      }
      for (const term of unspaced) if (lower.includes(term)) found.add(term);
      return [...found].sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
    },
    test(text: string): boolean {
      const lower = text.toLowerCase();
      if (spacedPattern) {
        const found = nextSpaced(spacedPattern, lower, 0) !== null;
        spacedPattern.lastIndex = 0;
        if (found) return true;
      }
      return unspaced.some((term) => lower.includes(term));
    },
  };
}
