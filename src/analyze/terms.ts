/**
 * Terms: the whole words of mixed Chinese/English text that "rising topics" and the report tags
 * count. Chinese runs are segmented with a real segmenter (jieba, with the AI vocabulary added to
 * its dictionary), so that 阿里巴巴 is one word and never 「巴巴」 or 「里巴」; Latin words keep their
 * versions ("gpt-5.6") and fold case and plural ("Agents", "agents" and "Agent" are one term).
 */
import { createRequire } from 'node:module';
import type { DayTerms } from '../core/run.js';
import { isAscii, nfkc } from '../core/sanitize.js';
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
    "read more here s t re ve ll d m don isn aren doesn didn can't won " +
    // Words that headlines use about anything: never a topic on their own.
    'future partner partnership driving drive announce announcing announced introducing introduce launch launches ' +
    'launched update updates better best big help helps how why what now time thing things part show shows build ' +
    'building built work works working need needs want take takes look looks inside behind toward towards ' +
    'report reports news latest week weekly daily world people company companies team teams way year'
  ).split(/\s+/),
);

const CJK_STOPWORDS = new Set(
  (
    '我们 你们 他们 她们 它们 一个 一些 这个 那个 这些 那些 这样 那样 可以 没有 进行 以及 通过 已经 如何 什么 ' +
    '目前 其中 因为 所以 但是 而且 如果 就是 还是 或者 以上 以下 之后 之前 今天 今日 昨天 表示 认为 发布 宣布 ' +
    '推出 公司 方面 问题 时候 现在 这一 一种 不是 也是 都是 成为 能够 需要 对于 关于 来说 自己 所有 不同 更多 ' +
    '最新 相关 使用 提供 支持 实现 包括 可能 其他 时间 消息 全球 首个 首次 全新 重磅 一文 能力 功能 技术 行业 用户 ' +
    '版本 工具 系统 平台 产品 服务 领域 时代 未来 问题 方式 团队 世界 文章 报道 网友'
  ).split(/\s+/),
);

/**
 * AI entity words the segmenter's general dictionary lacks or splits ("千问", "智能体"), added to
 * it as proper nouns (tag nz) with a high frequency so that they win over their parts.
 */
export const AI_DICTIONARY_WORDS: readonly string[] = [
  '千问',
  '通义千问',
  '通义',
  '大模型',
  '大语言模型',
  '语言模型',
  '智能体',
  '多模态',
  '具身智能',
  '生成式',
  '强化学习',
  '机器学习',
  '深度学习',
  '人工智能',
  '推理模型',
  '开源模型',
  '世界模型',
  '扩散模型',
  '端侧模型',
  '算力',
  '英伟达',
  '月之暗面',
  '字节跳动',
  '深度求索',
  '文心一言',
  '文心',
  '豆包',
  '混元',
  '智谱',
  '阶跃星辰',
  '零一万物',
  '百川智能',
  '商汤',
  '科大讯飞',
  '讯飞星火',
  '可灵',
  '即梦',
  '元宝',
  '昇腾',
  '人形机器人',
  '机器人',
  '提示词',
  '微调',
  '文生图',
  '文生视频',
  '向量数据库',
  '自动驾驶',
  '芯片',
];

interface Segmenter {
  tag(sentence: string, hmm?: boolean): { tag: string; word: string }[];
}

let segmenter: Segmenter | undefined;

/** The jieba segmenter with its default dictionary and the AI words: loaded lazily, once. */
function chineseSegmenter(): Segmenter {
  if (!segmenter) {
    const require = createRequire(import.meta.url);
    const { Jieba } = require('@node-rs/jieba') as {
      Jieba: { withDict(dict: Uint8Array): Segmenter & { loadDict(dict: Uint8Array): void } };
    };
    const { dict } = require('@node-rs/jieba/dict') as { dict: Uint8Array };
    const jieba = Jieba.withDict(dict);
    jieba.loadDict(Buffer.from(AI_DICTIONARY_WORDS.map((word) => `${word} 100000 nz`).join('\n')));
    segmenter = jieba;
  }
  return segmenter;
}

/** Words that end in "s" without being plurals. */
const NOT_PLURAL =
  /(?:ss|us|is|ics|ous|news|series|species|always|perhaps|whereas|bias|alias|atlas|canvas|gas|chaos)$/u;

/** The one form of a Latin word: lower case, plural folded ("agents" → "agent", "LLMs" → "llm"). */
export function foldLatin(word: string): string {
  const lower = word.toLowerCase();
  if (!/^\p{Script=Latin}+$/u.test(lower) || lower.length <= 3 || !lower.endsWith('s')) {
    // Acronym plurals: "LLMs", "GPUs", "APIs".
    if (/^\p{Lu}{2,}s$/u.test(word)) return lower.slice(0, -1);
    return lower;
  }
  if (/^\p{Lu}{2,}s$/u.test(word)) return lower.slice(0, -1);
  if (NOT_PLURAL.test(lower)) return lower;
  if (lower.endsWith('ies') && lower.length > 4) return `${lower.slice(0, -3)}y`;
  if (/(?:sses|xes|ches|shes|zes)$/u.test(lower)) return lower.slice(0, -2);
  return lower.slice(0, -1);
}

