/**
 * Rule-based section classifier and topic matching.
 *
 * Rule order for a story (first match wins):
 * 1. **papers** — any item has an arXiv id (externalIds or URL key), comes from an arXiv source, or is
 *    a Hugging Face daily paper (huggingface.co/papers/…).
 * 2. **opensource** — any item is a GitHub repository or a Hugging Face model.
 * 3. Keyword rules on the items' **titles**, in this order:
 *    opensource ("open-source", "open weights", "开源", "GitHub", "weights"…),
 *    multimodal (image/video/vision/audio/speech/multimodal/VLM/多模态/视频/图像…),
 *    llm when the title names a language-model release with a version ("Claude Opus 4.7",
 *    "GPT-5.5", "Qwen3.8-27B": a new model is model news even when a big company ships it, as in the
 *    seed report's layout),
 *    products (a big-tech company — OpenAI, Google, Microsoft, Meta, Apple, Amazon, NVIDIA,
 *    Anthropic… — together with a launch word: launch/introducing/available/rollout/发布…),
 *    llm (LLM, model names GPT/Claude/Gemini/Llama/Qwen/DeepSeek…, reasoning, 大模型…),
 *    applications (enterprise, healthcare, policy, education, finance, robotics…).
 * 4. The same keyword rules on the opening of the representative's text (first 300 characters).
 * 5. The representative source's own section (`sourceSection`), else **applications**.
 *
 * Terms are found by src/core/term-matcher.ts (whole words with an optional plural; Chinese as
 * substrings).
 */
import { isAiFieldLink, namesAiModel, speaksAi } from '../core/ai-terms.js';
import { type TermMatcher, termListsTest, termMatcher } from '../core/term-matcher.js';
import type { PipelineItem, Section, SourceConfig } from '../core/types.js';
import { itemKeys } from './cluster.js';

export { type TermMatcher, termMatcher };

/** Characters of an item's text (its opening) the topic rules read. */
export const TOPIC_TEXT_CHARS = 2000;

/** Characters of the representative's text the fallback keyword rules read. */
const TEXT_LEAD_CHARS = 300;

const matcherCache = new Map<string, TermMatcher>();
/**
 * The same by list object (checked against its length and ends, in case a caller changed it in
 * place): a ranking asks several times per story with one list, and joining it costs more than matching.
 */
const matcherByList = new WeakMap<
  readonly string[],
  { matcher: TermMatcher; length: number; first?: string; last?: string }
>();

/** A cached matcher for a topic list (presets pass the same list every time). */
export function topicMatcher(topics: readonly string[]): TermMatcher {
  const known = matcherByList.get(topics);
  if (known && known.length === topics.length && known.first === topics[0] && known.last === topics.at(-1)) {
    return known.matcher;
  }
  const cacheKey = topics.join('\u0000');
  let matcher = matcherCache.get(cacheKey);
  if (!matcher) {
    matcher = termMatcher(topics);
    if (matcherCache.size > 32) matcherCache.clear();
    matcherCache.set(cacheKey, matcher);
  }
  matcherByList.set(topics, { matcher, length: topics.length, first: topics[0], last: topics.at(-1) });
  return matcher;
}

/** What the topic rules read of an item; `url` lets a link into the field count. */
export type TopicItem = Pick<PipelineItem, 'title' | 'text'> & { url?: string };

/**
 * Whether the field itself vouches for an item, whatever its words, when the topics are about AI
 * ({@link speaksAi}): it links to an AI lab, a model hub or an AI organisation's repository
 * (isAiFieldLink: huggingface.co/MiniMaxAI/MiniMax-M2.7, github.com/QwenLM/…, openai.com/…), or its
 * title names a model (namesAiModel: "ERNIE-Image", "GLM-5.1", "Yi-34B-Chat", "Bonsai-27B").
 */
export function fieldVouches(item: TopicItem, topics: readonly string[]): boolean {
  return speaksAi(topics) && (isAiFieldLink(item.url) || namesAiModel(item.title));
}

/**
 * Whether an item is on topic: a topic term in its title or the opening of its text, or the field
 * vouches for it ({@link fieldVouches}). With no topics every item is on topic (the config always
 * has topics: the AI vocabulary when nothing else).
 */
export function isOnTopic(item: TopicItem, topics: readonly string[]): boolean {
  if (topics.length === 0) return true;
  const matcher = topicMatcher(topics);
  return matcher.test(item.title) || matcher.test(item.text.slice(0, TOPIC_TEXT_CHARS)) || fieldVouches(item, topics);
}

