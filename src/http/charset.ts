/**
 * Charset detection and decoding for fetched bodies.
 *
 * The rule, in order (the first that applies wins):
 *  1. a byte-order mark (UTF-8, UTF-16LE/BE, UTF-32LE/BE), else UTF-16 or UTF-32 told by the
 *     byte pattern of a leading `<` (`xmlWideCharset`, "sniffed");
 *  2. the bytes are valid UTF-8 (pure ASCII included) → UTF-8;
 *  3. the charset in Content-Type, unless it names UTF-8 (the bytes have just shown that to be wrong);
 *  4. the XML declaration's `encoding`, else an HTML `<meta charset>` / `http-equiv` charset, again
 *     unless it names UTF-8;
 *  5. the bytes read cleanly as GB18030 and look like double-byte Chinese text (see
 *     `looksLikeGb18030`) → GB18030 ("sniffed"): a GBK feed served as "utf-8" is common enough;
 *  6. something declared UTF-8 → UTF-8 with U+FFFD for the bad bytes (damage stays visible);
 *  7. otherwise windows-1252 (which is what browsers do too).
 *
 * Labels follow the WHATWG Encoding Standard where it matters: "iso-8859-1", "latin1" and
 * "us-ascii" decode as windows-1252 (a superset for every printable character), and "gb2312",
 * "gbk", "cp936" decode as GB18030 (a superset of both).
 */
import iconv from 'iconv-lite';
import type { FetchedDocument } from './types.js';

export type CharsetSource = FetchedDocument['charsetSource'];

export interface CharsetDecision {
  /** Canonical lower-case name of the decoder used ("utf-8", "gb18030", "windows-1252", ...). */
  charset: string;
  source: CharsetSource;
}

