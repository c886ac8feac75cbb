/**
 * Story ranking with an explainable score.
 *
 * Every part is in 0..1; `total` is their weighted sum ({@link DEFAULT_WEIGHTS}, which sum to 1; the
 * config's `ranking.weights` may change them and they are scaled to sum to 1):
 *
 * | part       | weight | how                                                                           |
 * |------------|--------|-------------------------------------------------------------------------------|
 * | recency    | 0.20   | 2^(-age / half-life) of the story's newest item, half-life = window / 2; 1 for  |
 * |            |        | items dated after `now`. An item whose date is not its own — replaced by the   |
 * |            |        | fetch time (dateFlag), or the date a snapshot list was taken — gets no credit  |
 * | authority  | 0.25   | highest source authority + 0.05 for each further publisher, capped at 1       |
 * | coverage   | 0.20   | 1 - e^(-(n - 1) / 2) for n distinct publishers: 1 → 0, 2 → 0.39, 3 → 0.63, 5 → 0.86 |
 * | engagement | 0.20   | best item's engagement, normalised within its own source (below)              |
 * | relevance  | 0.15   | whether the story is about the topics, not how many of their words it uses: 1  |
 * |            |        | when a headline is (a topic term in it, or a link or model name the field     |
 * |            |        | vouches for: classify fieldVouches), 0.5 when a text is (two distinct terms), |
 * |            |        | 0.25 for one passing mention, 0 for none                                      |
 *
 * The weighted sum is multiplied by the story's news value (`newsValue`, pipeline/news-value): 1 for
 * news, ROUNDUP_NEWS_VALUE (0.85) for a roundup (it retells news), NOT_NEWS_VALUE (0.7) for a
 * guide, a podcast, a publisher's new publication, an event notice, a customer story, a
 * promotion, a personnel notice or a re-uploaded model — fresh and popular, but not the day's news.
 *
 * Engagement reads every counter an item has, whatever its connector kind (points, comments,
 * upvotes, likes, downloads, stars, stars gained): each counter scores log(1 + x) / log(1 + ref),
 * capped at 1, where ref is the 90th percentile of that counter among the source's own recent items
 * (at least a small floor, so a quiet source's 3 points are not "1"); a source with fewer than
 * {@link MIN_BASELINE_VALUES} values of a counter uses a fixed reference instead. Counters are
 * weighted (total stars, which old repositories pile up, count less than stars gained) and the item
 * takes the best one. So a source of hundreds of points and one of millions of downloads each score
 * by their own standards: one kind cannot dominate.
 *
 * Snapshot sources (trending lists, "best of" lists; see {@link snapshotSources}) list things that
 * are popular now, not things that happened now. A story whose every item comes from a snapshot and
 * is not new there — it carries no date of its own in the window, and it did not first appear inside
 * the window in a list already fetched before without it — is *still trending*: it ranks below every
 * news story.
 *
 * A publisher ({@link publisherOf}) is who tells the story, not the feed it came through: two feeds
 * of one outlet (OpenAI News and OpenAI Research, both on openai.com) are one publisher, so a story
 * gains coverage only when someone else reports it too.
 *
 * Order: news before still-trending, then total, then the parts (engagement, coverage, authority,
 * recency, relevance), then a headline that says what happened, then title, then id. No hash decides an order a reader sees.
 */
import { linkParts } from '../core/ai-terms.js';
import { isCanonicalIso, timeMs } from '../core/time.js';
import type { Engagement, Item, PipelineItem, ScoreBreakdown, SourceConfig, Story } from '../core/types.js';
import {
  AUTO_TEXT_TERMS,
  classifyStory,
  fallbackSection,
  fieldVouches,
  itemSectionEvidence,
  sectionByEvidence,
  sectionByKeywords,
  type TermMatcher,
  TOPIC_TEXT_CHARS,
  topicMatcher,
} from './classify.js';
import type { Cluster } from './cluster.js';
import { itemGenre, newsValueOf, type StoryGenre, soundsLikeNews, storyGenre } from './news-value.js';

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
  recency: 0.2,
  authority: 0.25,
  coverage: 0.2,
  engagement: 0.2,
  relevance: 0.15,
};

/** Items by id, as a Map or as a plain record (ReportInput.items). */
export type ItemLookup = ReadonlyMap<string, PipelineItem> | Readonly<Record<string, PipelineItem>>;

/** An engagement counter of {@link Engagement}. */
export type EngagementField = keyof Engagement;

/** Per source: each counter's positive values among its recent items, ascending. */
export type EngagementBaselines = ReadonlyMap<string, Partial<Record<EngagementField, readonly number[]>>>;

