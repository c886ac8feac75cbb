/**
 * Generic feed connector: RSS 0.9x / 1.0 (RDF) / 2.0, Atom and JSON Feed, parsed by feedsmith.
 * `parseFeedDocument` is the pure half, reused by the arXiv and Reddit connectors.
 */

import { XMLValidator } from 'fast-xml-parser';
import { type AnyFeed, type AtomFeed, type JsonFeed, parseFeed, type RdfFeed, type RssFeed } from 'feedsmith';
import { z } from 'zod';
import { FetchError } from '../core/errors.js';
import { htmlToText } from '../core/sanitize.js';
import type { RawItem } from '../core/types.js';
import { readCommonFeed } from './common-feed-reader.js';
import { prepareFeedXml, rootElementName, truncatedAfterLastEntry } from './feed-xml.js';
import { absoluteHttpUrl, compact, isRecord, resolveUrl, singleSpaced, stringOf, uniqueStrings } from './shared.js';
import type { Connector } from './types.js';

/** The Accept header sent for feeds. */
export const FEED_ACCEPT =
  'application/rss+xml, application/atom+xml, application/feed+json, application/rdf+xml;q=0.9, application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.5';

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

/** How parseFeedDocument reads XML: `feedsmith` skips the fast reader of common RSS and Atom (for the test that holds them equal). */
export interface FeedParseOptions {
  reader?: 'fast-then-feedsmith' | 'feedsmith';
}

/**
 * Parses a feed document (RSS, RDF, Atom or JSON Feed) into raw items. An RSS or Atom document of
 * the common shape is read by `readCommonFeed` (the same fields, faster); any other by feedsmith.
 *
 * Throws FetchError: 'empty' for a blank body, 'not-a-feed' for an HTML page or JSON that is not a
 * feed, 'parse' for broken XML that even the bare-ampersand repair cannot save. Entities declared
 * in a DOCTYPE are never expanded and external entities are never resolved. A valid feed with no
 * entries gives [].
 */
export function parseFeedDocument(text: string, baseUrl?: string, options: FeedParseOptions = {}): RawItem[] {
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

  const prepared = prepareFeedXml(body);
  const common = options.reader === 'feedsmith' ? undefined : readCommonFeed(prepared);
  if (common !== undefined) return itemsOfFeed(common, baseUrl, url);
  return itemsOfFeed(parseXmlFeed(prepared, url), baseUrl, url);
}

/** Root elements of the XML feed formats we read (local names). */
const FEED_ROOTS = new Set(['rss', 'feed', 'rdf']);

/**
 * Parses a prepared XML feed, keeping what can be kept: the document as served, else with bare
 * ampersands escaped, else cut after its last complete item (a truncated or damaged tail). A
 * well-formed RSS, Atom or RDF document that feedsmith finds nothing in (no channel, no entries)
 * gives an empty feed rather than an error.
 */
function parseXmlFeed(body: string, url: string): AnyFeed | undefined {
  // Each repair is made only when the one before it failed.
  function* candidates(): Generator<string> {
    yield body;
    const repaired = repairBareAmpersands(body);
    if (repaired !== body) yield repaired;
    const truncated = truncatedAfterLastEntry(repaired);
    if (truncated !== undefined && truncated !== repaired && truncated !== body) yield truncated;
  }
  let firstError: unknown;
  for (const candidate of candidates()) {
    try {
      return parseWithFeedsmith(candidate, url);
    } catch (error) {
      if (!(error instanceof FetchError)) throw error;
      firstError ??= error;
      if (emptyButValid(candidate)) return undefined;
    }
  }
  throw firstError;
}

/** A well-formed document whose root is an RSS, Atom or RDF element (it may hold no entries at all). */
function emptyButValid(text: string): boolean {
  const root = rootElementName(text)?.toLowerCase();
  if (root === undefined || !FEED_ROOTS.has(root)) return false;
  return XMLValidator.validate(text) === true;
}

