/**
 * The one normalise step every connector's output goes through (connectors stay thin):
 * canonical URLs, dates in UTC with the written offset kept, text sanitised from HTML, language,
 * external ids, and a deterministic identity per source.
 *
 * Identity (documented in Item): the guid when there is one (with the canonical URL when the
 * document reuses that guid for other links), else the canonical URL, else a hash of title and
 * text; the item id is sha256(sourceId + "\n" + identity), first 24 hex characters.
 */
import { hash } from 'node:crypto';
import { decodeHTML } from 'entities';
import { cleanLine, cleanText, htmlToText, isAscii } from '../core/sanitize.js';
import { isTimeZone, wallTimeToUtc, type WallClock as ZonedWallClock } from '../core/time.js';
import type {
  DateFlag,
  Engagement,
  ExternalIds,
  Item,
  Language,
  PipelineItem,
  RawItem,
  Section,
  SourceConfig,
  SourceKind,
} from '../core/types.js';
import { isSerializedHttpUrl } from '../core/url.js';
import { cleanFeedText, type ExtractedFields } from './feed-text.js';

export const MAX_TITLE_CHARS = 500;
export const MAX_TEXT_CHARS = 20_000;
export const MAX_AUTHORS = 20;
export const MAX_TAGS = 20;
/** HTML beyond this is not sanitised (the text is capped far below it anyway). */
const MAX_HTML_CHARS = 1_000_000;
/** A date later than fetch time by more than this is "future". */
const FUTURE_TOLERANCE_MS = 10 * 60 * 1000;
/** Anything before this is "absurd" for a news item. */
const EARLIEST_PLAUSIBLE = Date.UTC(1995, 0, 1);

// ---------------------------------------------------------------------------------------------
// URLs

/**
 * Query parameters that do nothing but track a click or a campaign (and `utm_*`): dropped from the
 * link an item keeps, so a report never publishes them. A subset of {@link TRACKING_PARAMS}: names
 * such as `ref`, `from` or `source` can mean something to a site, so only the canonical URL (an
 * identity, never shown) drops those.
 */
// biome-ignore format: a word list reads better packed
const CLICK_TRACKING_PARAMS = new Set([
  'fbclid', 'gclid', 'dclid', 'gbraid', 'wbraid', 'msclkid', 'yclid', 'twclid', 'igshid', 'mc_cid', 'mc_eid',
  '_hsenc', '_hsmi', 'mkt_tok', 'guccounter', 'guce_referrer', 'guce_referrer_sig', 'pk_campaign', 'pk_kwd',
  'pk_source', 'pk_medium', 'oly_enc_id', 'oly_anon_id', 'vero_id', 'wt_mc', 'at_medium', 'at_campaign',
]);

/**
 * Query parameters that only track where a click came from: the click and campaign ones, and names
 * that some sites use for it but others could mean something by.
 */
// biome-ignore format: a word list reads better packed
const TRACKING_PARAMS = new Set([
  ...CLICK_TRACKING_PARAMS,
  'ref', 'ref_src', 'ref_url', 'referrer', 'spm', 'scm', 'from', 'share_from', 'si', 'cmpid', 'ncid', 'sr_share',
  'soc_src', 'soc_trk', 'rss',
]);

/** Whether a query pair (`name=value`, as written) is click or campaign tracking. */
function isClickTracking(pair: string): boolean {
  const equals = pair.indexOf('=');
  let name = equals === -1 ? pair : pair.slice(0, equals);
  try {
    name = decodeURIComponent(name.replace(/\+/g, ' '));
  } catch {
    // A malformed escape: the name as written.
  }
  const lower = name.toLowerCase();
  return lower.startsWith('utm_') || CLICK_TRACKING_PARAMS.has(lower);
}

/**
 * `url` without its click and campaign tracking parameters ({@link CLICK_TRACKING_PARAMS}, `utm_*`):
 * everything else is kept as written, in its order, fragment included. A link without such a
 * parameter is returned as it is.
 */
export function withoutClickTracking(url: string): string {
  const hash = url.indexOf('#');
  const query = url.indexOf('?');
  if (query === -1 || (hash !== -1 && hash < query)) return url;
  const end = hash === -1 ? url.length : hash;
  const pairs = url.slice(query + 1, end).split('&');
  if (!pairs.some(isClickTracking)) return url;
  const kept = pairs.filter((pair) => pair !== '' && !isClickTracking(pair));
  return url.slice(0, query) + (kept.length > 0 ? `?${kept.join('&')}` : '') + url.slice(end);
}

/** Tracking only when the value names a feed or a share channel (`source=rss`). */
const FEEDISH_VALUE_PARAMS = new Set(['source', 'src', 'feature', 'via']);
const FEEDISH_VALUE =
  /^(?:rss|feed|atom|feedburner|twitter|facebook|newsletter|email|share|social|hn|reddit|youtu\.be)\b/i;

/** Mobile or alternative hosts with a known desktop twin at the same path. */
const HOST_ALIASES: Record<string, string> = {
  'm.youtube.com': 'www.youtube.com',
  'youtube.com': 'www.youtube.com',
  'mobile.twitter.com': 'twitter.com',
  'm.twitter.com': 'twitter.com',
  'www.twitter.com': 'twitter.com',
  'mobile.x.com': 'x.com',
  'www.x.com': 'x.com',
  'm.facebook.com': 'www.facebook.com',
  'm.reddit.com': 'www.reddit.com',
  'old.reddit.com': 'www.reddit.com',
  'reddit.com': 'www.reddit.com',
  'm.github.com': 'github.com',
  'www.github.com': 'github.com',
  'm.huggingface.co': 'huggingface.co',
  'www.huggingface.co': 'huggingface.co',
  'm.bilibili.com': 'www.bilibili.com',
  'm.zhihu.com': 'www.zhihu.com',
  'mobile.nytimes.com': 'www.nytimes.com',
};

const ARXIV_HOSTS = new Set([
  'arxiv.org',
  'www.arxiv.org',
  'export.arxiv.org',
  'browse.arxiv.org',
  'ar5iv.org',
  'ar5iv.labs.arxiv.org',
]);
/** New-style (2408.12345) or old-style (hep-th/9901001, cs.AI/0101001) arXiv ids, version optional. */
const ARXIV_ID = String.raw`(\d{4}\.\d{4,5}|[a-z][a-z-]*(?:\.[A-Z]{2})?\/\d{7})(?:v\d+)?`;
const ARXIV_PATH = new RegExp(String.raw`^\/(?:abs|pdf|html|format|ps)\/${ARXIV_ID}(?:\.pdf)?\/?$`, 'i');
const HF_PAPER_PATH = new RegExp(String.raw`^\/papers\/${ARXIV_ID}\/?$`, 'i');
const ARXIV_DOI_PATH = new RegExp(String.raw`^\/10\.48550\/arxiv\.${ARXIV_ID}$`, 'i');