/** How a snapshot source (a list of what is popular now) is known, and what its dates mean. */
export interface SnapshotSource {
  /** connector: its kind and params say so; config: `snapshot: true`; detected: from its items. */
  reason: 'connector' | 'config' | 'detected';
  /** The items' dates are the time the list was taken, not their own. */
  listDated: boolean;
  /**
   * The earliest fetch of this source among the items it was given (ISO): an entry first fetched
   * later than that appeared in a list already watched without it. Undefined when none is known.
   */
  firstFetchedAt?: string;
}

export interface RankOptions {
  now: Date;
  windowHours: number;
  /** Preset topic terms (lower-case). No topics: relevance is 1 for every story. */
  topics: readonly string[];
  weights?: Partial<RankWeights>;
  /** Per-source engagement references ({@link engagementBaselines}); fixed references without. */
  baselines?: EngagementBaselines;
  /** Snapshot sources by id ({@link snapshotSources}); none without. */
  snapshots?: ReadonlyMap<string, SnapshotSource>;
}

const HOUR_MS = 3_600_000;
/** A source needs this many positive values of a counter before its own percentile is trusted. */
export const MIN_BASELINE_VALUES = 5;
/** Engagement of an item whose source reports no counters: the middle, neither credit nor penalty. */
export const UNKNOWN_ENGAGEMENT = 0.5;
/** Percentile of a source's values that scores 1 on the log scale. */
const BASELINE_PERCENTILE = 0.9;

/**
 * Each counter: its weight among the counters, the fixed reference used without a baseline, and the
 * floor under a source's own reference.
 */
const COUNTERS: readonly { field: EngagementField; weight: number; reference: number; floor: number }[] = [
  { field: 'points', weight: 1, reference: 300, floor: 30 },
  { field: 'upvotes', weight: 1, reference: 50, floor: 10 },
  { field: 'comments', weight: 0.8, reference: 150, floor: 20 },
  { field: 'likes', weight: 1, reference: 500, floor: 30 },
  { field: 'downloads', weight: 0.8, reference: 500_000, floor: 5_000 },
  { field: 'starsGained', weight: 1, reference: 500, floor: 30 },
  { field: 'stars', weight: 0.6, reference: 10_000, floor: 500 },
];

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

/**
 * Each source's standards: the positive values of each counter among `items` (the source's recent
 * stored items and today's), ascending, when it has at least {@link MIN_BASELINE_VALUES} of them.
 * Items are counted once per id.
 */
export function engagementBaselines(items: readonly Item[]): EngagementBaselines {
  const values = new Map<string, Map<EngagementField, number[]>>();
  const seen = new Set<string>();
  for (const item of items) {
    if (seen.has(item.id)) continue;
    seen.add(item.id);
    let bySource = values.get(item.sourceId);
    if (!bySource) {
      bySource = new Map();
      values.set(item.sourceId, bySource);
    }
    for (const { field } of COUNTERS) {
      const value = item.engagement?.[field];
      if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value)) continue;
      const list = bySource.get(field);
      if (list) list.push(value);
      else bySource.set(field, [value]);
    }
  }
  const baselines = new Map<string, Partial<Record<EngagementField, readonly number[]>>>();
  for (const [sourceId, bySource] of values) {
    const standards: Partial<Record<EngagementField, readonly number[]>> = {};
    for (const [field, list] of bySource) {
      if (list.length >= MIN_BASELINE_VALUES) standards[field] = list.sort((a, b) => a - b);
    }
    baselines.set(sourceId, standards);
  }
  return baselines;
}

/** Index of the first value of `sorted` (ascending) that is not below `value` (`strict`: above it). */
function lowerBound(sorted: readonly number[], value: number, strict: boolean): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    const v = sorted[mid]!;
    if (v < value || (strict && v === value)) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Share of `sorted` (ascending) below `value`, ties counting half: 0..1. */
function percentileOf(value: number, sorted: readonly number[]): number {
  const below = lowerBound(sorted, value, false);
  const equal = lowerBound(sorted, value, true) - below;
  return (below + equal / 2) / sorted.length;
}

/** The counters' names ({@link COUNTERS}). */
const COUNTER_FIELDS: ReadonlySet<string> = new Set(COUNTERS.map(({ field }) => field));

/**
 * Whether an item carries any engagement counter at all. Its engagement's own names are read, not
 * each counter's: most items carry none, and an empty object has no name to read.
 */
function hasCounters(item: Item): boolean {
  const engagement = item.engagement as Readonly<Record<string, unknown>> | undefined;
  if (engagement === undefined) return false;
  for (const field in engagement) if (COUNTER_FIELDS.has(field) && typeof engagement[field] === 'number') return true;
  return false;
}

/**
 * Engagement of one item in 0..1: the best of its weighted counters. With its source's standards, a
 * counter scores the mean of its percentile among the source's values and log(1 + x) / log(1 + p90)
 * (p90 at least the counter's floor); without, log(1 + x) / log(1 + fixed reference). An item with no
 * counter at all scores {@link UNKNOWN_ENGAGEMENT}: unknown is not zero. The connector kind plays no
 * part: a feed that carries points is scored like Hacker News.
 */
