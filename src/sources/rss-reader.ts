/**
 * A fast reader for the common shape of RSS 2.0, on htmlparser2's tokenizer (about four times the
 * speed of the XML parser feedsmith sits on). It reads exactly the fields `rssItems` maps and gives
 * them as feedsmith gives them: each the first (or every) such child of an `<item>`, its raw text
 * with comments stripped, CDATA kept and entities decoded outside it, trimmed.
 *
 * It answers only when it is sure to read what feedsmith reads, and otherwise returns undefined, so
 * the document goes to feedsmith as before. It declines:
 *  - anything not well formed the way it sees it: a tag closed by another, a stray closing tag, an
 *    unclosed CDATA section or comment, no `<rss>` root, not exactly one `<channel>`, an item outside it
 *    or inside another;
 *  - markup inside a field (`<description><p>…` unescaped), and a field whose text holds its own
 *    closing tag (feedsmith would cut it there);
 *  - a default namespace on the root, `xml:base`, and a prefix we read (content, dc, dcterms, media, itunes,
 *    atom) bound to another namespace, or one of their namespaces bound to another prefix;
 *  - an item with `<author>` (feedsmith's person parsing), Atom, Dublin Core Terms, iTunes or Media
 *    RSS fields we fall back on, or with none of the fields we read.
 * `test/feed-reader-equivalence.test.ts` holds it to feedsmith's result on every capture and
 * conformance document it answers for.
 */
import { decodeHTML } from 'entities';
import type { RssFeed } from 'feedsmith';
import { Parser } from 'htmlparser2';

/** The namespaces whose fields `rssItems` reads, by their canonical prefix: a substring of each URI feedsmith maps to it. */
const READ_NAMESPACES: ReadonlyArray<readonly [prefix: string, uri: RegExp]> = [
  ['content', /purl\.org\/rss\/1\.0\/modules\/content/i],
  ['dcterms', /purl\.org\/dc\/terms|dcmi-terms/i],
  ['dc', /purl\.org\/dc\/elements|dcmi-namespace/i],
  ['media', /mrss|media-rss|searchmonkey\/media/i],
  ['itunes', /itunes\.com\/dtds/i],
  ['atom', /w3\.org\/2005\/atom|purl\.org\/atom\/ns/i],
];

/** Item children read, by lowercased name: their slot in {@link ItemTexts}. */
const FIELD_SLOTS = new Map<string, number>([
  ['title', 0],
  ['link', 1],
  ['description', 2],
  ['guid', 3],
  ['pubdate', 4],
  ['content:encoded', 5],
  // Read as lists from here on.
  ['category', 6],
  ['dc:title', 7],
  ['dc:creator', 8],
  ['dc:subject', 9],
  ['dc:description', 10],
  ['dc:date', 11],
]);
/** The first slot of a field read as a list (every occurrence, in order). */
const FIRST_LIST_SLOT = 6;
/** The Dublin Core lists, by slot, as feedsmith names them. */
const DC_KEYS: ReadonlyArray<readonly [slot: number, key: string]> = [
  [7, 'titles'],
  [8, 'creators'],
  [9, 'subjects'],
  [10, 'descriptions'],
  [11, 'dates'],
];
/** Item descendants that would make feedsmith's result differ from what this reader gives (fallbacks it does not read). */
const DECLINED_IN_ITEM =
  /^(?:author|atom:|dcterms:|itunes:(?:title|author|summary)$|media:(?:title|description|category)$)/;

/** Whether a namespace declaration would rename a prefix we read, or rename another prefix into one. */
function renamesReadPrefix(prefix: string, uri: string): boolean {
  for (const [canonical, pattern] of READ_NAMESPACES) {
    if (prefix === canonical) return !pattern.test(uri);
    if (pattern.test(uri)) return true;
  }
  return false;
}