/** Maps feedsmith's result (undefined: an empty feed); an unexpected shape is a 'parse' error, never a TypeError. */
function itemsOfFeed(parsed: AnyFeed | undefined, baseUrl: string | undefined, url: string): RawItem[] {
  if (parsed === undefined) return [];
  try {
    return mapFeed(parsed, baseUrl);
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

/**
 * The entry's own title with runs of white space made one, or '' when it has none: normalize
 * then makes one from the entry's text (`titleFromText`), after the text is sanitised.
 */
function titleOf(title: string | undefined): string {
  const text = stringOf(title);
  return text === undefined ? '' : singleSpaced(text);
}

/** The first non-empty value. */
function firstOf(...values: (string | undefined)[]): string | undefined {
  for (const value of values) {
    const text = stringOf(value);
    if (text !== undefined) return text;
  }
  return undefined;
}

/** Dublin Core dates and descriptions, in both the dc: and dcterms: namespaces. */
interface DublinCore {
  dc?: { dates?: string[]; descriptions?: string[] };
  dcterms?: {
    dates?: string[];
    created?: string[];
    issued?: string[];
    modified?: string[];
    descriptions?: string[];
    abstracts?: string[];
  };
}

/** iTunes and Media RSS fields an item falls back on when its own are missing. */
interface MediaExtensions {
  itunes?: { title?: string; author?: string; summary?: string };
  media?: {
    title?: { value?: string };
    description?: { value?: string };
    categories?: { name?: string; label?: string }[];
  };
}

/**
 * An author as a name: RSS `<author>` and some dc:creator values read "name (email)" or
 * "email (name)"; the item keeps the name (an address alone is kept as written).
 */
export function authorNameOf(author: string | undefined): string | undefined {
  const text = stringOf(author);
  if (text === undefined) return undefined;
  const match = /^(.*?)\s*\(([^()]*)\)$/.exec(text);
  if (!match) return text;
  const outer = (match[1] as string).trim();
  const inner = (match[2] as string).trim();
  if (isEmail(outer) && inner !== '') return inner;
  if (isEmail(inner) && outer !== '') return outer;
  return text;
}

function isEmail(value: string): boolean {
  return /^(?:mailto:)?[^\s@]+@[^\s@]+$/.test(value);
}

function authorList(values: (string | undefined)[]): string[] | undefined {
  return optionalList(uniqueStrings(values.map(authorNameOf)));
}

/** The entry's date from Dublin Core: dc:date, then dcterms issued, created, date, modified. */
function dublinCoreDate(entry: DublinCore): string | undefined {
  const terms = entry.dcterms;
  return firstOf(
    entry.dc?.dates?.[0],
    terms?.issued?.[0],
    terms?.created?.[0],
    terms?.dates?.[0],
    terms?.modified?.[0],
  );
}

/** The entry's description from Dublin Core: dc:description, dcterms:description, dcterms:abstract. */
function dublinCoreDescription(entry: DublinCore): string | undefined {
  return firstOf(entry.dc?.descriptions?.[0], entry.dcterms?.descriptions?.[0], entry.dcterms?.abstracts?.[0]);
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
    // The guid is a permalink unless it says otherwise; it stands for a missing link.
    const link =
      stringOf(item.link) ??
      (item.guid?.isPermaLink !== false ? absoluteHttpUrl(guid) : undefined) ??
      stringOf(item.atom?.links?.find((l) => !l.rel || l.rel === 'alternate')?.href);
    const extensions: MediaExtensions = item;
    const contentHtml = firstOf(
      item.content?.encoded,
      item.description,
      dublinCoreDescription(item),
      extensions.itunes?.summary,
      extensions.media?.description?.value,
    );
    return compact<RawItem>({
      guid,
      url: linkUrl(link, base),
      baseUrl: base,
      title: titleOf(
        firstOf(item.title, item.dc?.titles?.[0], extensions.media?.title?.value, extensions.itunes?.title),
      ),
      contentHtml,
      authors: authorList([
        ...(item.authors ?? []).map((a) => a.name ?? a.email),
        ...(item.dc?.creators ?? []),
        extensions.itunes?.author,
      ]),
      published: firstOf(item.pubDate, dublinCoreDate(item), item.atom?.published, item.atom?.updated),
      tags: optionalList(
        uniqueStrings([
          ...(item.categories ?? []).map((c) => c.name),
          ...(item.dc?.subjects ?? []),
          ...(extensions.media?.categories ?? []).map((c) => c.label ?? c.name),
        ]),
      ),
    });
  });
}

