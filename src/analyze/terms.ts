/**
 * Terms: tokens of mixed Chinese/English text (src/pipeline/tokenize.ts), what counts as a
 * meaningful term, and the per-day term counts that "rising topics" compares.
 */
import type { DayTerms } from '../core/run.js';
import { tokenize } from '../pipeline/tokenize.js';

const URL_PATTERN = /\b(?:https?:\/\/|www\.)\S+/giu;

const ENGLISH_STOPWORDS = new Set(
  (
    'a about above after again against all also am an and any are as at be because been before being below between ' +
    'both but by can could did do does doing down during each few for from further had has have having he her here ' +
    'hers him his how i if in into is it its itself just me more most my no nor not now of off on once only or other ' +
    'our ours out over own same she should so some such than that the their theirs them then there these they this ' +
    'those through to too under until up very was we were what when where which while who whom why will with would ' +
    'you your yours new use used using via get gets got make makes made one two three first next way ways like ' +
    'within without across today yesterday week day days year years says said say may might must shall let lets ' +
    'many much well even still yet ever every another per etc e.g i.e vs http https www com org html amp nbsp ' +
    "read more here s t re ve ll d m don isn aren doesn didn can't won"
  ).split(/\s+/),
);

const CJK_STOPWORDS = new Set(
  (
    '我们 你们 他们 她们 它们 一个 一些 这个 那个 这些 那些 这样 那样 可以 没有 进行 以及 通过 已经 如何 什么 ' +
    '目前 其中 因为 所以 但是 而且 如果 就是 还是 或者 以上 以下 之后 之前 今天 今日 昨天 表示 认为 发布 宣布 ' +
    '推出 公司 方面 问题 时候 现在 这一 一种 不是 也是 都是 成为 能够 需要 对于 关于 来说 的是 了一 是一 在一 ' +
    '中的 上的 和一 自己 所有 不同 更多 最新 相关 使用 提供 支持 实现 包括 可能 其他'
  ).split(/\s+/),
);

/** Function characters: a CJK bigram holding one is a fragment ("的模", "们的"), not a term. */
const CJK_FUNCTION_CHARACTERS = /[的了是在和与及也都就而把被着之其或并从对为以于等这那个们吗呢吧啊]/u;

/**
 * Lower-cased tokens of the pipeline's tokenizer (Latin words with versions, CJK bigrams, NFKC,
 * English function words out), with URLs removed first.
 */
export function tokens(text: string): string[] {
  return tokenize(text.replace(URL_PATTERN, ' '));
}

/** True for a token worth counting as a topic: not a stopword, not a bare number, not one letter. */
export function isMeaningfulToken(token: string): boolean {
  if (ENGLISH_STOPWORDS.has(token) || CJK_STOPWORDS.has(token)) return false;
  if (/^\p{Script=Han}{2}$/u.test(token) && CJK_FUNCTION_CHARACTERS.test(token)) return false;
  if (/^[\p{Nd}.\-+_]+$/u.test(token)) return false;
  if (/^\p{Script=Latin}$/u.test(token) || /^\p{Script=Han}$/u.test(token)) return false;
  return true;
}

/** Tokens of `text` without stopwords, bare numbers and single letters (duplicates kept). */
export function meaningfulTokens(text: string): string[] {
  return tokens(text).filter(isMeaningfulToken);
}

/** What countTerms needs of an item. */
export interface TermSource {
  title: string;
  /** The source's own keywords and categories, when it gives them. */
  tags?: readonly string[];
}

/**
 * Term counts of one day: each meaningful term counted once per item, so a term's count is the
 * number of items that used it. Titles and the sources' own keywords say what an item is about;
 * body text is left out because its commonest words ("substantial", "information") are not topics.
 */
export function countTerms(items: readonly TermSource[], date = ''): DayTerms {
  const counts = new Map<string, number>();
  for (const item of items) {
    const text = [item.title, ...(item.tags ?? [])].join('\n');
    for (const term of new Set(meaningfulTokens(text))) {
      counts.set(term, (counts.get(term) ?? 0) + 1);
    }
  }
  const terms: Record<string, number> = {};
  for (const term of [...counts.keys()].sort()) terms[term] = counts.get(term)!;
  return { date, terms, items: items.length };
}

/** True when the token looks like a model or product name with a version ("gpt-5.6", "qwen4.5", "llama-3"). */
export function isVersionedName(token: string): boolean {
  return /\p{Script=Latin}/u.test(token) && /\p{Nd}/u.test(token) && token.length >= 3 && !/^\p{Nd}/u.test(token);
}