/** First path segments on github.com that are not owners. */
const GITHUB_RESERVED = new Set([
  'about',
  'apps',
  'blog',
  'collections',
  'contact',
  'customer-stories',
  'enterprise',
  'events',
  'explore',
  'features',
  'login',
  'marketplace',
  'new',
  'notifications',
  'orgs',
  'organizations',
  'pricing',
  'pulls',
  'issues',
  'search',
  'security',
  'settings',
  'site',
  'sponsors',
  'team',
  'topics',
  'trending',
  'users',
]);

function parseHttp(url: string, base?: string): URL | undefined {
  let parsed: URL;
  try {
    parsed = base ? new URL(url.trim(), base) : new URL(url.trim());
  } catch {
    return undefined;
  }
  return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed : undefined;
}

/** Whether `base` parses as a URL (remembered for the last one: a feed's items share their base). */
function validBase(base: string): boolean {
  if (base !== lastValidBase.base) {
    let valid = true;
    try {
      new URL(base);
    } catch {
      valid = false;
    }
    lastValidBase = { base, valid };
  }
  return lastValidBase.valid;
}
let lastValidBase = { base: '', valid: false };

/** An absolute http(s) URL for `url` (resolved against `base`), or undefined. */
export function resolveUrl(url: string | undefined, base?: string): string | undefined {
  if (!url || url.trim() === '') return undefined;
  // Already an absolute URL in serialized form (most links of most feeds): the parser would give it
  // back as it is, whatever the base (which it still requires to be valid).
  if (isSerializedHttpUrl(url) && (base === undefined || validBase(base))) return url;
  return parseHttp(url, base)?.href;
}

function arxivIdFromParsed(parsed: URL): string | undefined {
  const host = parsed.hostname;
  let pattern: RegExp;
  if (ARXIV_HOSTS.has(host)) pattern = ARXIV_PATH;
  else if (host === 'huggingface.co' || host === 'www.huggingface.co') pattern = HF_PAPER_PATH;
  else if (host === 'doi.org' || host === 'dx.doi.org') pattern = ARXIV_DOI_PATH;
  else return undefined;
  return pattern.exec(decodeURIComponentSafe(parsed.pathname))?.[1];
}

