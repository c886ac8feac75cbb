/**
 * Count words that count the sentence's own cited items: "另有两篇论文…" citing two papers,
 * "OpenAI 今天有两条消息" citing two posts, "three releases" citing three. Such a count is not a
 * fact of any one excerpt; it is supported when it does not exceed the number of cited items of
 * its kind (distinct items, not excerpts: two excerpts of one article are one item).
 *
 * A count of items is a number (digits, an English number word, a Chinese numeral) followed by
 * - a measure word for pieces of writing or news (篇, 条, 项, 则, 份), or
 * - a measure word (个, 款, 家, 部) or nothing (English), up to two words ("new", "customer", "开源"),
 *   and a noun for an item: papers, studies, posts, updates, releases, models, tools, projects,
 *   repositories, 论文, 研究, 消息, 新闻, 发布, 更新, 模型, 工具, 项目, ….
 * Papers ("两篇论文", "two papers", "三项研究") and other items are both held to the distinct cited
 * items (see {@link itemLimit}). Every other number stays strict: it must be in a cited excerpt.
 *
 * Pure functions of the text.
 */
import type { Quantity } from './numbers.js';

/** 'writing': papers, articles, posts, news (only the cited items can be counted so); 'item': anything else. */
export type ItemKind = 'paper' | 'writing' | 'item';

const PAPER_NOUN = /^(?:论文|研究|papers?|studies|study|preprints?)$/i;
const WRITING_NOUN =
  /^(?:文章|消息|新闻|报道|帖子|公告|动态|articles|stories|posts|items|news items|pieces of news|reports|announcements|updates)$/i;
const ZH_WRITING_MEASURE = /(?:篇|条|项|则|份)$/u;
const ZH_MEASURE_AFTER_DIGITS = /^\s*(篇|条|项|则|份|个|款|家|部)/u;
const ZH_NOUN =
  /^(?:[新的其他另外不同重要相关开源独立最新热门\s]|AI){0,4}(论文|研究|消息|新闻|发布|更新|公告|报道|动态|进展|成果|工作|项目|模型|产品|工具|仓库|文章|帖子|版本|故事)/u;
const EN_NOUN =
  /^\s+(?:[a-z][a-z-]*\s+){0,2}(papers?|studies|preprints?|articles|stories|posts|items|updates|announcements|releases|launches|reports|models|products|tools|projects|repositories|repos|news items|pieces of news)\b/i;

/**
 * The kind of item a quantity counts, or undefined when it is not a count of items. `text` is the
 * normalised sentence the quantity was read from (its `index` points into it).
 */
export function itemCountKind(quantity: Quantity, text: string): ItemKind | undefined {
  if (quantity.unit !== '' || quantity.high !== undefined || quantity.index === undefined) return undefined;
  if (!Number.isInteger(quantity.low) || quantity.low < 1) return undefined;
  const after = text.slice(quantity.index + quantity.text.length);
  const kindOf = (noun: string | undefined): ItemKind =>
    noun === undefined ? 'item' : PAPER_NOUN.test(noun) ? 'paper' : WRITING_NOUN.test(noun) ? 'writing' : 'item';
  if (/[\u4e00-\u9fff]$/u.test(quantity.text)) {
    // A Chinese count: "两篇", "三个".
    const noun = ZH_NOUN.exec(after)?.[1];
    if (ZH_WRITING_MEASURE.test(quantity.text)) return kindOf(noun);
    return noun === undefined ? undefined : kindOf(noun);
  }
  const measure = ZH_MEASURE_AFTER_DIGITS.exec(after);
  if (measure !== null) {
    const rest = after.slice(measure[0].length);
    const noun = ZH_NOUN.exec(rest)?.[1];
    if (ZH_WRITING_MEASURE.test(measure[1] ?? '')) return kindOf(noun);
    return noun === undefined ? undefined : kindOf(noun);
  }
  const english = EN_NOUN.exec(after);
  return english === null ? undefined : kindOf(english[1]);
}

/**
 * How many things a count of this kind may count among the cited items (their texts, one per
 * item): every distinct cited item. A paper cannot be told from a news post about it by the
 * excerpt text alone (a title, a source name, an abstract or a report of one), so "两篇论文" is
 * held to the cited items like "两条消息"; what it cannot exceed is what the sentence cites.
 */
export function itemLimit(_kind: ItemKind, itemTexts: readonly string[]): number {
  return itemTexts.length;
}
