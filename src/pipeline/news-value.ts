/**
 * A story's genre and its news value: is it news of the day, or a kind of post that readers of a
 * daily report rank below news even when it is fresh, popular and on topic?
 *
 * | genre            | what                                                                         |
 * |------------------|------------------------------------------------------------------------------|
 * | `roundup`        | a digest of several headlines: 「AI日报：A；B；C」, "This week in AI", a     |
 * |                  | newsletter, "X, Y and more"                                                   |
 * | `podcast`        | a podcast or an episode                                                       |
 * | `publication`    | a publisher opening a publication of its own: "Introducing AI Futures, a new  |
 * |                  | OpenAI blog …", "Welcome to the X newsletter", 「推出全新专栏」                |
 * | `event`          | a webinar, workshop, session, livestream or registration notice, a           |
 * |                  | conference's own announcement: 「…大会：」「…峰会」                            |
 * | `guide`          | a how-to or tutorial: "How to build …", "A guide to …", 「…指南」「教程」     |
 * | `customer-story` | a customer story or case study: "How X uses …", "X cuts … by 68% using       |
 * |                  | ChatGPT", "… is helping financial firms …", 「…实践」, 「如何用…」            |
 * | `promotion`      | tips and shopping listicles, deals, advertorials: "5 tips for …", 「特惠」,   |
 * |                  | a post tagged sponsored / partner content / 推广 / 广告                        |
 * | `personnel`      | an appointment or an office opening: "names X General Manager of …"          |
 * | `repackaged`     | a re-upload of someone's model in another format: "-GGUF", "-FP8", "-MLX",   |
 * |                  | "uncensored", "abliterated"                                                   |
 * | `news`           | anything else                                                                 |
 *
 * Genres are read from an item's title, URL path and tags (a publication also from the opening
 * sentence of its text, when the title introduces something) and, for the title-phrase genres,
 * checked against news words: a title that also says a model is released, a partnership or a deal is
 * made, money is raised, a policy or a law changes or a security incident happened is news,
 * whatever its phrasing ("How X uses …" never hides a launch). A story is news when any of its
 * items is. A story's news value ({@link newsValueOf}: 1 news, 0.85 a roundup, 0.7 the rest) multiplies its score; a story that is not
 * news also waits for the day's news before it takes a top story (pipeline/select).
 */
import { namesAiModel } from '../core/ai-terms.js';
import type { PipelineItem } from '../core/types.js';

export type StoryGenre =
  | 'news'
  | 'roundup'
  | 'podcast'
  | 'publication'
  | 'event'
  | 'guide'
  | 'customer-story'
  | 'promotion'
  | 'personnel'
  | 'repackaged';

/** News value of a story that is not news: its score is multiplied by this. */
export const NOT_NEWS_VALUE = 0.7;

/** What genre detection reads of an item: its text's opening only for what the title introduces. */
export type GenreItem = Pick<PipelineItem, 'title' | 'url' | 'tags'> & { text?: string };

/** A title labelled as a digest: 「AI日报：」, 「周报｜」, "Weekly roundup", "This week in AI", "Newsletter #12". */
const ROUNDUP_LABEL =
  /(?:^|[\s【[（(])(?:[\p{Script=Han}A-Za-z]{0,4})(?:日报|周报|早报|晚报|月报|简报|快讯汇总|新闻汇总|速递)(?:$|[\s：:｜|】\]）)\-—])|\b(?:this\s+week\s+in|week\s+in\s+review|weekly\s+(?:roundup|round-up|digest|recap|news|update)|daily\s+(?:digest|roundup|round-up|brief|briefing|recap)|news\s*letter|newsletter|news\s+roundup|round-?up|recap|digest)\b/iu;
/** "X, Y and more": a list of several updates in one post. */
const AND_MORE_LIST = /,[^,]+\band\s+more[.!]?$/i;
/** Headline separators of a digest title. */
const HEADLINE_SEPARATOR = /[；;|｜]/u;

const PODCAST_TITLE = /\b(?:podcast|episode|ep\.?\s?\d+)\b|^listen\s+to\b|播客/iu;
const PODCAST_PATH = /\/(?:podcasts?|episodes?)(?:\/|$)/i;

/** A title that introduces something: what it introduces may be a publication (its text says). */
const INTRODUCING_TITLE = /^(?:introducing|announcing|launching|meet|welcome\s+to|say\s+hello\s+to)\b/i;
/**
 * A publication, as a post that opens one names it. "Series" only of essays, videos, interviews and
 * the like: "a new series of models", "a new model series" are releases.
 */