/**
 * Share of a source's recent items clearly on topic ({@link isClearlyOnTopic}) from which
 * `filterTopics: auto` keeps it whole. A clear majority: a general tech outlet that writes about AI
 * often (two posts in three) is still filtered item by item, which costs an AI post nothing (it names
 * its topic) and keeps the outlet's other posts out.
 */
export const AUTO_KEEP_SHARE = 0.8;
/**
 * The share that suffices for a source that names the topic itself — in its name, id or URL ("AI at
 * Meta", ai.meta.com, openai.com, a feed at /ai-machine-learning/): a simple majority, because a
 * lab's posts often name a product ("Introducing SAM 3D") instead of the topic.
 */
export const AUTO_KEEP_SHARE_NAMED = 0.5;
/** Distinct topic terms in an item's text (without one in its title) that make it clearly on topic. */
export const AUTO_TEXT_TERMS = 2;
/** Newest items of a source that `filterTopics: auto` measures. */
export const AUTO_SAMPLE_ITEMS = 100;

/** What the topic filter needs of a source. */
export type TopicFilterSource = Pick<SourceConfig, 'id' | 'filterTopics'> &
  Partial<Pick<SourceConfig, 'name' | 'url' | 'kind' | 'params'>>;

/** arXiv listings of the AI categories: cs.AI, cs.CL (language), cs.LG (learning), cs.CV (vision), cs.MA, cs.NE, stat.ML. */
const AI_ARXIV_CATEGORY = /(?:^|[^a-z])(?:cs\.(?:ai|cl|lg|cv|ma|ne)|stat\.ml)(?![a-z])/i;

/**
 * Whether a source is about AI by construction, so that `filterTopics: auto` never filters it item
 * by item: a Hugging Face listing (models, daily papers — a model hub's list holds nothing else,
 * and its entries are named "MiniMaxAI/MiniMax-M2.7", not "an AI model"), or an arXiv listing of an
 * AI category. Only when the topics are about AI ({@link speaksAi}).
 */
export function isAiByConstruction(source: TopicFilterSource, topics: readonly string[]): boolean {
  if (!speaksAi(topics)) return false;
  if (source.kind === 'huggingface') return true;
  if (source.kind === 'arxiv') return AI_ARXIV_CATEGORY.test(source.url ?? '');
  return false;
}

