/**
 * A fast reader for the common shape of RSS 2.0 and Atom, on htmlparser2's tokenizer (about four
 * times the speed of the XML parser feedsmith sits on). It reads exactly the fields `mapFeed` maps and
 * gives them as feedsmith gives them: each the first (or every) such child of an item or entry, its
 * raw text with comments stripped, CDATA kept and entities decoded outside it, trimmed; an RSS
 * author split into name, email and link by feedsmith's rules; an Atom link, category or text
 * construct with its quoted attributes as fast-xml-parser reads them.
 *
 * It answers only when it is sure to read what feedsmith reads, and otherwise returns undefined, so
 * the document goes to feedsmith as before. It declines:
 *  - anything not well formed the way it sees it: a tag closed by another, a stray closing tag, an
 *    unclosed CDATA section or comment, a cut-off tail, elements nested 100 deep (fast-xml-parser
 *    refuses a document nested deeper), a root other than `<rss>` or `<feed>`, not
 *    exactly one `<channel>`, an item or entry outside its place or inside another;
 *  - markup inside a field (`<description><p>…` unescaped, XHTML content), and a field whose text
 *    holds its own closing tag;
 *  - `xml:base`, a default namespace on the root that feedsmith could heed (in Atom any but Atom's
 *    own, in RSS any http(s) one), and a prefix in use that feedsmith would rename (a prefix we read
 *    bound to another namespace, one of their namespaces or Atom's under another prefix; in RSS, in
 *    use in an item);
 *  - an item with Atom, Dublin Core Terms, iTunes or Media RSS fields we fall back on, an author
 *    written otherwise than as text or a `<name>`, an Atom link with attributes feedsmith keeps
 *    apart, and an item or entry with none of the fields we read.
 * `test/feed-reader-equivalence.test.ts` holds it to feedsmith's result on every capture and
 * conformance document it answers for, and on edits of the captures (decision 0232).
 */
import { decodeHTML } from 'entities';
import type { AnyFeed, AtomFeed, RssFeed } from 'feedsmith';
import { type Handler, Parser } from 'htmlparser2';
import { rootElementName } from './feed-xml.js';

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
/** The slot of an item's authors' raw texts (`<author>`'s, or its `<name>`'s). */
const AUTHOR_SLOT = 12;
/** The Dublin Core lists, by slot, as feedsmith names them. */
const DC_KEYS: ReadonlyArray<readonly [slot: number, key: string]> = [
  [7, 'titles'],
  [8, 'creators'],
  [9, 'subjects'],
  [10, 'descriptions'],
  [11, 'dates'],
];
/** Item descendants that would make feedsmith's result differ from what this reader gives (fallbacks it does not read). */
const DECLINED_IN_ITEM = /^(?:atom:|dcterms:|itunes:(?:title|author|summary)$|media:(?:title|description|category)$)/;

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
    // The last of a repeated name wins, as in fast-xml-parser's map.
    if (match[4] !== undefined) attributes.set(match[1]!.toLowerCase(), match[4]);
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

/** An RSS person as feedsmith reads "name", "email (name)", "name <email>", a link … (it keeps the parts). */
interface Person {
  name?: string;
  email?: string;
  link?: string;
}

const EMAIL = /^[^\s@()<>[\]]+@[^\s@()<>[\]]+\.[^\s@()<>[\]]+$/;
const URL_LIKE = /^(?:https?:\/\/|www\.)[^\s]+\.[^\s]+$/;
const SEPARATORS_AT_ENDS = /^[\s,\-|/:;]+|[\s,\-|/:;]+$/g;

function withoutMailto(value: string): string {
  const stripped = value.replace(/^mailto:/i, '');
  return stripped === value ? stripped : stripped.replace(/\?.*$/, '');
}

