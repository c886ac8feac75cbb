/**
 * The AI keyword matcher shared by the Hacker News and GitHub connectors: a title or description
 * is "about AI" when it contains one of the keywords as a whole word (case-insensitive).
 */
import { AI_TERMS } from '../core/ai-terms.js';

/** Default keywords: the project's one AI vocabulary (src/core/ai-terms.ts). */
export const DEFAULT_AI_KEYWORDS: readonly string[] = AI_TERMS;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Scripts written without spaces between words: there a keyword matches anywhere. */
const UNSPACED_SCRIPT = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;

/**
 * Builds one case-insensitive regular expression for the keywords. A keyword matches as a whole
 * word: not preceded or followed by a letter or digit, an optional plural "s" allowed ("LLMs",
 * "agents"). Spaces and hyphens inside a keyword match any run of spaces or hyphens. Chinese and
 * Japanese keywords ("大模型") match anywhere, as those scripts do not separate words.
 */
export function keywordPattern(keywords: readonly string[]): RegExp | undefined {
  const alternatives = keywords
    .map((keyword) => keyword.trim().toLowerCase())
    .filter((keyword) => keyword.length > 0)
    .map((keyword) => {
      const body = keyword
        .split(/[\s-]+/)
        .map(escapeRegExp)
        .join('[\\s-]+');
      return UNSPACED_SCRIPT.test(keyword) ? body : `(?<![\\p{L}\\p{N}])${body}s?(?![\\p{L}\\p{N}])`;
    });
  if (alternatives.length === 0) return undefined;
  return new RegExp(alternatives.join('|'), 'iu');
}

/**
 * Returns a predicate that tells whether any of the texts mentions one of the keywords.
 * An empty keyword list matches everything (no filter).
 */
export function createKeywordMatcher(keywords: readonly string[]): (...texts: (string | undefined)[]) => boolean {
  const pattern = keywordPattern(keywords);
  if (!pattern) return () => true;
  return (...texts) => texts.some((text) => text !== undefined && pattern.test(text));
}