/** Whether a source names a topic term in its name, id or URL (scheme left out; dots, slashes and _ separate words). */
export function sourceNamesTopic(source: TopicFilterSource, topics: readonly string[]): boolean {
  if (topics.length === 0) return true;
  const url = (source.url ?? '').replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/[./_?=&#:]+/g, ' ');
  return topicMatcher(topics).test([source.name ?? '', source.id.replace(/_/g, ' '), url].join('\n'));
}

/** What `topicFilter` decided. */
export interface TopicFilterResult<T> {
  /** Items kept, in their order. */
  kept: T[];
  /** Items left out as off-topic (they stay counted in the report's about section). */
  offTopic: T[];
  /** Ids of the sources whose items were filtered one by one (`true`, or `auto` that measured mostly off-topic). */
  filteredSources: string[];
}

/**
 * Whether an item is about the topics beyond doubt, for measuring a source: a term in its title, or
 * at least {@link AUTO_TEXT_TERMS} distinct terms in the opening of its text (one passing mention of
 * "AI" in a post about databases does not make the post, or its source, about AI).
 */
export function isClearlyOnTopic(item: TopicItem, topics: readonly string[]): boolean {
  if (topics.length === 0) return true;
  const matcher = topicMatcher(topics);
  return (
    matcher.test(item.title) ||
    fieldVouches(item, topics) ||
    matcher.count(item.text.slice(0, TOPIC_TEXT_CHARS), AUTO_TEXT_TERMS) >= AUTO_TEXT_TERMS
  );
}

/**
 * Whether a source filtered with `auto` writes about the topics alone: at least AUTO_KEEP_SHARE of
 * its newest AUTO_SAMPLE_ITEMS items (`recent`: what it published, newest first) are clearly on
 * topic ({@link isClearlyOnTopic}); `keepShare` is AUTO_KEEP_SHARE_NAMED for a source that
 * {@link sourceNamesTopic}. A source with nothing to measure is filtered.
 */
export function isTopicalSource(
  recent: readonly TopicItem[],
  topics: readonly string[],
  keepShare: number = AUTO_KEEP_SHARE,
): boolean {
  const sample = recent.slice(0, AUTO_SAMPLE_ITEMS);
  if (sample.length === 0) return false;
  const onTopic = sample.filter((item) => isClearlyOnTopic(item, topics)).length;
  return onTopic / sample.length >= keepShare;
}

/**
 * The topic filter: items of a source with `filterTopics: true` must be on topic ({@link isOnTopic});
 * with `false` all are kept; with `auto` a source about AI by construction ({@link isAiByConstruction})
 * is kept whole, and otherwise the source's recent items (`recentBySource`, newest first; its
 * items in `items` when absent) decide: clearly on topic keeps it whole (an AI lab's blog never
 * loses a post), otherwise it is filtered like `true` (Hacker News "best", a general tech feed, a
 * tech outlet that covers AI among much else).
 * Items of sources not listed are kept.
 */
export function topicFilter<T extends Pick<PipelineItem, 'sourceId' | 'title' | 'text'> & { url?: string }>(
  items: readonly T[],
  sources: readonly TopicFilterSource[],
  topics: readonly string[],
  recentBySource: ReadonlyMap<string, readonly TopicItem[]> = new Map(),
): TopicFilterResult<T> {
  const filtered = new Set<string>();
  for (const source of sources) {
    if (source.filterTopics === true) filtered.add(source.id);
    else if (source.filterTopics === 'auto' && !isAiByConstruction(source, topics)) {
      const recent = recentBySource.get(source.id) ?? items.filter((item) => item.sourceId === source.id);
      const keepShare = sourceNamesTopic(source, topics) ? AUTO_KEEP_SHARE_NAMED : AUTO_KEEP_SHARE;
      if (!isTopicalSource(recent, topics, keepShare)) filtered.add(source.id);
    }
  }
  const kept: T[] = [];
  const offTopic: T[] = [];
  for (const item of items) {
    if (!filtered.has(item.sourceId) || isOnTopic(item, topics)) kept.push(item);
    else offTopic.push(item);
  }
  return { kept, offTopic, filteredSources: [...filtered].sort() };
}

// biome-ignore format: a word list reads better packed
const OPEN_SOURCE_TERMS = [
  'open-source', 'open source', 'open-sourced', 'open sourced', 'open-weight', 'open-weights', 'open weights',
  'weights', 'github', 'hugging face', 'huggingface', 'apache 2.0', 'mit license', 'repo', 'repository',
  '开源', '开放权重', '权重',
];
// biome-ignore format: a word list reads better packed
const MULTIMODAL_TERMS = [
  'multimodal', 'multi-modal', 'vlm', 'vlms', 'vision-language', 'vision language', 'image', 'images', 'video',
  'videos', 'vision', 'visual', 'audio', 'speech', 'voice', 'music', 'text-to-image', 'text-to-video',
  'image generation', 'video generation', '3d', '4d', 'omni-modal', 'omni', 'tts', 'asr',
  '多模态', '视频', '图像', '图片', '视觉', '语音', '音频', '音乐', '生图', '全模态',
];
// biome-ignore format: a word list reads better packed
const BIG_TECH_TERMS = [
  'openai', 'chatgpt', 'google', 'deepmind', 'gemini', 'microsoft', 'copilot', 'meta', 'apple', 'amazon', 'aws',
  'nvidia', 'anthropic', 'claude', 'xai', 'grok', 'alibaba', 'tencent', 'baidu', 'bytedance', 'huawei', 'samsung',
  'ibm', 'oracle', 'salesforce', 'adobe',
  '阿里', '腾讯', '百度', '字节', '华为', '谷歌', '微软', '苹果', '英伟达', '亚马逊', '小米',
];
// biome-ignore format: a word list reads better packed
const LAUNCH_TERMS = [
  'launch', 'launches', 'launched', 'introducing', 'introduces', 'introduce', 'announces', 'announcing',
  'announced', 'unveils', 'unveiled', 'release', 'releases', 'released', 'available', 'rolls out', 'rollout',
  'rolling out', 'now in', 'expands', 'debuts', 'ships', 'brings', 'update', 'new',
  '发布', '推出', '上线', '开放', '宣布', '亮相', '更新',
];
// biome-ignore format: a word list reads better packed
const LLM_TERMS = [
  'llm', 'llms', 'large language model', 'language model', 'language models', 'gpt', 'claude', 'gemini',
  'llama', 'qwen', 'deepseek', 'mistral', 'kimi', 'glm', 'grok', 'reasoning', 'chatbot', 'transformer',
  'fine-tuning', 'rlhf', 'prompt', 'tokens', 'context window', 'inference', 'agent', 'agents', 'agentic',
  '大模型', '大语言模型', '语言模型', '推理', '智能体', '千问', '通义', '文心', '豆包',
];
// biome-ignore format: a word list reads better packed
const APPLICATION_TERMS = [
  'enterprise', 'business', 'customer', 'customers', 'healthcare', 'health', 'medical', 'clinical', 'hospital',
  'education', 'finance', 'bank', 'legal', 'policy', 'regulation', 'law', 'government', 'security', 'robot',
  'robotics', 'manufacturing', 'retail', 'startup', 'funding', 'partnership', 'case study',
  '企业', '医疗', '教育', '金融', '政策', '监管', '机器人', '制造', '落地', '应用', '融资', '合作',
];

/** Which of the section term lists a text holds a term of (bit by bit, in this order), the text read once. */
const sectionTerms = termListsTest([
  OPEN_SOURCE_TERMS,
  MULTIMODAL_TERMS,
  BIG_TECH_TERMS,
  LAUNCH_TERMS,
  LLM_TERMS,
  APPLICATION_TERMS,
]);
const OPEN_SOURCE = 1;
const MULTIMODAL = 2;
const BIG_TECH = 4;
const LAUNCH = 8;
const LLM = 16;
const APPLICATION = 32;

/** The first section whose keyword rule matches `text` (rule 3 on titles, rule 4 on a text's opening), or undefined. */
export function sectionByKeywords(text: string): Section | undefined {
  if (text === '') return undefined;
  const found = sectionTerms(text);
  if (found & OPEN_SOURCE) return 'opensource';
  if (found & MULTIMODAL) return 'multimodal';
  if (namesAiModel(text)) return 'llm';
  if (found & BIG_TECH && found & LAUNCH) return 'products';
  if (found & LLM) return 'llm';
  if (found & APPLICATION) return 'applications';
  return undefined;
}

function isArxivPaper(keys: readonly string[]): boolean {
  return keys.some((key) => key.startsWith('arxiv:'));
}

function isOpenSourceArtifact(keys: readonly string[]): boolean {
  return keys.some((key) => key.startsWith('github:') || key.startsWith('hf:'));
}

/** Evidence bit of {@link itemSectionEvidence}: an arXiv source or an arXiv id (rule 1). */
const PAPER_EVIDENCE = 1;
/** Evidence bit of {@link itemSectionEvidence}: a GitHub repository or a Hugging Face model (rule 2). */
const ARTIFACT_EVIDENCE = 2;

/**
 * What rules 1 and 2 read of one item, as bits: {@link PAPER_EVIDENCE}, {@link ARTIFACT_EVIDENCE}.
 * An arXiv source settles it before the item's keys are read.
 */
export function itemSectionEvidence(item: PipelineItem): number {
  if (item.sourceKind === 'arxiv') return PAPER_EVIDENCE;
  const keys = itemKeys(item);
  return (isArxivPaper(keys) ? PAPER_EVIDENCE : 0) | (isOpenSourceArtifact(keys) ? ARTIFACT_EVIDENCE : 0);
}

/** The section rules 1 and 2 give for the evidence of a story's items (bits or-ed), or undefined. */
export function sectionByEvidence(evidence: number): Section | undefined {
  if ((evidence & PAPER_EVIDENCE) !== 0) return 'papers';
  if ((evidence & ARTIFACT_EVIDENCE) !== 0) return 'opensource';
  return undefined;
}

/** Rules 4 and 5: the keyword rules on the opening of the representative's text, then the sources' sections. */
export function fallbackSection(representative: PipelineItem, sourceSection?: Section): Section {
  return (
    sectionByKeywords(representative.text.slice(0, TEXT_LEAD_CHARS)) ??
    sourceSection ??
    representative.sourceSection ??
    'applications'
  );
}

/**
 * The section of a story from its items (representative first); see the module comment for the order.
 * @param sourceSection fallback when no rule matches: the representative source's usual section
 */
export function classifyStory(items: readonly PipelineItem[], sourceSection?: Section): Section {
  const representative = items[0];
  if (!representative) return sourceSection ?? 'applications';
  let evidence = 0;
  for (const item of items) {
    evidence |= itemSectionEvidence(item);
    if ((evidence & PAPER_EVIDENCE) !== 0) break; // papers, whatever the other items hold
  }
  // One title joined is the title itself.
  const titles = items.length === 1 ? representative.title : items.map((item) => item.title).join('\n');
  return sectionByEvidence(evidence) ?? sectionByKeywords(titles) ?? fallbackSection(representative, sourceSection);
}