function rdfItems(feed: RdfFeed.Feed<string>, baseUrl: string | undefined): RawItem[] {
  const feedBase = feedBaseOf(feed.xml?.base, feed.link, baseUrl);
  return (feed.items ?? []).map((item) => {
    const base = itemBase(item.xml?.base, feedBase);
    const contentHtml = firstOf(item.content?.encoded, item.description, dublinCoreDescription(item));
    return compact<RawItem>({
      guid: stringOf(item.rdf?.about),
      url: linkUrl(item.link, base),
      baseUrl: base,
      title: titleOf(firstOf(item.title, item.dc?.titles?.[0])),
      contentHtml,
      authors: authorList(item.dc?.creators ?? []),
      published: dublinCoreDate(item),
      tags: optionalList(uniqueStrings(item.dc?.subjects ?? [])),
    });
  });
}

/** The entry's link: rel="alternate" (or no rel), else the first link. */
function atomLink(links: AtomFeed.Link<string>[] | undefined): string | undefined {
  const alternate = links?.find((l) => (!l.rel || l.rel === 'alternate') && stringOf(l.href));
  return stringOf(alternate?.href ?? links?.[0]?.href);
}

/**
 * The value of an Atom text or content construct. Atom 1.0 content with a MIME type that is
 * neither text nor XML holds base64 (RFC 4287 §4.1.3.3); it is decoded when it decodes to text.
 */
function atomValue(construct: { value?: string; type?: string } | undefined): string | undefined {
  const value = stringOf(construct?.value);
  if (value === undefined || !isBase64Type(construct?.type)) return value;
  const compact = value.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) return value;
  const decoded = Buffer.from(compact, 'base64');
  const text = new TextDecoder('utf-8', { fatal: false }).decode(decoded);
  return text.includes('\uFFFD') ? value : stringOf(text);
}

function isBase64Type(type: string | undefined): boolean {
  if (type === undefined || !type.includes('/')) return false;
  const lower = type.toLowerCase();
  return !lower.startsWith('text/') && !/[+/]xml\b/.test(lower) && !lower.includes('html');
}

/**
 * An Atom title. One typed as HTML is made plain text here, where its type is known, and
 * re-escaped, so that normalize (which sniffs a title for markup) reads exactly that text:
 * `safe<blink>x</blink>` → `safex`, `the &lt;p&gt; tag` → `the &lt;p&gt; tag` (read "the <p> tag").
 */
function atomTitle(title: { value?: string; type?: string } | undefined): string | undefined {
  const value = atomValue(title);
  if (value === undefined || !isMarkup(title?.type)) return value;
  return htmlToText(value).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
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
    const bodyValue = atomValue(body);
    const contentHtml =
      bodyValue === undefined ? dublinCoreDescription(entry) : isMarkup(body?.type) ? bodyValue : undefined;
    const contentText = bodyValue !== undefined && !isMarkup(body?.type) ? bodyValue : undefined;
    return compact<RawItem>({
      guid: stringOf(entry.id),
      url: linkUrl(atomLink(entry.links), base),
      baseUrl: base,
      title: titleOf(firstOf(atomTitle(entry.title), entry.dc?.titles?.[0])),
      contentHtml,
      contentText,
      authors: authorList([...(entry.authors ?? []).map((a) => a.name), ...(entry.dc?.creators ?? [])]),
      published: firstOf(entry.published, dublinCoreDate(entry), entry.updated),
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
      title: titleOf(item.title),
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
