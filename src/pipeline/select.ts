/**
 * Selection: the stories the report shows, in score order, within a total cap, per-section caps and
 * a cap on one entity family per section; and the top stories among them, kept diverse.
 */
import type { Item, Section, Story } from '../core/types.js';
import { type GenreItem, type StoryGenre, storyGenre } from './news-value.js';

export interface SelectOptions {
  /** Most stories in the report. */
  maxStories: number;
  /** Most stories per section; sections not named here use `defaultSectionCap`. */
  sectionCaps?: Partial<Record<Section, number>>;
  defaultSectionCap: number;
  /** Most stories of one entity family ({@link entityFamilies}) per section; unlimited without. */
  maxPerFamilyInSection?: number;
}

/**
 * Walks the stories in the given (score) order and keeps each one that fits its section's cap, its
 * family's cap in that section and the total; `overCap` are those it read and did not keep, in
 * order. It stops reading once the report is full, so a lazy ranking (rank rankedStories) works out
 * no story after it: every story not read is over the total cap too.
 */
export function selectStories(
  stories: Iterable<Story>,
  options: SelectOptions,
): { selected: Story[]; overCap: Story[] } {
  const perSection = new Map<Section, number>();
  const perFamily = new Map<string, number>();
  const familyCap = options.maxPerFamilyInSection ?? Number.POSITIVE_INFINITY;
  const selected: Story[] = [];
  const overCap: Story[] = [];
  const maxStories = Math.max(0, Math.floor(options.maxStories));
  if (maxStories === 0) return { selected, overCap };
  for (const story of stories) {
    const cap = options.sectionCaps?.[story.section] ?? options.defaultSectionCap;
    const used = perSection.get(story.section) ?? 0;
    // A full section takes no more: its families need not be worked out.
    if (used >= cap) {
      overCap.push(story);
      continue;
    }
    const families = entityFamilies(story).map((family) => `${story.section}\u0000${family}`);
    if (families.some((family) => (perFamily.get(family) ?? 0) >= familyCap)) {
      overCap.push(story);
      continue;
    }
    perSection.set(story.section, used + 1);
    for (const family of families) perFamily.set(family, (perFamily.get(family) ?? 0) + 1);
    selected.push(story);
    if (selected.length >= maxStories) break;
  }
  return { selected, overCap };
}

/** Name segments that mark a variant, a format or a size of one model rather than another model. */
const VARIANT_SEGMENT =
  /^(?:pro|flash|lite|mini|nano|max|plus|turbo|ultra|base|instruct|chat|it|sft|dpo|rlhf|thinking|reasoning|preview|exp|experimental|gguf|ggml|awq|gptq|exl2|fp8|fp16|bf16|int4|int8|nf4|mlx|onnx|q\d[a-z0-9]*|\d+bit|uncensored|abliterated|obliterated|distill|distilled|hf|latest)$/;
/** A size such as 27b, 1.5b, 350m, a3b (active parameters) or 8x7b. */
const SIZE_SEGMENT = /^(?:a?\d+(?:\.\d+)?[bmkt]|\d+x\d+(?:\.\d+)?b)$/;
/** A Latin name token: letters and digits joined by - _ . / (a path such as org/name included). */
const NAME_TOKEN = /[A-Za-z][A-Za-z0-9]*(?:[-_./][A-Za-z0-9]+)*/g;

/**
 * The family stem of a model-like name: lower-cased, without an "org/" prefix, cut after its first
 * versioned segment (one with a digit that is not a size): "unsloth/Qwen3.8-27B-GGUF" → "qwen3.8",
 * "DeepSeek-V4-Pro-Base" → "deepseek-v4", "Llama-3.1-8B-Instruct" → "llama-3.1". A name without
 * one loses its trailing variant, format and size segments instead ("Mistral-7B-Instruct" →
 * "mistral"). Undefined when nothing but a size or no letter is left.
 */
export function familyStem(name: string): string | undefined {
  const bare = name.toLowerCase().split('/').pop() ?? '';
  const segments = bare.split(/[-_\s]+/).filter((segment) => segment.length > 0);
  const versioned = segments.findIndex((segment) => /\d/.test(segment) && !SIZE_SEGMENT.test(segment));
  let kept: string[];
  if (versioned >= 0) {
    kept = segments.slice(0, versioned + 1).filter((segment) => !SIZE_SEGMENT.test(segment));
  } else {
    kept = [...segments];
    while (kept.length > 1) {
      const last = kept[kept.length - 1]!;
      if (!VARIANT_SEGMENT.test(last) && !SIZE_SEGMENT.test(last)) break;
      kept.pop();
    }
  }
  const stem = kept.join('-').replace(/\.+$/, '');
  if (SIZE_SEGMENT.test(stem) || !/[a-z]/.test(stem) || stem.length < 2) return undefined;
  return stem;
}

