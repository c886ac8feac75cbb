/**
 * Story ranking with an explainable score.
 *
 * Every part is in 0..1; `total` is their weighted sum ({@link DEFAULT_WEIGHTS}, which sum to 1):
 *
 * | part       | weight | how                                                                           |
 * |------------|--------|-------------------------------------------------------------------------------|
 * | recency    | 0.25   | 2^(-age / half-life) of the story's newest item, half-life = window / 2; 1 for  |
 * |            |        | items dated after `now`; an item whose date was replaced by the fetch time     |
 * |            |        | (dateFlag) does not count: its real age is unknown, so it is not "newest"      |
 * | authority  | 0.25   | highest source authority + 0.05 for each further distinct source, capped at 1 |
 * | coverage   | 0.20   | 1 - e^(-(n - 1) / 2) for n distinct sources: 1 → 0, 2 → 0.39, 3 → 0.63, 5 → 0.86 |
 * | engagement | 0.15   | best item: log(1 + x) / log(1 + reference) for its kind's counter (below)      |
 * | relevance  | 0.15   | topic terms: (2 × distinct terms in titles + distinct terms only in texts) / 4  |
 *
 * Engagement counters and reference values (the value that scores 1; more is capped):
 * hackernews points + 2 × comments, reference 600; reddit upvotes (or points) + 2 × comments, 1000;
 * Hugging Face papers upvotes, 100; Hugging Face models likes 1000 or downloads 1,000,000 (the better
 * of the two); GitHub stars gained in the period 1000, else total stars 20,000. Feeds and arXiv report
 * no engagement (0): their authority and coverage carry them.
 *
 * Stories are sorted by total (descending), then id, so equal scores keep a stable order.
 */
import type { PipelineItem, ScoreBreakdown, Section, Story } from '../core/types.js';
import { classifyStory, type TermMatcher, topicMatcher } from './classify.js';
import type { Cluster } from './cluster.js';

/** Weights of the score parts. */
export interface RankWeights {
  recency: number;
  authority: number;
  coverage: number;
  engagement: number;
  relevance: number;
}

/** The default weights (see the module comment). */
export const DEFAULT_WEIGHTS: Readonly<RankWeights> = {
  recency: 0.25,
  authority: 0.25,
  coverage: 0.2,
  engagement: 0.15,
  relevance: 0.15,
};

/** Items by id, as a Map or as a plain record (ReportInput.items). */
export type ItemLookup = ReadonlyMap<string, PipelineItem> | Readonly<Record<string, PipelineItem>>;

export interface RankOptions {
  now: Date;
  windowHours: number;
  /** Preset topic terms (lower-case). No topics: relevance is 1 for every story. */
  topics: readonly string[];
  weights?: Partial<RankWeights>;
}

const HOUR_MS = 3_600_000;
/** Characters of each item's text searched for topic terms. */
const RELEVANCE_TEXT_CHARS = 1000;

function lookup(items: ItemLookup, id: string): PipelineItem | undefined {
  if (items instanceof Map) return items.get(id);
  return Object.hasOwn(items, id) ? (items as Readonly<Record<string, PipelineItem>>)[id] : undefined;
}

function clamp01(value: number): number {
  return Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : 0;
}

function logScale(value: number | undefined, reference: number): number {
  if (value === undefined || !(value > 0)) return 0;
  return clamp01(Math.log1p(value) / Math.log1p(reference));
}

/** Engagement of one item in 0..1 against its kind's reference values. */
export function itemEngagement(item: PipelineItem): number {
  const e = item.engagement;
  switch (item.sourceKind) {
    case 'hackernews':
      return logScale((e.points ?? 0) + 2 * (e.comments ?? 0), 600);
    case 'reddit':
      return logScale((e.upvotes ?? e.points ?? 0) + 2 * (e.comments ?? 0), 1000);
    case 'github':
      return e.starsGained !== undefined ? logScale(e.starsGained, 1000) : logScale(e.stars, 20_000);
    case 'huggingface':
      if (e.upvotes !== undefined) return logScale(e.upvotes, 100);
      return Math.max(logScale(e.likes, 1000), logScale(e.downloads, 1_000_000));
    default:
      return Math.max(logScale(e.points ?? e.upvotes, 600), logScale(e.likes, 1000));
  }
}

/** Recency of a time against `now`: 1 at `now` (or later), 1/2 at half the window, 1/4 at its end. */
export function recencyScore(publishedMs: number, nowMs: number, windowHours: number): number {
  if (Number.isNaN(publishedMs)) return 0;
  const ageHours = Math.max(0, (nowMs - publishedMs) / HOUR_MS);
  const halfLife = Math.max(1, windowHours / 2);
  return clamp01(2 ** (-ageHours / halfLife));
}

