import { AI_TERMS } from '../core/ai-terms.js';
import type { Section, SourceKind } from '../core/types.js';

/** A preset source as written here and in user config (before defaults are applied). */
export interface PresetSource {
  id: string;
  name: string;
  kind: SourceKind;
  url: string;
  authority: number;
  section: Section;
  language?: 'zh' | 'en';
  timezone?: string;
  /**
   * Keep only items that mention a topic term. Off for sources that write about AI alone (a lab's
   * blog, a media site's AI section): everything they publish is on topic, whatever its words.
   */
  filterTopics?: boolean | 'auto';
  params?: Record<string, unknown>;
}

export interface Preset {
  name: string;
  description: string;
  /** Topic terms: a story mentioning them is relevant (ranking) — lower-case. */
  topics: readonly string[];
  sources: PresetSource[];
}

/**
 * The default "ai" preset: real URLs of lab blogs, media, Chinese media and community sources.
 * Anthropic, Meta AI and OpenAI research publish no feed of their own; the best available is the
 * Olshansk/rss-feeds scraper, which commits a feed generated from their news pages every few hours.
 */
const aiSources: PresetSource[] = [
  // Official lab blogs.
  {
    id: 'openai-news',
    name: 'OpenAI News',
    kind: 'feed',
    url: 'https://openai.com/news/rss.xml',
    authority: 1,
    section: 'products',
    language: 'en',
  },
  {
    id: 'openai-research',
    name: 'OpenAI Research',
    kind: 'feed',
    url: 'https://raw.githubusercontent.com/Olshansk/rss-feeds/main/feeds/feed_openai_research.xml',
    authority: 0.95,
    section: 'llm',
    language: 'en',
  },
  {
    id: 'anthropic-news',
    name: 'Anthropic News',
    kind: 'feed',
    url: 'https://raw.githubusercontent.com/Olshansk/rss-feeds/main/feeds/feed_anthropic_news.xml',
    authority: 1,
    section: 'llm',
    language: 'en',
  },
  {
    id: 'meta-ai',
    name: 'AI at Meta',
    kind: 'feed',
    url: 'https://raw.githubusercontent.com/Olshansk/rss-feeds/main/feeds/feed_meta_ai.xml',
    authority: 0.95,
    section: 'llm',
    language: 'en',
  },
  {
    id: 'google-ai-blog',
    name: 'Google AI Blog',
    kind: 'feed',
    url: 'https://blog.google/innovation-and-ai/technology/ai/rss/',
    authority: 0.95,
    section: 'products',
    language: 'en',
  },
  {
    id: 'google-deepmind',
    name: 'Google DeepMind',
    kind: 'feed',
    url: 'https://deepmind.google/blog/rss.xml',
    authority: 1,
    section: 'llm',
    language: 'en',
  },
  {
    id: 'microsoft-research',
    filterTopics: true,
    name: 'Microsoft Research',
    kind: 'feed',
    url: 'https://www.microsoft.com/en-us/research/feed/',
    authority: 0.85,
    section: 'papers',
    language: 'en',
  },
  {
    id: 'microsoft-ai-blog',
    name: 'Microsoft AI Blog',
    kind: 'feed',
    url: 'https://www.microsoft.com/en-us/ai/blog/feed/',
    authority: 0.85,
    section: 'products',
    language: 'en',
  },
  {
    id: 'nvidia-blog',
    filterTopics: true,
    name: 'NVIDIA Blog',
    kind: 'feed',
    url: 'https://blogs.nvidia.com/feed/',
    authority: 0.8,
    section: 'products',
    language: 'en',
  },
  {
    id: 'huggingface-blog',
    name: 'Hugging Face Blog',
    kind: 'feed',
    url: 'https://huggingface.co/blog/feed.xml',
    authority: 0.85,
    section: 'opensource',
    language: 'en',
  },
  {
    id: 'bair-blog',
    name: 'BAIR Blog',
    kind: 'feed',
    url: 'https://bair.berkeley.edu/blog/feed.xml',
    authority: 0.75,
    section: 'papers',
    language: 'en',
  },
  {
    id: 'the-gradient',
    filterTopics: true,
    name: 'The Gradient',
    kind: 'feed',
    url: 'https://thegradient.pub/rss/',
    authority: 0.6,
    section: 'applications',
    language: 'en',
  },
  {
    id: 'vector-institute',
    filterTopics: true,
    name: 'Vector Institute',
    kind: 'feed',
    url: 'https://vectorinstitute.ai/feed/',
    authority: 0.6,
    section: 'applications',
    language: 'en',
  },
  // Media.
  {
    id: 'mit-technology-review-ai',
    name: 'MIT Technology Review (AI)',
    kind: 'feed',
    url: 'https://www.technologyreview.com/topic/artificial-intelligence/feed',
    authority: 0.75,
    section: 'applications',
    language: 'en',
  },
  {
    id: 'venturebeat-ai',
    name: 'VentureBeat AI',
    kind: 'feed',
    url: 'https://venturebeat.com/category/ai/feed/',
    authority: 0.6,
    section: 'applications',
    language: 'en',
  },
  {
    id: 'the-verge-ai',
    name: 'The Verge (AI)',
    kind: 'feed',
    url: 'https://www.theverge.com/rss/ai-artificial-intelligence/index.xml',
    authority: 0.65,
    section: 'products',
    language: 'en',
  },
  {
    id: 'techcrunch-ai',
    name: 'TechCrunch (AI)',
    kind: 'feed',
    url: 'https://techcrunch.com/category/artificial-intelligence/feed/',
    authority: 0.65,
    section: 'products',
    language: 'en',
  },
  // Chinese media.
  {
    id: 'jiqizhixin',
    name: '机器之心',
    kind: 'feed',
    url: 'https://www.jiqizhixin.com/rss',
    authority: 0.7,
    section: 'llm',
    language: 'zh',
    timezone: 'Asia/Shanghai',
  },
  {
    id: 'qbitai',
    name: '量子位',
    kind: 'feed',
    url: 'https://www.qbitai.com/feed',
    authority: 0.7,
    section: 'llm',
    language: 'zh',
    timezone: 'Asia/Shanghai',
  },
  {
    id: 'infoq-cn',
    filterTopics: true,
    name: 'InfoQ 中文',
    kind: 'feed',
    url: 'https://www.infoq.cn/feed',
    authority: 0.6,
    section: 'applications',
    language: 'zh',
    timezone: 'Asia/Shanghai',
  },
  // Papers.
  {
    id: 'arxiv-cs-ai',
    name: 'arXiv cs.AI',
    kind: 'arxiv',
    url: 'https://rss.arxiv.org/rss/cs.AI',
    authority: 0.6,
    section: 'papers',
    language: 'en',
  },
  {
    id: 'arxiv-cs-cl',
    name: 'arXiv cs.CL',
    kind: 'arxiv',
    url: 'https://rss.arxiv.org/rss/cs.CL',
    authority: 0.6,
    section: 'papers',
    language: 'en',
  },
  {
    id: 'arxiv-cs-cv',
    name: 'arXiv cs.CV',
    kind: 'arxiv',
    url: 'https://rss.arxiv.org/rss/cs.CV',
    authority: 0.6,
    section: 'papers',
    language: 'en',
  },
  {
    id: 'arxiv-cs-lg',
    name: 'arXiv cs.LG',
    kind: 'arxiv',
    url: 'https://rss.arxiv.org/rss/cs.LG',
    authority: 0.6,
    section: 'papers',
    language: 'en',
  },
  {
    id: 'huggingface-daily-papers',
    name: 'Hugging Face Daily Papers',
    kind: 'huggingface',
    url: 'https://huggingface.co/api/daily_papers',
    authority: 0.75,
    section: 'papers',
    language: 'en',
    params: { type: 'daily-papers', days: 2 },
  },
  // Community and open source.
  {
    id: 'huggingface-trending-models',
    name: 'Hugging Face Trending Models',
    kind: 'huggingface',
    url: 'https://huggingface.co/api/models?sort=trendingScore&limit=30',
    authority: 0.6,
    section: 'opensource',
    language: 'en',
    params: { type: 'models' },
  },
  {
    id: 'hackernews-ai',
    filterTopics: true,
    name: 'Hacker News (AI)',
    kind: 'hackernews',
    url: 'https://hn.algolia.com/api/v1/search_by_date',
    authority: 0.5,
    section: 'applications',
    language: 'en',
    params: { api: 'algolia', minPoints: 50 },
  },
  {
    id: 'github-trending',
    name: 'GitHub Trending',
    kind: 'github',
    url: 'https://github.com/trending?since=daily',
    authority: 0.5,
    section: 'opensource',
    language: 'en',
    params: { mode: 'trending', aiOnly: true },
  },
  {
    id: 'github-search-ai',
    name: 'GitHub new AI repositories',
    kind: 'github',
    url: 'https://api.github.com/search/repositories',
    authority: 0.45,
    section: 'opensource',
    language: 'en',
    params: { mode: 'search', token: '${GITHUB_TOKEN:-}' },
  },
  {
    id: 'reddit-machinelearning',
    name: 'r/MachineLearning',
    kind: 'reddit',
    url: 'https://www.reddit.com/r/MachineLearning/top.json?t=day&limit=50',
    authority: 0.4,
    section: 'papers',
    language: 'en',
    params: { minScore: 20 },
  },
  {
    id: 'reddit-localllama',
    name: 'r/LocalLLaMA',
    kind: 'reddit',
    url: 'https://www.reddit.com/r/LocalLLaMA/top.json?t=day&limit=50',
    authority: 0.4,
    section: 'opensource',
    language: 'en',
    params: { minScore: 20 },
  },
];

/** Terms that make an item relevant to the "ai" preset (matched on word boundaries, lower-case). */
const aiTopics = AI_TERMS;

export const PRESETS: Record<string, Preset> = {
  ai: {
    name: 'ai',
    description:
      'What happened in AI: lab blogs, media, Chinese media, arXiv, Hacker News, GitHub, Hugging Face, Reddit.',
    topics: aiTopics,
    sources: aiSources,
  },
  none: { name: 'none', description: 'No built-in sources: only those in the config file.', topics: [], sources: [] },
};

/**
 * The topic terms of a run (lower-case): the preset's plus the config's own. A preset without
 * topics (`none`) takes the config's own in their place, and the AI vocabulary when the config
 * gives none, so that a source with `filterTopics` is filtered whatever the preset.
 */
export function topicsFor(preset: Preset, own: readonly string[]): string[] {
  const lowered = own.map((term) => term.trim().toLowerCase()).filter((term) => term !== '');
  if (preset.topics.length === 0 && lowered.length === 0) return [...AI_TERMS];
  return [...new Set([...preset.topics, ...lowered])];
}
