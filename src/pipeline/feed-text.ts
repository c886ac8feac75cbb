/**
 * What a feed puts around an item's prose, taken out before the text becomes sentences:
 *
 * - **markup written as text**: an Atom `<summary>` without `type`, or a description escaped once
 *   too often, holds HTML as characters ("Type: x&lt;br/&gt;Likes: 3"); text that is HTML once its
 *   entities are decoded is sanitised as HTML (a few layers at most);
 * - **metadata lines**: `Key: value` lines ("Score: 173", "Downloads: 85,549", "By: xnx",
 *   "Comments URL: …", 「作者：张三」) become fields: counters go to `Item.engagement`, a `By:`
 *   line to the authors, the rest is dropped from the prose;
 * - **boilerplate**: feed footers and calls to action ("The post X appeared first on Y",
 *   "Continue reading", "Read more", "[…]", share/subscribe lines, cookie notices, a lone
 *   "Comments" link, 「阅读原文」「点击查看原文」「转载请注明出处」).
 *
 * Everything here works on lines of plain text (what `htmlToText` gives: block elements and `<br>`
 * end a line), whatever the feed.
 */
import { decodeHTML } from 'entities';
import { cleanText, htmlToText, isAscii } from '../core/sanitize.js';
import type { Engagement } from '../core/types.js';

/** Tags that only HTML writes: a text holding two of them (or a closing one) is markup. */
const HTML_TAG =
  /<\/?(?:a|abbr|b|blockquote|br|code|div|em|figure|figcaption|font|h[1-6]|hr|i|img|li|ol|p|pre|span|strong|sub|sup|table|td|th|tr|u|ul|iframe|script|style|svg|video|source|picture)(?:\s[^<>]{0,2000})?\/?>/gi;
/** Layers of escaping undone at most. */
const MAX_MARKUP_LAYERS = 3;

/** Whether `text` is HTML markup (not prose that mentions one tag, such as "the <div> element"). */
export function looksLikeHtml(text: string): boolean {
  if (!text.includes('<')) return false;
  const sample = text.slice(0, 200_000);
  let count = 0;
  for (const match of sample.matchAll(HTML_TAG)) {
    count++;
    if (count >= 2 || match[0].startsWith('</') || /^<(?:br|p|a\s|img\s)/i.test(match[0])) return true;
  }
  return false;
}

/**
 * Plain text from text that may be markup, possibly escaped (once or more): each layer that is
 * HTML, as is or once its entities are decoded, is sanitised; plain text comes back as it was.
 */