/** Coverage of n distinct sources, saturating. */
export function coverageScore(distinctSources: number): number {
  return clamp01(1 - Math.exp(-(Math.max(1, distinctSources) - 1) / 2));
}

/** Relevance of a story's items; `matcher` is undefined when there are no topics (relevance 1). */
function relevanceScore(items: readonly PipelineItem[], matcher: TermMatcher | undefined): number {
  if (matcher === undefined) return 1;
  const inTitles = new Set<string>();
  const inTexts = new Set<string>();
  for (const item of items) {
    for (const term of matcher.matches(item.title)) inTitles.add(term);
    for (const term of matcher.matches(item.text.slice(0, RELEVANCE_TEXT_CHARS))) inTexts.add(term);
  }
  let textOnly = 0;
  for (const term of inTexts) if (!inTitles.has(term)) textOnly++;
  return clamp01((2 * inTitles.size + textOnly) / 4);
}

/** The score of one story's items (representative first). */
export function scoreStory(items: readonly PipelineItem[], options: RankOptions): ScoreBreakdown {
  return scoreWith(items, scoringContext(options));
}

/** What scoring needs from the options, worked out once per ranking instead of once per story. */
interface ScoringContext {
  weights: RankWeights;
  nowMs: number;
  windowHours: number;
  matcher: TermMatcher | undefined;
}

function scoringContext(options: RankOptions): ScoringContext {
  return {
    weights: { ...DEFAULT_WEIGHTS, ...options.weights },
    nowMs: options.now.getTime(),
    windowHours: options.windowHours,
    matcher: options.topics.length === 0 ? undefined : topicMatcher(options.topics),
  };
}

function scoreWith(items: readonly PipelineItem[], context: ScoringContext): ScoreBreakdown {
  const { weights, nowMs } = context;
  const sources = new Set(items.map((item) => item.sourceId));
  let newestMs = Number.NEGATIVE_INFINITY;
  let bestAuthority = 0;
  let bestEngagement = 0;
  for (const item of items) {
    const publishedMs = item.dateFlag ? Number.NEGATIVE_INFINITY : Date.parse(item.publishedAt);
    if (publishedMs > newestMs) newestMs = publishedMs;
    bestAuthority = Math.max(bestAuthority, clamp01(item.sourceAuthority));
    bestEngagement = Math.max(bestEngagement, itemEngagement(item));
  }
  // Six decimals: enough to rank, and the same digits in every output on every machine.
  const parts = {
    recency: round6(Number.isFinite(newestMs) ? recencyScore(newestMs, nowMs, context.windowHours) : 0),
    authority: round6(clamp01(bestAuthority + 0.05 * (sources.size - 1))),
    coverage: round6(coverageScore(sources.size)),
    engagement: round6(bestEngagement),
    relevance: round6(relevanceScore(items, context.matcher)),
  };
  const total =
    weights.recency * parts.recency +
    weights.authority * parts.authority +
    weights.coverage * parts.coverage +
    weights.engagement * parts.engagement +
    weights.relevance * parts.relevance;
  return { ...parts, total: round6(total) };
}

function round6(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

/**
 * Stories from clusters, scored, classified and sorted best first. Item ids missing from `itemsById`
 * are left out of the story; a cluster with none of its items is skipped.
 */
export function rankStories(clusters: readonly Cluster[], itemsById: ItemLookup, options: RankOptions): Story[] {
  const context = scoringContext(options);
  const find =
    itemsById instanceof Map
      ? (id: string) => (itemsById as ReadonlyMap<string, PipelineItem>).get(id)
      : (id: string) => lookup(itemsById, id);
  const stories: Story[] = [];
  for (const cluster of clusters) {
    const items = cluster.itemIds.map(find).filter((item): item is PipelineItem => item !== undefined);
    const representative = items[0];
    if (!representative) continue;
    const sourceIds: string[] = [];
    for (const item of items) if (!sourceIds.includes(item.sourceId)) sourceIds.push(item.sourceId);
    let firstSeenMs = Number.POSITIVE_INFINITY;
    for (const item of items) {
      const publishedMs = Date.parse(item.publishedAt);
      if (publishedMs < firstSeenMs) firstSeenMs = publishedMs;
    }
    const section: Section = classifyStory(items, representative.sourceSection);
    stories.push({
      id: cluster.id,
      title: representative.title,
      itemIds: items.map((item) => item.id),
      sourceIds,
      keys: [...cluster.keys],
      section,
      score: scoreWith(items, context),
      firstSeenAt: Number.isFinite(firstSeenMs) ? new Date(firstSeenMs).toISOString() : representative.publishedAt,
    });
  }
  return stories.sort((a, b) => b.score.total - a.score.total || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