export function itemEngagement(item: Item, baselines?: EngagementBaselines): number {
  if (!hasCounters(item)) return UNKNOWN_ENGAGEMENT;
  const standards = baselines?.get(item.sourceId);
  let best = 0;
  for (const { field, weight, reference, floor } of COUNTERS) {
    const value = item.engagement?.[field];
    if (typeof value !== 'number') continue;
    const own = standards?.[field];
    let score: number;
    if (own === undefined || own.length === 0) score = logScale(value, reference);
    else {
      const p90 = own[Math.min(own.length - 1, Math.ceil(BASELINE_PERCENTILE * own.length) - 1)]!;
      score = (percentileOf(value, own) + logScale(value, Math.max(floor, p90))) / 2;
    }
    if (weight * score > best) best = weight * score;
  }
  return clamp01(best);
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

// ---------------------------------------------------------------------------------------------
// Snapshot sources

/** A list taken at one moment gives at least this many items the same date. */
export const SNAPSHOT_MIN_ITEMS = 5;

/** Whether the connector's kind and params make a source a list of what is popular now. */
function connectorSnapshot(source: SourceConfig): Pick<SnapshotSource, 'listDated'> | undefined {
  // Hugging Face models carry their own dates (createdAt, else lastModified).
  if (source.kind === 'huggingface' && source.params.type === 'models') return { listDated: false };
  // GitHub trending rows carry no date at all.
  if (source.kind === 'github' && source.params.mode === 'trending') return { listDated: true };
  return undefined;
}

/** Minutes east of UTC of an offset such as "+08:00", "-0400" or "Z"; undefined when unreadable. */
function offsetMinutes(offset: string | undefined): number | undefined {
  if (offset === undefined) return undefined;
  if (offset === 'Z' || offset === 'UTC' || offset === 'GMT') return 0;
  const match = /^([+-])(\d{2}):?(\d{2})$/.exec(offset);
  if (!match) return undefined;
  return (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3]));
}

/**
 * Whether one fetch of a source looks like a snapshot list: at least {@link SNAPSHOT_MIN_ITEMS}
 * items, all with one and the same date of their own, and that date is not a bare day (midnight in
 * the offset the source wrote) — a daily listing such as arXiv's dates every entry with its day.
 */
function looksLikeSnapshot(fetch: readonly Item[]): boolean {
  if (fetch.length < SNAPSHOT_MIN_ITEMS) return false;
  const first = fetch[0]!;
  if (first.dateFlag) return false;
  for (const item of fetch) if (item.dateFlag || item.publishedAt !== first.publishedAt) return false;
  const ms = timeMs(first.publishedAt);
  if (Number.isNaN(ms)) return false;
  const local = ms + (offsetMinutes(first.publishedOffset) ?? 0) * 60_000;
  return local % 86_400_000 !== 0;
}

/**
 * The snapshot sources among `sources`, from their connector ({@link connectorSnapshot}), their
 * `snapshot: true` config flag, or their items: `items` are the sources' recent stored items (today's
 * included; an item's fetchedAt is its first fetch); a fetch (items of one source with one fetchedAt)
 * that {@link looksLikeSnapshot} makes its source one.
 */
export function snapshotSources(sources: readonly SourceConfig[], items: readonly Item[]): Map<string, SnapshotSource> {
  const fetches = new Map<string, Map<string, Item[]>>();
  const firstFetch = new Map<string, string>();
  for (const item of items) {
    const first = firstFetch.get(item.sourceId);
    if (first === undefined || item.fetchedAt < first) firstFetch.set(item.sourceId, item.fetchedAt);
    let bySource = fetches.get(item.sourceId);
    if (!bySource) {
      bySource = new Map();
      fetches.set(item.sourceId, bySource);
    }
    const fetch = bySource.get(item.fetchedAt);
    if (fetch) fetch.push(item);
    else bySource.set(item.fetchedAt, [item]);
  }
  const result = new Map<string, SnapshotSource>();
  for (const source of sources) {
    const first = firstFetch.get(source.id);
    const since = first === undefined ? {} : { firstFetchedAt: first };
    const byConnector = connectorSnapshot(source);
    if (byConnector) {
      result.set(source.id, { reason: 'connector', listDated: byConnector.listDated, ...since });
    } else if (source.snapshot === true) {
      result.set(source.id, { reason: 'config', listDated: true, ...since });
    } else if (source.snapshot !== false && source.kind !== 'arxiv') {
      const detected = [...(fetches.get(source.id)?.values() ?? [])].some(looksLikeSnapshot);
      if (detected) result.set(source.id, { reason: 'detected', listDated: true, ...since });
    }
  }
  return result;
}

/**
 * Whether an item of a snapshot source is new: its own date (not the list's, not a stand-in) puts it
 * in the window, or it was first fetched inside the window, later than the list's first fetch (it
 * appeared in a list already watched without it). A list never watched before gives no evidence of
 * newness. Items of other sources are always news.
 */