/** One term of a text: its folded key and the form the text wrote it in. */
export interface Term {
  key: string;
  surface: string;
  /**
   * True when the word names something by its form: a proper noun to the segmenter (Chinese), a
   * mixed-case, all-capitals or versioned name (Latin: "OpenAI", "LLM", "GPT-5.6").
   */
  named: boolean;
}

const NAMED_TAGS = /^(?:nr|ns|nt|nz|nrt|nrfg|eng)$/u;

/** True for a Latin word whose spelling marks a name: inner capital, all capitals, or a version. */
export function looksNamed(word: string): boolean {
  return /\p{Ll}\p{Lu}/u.test(word) || /^\p{Lu}[\p{Lu}\p{Nd}]+s?$/u.test(word) || isVersionedName(word);
}

/** Han runs, Latin/other-letter words with versions ("GPT-5.6", "llama.cpp", "C++"), and the rest. */
const PIECES =
  /(\p{Script=Han}+)|((?:(?!\p{Script=Han})[\p{L}\p{Nd}])(?:(?!\p{Script=Han})[\p{L}\p{Nd}+]|[.\-_](?=(?!\p{Script=Han})[\p{L}\p{Nd}]))*)/gu;

/** {@link PIECES} in a text of ASCII alone: no Han run, and a letter or digit is an ASCII one. */
const ASCII_WORDS = /[A-Za-z0-9](?:[A-Za-z0-9+]|[.\-_](?=[A-Za-z0-9]))*/g;

/** Jieba tags of words that can be topics: nouns, proper nouns, nominal verbs, unknown words. */
const TOPIC_TAGS = /^(?:n|nr|ns|nt|nz|nrt|nrfg|vn|eng|x|j|l)$/u;

/** True for a term key worth counting: not a stopword, not a bare number, not one character. */
export function isMeaningfulTerm(key: string): boolean {
  if (ENGLISH_STOPWORDS.has(key) || CJK_STOPWORDS.has(key)) return false;
  if (/^[\p{Nd}.\-+_]+$/u.test(key)) return false;
  if ([...key].length < 2) return false;
  if (/^\p{Script=Latin}{2}$/u.test(key) && !/^(?:ai|ml|ar|vr|xr|ui|os)$/u.test(key)) return false;
  return true;
}

/**
 * Each meaningful term of `text`, in order, duplicates kept, handed to `visit`, which must neither
 * keep nor change a term it is given (a Latin word's term is remembered: {@link latinTerm}).
 */
function visitTerms(text: string, visit: (term: Term) => void): void {
  const clean = nfkc(text).replace(URL_PATTERN, ' ');
  if (isAscii(clean)) {
    for (const match of clean.matchAll(ASCII_WORDS)) {
      const term = latinTerm(match[0]);
      if (term) visit(term);
    }
    return;
  }
  for (const match of clean.matchAll(PIECES)) {
    if (match[1]) {
      for (const { word, tag } of chineseSegmenter().tag(match[1], true)) {
        if (!/^\p{Script=Han}{2,}$/u.test(word) || !TOPIC_TAGS.test(tag)) continue;
        if (isMeaningfulTerm(word)) visit({ key: word, surface: word, named: NAMED_TAGS.test(tag) });
      }
      continue;
    }
    const term = latinTerm(match[2]!);
    if (term) visit(term);
  }
}

/** The meaningful terms of `text`, in order, duplicates kept. */
export function extractTerms(text: string): Term[] {
  const out: Term[] = [];
  visitTerms(text, (term) => out.push({ ...term }));
  return out;
}

/**
 * What a Latin (or other non-Han) word gives as a term, or null: a pure function of the word, so it
 * is remembered; a day's titles repeat their words, and each costs several patterns. The memory is
 * emptied when it holds {@link LATIN_TERMS_KEPT} words, so a long-lived process keeps it bounded.
 */
function latinTerm(word: string): Term | null {
  let term = latinTerms.get(word);
  if (term === undefined) {
    const key = foldLatin(word);
    term =
      isMeaningfulTerm(key) && !ENGLISH_STOPWORDS.has(word.toLowerCase())
        ? { key, surface: word, named: looksNamed(word) }
        : null;
    if (latinTerms.size >= LATIN_TERMS_KEPT) latinTerms.clear();
    latinTerms.set(word, term);
  }
  return term;
}

const LATIN_TERMS_KEPT = 100_000;
const latinTerms = new Map<string, Term | null>();

