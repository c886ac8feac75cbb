/**
 * Textual preparation of an XML feed before it is parsed, so that what can be kept is kept:
 *  - the DOCTYPE is removed whole (its entities are never expanded, its external parts never
 *    fetched; references to them stay as the literal text `&name;`);
 *  - element and attribute names that would reach a JavaScript object's prototype (`__proto__`,
 *    `constructor`, `prototype`) are renamed, so the element is ignored and its item is not lost;
 *  - Atom 0.3 `mode="base64"` content is decoded into escaped text;
 *  - in RSS and RDF, `<body>` / `<xhtml:body>` / `<fullitem>` are read as the item's full body;
 * and, after a parse failure, the document cut after its last complete item or entry and closed
 * (`truncatedAfterLastEntry`). Text inside CDATA sections and comments is never touched.
 */

/** Names that must never become object keys. */
const UNSAFE_NAMES = new Set(['__proto__', 'constructor', 'prototype']);

/** What an unsafe name is renamed to (the prefix keeps it an unknown, ignored element). */
export const UNSAFE_NAME_PREFIX = 'x-unsafe-';

/** CDATA sections, comments and processing instructions: passed through as written. */
const OPAQUE = /<!\[CDATA\[[\s\S]*?(?:\]\]>|$)|<!--[\s\S]*?(?:-->|$)|<\?[\s\S]*?(?:\?>|$)/g;

/** Applies `transform` to the parts of `text` outside CDATA sections, comments and PIs. */
function outsideOpaque(text: string, transform: (part: string) => string): string {
  let out = '';
  let last = 0;
  for (const match of text.matchAll(OPAQUE)) {
    out += transform(text.slice(last, match.index)) + match[0];
    last = match.index + match[0].length;
  }
  return out + transform(text.slice(last));
}

/**
 * The end (exclusive) of a `<!DOCTYPE` declaration starting at `start`: the first `>` outside
 * quotes and outside the `[…]` internal subset; the text's length when it never ends.
 */
function doctypeEnd(text: string, start: number): number {
  let depth = 0;
  let quote: string | undefined;
  for (let index = start + 9; index < text.length; index++) {
    const char = text[index];
    if (quote) {
      if (char === quote) quote = undefined;
    } else if (char === '"' || char === "'") quote = char;
    else if (char === '[') depth++;
    else if (char === ']') depth = Math.max(0, depth - 1);
    else if (char === '>' && depth === 0) return index + 1;
  }
  return text.length;
}

/** Removes every DOCTYPE declaration (internal subset included) outside comments and CDATA. */
export function stripDoctype(text: string): string {
  if (!/<!doctype/i.test(text)) return text;
  let out = '';
  let index = 0;
  const opaque = new RegExp(OPAQUE.source, 'g');
  while (index < text.length) {
    const doctype = text.slice(index).search(/<!doctype/i);
    if (doctype < 0) break;
    const at = index + doctype;
    // A DOCTYPE-looking string inside a comment or CDATA section is text, not a declaration.
    opaque.lastIndex = index;
    let inside: RegExpExecArray | null = opaque.exec(text);
    while (inside && inside.index + inside[0].length <= at) inside = opaque.exec(text);
    if (inside && inside.index < at) {
      const end = inside.index + inside[0].length;
      out += text.slice(index, end);
      index = end;
      continue;
    }
    out += text.slice(index, at);
    index = doctypeEnd(text, at);
  }
  return out + text.slice(index);
}

/** Renames unsafe element and attribute names inside one tag (`<__proto__ a="1">`, `<a constructor="x">`). */
function renameInTag(tag: string): string {
  const rename = (whole: string, lead: string, prefix: string, name: string) =>
    UNSAFE_NAMES.has(name.toLowerCase()) ? `${lead}${prefix}${UNSAFE_NAME_PREFIX}${name}` : whole;
  return tag
    .replace(/^(<\/?)((?:[\w.-]+:)?)([\w.-]+)/, rename)
    .replace(/(\s)((?:[\w.-]+:)?)([\w.-]+)(?=\s*=)/g, rename);
}

/**
 * A tag (as renameUnsafeNames reads them: `<`, a name, no `<` or `>` before its end) that holds an
 * unsafe name anywhere; a document without one has no tag renameUnsafeNames would touch.
 */
const TAG_WITH_UNSAFE_NAME = /<\/?(?=[A-Za-z_])[^<>]*?(?:__proto__|constructor|prototype)[^<>]*>/i;