const PUBLICATION =
  '(?:blog|newsletter|podcast|column|magazine|publication|journal|(?:video|web|essay|editorial|blog|interview|podcast|lecture)\\s+series)';
/** A title that is the publication itself: "Introducing the OpenAI Newsletter", "Welcome to our new blog". */
const PUBLICATION_TITLE = new RegExp(
  `^(?:introducing|announcing|launching|welcome\\s+to)\\s+(?:the\\s+|our\\s+|a\\s+)?(?:new\\s+)?(?:[\\p{L}\\p{N}’'&.-]+\\s+){0,4}${PUBLICATION}[.!]?$`,
  'iu',
);
/**
 * The opening of a post whose title introduces something (or that title itself), saying it is a new
 * publication of the publisher's: "Introducing AI Futures, a new OpenAI blog exploring …", "X is our
 * new newsletter".
 * "A new blog post" is a post, not a blog.
 */
const PUBLICATION_LEAD = new RegExp(
  `(?:^|[,:—–-]\\s*|\\bis\\s+)(?:an?|our)\\s+(?:new|brand[\\s-]new|first)\\s+(?:[\\p{L}\\p{N}’'&.-]+\\s+){0,3}?${PUBLICATION}\\b(?!\\s+posts?\\b)`,
  'iu',
);
/** How much of an item's text {@link PUBLICATION_LEAD} reads: the opening sentence. */
const PUBLICATION_LEAD_CHARS = 300;
/** 「OpenAI推出全新博客」「上线新专栏」: a publisher opening a publication, in Chinese. */
const PUBLICATION_TITLE_ZH =
  /(?:推出|上线|开设|开通|启动|发布)了?(?:一个)?(?:全新|新)的?(?:官方)?(?:博客|专栏|栏目|电子报)/u;

/** Whether an item is a publisher opening a publication of its own (see the module comment). */
function opensPublication(item: GenreItem, title: string): boolean {
  if (PUBLICATION_TITLE_ZH.test(title)) return true;
  if (!INTRODUCING_TITLE.test(title)) return false;
  if (PUBLICATION_TITLE.test(title) || PUBLICATION_LEAD.test(title)) return true;
  const opening = item.text?.slice(0, PUBLICATION_LEAD_CHARS).split(/(?<=[.!?])\s/u)[0];
  return opening !== undefined && PUBLICATION_LEAD.test(opening);
}

const EVENT_TITLE =
  /\b(?:webinar|workshop|focus\s+session|livestream|live\s+stream|fireside\s+chat|meetup|hackathon|register\s+now|registration|save\s+the\s+date|join\s+us|apply\s+now|applications?\s+(?:are\s+)?open|call\s+for\s+(?:papers|proposals|applications)|sign\s+up|rsvp)\b|报名|直播预告|沙龙|线下活动|(?:大会|峰会|论坛|开发者日)(?:$|[：:｜|])/iu;
const EVENT_PATH = /\/(?:events?|webinars?|workshops?)(?:\/|$)/i;

/** Tags that name a genre, lower-case. */
const GENRE_TAGS: readonly [RegExp, StoryGenre][] = [
  [/^(?:podcasts?|episodes?|播客)$/u, 'podcast'],
  [/^(?:events?|webinars?|workshops?|活动)$/u, 'event'],
  [
    /^(?:customer\s+stor(?:y|ies)|case\s+stud(?:y|ies)|customers?|success\s+stor(?:y|ies)|案例|客户案例)$/u,
    'customer-story',
  ],
  [/^(?:newsletters?|digests?|roundups?|weekly\s+roundup)$/u, 'roundup'],
  [/^(?:sponsored|sponsored\s+content|partner\s+content|paid\s+post|advertorial|ad|推广|广告|赞助)$/u, 'promotion'],
  [/^(?:guides?|tutorials?|how-?to|教程|指南)$/u, 'guide'],
];

/** A how-to or a tutorial: "How to build …", "A practical guide to …", "Getting started with …", 「…指南」. */
/** A word every alternative of {@link GUIDE_TITLE} holds (same flags): most titles hold none and skip it. */
const GUIDE_WORD = /how|guide|tutorial|getting|step|best|指南|教程|手把手|保姆级|入门/iu;
const GUIDE_TITLE =
  /^how\s+to\b|\b(?:a|an|the|your)\s+(?:\w+\s+){0,2}guide\s+(?:to|for)\b|\btutorial\b|\bgetting\s+started\b|\bstep[-\s]by[-\s]step\b|\bbest\s+practices\b|指南|教程|手把手|保姆级|入门/iu;