function isNewItem(item: PipelineItem, snapshot: SnapshotSource | undefined, windowStartMs: number): boolean {
  if (!snapshot) return true;
  if (!snapshot.listDated && !item.dateFlag && timeMs(item.publishedAt) >= windowStartMs) return true;
  const fetchedMs = timeMs(item.fetchedAt);
  const firstMs = snapshot.firstFetchedAt === undefined ? Number.NaN : timeMs(snapshot.firstFetchedAt);
  return fetchedMs >= windowStartMs && fetchedMs > firstMs;
}

/** Connector kinds whose items are a platform's own entries: the platform is their publisher. */
const PLATFORM_KINDS = new Set(['hackernews', 'reddit', 'arxiv', 'huggingface', 'github']);
/** Second-level labels under a country code that are not a publisher's name (example.com.cn, bbc.co.uk). */
const GENERIC_SECOND_LEVEL = new Set(['com', 'co', 'net', 'org', 'gov', 'edu', 'ac', 'or', 'ne']);

/**
 * Who publishes an item: a platform (Hacker News, Reddit, arXiv, Hugging Face, GitHub) for its own
 * entries, else the registrable domain of the item's link (news.aibase.com → aibase.com,
 * openai.com/index/… → openai.com), else its source id.
 */
export function publisherOf(item: Pick<PipelineItem, 'sourceKind' | 'url' | 'sourceId'>): string {
  if (PLATFORM_KINDS.has(item.sourceKind)) return item.sourceKind;
  const host = linkParts(item.url)?.host;
  if (host === undefined) return item.sourceId;
  const labels = host.split('.');
  if (labels.length <= 2) return host || item.sourceId;
  const keep = labels.at(-1)!.length === 2 && GENERIC_SECOND_LEVEL.has(labels.at(-2)!) ? 3 : 2;
  return labels.slice(-keep).join('.');
}

/** Whether an item's headline is about the topics: a topic term in its title, or the field vouches for it. */
function headlineOnTopic(item: PipelineItem, matcher: TermMatcher, topics: readonly string[]): boolean {
  return matcher.test(item.title) || fieldVouches(item, topics);
}

/**
 * Relevance of the opening of an item's text, read when no headline of its story is about the
 * topics (so what is left of isClearlyOnTopic and isOnTopic is that opening: its terms are found
 * once for both): 0.5 for two distinct terms, 0.25 for one passing mention, 0 for none.
 */
function leadRelevance(item: PipelineItem, matcher: TermMatcher): number {
  const found = matcher.countAndTest(item.text.slice(0, TOPIC_TEXT_CHARS), AUTO_TEXT_TERMS);
  if (found.terms >= AUTO_TEXT_TERMS) return 0.5;
  return found.any ? 0.25 : 0;
}

/** Relevance of a story's items: whether it is about the topics, not how many of their words it uses. */
function relevanceScore(items: readonly PipelineItem[], topics: readonly string[]): number {
  if (topics.length === 0) return 1;
  const matcher = topicMatcher(topics);
  if (items.some((item) => headlineOnTopic(item, matcher, topics))) return 1;
  let best = 0;
  for (const item of items) {
    best = Math.max(best, leadRelevance(item, matcher));
    if (best === 0.5) break; // the most a text gives
  }
  return best;
}

/** The score of one story's items (representative first). */
export function scoreStory(items: readonly PipelineItem[], options: RankOptions): ScoreBreakdown {
  return scoreWith(
    items,
    items.map((item) => timeMs(item.publishedAt)),
    scoringContext(options),
  );
}

/** What scoring needs from the options, worked out once per ranking instead of once per story. */
interface ScoringContext {
  weights: RankWeights;
  nowMs: number;
  windowHours: number;
  topics: readonly string[];
  baselines: EngagementBaselines | undefined;
  snapshots: ReadonlyMap<string, SnapshotSource>;
}

/** Weights with defaults filled in, scaled to sum to 1 (all-zero weights fall back to the defaults). */
export function normaliseWeights(weights: Partial<RankWeights> | undefined): RankWeights {
  const merged: RankWeights = { ...DEFAULT_WEIGHTS };
  for (const key of Object.keys(DEFAULT_WEIGHTS) as (keyof RankWeights)[]) {
    const value = weights?.[key];
    if (typeof value === 'number' && Number.isFinite(value) && value >= 0) merged[key] = value;
  }
  const sum = Object.values(merged).reduce((a, b) => a + b, 0);
  if (!(sum > 0)) return { ...DEFAULT_WEIGHTS };
  const scaled = { ...merged };
  for (const key of Object.keys(scaled) as (keyof RankWeights)[]) scaled[key] = merged[key] / sum;
  return scaled;
}

