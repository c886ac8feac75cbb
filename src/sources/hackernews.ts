/**
 * Hacker News connector. Default: ONE Algolia search_by_date request for the stories of the last
 * `hours` with at least `minPoints` points, filtered locally by the AI keyword matcher on the
 * title (Algolia's `query` is a single all-words query, so several keywords would need several
 * requests; one request plus a local filter is cheaper and catches every keyword).
 * Alternative (`api: 'firebase'`): topstories.json, then item/<id>.json for the first `limit` ids.
 */
import { z } from 'zod';
import { FetchError } from '../core/errors.js';
import type { RawItem } from '../core/types.js';
import { createItemMatcher, DEFAULT_AI_KEYWORDS } from './keywords.js';
import {
  absoluteHttpUrl,
  compact,
  isoFromEpochSeconds,
  isRecord,
  numberOf,
  parseJsonBody,
  stringOf,
} from './shared.js';
import type { Connector } from './types.js';

export const HN_FIREBASE_URL = 'https://hacker-news.firebaseio.com/v0';
const JSON_ACCEPT = 'application/json';

/** The HN discussion page of an item. */
export function hackerNewsItemUrl(id: string): string {
  return `https://news.ycombinator.com/item?id=${id}`;
}

/** Parses an Algolia search response (`{hits: [...]}`) into raw items; hits without a title are skipped. */
export function parseAlgoliaSearch(json: unknown, url = ''): RawItem[] {
  if (!isRecord(json) || !Array.isArray(json.hits)) {
    throw new FetchError('parse', 'Algolia search: expected an object with hits[]', { url });
  }
  const items: RawItem[] = [];
  for (const hit of json.hits) {
    if (!isRecord(hit)) continue;
    const id = stringOf(hit.objectID) ?? stringOf(hit.story_id);
    const title = stringOf(hit.title) ?? stringOf(hit.story_title);
    if (!id || !title) continue;
    const createdAt = numberOf(hit.created_at_i);
    items.push(
      compact<RawItem>({
        guid: id,
        url: absoluteHttpUrl(stringOf(hit.url) ?? stringOf(hit.story_url)) ?? hackerNewsItemUrl(id),
        title,
        contentHtml: stringOf(hit.story_text),
        authors: stringOf(hit.author) ? [String(hit.author)] : undefined,
        published: stringOf(hit.created_at) ?? (createdAt !== undefined ? isoFromEpochSeconds(createdAt) : undefined),
        engagement: compact({ points: numberOf(hit.points), comments: numberOf(hit.num_comments) }),
        tags: ['hackernews'],
        externalIds: { hackernews: id },
        discussionUrl: hackerNewsItemUrl(id),
      }),
    );
  }
  return items;
}

/**
 * Parses one Firebase item (/v0/item/<id>.json). Returns undefined for anything that is not a live
 * story with a title (comments, jobs, polls, deleted or dead items, `null`).
 */
export function parseFirebaseItem(json: unknown): RawItem | undefined {
  if (!isRecord(json) || json.deleted === true || json.dead === true) return undefined;
  if (json.type !== 'story') return undefined;
  const id = stringOf(json.id);
  const title = stringOf(json.title);
  if (!id || !title) return undefined;
  const time = numberOf(json.time);
  return compact<RawItem>({
    guid: id,
    url: absoluteHttpUrl(stringOf(json.url)) ?? hackerNewsItemUrl(id),
    title,
    contentHtml: stringOf(json.text),
    authors: stringOf(json.by) ? [String(json.by)] : undefined,
    published: time !== undefined ? isoFromEpochSeconds(time) : undefined,
    engagement: compact({ points: numberOf(json.score), comments: numberOf(json.descendants) }),
    tags: ['hackernews'],
    externalIds: { hackernews: id },
    discussionUrl: hackerNewsItemUrl(id),
  });
}

/** Parses /v0/topstories.json: an array of item ids. */
export function parseFirebaseIds(json: unknown, url = ''): number[] {
  if (!Array.isArray(json)) throw new FetchError('parse', 'topstories: expected an array of ids', { url });
  return json.filter((id): id is number => typeof id === 'number' && Number.isInteger(id));
}