const CUSTOMER_PATH = /\/(?:customer-stor(?:y|ies)|customers?|case-stud(?:y|ies)|success-stor(?:y|ies))(?:\/|$)/i;
/** A vendor's product a customer story credits. */
const VENDOR =
  '(?:openai|chatgpt|gpt[-\\w.]*|claude|anthropic|gemini|google\\s+cloud|vertex\\s+ai|copilot|azure(?:\\s+\\w+)?|microsoft\\s+\\w+|aws|amazon\\s+\\w+|bedrock|watsonx|llama|meta\\s+ai)';
/** Verbs that open a showcase of a customer's work: "Pioneering … with Penda Health". */
const SHOWCASE_VERBS = [
  'pioneering',
  'scaling',
  'transforming',
  'powering',
  'accelerating',
  'empowering',
  'reimagining',
  'modernizing',
  'modernising',
  'supercharging',
];
const CUSTOMER_TITLE = [
  // "How Alta Daily uses …", "How X is using …", "How DINO and SAM are helping …"
  /^how\s+.+?\s+(?:uses?|used|is\s+using|are\s+using|built|builds|is\s+building|scaled|scales|transformed|transforms|is\s+transforming|are\s+helping|is\s+helping|helps|helped|puts|cut|cuts|saves|saved)\b/i,
  // "Model ML is helping financial firms …"
  /\b(?:is|are)\s+helping\b/i,
  // "Pioneering an AI clinical copilot with Penda Health", "Scaling support with Acme": a showcase
  // of what one named customer or partner does with the product
  new RegExp(
    `^(?:${SHOWCASE_VERBS.map((verb) => `[${verb[0]}${verb[0]!.toUpperCase()}]${verb.slice(1)}`).join('|')})\\b.+\\bwith\\s+\\p{Lu}[\\p{L}\\p{N}&.-]*(?:\\s+\\p{Lu}[\\p{L}\\p{N}&.-]*){0,3}[.!]?$`,
    'u',
  ),
  // "Stampli cuts launch hours by 68% using ChatGPT Work", "Resolving digital threats 100x faster with OpenAI"
  new RegExp(
    `\\d+(?:\\.\\d+)?\\s*(?:%|x\\b|×|times\\b).*\\b(?:with|using|via|on)\\s+${VENDOR}(?:\\s+[\\w-]+){0,2}[.!]?$`,
    'i',
  ),
  // 「…实践」「…落地实践｜QCon」「菜鸟如何用 Agent …」
  /实践(?:$|[｜|：:])|最佳实践|实战|如何用|怎么用|如何借助|案例/u,
];

const PROMOTION_TITLE = [
  /^\d+\s+(?:\S+\s+){0,2}(?:ways|tips|tricks|things|reasons|ideas|hacks|lessons|takeaways|gift\s+ideas)\b/i,
  /\b(?:gift\s+guide|deals?\s+(?:on|of)|shopping\s+tips|on\s+sale|promo\s+code|coupon)\b/i,
  /特惠|优惠|折扣|低至|地板价|限时免费|福利/u,
];

const PERSONNEL_TITLE = [
  /\b(?:names|named|appoints|appointed|hires|hired|welcomes|promotes|promoted)\b.*\b(?:general\s+manager|managing\s+director|head\s+of|country\s+manager|vice\s+president|vp|chief\s+\w+\s+officer|cfo|cmo|coo|board(?:\s+of\s+directors)?)\b/i,
  /\b(?:joins?|joined)\b.*\bboard\b/i,
  /\bopens?\b(?:\s+\S+){0,4}\s+office\b|\bofficially\s+opens\b|\bnew\s+office\b/i,
  /任命|出任|加盟.*(?:担任|出任)|办公室(?:正式)?(?:开业|启用|落地)|设立.{0,10}办公室/u,
];

/** Format and derivative segments of a re-uploaded model's name. */
const REPACKAGED_SEGMENT =
  /^(?:gguf|ggml|awq|gptq|exl2|exl3|fp8|fp4|nvfp4|int4|int8|nf4|mlx|onnx|bnb|\d+bit|uncensored|abliterated|obliterated|heretic|quantized)$/i;