function scoringContext(options: RankOptions): ScoringContext {
  return {
    weights: normaliseWeights(options.weights),
    nowMs: options.now.getTime(),
    windowHours: options.windowHours,
    topics: options.topics,
    baselines: options.baselines,
    snapshots: options.snapshots ?? new Map(),
  };
}

/** What a story's score reads of its items but their text: the newest own date, the best authority and engagement, the publishers. */
interface PlainParts {
  newestMs: number;
  bestAuthority: number;
  publishers: number;
  bestEngagement: number;
}

/** {@link PlainParts} of a story's items; `publishedMs` holds each item's timeMs(publishedAt). */
function plainParts(
  items: readonly PipelineItem[],
  publishedMs: readonly number[],
  context: ScoringContext,
): PlainParts {
  // One item is one publisher, whoever it is.
  const publishers = items.length === 1 ? 1 : new Set(items.map(publisherOf)).size;
  let newestMs = Number.NEGATIVE_INFINITY;
  let bestAuthority = 0;
  let bestEngagement = 0;
  for (let index = 0; index < items.length; index++) {
    const item = items[index]!;
    // A date that is not the item's own (a stand-in, or the time a list was taken) earns no recency.
    const ownDate = !item.dateFlag && context.snapshots.get(item.sourceId)?.listDated !== true;
    const itemMs = ownDate ? publishedMs[index]! : Number.NEGATIVE_INFINITY;
    if (itemMs > newestMs) newestMs = itemMs;
    bestAuthority = Math.max(bestAuthority, clamp01(item.sourceAuthority));
    bestEngagement = Math.max(bestEngagement, itemEngagement(item, context.baselines));
  }
  return { newestMs, bestAuthority, publishers, bestEngagement };
}

/** The score of a story's items; `publishedMs` holds each item's timeMs(publishedAt). */
function scoreWith(
  items: readonly PipelineItem[],
  publishedMs: readonly number[],
  context: ScoringContext,
): ScoreBreakdown {
  const { newestMs, bestAuthority, publishers, bestEngagement } = plainParts(items, publishedMs, context);
  return breakdown(
    context,
    newestMs,
    bestAuthority,
    publishers,
    bestEngagement,
    relevanceScore(items, context.topics),
    storyGenre(items),
  );
}

/** The score from what a story's items give: the newest own date, the best authority and engagement, and so on. */
function breakdown(
  context: ScoringContext,
  newestMs: number,
  bestAuthority: number,
  publishers: number,
  bestEngagement: number,
  relevance: number,
  genre: StoryGenre,
): ScoreBreakdown {
  const { weights } = context;
  // Six decimals: enough to rank, and the same digits in every output on every machine.
  const recency = round6(Number.isFinite(newestMs) ? recencyScore(newestMs, context.nowMs, context.windowHours) : 0);
  const authority = round6(clamp01(bestAuthority + 0.05 * (publishers - 1)));
  const coverage = round6(coverageScore(publishers));
  const engagement = round6(bestEngagement);
  const relevanceRounded = round6(relevance);
  const newsValue = newsValueOf(genre);
  const total =
    (weights.recency * recency +
      weights.authority * authority +
      weights.coverage * coverage +
      weights.engagement * engagement +
      weights.relevance * relevanceRounded) *
    newsValue;
  return { recency, authority, coverage, engagement, relevance: relevanceRounded, newsValue, total: round6(total) };
}

