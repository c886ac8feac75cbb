/**
 * Generic feed connector: RSS 0.9x / 1.0 (RDF) / 2.0, Atom and JSON Feed, parsed by feedsmith.
 * `parseFeedDocument` is the pure half, reused by the arXiv and Reddit connectors.
 */
import { load } from 'cheerio';
import { type AnyFeed, type AtomFeed, type JsonFeed, parseFeed, type RdfFeed, type RssFeed } from 'feedsmith';
import { z } from 'zod';
import { FetchError } from '../core/errors.js';
import type { RawItem } from '../core/types.js';
import { absoluteHttpUrl, compact, isRecord, resolveUrl, stringOf, uniqueStrings } from './shared.js';
import type { Connector } from './types.js';

/** The Accept header sent for feeds. */
export const FEED_ACCEPT =
  'application/rss+xml, application/atom+xml, application/feed+json, application/rdf+xml;q=0.9, application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.5';

/** Longest title made from an entry's content when the entry has no title of its own. */
const DERIVED_TITLE_MAX = 120;

/** A bare "&" that does not start an entity or character reference. */
const BARE_AMPERSAND = /&(?![a-zA-Z#][a-zA-Z0-9]*;)/g;

/**
 * Escapes bare ampersands (`Plants & Animals` → `Plants &amp; Animals`): a textual repair for a
 * common publisher bug, tried only when the document as served does not parse.
 */
export function repairBareAmpersands(text: string): string {
  return text.replace(BARE_AMPERSAND, '&amp;');
}

/** Removes a byte-order mark and any whitespace before the first tag (or JSON value). */
function stripPreamble(text: string): string {
  return text.replace(/^\uFEFF/, '').replace(/^\s+/, '');
}

function looksLikeHtml(text: string): boolean {
  return (
    /^(?:<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>])/i.test(text) || /<html[\s>]/i.test(text.slice(0, 2048))
  );
}

/** feedsmith's own errors (DetectError, MalformedError, ParseError) carry these names. */
function feedsmithErrorName(error: unknown): string {
  return error instanceof Error ? error.name : 'Error';
}

/** Runs feedsmith on a text or a parsed JSON object, turning every failure into a FetchError. */
function parseWithFeedsmith(input: unknown, url: string): AnyFeed {
  try {
    return parseFeed(input);
  } catch (error) {
    if (feedsmithErrorName(error) === 'DetectError') {
      throw new FetchError('not-a-feed', 'the document is not an RSS, Atom or JSON feed', { url, cause: error });
    }
    throw new FetchError('parse', `the feed cannot be parsed: ${(error as Error).message}`, { url, cause: error });
  }
}

/**
 * Parses a feed document (RSS, RDF, Atom or JSON Feed) into raw items.
 *
 * Throws FetchError: 'empty' for a blank body, 'not-a-feed' for an HTML page or JSON that is not a
 * feed, 'parse' for broken XML that even the bare-ampersand repair cannot save. Entities declared
 * in a DOCTYPE are never expanded and external entities are never resolved. A valid feed with no
 * entries gives [].
 */
export function parseFeedDocument(text: string, baseUrl?: string): RawItem[] {
  const url = baseUrl ?? '';
  const body = stripPreamble(text);
  if (body === '') throw new FetchError('empty', 'the response body is empty', { url });

  if (body.startsWith('{') || body.startsWith('[')) {
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch (error) {
      throw new FetchError('not-a-feed', 'the body looks like JSON but does not parse', { url, cause: error });
    }
    if (!isRecord(json)) throw new FetchError('not-a-feed', 'the JSON document is not a JSON Feed', { url });
    return itemsOfFeed(parseWithFeedsmith(json, url), baseUrl, url);
  }

  if (looksLikeHtml(body) && !/<(?:rss|feed|rdf:RDF)[\s>]/.test(body)) {
    throw new FetchError('not-a-feed', 'the document is an HTML page, not a feed', { url });
  }

  let parsed: AnyFeed;
  try {
    parsed = parseWithFeedsmith(body, url);
  } catch (error) {
    const repaired = repairBareAmpersands(body);
    if (!(error instanceof FetchError) || error.kind !== 'parse' || repaired === body) throw error;
    parsed = parseWithFeedsmith(repaired, url);
  }
  return itemsOfFeed(parsed, baseUrl, url);
}

/** Maps feedsmith's result; an unexpected shape is a 'parse' error, never a TypeError. */
function itemsOfFeed(parsed: AnyFeed, baseUrl: string | undefined, url: string): RawItem[] {
  try {
    return mapFeed(parsed, baseUrl).filter((item) => item.title !== '');
  } catch (error) {
    throw new FetchError('parse', `unexpected feed structure: ${(error as Error).message}`, { url, cause: error });
  }
}

function mapFeed(parsed: AnyFeed, baseUrl: string | undefined): RawItem[] {
  let items: RawItem[];
  switch (parsed.format) {
    case 'rss':
      items = rssItems(parsed.feed, baseUrl);
      break;
    case 'rdf':
      items = rdfItems(parsed.feed, baseUrl);
      break;
    case 'atom':
      items = atomItems(parsed.feed, baseUrl);
      break;
    case 'json':
      items = jsonItems(parsed.feed, baseUrl);
      break;
  }
  return items;
}

/** Base for an item: its xml:base, else the feed's base. */
function itemBase(xmlBase: string | undefined, feedBase: string | undefined): string | undefined {
  const base = stringOf(xmlBase);
  return base === undefined ? feedBase : resolveUrl(base, feedBase);
}

/** Base for the whole feed: xml:base on the root, else the site link, else the document URL. */
function feedBaseOf(xmlBase: string | undefined, siteLink: string | undefined, baseUrl: string | undefined) {
  const root = stringOf(xmlBase);
  if (root !== undefined) return resolveUrl(root, baseUrl);
  return absoluteHttpUrl(stringOf(siteLink), baseUrl) ?? baseUrl;
}

/** Title, or a short plain-text title made from the content when the entry has none. */
function titleOr(title: string | undefined, html: string | undefined, text: string | undefined): string {
  const own = stringOf(title);
  if (own !== undefined) return own.replace(/\s+/g, ' ');
  const plain = (text ?? (html ? load(html).text() : '')).replace(/\s+/g, ' ').trim();
  if (plain.length <= DERIVED_TITLE_MAX) return plain;
  return `${plain.slice(0, DERIVED_TITLE_MAX - 1).trimEnd()}…`;
}

function linkUrl(link: string | undefined, base: string | undefined): string | undefined {
  const href = stringOf(link);
  return href === undefined ? undefined : resolveUrl(href, base);
}

function rssItems(feed: RssFeed.Feed<string>, baseUrl: string | undefined): RawItem[] {
  const feedBase = feedBaseOf(feed.xml?.base, feed.link, baseUrl);
  return (feed.items ?? []).map((item) => {
    const base = itemBase(item.xml?.base, feedBase);
    const guid = stringOf(item.guid?.value);
    const permalinkGuid = item.guid?.isPermaLink !== false ? absoluteHttpUrl(guid) : undefined;
    const atomLink = item.atom?.links?.find((l) => !l.rel || l.rel === 'alternate')?.href;
    const link = stringOf(item.link) ?? permalinkGuid ?? stringOf(atomLink);
    const contentHtml = stringOf(item.content?.encoded) ?? stringOf(item.description);
    return compact<RawItem>({
      guid,
      url: linkUrl(link, base),
      baseUrl: base,
      title: titleOr(item.title ?? item.dc?.titles?.[0], contentHtml, undefined),
      contentHtml,
      authors: optionalList(
        uniqueStrings([...(item.authors ?? []).map((a) => a.name ?? a.email), ...(item.dc?.creators ?? [])]),
      ),
      published: stringOf(item.pubDate) ?? stringOf(item.dc?.dates?.[0]) ?? stringOf(item.atom?.published),
      tags: optionalList(uniqueStrings([...(item.categories ?? []).map((c) => c.name), ...(item.dc?.subjects ?? [])])),
    });
  });
}

function rdfItems(feed: RdfFeed.Feed<string>, baseUrl: string | undefined): RawItem[] {
  const feedBase = feedBaseOf(feed.xml?.base, feed.link, baseUrl);
  return (feed.items ?? []).map((item) => {
    const base = itemBase(item.xml?.base, feedBase);
    const contentHtml = stringOf(item.content?.encoded) ?? stringOf(item.description);
    return compact<RawItem>({
      guid: stringOf(item.rdf?.about),
      url: linkUrl(item.link, base),
      baseUrl: base,
      title: titleOr(item.title, contentHtml, undefined),
      contentHtml,
      authors: optionalList(uniqueStrings(item.dc?.creators ?? [])),
      published: stringOf(item.dc?.dates?.[0]),
      tags: optionalList(uniqueStrings(item.dc?.subjects ?? [])),
    });
  });
}

/** The entry's link: rel="alternate" (or no rel), else the first link. */
function atomLink(links: AtomFeed.Link<string>[] | undefined): string | undefined {
  const alternate = links?.find((l) => (!l.rel || l.rel === 'alternate') && stringOf(l.href));
  return stringOf(alternate?.href ?? links?.[0]?.href);
}

/** Atom text constructs are plain text unless typed "html" or "xhtml". */
function isMarkup(type: string | undefined): boolean {
  return type === 'html' || type === 'xhtml' || (type?.includes('html') ?? false);
}

function atomItems(feed: AtomFeed.Feed<string>, baseUrl: string | undefined): RawItem[] {
  const siteLink = feed.links?.find((l) => (!l.rel || l.rel === 'alternate') && stringOf(l.href))?.href;
  const feedBase = feedBaseOf(feed.xml?.base, siteLink, baseUrl);
  return (feed.entries ?? []).map((entry) => {
    const base = itemBase(entry.xml?.base, feedBase);
    const body = stringOf(entry.content?.value) !== undefined ? entry.content : entry.summary;
    const bodyValue = stringOf(body?.value);
    const contentHtml = bodyValue !== undefined && isMarkup(body?.type) ? bodyValue : undefined;
    const contentText = bodyValue !== undefined && !isMarkup(body?.type) ? bodyValue : undefined;
    return compact<RawItem>({
      guid: stringOf(entry.id),
      url: linkUrl(atomLink(entry.links), base),
      baseUrl: base,
      title: titleOr(entry.title?.value, contentHtml, contentText),
      contentHtml,
      contentText,
      authors: optionalList(
        uniqueStrings([...(entry.authors ?? []).map((a) => a.name), ...(entry.dc?.creators ?? [])]),
      ),
      published: stringOf(entry.published) ?? stringOf(entry.updated) ?? stringOf(entry.dc?.dates?.[0]),
      tags: optionalList(uniqueStrings((entry.categories ?? []).map((c) => c.term ?? c.label))),
    });
  });
}

function jsonItems(feed: JsonFeed.Feed<string>, baseUrl: string | undefined): RawItem[] {
  const feedBase = absoluteHttpUrl(stringOf(feed.home_page_url), baseUrl) ?? baseUrl;
  // JSON Feed 1.0 had a single `author`; feedsmith keeps only `authors` when present.
  const legacyAuthor = (item: object) => {
    const author = (item as { author?: unknown }).author;
    return isRecord(author) ? stringOf(author.name) : undefined;
  };
  return (feed.items ?? []).map((item) => {
    const contentHtml = stringOf(item.content_html);
    const contentText = contentHtml === undefined ? (stringOf(item.content_text) ?? stringOf(item.summary)) : undefined;
    return compact<RawItem>({
      guid: stringOf(item.id),
      url: linkUrl(item.url ?? item.external_url, feedBase),
      baseUrl: feedBase,
      title: titleOr(item.title, contentHtml, contentText),
      contentHtml,
      contentText,
      authors: optionalList(uniqueStrings([...(item.authors ?? []).map((a) => a.name), legacyAuthor(item)])),
      published: stringOf(item.date_published) ?? stringOf(item.date_modified),
      tags: optionalList(uniqueStrings(item.tags ?? [])),
    });
  });
}

function optionalList(values: string[]): string[] | undefined {
  return values.length > 0 ? values : undefined;
}

const feedParams = z.object({}).strict();
export type FeedParams = z.infer<typeof feedParams>;

/** RSS, Atom and JSON Feed sources. */
export const feedConnector: Connector<FeedParams> = {
  kind: 'feed',
  description: 'An RSS 0.9x/1.0/2.0, Atom or JSON Feed document (conditional GET; 304 gives nothing new).',
  paramsSchema: feedParams,
  example: { url: 'https://openai.com/news/rss.xml', params: {} },
  async collect({ source, fetch }) {
    const doc = await fetch(source.url, { accept: FEED_ACCEPT, conditional: true });
    if (doc.notModified) return [];
    return parseFeedDocument(doc.text, doc.url);
  },
};