/**
 * Lower-cased tokens of the pipeline's tokenizer (Latin words with versions, CJK bigrams, NFKC,
 * English function words out), with URLs removed first: what sentence similarity compares.
 */
export function tokens(text: string): string[] {
  return tokenize(text.replace(URL_PATTERN, ' '));
}

/** The distinct term keys of `text`. */
export function termKeys(text: string): Set<string> {
  const keys = new Set<string>();
  visitTerms(text, (term) => keys.add(term.key));
  return keys;
}

/** A word as {@link capitalisedWords} reads one: a longest run of letters and digits. */
const WORD_RUN = /[\p{L}\p{Nd}]+/gu;
/** What ends the text before a word written mid-sentence: a letter, digit, comma, semicolon, colon or ")", then space. */
const MID_SENTENCE_BEFORE = /[\p{L}\p{Nd},;:)]\s+$/u;
const CAPITALISED = /^\p{Lu}\p{Ll}+$/u;
const WORD_OF_RUN = /^[\p{L}\p{Nd}]+$/u;

/**
 * Whether a Latin word ("Nvidia") is written with a capital where a sentence does not start ("by
 * Nvidia and") in `texts`, and never in lower case: a proper noun. The texts are read once, into
 * the words they write mid-sentence and all the words they write; each word asked is then looked up.
 * A word is a whole run of letters and digits, as `(?<![\p{L}\p{Nd}])word(?![\p{L}\p{Nd}])` finds it.
 */
export function capitalisedWords(texts: readonly string[]): (surface: string) => boolean {
  const midSentence = new Set<string>();
  const written = new Set<string>();
  for (const text of texts) {
    let previousEnd = 0;
    for (const match of text.matchAll(WORD_RUN)) {
      const word = match[0];
      const start = match.index;
      written.add(word);
      // What lies between the word and the one before it, with that word's last character (two
      // code units when it is beyond the Basic Multilingual Plane).
      if (start > 0 && MID_SENTENCE_BEFORE.test(text.slice(Math.max(0, previousEnd - 2), start))) midSentence.add(word);
      previousEnd = start + word.length;
    }
  }
  return (surface: string): boolean => {
    if (!CAPITALISED.test(surface) || !midSentence.has(surface)) return false;
    const lower = surface.toLowerCase();
    // A lower case that is no whole run ("İ" lower-cased holds a combining mark) is looked for as written.
    if (!WORD_OF_RUN.test(lower)) {
      const pattern = new RegExp(`(?<![\\p{L}\\p{Nd}])${lower}(?![\\p{L}\\p{Nd}])`, 'u');
      return !texts.some((text) => pattern.test(text));
    }
    return !written.has(lower);
  };
}

/** What countTerms needs of an item. */
export interface TermSource {
  title: string;
  /** The source's own keywords and categories, when it gives them. */
  tags?: readonly string[];
  /** The source the item came from: recorded per term, so a baseline can be checked per source. */
  sourceId?: string;
}

/**
 * Term counts of one day: each meaningful term counted once per item, so a term's count is the
 * number of items that used it. Titles and the sources' own keywords say what an item is about;
 * body text is left out because its commonest words ("substantial", "information") are not topics.
 */
export function countTerms(items: readonly TermSource[], date = ''): DayTerms {
  // Per term: the items that used it, and the sources they came from (the last one apart, as
  // items of one source come in a row).
  const counts = new Map<string, { items: number; lastSource: string | undefined; sources: Set<string> }>();
  for (const item of items) {
    const text = item.tags === undefined || item.tags.length === 0 ? item.title : [item.title, ...item.tags].join('\n');
    const { sourceId } = item;
    for (const term of termKeys(text)) {
      const count = counts.get(term);
      if (count === undefined) {
        counts.set(term, {
          items: 1,
          lastSource: sourceId,
          sources: new Set(sourceId === undefined ? [] : [sourceId]),
        });
        continue;
      }
      count.items++;
      if (sourceId !== undefined && sourceId !== count.lastSource) {
        count.sources.add(sourceId);
        count.lastSource = sourceId;
      }
    }
  }
  const terms: Record<string, number> = {};
  const sorted = [...counts.keys()].sort();
  for (const term of sorted) terms[term] = counts.get(term)!.items;
  const day: DayTerms = { date, terms, items: items.length };
  if (items.some((item) => item.sourceId !== undefined)) {
    day.termSources = {};
    for (const term of Object.keys(terms)) day.termSources[term] = [...counts.get(term)!.sources].sort();
  }
  return day;
}

/** True when the token looks like a model or product name with a version ("gpt-5.6", "qwen4.5", "llama-3"). */
export function isVersionedName(token: string): boolean {
  return /\p{Script=Latin}/u.test(token) && /\p{Nd}/u.test(token) && token.length >= 3 && !/^\p{Nd}/u.test(token);
}