const hackernewsParams = z
  .object({
    api: z.enum(['algolia', 'firebase']).default('algolia'),
    /** Only stories with at least this many points. */
    minPoints: z.number().int().min(0).default(50),
    /** Title keywords (whole words, case-insensitive); an empty list keeps every story. */
    keywords: z.array(z.string().min(1)).default([...DEFAULT_AI_KEYWORDS]),
    /** Algolia: stories created in the last `hours`. */
    hours: z
      .number()
      .int()
      .min(1)
      .max(24 * 14)
      .default(36),
    /** Algolia: hits per request (Algolia caps it at 1000). */
    hitsPerPage: z.number().int().min(1).max(1000).default(300),
    /** Algolia: an optional full-text query sent along (narrows before the keyword filter). */
    query: z.string().min(1).optional(),
    /** Firebase: how many of the top stories to fetch. */
    limit: z.number().int().min(1).max(500).default(30),
    /** Firebase: API base. */
    firebaseUrl: z.url().default(HN_FIREBASE_URL),
  })
  .strict();
export type HackernewsParams = z.infer<typeof hackernewsParams>;

/** The Algolia search_by_date URL for the params at `now`. */
export function algoliaSearchUrl(endpoint: string, params: HackernewsParams, now: Date): string {
  const since = Math.floor(now.getTime() / 1000) - params.hours * 3600;
  const search = new URLSearchParams({
    tags: 'story',
    numericFilters: `created_at_i>${since},points>=${params.minPoints}`,
    hitsPerPage: String(params.hitsPerPage),
  });
  if (params.query) search.set('query', params.query);
  return `${endpoint}${endpoint.includes('?') ? '&' : '?'}${search.toString()}`;
}

/**
 * Keeps stories with enough points whose title mentions a keyword, or (AI keywords) whose link or
 * title the field vouches for (keywords.ts createItemMatcher).
 */
export function selectStories(items: RawItem[], params: Pick<HackernewsParams, 'minPoints' | 'keywords'>): RawItem[] {
  const matches = createItemMatcher(params.keywords);
  return items.filter((item) => (item.engagement?.points ?? 0) >= params.minPoints && matches(item));
}

async function collectFirebase(context: Parameters<Connector<HackernewsParams>['collect']>[0]): Promise<RawItem[]> {
  const { params, fetch, warn } = context;
  const base = params.firebaseUrl.replace(/\/+$/, '');
  const top = await fetch(`${base}/topstories.json`, { accept: JSON_ACCEPT });
  const ids = parseFirebaseIds(parseJsonBody(top.text, top.url), top.url).slice(0, params.limit);
  // Requests go out together; the fetcher's per-host limit keeps them polite.
  const results = await Promise.allSettled(
    ids.map(async (id) => {
      const doc = await fetch(`${base}/item/${id}.json`, { accept: JSON_ACCEPT });
      return parseFirebaseItem(parseJsonBody(doc.text, doc.url));
    }),
  );
  const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (ids.length > 0 && failures.length === ids.length) throw failures[0]?.reason;
  if (failures.length > 0) warn(`${failures.length} of ${ids.length} Hacker News items could not be fetched`);
  const items = results.flatMap((r) => (r.status === 'fulfilled' && r.value ? [r.value] : []));
  return selectStories(items, params);
}

/** Hacker News stories about AI. */
export const hackernewsConnector: Connector<HackernewsParams> = {
  kind: 'hackernews',
  description:
    'Hacker News stories with at least minPoints points whose title matches AI keywords (Algolia search, or the Firebase top stories).',
  paramsSchema: hackernewsParams,
  example: {
    url: 'https://hn.algolia.com/api/v1/search_by_date',
    params: {
      api: 'algolia',
      minPoints: 50,
      keywords: [...DEFAULT_AI_KEYWORDS],
      hours: 36,
      hitsPerPage: 300,
      limit: 30,
      firebaseUrl: HN_FIREBASE_URL,
    },
  },
  async collect(context) {
    const { source, params, fetch, now } = context;
    if (params.api === 'firebase') return collectFirebase(context);
    const doc = await fetch(algoliaSearchUrl(source.url, params, now), { accept: JSON_ACCEPT });
    return selectStories(parseAlgoliaSearch(parseJsonBody(doc.text, doc.url), doc.url), params);
  },
};