/** Renames `__proto__` / `constructor` / `prototype` element and attribute names (text is untouched). */
export function renameUnsafeNames(text: string): string {
  // The names alone first: literals of nine letters or more are found by skipping ahead, far faster
  // than the pattern below, which is tried at every space.
  if (!/__proto__|constructor|prototype/i.test(text)) return text;
  // Only a name directly after "<", "</", a prefix or a space, and before "=", "/", ">" or a space.
  if (!/[<\s/:](?:__proto__|constructor|prototype)[\s=/>]/i.test(text)) return text;
  // Prose that uses the word ("the constructor of") is no reason to rewrite: only a tag holding it is.
  if (!TAG_WITH_UNSAFE_NAME.test(text)) return text;
  return outsideOpaque(text, (part) =>
    part.replace(/<\/?[A-Za-z_][^<>]*>/g, (tag) =>
      /__proto__|constructor|prototype/i.test(tag) ? renameInTag(tag) : tag,
    ),
  );
}

function escapeXmlText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Decodes Atom 0.3 `mode="base64"` elements: the content becomes the decoded text, escaped, and
 * the `mode` attribute is dropped (the element's `type` still says whether it is HTML).
 */
export function decodeBase64Content(text: string): string {
  if (!/base64/i.test(text) || !/\bmode\s*=\s*["']base64["']/i.test(text)) return text;
  return text.replace(
    /<([\w.:-]+)(\s[^<>]*?)\bmode\s*=\s*["']base64["']([^<>]*)>([^<]*)<\/\1\s*>/gi,
    (whole, name: string, before: string, after: string, encoded: string) => {
      const compact = encoded.replace(/\s+/g, '');
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) return whole;
      const decoded = Buffer.from(compact, 'base64').toString('utf8');
      return `<${name}${before}${after}>${escapeXmlText(decoded)}</${name}>`;
    },
  );
}

/**
 * In an RSS or RDF document, the other elements that hold an item's full body (`<body>`,
 * `<xhtml:body>`, `<fullitem>`) renamed to `content:encoded`, which the parser reads as the body.
 */
export function mapBodyElements(text: string): string {
  // The names alone first (found by skipping ahead), then as elements.
  if (!/body|fullitem/i.test(text) || !/<(?:[\w.-]+:)?(?:body|fullitem)[\s>]/i.test(text)) return text;
  const root = rootElementName(text)?.toLowerCase();
  if (root !== 'rss' && root !== 'rdf') return text;
  return outsideOpaque(text, (part) =>
    part.replace(/<(\/?)(?:[\w.-]+:)?(?:body|fullitem)(?:\s[^<>]*)?>/gi, (_tag, closing: string) =>
      closing === '/' ? '</content:encoded>' : '<content:encoded>',
    ),
  );
}

/** The DOCTYPE removed, unsafe names renamed, base64 decoded, body elements mapped; see the module comment. */
export function prepareFeedXml(text: string): string {
  return mapBodyElements(decodeBase64Content(renameUnsafeNames(stripDoctype(text))));
}

const ENTRY_END = /<\/(?:[\w.-]+:)?(?:item|entry)\s*>/gi;

/** The names of the elements still open at the end of `text` (outermost first). */
function openElements(text: string): string[] {
  const stack: string[] = [];
  const tags = /<!\[CDATA\[[\s\S]*?\]\]>|<!--[\s\S]*?-->|<[?!][^>]*>|<(\/?)([A-Za-z_][\w.:-]*)([^<>]*?)(\/?)>/g;
  for (const match of text.matchAll(tags)) {
    const [, closing, name, , selfClosing] = match;
    if (name === undefined || selfClosing === '/') continue;
    if (closing === '/') {
      const open = stack.lastIndexOf(name);
      if (open >= 0) stack.length = open;
    } else stack.push(name);
  }
  return stack;
}

/**
 * The document cut right after its last complete `</item>` or `</entry>`, with the elements still
 * open there closed; undefined when there is no complete entry to keep. For a truncated or
 * otherwise broken tail, this keeps every entry before the damage.
 */
export function truncatedAfterLastEntry(text: string): string | undefined {
  let end = -1;
  for (const match of text.matchAll(ENTRY_END)) end = match.index + match[0].length;
  if (end < 0) return undefined;
  const kept = text.slice(0, end);
  const closing = openElements(kept)
    .reverse()
    .map((name) => `</${name}>`)
    .join('');
  return kept + closing;
}

/**
 * The local name of the document's root element (`rss`, `feed`, `RDF` …), skipping the prolog
 * (XML declaration, comments, processing instructions, DOCTYPE); undefined when there is none.
 */
export function rootElementName(text: string): string | undefined {
  const withoutProlog = text.replace(/^(?:\s+|<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!doctype[^>]*>)*/i, '');
  return /^<(?:[\w.-]+:)?([A-Za-z_][\w.-]*)[\s/>]/.exec(withoutProlog)?.[1];
}