/**
 * The entity families a story belongs to: the stems ({@link familyStem}) of the model and repository
 * ids among its keys ("hf:org/name", "github:owner/name") and of the versioned names in its title
 * (tokens with a letter and a digit, such as "GPT-5" or "Qwen3.8-27B"). Two stories that share a
 * family are variants or several posts about one release.
 */
export function entityFamilies(story: Pick<Story, 'title' | 'keys'>): string[] {
  const families = new Set<string>();
  for (const key of story.keys) {
    const match = /^(?:hf|hfbase|hfref|github):(.+)$/.exec(key);
    const stem = match ? familyStem(match[1]!) : undefined;
    if (stem) families.add(stem);
  }
  for (const token of story.title.match(NAME_TOKEN) ?? []) {
    if (!/\d/.test(token)) continue;
    const stem = familyStem(token.replace(/[-_.]+$/, ''));
    if (stem) families.add(stem);
  }
  return [...families].sort();
}

export interface TopStoryOptions {
  /** How many top stories. */
  count: number;
  /** At most this many of one entity family. */
  maxPerFamily: number;
  /** At most this many whose main (first) source is the same, while other stories are left. */
  maxPerSource: number;
  /** At most this many papers (section "papers"), while other stories are left. */
  maxPapers: number;
  /**
   * Sources whose items the topic filter checked one by one (classify topicFilter's
   * `filteredSources`): a story of theirs whose headline is not about the topics (relevance below
   * 1: on topic by its text alone) never takes a top slot — a general outlet's post that discusses
   * AI in its body is not the day's AI news.
   */
  filteredSources?: readonly string[];
  /**
   * Stories that never take a top slot, in any pass: a top list is not padded with an average paper
   * ({@link ordinaryPapers}) or with marketing ({@link promotionalStories}). They stay in their
   * sections; a day without enough else has fewer top stories.
   */
  neverOnTop?: ReadonlySet<string>;
}

/**
 * A paper stands out when its readers' votes per hour since it was listed (upvotes, else points or
 * likes: the best counter its items carry) are at least this share of the day's fastest paper's.
 */
export const PAPER_STANDOUT_SHARE = 0.5;
/** Votes are counted per hour over at least this many hours, so a paper an hour old with 3 votes is not "fast". */
const MIN_VOTE_HOURS = 12;

const PAPER_VOTES = ['upvotes', 'points', 'likes'] as const;

/** Genres that are marketing, not the day's news: however well they rank, never a top story. */
const PROMOTIONAL: ReadonlySet<StoryGenre> = new Set(['customer-story', 'event', 'promotion']);

/**
 * Stories that are marketing (pipeline/news-value genres): a customer story ("X cuts launch hours by
 * 68% using ChatGPT"), an event notice or recap, a promotion. They keep their place in their
 * sections, below the news; a reader never finds one among the top stories.
 */
export function promotionalStories(
  stories: readonly Pick<Story, 'id' | 'itemIds'>[],
  items: ReadonlyMap<string, GenreItem>,
): Set<string> {
  const ids = new Set<string>();
  for (const story of stories) {
    const genreItems = story.itemIds.map((id) => items.get(id)).filter((item) => item !== undefined);
    if (genreItems.length > 0 && PROMOTIONAL.has(storyGenre(genreItems))) ids.add(story.id);
  }
  return ids;
}

/**
 * The papers that do not stand out among the day's papers: those whose items carry votes, at a
 * rate (votes per hour since listed) below {@link PAPER_STANDOUT_SHARE} of the fastest paper's.
 * "Below the news come papers with their upvotes": the paper with 163 upvotes in two days is the
 * day's paper; one with 92 after five days, or 54 after three, is one of many, and a reader finds it
 * in the papers section. A rate, not a count, because votes pile up with time: a list of several
 * days must not favour its oldest entries. Papers without votes (an arXiv listing) are not judged.
 */