export function unwrapMarkup(text: string): string {
  let current = text;
  for (let layer = 0; layer < MAX_MARKUP_LAYERS; layer++) {
    if (looksLikeHtml(current)) current = htmlToText(current);
    else if (current.includes('&') && /&(?:lt|#0*60|#x0*3c);/i.test(current) && looksLikeHtml(decodeHTML(current))) {
      current = htmlToText(decodeHTML(current));
    } else break;
  }
  return current;
}

// ---------------------------------------------------------------------------------------------
// Metadata lines

type CounterKey = 'points' | 'comments' | 'likes' | 'downloads' | 'stars' | 'upvotes';

/** Labels of counters, as feeds write them (lower-case, inner spaces single). */
const COUNTER_LABELS: Record<string, CounterKey> = {
  points: 'points',
  point: 'points',
  score: 'points',
  karma: 'points',
  comments: 'comments',
  comment: 'comments',
  '# comments': 'comments',
  'comment count': 'comments',
  'num comments': 'comments',
  replies: 'comments',
  评论: 'comments',
  评论数: 'comments',
  likes: 'likes',
  like: 'likes',
  hearts: 'likes',
  点赞: 'likes',
  赞: 'likes',
  downloads: 'downloads',
  download: 'downloads',
  'downloads last month': 'downloads',
  下载: 'downloads',
  下载量: 'downloads',
  stars: 'stars',
  star: 'stars',
  upvotes: 'upvotes',
  votes: 'upvotes',
};
const AUTHOR_LABELS = new Set(['by', 'author', 'authors', 'posted by', 'submitted by', 'written by', '作者']);
/** Labels that only ever name a field of the item, never start a sentence. */
const FIELD_LABELS = new Set([
  'type',
  'task',
  'pipeline',
  'pipeline tag',
  'library',
  'license',
  'tags',
  'tag',
  'category',
  'categories',
  'article url',
  'comments url',
  'article',
  'url',
  'link',
  'links',
  'permalink',
  'discussion',
  'discuss',
  'source',
  'via',
  'published',
  'posted',
  'posted on',
  'date',
  'updated',
  'last updated',
  'created',
  'parameters',
  'params',
  'size',
  'model size',
  'language',
  'languages',
  'announce type',
  'keywords',
  'filed under',
  'topics',
  'read time',
  'reading time',
  '标签',
  '分类',
  '来源',
  '链接',
  '原文链接',
  '原文地址',
  '发布时间',
  '时间',
  '日期',
  '责任编辑',
  '编辑',
  '关键词',
]);
/** A `Label: value` line; the label is a few words and no sentence. */
const LABELLED_LINE = /^([#\p{L}][\p{L}\p{N}#. _/-]{0,30}?)\s*[:：]\s*(.*)$/u;
/** Where a known label starts inside a line ("Score: 3 | Comments: 4" on one line). */
const INLINE_LABEL = new RegExp(
  `(?:^|[\\s|·•,;，；])(${[...Object.keys(COUNTER_LABELS), ...AUTHOR_LABELS, ...FIELD_LABELS]
    .sort((a, b) => b.length - a.length)
    .map((label) => label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '\\s+'))
    .join('|')})\\s*[:：]`,
  'giu',
);

/** INLINE_LABEL matched only where it is tried (lastIndex). */
const INLINE_LABEL_AT_START = new RegExp(INLINE_LABEL.source, 'iuy');

function labelKey(label: string): string {
  return label.toLowerCase().replace(/\s+/g, ' ').trim();
}

/** A counter as written: "85,549", "1 234", "1.2k", "3.4M", "1.2万"; undefined when it is not one. */
export function parseCount(value: string): number | undefined {
  const match = /^\s*(\d{1,3}(?:[, _]\d{3})+|\d+)(?:\.(\d+))?\s*([kmb]|千|万|亿)?(?![\p{L}\p{N}])/iu.exec(value);
  if (!match) return undefined;
  const whole = Number((match[1] ?? '').replace(/[, _]/g, ''));
  const number = Number(`${whole}.${match[2] ?? '0'}`);
  const unit = (match[3] ?? '').toLowerCase();
  const scale =
    unit === 'k' || unit === '千'
      ? 1e3
      : unit === '万'
        ? 1e4
        : unit === 'm'
          ? 1e6
          : unit === 'b' || unit === '亿'
            ? unit === 'b'
              ? 1e9
              : 1e8
            : 1;
  if (scale === 1 && match[2] !== undefined) return undefined;
  const result = Math.round(number * scale);
  return Number.isFinite(result) && result >= 0 ? result : undefined;
}

const DIGIT = /\d/;

/** Field-like pairs of one trimmed line, when every part of it is a known `Label: value`; else undefined. */
function knownPairs(line: string): [string, string][] | undefined {
  // Every label ends in a colon.
  if (!line.includes(':') && !line.includes('：')) return undefined;
  // The line is trimmed, so its first label must start it: a line that does not start with one is
  // not read further.
  INLINE_LABEL_AT_START.lastIndex = 0;
  if (!INLINE_LABEL_AT_START.test(line)) return undefined;
  const starts = [...line.matchAll(INLINE_LABEL)];
  const first = starts[0];
  if (!first || line.slice(0, first.index).trim() !== '') return undefined;
  return starts.map((match, index) => {
    const valueStart = match.index + match[0].length;
    const valueEnd = starts[index + 1]?.index ?? line.length;
    return [labelKey(match[1] ?? ''), line.slice(valueStart, valueEnd).replace(/^[\s|·•,;，；]+|[\s|·•,;，；]+$/g, '')];
  });
}

/** A `Label: value` line of unknown label that could be a field (short value, not a sentence). */
function isFieldLike(line: string): boolean {
  if (!line.includes(':') && !line.includes('：')) return false;
  const match = LABELLED_LINE.exec(line);
  if (!match) return false;
  const label = match[1] ?? '';
  const value = match[2] ?? '';
  if (label.split(/\s+/).length > 3 || value.length > 80 || /^\/\//.test(value)) return false;
  return !/[.!?。！？]$/.test(value) || /^https?:\/\/\S+$/.test(value);
}

/** A value that reads as a sentence of its own ("the company said it will …"), not a field. */
function isSentenceLike(value: string): boolean {
  if (value.length > 200) return true;
  const words = value.split(/\s+/).filter((word) => word !== '').length;
  return words >= 6 && /[.!?。！？]["”’)]?$/.test(value);
}

/**
 * A count and its unit ("54,665 stars", "1,062 stars today", "412 comments", "1.2k likes"). Gains
 * of a week or a month are read (so the line is recognised) but kept: only a day's gain is `starsGained`.
 */
const COUNT_PHRASE =
  /(\d{1,3}(?:[, _]\d{3})+|\d+(?:\.\d+)?\s*[km万]?)\s*(stars?\s+(?:today|this\s+week|this\s+month)|stars?|points?|comments?|likes?|downloads?|upvotes?|forks?)(?![\p{L}\p{N}])/giu;

/**
 * The counters of a line made of counts and their units alone, with symbols between them
 * ("⭐ 54,665 stars 📈 1,062 stars today", "1,172 points · 412 comments"); undefined when the line
 * holds any other word (then it is prose: "The repo passed 50,000 stars").
 */
export function counterLine(line: string): Engagement | undefined {
  // Every count has a digit.
  if (!/\d/.test(line)) return undefined;
  const engagement: Engagement = {};
  let found = false;
  for (const match of line.matchAll(COUNT_PHRASE)) {
    const count = parseCount((match[1] ?? '').replace(/\s+/g, ''));
    if (count === undefined) return undefined;
    found = true;
    const unit = (match[2] ?? '').toLowerCase().replace(/\s+/g, ' ');
    const key: keyof Engagement | undefined = unit.endsWith('today')
      ? 'starsGained'
      : / (?:week|month)$/.test(unit) || unit.startsWith('fork')
        ? undefined
        : unit.startsWith('star')
          ? 'stars'
          : unit.startsWith('point')
            ? 'points'
            : unit.startsWith('comment')
              ? 'comments'
              : unit.startsWith('like')
                ? 'likes'
                : unit.startsWith('download')
                  ? 'downloads'
                  : 'upvotes';
    if (key && engagement[key] === undefined) engagement[key] = count;
  }
  if (!found || /[\p{L}\p{N}]/u.test(line.replace(COUNT_PHRASE, ' '))) return undefined;
  return engagement;
}

export interface ExtractedFields {
  /** The prose, without the metadata lines. */
  text: string;
  /** Counters found in metadata lines. */
  engagement: Engagement;
  /** Names from a `By:` / `Author:` / 「作者：」 line. */
  authors: string[];
}

/** A counter of a metadata line into `engagement` (the first one wins), or the names of a `By:` line into `authors`. */
function takeField(label: string, value: string, engagement: Engagement, authors: string[]): void {
  const counter = COUNTER_LABELS[label];
  if (counter) {
    const count = parseCount(value);
    if (count !== undefined && engagement[counter] === undefined) engagement[counter] = count;
    return;
  }
  if (AUTHOR_LABELS.has(label)) {
    for (const name of value.split(/\s*(?:,|、|，|;|\band\b|&)\s*/)) {
      const trimmed = name.trim();
      if (trimmed !== '' && trimmed.length <= 100 && !/^https?:/i.test(trimmed)) authors.push(trimmed);
    }
  }
}

/**
 * Takes metadata lines out of plain text: a line made only of known labels and their values
 * ("Score: 173", "Points: 10 | Comments: 4", "By: xnx", "Comments URL: …"), and runs of two or
 * more `Label: short value` lines of any label. Counters become engagement, `By:` names authors.
 */
export function extractMetadata(text: string): ExtractedFields {
  return extractFields(text, false);
}

/**
 * `extractMetadata`; `clean`: `text` is already what `cleanText` gives, so when no line is taken
 * out it comes back as it is (`cleanText` of a clean text is that text).
 */
function extractFields(text: string, clean: boolean): ExtractedFields {
  const engagement: Engagement = {};
  const authors: string[] = [];
  // Every label ends in a colon and every count has a digit: a text without either (many short
  // ones) has no metadata line, and comes back as the general path below gives it back.
  if (!text.includes(':') && !text.includes('：') && !DIGIT.test(text)) {
    return { text: clean ? text : cleanText(text), engagement, authors };
  }
  const lines = text.split('\n');
  const drop = new Array<boolean>(lines.length).fill(false);
  lines.forEach((line, index) => {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.length > 400) return;
    const pairs = knownPairs(trimmed);
    // A known label whose value is a whole sentence ("Source: the company said …") stays prose.
    if (pairs?.every(([label, value]) => COUNTER_LABELS[label] !== undefined || !isSentenceLike(value))) {
      for (const [label, value] of pairs) takeField(label, value, engagement, authors);
      drop[index] = true;
      return;
    }
    // Counts and their units alone: "⭐ 54,665 stars 📈 1,062 stars today".
    const counters = pairs ? undefined : counterLine(trimmed);
    if (counters) {
      for (const [key, count] of Object.entries(counters) as [keyof Engagement, number][]) {
        if (engagement[key] === undefined) engagement[key] = count;
      }
      drop[index] = true;
    }
  });
  // Runs of field-like lines with labels of any kind ("Pipeline: text-generation", "Size: 7B").
  for (let index = 0; index < lines.length; ) {
    let end = index;
    while (end < lines.length && (drop[end] || isFieldLike((lines[end] ?? '').trim()))) end++;
    const fieldLines = end - index;
    if (fieldLines >= 2) for (let at = index; at < end; at++) drop[at] = true;
    index = Math.max(end, index + 1);
  }
  const unique = [...new Set(authors)];
  if (clean && !drop.includes(true)) return { text, engagement, authors: unique };
  const kept = lines.filter((_, index) => !drop[index]);
  return { text: cleanText(kept.join('\n')), engagement, authors: unique };
}

// ---------------------------------------------------------------------------------------------
// Boilerplate

/** Whole lines that are a feed's footer or a call to action in English, never prose. */
const ENGLISH_BOILERPLATE_LINES: RegExp[] = [
  /^the post\b.{1,400}\bappeared first on\b.{1,200}$/i,
  /^(?:this|the) (?:article|post|story|entry) (?:was )?(?:originally |first )?(?:appeared|published|posted)\b.{0,200}$/i,
  /^(?:continue reading|keep reading|read more|read on|read the (?:full|rest|original|entire|whole)\b|read full\b|full (?:story|article|post)\b|view (?:the )?(?:full |original )?(?:article|story|post)\b|click here\b|learn more\b|see more\b|more\s*(?:»|›|→|\.\.\.|…)).{0,100}$/i,
  /^(?:\d+\s+)?(?:comments?|discuss(?:ion)?|leave a (?:comment|reply)|add a comment|permalink|reply)\s*(?:»|›|→|\(\d+\))?$/i,
  /^(?:share|share this(?: article| post| story)?|share on \w+|tweet(?: this)?|email|print|like this|follow us|subscribe|sign up|join (?:our|the) (?:newsletter|mailing list))\b.{0,100}$/i,
  /^(?:related(?: articles| posts| stories)?|you (?:may|might) also like|recommended(?: for you)?|advertisement|sponsored(?: content)?|tags?)\s*:?$/i,
];
/** ENGLISH_BOILERPLATE_LINES as one alternation (each alternative anchored on its own): one regex call, not six. */
const ENGLISH_BOILERPLATE_LINE = new RegExp(
  ENGLISH_BOILERPLATE_LINES.map((pattern) => `(?:${pattern.source})`).join('|'),
  'i',
);
/** A line of an ellipsis alone. */
const ELLIPSIS_LINE = /^[[(]?(?:…|\.{3}|&hellip;)[\])]?$/;
/** Chinese footers and calls to action: each holds a character beyond ASCII. */
const CHINESE_BOILERPLATE_LINES: RegExp[] = [
  /^(?:阅读原文|点击查看原文|点击查看|查看原文|原文链接|展开全文|继续阅读|阅读全文|点击阅读|阅读更多|查看更多|更多精彩|相关阅读|推荐阅读|延伸阅读|扫码关注|长按识别|长按二维码|关注我们|欢迎关注|点击关注|分享到|点击上方|点击下方|点个在看|点赞在看)/,
  /转载请注明|未经(?:许可|授权).{0,12}(?:转载|使用|禁止)|版权(?:归.{1,20}所有|所有)|本文(?:来自|转载自|经授权转载|首发于|系.{0,10}原创)|原标题[:：]|(?:题图|封面)来[自源]/,
];
/** A cookie notice, anywhere in a line (a boilerplate line too). */
const COOKIE_NOTICE =
  /\b(?:we use cookies|this (?:web)?site uses cookies|cookie (?:policy|settings|preferences|notice)|accept (?:all )?cookies)\b/i;
/** What every COOKIE_NOTICE holds: a line without it is not searched for the longer pattern (a slower scan). */
const COOKIE_CLUE = /cookie/i;
/** Markers at the end of a line that follow the text they cut short ("… [Read more]", "[…]"). */
const TRAILING_MARKERS: RegExp[] = [
  /\s*\[(?:…|\.{3}|&hellip;|&#8230;)\]\s*$/,
  /\s*\[(?:read|continue|see) (?:more|reading)[^\]\n]{0,60}\]\s*$/i,
  /(?<=[.!?…。)\]"”]|^)\s*\(?(?:continue reading|read more|keep reading|read the full (?:story|article|post))(?:\s+["“][^"”\n]{1,160}["”])?\s*(?:»|›|→|\.{3}|…)?\)?\s*$/i,
  /\s*(?:阅读原文|点击查看原文|查看原文|阅读全文|继续阅读|点击查看)\s*[>›»→]*\s*$/,
];
/** A "The post X appeared first on Y." footer glued to the end of a paragraph. */
const TRAILING_FOOTER = /\s*\bThe post\b.{1,400}?\bappeared first on\b[^\n]{1,200}?\.?\s*$/i;
/** What any of TRAILING_MARKERS or TRAILING_FOOTER needs to find in a line: a line without it keeps its end. */
const TRAILING_CLUE =
  /\[|continue reading|read more|keep reading|read the full|the post|阅读原文|点击查看|查看原文|阅读全文|继续阅读/i;

/** TRAILING_CLUE matched only where it is tried (lastIndex). */
const CLUE_AT = new RegExp(TRAILING_CLUE.source, 'iy');
/**
 * The English part of every clue: each clue holds "read", "post", "[", 阅 or 查 (matched with the
 * same case rule). Two literals of four letters are found by skipping ahead (a clue alternation,
 * or one holding "[", is tried at every character: several times slower).
 */
const READ_OR_POST = /read|post/i;
const READS_AND_POSTS = /read|post/gi;
/** The furthest "read", "post", 阅 or 查 lies from the start of a clue holding it ("continue reading"). */
const MAX_PART_OFFSET = 9;
/** What linesWithClue gives for a text without a clue (read only). */
const NO_LINES: ReadonlySet<number> = new Set();

/** Adds to `starts` where each clue that may hold the part found at `index` of `text` starts. */
function cluesAround(text: string, index: number, starts: number[]): void {
  for (let start = Math.max(0, index - MAX_PART_OFFSET); start <= index; start++) {
    CLUE_AT.lastIndex = start;
    if (CLUE_AT.test(text)) starts.push(start);
  }
}

/**
 * The indexes of the lines of `text` in which TRAILING_CLUE matches. Every clue holds one of its
 * parts ("[", 阅, 查: searched as characters; "read", "post": READS_AND_POSTS, whose matches never
 * overlap, so each one is found) at most MAX_PART_OFFSET characters from its start: clues are
 * looked for there alone. No clue holds a line break, so a clue lies on the line where it starts.
 */
function linesWithClue(text: string): ReadonlySet<number> {
  const starts: number[] = [];
  for (let at = text.indexOf('['); at !== -1; at = text.indexOf('[', at + 1)) starts.push(at);
  for (const part of ['阅', '查']) {
    for (let at = text.indexOf(part); at !== -1; at = text.indexOf(part, at + 1)) cluesAround(text, at, starts);
  }
  if (READ_OR_POST.test(text)) {
    for (const match of text.matchAll(READS_AND_POSTS)) cluesAround(text, match.index, starts);
  }
  if (starts.length === 0) return NO_LINES;
  starts.sort((a, b) => a - b);
  const lines = new Set<number>();
  let line = 0;
  let counted = 0;
  for (const start of starts) {
    for (let at = text.indexOf('\n', counted); at !== -1 && at < start; at = text.indexOf('\n', at + 1)) line++;
    counted = start;
    lines.add(line);
  }
  return lines;
}

/** Whether a whole line is boilerplate. */
export function isBoilerplateLine(line: string): boolean {
  const trimmed = line.trim();
  if (trimmed.length > 400) return false;
  return (
    ENGLISH_BOILERPLATE_LINE.test(trimmed) ||
    ELLIPSIS_LINE.test(trimmed) ||
    (COOKIE_CLUE.test(trimmed) && COOKIE_NOTICE.test(trimmed)) ||
    // A line of ASCII alone (most lines of most feeds) is no Chinese footer.
    (!isAscii(trimmed) && CHINESE_BOILERPLATE_LINES.some((pattern) => pattern.test(trimmed)))
  );
}

/** Removes boilerplate lines, and footers and "read more" markers at the ends of lines. */
export function removeBoilerplate(text: string): string {
  return withoutBoilerplate(text, false);
}

/** `removeBoilerplate`; `clean` as in `extractFields`: a clean text with nothing removed comes back as it is. */
function withoutBoilerplate(text: string, clean: boolean): string {
  const kept: string[] = [];
  let changed = false;
  const clueLines = linesWithClue(text);
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] as string;
    if (isBoilerplateLine(line)) {
      changed = true;
      continue;
    }
    let cleaned = line;
    for (let pass = 0; pass < 3 && (pass === 0 ? clueLines.has(index) : TRAILING_CLUE.test(cleaned)); pass++) {
      const next = TRAILING_MARKERS.reduce(
        (current, pattern) => current.replace(pattern, ''),
        cleaned.replace(TRAILING_FOOTER, ''),
      );
      if (next === cleaned) break;
      cleaned = next;
    }
    if (cleaned !== line) changed = true;
    if (cleaned.trim() !== '' || line.trim() === '') kept.push(cleaned);
  }
  if (clean && !changed) return text;
  return cleanText(kept.join('\n'));
}

/**
 * TeX's escaped characters as the characters they stand for: paper abstracts (arXiv, Hugging Face
 * papers) write "50\%", "R\&D", "pass\_at\_k", which no reader should see.
 */
export function withoutTexEscapes(text: string): string {
  if (!text.includes('\\')) return text;
  return text.replace(/(?<!\\)\\([%&_#$])/g, '$1');
}

/**
 * An item's body as prose: markup unwrapped, metadata lines turned into fields, boilerplate
 * removed. `text` is clean plain text: what `htmlToText` or `cleanText` gives (sanitised from HTML
 * once, or written as plain text); the result is clean too.
 */
export function cleanFeedText(text: string): ExtractedFields {
  // Each step gives clean text (cleanText or htmlToText last), and dropping TeX backslashes keeps it clean.
  const fields = extractFields(withoutTexEscapes(unwrapMarkup(text)), true);
  // extractFields made `fields` for this call alone.
  fields.text = withoutBoilerplate(fields.text, true);
  return fields;
}