/**
 * What every title pattern above needs (the roundup label, headline separators, podcast, event,
 * customer-story, "and more", promotion, personnel and guide titles), read case-insensitively: a
 * title without it (most titles) matches none of them. The cues are grouped by where they may start
 * (the title's start, a word start, anywhere), so that irregexp tries one group, not every cue, at
 * most positions; whether a title holds a cue does not depend on the grouping. Each group lists the
 * genres' cues in the order above: roundup, podcast, event, customer story, "and more", promotion,
 * personnel, guide. "ſ" and the Kelvin sign, which the /iu patterns read as "s" and "k" (a word
 * character there), send a title to the patterns whatever it holds, so the boundaries agree.
 */
const GENRE_CUE = new RegExp(
  [
    // At the title's start.
    `^(?:listen|how|${SHOWCASE_VERBS.join('|')}|\\d)`,
    // At a word start.
    '\\b(?:week|daily|news|round|recap|digest' +
      '|podcast|episode|ep\\.?\\s?\\d' +
      '|webinar|workshop|focus|live|fireside|meetup|hackathon|regist|save|join|appl|call|sign|rsvp' +
      '|helping' +
      '|and\\s+more' +
      '|gift|deal|shopping|on\\s+sale|promo|coupon' +
      '|name|appoint|hire|welcome|promote|join|offic' +
      '|guide|tutorial|getting|step|best)',
    // Anywhere: headline separators, a figure of a customer story, Chinese cues, "ſ" and the Kelvin sign.
    '[；;|｜\\u017f\\u212a]|\\d\\s*(?:%|x|×|times)',
    '报|汇总|速递|播客|报名|直播预告|沙龙|线下活动|大会|峰会|论坛|开发者日|实践|实战|如何用|怎么用|如何借助|案例' +
      '|特惠|优惠|折扣|低至|地板价|限时免费|福利|任命|出任|加盟|办公室|指南|教程|手把手|保姆级|入门',
  ].join('|'),
  'i',
);

/** Whether a title may match a title pattern of a genre other than news ({@link GENRE_CUE}). */
export function hasGenreCue(title: string): boolean {
  return GENRE_CUE.test(title);
}

/** The title patterns {@link GENRE_CUE} stands for (the tests check that each match holds a cue). */
export const GENRE_TITLE_PATTERNS: readonly RegExp[] = [
  ROUNDUP_LABEL,
  HEADLINE_SEPARATOR,
  PODCAST_TITLE,
  EVENT_TITLE,
  ...CUSTOMER_TITLE,
  AND_MORE_LIST,
  ...PROMOTION_TITLE,
  ...PERSONNEL_TITLE,
  GUIDE_TITLE,
];

/** News words: a release, a deal, money, a policy or a law, a security incident. */
const NEWS_WORDS =
  /\b(?:launch(?:es|ed|ing)|releases?|released|introduc(?:es|ing|ed)|unveil(?:s|ed)?|announc(?:es|ed|ing)|debuts?|open-?sources?|open-?sourced|partners?\s+with|partnership|collaborat(?:e|es|ion)|acquires?|acquired|acquisition|merger|raises?|raised|funding|series\s+[a-f]\b|valuation|invests?|investment|ipo|regulat(?:ion|ors?|es)|law|bill|ban(?:s|ned)?|lawsuit|sues?|sued|court|ruling|fine[ds]?|antitrust|executive\s+order|breach|vulnerabilit(?:y|ies)|exploit|outage|incident|leak(?:s|ed)?|hack(?:ed)?|attack)\b|发布|推出|上线|开源|融资|收购|并购|合作|监管|法规|立法|禁令|诉讼|起诉|漏洞|泄露|攻击|宕机/iu;

/**
 * What the path patterns (podcast, event, customer story) need, read in the raw URL: a URL without
 * it has a path none of them matches, so it is not parsed. Tabs and line breaks, which the URL parser
 * drops, could join a word, so a URL with one is parsed.
 */
const PATH_CUE = /podcast|episode|event|webinar|workshop|customer|case-stud|success-stor|[\t\n\r]/i;

function pathOf(url: string): string {
  if (!PATH_CUE.test(url)) return '';
  try {
    return new URL(url).pathname;
  } catch {
    return '';
  }
}

/** The parts of a title between ；; | ｜, after a short label such as 「AI日报：」. */
function headlineParts(title: string): string[] {
  return title
    .replace(/^[^：:]{1,12}[：:]/u, '')
    .split(HEADLINE_SEPARATOR)
    .map((part) => part.trim());
}

/** Whether a title lists several headlines: at least three parts between ；; | ｜, each a phrase. */
function listsHeadlines(title: string): boolean {
  // Without a separator a title is one part (dropping its label adds none): most titles.
  if (!HEADLINE_SEPARATOR.test(title)) return false;
  const parts = headlineParts(title);
  return parts.length >= 3 && parts.every((part) => [...part].length >= 4);
}

