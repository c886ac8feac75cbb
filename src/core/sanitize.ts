/**
 * HTML → plain text on htmlparser2's tokenizer: only text survives, elements that are never text a
 * reader sees (scripts, styles, hidden ones …) are dropped with their content, block elements end a
 * line; then a clean-up of invisible and control characters. Nothing here deletes visible characters
 * or the spaces between words: text is kept as written (the old system's "OpenAIGPT-4.5Turbo" came
 * from brute-force space stripping).
 *
 * The rules are sanitize-html's with an allowlist of the block, cell and line-break elements (its
 * `discard` mode, its non-text elements, its nesting limit), applied to the parser's events directly
 * instead of writing HTML and reading it back: `test/html-to-text-equivalence.test.ts` holds the two
 * to the same text on every article page, feed body and hostile fixture we have (decision 0233).
 */
import { decodeHTML } from 'entities';
import { Parser } from 'htmlparser2';

/** Elements that end a line of text. */
export const BLOCK_TAGS = [
  'p',
  'div',
  'li',
  'ul',
  'ol',
  'dl',
  'dt',
  'dd',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'tr',
  'table',
  'blockquote',
  'pre',
  'section',
  'article',
  'header',
  'footer',
  'aside',
  'main',
  'figure',
  'figcaption',
  'address',
  'hr',
];
/** Table cells: separated by a space. */
export const CELL_TAGS = ['td', 'th'];

/** Elements whose content is never text a reader sees (or that must never reach a reader). */
export const DROPPED_WITH_CONTENT = [
  'script',
  'style',
  'noscript',
  'template',
  'svg',
  'math',
  'iframe',
  'object',
  'embed',
  'head',
  'title',
  'textarea',
  'select',
  'option',
  'canvas',
  'video',
  'audio',
  'button',
  'x-hidden-element',
];

/** An opening or closing tag of a dropped-with-content element (compiled once; `g`: reset by matchAll and replace). */
const DROPPED_TAG = new RegExp(
  `<(/?)(${DROPPED_WITH_CONTENT.filter((name) => name !== 'x-hidden-element').join('|')})(?=[\\s/>])[^>]*>`,
  'gi',
);

/** Of those, the elements whose content is raw text in HTML: it ends at the first closing tag. */
const RAW_TEXT = new Set(['script', 'style', 'noscript', 'iframe', 'title', 'textarea']);

/**
 * Removes the opening tags of dropped-with-content elements that are never closed
 * (`Second <svg onload=…> post` → `Second  post`), and self-closed ones: dropping "everything up
 * to the end" would lose the text around the element. A raw-text element (script, style …) ends at its first
 * closing tag, as in a browser; the others (svg, math, object …) nest.
 */
export function removeUnclosedDropped(html: string): string {
  if (!/<[a-z]/i.test(html)) return html;
  const tag = DROPPED_TAG;
  const unclosed = new Set<number>();
  const open = new Map<string, number[]>();
  let rawUntil: string | undefined;
  for (const match of html.matchAll(tag)) {
    const name = (match[2] as string).toLowerCase();
    const closing = match[1] === '/';
    const selfClosing = match[0].endsWith('/>');
    if (rawUntil !== undefined) {
      // Inside a raw-text element, only its own closing tag counts.
      if (closing && name === rawUntil) {
        open.get(name)?.pop();
        rawUntil = undefined;
      }
      continue;
    }
    if (closing) {
      open.get(name)?.pop();
    } else if (selfClosing) {
      // Empty either way; removed so that a parser reading `onload=x/>` as an opening tag loses nothing.
      unclosed.add(match.index);
    } else {
      const stack = open.get(name) ?? [];
      stack.push(match.index);
      open.set(name, stack);
      if (RAW_TEXT.has(name)) rawUntil = name;
    }
  }
  for (const stack of open.values()) for (const index of stack) unclosed.add(index);
  if (unclosed.size === 0) return html;
  return html.replace(tag, (whole, _closing: string, _name: string, offset: number) =>
    unclosed.has(offset) ? ' ' : whole,
  );
}

const HIDDEN_STYLE = /(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)\b/i;

/** True when the element's own attributes hide it. */
export function isHidden(attributes: Record<string, string>): boolean {
  if (Object.hasOwn(attributes, 'hidden')) return true;
  if ((attributes['aria-hidden'] ?? '').trim().toLowerCase() === 'true') return true;
  const style = attributes.style;
  return style !== undefined && HIDDEN_STYLE.test(style);
}

/** Elements whose opening or closing ends a line. */
const BLOCK_SET: ReadonlySet<string> = new Set(BLOCK_TAGS);
/** Table cells: separated by a space. */
const CELL_SET: ReadonlySet<string> = new Set(CELL_TAGS);
/** Elements whose content is dropped (a hidden element of any kind is read as `x-hidden-element`). */
const DROPPED_SET: ReadonlySet<string> = new Set(DROPPED_WITH_CONTENT);
/** Guards against pathological nesting (a hostile page nesting 100k divs): deeper elements are not read as elements. */
const NESTING_LIMIT = 200;
/**
 * Elements open at once beyond which the rest of a document is dropped. htmlparser2's stack costs
 * more the deeper it grows (200,000 nested elements took 13 s); no page a reader reads nests this
 * deep, and a hostile one keeps the text before it. Dropped, not stripped of its tags: the rest could
 * hide what hidden elements hide.
 */
