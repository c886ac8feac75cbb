/**
 * Domain types shared by every stage. This module imports nothing: each stage depends on it,
 * never the other way round (sources → store → pipeline → analyze → render → publish).
 */

/** The six report sections, in the order the report shows them (the seed report's layout). */
export const SECTIONS = ['llm', 'multimodal', 'papers', 'products', 'applications', 'opensource'] as const;
export type Section = (typeof SECTIONS)[number];

/** Connector kinds; one file per kind in src/sources/. */
export const SOURCE_KINDS = ['feed', 'arxiv', 'hackernews', 'github', 'huggingface', 'reddit', 'html'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

/** A configured source, after config validation and preset expansion. */
export interface SourceConfig {
  /** Stable id, kebab-case: it keys the store, so never reuse one for another URL. */
  id: string;
  name: string;
  kind: SourceKind;
  url: string;
  /** 0..1: how much a story from this source is trusted on its own (official lab blog 1.0, forum 0.4). */
  authority: number;
  /** The report section this source usually feeds; the classifier may override it. */
  section: Section;
  enabled: boolean;
  /** Language the source usually writes in, when known. */
  language?: 'zh' | 'en';
  /** IANA time zone used for dates that carry no offset (some Chinese feeds). Default UTC. */
  timezone?: string;
  /**
   * Keep only items that mention a topic term (the others are counted as off-topic): `true`
   * always, `false` never (sources that write about AI alone), `'auto'` when most of what the
   * source published recently is off-topic (see src/pipeline/classify.ts#topicFilter).
   */
  filterTopics: boolean | 'auto';
  /**
   * The source is a list of what is popular now (trending, "best of"): its dates are when the list
   * was taken. Unset: known from the connector, or detected from the items (pipeline/rank).
   */
  snapshot?: boolean;
  /** Connector-specific options, validated by the connector's own schema. */
  params: Record<string, unknown>;
}

/** Engagement counters as numbers; absent when the source does not report them. */
export interface Engagement {
  points?: number;
  comments?: number;
  stars?: number;
  /** Stars gained in the trending period (GitHub trending "stars today"). */
  starsGained?: number;
  likes?: number;
  downloads?: number;
  upvotes?: number;
}

/** Identifiers that make the same thing recognisable across sources. */
export interface ExternalIds {
  /** arXiv id without version, e.g. "2408.12345". */
  arxiv?: string;
  /** GitHub repository "owner/name", lower-cased. */
  github?: string;
  /** Hugging Face model id "org/name". */
  hfModel?: string;
  /** Hacker News item id. */
  hackernews?: string;
  /** Reddit post id (t3 without prefix). */
  reddit?: string;
}

/**
 * What a connector returns: plain data straight from the source, not yet normalised.
 * Connectors stay thin; src/pipeline/normalize.ts does URLs, dates, text and language once.
 */
export interface RawItem {
  /** The source's own id for the entry (RSS guid, Atom id, API id), when it has one. */
  guid?: string;
  /** Link to the entry; may be relative (resolved against baseUrl). */
  url?: string;
  /** Base for resolving a relative url (xml:base, feed link). */
  baseUrl?: string;
  title: string;
  /** Entry body as HTML (to be sanitised to text). */
  contentHtml?: string;
  /** Entry body that is already plain text. */
  contentText?: string;
  authors?: string[];
  /** Date exactly as the source wrote it (RFC 822, ISO 8601, epoch seconds as string, ...). */
  published?: string;
  engagement?: Engagement;
  tags?: string[];
  externalIds?: ExternalIds;
  /** Link to the discussion (HN item page, Reddit comments). */
  discussionUrl?: string;
}

export type Language = 'zh' | 'en' | 'other';

/** Why a stored date is not the source's own. */
export type DateFlag = 'missing' | 'future' | 'absurd' | 'unparsable';

/** Why a reference's date is when the item was first seen: a {@link DateFlag}, or "listed" (a snapshot list's date). */
export type ReferenceDateFlag = DateFlag | 'listed';

/** A normalised, stored item. */
export interface Item {
  /** Deterministic id: sha256 of (sourceId, identity), hex, first 24 chars. */
  id: string;
  sourceId: string;
  /** Identity within the source: "guid:…" ("guid:… url:…" when the document reuses the guid for other links), else "url:…" (canonical), else "hash:…" (title + content). */
  identity: string;
  guid?: string;
  url: string;
  canonicalUrl: string;
  title: string;
  /** Plain text, sanitised (no scripts, hidden text, control characters). */
  text: string;
  language: Language;
  /** ISO 8601 in UTC. */
  publishedAt: string;
  /** The offset the source wrote ("+08:00", "Z"), when it wrote one. */
  publishedOffset?: string;
  /** Set when publishedAt was replaced by the fetch time. */
  dateFlag?: DateFlag;
  fetchedAt: string;
  authors: string[];
  engagement: Engagement;
  tags: string[];
  externalIds: ExternalIds;
  discussionUrl?: string;
}

/** An item as the pipeline sees it: with what it needs of its source. */
export interface PipelineItem extends Item {
  sourceKind: SourceKind;
  sourceName: string;
  sourceAuthority: number;
  sourceSection: Section;
}

/** The parts of a story's score, each 0..1 before weighting, kept so that a rank can be explained. */
export interface ScoreBreakdown {
  recency: number;
  authority: number;
  coverage: number;
  engagement: number;
  relevance: number;
  /**
   * 1 for news; less for a roundup, podcast, a publisher's new publication, event, customer story,
   * promotion, personnel notice or a re-uploaded model (pipeline/news-value). Multiplies the weighted sum.
   */
  newsValue: number;
  /** Weighted sum of the parts above, times newsValue. */
  total: number;
}

/** One story: the same paper / release / repository reported by one or more items. */
export interface Story {
  /** Deterministic: derived from the story's strongest identity (see pipeline/cluster). */
  id: string;
  /** The representative item's title. */
  title: string;
  /** Item ids, representative first. */
  itemIds: string[];
  /** Distinct source ids among the items. */
  sourceIds: string[];
  /** Identities that joined items into this story ("arxiv:2408.12345", "url:…", "github:a/b", "near"). */
  keys: string[];
  section: Section;
  score: ScoreBreakdown;
  /** Earliest publishedAt among the items (ISO, UTC). */
  firstSeenAt: string;
  /**
   * Every item comes from a snapshot list (trending, "best of") and none is new there: popular now,
   * not news of the day. Such stories rank below the day's news.
   */
  stillTrending?: boolean;
  /** Items whose date is the time a snapshot list was taken (when it was first seen there), not their own. */
  listedItemIds?: string[];
  /** Set when the story was reported on an earlier day and has gained sources since. */
  updateOf?: { reportDate: string; previousSourceIds: string[] };
}

/** A citation: a number in the text that resolves to a reference. */
export interface Reference {
  /** 1-based, in order of first use. */
  n: number;
  itemId: string;
  title: string;
  sourceName: string;
  /** ISO date-time in UTC; when `dateFlag` is set, the time the item was first seen instead. */
  publishedAt: string;
  /**
   * Set when the item had no usable date of its own: `publishedAt` is when it was first seen
   * ("listed": the time a snapshot list that first showed it was taken).
   */
  dateFlag?: ReferenceDateFlag;
  url: string;
}

/** A sentence or line of analysis with the references it rests on. */
export interface CitedText {
  text: string;
  /** Reference numbers (Reference.n). */
  cites: number[];
}