/**
 * The headlines of a digest's title, lead first (「AI日报：A；B；C」 → [A, B, C]); undefined when
 * the title is not a digest of several headlines.
 */
export function digestHeadlines(title: string): string[] | undefined {
  return listsHeadlines(title) ? headlineParts(title) : undefined;
}

/** Whether a title says something that is news in itself (see the module comment). */
export function soundsLikeNews(title: string): boolean {
  return NEWS_WORDS.test(title) || namesAiModel(title);
}

/** Whether an item is a re-upload of a model in another format (its name holds a format segment). */
function isRepackagedModel(item: GenreItem): boolean {
  const name = /^https?:\/\/huggingface\.co\/([^/?#]+\/[^/?#]+)\/?$/i.exec(item.url)?.[1] ?? item.title;
  if (!/^[\w.-]+\/[\w.-]+$/.test(name)) return false;
  const segments = (name.split('/')[1] ?? '').split(/[-_.]+/);
  return segments.some((segment) => REPACKAGED_SEGMENT.test(segment));
}

/** The genre of one item (see the module comment). */
export function itemGenre(item: GenreItem): StoryGenre {
  const title = item.title.trim();
  const path = pathOf(item.url);
  const tags = item.tags.length === 0 ? item.tags : item.tags.map((tag) => tag.trim().toLowerCase());
  // A title without a cue matches no title pattern below (GENRE_CUE): only its path and tags can
  // make it anything but news.
  const cued = hasGenreCue(title);
  // Structural genres: what the post is, whatever news it carries.
  if (isRepackagedModel(item)) return 'repackaged';
  if (cued && (ROUNDUP_LABEL.test(title) || listsHeadlines(title))) return 'roundup';
  if (PODCAST_PATH.test(path) || (cued && PODCAST_TITLE.test(title))) return 'podcast';
  if (opensPublication(item, title)) return 'publication';
  if (tags.length > 0) {
    for (const [pattern, genre] of GENRE_TAGS)
      if (genre !== 'customer-story' && genre !== 'guide' && tags.some((tag) => pattern.test(tag))) return genre;
  }
  // Neither a title pattern, a tag nor a path below can match: news, whether it sounds like it or not.
  if (!cued && tags.length === 0 && !EVENT_PATH.test(path) && !CUSTOMER_PATH.test(path)) return 'news';
  // Phrase genres: a title that also says news is news.
  if (soundsLikeNews(title)) return 'news';
  if (EVENT_PATH.test(path) || EVENT_TITLE.test(title)) return 'event';
  if (CUSTOMER_PATH.test(path) || CUSTOMER_TITLE.some((pattern) => pattern.test(title))) return 'customer-story';
  if (tags.some((tag) => GENRE_TAGS.some(([pattern, genre]) => genre === 'customer-story' && pattern.test(tag))))
    return 'customer-story';
  if (AND_MORE_LIST.test(title)) return 'roundup';
  if (PROMOTION_TITLE.some((pattern) => pattern.test(title))) return 'promotion';
  if (PERSONNEL_TITLE.some((pattern) => pattern.test(title))) return 'personnel';
  if (
    (GUIDE_WORD.test(title) && GUIDE_TITLE.test(title)) ||
    tags.some((tag) => /^(?:guides?|tutorials?|how-?to|教程|指南)$/u.test(tag))
  )
    return 'guide';
  return 'news';
}

/** A story's genre: news when any item is news, else its representative's (first item's) genre. */
export function storyGenre(items: readonly GenreItem[]): StoryGenre {
  if (items.length === 0) return 'news';
  // The first news item settles it: the items after it need not be read.
  const first = itemGenre(items[0]!);
  if (first === 'news') return 'news';
  for (let index = 1; index < items.length; index++) if (itemGenre(items[index]!) === 'news') return 'news';
  return first;
}

/**
 * News value of a roundup: it retells the day's news in a list, so it ranks below news and above
 * posts that are not news at all (a personnel notice, a promotion, a guide).
 */
export const ROUNDUP_NEWS_VALUE = 0.85;

/** News value of a genre: 1 for news, {@link ROUNDUP_NEWS_VALUE} for a roundup, {@link NOT_NEWS_VALUE} for the rest. */
export function newsValueOf(genre: StoryGenre): number {
  if (genre === 'news') return 1;
  return genre === 'roundup' ? ROUNDUP_NEWS_VALUE : NOT_NEWS_VALUE;
}
