/**
 * The AI keyword matcher shared by the Hacker News and GitHub connectors: a title or description
 * is "about AI" when it contains one of the keywords as a whole word (case-insensitive).
 */
import { AI_TERMS, isAiFieldLink, namesAiModel, speaksAi } from '../core/ai-terms.js';
import { termMatcher } from '../core/term-matcher.js';

/** Default keywords: the project's one AI vocabulary (src/core/ai-terms.ts). */
export const DEFAULT_AI_KEYWORDS: readonly string[] = AI_TERMS;

/**
 * Returns a predicate that tells whether any of the texts mentions one of the keywords (whole
 * words, plural allowed, Chinese anywhere: src/core/term-matcher.ts). An empty keyword list
 * matches everything (no filter).
 */
export function createKeywordMatcher(keywords: readonly string[]): (...texts: (string | undefined)[]) => boolean {
  const matcher = termMatcher(keywords);
  if (keywords.every((keyword) => keyword.trim() === '')) return () => true;
  return (...texts) => texts.some((text) => text !== undefined && matcher.test(text));
}

/**
 * The keyword matcher that also knows the field when the keywords are about AI (the default):
 * a link to an AI lab, model hub or AI organisation's repository, or a title naming a model
 * ("MiniMax-M2.7", "Yi-34B-Chat"), is about AI whatever its words (src/core/ai-terms.ts).
 */
export function createItemMatcher(
  keywords: readonly string[],
): (item: { title: string; url?: string }, ...texts: (string | undefined)[]) => boolean {
  const matches = createKeywordMatcher(keywords);
  const field = speaksAi(keywords);
  return (item, ...texts) =>
    matches(item.title, ...texts) || (field && (isAiFieldLink(item.url) || namesAiModel(item.title)));
}