function round6(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Score parts that break a tie of totals, in this order. */
const TIE_BREAKERS = ['engagement', 'coverage', 'authority', 'recency', 'relevance'] as const;

/**
 * The reader's order: news before still-trending stories, then total score, then the parts that
 * make it ({@link TIE_BREAKERS}), then a headline that says what happened (a release, a deal, a
 * policy: news-value soundsLikeNews) before one that does not, then title, then id (only identical
 * stories get that far).
 */
export function compareStories(a: Story, b: Story): number {
  const trending = Number(a.stillTrending === true) - Number(b.stillTrending === true);
  if (trending !== 0) return trending;
  if (b.score.total !== a.score.total) return b.score.total - a.score.total;
  for (const part of TIE_BREAKERS) if (b.score[part] !== a.score[part]) return b.score[part] - a.score[part];
  const saysWhat = Number(soundsLikeNews(b.title)) - Number(soundsLikeNews(a.title));
  if (saysWhat !== 0) return saysWhat;
  return compareText(a.title, b.title) || compareText(a.id, b.id);
}

/**
 * Stories from clusters, scored, classified and sorted best first ({@link compareStories}). Item ids
 * missing from `itemsById` are left out of the story; a cluster with none of its items is skipped.
 * Every story is worked out: {@link rankedStories} works out only those that are read.
 */
export function rankStories(clusters: readonly Cluster[], itemsById: ItemLookup, options: RankOptions): Story[] {
  return rankedStories(clusters, itemsById, options).all();
}

/** What cross-day memory and the run's counts read of a story: no section, no score. */
export type StoryOutline = Pick<Story, 'id' | 'itemIds' | 'sourceIds' | 'keys'>;

/**
 * The stories of a day's clusters in the reader's order ({@link compareStories}), each classified and
 * scored when it is read, not before: a report reads a few dozen of a day's stories, and a large day
 * has tens of thousands, nearly all of whose texts would be read for nothing.
 *
 * What a story's score takes from its texts (relevance, from the topics in its headlines and text;
 * news value, from its genre) can only lower it, so the score with both at their most (relevance 1,
 * news value 1: {@link scoreBound}) bounds it from above, and needs no text. Stories are worked out
 * in the order of their bounds (news before still trending, like the order itself); a story worked
 * out is given once no story left could come before it: the next bound is below its total (or the
 * next story is still trending and it is not). Ties of total are worked out before either is given,
 * so the order is {@link rankStories}' exactly: the tests compare both on real and synthetic days.
 *
 * Each story is worked out at most once; {@link all} works out the rest and gives every story.
 */
export class RankedStories implements Iterable<Story> {
  /** How many stories: clusters with at least one of the items. */
  readonly size: number;
  /** How many items the stories hold. */
  readonly itemCount: number;
  private readonly clusters: Cluster[] = [];
  /** Each story's first item, and all its items when it has several. */
  private readonly firsts: PipelineItem[] = [];
  private readonly several: (PipelineItem[] | undefined)[] = [];
  private readonly bounds: Float64Array;
  private readonly trending: Uint8Array;
  private readonly stories: (Story | undefined)[];
  private worked = 0;
  /** Stories by bound, best first ({@link packedOrder}); undefined until first read. */
  private order: Float64Array | undefined;

  constructor(
    clusters: readonly Cluster[],
    itemsById: ItemLookup,
    private readonly context: ScoringContext,
    private readonly windowStartMs: number,
  ) {
    const map = itemsById instanceof Map ? (itemsById as ReadonlyMap<string, PipelineItem>) : undefined;
    let itemCount = 0;
    for (const cluster of clusters) {
      let first: PipelineItem | undefined;
      let items: PipelineItem[] | undefined;
      for (const id of cluster.itemIds) {
        const item = map !== undefined ? map.get(id) : lookup(itemsById, id);
        if (item === undefined) continue;
        if (first === undefined) first = item;
        else if (items === undefined) items = [first, item];
        else items.push(item);
      }
      if (first === undefined) continue;
      this.clusters.push(cluster);
      this.firsts.push(first);
      this.several.push(items);
      itemCount += items === undefined ? 1 : items.length;
    }
    this.size = this.clusters.length;
    this.itemCount = itemCount;
    this.bounds = new Float64Array(this.size);
    this.trending = new Uint8Array(this.size);
    this.stories = new Array(this.size);
    for (let index = 0; index < this.size; index++) {
      const items = this.several[index] ?? [this.firsts[index]!];
      const parts = plainParts(
        items,
        items.map((item) => timeMs(item.publishedAt)),
        context,
      );
      this.bounds[index] = scoreBound(parts, context);
      const snapshots = context.snapshots;
      this.trending[index] = items.some((item) => isNewItem(item, snapshots.get(item.sourceId), windowStartMs)) ? 0 : 1;
    }
  }

  /** How many stories have been classified and scored so far. */
  get evaluated(): number {
    return this.worked;
  }

  /** What memory reads of each story, in cluster order; no story is worked out for it. */
  *outlines(): Generator<StoryOutline> {
    for (let index = 0; index < this.size; index++) {
      const items = this.several[index];
      const first = this.firsts[index]!;
      const { id, keys } = this.clusters[index]!;
      if (items === undefined) {
        yield { id, itemIds: [first.id], sourceIds: [first.sourceId], keys };
        continue;
      }
      const sourceIds: string[] = [];
      for (const item of items) if (!sourceIds.includes(item.sourceId)) sourceIds.push(item.sourceId);
      yield { id, itemIds: items.map((item) => item.id), sourceIds, keys };
    }
  }

  /** Every story, best first: {@link rankStories}. */
  all(): Story[] {
    const stories: Story[] = [];
    for (let index = 0; index < this.size; index++) stories.push(this.story(index));
    return sortStories(stories);
  }

  *[Symbol.iterator](): Generator<Story> {
    const order = this.packedOrder();
    if (order === undefined) {
      yield* this.all();
      return;
    }
    const heap: number[] = [];
    const before = (a: number, b: number): boolean => (compareStories(this.story(a), this.story(b)) || a - b) < 0;
    let next = 0;
    while (heap.length > 0 || next < order.length) {
      if (next < order.length) {
        const candidate = order[next]! % KEY_POSITIONS;
        const best = heap.length > 0 ? this.story(heap[0]!) : undefined;
        // Stories still trending come last in both orders: once the next is one, every news story is
        // in the heap, and a news story on top of it comes before the rest.
        const mayPrecede =
          best === undefined ||
          (this.trending[candidate]! === Number(best.stillTrending === true) &&
            this.bounds[candidate]! >= best.score.total);
        if (mayPrecede) {
          heapPush(heap, candidate, before);
          next++;
          continue;
        }
      }
      yield this.story(heapPop(heap, before));
    }
  }

  /** Story `index`, worked out the first time it is asked for. */
  private story(index: number): Story {
    let story = this.stories[index];
    if (story === undefined) {
      const items = this.several[index];
      const cluster = this.clusters[index]!;
      story =
        items === undefined
          ? singleItemStory(cluster, this.firsts[index]!, this.context, this.windowStartMs)
          : storyOf(cluster, items, this.context, this.windowStartMs);
      this.stories[index] = story;
      this.worked++;
    }
    return story;
  }

  /**
   * The stories' indexes by still trending, then bound (high first), then index, packed as
   * {@link sortStories} packs its keys; undefined when a bound is not a six-decimal number in 0..1
   * (never from scoring) or there are too many stories to pack: then every story is worked out.
   */
  private packedOrder(): Float64Array | undefined {
    if (this.order !== undefined) return this.order;
    if (this.size > KEY_POSITIONS) return undefined;
    const keys = new Float64Array(this.size);
    for (let index = 0; index < this.size; index++) {
      const bound = this.bounds[index]!;
      const millionths = Math.round(bound * MILLIONTHS);
      if (!(bound >= 0 && bound <= 1) || millionths / MILLIONTHS !== bound) return undefined;
      const group = (this.trending[index] === 1 ? MILLIONTHS + 1 : 0) + (MILLIONTHS - millionths);
      keys[index] = group * KEY_POSITIONS + index;
    }
    this.order = keys.sort();
    return this.order;
  }
}

/**
 * The most a story can score before its texts are read: its total with relevance 1 and news value 1.
 * Its real relevance and news value are at most 1, and every step of {@link breakdown} (a sum of
 * non-negative parts, a product, a rounding) keeps an order, so no story scores above its bound.
 */
function scoreBound(parts: PlainParts, context: ScoringContext): number {
  return breakdown(context, parts.newestMs, parts.bestAuthority, parts.publishers, parts.bestEngagement, 1, 'news')
    .total;
}

/** Adds `value` to a binary heap whose first element is the one `before` puts first. */
function heapPush(heap: number[], value: number, before: (a: number, b: number) => boolean): void {
  let at = heap.push(value) - 1;
  while (at > 0) {
    const parent = (at - 1) >> 1;
    if (!before(value, heap[parent]!)) break;
    heap[at] = heap[parent]!;
    at = parent;
  }
  heap[at] = value;
}

/** Takes the first element off a binary heap (of at least one element). */
function heapPop(heap: number[], before: (a: number, b: number) => boolean): number {
  const top = heap[0]!;
  const last = heap.pop()!;
  if (heap.length === 0) return top;
  let at = 0;
  for (;;) {
    const left = 2 * at + 1;
    if (left >= heap.length) break;
    const right = left + 1;
    const child = right < heap.length && before(heap[right]!, heap[left]!) ? right : left;
    if (!before(heap[child]!, last)) break;
    heap[at] = heap[child]!;
    at = child;
  }
  heap[at] = last;
  return top;
}

/**
 * The stories of `clusters` in the reader's order, each worked out when read ({@link RankedStories}).
 * Item ids missing from `itemsById` are left out of the story; a cluster with none of its items is skipped.
 */
export function rankedStories(
  clusters: readonly Cluster[],
  itemsById: ItemLookup,
  options: RankOptions,
): RankedStories {
  const context = scoringContext(options);
  return new RankedStories(clusters, itemsById, context, context.nowMs - options.windowHours * HOUR_MS);
}

/** A story from a cluster and its items (at least one, representative first). */
function storyOf(
  cluster: Cluster,
  items: readonly PipelineItem[],
  context: ScoringContext,
  windowStartMs: number,
): Story {
  const itemIds: string[] = [];
  const sourceIds: string[] = [];
  const publishedMs: number[] = [];
  const listedItemIds: string[] = [];
  let firstSeenMs = Number.POSITIVE_INFINITY;
  let firstSeen: PipelineItem | undefined;
  let stillTrending = true;
  for (const item of items) {
    itemIds.push(item.id);
    if (!sourceIds.includes(item.sourceId)) sourceIds.push(item.sourceId);
    const itemMs = timeMs(item.publishedAt);
    publishedMs.push(itemMs);
    if (itemMs < firstSeenMs) {
      firstSeenMs = itemMs;
      firstSeen = item;
    }
    const snapshot = context.snapshots.get(item.sourceId);
    if (stillTrending && isNewItem(item, snapshot, windowStartMs)) stillTrending = false;
    if (!item.dateFlag && snapshot?.listDated === true) listedItemIds.push(item.id);
  }
  const representative = items[0]!;
  const story: Story = {
    id: cluster.id,
    title: representative.title,
    itemIds,
    sourceIds,
    keys: [...cluster.keys],
    section: classifyStory(items, representative.sourceSection),
    score: scoreWith(items, publishedMs, context),
    firstSeenAt:
      firstSeen === undefined || !Number.isFinite(firstSeenMs)
        ? representative.publishedAt
        : isCanonicalIso(firstSeen.publishedAt)
          ? firstSeen.publishedAt // what toISOString would write again
          : new Date(firstSeenMs).toISOString(),
  };
  // Set after the others, as spreading them in last would: the same order of keys.
  if (stillTrending) story.stillTrending = true;
  if (listedItemIds.length > 0) story.listedItemIds = listedItemIds;
  return story;
}

/**
 * {@link storyOf} a cluster of one item, without the arrays and loops of several: each part is the
 * general rule's answer for one item (classifyStory: its evidence, its title, its text's opening;
 * relevanceScore: its headline, else its text's opening; storyGenre: its genre; scoreWith: its own
 * date, authority and engagement, one publisher). The tests check both give the same story.
 */
function singleItemStory(cluster: Cluster, item: PipelineItem, context: ScoringContext, windowStartMs: number): Story {
  const itemMs = timeMs(item.publishedAt);
  const snapshot = context.snapshots.get(item.sourceId);
  const { topics } = context;
  let relevance = 1;
  if (topics.length > 0) {
    const matcher = topicMatcher(topics);
    if (!headlineOnTopic(item, matcher, topics)) relevance = leadRelevance(item, matcher);
  }
  // A date that is not the item's own (a stand-in, or the time a list was taken) earns no recency.
  const ownDate = !item.dateFlag && snapshot?.listDated !== true;
  const story: Story = {
    id: cluster.id,
    title: item.title,
    itemIds: [item.id],
    sourceIds: [item.sourceId],
    keys: [...cluster.keys],
    section:
      sectionByEvidence(itemSectionEvidence(item)) ??
      sectionByKeywords(item.title) ??
      fallbackSection(item, item.sourceSection),
    score: breakdown(
      context,
      ownDate && itemMs > Number.NEGATIVE_INFINITY ? itemMs : Number.NEGATIVE_INFINITY,
      Math.max(0, clamp01(item.sourceAuthority)),
      1,
      Math.max(0, itemEngagement(item, context.baselines)),
      relevance,
      itemGenre(item),
    ),
    firstSeenAt: !Number.isFinite(itemMs)
      ? item.publishedAt
      : isCanonicalIso(item.publishedAt)
        ? item.publishedAt // what toISOString would write again
        : new Date(itemMs).toISOString(),
  };
  if (!isNewItem(item, snapshot, windowStartMs)) story.stillTrending = true;
  if (!item.dateFlag && snapshot?.listDated === true) story.listedItemIds = [item.id];
  return story;
}

/** Positions a packed sort key holds ({@link sortStories}). */
const KEY_POSITIONS = 2 ** 20;
/** Totals are in millionths (six decimals). */
const MILLIONTHS = 1e6;

/**
 * `[...stories].sort(compareStories)`, with the comparisons that still trending and the total
 * decide (nearly all) made by a numeric sort: each story's key packs its trending flag, its total in
 * millionths (high first) and its position; stories that share flag and total are ordered by
 * compareStories, keeping their positions' order when it finds them equal, as a stable sort does.
 * Totals that are not six-decimal numbers in 0..1 (never from scoring) are sorted by compareStories.
 */
export function sortStories(stories: readonly Story[]): Story[] {
  const count = stories.length;
  const keys = new Float64Array(count);
  for (let index = 0; index < count; index++) {
    const story = stories[index]!;
    const total = story.score.total;
    const millionths = Math.round(total * MILLIONTHS);
    if (!(total >= 0 && total <= 1) || millionths / MILLIONTHS !== total || count > KEY_POSITIONS) {
      return [...stories].sort(compareStories);
    }
    const group = (story.stillTrending === true ? MILLIONTHS + 1 : 0) + (MILLIONTHS - millionths);
    keys[index] = group * KEY_POSITIONS + index;
  }
  keys.sort();
  const sorted: Story[] = [];
  for (let start = 0; start < count; ) {
    const group = Math.floor(keys[start]! / KEY_POSITIONS);
    let end = start + 1;
    while (end < count && Math.floor(keys[end]! / KEY_POSITIONS) === group) end++;
    const run: Story[] = [];
    for (let at = start; at < end; at++) run.push(stories[keys[at]! % KEY_POSITIONS]!);
    if (run.length > 1) run.sort(compareStories);
    for (const story of run) sorted.push(story);
    start = end;
  }
  return sorted;
}