function decodeURIComponentSafe(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** The arXiv id (without version) of an arxiv.org abs/pdf/html URL or a huggingface.co/papers URL. */
export function arxivIdFromUrl(url: string): string | undefined {
  const parsed = parseHttp(url);
  return parsed ? arxivIdFromParsed(parsed) : undefined;
}

function githubRepoFromParsed(parsed: URL): string | undefined {
  const host = HOST_ALIASES[parsed.hostname] ?? parsed.hostname;
  if (host !== 'github.com') return undefined;
  const [owner, name] = parsed.pathname.split('/').filter((segment) => segment !== '');
  if (!owner || !name || GITHUB_RESERVED.has(owner.toLowerCase())) return undefined;
  if (!/^[A-Za-z0-9-]+$/.test(owner) || !/^[A-Za-z0-9._-]+$/.test(name)) return undefined;
  const repo = name.replace(/\.git$/i, '');
  if (repo === '' || repo === '.' || repo === '..') return undefined;
  return `${owner}/${repo}`.toLowerCase();
}

/** "owner/name", lower-cased, of a github.com repository URL (any page inside it). */
export function githubRepoFromUrl(url: string): string | undefined {
  const parsed = parseHttp(url);
  return parsed ? githubRepoFromParsed(parsed) : undefined;
}

/**
 * The canonical form of a URL, used to recognise the same page across sources: lower-case host,
 * no default port, no fragment, no tracking parameters, remaining parameters sorted, no trailing
 * slash (except the root), mobile hosts mapped to their desktop twin, arXiv pages mapped to
 * https://arxiv.org/abs/<id>, github.com owner/name lower-cased. http is never upgraded to https
 * (except for arXiv). Undefined when `url` is not an http(s) URL.
 */
export function canonicalUrl(url: string, base?: string): string | undefined {
  // normalizeItem asks for the same link twice in a row (its canonical URL, then its identity).
  if (url === lastCanonical.url && base === lastCanonical.base) return lastCanonical.canonical;
  const canonical = canonicalOf(url, base);
  lastCanonical = { url, base, canonical };
  return canonical;
}

/** The last answer of canonicalUrl (a pure function). */
let lastCanonical: { url?: string; base?: string; canonical?: string } = {};

function canonicalOf(url: string, base?: string): string | undefined {
  const parsed = parseHttp(url, base);
  if (!parsed) return undefined;
  const arxivId = arxivIdFromParsed(parsed);
  if (arxivId && ARXIV_HOSTS.has(parsed.hostname)) return `https://arxiv.org/abs/${arxivId}`;

  parsed.hash = '';
  parsed.username = '';
  parsed.password = '';
  const alias = HOST_ALIASES[parsed.hostname];
  if (alias) parsed.hostname = alias;
  if (parsed.hostname.endsWith('.m.wikipedia.org'))
    parsed.hostname = parsed.hostname.replace('.m.wikipedia.org', '.wikipedia.org');
  if (parsed.hostname === 'youtu.be') {
    const videoId = parsed.pathname.slice(1).split('/')[0];
    if (videoId) {
      parsed.hostname = 'www.youtube.com';
      parsed.pathname = '/watch';
      parsed.searchParams.set('v', videoId);
    }
  }
  if (parsed.hostname.endsWith('.')) parsed.hostname = parsed.hostname.replace(/\.+$/, '');

  const kept: [string, string][] = [];
  for (const [name, value] of parsed.searchParams) {
    const lower = name.toLowerCase();
    if (lower.startsWith('utm_') || TRACKING_PARAMS.has(lower)) continue;
    if (FEEDISH_VALUE_PARAMS.has(lower) && FEEDISH_VALUE.test(value)) continue;
    kept.push([name, value]);
  }
  kept.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  parsed.search = kept.length > 0 ? new URLSearchParams(kept).toString() : '';

  if (parsed.hostname === 'github.com') {
    const segments = parsed.pathname.split('/');
    // ['', owner, name, ...rest]
    if (segments[1] && segments[2] && !GITHUB_RESERVED.has(segments[1].toLowerCase())) {
      segments[1] = segments[1].toLowerCase();
      segments[2] = segments[2].toLowerCase().replace(/\.git$/, '');
      parsed.pathname = segments.join('/');
    }
  }
  if (parsed.pathname.length > 1) parsed.pathname = parsed.pathname.replace(/\/+$/, '') || '/';
  return parsed.href;
}

/** Hosts for which canonicalUrl does more than drop a query, a fragment, a user or a trailing slash. */
const HOSTS_WITH_RULES = new Set([...Object.keys(HOST_ALIASES), ...ARXIV_HOSTS, 'youtu.be', 'github.com']);

/** https://arxiv.org/abs/<new-style id>: canonicalUrl's own form for an arXiv paper. */
const CANONICAL_ARXIV_ABS = /^https:\/\/arxiv\.org\/abs\/(\d{4}\.\d{4,5})$/;

/**
 * canonicalUrl of an href resolveUrl gave (a serialized http(s) URL, which parses back to itself).
 * When it has no query, fragment, user or port, no trailing slash, and a host without a rule of its
 * own, canonicalUrl would change nothing in it: it is its own canonical form, found without a parse.
 */
function canonicalOfHref(href: string): string {
  // An arXiv abstract page written as canonicalUrl writes it (no version, nothing after the id).
  if (CANONICAL_ARXIV_ABS.test(href)) {
    lastCanonical = { url: href, canonical: href };
    return href;
  }
  const hostStart = href.indexOf('//') + 2;
  const pathStart = href.indexOf('/', hostStart);
  const host = href.slice(hostStart, pathStart);
  const plain =
    pathStart > 0 &&
    !href.includes('?') &&
    !href.includes('#') &&
    !host.includes('@') &&
    !host.includes(':') &&
    !HOSTS_WITH_RULES.has(host) &&
    !host.endsWith('.m.wikipedia.org') &&
    !host.endsWith('.') &&
    (!href.endsWith('/') || href.length - pathStart === 1);
  if (!plain) return canonicalUrl(href) ?? href;
  // Remembered as canonicalUrl's last answer: the item's identity asks for the same link.
  lastCanonical = { url: href, canonical: href };
  return href;
}

// ---------------------------------------------------------------------------------------------
// Language

/** Kinds of character for detectLanguage. */
const UNKNOWN = 0;
const NOT_A_LETTER = 1;
const HAN = 2;
const KANA_OR_HANGUL = 3;
const LATIN = 4;
const OTHER_LETTER = 5;

/** The kind of one character (one code point). */
function letterKind(char: string): number {
  if (/\p{Script=Han}/u.test(char)) return HAN;
  if (/[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u.test(char)) return KANA_OR_HANGUL;
  if (/\p{Script=Latin}/u.test(char)) return LATIN;
  if (/\p{L}/u.test(char)) return OTHER_LETTER;
  return NOT_A_LETTER;
}

/** 1 for the ASCII letters, 0 for the rest of ASCII (a sum without a branch per character). */
const ASCII_LETTER = Uint8Array.from({ length: 0x80 }, (_, code) =>
  (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a) ? 1 : 0,
);

/** An ASCII letter. */
const ASCII_LETTER_PATTERN = /[A-Za-z]/;

/** letterKind of each BMP character seen so far (UNKNOWN until then). */
const BMP_KINDS = new Uint8Array(0x10000);

/** zh when Han ideographs are a significant share of letters, en when mostly (plain) Latin, else other. */
export function detectLanguage(text: string): Language {
  let han = 0;
  let kanaOrHangul = 0;
  let latin = 0;
  let latinAccented = 0;
  let otherLetters = 0;
  // The first 20,000 UTF-16 units, read by code point (a pair cut at the end reads as its half).
  const end = Math.min(text.length, 20_000);
  // All ASCII (most English text): the loop below would count only plain Latin letters, and so
  // give en when the sample holds one, else other. One regex scan finds that faster.
  if (isAscii(text)) {
    const firstLetter = text.search(ASCII_LETTER_PATTERN);
    return firstLetter !== -1 && firstLetter < end ? 'en' : 'other';
  }
  for (let index = 0; index < end; index++) {
    const code = text.charCodeAt(index);
    if (code < 0x80) {
      // ASCII, most of most texts: letters are Latin, the rest counts for nothing.
      latin += ASCII_LETTER[code]!;
      continue;
    }
    let kind: number;
    if (code >= 0xd800 && code <= 0xdbff && index + 1 < end) {
      const low = text.charCodeAt(index + 1);
      kind = low >= 0xdc00 && low <= 0xdfff ? letterKind(text.slice(index, ++index + 1)) : letterKind(text[index]!);
    } else {
      // A character's kind depends on it alone: each one of the BMP is classified once.
      kind = BMP_KINDS[code]!;
      if (kind === UNKNOWN) kind = BMP_KINDS[code] = letterKind(text[index]!);
    }
    if (kind === HAN) han++;
    else if (kind === KANA_OR_HANGUL) kanaOrHangul++;
    else if (kind === LATIN) {
      latin++;
      latinAccented++;
    } else if (kind === OTHER_LETTER) otherLetters++;
  }
  const letters = han + kanaOrHangul + latin + otherLetters;
  if (letters === 0) return 'other';
  if (kanaOrHangul > 0 && kanaOrHangul >= han * 0.2) return 'other';
  // A Han character carries about a word; a Latin word is about five letters.
  if (han >= 2 && han / (han + latin / 5 + otherLetters) >= 0.3) return 'zh';
  if (latin / letters >= 0.7 && latinAccented / Math.max(latin, 1) < 0.03) return 'en';
  return 'other';
}

// ---------------------------------------------------------------------------------------------
// Dates

const MONTHS: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};

/** RFC 822 zone names (and a few common ones) in minutes east of UTC. */
const ZONE_OFFSETS: Record<string, number> = {
  ut: 0,
  utc: 0,
  gmt: 0,
  z: 0,
  est: -300,
  edt: -240,
  cst: -360,
  cdt: -300,
  mst: -420,
  mdt: -360,
  pst: -480,
  pdt: -420,
  akst: -540,
  akdt: -480,
  hst: -600,
  bst: 60,
  cet: 60,
  cest: 120,
  eet: 120,
  eest: 180,
  msk: 180,
  ist: 330,
  hkt: 480,
  sgt: 480,
  jst: 540,
  kst: 540,
  aest: 600,
  aedt: 660,
  nzst: 720,
  nzdt: 780,
};

/** Zones in which "CST" means China Standard Time (UTC+8) rather than US Central. */
const CHINA_ZONES = new Set([
  'Asia/Shanghai',
  'Asia/Chongqing',
  'Asia/Harbin',
  'Asia/Urumqi',
  'Asia/Taipei',
  'Asia/Hong_Kong',
  'Asia/Macau',
  'PRC',
]);

interface WallClock extends ZonedWallClock {
  millisecond: number;
}

/** A wall clock from the numbers a date pattern captured (absent time parts are 0). */
function wall(
  year: number,
  month: number,
  day: number,
  hour?: string | number,
  minute?: string,
  second?: string,
  millisecond = 0,
): WallClock {
  return {
    year,
    month,
    day,
    hour: Number(hour ?? 0),
    minute: Number(minute ?? 0),
    second: Number(second ?? 0),
    millisecond,
  };
}

function validWallClock(clock: WallClock): boolean {
  if (clock.month < 1 || clock.month > 12 || clock.day < 1 || clock.day > 31) return false;
  if (clock.hour > 24 || clock.minute > 59 || clock.second > 60) return false;
  const probe = new Date(Date.UTC(clock.year, clock.month - 1, clock.day));
  return probe.getUTCDate() === clock.day;
}

/** The UTC instant of a wall-clock time at a fixed offset (minutes east), or in a time zone. */
function instantOf(clock: WallClock, offsetMinutes: number | undefined, timezone: string): number {
  const second = Math.min(clock.second, 59);
  const asUtc = Date.UTC(clock.year, clock.month - 1, clock.day, clock.hour, clock.minute, second, clock.millisecond);
  if (offsetMinutes !== undefined) return asUtc - offsetMinutes * 60_000;
  return wallTimeToUtc(asUtc, isTimeZone(timezone) ? timezone : 'UTC');
}

function formatOffset(minutes: number): string {
  if (minutes === 0) return 'Z';
  const sign = minutes < 0 ? '-' : '+';
  const absolute = Math.abs(minutes);
  return `${sign}${String(Math.floor(absolute / 60)).padStart(2, '0')}:${String(absolute % 60).padStart(2, '0')}`;
}

/** "+0800", "+08:00", "+08", "-0430" → minutes east. */
function numericOffset(text: string): number | undefined {
  const match = /^([+-])(\d{2}):?(\d{2})?$/.exec(text);
  if (!match) return undefined;
  const hours = Number(match[2]);
  const minutes = Number(match[3] ?? '0');
  if (hours > 14 || minutes > 59) return undefined;
  return (match[1] === '-' ? -1 : 1) * (hours * 60 + minutes);
}

function zoneOffset(zone: string | undefined, timezone: string): number | undefined | null {
  if (zone === undefined || zone === '') return undefined;
  const numeric = numericOffset(zone);
  if (numeric !== undefined) return numeric;
  const lower = zone.toLowerCase();
  if (lower === 'cst' && CHINA_ZONES.has(timezone)) return 480;
  const named = ZONE_OFFSETS[lower];
  if (named !== undefined) return named;
  const gmtOffset = /^(?:gmt|utc)([+-]\d{1,2}(?::?\d{2})?)$/i.exec(zone);
  if (gmtOffset?.[1]) {
    const value = gmtOffset[1].replace(/^([+-])(\d)(?!\d)/, '$10$2');
    return numericOffset(value) ?? null;
  }
  return null;
}

function twoDigitYear(year: string): number {
  const value = Number(year);
  if (year.length > 2) return value;
  return value < 50 ? 2000 + value : 1900 + value;
}

function result(
  clock: WallClock,
  offset: number | undefined,
  timezone: string,
): { date: Date; offset?: string } | undefined {
  if (!validWallClock(clock)) return undefined;
  const ms = instantOf(clock, offset, timezone);
  if (!Number.isFinite(ms)) return undefined;
  const date = new Date(ms);
  if (Number.isNaN(date.getTime())) return undefined;
  return offset === undefined ? { date } : { date, offset: formatOffset(offset) };
}

const ISO_DATE =
  /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T\s]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
