/**
 * Reddit connector: a JSON listing (/r/X/top.json?t=day) or a subreddit RSS/Atom feed (/r/X/.rss).
 * Stickied and NSFW posts are dropped; `minScore` applies to JSON listings (feeds carry no score).
 */
import { z } from 'zod';
import { FetchError } from '../core/errors.js';
import type { RawItem } from '../core/types.js';
import { FEED_ACCEPT, parseFeedDocument } from './feed.js';
import {
  absoluteHttpUrl,
  compact,
  isoFromEpochSeconds,
  isRecord,
  numberOf,
  parseJsonBody,
  stringOf,
  uniqueStrings,
} from './shared.js';
import type { Connector } from './types.js';

const REDDIT_ORIGIN = 'https://www.reddit.com';

/** The post id in a comments URL (".../comments/42tizy/...") or a fullname ("t3_42tizy"). */
export function redditPostIdOf(value: string | undefined): string | undefined {
  if (!value) return undefined;
  return /^t3_([a-z0-9]+)$/i.exec(value.trim())?.[1] ?? /\/comments\/([a-z0-9]+)(?:\/|$)/i.exec(value)?.[1];
}

export interface RedditListingOptions {
  /** Posts with a lower score are dropped. */
  minScore?: number;
}

/**
 * Parses a Reddit Listing (`{kind: 'Listing', data: {children: [{kind: 't3', data}]}}`) into raw
 * items: link posts keep their link, self posts link to their comments page.
 */
export function parseRedditListing(json: unknown, options: RedditListingOptions = {}, url = ''): RawItem[] {
  const minScore = options.minScore ?? 0;
  if (!isRecord(json) || !isRecord(json.data) || !Array.isArray(json.data.children)) {
    throw new FetchError('parse', 'Reddit: expected a Listing ({kind, data: {children}})', { url });
  }
  const items: RawItem[] = [];
  for (const child of json.data.children) {
    if (!isRecord(child) || child.kind !== 't3' || !isRecord(child.data)) continue;
    const post = child.data;
    if (post.stickied === true || post.over_18 === true) continue;
    const score = numberOf(post.score);
    if ((score ?? 0) < minScore) continue;
    const id = stringOf(post.id);
    const title = stringOf(post.title);
    const permalink = stringOf(post.permalink);
    if (!id || !title) continue;
    const discussionUrl = permalink ? new URL(permalink, REDDIT_ORIGIN).href : undefined;
    const linkUrl = post.is_self === true ? undefined : absoluteHttpUrl(stringOf(post.url), REDDIT_ORIGIN);
    const created = numberOf(post.created_utc);
    const tags = uniqueStrings([stringOf(post.subreddit), stringOf(post.link_flair_text)]);
    items.push(
      compact<RawItem>({
        guid: id,
        url: linkUrl ?? discussionUrl,
        title,
        contentText: stringOf(post.selftext),
        authors: stringOf(post.author) ? [String(post.author)] : undefined,
        published: created !== undefined ? isoFromEpochSeconds(created) : undefined,
        engagement: compact({ upvotes: score, comments: numberOf(post.num_comments) }),
        tags: tags.length > 0 ? tags : undefined,
        externalIds: { reddit: id },
        discussionUrl,
      }),
    );
  }
  return items;
}

/** Parses a Reddit RSS 2.0 or Atom feed, adding the post id and the comments page. */
export function parseRedditFeed(text: string, baseUrl?: string): RawItem[] {
  return parseFeedDocument(text, baseUrl).map((item) => {
    const id = redditPostIdOf(item.guid) ?? redditPostIdOf(item.url);
    const discussionUrl = item.url && /\/comments\//.test(item.url) ? item.url : undefined;
    return compact<RawItem>({
      ...item,
      externalIds: id ? { ...item.externalIds, reddit: id } : item.externalIds,
      discussionUrl: item.discussionUrl ?? discussionUrl,
    });
  });
}

/** Parses either form, by the body: JSON listings start with "{". */
export function parseRedditDocument(text: string, options: RedditListingOptions = {}, url = ''): RawItem[] {
  const body = text.replace(/^\uFEFF/, '').trimStart();
  if (body.startsWith('{') || body.startsWith('[')) {
    return parseRedditListing(parseJsonBody(body, url), options, url);
  }
  return parseRedditFeed(body, url || undefined);
}

const redditParams = z
  .object({
    /** JSON listings: posts below this score are dropped. */
    minScore: z.number().int().min(0).default(0),
  })
  .strict();
export type RedditParams = z.infer<typeof redditParams>;

/** Subreddit top posts. */
export const redditConnector: Connector<RedditParams> = {
  kind: 'reddit',
  description:
    'A subreddit: JSON listing (top.json?t=day, with scores) or RSS/Atom feed; stickied and NSFW posts dropped.',
  paramsSchema: redditParams,
  example: { url: 'https://www.reddit.com/r/MachineLearning/top.json?t=day&limit=50', params: { minScore: 0 } },
  async collect({ source, params, fetch }) {
    const isJson = /\.json(?:[?#]|$)/.test(source.url);
    const doc = await fetch(source.url, { accept: isJson ? 'application/json' : FEED_ACCEPT });
    return parseRedditDocument(doc.text, params, doc.url);
  },
};