function personOf(raw: string): Person | undefined {
  const stripped = withoutMailto(raw);
  if (URL_LIKE.test(stripped)) return { link: stripped };
  if (EMAIL.test(stripped)) return { email: stripped };
  if (!/[<[(]/.test(raw)) {
    if (!raw.includes('@') && !raw.includes('://') && !raw.includes('www.')) return { name: raw };
    const nameParts: string[] = [];
    let email: string | undefined;
    let link: string | undefined;
    for (const word of raw.split(/\s+/)) {
      const bare = withoutMailto(word);
      if (URL_LIKE.test(word) && !link) link = word;
      else if (EMAIL.test(bare) && !email) email = bare;
      else nameParts.push(word);
    }
    if (!email && !link) return { name: raw };
    return definedParts({ name: fieldValue(nameParts.join(' ').replace(SEPARATORS_AT_ENDS, '')), email, link });
  }
  const person: Person = {};
  const nameParts: string[] = [];
  let unbracketedName = false;
  let at = 0;
  const isOpening = (char: string | undefined) => char === '<' || char === '(' || char === '[';
  while (at < raw.length) {
    let chunk: string | undefined;
    let bracketed = false;
    const open = raw[at]!;
    const close = open === '<' ? '>' : open === '(' ? ')' : ']';
    if (isOpening(open)) {
      const start = at + 1;
      let depth = 1;
      let end = start;
      while (end < raw.length && depth > 0) {
        if (raw[end] === open) depth++;
        else if (raw[end] === close) depth--;
        end++;
      }
      if (depth === 0) {
        bracketed = true;
        chunk = fieldValue(raw.slice(start, end - 1));
        at = end;
      } else {
        const literalStart = at;
        at = start;
        while (at < raw.length && !isOpening(raw[at])) at++;
        chunk = fieldValue(raw.slice(literalStart, at));
      }
    } else {
      const start = at;
      while (at < raw.length && !isOpening(raw[at])) at++;
      chunk = fieldValue(raw.slice(start, at));
    }
    if (!chunk) continue;
    const bare = withoutMailto(chunk);
    if (URL_LIKE.test(chunk) && !person.link) person.link = chunk;
    else if (EMAIL.test(bare) && !person.email) person.email = bare;
    else if (bracketed) nameParts.push(unbracketedName ? `${open}${chunk}${close}` : chunk);
    else {
      unbracketedName = true;
      nameParts.push(chunk);
    }
  }
  person.name = fieldValue(nameParts.join(' '));
  return definedParts(person);
}

/** The person with its undefined parts left out; undefined when it has none. */
function definedParts(person: Person): Person | undefined {
  const kept: Person = {};
  if (person.name !== undefined) kept.name = person.name;
  if (person.email !== undefined) kept.email = person.email;
  if (person.link !== undefined) kept.link = person.link;
  return Object.keys(kept).length > 0 ? kept : undefined;
}

class Declined extends Error {}

function decline(): never {
  throw new Declined();
}

/**
 * The prefixes a document uses and the ones feedsmith would rename (to another namespace's prefix, or
 * to none): a prefix in both makes feedsmith read an element under another name than this reader would.
 */
class NamespaceUse {
  private readonly used = new Set<string>();
  private readonly renamed = new Set<string>();

  /**
   * Notes an element's name and attributes (their prefixes count as used where `used` says so);
   * declines `xml:base` and a default namespace on the root that feedsmith could heed: in Atom, any
   * but Atom's own; in RSS, any http(s) one (every namespace feedsmith knows is one).
   */
  note(name: string, attributes: Record<string, string>, depth: number, atom: boolean, used: boolean): void {
    const colon = name.indexOf(':');
    if (colon > 0 && used) this.used.add(name.slice(0, colon));
    for (const attribute in attributes) {
      const lower = attribute.toLowerCase();
      if (lower === 'xml:base') decline();
      if (lower === 'xmlns') {
        // feedsmith heeds a default namespace on the root element only (Atom's own names no prefix).
        const uri = attributes[attribute]!.trim();
        if (depth === 0 && (atom ? !ATOM_NAMESPACE.test(uri) : /^https?:/i.test(uri))) decline();
      } else if (lower.startsWith('xmlns:')) {
        const prefix = lower.slice(6);
        const uri = attributes[attribute]!.trim();
        if ((atom && ATOM_NAMESPACE.test(uri)) || renamesReadPrefix(prefix, uri)) this.renamed.add(prefix);
      } else {
        const at = lower.indexOf(':');
        if (at > 0 && used && !lower.startsWith('xml:')) this.used.add(lower.slice(0, at));
      }
    }
  }

  /** Whether a prefix the document uses is one feedsmith would rename. */
  renamesAUsedPrefix(): boolean {
    for (const prefix of this.renamed) if (this.used.has(prefix)) return true;
    return false;
  }
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
  const authors: Person[] = [];
  for (const raw of (texts[AUTHOR_SLOT] as string[] | undefined) ?? []) {
    const text = fieldValue(raw);
    const person = text === undefined ? undefined : personOf(text);
    if (person !== undefined) authors.push(person);
  }
  if (authors.length > 0) {
    item.authors = authors;
    any = true;
  }
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

/** The depth (the root element's being 0) at which an element makes the document feedsmith's. */
const MAX_DEPTH = 100;

/**
 * What both readers keep of the document's structure: the open elements, where each opened (a
 * self-closed one "closes" where it opened), the closing tags seen, the namespaces in use. A tag
 * closed by another element's closing tag, or never closed, declines the document.
 */
abstract class StructureReader {
  readonly stack: string[] = [];
  readonly starts: number[] = [];
  parser!: Parser;
  explicitCloses = 0;
  readonly names = new NamespaceUse();

  constructor(
    readonly text: string,
    private readonly atom: boolean,
  ) {}

  /** Notes an opening tag; `insideField` declines it (markup inside a field). Gives its lowercased name and depth. */
  protected enter(rawName: string, attributes: Record<string, string>, insideField: boolean): [string, number] {
    const name = rawName.toLowerCase();
    const depth = this.stack.length;
    // fast-xml-parser refuses a document nested deeper than 100 elements (and the parser's stack
    // grows at a cost that rises with its depth): such a document is feedsmith's to refuse.
    if (depth >= MAX_DEPTH) decline();
    this.names.note(name, attributes, depth, this.atom, this.namesMatter(name));
    if (insideField) decline();
    this.stack.push(name);
    this.starts.push(this.parser.startIndex);
    return [name, depth];
  }

  /** Notes a closing tag; gives the depth of the element it closes and whether it closed itself. */
  protected leave(implied: boolean): [number, boolean] {
    const depth = this.stack.length - 1;
    const selfClosing = implied && this.parser.startIndex === this.starts[depth];
    if (implied && !selfClosing) decline();
    if (!implied) this.explicitCloses++;
    this.stack.pop();
    this.starts.pop();
    return [depth, selfClosing];
  }

  onprocessinginstruction(): void {
    if (this.stack.length > 0) decline();
  }

  /** Whether the prefixes of an element opening now matter to what the mapping reads. */
  protected abstract namesMatter(name: string): boolean;
}

/** The handlers of one read of an RSS document (rss = depth 0, channel = 1, item = 2, its fields = 3, an author's name = 4). */
class CommonRssHandler extends StructureReader {
  readonly items: RssFeed.Item<string>[] = [];
  channels = 0;
  channelLink: string | undefined;
  channelLinkSeen = false;
  item: ItemTexts | undefined;
  guidPermalink: string | undefined;
  /** An `<author>` of the item being read: where its text starts, whether it holds elements, its first `<name>`'s text. */
  author: { start: number; elements: boolean; name?: string } | undefined;
  /** The field being read (a child of the item, or the channel's link): its slot (-1: the channel link, -3: an author's name), depth and text start. */
  fieldSlot = -2;
  fieldDepth = -1;
  fieldStart = 0;

  constructor(text: string) {
    super(text, false);
  }

  /** Only an item's names: the mapping reads nothing of the channel but its `<link>`, which no prefix can become. */
  protected namesMatter(name: string): boolean {
    return this.item !== undefined || name === 'item';
  }

  onopentag(rawName: string, attributes: Record<string, string>): void {
    const [name, depth] = this.enter(rawName, attributes, this.fieldSlot !== -2);
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
      if (depth === 3 && name === 'author') {
        this.author = { start: this.parser.endIndex + 1, elements: false };
        return;
      }
      if (depth === 4 && this.author !== undefined) {
        this.author.elements = true;
        if (name === 'name' && this.author.name === undefined) this.openField(-3, depth);
        return;
      }
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
    const [depth, selfClosing] = this.leave(implied);
    if (this.fieldSlot !== -2 && this.fieldDepth === depth) {
      const raw = selfClosing ? '' : this.text.slice(this.fieldStart, this.parser.startIndex);
      // Its own closing tag inside CDATA or a comment: declined rather than read as fast-xml-parser would.
      if (raw.includes('</') && raw.includes(`</${rawName}`)) decline();
      const slot = this.fieldSlot;
      this.fieldSlot = -2;
      if (slot === -1) this.channelLink = fieldValue(raw);
      else if (slot === -3) this.author!.name ??= raw;
      else if (slot < FIRST_LIST_SLOT) this.item![slot] ??= raw;
      else {
        const list = this.item![slot] as string[] | undefined;
        if (list === undefined) this.item![slot] = [raw];
        else list.push(raw);
      }
    } else if (this.author !== undefined && depth === 3) {
      const author = this.author;
      this.author = undefined;
      let raw = author.name;
      if (raw === undefined) {
        // Elements without a name, or text with CDATA or comments (which fast-xml-parser reads otherwise than a field's).
        if (author.elements) decline();
        raw = selfClosing ? '' : this.text.slice(author.start, this.parser.startIndex);
        if (raw.includes('<')) decline();
      }
      const list = this.item![AUTHOR_SLOT] as string[] | undefined;
      if (list === undefined) this.item![AUTHOR_SLOT] = [raw];
      else list.push(raw);
    } else if (this.item !== undefined && depth === 2) {
      this.items.push(itemOf(this.item, this.guidPermalink));
      this.item = undefined;
    }
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

/** What feedsmith makes of an Atom link, category or text element: its quoted attributes and raw text. */
interface AtomElement {
  attributes: Map<string, string>;
  raw: string;
}

/** The raw texts of one Atom entry's fields (each the first of its name unless a list). */
interface AtomEntryTexts {
  single: Map<string, AtomElement>;
  links: AtomElement[];
  categories: AtomElement[];
  /** Each author's first name's raw text, or undefined for an author without one. */
  authors: Array<string | undefined>;
  /** Dublin Core lists by slot (FIELD_SLOTS). */
  dc: ItemTexts;
}

/** Entry children read once (the first of each name). */
const ATOM_SINGLE = new Set([
  'id',
  'title',
  'content',
  'summary',
  'published',
  'issued',
  'created',
  'updated',
  'modified',
]);
/** Link attributes feedsmith reads; a link with any other declines the document. */
const LINK_ATTRIBUTES = new Set(['href', 'rel', 'type', 'hreflang', 'title', 'length']);
/** Entry descendants that feed the mapping's fallbacks this reader does not read. */
const DECLINED_IN_ENTRY = /^(?:dcterms:|atom:)/;
/** The Atom namespaces (feedsmith maps them to no prefix in an Atom document). */
const ATOM_NAMESPACE = /w3\.org\/2005\/atom|purl\.org\/atom\/ns/i;
/** feedsmith's Atom detection: a feed element, then the namespace or an Atom element. */
const ATOM_URIS = [
  'http://www.w3.org/2005/Atom',
  'https://www.w3.org/2005/Atom',
  'http://www.w3.org/2005/Atom/',
  'https://www.w3.org/2005/Atom/',
  'http://purl.org/atom/ns#',
  'https://purl.org/atom/ns#',
];
const ATOM_ELEMENTS = /(<(?:\w+:)?(entry|title|link|id|updated|summary)[\s>])/i;
/** feedsmith tries RSS first: a document it takes for RSS is not read here as Atom. */
const RSS_ELEMENT = /(?:^|[\s>])<(?:\w+:)?rss[\s>]/im;

/** An Atom text or content construct as feedsmith gives its value and type (undefined when it has neither). */
function atomConstruct(element: AtomElement | undefined): { value?: string; type?: string } | undefined {
  if (element === undefined) return undefined;
  const { attributes, raw } = element;
  if (attributes.size === 0) {
    const value = fieldValue(raw);
    return value === undefined ? undefined : { value };
  }
  const typeAttribute = attributes.get('type');
  const type = typeAttribute === undefined ? undefined : fieldValue(typeAttribute);
  if (type?.toLowerCase().includes('xhtml')) decline(); // feedsmith unwraps the div
  const value = fieldValue(raw);
  if (value === undefined && type === undefined) return undefined;
  return value === undefined ? { type } : type === undefined ? { value } : { value, type };
}

/** An Atom link as feedsmith gives its href and rel, or undefined when it drops the link. */
function atomLinkOf({ attributes, raw }: AtomElement): { href?: string; rel?: string } | undefined {
  if (attributes.size === 0) return undefined; // a string to feedsmith, not a link
  let kept = false;
  for (const [name, value] of attributes) {
    if (!LINK_ATTRIBUTES.has(name)) decline();
    if (name === 'length' ? value !== '' && !Number.isNaN(+value) : fieldValue(value) !== undefined) kept = true;
  }
  const hrefAttribute = attributes.get('href');
  const href = (hrefAttribute === undefined ? undefined : fieldValue(hrefAttribute)) ?? fieldValue(raw);
  if (href !== undefined) kept = true;
  if (!kept) return undefined;
  const relAttribute = attributes.get('rel');
  const rel = relAttribute === undefined ? undefined : fieldValue(relAttribute);
  const link: { href?: string; rel?: string } = {};
  if (href !== undefined) link.href = href;
  if (rel !== undefined) link.rel = rel;
  return link;
}

function atomLinks(elements: AtomElement[]): Array<{ href?: string; rel?: string }> | undefined {
  const links: Array<{ href?: string; rel?: string }> = [];
  for (const element of elements) {
    const link = atomLinkOf(element);
    if (link !== undefined) links.push(link);
  }
  return links.length > 0 ? links : undefined;
}

/** The entry as feedsmith's AtomFeed.Entry (the fields atomItems reads). */
function atomEntryOf(texts: AtomEntryTexts): AtomFeed.Entry<string> {
  const entry: Record<string, unknown> = {};
  const value = (name: string) => {
    const element = texts.single.get(name);
    return element === undefined ? undefined : fieldValue(element.raw);
  };
  const authors = texts.authors.flatMap((raw) => {
    const name = raw === undefined ? undefined : fieldValue(raw);
    return name === undefined ? [] : [{ name }];
  });
  if (authors.length > 0) entry.authors = authors;
  const categories = texts.categories.flatMap(({ attributes }) => {
    if (attributes.size === 0) return [];
    const term = attributes.get('term');
    const label = attributes.get('label');
    const category: { term?: string; label?: string } = {};
    const termValue = term === undefined ? undefined : fieldValue(term);
    const labelValue = label === undefined ? undefined : fieldValue(label);
    if (termValue !== undefined) category.term = termValue;
    if (labelValue !== undefined) category.label = labelValue;
    return termValue === undefined && labelValue === undefined ? [] : [category];
  });
  if (categories.length > 0) entry.categories = categories;
  const content = atomConstruct(texts.single.get('content'));
  if (content !== undefined) entry.content = content;
  const id = value('id');
  if (id !== undefined) entry.id = id;
  const links = atomLinks(texts.links);
  if (links !== undefined) entry.links = links;
  const published = value('published') || value('issued') || value('created');
  if (published !== undefined) entry.published = published;
  const summary = atomConstruct(texts.single.get('summary'));
  if (summary?.value !== undefined) entry.summary = summary;
  const title = atomConstruct(texts.single.get('title'));
  if (title?.value !== undefined) entry.title = title;
  const updated = value('updated') || value('modified');
  if (updated !== undefined) entry.updated = updated;
  const dc: Record<string, string[]> = {};
  for (const [slot, key] of DC_KEYS) {
    const values = listValues(texts.dc, slot);
    if (values !== undefined) dc[key] = values;
  }
  if (Object.keys(dc).length > 0) entry.dc = dc;
  // feedsmith drops an entry none of whose fields has a value; this reader cannot tell for the
  // fields it does not read.
  if (Object.keys(entry).length === 0) decline();
  return entry as AtomFeed.Entry<string>;
}

/** The handlers of one read of an Atom document (feed = depth 0, entry = 1, its fields = 2, an author's name = 3). */
class CommonAtomHandler extends StructureReader {
  readonly entries: AtomFeed.Entry<string>[] = [];
  readonly feedLinks: AtomElement[] = [];
  entry: AtomEntryTexts | undefined;
  /** The element being read as a field: its name, depth, attributes and text start; the author's name has depth 3. */
  field: { name: string; depth: number; attributes: Map<string, string>; start: number } | undefined;
  author: { name?: string } | undefined;

  constructor(text: string) {
    super(text, true);
  }

  /** Every name: the feed's own links are read too. */
  protected namesMatter(): boolean {
    return true;
  }

  onopentag(rawName: string, attributes: Record<string, string>): void {
    const [name, depth] = this.enter(rawName, attributes, this.field !== undefined);
    if (depth === 0) {
      if (name !== 'feed') decline();
    } else if (name === 'entry') {
      if (depth !== 1 || this.entry !== undefined) decline();
      this.entry = { single: new Map(), links: [], categories: [], authors: [], dc: [] };
    } else if (this.entry !== undefined) {
      if (DECLINED_IN_ENTRY.test(name)) decline();
      if (depth === 2) {
        if (name === 'author') this.author = {};
        else if (
          ATOM_SINGLE.has(name) ||
          name === 'link' ||
          name === 'category' ||
          (name.startsWith('dc:') && FIELD_SLOTS.has(name))
        ) {
          this.openField(name, depth);
        }
      } else if (depth === 3 && this.author !== undefined && name === 'name') {
        this.openField(name, depth);
      }
    } else if (depth === 1 && name === 'link') {
      this.openField(name, depth);
    }
  }

  private openField(name: string, depth: number): void {
    const tag = this.text.slice(this.parser.startIndex, this.parser.endIndex + 1);
    const attributes = tag.includes('=') ? quotedAttributes(tag) : new Map<string, string>();
    this.field = { name, depth, attributes, start: this.parser.endIndex + 1 };
  }

  onclosetag(rawName: string, implied: boolean): void {
    const [depth, selfClosing] = this.leave(implied);
    const field = this.field;
    if (field !== undefined && field.depth === depth) {
      this.field = undefined;
      const raw = selfClosing ? '' : this.text.slice(field.start, this.parser.startIndex);
      if (raw.includes('</') && raw.includes(`</${rawName}`)) decline();
      const element = { attributes: field.attributes, raw };
      const entry = this.entry;
      if (entry === undefined) this.feedLinks.push(element);
      else if (depth === 3) this.author!.name ??= raw;
      else if (field.name === 'link') entry.links.push(element);
      else if (field.name === 'category') entry.categories.push(element);
      else if (ATOM_SINGLE.has(field.name)) {
        if (!entry.single.has(field.name)) entry.single.set(field.name, element);
      } else {
        const slot = FIELD_SLOTS.get(field.name)!; // a Dublin Core list
        const list = entry.dc[slot] as string[] | undefined;
        if (list === undefined) entry.dc[slot] = [raw];
        else list.push(raw);
      }
      return;
    }
    if (this.entry !== undefined && depth === 2 && this.author !== undefined) {
      this.entry.authors.push(this.author.name);
      this.author = undefined;
    } else if (this.entry !== undefined && depth === 1) {
      this.entries.push(atomEntryOf(this.entry));
      this.entry = undefined;
    }
  }
}

/** Runs a handler over a document; false when it declined or left the document not well formed. */
function readWith(text: string, handler: StructureReader): boolean {
  const parser = new CountingParser(handler as Partial<Handler>, { xmlMode: true, decodeEntities: false });
  handler.parser = parser;
  try {
    parser.end(text);
  } catch (error) {
    if (error instanceof Declined) return false;
    throw error;
  }
  return (
    handler.stack.length === 0 && parser.closingTags === handler.explicitCloses && !handler.names.renamesAUsedPrefix()
  );
}

/** The text fast-xml-parser reads (line breaks as \n), or undefined when its end is damaged. */
function readableText(xml: string): string | undefined {
  const text = xml.includes('\r') ? xml.replace(/\r\n?/g, '\n') : xml;
  if (
    text.lastIndexOf('<![CDATA[') > text.lastIndexOf(']]>') ||
    text.lastIndexOf('<!--') > text.lastIndexOf('-->') ||
    // Anything after the last tag but white space: a tag cut off at the end.
    text.slice(text.lastIndexOf('>') + 1).trim() !== ''
  ) {
    return undefined;
  }
  return text;
}

/**
 * The feed as feedsmith would give the fields `mapFeed` reads, for an RSS 2.0 or Atom document of
 * the common shape; undefined for any other, which feedsmith then reads.
 */
export function readCommonFeed(xml: string): AnyFeed | undefined {
  const root = rootElementName(xml)?.toLowerCase();
  if (root === 'rss') {
    const feed = readCommonRss(xml);
    return feed === undefined ? undefined : { format: 'rss', feed };
  }
  if (root !== 'feed' || RSS_ELEMENT.test(xml)) return undefined;
  if (!ATOM_URIS.some((uri) => xml.includes(uri)) && !ATOM_ELEMENTS.test(xml)) return undefined;
  const text = readableText(xml);
  if (text === undefined) return undefined;
  const handler = new CommonAtomHandler(text);
  if (!readWith(text, handler)) return undefined;
  const feed = { entries: handler.entries } as AtomFeed.Feed<string>;
  const links = atomLinks(handler.feedLinks);
  if (links !== undefined) feed.links = links;
  return { format: 'atom', feed };
}

/**
 * The feed as feedsmith would give the fields `rssItems` reads (its site link and items), or
 * undefined when the document is not of the common shape this reader is sure of.
 */
function readCommonRss(xml: string): RssFeed.Feed<string> | undefined {
  const text = readableText(xml);
  if (text === undefined) return undefined;
  const handler = new CommonRssHandler(text);
  if (!readWith(text, handler) || handler.channels !== 1) return undefined;
  const feed = { items: handler.items } as RssFeed.Feed<string>;
  if (handler.channelLink !== undefined) feed.link = handler.channelLink;
  return feed;
}