export interface DecodedBody extends CharsetDecision {
  text: string;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const lenientUtf8 = new TextDecoder('utf-8');

/** WHATWG-style label aliases; anything else is passed to iconv-lite as written. */
const LABEL_ALIASES: Record<string, string> = {
  utf8: 'utf-8',
  'unicode-1-1-utf-8': 'utf-8',
  'x-unicode20utf8': 'utf-8',
  'utf-16': 'utf-16le',
  unicode: 'utf-16le',
  'iso-8859-1': 'windows-1252',
  iso8859_1: 'windows-1252',
  'iso_8859-1': 'windows-1252',
  latin1: 'windows-1252',
  l1: 'windows-1252',
  'us-ascii': 'windows-1252',
  ascii: 'windows-1252',
  cp1252: 'windows-1252',
  'x-cp1252': 'windows-1252',
  gb2312: 'gb18030',
  gb_2312: 'gb18030',
  'gb_2312-80': 'gb18030',
  gbk: 'gb18030',
  'x-gbk': 'gb18030',
  cp936: 'gb18030',
  'euc-cn': 'gb18030',
  chinese: 'gb18030',
  csgb2312: 'gb18030',
  big5: 'big5',
  'big5-hkscs': 'big5',
  'x-x-big5': 'big5',
  'cn-big5': 'big5',
  csbig5: 'big5',
  cp950: 'big5',
};

/**
 * The canonical decoder name for a charset label, or undefined when it is unknown.
 * "GB2312" → "gb18030", "ISO-8859-1" → "windows-1252", "UTF8" → "utf-8".
 */
export function normalizeCharset(label: string | undefined): string | undefined {
  if (!label) return undefined;
  const cleaned = label
    .trim()
    .replace(/^["']|["']$/g, '')
    .toLowerCase();
  if (cleaned === '') return undefined;
  const aliased = LABEL_ALIASES[cleaned] ?? cleaned;
  if (aliased === 'utf-8') return aliased;
  return iconv.encodingExists(aliased) ? aliased : undefined;
}

/** The `charset` parameter of a Content-Type header value, as written. */
export function charsetFromContentType(contentType: string | undefined): string | undefined {
  if (!contentType) return undefined;
  const match = /;\s*charset\s*=\s*("?)([^";,\s]+)\1/i.exec(contentType);
  return match?.[2];
}

/** The encoding named by an XML declaration or an HTML meta tag near the start of the bytes. */
export function charsetFromDocument(bytes: Uint8Array): string | undefined {
  // Declarations are ASCII; latin1 maps each byte to one char, so offsets stay honest.
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 4096)).toString('latin1');
  const xml = /^\s*<\?xml\s[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/.exec(head);
  if (xml) return xml[1];
  const meta = /<meta\b[^>]*?\bcharset\s*=\s*["']?([A-Za-z0-9._:-]+)/i.exec(head);
  return meta?.[1];
}

function bomCharset(bytes: Uint8Array): string | undefined {
  const [b0, b1, b2, b3] = bytes;
  if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) return 'utf-8';
  // The UTF-32LE mark starts with the UTF-16LE one, so it is tested first.
  if (b0 === 0xff && b1 === 0xfe && b2 === 0x00 && b3 === 0x00) return 'utf-32le';
  if (b0 === 0x00 && b1 === 0x00 && b2 === 0xfe && b3 === 0xff) return 'utf-32be';
  if (b0 === 0xff && b1 === 0xfe) return 'utf-16le';
  if (b0 === 0xfe && b1 === 0xff) return 'utf-16be';
  return undefined;
}

/**
 * UTF-16 or UTF-32 without a byte-order mark, told by the byte pattern of the document's first
 * character, an ASCII `<` (XML 1.0 Appendix F): `00 00 00 3C` UTF-32BE, `3C 00 00 00` UTF-32LE,
 * `00 3C 00 ??` UTF-16BE, `3C 00 ?? 00` UTF-16LE (?? the next ASCII character, `?` for `<?xml`).
 */
export function xmlWideCharset(bytes: Uint8Array): string | undefined {
  if (bytes.length < 4) return undefined;
  const [b0, b1, b2, b3] = bytes;
  if (b0 === 0x00 && b1 === 0x00 && b2 === 0x00 && b3 === 0x3c) return 'utf-32be';
  if (b0 === 0x3c && b1 === 0x00 && b2 === 0x00 && b3 === 0x00) return 'utf-32le';
  const ascii = (byte: number | undefined) => byte !== undefined && byte > 0x00 && byte < 0x80;
  if (b0 === 0x00 && b1 === 0x3c && b2 === 0x00 && ascii(b3)) return 'utf-16be';
  if (b0 === 0x3c && b1 === 0x00 && ascii(b2) && b3 === 0x00) return 'utf-16le';
  return undefined;
}

/** True when the bytes are well-formed UTF-8. */
export function isValidUtf8(bytes: Uint8Array): boolean {
  return strictUtf8Text(bytes) !== undefined;
}

/** The bytes decoded as UTF-8 (a leading BOM dropped), or undefined when they are not well-formed UTF-8. */
function strictUtf8Text(bytes: Uint8Array): string | undefined {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * True when the bytes look like GB2312/GBK Chinese: they decode as GB18030 without error and
 * nearly every non-ASCII pair has both bytes ≥ 0x81. Latin-1 text fails the second test, because
 * an accented letter is followed by an ASCII letter ("f\xfcr"), which GBK would swallow as a trail byte.
 */
export function looksLikeGb18030(bytes: Uint8Array): boolean {
  let pairs = 0;
  let highPairs = 0;
  for (let index = 0; index < bytes.length; index++) {
    const lead = bytes[index] as number;
    if (lead < 0x81) continue;
    if (lead === 0xff) return false;
    const trail = bytes[index + 1];
    if (trail === undefined) return false;
    if (trail >= 0x30 && trail <= 0x39) {
      // A four-byte GB18030 sequence: rare in real Chinese text; accept it without counting.
      index += 3;
      continue;
    }
    pairs++;
    if (trail >= 0x81 && trail !== 0xff) highPairs++;
    index++;
  }
  if (pairs < 2 || highPairs / pairs < 0.9) return false;
  try {
    new TextDecoder('gb18030', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** Decides which charset decodes `bytes`; see the module comment for the rule. */
export function detectCharset(bytes: Uint8Array, contentType?: string): CharsetDecision {
  const { utf8Text: _text, ...decision } = detect(bytes, contentType);
  return decision;
}

/**
 * detectCharset, with the text when the UTF-8 test decoded it: well-formed UTF-8 decodes the same
 * strictly or leniently, so decodeBody does not decode (and hold) a large document twice.
 */
function detect(bytes: Uint8Array, contentType?: string): CharsetDecision & { utf8Text?: string } {
  const bom = bomCharset(bytes);
  if (bom) return { charset: bom, source: 'bom' };
  // Before the UTF-8 test: UTF-16 and UTF-32 ASCII text is valid UTF-8, NUL bytes and all.
  const wide = xmlWideCharset(bytes);
  if (wide) return { charset: wide, source: 'sniffed' };
  const utf8Text = strictUtf8Text(bytes);
  if (utf8Text !== undefined) return { charset: 'utf-8', source: 'utf-8-valid', utf8Text };

  let declaredUtf8 = false;
  const fromHeader = normalizeCharset(charsetFromContentType(contentType));
  if (fromHeader === 'utf-8') declaredUtf8 = true;
  else if (fromHeader) return { charset: fromHeader, source: 'header' };

  const fromDocument = normalizeCharset(charsetFromDocument(bytes));
  if (fromDocument === 'utf-8') declaredUtf8 = true;
  else if (fromDocument) return { charset: fromDocument, source: 'declaration' };

  if (looksLikeGb18030(bytes)) return { charset: 'gb18030', source: 'sniffed' };
  if (declaredUtf8) return { charset: 'utf-8', source: 'fallback' };
  return { charset: 'windows-1252', source: 'fallback' };
}

/** C1 control characters: never text in a feed, nearly always windows-1252 bytes re-encoded as UTF-8. */
const C1_CONTROLS = /[\u0080-\u009f]/g;

/**
 * The windows-1252 character for each C1 control ("don\u0092t" → "don’t"); the five codes
 * windows-1252 leaves undefined stay as they are (and are later removed as control characters).
 */
export function demoronize(text: string): string {
  if (!/[\u0080-\u009f]/.test(text)) return text;
  return text.replace(C1_CONTROLS, (char) => {
    const mapped = iconv.decode(Buffer.from([char.charCodeAt(0)]), 'windows-1252');
    return mapped === '\ufffd' ? char : mapped;
  });
}

/**
 * Decodes bytes with a known charset; UTF-8 errors become U+FFFD and a leading BOM is dropped.
 * Unicode text has its C1 controls read as windows-1252 (`demoronize`).
 */
export function decodeWith(bytes: Uint8Array, charset: string): string {
  if (charset === 'utf-8') return demoronize(lenientUtf8.decode(bytes));
  const text = iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), charset);
  return /^utf-(?:16|32)/.test(charset) ? demoronize(text) : text;
}

/** Detects the charset (see `detectCharset`) and decodes; never throws on bad bytes. */
export function decodeBody(bytes: Uint8Array, contentType?: string): DecodedBody {
  const { utf8Text, ...decision } = detect(bytes, contentType);
  const text = utf8Text === undefined ? decodeWith(bytes, decision.charset) : demoronize(utf8Text);
  return { ...decision, text };
}