const MAX_OPEN_ELEMENTS = 10_000;

/** Thrown from the collector to stop the parser at MAX_OPEN_ELEMENTS. */
class TooDeep extends Error {}

/** Elements that have no closing tag of their own: their opening alone ends a line (br, hr). */
const VOID_ELEMENTS: ReadonlySet<string> = new Set(['br', 'hr']);

/** The events of one document turned into text: a stack of whether each open element counts, and the text so far. */
class TextCollector {
  text = '';
  /** Per open element (not counting those inside a dropped one): its name, and whether it counts as an element. */
  private readonly names: string[] = [];
  private readonly counts: boolean[] = [];
  /** Inside a dropped element: how many elements deep (0: not inside one). */
  private droppedDepth = 0;

  onopentag(name: string, attributes: Record<string, string>): void {
    if (this.names.length + this.droppedDepth >= MAX_OPEN_ELEMENTS) throw new TooDeep();
    if (this.droppedDepth > 0) {
      this.droppedDepth++;
      return;
    }
    const tag = isHidden(attributes) ? 'x-hidden-element' : name;
    const depth = this.names.length;
    const counts = (BLOCK_SET.has(tag) || CELL_SET.has(tag) || tag === 'br') && depth < NESTING_LIMIT;
    if (!counts && DROPPED_SET.has(tag)) this.droppedDepth = 1;
    this.names.push(name);
    this.counts.push(counts);
    if (counts) this.text += CELL_SET.has(tag) ? ' ' : '\n';
  }

  ontext(text: string): void {
    if (this.droppedDepth === 0) this.text += text;
  }

  onclosetag(name: string): void {
    if (this.droppedDepth > 0 && --this.droppedDepth > 0) return;
    const depth = this.names.length - 1;
    // A closing tag for another element than the last open one (bad markup) closes nothing.
    if (depth < 0 || this.names[depth] !== name) return;
    this.names.pop();
    const counts = this.counts.pop();
    if (counts && !VOID_ELEMENTS.has(name)) this.text += CELL_SET.has(name) ? ' ' : '\n';
  }
}

/**
 * Plain text from HTML: only text survives, scripts/styles/hidden elements are dropped with their
 * content, block elements become line breaks, entities are decoded, and `cleanText` runs last. A
 * document nested MAX_OPEN_ELEMENTS deep keeps its text up to there.
 */
export function htmlToText(html: string): string {
  if (html === '') return '';
  // Without a '<' there is no tag: the text is its entities decoded.
  if (!html.includes('<')) return singleBreaks(cleanText(decodeHTML(html)));
  const collector = new TextCollector();
  try {
    new Parser(collector, { decodeEntities: true }).end(removeUnclosedDropped(html));
  } catch (error) {
    if (!(error instanceof TooDeep)) throw error;
  }
  return singleBreaks(cleanText(collector.text));
}

/** Runs of line breaks made one (a text without two in a row, most short ones, is not searched by a regex). */
function singleBreaks(text: string): string {
  return text.includes('\n\n') ? text.replace(/\n{2,}/g, '\n') : text;
}