const ATTRIBUTES = /([^\s=]+)\s*(=\s*(['"])([\s\S]*?)\3)?/g;

/** The quoted attributes of an opening tag's source, as fast-xml-parser reads them (names lowercased). */
function quotedAttributes(tag: string): Map<string, string> {
  const attributes = new Map<string, string>();
  const open = tag.search(/[\s/>]/);
  const inner = tag.slice(open, tag.endsWith('/>') ? -2 : -1);
  for (const match of inner.matchAll(ATTRIBUTES)) {
    if (match[4] !== undefined && !attributes.has(match[1]!.toLowerCase())) {
      attributes.set(match[1]!.toLowerCase(), match[4]);
    }
  }
  return attributes;
}

function hasEntities(text: string): boolean {
  const amp = text.indexOf('&');
  return amp !== -1 && text.indexOf(';', amp) !== -1;
}

function decoded(text: string): string {
  return hasEntities(text) ? decodeHTML(text) : text;
}

/** Comments removed (an unclosed one leaves the text as it is). */
function withoutComments(text: string): string {
  let at = text.indexOf('<!--');
  if (at === -1) return text;
  let out = '';
  let last = 0;
  while (at !== -1) {
    out += text.slice(last, at);
    const end = text.indexOf('-->', at + 4);
    if (end === -1) return text;
    last = end + 3;
    at = text.indexOf('<!--', last);
  }
  return out + text.slice(last);
}

/** Entities decoded outside CDATA sections, whose content is kept as written. */
function withCdata(text: string): string {
  let at = text.indexOf('<![CDATA[');
  if (at === -1) return decoded(text);
  let out = '';
  let last = 0;
  while (at !== -1) {
    out += decoded(text.slice(last, at));
    const end = text.indexOf(']]>', at + 9);
    if (end === -1) return decoded(text);
    out += text.slice(at + 9, end);
    last = end + 3;
    at = text.indexOf('<![CDATA[', last);
  }
  return out + decoded(text.slice(last));
}

/** A field's value from its raw inner text, as feedsmith's parseString gives it (undefined when blank). */
function fieldValue(raw: string): string | undefined {
  if (raw === '') return undefined;
  return withCdata(withoutComments(raw)).trim() || undefined;
}

/** Whether `value` reads as true or false the way feedsmith reads `isPermaLink`. */
function booleanOf(value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  if (value === 'true') return true;
  if (value === 'false') return false;
  if (/^\p{White_Space}*true\p{White_Space}*$/iu.test(value)) return true;
  if (/^\p{White_Space}*false\p{White_Space}*$/iu.test(value)) return false;
  return undefined;
}

class Declined extends Error {}

function decline(): never {
  throw new Declined();
}

/** The raw texts of one item's fields, by slot (FIELD_SLOTS): a string for one, a list from FIRST_LIST_SLOT on. */
type ItemTexts = Array<string | string[] | undefined>;

/** The values of a list slot (blank ones left out), or undefined when none. */
function listValues(texts: ItemTexts, slot: number): string[] | undefined {
  const raws = texts[slot] as string[] | undefined;
  if (raws === undefined) return undefined;
  const values: string[] = [];
  for (const raw of raws) {
    const text = fieldValue(raw);
    if (text !== undefined) values.push(text);
  }
  return values.length > 0 ? values : undefined;
}

/** The item as feedsmith's RssFeed.Item (the fields rssItems reads, in its order). */
function itemOf(texts: ItemTexts, guidPermalink: string | undefined): RssFeed.Item<string> {
  const item: Record<string, unknown> = {};
  let any = false;
  const single = (slot: number, key: string) => {
    const raw = texts[slot] as string | undefined;
    const text = raw === undefined ? undefined : fieldValue(raw);
    if (text !== undefined) {
      item[key] = text;
      any = true;
    }
  };
  single(0, 'title');
  single(1, 'link');
  single(2, 'description');
  const categories = listValues(texts, 6);
  if (categories !== undefined) {
    item.categories = categories.map((name) => ({ name }));
    any = true;
  }
  if (texts[3] !== undefined) {
    const value = fieldValue(texts[3] as string);
    const isPermaLink = booleanOf(guidPermalink);
    if (value !== undefined || isPermaLink !== undefined) {
      item.guid =
        isPermaLink === undefined ? { value } : value === undefined ? { isPermaLink } : { value, isPermaLink };
      any = true;
    }
  }
  single(4, 'pubDate');
  const dc: Record<string, string[]> = {};
  let anyDc = false;
  for (const [slot, key] of DC_KEYS) {
    const values = listValues(texts, slot);
    if (values !== undefined) {
      dc[key] = values;
      anyDc = true;
    }
  }
  if (anyDc) {
    item.dc = dc;
    any = true;
  }
  const encoded = texts[5] === undefined ? undefined : fieldValue(texts[5] as string);
  if (encoded !== undefined) {
    item.content = { encoded };
    any = true;
  }
  // feedsmith drops an item none of whose fields has a value; this reader cannot tell for the
  // fields it does not read.
  if (!any) decline();
  return item as RssFeed.Item<string>;
}

/** The handlers of one read: a tag closed by another, or never closed, declines the document. */
class CommonRssHandler {
  readonly stack: string[] = [];
  /** Where each open element's tag starts: a self-closed one "closes" where it opened. */
  readonly starts: number[] = [];
  readonly items: RssFeed.Item<string>[] = [];
  parser!: Parser;
  channels = 0;
  channelLink: string | undefined;
  channelLinkSeen = false;
  item: ItemTexts | undefined;
  guidPermalink: string | undefined;
  /** The field being read (a child of the item, or the channel's link): its slot (-1: the channel link), depth and text start. */
  fieldSlot = -2;
  fieldDepth = -1;
  fieldStart = 0;
  explicitCloses = 0;

  constructor(readonly text: string) {}

  onopentag(rawName: string, attributes: Record<string, string>): void {
    const name = rawName.toLowerCase();
    const depth = this.stack.length;
    for (const attribute in attributes) {
      const lower = attribute.toLowerCase();
      // feedsmith heeds a default namespace on the root element only.
      if ((lower === 'xmlns' && depth === 0) || lower === 'xml:base') decline();
      if (lower.startsWith('xmlns:') && renamesReadPrefix(lower.slice(6), attributes[attribute]!.trim())) decline();
    }
    if (this.fieldSlot !== -2) decline(); // markup inside a field
    this.stack.push(name);
    this.starts.push(this.parser.startIndex);
    if (depth === 0) {
      if (name !== 'rss') decline();
    } else if (name === 'channel') {
      if (depth !== 1 || ++this.channels > 1) decline();
    } else if (name === 'item') {
      if (depth !== 2 || this.stack[1] !== 'channel' || this.item !== undefined) decline();
      this.item = [];
      this.guidPermalink = undefined;
    } else if (this.item !== undefined) {
      if (DECLINED_IN_ITEM.test(name)) decline();
      const slot = depth === 3 ? FIELD_SLOTS.get(name) : undefined;
      if (slot !== undefined) {
        this.openField(slot, depth);
        if (slot === 3 && this.item[3] === undefined) {
          this.guidPermalink = quotedAttributes(this.text.slice(this.parser.startIndex, this.parser.endIndex + 1)).get(
            'ispermalink',
          );
        }
      }
    } else if (name === 'link' && depth === 2 && this.stack[1] === 'channel' && !this.channelLinkSeen) {
      this.channelLinkSeen = true;
      this.openField(-1, depth);
    }
  }

  private openField(slot: number, depth: number): void {
    this.fieldSlot = slot;
    this.fieldDepth = depth;
    this.fieldStart = this.parser.endIndex + 1;
  }

  onclosetag(rawName: string, implied: boolean): void {
    const depth = this.stack.length - 1;
    const selfClosing = implied && this.parser.startIndex === this.starts[depth];
    if (implied && !selfClosing) decline(); // closed by another element's closing tag, or never closed
    if (!implied) this.explicitCloses++;
    this.stack.pop();
    this.starts.pop();
    if (this.fieldSlot !== -2 && this.fieldDepth === depth) {
      const raw = selfClosing ? '' : this.text.slice(this.fieldStart, this.parser.startIndex);
      // fast-xml-parser ends a field at the first closing tag of its name, even inside CDATA.
      if (raw.includes('</') && raw.includes(`</${rawName}`)) decline();
      const slot = this.fieldSlot;
      this.fieldSlot = -2;
      if (slot === -1) this.channelLink = fieldValue(raw);
      else if (slot < FIRST_LIST_SLOT) this.item![slot] ??= raw;
      else {
        const list = this.item![slot] as string[] | undefined;
        if (list === undefined) this.item![slot] = [raw];
        else list.push(raw);
      }
    } else if (this.item !== undefined && depth === 2) {
      this.items.push(itemOf(this.item, this.guidPermalink));
      this.item = undefined;
    }
  }

  onprocessinginstruction(): void {
    if (this.stack.length > 0) decline();
  }
}

/** htmlparser2's parser, counting every closing tag: one it ignores (closing nothing open) declines the document. */
class CountingParser extends Parser {
  closingTags = 0;

  override onclosetag(start: number, endIndex: number): void {
    this.closingTags++;
    super.onclosetag(start, endIndex);
  }
}

/**
 * The feed as feedsmith would give the fields `rssItems` reads (its site link and items), or
 * undefined when the document is not of the common shape this reader is sure of.
 */
export function readCommonRss(xml: string): RssFeed.Feed<string> | undefined {
  // fast-xml-parser reads every line break as \n: so are the raw texts here.
  const text = xml.includes('\r') ? xml.replace(/\r\n?/g, '\n') : xml;
  if (
    text.lastIndexOf('<![CDATA[') > text.lastIndexOf(']]>') ||
    text.lastIndexOf('<!--') > text.lastIndexOf('-->') ||
    // Anything after the last tag but white space: a tag cut off at the end.
    text.slice(text.lastIndexOf('>') + 1).trim() !== ''
  ) {
    return undefined;
  }
  const handler = new CommonRssHandler(text);
  const parser = new CountingParser(handler, { xmlMode: true, decodeEntities: false });
  handler.parser = parser;
  try {
    parser.end(text);
  } catch (error) {
    if (error instanceof Declined) return undefined;
    throw error;
  }
  if (handler.stack.length > 0 || handler.channels !== 1 || parser.closingTags !== handler.explicitCloses) {
    return undefined;
  }
  const feed = { items: handler.items } as RssFeed.Feed<string>;
  if (handler.channelLink !== undefined) feed.link = handler.channelLink;
  return feed;
}