const SLASH_DATE =
  /^(\d{4})[/.](\d{1,2})[/.](\d{1,2})(?:[T\s]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;
const CHINESE_DATE = /^(\d{4})年(\d{1,2})月(\d{1,2})日\s*(?:(\d{1,2})[:：时](\d{2})(?:[:：分](\d{2})秒?)?)?$/;
const RFC822_DATE =
  /^(?:[A-Za-z]{2,9}\.?,?\s+)?(\d{1,2})(?:st|nd|rd|th)?[\s-]+([A-Za-z]{3,9})\.?[\s-]+(\d{2,4}),?(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*(?:\(?([A-Za-z]{1,5}|[+-]\d{2}:?\d{2}|(?:GMT|UTC)[+-]\d{1,2}(?::?\d{2})?)\)?)?$/;
const MONTH_FIRST_DATE =
  /^(?:[A-Za-z]{2,9}\.?,?\s+)?([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})(?:,?\s+(?:at\s+)?(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(am|pm)?)?\s*([A-Za-z]{1,5}|[+-]\d{2}:?\d{2})?$/i;
/** JavaScript's Date#toString: "Mon Jan 10 2020 14:33:00 GMT+0800 (China Standard Time)". */
const JS_DATE =
  /^[A-Za-z]{3}\s+([A-Za-z]{3})\s+(\d{1,2})\s+(\d{4})\s+(\d{1,2}):(\d{2}):(\d{2})\s+GMT([+-]\d{4})(?:\s+\(.*\))?$/;

function monthNumber(name: string): number | undefined {
  return MONTHS[name.slice(0, 3).toLowerCase()];
}

/**
 * Parses a date as sources write it: RFC 822 (zone names like EDT, GMT, PST included), ISO 8601,
 * date-only, "2020/1/10 14:33:00", "2018-09-18 14:38:10", "2020年1月10日", "January 10, 2020",
 * epoch seconds or milliseconds. A date with no offset is read as wall-clock time in `timezone`
 * (and then has no `offset`). Undefined when it cannot be read.
 */
export function parseDate(raw: string, timezone = 'UTC'): { date: Date; offset?: string } | undefined {
  if (typeof raw !== 'string') return undefined;
  const common = commonDate(raw);
  return common ? { date: common.date, offset: common.offset } : anyDate(raw, timezone);
}

/** parseDate of any form its comment lists (the common forms included). */
function anyDate(raw: string, timezone: string): { date: Date; offset?: string } | undefined {
  const text = raw.replace(/\s+/g, ' ').trim();
  if (text === '' || text.length > 100) return undefined;

  if (/^\d{9,13}(?:\.\d+)?$/.test(text)) {
    const value = Number(text);
    const ms = (text.split('.')[0] ?? '').length >= 12 ? value : value * 1000;
    return { date: new Date(Math.round(ms)), offset: 'Z' };
  }

  const iso = ISO_DATE.exec(text);
  if (iso) {
    const [, year, month, day, hour, minute, second, fraction, zone] = iso;
    const offset = zoneOffset(zone, timezone);
    if (offset === null) return undefined;
    return result(
      wall(
        Number(year),
        Number(month),
        Number(day),
        hour,
        minute,
        second,
        fraction ? Math.floor(Number(`0.${fraction}`) * 1000) : 0,
      ),
      offset,
      timezone,
    );
  }

  const slash = SLASH_DATE.exec(text) ?? CHINESE_DATE.exec(text);
  if (slash) {
    const [, year, month, day, hour, minute, second, zone] = slash;
    const offset = zoneOffset(zone, timezone);
    if (offset === null) return undefined;
    return result(wall(Number(year), Number(month), Number(day), hour, minute, second), offset, timezone);
  }

  const rfc = RFC822_DATE.exec(text);
  if (rfc) {
    const [, day, monthName, year, hour, minute, second, zone] = rfc;
    const month = monthNumber(monthName ?? '');
    const offset = zoneOffset(zone, timezone);
    if (month === undefined || offset === null) return undefined;
    return result(wall(twoDigitYear(year ?? ''), month, Number(day), hour, minute, second), offset, timezone);
  }

  const js = JS_DATE.exec(text);
  if (js) {
    const [, monthName, day, year, hour, minute, second, zone] = js;
    const month = monthNumber(monthName ?? '');
    const offset = zoneOffset(zone, timezone);
    if (month === undefined || offset === null) return undefined;
    return result(wall(Number(year), month, Number(day), hour, minute, second), offset, timezone);
  }

  const monthFirst = MONTH_FIRST_DATE.exec(text);
  if (monthFirst) {
    const [, monthName, day, year, hour, minute, second, meridiem, zone] = monthFirst;
    const month = monthNumber(monthName ?? '');
    const offset = zoneOffset(zone, timezone);
    if (month === undefined || offset === null) return undefined;
    let hours = Number(hour ?? 0);
    if (meridiem) {
      if (hours < 1 || hours > 12) return undefined;
      hours = (hours % 12) + (meridiem.toLowerCase() === 'pm' ? 12 : 0);
    }
    return result(wall(Number(year), month, Number(day), hours, minute, second), offset, timezone);
  }
  return undefined;
}

/** The number the `count` ASCII digits from `start` of `text` write, or -1 when one of them is not a digit. */
function digitsAt(text: string, start: number, count: number): number {
  let value = 0;
  for (let index = start; index < start + count; index++) {
    const digit = text.charCodeAt(index) - 0x30;
    if (!(digit >= 0 && digit <= 9)) return -1;
    value = value * 10 + digit;
  }
  return value;
}

function isAsciiLetterAt(text: string, index: number): boolean {
  const code = text.charCodeAt(index) | 0x20;
  return code >= 0x61 && code <= 0x7a;
}

/** Days in a month of the (proleptic Gregorian) calendar. */
function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * The offset "+HH:MM" (`colon`) or "+HHMM" at `start` of `text` in minutes east, as numericOffset
 * reads it; undefined when it is not one.
 */
function offsetAt(text: string, start: number, colon: boolean): number | undefined {
  const sign = text[start];
  if (sign !== '+' && sign !== '-') return undefined;
  if (colon && text[start + 3] !== ':') return undefined;
  const hours = digitsAt(text, start + 1, 2);
  const minutes = digitsAt(text, start + (colon ? 4 : 3), 2);
  if (hours < 0 || minutes < 0 || hours > 14 || minutes > 59) return undefined;
  return (sign === '-' ? -1 : 1) * (hours * 60 + minutes);
}

/** A valid wall-clock time (no leap second, no hour 24, a year of four digits) at a fixed offset. */
function fixedOffsetDate(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  millisecond: number,
  offset: number | undefined,
  utcIso: string | undefined,
): CommonDate | undefined {
  if (offset === undefined || year < 1000 || month < 1 || month > 12 || day < 1) return undefined;
  if (day > daysInMonth(year, month) || hour < 0 || hour > 23 || minute < 0 || minute > 59) return undefined;
  if (second < 0 || second > 59 || millisecond < 0) return undefined;
  const ms = Date.UTC(year, month - 1, day, hour, minute, second, millisecond) - offset * 60_000;
  return { date: new Date(ms), offset: formatOffset(offset), iso: offset === 0 ? utcIso : undefined };
}

/** A date of commonDate; `iso`: its toISOString() when known without one (the time was written in UTC). */
interface CommonDate {
  date: Date;
  offset: string;
  iso: string | undefined;
}

/** Months' numbers as toISOString writes them. */
const MONTH_DIGITS = ['', '01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12'];

/**
 * parseDate of the two forms nearly every feed writes, read without a regex: RFC 822 with a GMT or
 * numeric zone ("Thu, 24 Jul 2025 00:00:00 GMT", "Fri, 29 May 2026 00:00:00 +0000") and ISO 8601
 * with seconds, milliseconds optional, and a zone ("2026-08-21T09:12:33.123Z",
 * "2016-02-01T17:22:00+01:00"). parseDate's patterns read these exactly so (RFC822_DATE, ISO_DATE);
 * undefined for anything else, or for an unusual value (hour 24, second 60, a two-digit year, an
 * offset beyond ±14 h): the general path then reads it.
 */
function commonDate(text: string): CommonDate | undefined {
  const length = text.length;
  if (length === 29 || length === 31) {
    // "Thu, 24 Jul 2025 00:00:00 GMT" / "Thu, 24 Jul 2025 00:00:00 +0000"
    if (text[3] !== ',' || text[4] !== ' ' || text[7] !== ' ' || text[11] !== ' ' || text[16] !== ' ') return undefined;
    if (text[19] !== ':' || text[22] !== ':' || text[25] !== ' ') return undefined;
    if (!isAsciiLetterAt(text, 0) || !isAsciiLetterAt(text, 1) || !isAsciiLetterAt(text, 2)) return undefined;
    if (!isAsciiLetterAt(text, 8) || !isAsciiLetterAt(text, 9) || !isAsciiLetterAt(text, 10)) return undefined;
    const month = MONTHS[text.slice(8, 11).toLowerCase()];
    if (month === undefined) return undefined;
    const offset = length === 29 ? (text.endsWith('GMT') ? 0 : undefined) : offsetAt(text, 26, false);
    return fixedOffsetDate(
      digitsAt(text, 12, 4),
      month,
      digitsAt(text, 5, 2),
      digitsAt(text, 17, 2),
      digitsAt(text, 20, 2),
      digitsAt(text, 23, 2),
      0,
      offset,
      // Valid, so written with the digits toISOString writes (a year of four, two for the rest).
      `${text.slice(12, 16)}-${MONTH_DIGITS[month]}-${text.slice(5, 7)}T${text.slice(17, 25)}.000Z`,
    );
  }
  // "2026-08-21T09:12:33Z", then ".123" and "+01:00" as they come.
  if (length < 20 || text[4] !== '-' || text[7] !== '-' || text[10] !== 'T' || text[13] !== ':' || text[16] !== ':') {
    return undefined;
  }
  let zoneStart = 19;
  let millisecond = 0;
  if (text[19] === '.') {
    millisecond = digitsAt(text, 20, 3);
    zoneStart = 23;
  }
  const offset =
    length === zoneStart + 1 && text[zoneStart] === 'Z'
      ? 0
      : length === zoneStart + 6
        ? offsetAt(text, zoneStart, true)
        : undefined;
  return fixedOffsetDate(
    digitsAt(text, 0, 4),
    digitsAt(text, 5, 2),
    digitsAt(text, 8, 2),
    digitsAt(text, 11, 2),
    digitsAt(text, 14, 2),
    digitsAt(text, 17, 2),
    millisecond,
    offset,
    // Valid, so in toISOString's digits already ("2026-08-21T09:12:33.123Z" is its own form).
    zoneStart === 23 && text[23] === 'Z'
      ? text
      : `${text.slice(0, 19)}.${zoneStart === 23 ? text.slice(20, 23) : '000'}Z`,
  );
}

/** `date.toISOString()`, remembered for the last time value (every item of a run has the same fetchedAt). */
function isoString(date: Date): string {
  const time = date.getTime();
  if (time !== lastIso.time) lastIso = { time, iso: date.toISOString() };
  return lastIso.iso;
}
let lastIso = { time: Number.NaN, iso: '' };

/** The item's date, or fetchedAt with the reason it was not used. */
export function itemDate(
  published: string | undefined,
  fetchedAt: Date,
  timezone: string,
): { publishedAt: string; offset?: string; dateFlag?: DateFlag } {
  if (typeof published !== 'string' || published.trim() === '') {
    return { publishedAt: isoString(fetchedAt), dateFlag: 'missing' };
  }
  const common = commonDate(published);
  const parsed = common ?? anyDate(published, timezone);
  if (!parsed) return { publishedAt: isoString(fetchedAt), dateFlag: 'unparsable' };
  const ms = parsed.date.getTime();
  if (ms > fetchedAt.getTime() + FUTURE_TOLERANCE_MS) return { publishedAt: isoString(fetchedAt), dateFlag: 'future' };
  if (ms < EARLIEST_PLAUSIBLE) return { publishedAt: isoString(fetchedAt), dateFlag: 'absurd' };
  const publishedAt = common?.iso ?? parsed.date.toISOString();
  return parsed.offset === undefined ? { publishedAt } : { publishedAt, offset: parsed.offset };
}

// ---------------------------------------------------------------------------------------------
// Text and small fields

/** Cuts `text` to at most `max` characters, on a word boundary when one is near, adding "…". */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, max - 1);
  // Never leave half a surrogate pair.
  if (/[\ud800-\udbff]$/.test(cut)) cut = cut.slice(0, -1);
  const endsOnBoundary = /\s/.test(text[cut.length] ?? ' ');
  const lastSpace = cut.search(/\s\S*$/);
  if (!endsOnBoundary && lastSpace >= max * 0.5) cut = cut.slice(0, lastSpace);
  return `${cut.replace(/[\s,;:.、，。-]+$/, '')}…`;
}

/** Inline HTML that shows up in titles (escaped once too often, or on purpose). */
const TITLE_MARKUP =
  /<\/?(?:a|abbr|b|big|br|cite|code|del|div|em|font|h[1-6]|i|img|ins|kbd|mark|p|q|s|small|span|strong|sub|sup|time|u|script|style|iframe|svg|noscript|object|template)(?:\s[^<>]*)?\/?>/i;

/**
 * One clean line from a title. A title with HTML markup is sanitised as HTML; otherwise only
 * entities are decoded, so a title about "<T> generics" or "a < b" keeps its text.
 */
export function titleText(raw: string): string {
  const limited = raw.slice(0, MAX_TITLE_CHARS * 8);
  // Markup starts with '<' and an entity with '&': a title without them (most) is not searched.
  if (limited.includes('<') && TITLE_MARKUP.test(limited)) return cleanLine(htmlToText(limited));
  const entity = limited.includes('&') && /&(?:#\d+|#x[0-9a-f]+|[a-z][a-z0-9]*);/i.test(limited);
  return cleanLine(entity ? decodeHTML(limited) : limited);
}

/** Longest title made from an item's text when the item has no title of its own. */
export const DERIVED_TITLE_MAX = 120;

/** A sentence end: Latin punctuation followed by a space, or CJK full-width punctuation. */
const SENTENCE_END = /[.!?](?=\s)|[。！？]/;

/**
 * A title for an item that has none: the first line of its text, cut at the end of its first
 * sentence, then capped at DERIVED_TITLE_MAX characters on a word boundary ("…" marks a cut).
 */
export function titleFromText(text: string): string {
  const line = cleanLine(text.split('\n').find((part) => part.trim() !== '') ?? '');
  const end = SENTENCE_END.exec(line);
  const sentence = end === null ? line : line.slice(0, end.index + end[0].length);
  return truncate(sentence, DERIVED_TITLE_MAX);
}

function sha256Hex(text: string): string {
  return hash('sha256', text, 'hex');
}

function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function stringList(values: unknown, max: number, maxLength: number, caseInsensitive: boolean): string[] {
  // No values (most lists of most items): nothing to clean.
  if (!Array.isArray(values) || values.length === 0) return [];
  const seen = new Set<string>();
  const kept: string[] = [];
  for (const value of values) {
    if (kept.length >= max) break;
    const text = asString(value);
    if (text === undefined) continue;
    const cleaned = truncate(cleanLine(text.slice(0, maxLength * 4)), maxLength);
    if (cleaned === '') continue;
    const key = caseInsensitive ? cleaned.toLowerCase() : cleaned;
    if (seen.has(key)) continue;
    seen.add(key);
    kept.push(cleaned);
  }
  return kept;
}

const ENGAGEMENT_KEYS = ['points', 'comments', 'stars', 'starsGained', 'likes', 'downloads', 'upvotes'] as const;

/** Only finite, non-negative counters; "1,234" and "42" become numbers. */
export function cleanEngagement(raw: unknown): Engagement {
  const engagement: Engagement = {};
  if (raw === null || typeof raw !== 'object') return engagement;
  for (const key of ENGAGEMENT_KEYS) {
    if (!Object.hasOwn(raw, key)) continue;
    const value: unknown = (raw as Record<string, unknown>)[key];
    let number: number | undefined;
    if (typeof value === 'number') number = value;
    else if (typeof value === 'string' && /^\s*\d{1,3}(?:[,_]?\d{3})*\s*$|^\s*\d+\s*$/.test(value)) {
      number = Number(value.replace(/[\s,_]/g, ''));
    }
    if (number !== undefined && Number.isFinite(number) && number >= 0) engagement[key] = number;
  }
  return engagement;
}

/** An arXiv id without its version, or undefined when it is not one. */
function normalArxivId(value: string): string | undefined {
  return ARXIV_ID_ALONE.exec(value.trim())?.[1];
}
const ARXIV_ID_ALONE = new RegExp(`^(?:arxiv:)?${ARXIV_ID}$`, 'i');

/** Hosts whose URLs arxivIdFromParsed reads. */
const ARXIV_ID_HOSTS = new Set([...ARXIV_HOSTS, 'huggingface.co', 'www.huggingface.co', 'doi.org', 'dx.doi.org']);
/** Hosts whose URLs githubRepoFromParsed reads. */
const GITHUB_ID_HOSTS = new Set([
  'github.com',
  ...Object.keys(HOST_ALIASES).filter((host) => HOST_ALIASES[host] === 'github.com'),
]);
/** An http(s) URL whose host is written lower-case ASCII (letters, digits, dots, hyphens), up to its path. */
const PLAIN_HOST = /^https?:\/\/([a-z0-9.-]+)\//;

/**
 * False when `url` cannot give the ids still missing (an arXiv id unless `arxivKnown`, a GitHub
 * repository unless `githubKnown`): its host, written plainly, is none of the hosts of those ids
 * (the URL parser keeps such a host as it is, or reads it as an IP address, or rejects it). True
 * when in doubt.
 */
function mayHoldExternalId(url: string, arxivKnown: boolean, githubKnown: boolean): boolean {
  const host = PLAIN_HOST.exec(url)?.[1];
  if (host === undefined) return true;
  return (!arxivKnown && ARXIV_ID_HOSTS.has(host)) || (!githubKnown && GITHUB_ID_HOSTS.has(host));
}

/** The connector's own id under `key`: a finite number, or a trimmed string of at most 200 characters. */
function ownExternalId(source: Record<string, unknown>, key: keyof ExternalIds): string | undefined {
  if (!Object.hasOwn(source, key)) return undefined;
  const value = source[key];
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  const text = asString(value)?.trim();
  return text && text.length <= 200 ? text : undefined;
}

/** Known external ids from the connector, then those derived from the URL fill the gaps. */
export function mergeExternalIds(raw: unknown, url: string | undefined): ExternalIds {
  const ids: ExternalIds = {};
  const source = raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  const arxiv = ownExternalId(source, 'arxiv');
  if (arxiv) ids.arxiv = normalArxivId(arxiv);
  const github = ownExternalId(source, 'github');
  if (github && /^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/.test(github))
    ids.github = github.toLowerCase().replace(/\.git$/, '');
  const hfModel = ownExternalId(source, 'hfModel');
  if (hfModel) ids.hfModel = hfModel;
  const hackernews = ownExternalId(source, 'hackernews');
  if (hackernews) ids.hackernews = hackernews;
  const reddit = ownExternalId(source, 'reddit');
  if (reddit) ids.reddit = reddit.replace(/^t3_/, '');
  const arxivKnown = ids.arxiv !== undefined;
  const githubKnown = ids.github !== undefined;
  // An arXiv abstract URL in canonical form gives its id as written (and arxiv.org no repository).
  const arxivAbstract = url === undefined ? null : CANONICAL_ARXIV_ABS.exec(url);
  // `??=` below fills only a missing id: the URL is parsed only when its host can give one.
  const parsed =
    url && !arxivAbstract && (!arxivKnown || !githubKnown) && mayHoldExternalId(url, arxivKnown, githubKnown)
      ? parseHttp(url)
      : undefined;
  if (arxivAbstract) ids.arxiv ??= arxivAbstract[1];
  if (parsed) {
    ids.arxiv ??= arxivIdFromParsed(parsed);
    ids.github ??= githubRepoFromParsed(parsed);
  }
  for (const key of Object.keys(ids) as (keyof ExternalIds)[]) {
    if (ids[key] === undefined) delete ids[key];
  }
  return ids;
}

// ---------------------------------------------------------------------------------------------
// The item

/** An item body as prose, with the fields its metadata lines gave. */
function bodyOf(content: string | undefined, isHtml: boolean): ExtractedFields {
  if (content === undefined || content === '') return { text: '', engagement: {}, authors: [] };
  const limited = content.slice(0, MAX_HTML_CHARS);
  return cleanFeedText(isHtml ? htmlToText(limited) : cleanText(limited));
}

/** The connector's authors; when it gave none, those of `By:` lines in the HTML body, then in the plain one. */
function authorsOf(raw: unknown, fromHtml: string[], fromPlain: string[]): string[] {
  const own = stringList(raw, MAX_AUTHORS, 200, false);
  if (own.length > 0) return own;
  return stringList(fromPlain.length === 0 ? fromHtml : [...fromHtml, ...fromPlain], MAX_AUTHORS, 200, false);
}

export interface NormalizeContext {
  source: SourceConfig;
  fetchedAt: Date;
  /**
   * Guids this source's document gave to more than one item with different links
   * (`reusedGuids`): such an item's identity is its guid and its link.
   */
  reusedGuids?: ReadonlySet<string>;
}

/** resolveUrl(baseUrl), remembered for the last one (a feed gives all its items the same base). */
function resolvedBase(baseUrl: string | undefined): string | undefined {
  if (baseUrl !== lastBase.raw) lastBase = { raw: baseUrl, resolved: resolveUrl(baseUrl) };
  return lastBase.resolved;
}
let lastBase: { raw?: string; resolved?: string } = {};

/** The trimmed guid as normalize keeps it, or undefined. */
function guidOf(raw: RawItem): string | undefined {
  return asString(raw.guid)?.trim().slice(0, 2000) || undefined;
}

/**
 * The guids that one document (one source's answer) gives to items with different links: a feed
 * that reuses one guid for several stories. A guid repeated with the same link is a repeated item.
 */
export function reusedGuids(raws: readonly RawItem[], base?: string): Set<string> {
  const linksByGuid = new Map<string, Set<string>>();
  for (const raw of raws) {
    const guid = guidOf(raw);
    if (guid === undefined) continue;
    const own = resolveUrl(asString(raw.url), resolveUrl(asString(raw.baseUrl)) ?? base);
    const link = own === undefined ? '' : (canonicalUrl(own) ?? own);
    const links = linksByGuid.get(guid) ?? new Set<string>();
    links.add(link);
    linksByGuid.set(guid, links);
  }
  return new Set([...linksByGuid].filter(([, links]) => links.size > 1).map(([guid]) => guid));
}

/**
 * An item's identity within its source: its guid (with its link when the document reuses the
 * guid for other links), else its canonical link, else a hash of its title and text.
 */
export function itemIdentity(
  guid: string | undefined,
  ownUrl: string | undefined,
  title: string,
  text: string,
  guidReused = false,
): string {
  if (guid && !guidReused) return `guid:${guid}`;
  const link = ownUrl === undefined ? undefined : (canonicalUrl(ownUrl) ?? ownUrl);
  if (guid) return `guid:${guid} url:${link ?? ''}`;
  if (link) return `url:${link}`;
  return `hash:${sha256Hex(`${title}\n${text}`).slice(0, 32)}`;
}

/**
 * A stored Item from what a connector returned. Throws (and the caller skips the item) when the
 * item has neither a title nor text, or no http(s) link at all (it could never be cited).
 */
export function normalizeItem(raw: RawItem, context: NormalizeContext): Item {
  const { source, fetchedAt } = context;
  const base = resolvedBase(asString(raw.baseUrl)) ?? source.url;
  const guid = guidOf(raw);

  const ownUrl = resolveUrl(asString(raw.url), base);
  const discussion = resolveUrl(asString(raw.discussionUrl), base);
  const discussionUrl = discussion === undefined ? undefined : withoutClickTracking(discussion);
  // An RSS guid is a permalink unless it says otherwise; use it when there is no link. The link a
  // reader gets carries no click or campaign tracking.
  const link = ownUrl ?? (guid && /^https?:\/\//i.test(guid) ? resolveUrl(guid) : undefined) ?? discussionUrl;
  const url = link === undefined ? undefined : withoutClickTracking(link);
  if (!url) throw new Error(`item "${cleanLine(asString(raw.title) ?? '').slice(0, 80)}" has no http(s) link`);
  const canonical = canonicalOfHref(url);

  // Markup written as text, metadata lines and feed boilerplate come out here (see feed-text.ts).
  const fromHtml = bodyOf(asString(raw.contentHtml), true);
  const fromPlain = bodyOf(asString(raw.contentText), false);
  const body = fromHtml.text.length >= fromPlain.text.length ? fromHtml : fromPlain;
  const text = truncate(body.text, MAX_TEXT_CHARS);

  let title = titleText(asString(raw.title) ?? '');
  if (title === '') title = titleFromText(text);
  title = truncate(title, MAX_TITLE_CHARS);
  if (title === '' && text === '') throw new Error(`item ${url} has neither a title nor text`);

  const identity = itemIdentity(guid, ownUrl, title, text, guid !== undefined && context.reusedGuids?.has(guid));
  const id = sha256Hex(`${source.id}\n${identity}`).slice(0, 24);

  const date = itemDate(asString(raw.published), fetchedAt, source.timezone ?? 'UTC');
  let language = detectLanguage(`${title}\n${text}`);
  if (language === 'other' && source.language && !/\p{L}{3}/u.test(`${title}${text}`)) language = source.language;

  const item: Item = {
    id,
    sourceId: source.id,
    identity,
    url,
    canonicalUrl: canonical,
    title,
    text,
    language,
    publishedAt: date.publishedAt,
    fetchedAt: isoString(fetchedAt),
    authors: authorsOf(raw.authors, fromHtml.authors, fromPlain.authors),
    // The connector's own counters win; those the text's metadata lines give fill the gaps.
    engagement: { ...fromPlain.engagement, ...fromHtml.engagement, ...cleanEngagement(raw.engagement) },
    tags: stringList(raw.tags, MAX_TAGS, 100, true),
    externalIds: mergeExternalIds(raw.externalIds, canonical),
  };
  if (guid) item.guid = guid;
  if (date.offset) item.publishedOffset = date.offset;
  if (date.dateFlag) item.dateFlag = date.dateFlag;
  if (discussionUrl) item.discussionUrl = discussionUrl;
  return item;
}

/** What a pipeline item carries of its source. */
export interface ItemSource {
  kind: SourceKind;
  name: string;
  authority: number;
  section: Section;
}

/**
 * An item as the pipeline sees it: its fields in their own order, then its source's. Written out
 * field by field rather than as `{ ...item, sourceKind, … }`: V8 gives nearly every object made by a
 * spread and then extended a hidden class of its own (2,000 items, about 2,000 classes), which
 * slows every later read of those items; objects built alike share a few. A field added to
 * {@link Item} must be added here too (normalize.test.ts checks that every field is carried).
 */
export function pipelineItem(item: Item, source: ItemSource): PipelineItem {
  const out = {
    id: item.id,
    sourceId: item.sourceId,
    identity: item.identity,
    url: item.url,
    canonicalUrl: item.canonicalUrl,
    title: item.title,
    text: item.text,
    language: item.language,
    publishedAt: item.publishedAt,
    fetchedAt: item.fetchedAt,
    authors: item.authors,
    engagement: item.engagement,
    tags: item.tags,
    externalIds: item.externalIds,
  } as PipelineItem;
  // The optional fields in the order normalizeItem and the store add them.
  if (item.guid !== undefined) out.guid = item.guid;
  if (item.publishedOffset !== undefined) out.publishedOffset = item.publishedOffset;
  if (item.dateFlag !== undefined) out.dateFlag = item.dateFlag;
  if (item.discussionUrl !== undefined) out.discussionUrl = item.discussionUrl;
  out.sourceKind = source.kind;
  out.sourceName = source.name;
  out.sourceAuthority = source.authority;
  out.sourceSection = source.section;
  return out;
}