const ANSI_CSI = /\u001b\[[0-?]*[ -/]*[@-~]/g;
const ANSI_OSC = /\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?/g;
const ANSI_OTHER = /\u001b[@-Z\\-_]?/g;
/** Zero-width and bidi controls, soft hyphen, Arabic letter mark. */
const INVISIBLE = /[\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;
/** C0 and C1 controls except \t and \n (\r is turned into \n first). */
const CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;

/** Any character one of the rare clean-ups above (or the line-break one) would touch. */
const RARE_CHARACTER =
  /[\r\u2028\u2029\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ufffd]/;
/**
 * A run of horizontal space that is not already one plain space (what HORIZONTAL_SPACE would
 * change): replacing only these gives the same text without touching every space between words.
 */
const SPACE_TO_FOLD =
  /[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000][ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]*| [ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+/g;
/** A line break with a space beside it (what ` ?\n ?` would change). */
const SPACE_AT_BREAK = / \n ?|\n /g;
/** Characters from which NFC could differ: none below U+0300 ever composes or decomposes. */
const MAYBE_NOT_NFC = /[^\u0000-\u02ff]/;

/** What {@link scanForCleaning} found. */
const NARROW = 0;
const WIDE = 1;
const NEEDS_CLEANING = 2;

/**
 * One pass over `text` that tells whether any step of `cleanText` but the trim would change it:
 * NEEDS_CLEANING when it holds a RARE_CHARACTER, a match of SPACE_TO_FOLD (a folding space other
 * than ' ', or ' ' before a space) or SPACE_AT_BREAK (' ' beside '\n'), or three line breaks in a
 * row; else WIDE when it holds a character from U+0300 on (MAYBE_NOT_NFC), else NARROW.
 */
function scanForCleaning(text: string): number {
  // Printable ASCII, spaces and line breaks only (most text): one more search says it all.
  if (!NOT_PLAIN_ASCII.test(text)) {
    return SPACES_TO_CLEAN.test(text) ? NEEDS_CLEANING : NARROW;
  }
  let result = NARROW;
  const length = text.length;
  for (let index = 0; index < length; index++) {
    const code = text.charCodeAt(index);
    if (code > 0x20 && code < 0x7f) continue;
    if (code === 0x20) {
      const next = text.charCodeAt(index + 1);
      if (next === 0x20 || next === 0x0a || isFoldingSpace(next)) return NEEDS_CLEANING;
    } else if (code === 0x0a) {
      const next = text.charCodeAt(index + 1);
      if (next === 0x20 || (next === 0x0a && text.charCodeAt(index + 2) === 0x0a)) return NEEDS_CLEANING;
    } else if (code < 0x20 || (code >= 0x7f && code <= 0xa0) || code === 0xad) {
      // Controls (\t folds, \r is a rare character) and U+00A0 (folds).
      return NEEDS_CLEANING;
    } else if (code >= 0x300) {
      if (isFoldingSpace(code) || isRareWide(code)) return NEEDS_CLEANING;
      result = WIDE;
    }
  }
  return result;
}

/**
 * Two spaces, a space beside a line break, or three line breaks: in printable ASCII, what the
 * clean-up changes. One regex scan (faster than four substring searches for "  ", " \n", "\n ",
 * "\n\n\n": the first of them stops at every space).
 */
const SPACES_TO_CLEAN = / [ \n]|\n(?: |\n\n)/;

/** A character other than printable ASCII, ' ' and '\n'. */
const NOT_PLAIN_ASCII = /[^\x20-\x7e\n]/;

/** The characters from U+0300 on that RARE_CHARACTER holds. */
function isRareWide(code: number): boolean {
  return (
    code === 0x061c ||
    (code >= 0x200b && code <= 0x200f) ||
    (code >= 0x2028 && code <= 0x202e) ||
    (code >= 0x2060 && code <= 0x2064) ||
    (code >= 0x2066 && code <= 0x2069) ||
    code === 0xfeff ||
    code === 0xfffd
  );
}

/** A horizontal space that SPACE_TO_FOLD folds (' ' aside). */
function isFoldingSpace(code: number): boolean {
  return (
    code === 0x09 ||
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000
  );
}

/**
 * Removes what a reader cannot see or a terminal could be tricked by: zero-width characters,
 * bidi controls, ANSI escape sequences, other control characters (but \n and \t). Runs of spaces
 * become one space, lines are trimmed, three or more line breaks become two, and the text is
 * trimmed and NFC-normalised. Spaces between words are never removed.
 *
 * Each step runs only when the text holds something it changes (most text holds none), with
 * the same result as running them all.
 */
export function cleanText(text: string): string {
  const scan = scanForCleaning(text);
  // Nothing but the trim (and NFC for text beyond U+02FF) would change it: the steps below are no-ops.
  if (scan !== NEEDS_CLEANING) return scan === WIDE ? text.trim().normalize('NFC') : text.trim();
  let clean = text;
  if (RARE_CHARACTER.test(clean)) {
    clean = clean
      .replace(/\r\n?|[\u2028\u2029]/g, '\n')
      .replace(ANSI_OSC, '')
      .replace(ANSI_CSI, '')
      .replace(ANSI_OTHER, '')
      .replace(INVISIBLE, '')
      .replace(CONTROLS, '')
      // Bytes that were not valid in their charset were decoded as U+FFFD; a reader gains nothing from them.
      .replace(/\uFFFD+/g, '');
  }
  clean = clean.replace(SPACE_TO_FOLD, ' ').replace(SPACE_AT_BREAK, '\n');
  if (clean.includes('\n\n\n')) clean = clean.replace(/\n{3,}/g, '\n\n');
  clean = clean.trim();
  return MAYBE_NOT_NFC.test(clean) ? clean.normalize('NFC') : clean;
}

/** A character beyond ASCII. */
const NOT_ASCII = /[^\x00-\x7f]/;

/** Whether every character of `text` is ASCII. */
export function isAscii(text: string): boolean {
  return !NOT_ASCII.test(text);
}

/** `text` in Unicode NFKC form; pure ASCII, which NFKC leaves as it is, without the call. */
export function nfkc(text: string): string {
  return NOT_ASCII.test(text) ? text.normalize('NFKC') : text;
}

/** One line: `cleanText` with every line break turned into a space (titles, names). */
export function cleanLine(text: string): string {
  const clean = cleanText(text);
  return clean.includes('\n') ? clean.replace(/\s*\n\s*/g, ' ') : clean;
}