export function ordinaryPapers(
  stories: readonly Pick<Story, 'id' | 'section' | 'itemIds'>[],
  items: ReadonlyMap<string, Pick<Item, 'engagement' | 'publishedAt'>>,
  now: Date,
): Set<string> {
  const rates = new Map<string, number>();
  for (const story of stories) {
    if (story.section !== 'papers') continue;
    let best: number | undefined;
    for (const id of story.itemIds) {
      const item = items.get(id);
      const field = PAPER_VOTES.find((name) => Number.isFinite(item?.engagement?.[name]));
      if (!item || !field) continue;
      const listed = Date.parse(item.publishedAt);
      const hours = Math.max(MIN_VOTE_HOURS, Number.isNaN(listed) ? 0 : (now.getTime() - listed) / 3_600_000);
      best = Math.max(best ?? 0, (item.engagement[field] ?? 0) / hours);
    }
    if (best !== undefined) rates.set(story.id, best);
  }
  const fastest = Math.max(0, ...rates.values());
  return new Set([...rates].filter(([, rate]) => rate < PAPER_STANDOUT_SHARE * fastest).map(([id]) => id));
}

/** Whether a story is on topic by its text alone, from sources filtered item by item. */
function isMarginal(story: Story, filteredSources: ReadonlySet<string>): boolean {
  return story.score.relevance < 1 && story.sourceIds.every((sourceId) => filteredSources.has(sourceId));
}

/** Whether a story is news (its score's news value is 1; a score without one counts as news). */
function isNews(story: Story): boolean {
  return !(story.score.newsValue < 1);
}

/** News of the day: news value 1 and not an entry merely still trending on a list. */
function isDaysNews(story: Story): boolean {
  return isNews(story) && story.stillTrending !== true;
}

/**
 * The top stories, in the given (score) order: the best stories such that one entity family takes
 * at most `maxPerFamily` slots, one source at most `maxPerSource` and papers at most `maxPapers`.
 * The day's news goes first: a story that is not news (a roundup, a podcast, a guide, a customer
 * story…: news value below 1) or an entry still trending on a list waits until that news is used
 * up. When the day has too few other stories, the news-first rule is lifted, then the paper cap, then the source cap
 * raised one step at a time to fill the slots; the family cap never is. A story on topic by its text
 * alone from a source filtered item by item never takes a slot (`filteredSources`), so a quiet day
 * may have fewer. Returns story ids in the reader's order ({@link leadGroup}).
 */
export function chooseTopStories(stories: readonly Story[], options: TopStoryOptions): string[] {
  const count = Math.max(0, Math.floor(options.count));
  const filteredSources = new Set(options.filteredSources ?? []);
  const chosen: Story[] = [];
  // Strict first; then without the news-first rule; then without the paper cap; then the source cap
  // raised one at a time, so that a day of two sources still gets three stories from each rather
  // than all the rest from one.
  const passes = [
    { newsOnly: true, papers: options.maxPapers, perSource: options.maxPerSource },
    { newsOnly: false, papers: options.maxPapers, perSource: options.maxPerSource },
    { newsOnly: false, papers: Number.POSITIVE_INFINITY, perSource: options.maxPerSource },
  ];
  for (let perSource = options.maxPerSource + 1; perSource <= Math.max(count, options.maxPerSource); perSource++) {
    passes.push({ newsOnly: false, papers: Number.POSITIVE_INFINITY, perSource });
  }
  for (const pass of passes) {
    for (const story of stories) {
      if (chosen.length >= count) break;
      if (chosen.includes(story) || isMarginal(story, filteredSources)) continue;
      if (options.neverOnTop?.has(story.id)) continue;
      if (pass.newsOnly && !isDaysNews(story)) continue;
      const families = entityFamilies(story);
      const sameFamily = chosen.filter((other) => entityFamilies(other).some((f) => families.includes(f))).length;
      if (families.length > 0 && sameFamily >= options.maxPerFamily) continue;
      const source = story.sourceIds[0];
      if (chosen.filter((other) => other.sourceIds[0] === source).length >= pass.perSource) continue;
      if (story.section === 'papers' && chosen.filter((other) => other.section === 'papers').length >= pass.papers)
        continue;
      chosen.push(story);
    }
  }
  // The day's news leads; papers follow it, then entries still trending on a list, then roundups,
  // guides, customer stories, event notices and the like — each group in rank order. A reader opens the report for what happened, then for what was published.
  return chosen
    .sort((a, b) => leadGroup(a) - leadGroup(b) || stories.indexOf(a) - stories.indexOf(b))
    .map((story) => story.id);
}

/**
 * 0 news, 1 a paper, 2 still trending on a list, 3 not news (a roundup, guide, podcast, customer
 * story, event notice, promotion…).
 */
function leadGroup(story: Story): number {
  if (story.stillTrending) return 2;
  if (!isNews(story)) return 3;
  return story.section === 'papers' ? 1 : 0;
}
