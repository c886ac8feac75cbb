/**
 * Dedup and cluster: items that report the same paper, release or repository become one story.
 *
 * Two passes over a union-find of the items:
 *
 * 1. **Exact identities.** Items sharing any key are one story:
 *    - `arxiv:<id>` — externalIds.arxiv, or an arxiv.org/{abs,pdf,html} or huggingface.co/papers URL
 *      (so a paper on arXiv, on Hugging Face daily papers and on Hacker News is one story);
 *    - `github:<owner/name>` — externalIds.github or a github.com/<owner>/<name>[/…] URL;
 *    - `hf:<org/name>` — externalIds.hfModel or a huggingface.co/<org>/<name> URL;
 *    - `hfbase:<name>` / `hfref:<name>` — **Decision:** a quantisation or format conversion of a model
 *      (GGUF, AWQ, GPTQ, MLX, EXL2, FP8, bnb-4bit, …) is the same story as the model: the news is the
 *      release, the GGUF upload is more coverage of it. A model without such a suffix defines
 *      `hfbase:<name>` (name without org, lower-cased); a quantised one refers to it with
 *      `hfref:<name without the suffix>` and joins whichever item defines that name, so
 *      "Qwen/Qwen3.8-27B" and "unsloth/Qwen3.8-27B-GGUF" are one story. Quantised uploads of one org
 *      share `hfbase:<org>/<name>` ("x/M-FP8" and "x/M-MLX" are one story), but two orgs' quantised
 *      uploads of a name nobody released un-quantised stay apart ("a/M-Uncensored-GGUF" and
 *      "b/M-Uncensored-FP8" are two people's models). Another team's fine-tune ("-Uncensored",
 *      "-OBLITERATED") or another size ("-7B") is a different story.
 *    - `hfrelease:<org>/<stem>` — one organisation's variants of a release are one story: the stem is
 *      the name without variant suffixes ("-Instruct", "-it", "-Base", "-Pro", "-Flash", …), so
 *      "deepseek-ai/DeepSeek-V4-Pro" and "deepseek-ai/DeepSeek-V4-Flash-Base" join; a quantised upload
 *      whose name is a stem ("x/deepseek-v4-gguf") joins the release by its `hfref:`. A dated update
 *      ("-0731") is no variant.
 *    - `url:<canonical url>` — the canonical URL (host lower-cased, "www." and the fragment dropped),
 *      unless it is a site's home page. Hacker News and Reddit items carry the URL they link to, so
 *      a discussion joins the story it discusses.
 * 2. **Near duplicates.** Title tokens (see tokenize.ts; "Show HN:", "[R]", "[pdf]" stripped; entity
 *    aliases written as one id by entities.ts, so "千问" and "Qwen" are one token) get a MinHash
 *    signature; LSH banding proposes candidate pairs in near-linear time; a pair is accepted
 *    when its exact title Jaccard is ≥ {@link NEAR_TITLE_THRESHOLD}, or ≥ {@link NEAR_TITLE_WITH_TEXT}
 *    with the opening of the texts ≥ {@link NEAR_TEXT_THRESHOLD} alike.
 *    **Entity evidence** (see {@link nearSimilarity}): two items of the same day that name one entity
 *    join when they also share a distinctive quantity ("5-10T" = "5-10万亿"), open their texts alike,
 *    or share a distinctive term of few items (an event's or a person's name, in the title or the
 *    opening of the text); candidates come
 *    from entity, entity+quantity and rare-token buckets, never from all pairs.
 *    Guards, checked for the pair and for the two whole clusters being joined, never merge:
 *    - two different arXiv ids, GitHub repositories or (base) Hugging Face models: different papers
 *      that share boilerplate words, different repositories on the same topic;
 *    - titles whose version/size tokens disagree both ways ("GPT-5" vs "GPT-5.1", "#12" vs "#13");
 *      for entity evidence, model/version tokens ("Qwen4" vs "Qwen4.5"; quantities do not count).
 *    Accepted pairs are joined in order of similarity, so the result does not depend on input order.
 *    The same guard applies to exact keys: two papers that name one GitHub monorepo stay two stories
 *    (exact keys are applied strongest kind first, items in id order).
 *
 * Output is deterministic for the same set of items in any order: items are sorted by id first, and
 * a cluster's id is the first 16 hex digits of sha256 of its strongest key
 * (arxiv > github > hf > hfbase > hfrelease > hfref > url) or, with no key, of its representative
 * item's id. The representative (first item id) is an item that is no re-upload (a re-upload names
 * only someone's quantised copy: the official organisation's model headlines, not "unsloth/…-GGUF"),
 * then the item of the highest-authority source, then the earliest, then the smallest id.
 */
import { hash } from 'node:crypto';
import { timeMs } from '../core/time.js';
import type { PipelineItem } from '../core/types.js';
import { canonicalEntities, canonicalEntityText, extractQuantities, isEntityId } from './entities.js';
import {
  copyBandKeys,
  createBandKeys,
  createMinHasher,
  distinctSorted,
  fnv1a32,
  lshCandidateKeys,
  setBandKeys,
} from './minhash.js';
import { hasDigit, tokenSpans, tokenText } from './tokenize.js';

/** One story's items before ranking. */
export interface Cluster {
  /** Deterministic id (see the module comment). */
  id: string;
  /** Item ids, representative first. */
  itemIds: string[];
  /**
   * Every exact key of the cluster's items (strongest first), plus "near" when a near-duplicate
   * match joined items. Cross-day memory matches stories on these keys.
   */
  keys: string[];
}

export interface ClusterOptions {
  /** Title Jaccard at or above which two items are the same story. Default {@link NEAR_TITLE_THRESHOLD}. */
  titleThreshold?: number;
  /** Turn the near-duplicate pass off (exact identities only). Default true. */
  nearDuplicates?: boolean;
}

/** Title Jaccard that alone makes two items one story. */
export const NEAR_TITLE_THRESHOLD = 0.6;
/** Title Jaccard that makes two items one story when their texts also open alike. */
export const NEAR_TITLE_WITH_TEXT = 0.4;
/** Jaccard of the texts' opening tokens needed with {@link NEAR_TITLE_WITH_TEXT}. */
export const NEAR_TEXT_THRESHOLD = 0.5;

/** Two items this far apart in time are not "the same day" for entity evidence. */
const SAME_DAY_MS = 30 * 3600 * 1000;
/** Title Jaccard needed, with a shared entity, when the texts open alike. */
export const ENTITY_TITLE_WITH_TEXT = 0.2;
/** A token in at most this many items of the batch (title or text opening) is rare: the posts of one event. */
const RARE_TERM_ITEMS = 3;
/** Entity buckets larger than this propose no pairs (the entity is too common to be evidence alone). */
const ENTITY_BUCKET_LIMIT = 64;
/** Order of entity matches among accepted pairs: after title matches (≥ 0.6), before weaker ones. */
const ENTITY_MATCH_SIMILARITY = 0.5;

/** How many tokens of the text's opening are compared. */
const TEXT_LEAD_TOKENS = 40;
/** A text needs this many tokens before its opening counts as evidence. */
const MIN_TEXT_TOKENS = 8;

type KeyKind = 'arxiv' | 'github' | 'hf' | 'hfbase' | 'hfrelease' | 'hfref' | 'url';
const KEY_STRENGTH: Record<KeyKind, number> = { arxiv: 0, github: 1, hf: 2, hfbase: 3, hfrelease: 4, hfref: 5, url: 6 };
/**
 * Whether a key is of a kind that tells two things apart (arxiv, github, hf): two clusters that each
 * hold keys of such a kind, none shared, are different papers / repositories / models and never join.
 */
function isExclusiveKey(key: string): boolean {
  return key.startsWith('arxiv:') || key.startsWith('github:') || key.startsWith('hf:');
}

// biome-ignore format: a word list reads better packed
const GITHUB_RESERVED = new Set([
  'about', 'apps', 'collections', 'customer-stories', 'enterprise', 'events', 'explore', 'features', 'login',
  'marketplace', 'notifications', 'orgs', 'pricing', 'readme', 'search', 'security', 'settings', 'site', 'sponsors',
  'topics', 'trending', 'users',
]);
// biome-ignore format: a word list reads better packed
const HF_RESERVED = new Set([
  'api', 'blog', 'chat', 'collections', 'course', 'datasets', 'docs', 'join', 'learn', 'login', 'models', 'new',
  'organizations', 'papers', 'posts', 'pricing', 'settings', 'spaces', 'tasks', 'enterprise',
]);

const ARXIV_ID = /^(\d{4}\.\d{4,5})(?:v\d+)?$|^([a-z-]+(?:\.[a-z]{2})?\/\d{7})(?:v\d+)?$/i;
const ARXIV_URL =
  /^(?:[a-z]+:\/\/)?(?:www\.|export\.)?arxiv\.org\/(?:abs|pdf|html)\/([^?#]+?)(?:\.pdf)?\/?(?:[?#].*)?$/i;
const HF_PAPER_URL = /^(?:[a-z]+:\/\/)?(?:www\.)?huggingface\.co\/papers\/(\d{4}\.\d{4,5})/i;
const GITHUB_URL = /^(?:[a-z]+:\/\/)?(?:www\.)?github\.com\/([a-z0-9][a-z0-9-]*)\/([a-z0-9._-]+)/i;
const HF_URL = /^(?:[a-z]+:\/\/)?(?:www\.)?huggingface\.co\/([a-z0-9][\w.-]*)\/([\w.-]+)/i;
/** A quantisation / format marker in a model name: everything from it on is dropped for `hfbase:`. */
const QUANT_MARKER =
  /(?:^|[-_.])(?:gguf|ggml|awq|gptq|mlx|exl2|exl3|fp8|fp4|nvfp4|mxfp4|int4|int8|bnb|\d+bit|w4a16|w8a8|onnx|q[2-8]_k(?:_[msl])?)(?=$|[-_.])/i;

/**
 * A variant of one release in a model name ("-Instruct", "-it", "-Base", "-Pro", "-Flash", …): the same
 * organisation's "DeepSeek-V4-Pro", "DeepSeek-V4-Flash" and "DeepSeek-V4-Pro-Base" are one release.
 * Sizes ("-7B") and dates ("-0731") are not variants: another size or a later update is another story.
 */
const VARIANT_SUFFIX = /[-_.](?:instruct|it|chat|base|pro|flash|thinking|hf)$/i;

/** arXiv id without version, lower-cased, or undefined. */
export function normaliseArxivId(value: string): string | undefined {
  const match = ARXIV_ID.exec(value.trim());
  if (!match) return undefined;
  return (match[1] ?? match[2] ?? '').toLowerCase();
}

/**
 * A URL that the URL parser leaves as it is: http(s), a lower-case host of letters, digits and hyphens
 * (see {@link isPlainHost}), a path and a query of characters it never encodes, no port, user,
 * fragment or "/." (a dot segment), so its host, path and query are these parts of the text.
 */
const PLAIN_URL = /^https?:\/\/([a-z0-9-]+(?:\.[a-z0-9-]+)*)(\/[\w\-.~/]*)?(?:\?([\w\-.~!$&()*+,;=:@/?]*))?$/;

/** A host the parser takes as written: no IPv4 number as its last label, no punycode ("xn--") to check. */
function isPlainHost(host: string): boolean {
  return !host.includes('xn--') && !/(?:^|\.)(?:\d+|0x[0-9a-f]*)$/.test(host);
}

/** Canonical URL as a key: host lower-case without "www.", no scheme, no fragment, no trailing "/". */
export function urlKey(url: string): string | undefined {
  let host: string;
  let path: string;
  let search: string;
  const plain = PLAIN_URL.exec(url);
  if (plain !== null && isPlainHost(plain[1]!) && !plain[2]?.includes('/.')) {
    // What `new URL` would give, without one (most URLs of a day are plain).
    host = plain[1]!;
    path = plain[2] ?? '/';
    search = plain[3] ? `?${plain[3]}` : '';
  } else {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return undefined;
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined;
    host = parsed.hostname.toLowerCase();
    path = parsed.pathname;
    search = parsed.search;
  }
  host = host.replace(/^www\./, '');
  path = path.replace(/\/+$/, '');
  if (path === '' && search === '') return undefined; // a home page identifies nothing
  return `${host}${path}${search}`;
}

/**
 * The `hfbase:`/`hfrelease:`/`hfref:` keys of a Hugging Face model id (see the module comment); none
 * when the name is too generic to identify a release (under 5 characters or without a digit).
 */
export function modelFamilyKeys(hfModelId: string): string[] {
  const [org = '', name = ''] = hfModelId.toLowerCase().split('/');
  const family = modelFamily(name);
  if (!family) return [];
  if (family.quantised) return [`hfbase:${org}/${family.base}`, `hfref:${family.base}`];
  const stem = releaseStem(family.base);
  return stem ? [`hfbase:${family.base}`, `hfrelease:${org}/${stem}`] : [`hfbase:${family.base}`];
}

/** A model name without its variant suffixes ("deepseek-v4-pro-base" → "deepseek-v4"); undefined when too generic. */
export function releaseStem(name: string): string | undefined {
  let stem = name.toLowerCase();
  for (let match = VARIANT_SUFFIX.exec(stem); match !== null; match = VARIANT_SUFFIX.exec(stem)) {
    stem = stem.slice(0, match.index);
  }
  return stem.length >= 5 && hasDigit(stem) ? stem : undefined;
}

/** A model name without its quantisation suffix; undefined when too generic to identify a release. */
function modelFamily(name: string): { base: string; quantised: boolean } | undefined {
  const marker = QUANT_MARKER.exec(name);
  const base = (marker ? name.slice(0, marker.index) : name).replace(/[-_.]+$/, '');
  if (base.length < 5 || !hasDigit(base)) return undefined;
  return { base, quantised: marker !== null };
}

/** Exact keys of one item, strongest first, without duplicates. */
export function itemKeys(item: PipelineItem): string[] {
  return computeItemKeys(item);
}

function computeItemKeys(item: PipelineItem): string[] {
  const keys = new Set<string>();
  // Most items' URL is their canonical URL: one copy gives the same keys (each key is added once anyway).
  const urls = (item.url === item.canonicalUrl ? [item.url] : [item.canonicalUrl, item.url]).filter(
    (u): u is string => typeof u === 'string' && u !== '',
  );
  const arxiv = item.externalIds.arxiv ? normaliseArxivId(item.externalIds.arxiv) : undefined;
  if (arxiv) keys.add(`arxiv:${arxiv}`);
  for (const url of urls) {
    const arxivMatch = ARXIV_URL.exec(url) ?? HF_PAPER_URL.exec(url);
    const fromUrl = arxivMatch?.[1] ? normaliseArxivId(arxivMatch[1]) : undefined;
    if (fromUrl) keys.add(`arxiv:${fromUrl}`);
  }
  const github = item.externalIds.github?.toLowerCase().replace(/\.git$/, '');
  if (github?.includes('/')) keys.add(`github:${github}`);
  for (const url of urls) {
    const match = GITHUB_URL.exec(url);
    if (match?.[1] && match[2] && !GITHUB_RESERVED.has(match[1].toLowerCase())) {
      keys.add(`github:${match[1].toLowerCase()}/${match[2].toLowerCase().replace(/\.git$/, '')}`);
    }
  }
  const hfModels = new Set<string>();
  if (item.externalIds.hfModel?.includes('/')) hfModels.add(item.externalIds.hfModel.toLowerCase());
  for (const url of urls) {
    const match = HF_URL.exec(url);
    if (match?.[1] && match[2] && !HF_RESERVED.has(match[1].toLowerCase())) {
      hfModels.add(`${match[1]}/${match[2]}`.toLowerCase());
    }
  }
  for (const model of hfModels) keys.add(`hf:${model}`);
  for (const model of hfModels) for (const key of modelFamilyKeys(model)) keys.add(key);
  for (const url of urls) {
    const key = urlKey(url);
    if (key) keys.add(`url:${key}`);
  }
  return [...keys];
}

function keyKind(key: string): KeyKind {
  return key.slice(0, key.indexOf(':')) as KeyKind;
}

/** Orders keys strongest first, then alphabetically. */
export function compareKeys(a: string, b: string): number {
  const strength = KEY_STRENGTH[keyKind(a)] - KEY_STRENGTH[keyKind(b)];
  if (strength !== 0) return strength;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The keys sorted as {@link compareKeys} orders them, without a comparator call per comparison:
 * grouped by kind (strongest first), each group in the default (UTF-16 code unit) order.
 */
function sortKeys(keys: Iterable<string>): string[] {
  // Most items' keys come in that order already (computeItemKeys adds them strongest kind first).
  if (Array.isArray(keys) && inKeyOrder(keys)) return keys.slice();
  const groups: string[][] = [[], [], [], [], [], [], []];
  for (const key of keys) groups[KEY_STRENGTH[keyKind(key)]]!.push(key);
  const sorted: string[] = [];
  for (const group of groups) {
    if (group.length > 1) group.sort();
    for (const key of group) sorted.push(key);
  }
  return sorted;
}

/** Whether the keys are as {@link sortKeys} orders them (distinct keys, as every caller's are). */
function inKeyOrder(keys: readonly string[]): boolean {
  for (let k = 1; k < keys.length; k++) {
    const a = keys[k - 1]!;
    const b = keys[k]!;
    const strength = keyStrength(a) - keyStrength(b);
    if (strength > 0 || (strength === 0 && !(a < b))) return false;
  }
  return true;
}

/** {@link KEY_STRENGTH} of a key's kind; the common kinds without a slice. */
function keyStrength(key: string): number {
  if (key.startsWith('url:')) return KEY_STRENGTH.url;
  if (key.startsWith('arxiv:')) return KEY_STRENGTH.arxiv;
  return KEY_STRENGTH[keyKind(key)];
}

/** Title boilerplate of aggregators that says nothing about the story: "Show HN:" and the like, … */
const HN_PREFIX = /^\s*(?:show|ask|tell|launch)\s+hn\s*[:：-]\s*/i;
/** … then tags in brackets: "[R]", "[pdf]". */
const BRACKET_NOISE = [/^\s*\[[a-z]{1,3}\]\s*/i, /\s*\[(?:pdf|video)\]\s*$/i];

/** The title as compared for near duplicates. */
export function comparableTitle(title: string): string {
  let result = mayOpenWithHn(title) ? title.replace(HN_PREFIX, '') : title;
  // Most titles have no "[" and need no look for a tag at every place.
  if (result.includes('[')) for (const pattern of BRACKET_NOISE) result = result.replace(pattern, '');
  return result;
}

/**
 * Whether {@link HN_PREFIX} can match: the title opens with an ASCII space or control character, a
 * character past ASCII (another space) or s, a, t or l (of "Show", "Ask", "Tell", "Launch"), and holds
 * "hn" in some case (without the u flag, /i matches an ASCII letter in its two cases only).
 */
function mayOpenWithHn(title: string): boolean {
  const first = title.charCodeAt(0);
  const letter = first | 0x20; // lower case of an ASCII letter
  const opening = first <= 32 || first > 127 || letter === 115 || letter === 97 || letter === 116 || letter === 108;
  return opening && (title.includes('hn') || title.includes('HN') || title.includes('Hn') || title.includes('hN'));
}

// The token sets the near-duplicate pass keeps per item (field numbers of {@link NearFeatures}).
/** Title tokens with entity aliases written as their ids (see entities.ts). */
const TITLE = 0;
/** Tokens of the text's opening; absent under {@link MIN_TEXT_TOKENS}. */
const TEXT = 1;
/** Title tokens with a digit: versions and sizes. */
const DIGITS = 2;
/** Digit tokens that start with a letter: model names and versions ("qwen4.5", "gpt-5.1", "v2"). */
const MODELS = 3;
/** Title tokens without a digit that are no entity id. */
const WORDS = 4;
/** Entities the title names (numbers of "@<id>"). */
const ENTITIES = 5;
/** Distinctive quantities of the title (numbers of "#<quantity>"). */
const QUANTITIES = 6;
/** Term tokens of title and text that few items of the batch have (filled in after all items are numbered). */
const RARE = 7;
/** Tokens of the text's opening when under {@link MIN_TEXT_TOKENS} (TEXT is absent then): with TITLE or TEXT, its terms. */
const SHORT_TEXT = 8;
/** The title's tokens then the text's, in order (not a set); a token that is no rare term is -1. */
const RARE_SEQUENCE = 9;
const FIELDS = 10;

/**
 * What the near-duplicate pass knows about the items. Token sets are ascending runs of distinct
 * token numbers (see {@link TokenNumbers}), all of them end to end in one growing array with each
 * item's starts and lengths beside it: a few bytes per token, and no object per set, which at 100k
 * items is the difference between a heap the collector walks and one it does not.
 */
class NearFeatures {
  /** The sets of every item, end to end; read it again after {@link put} (it grows). */
  data: Int32Array;
  private used = 0;
  private readonly starts: Int32Array;
  /** Length of each item's field; -1 for an absent one (only {@link TEXT}). */
  private readonly lengths: Int32Array;
  readonly exclusive: Array<ReadonlyMap<string, Set<string>>>;

  constructor(
    readonly count: number,
    /** Each item's time (ms; NaN for none). */
    readonly publishedMs: Float64Array,
    /** Each item's exclusive keys (see exclusiveKeys); undefined for none. */
    exclusive: ReadonlyArray<ReadonlyMap<string, Set<string>> | undefined>,
  ) {
    this.starts = new Int32Array(count * FIELDS);
    this.lengths = new Int32Array(count * FIELDS);
    // A little more than a day of titles and text openings needs (some 55 numbers an item): it seldom
    // grows, and every array it outgrows is garbage the collector may not free before the next stage.
    this.data = new Int32Array(Math.max(1 << 16, count * 64));
    this.exclusive = exclusive.map((keys) => keys ?? NO_EXCLUSIVE_KEYS);
  }

  /**
   * Stores `values[from, to)` as the item's field; `distinct`: as an ascending run of distinct values
   * (sorted and de-duplicated in place, in `data`).
   */
  put(item: number, field: number, values: Int32Array, from: number, to: number, distinct: boolean): void {
    const length = to - from;
    this.reserve(length);
    const data = this.data;
    const start = this.used;
    for (let k = 0; k < length; k++) data[start + k] = values[from + k]!;
    const size = distinct ? sortDistinct(data, start, length) : length;
    this.starts[item * FIELDS + field] = start;
    this.lengths[item * FIELDS + field] = size;
    this.used += size;
  }

  /**
   * Room for `length` more numbers. Grows by half (not double): at 100k items the array is tens of MB,
   * and while it grows the old one and the new one are both alive.
   */
  private reserve(length: number): void {
    if (this.used + length <= this.data.length) return;
    const grown = new Int32Array(Math.max(Math.ceil(this.data.length * 1.5), this.used + length));
    grown.set(this.data.subarray(0, this.used));
    this.data = grown;
  }

  /** Marks the item's field absent. */
  absent(item: number, field: number): void {
    this.lengths[item * FIELDS + field] = -1;
  }

  has(item: number, field: number): boolean {
    return this.lengths[item * FIELDS + field]! >= 0;
  }

  start(item: number, field: number): number {
    return this.starts[item * FIELDS + field]!;
  }

  /** Length of the item's field (0 for an absent one). */
  size(item: number, field: number): number {
    return Math.max(0, this.lengths[item * FIELDS + field]!);
  }

  /** Number of values the two items' sets of a field share. */
  shared(a: number, b: number, field: number): number {
    return sharedCount(this.data, this.start(a, field), this.size(a, field), this.start(b, field), this.size(b, field));
  }

  /** Exact Jaccard similarity of the two items' sets of a field (0 when both are empty), as minhash.ts's `jaccard`. */
  jaccard(a: number, b: number, field: number): number {
    const sizeA = this.size(a, field);
    const sizeB = this.size(b, field);
    if (sizeA === 0 && sizeB === 0) return 0;
    const shared = this.shared(a, b, field);
    return shared / (sizeA + sizeB - shared);
  }

  /** Each side holds a token of the field the other lacks ("gpt-5" vs "gpt-5.1"). */
  conflict(a: number, b: number, field: number): boolean {
    const sizeA = this.size(a, field);
    const sizeB = this.size(b, field);
    if (sizeA === 0 || sizeB === 0) return false;
    const shared = this.shared(a, b, field);
    return sizeA > shared && sizeB > shared;
  }
}

/**
 * Finds, for each item in turn, an earlier item whose set of one field is the same: a table of the
 * items by a hash of their set, each looked-up set compared whole.
 */
class SameSets {
  /** First item of each hash slot (+1; 0 for none); the next of a slot in {@link next}. */
  private readonly heads: Int32Array;
  private readonly next: Int32Array;

  constructor(
    private readonly features: NearFeatures,
    private readonly field: number,
  ) {
    this.heads = new Int32Array(2 ** Math.max(4, Math.ceil(Math.log2(features.count * 2 + 1))));
    this.next = new Int32Array(features.count);
  }

  /** The earliest item added before whose set is the item's (-1 for none); adds the item. */
  add(item: number): number {
    const { features, field } = this;
    const data = features.data;
    const start = features.start(item, field);
    const size = features.size(item, field);
    let hash = 0x811c9dc5 ^ size;
    for (let k = start; k < start + size; k++) hash = Math.imul(hash ^ data[k]!, 0x01000193);
    const slot = (hash ^ (hash >>> 16)) & (this.heads.length - 1);
    for (let other = this.heads[slot]! - 1; other !== -1; other = this.next[other]!) {
      if (
        features.size(other, field) === size &&
        sharedCount(data, features.start(other, field), size, start, size) === size
      ) {
        return other;
      }
    }
    this.next[item] = this.heads[slot]! - 1;
    this.heads[slot] = item + 1;
    return -1;
  }
}

/** {@link TokenNumbers}' flags of a token. */
const DIGIT_TOKEN = 1;
const ENTITY_TOKEN = 2;
const CJK_TOKEN = 4;
/** Not worked out yet (see {@link TokenNumbers.model}). */
const MODEL_UNKNOWN = -2;

/**
 * Numbers tokens in the order first seen; one per clustering call. A token is looked up by its span
 * of the text it was read from (hashed with minhash.ts's FNV-1a, which the signatures use too), so a
 * token seen before costs no string. What the features ask of a token (a digit? an entity id? its
 * model form?) is worked out once per distinct token, not per occurrence.
 */
class TokenNumbers {
  private readonly tokens: string[] = [];
  /** {@link fnv1a32} of each token. */
  private hashOf = new Uint32Array(1 << 12);
  private flagsOf = new Uint8Array(1 << 12);
  /** Number of the token's model form ({@link modelToken}), -1 for none, or {@link MODEL_UNKNOWN}. */
  private modelOf = new Int32Array(1 << 12);
  /** Open addressing by hash: a token's number + 1 per slot, 0 in an empty one; at most half full. */
  private slots = new Int32Array(1 << 13);

  /** How many distinct tokens have a number. */
  get size(): number {
    return this.tokens.length;
  }

  /** The token of a number. */
  token(number: number): string {
    return this.tokens[number] ?? '';
  }

  /** The number of the token `text[start, end)` (a new one for a token not seen before). */
  span(text: string, start: number, end: number): number {
    const hash = fnv1a32(text, start, end);
    const mask = this.slots.length - 1;
    let slot = (hash ^ (hash >>> 16)) & mask;
    for (let entry = this.slots[slot]!; entry !== 0; entry = this.slots[slot]!) {
      const number = entry - 1;
      if (this.hashOf[number] === hash && sameText(this.tokens[number]!, text, start, end)) return number;
      slot = (slot + 1) & mask;
    }
    return this.add(text.slice(start, end), hash, slot);
  }

  /** The token's number (a new one for a token not seen before). */
  number(token: string): number {
    return this.span(token, 0, token.length);
  }

  private add(token: string, hash: number, slot: number): number {
    const number = this.tokens.length;
    this.tokens.push(token);
    if (number === this.flagsOf.length) {
      const hashes = new Uint32Array(number * 2);
      hashes.set(this.hashOf);
      this.hashOf = hashes;
      const flags = new Uint8Array(number * 2);
      flags.set(this.flagsOf);
      this.flagsOf = flags;
      const models = new Int32Array(number * 2);
      models.set(this.modelOf);
      this.modelOf = models;
    }
    this.hashOf[number] = hash;
    this.flagsOf[number] =
      (hasDigit(token) ? DIGIT_TOKEN : 0) |
      (isEntityId(token) ? ENTITY_TOKEN : 0) |
      (isCjkToken(token) ? CJK_TOKEN : 0);
    this.modelOf[number] = MODEL_UNKNOWN;
    this.slots[slot] = number + 1;
    if (this.tokens.length * 2 > this.slots.length) {
      const slots = new Int32Array(this.slots.length * 2);
      const mask = slots.length - 1;
      for (let other = 0; other < this.tokens.length; other++) {
        const otherHash = this.hashOf[other]!;
        let free = (otherHash ^ (otherHash >>> 16)) & mask;
        while (slots[free] !== 0) free = (free + 1) & mask;
        slots[free] = other + 1;
      }
      this.slots = slots;
    }
    return number;
  }

  /**
   * Writes the {@link tokenText}'s tokens' numbers (at most `limit`) into `into` from `at`; returns the
   * end. `spans`: room for {@link tokenSpans}.
   */
  sequenceInto(normalised: string, limit: number, spans: Int32Array, into: Int32Array, at: number): number {
    const count = tokenSpans(normalised, limit, spans);
    for (let k = 0; k < count; k++) into[at + k] = this.span(normalised, spans[2 * k]!, spans[2 * k + 1]!);
    return at + count;
  }

  /** Writes the {@link fnv1a32} hashes of the tokens `numbers[from, from + length)` into `into`. */
  hashesInto(numbers: Int32Array, from: number, length: number, into: Uint32Array): void {
    for (let k = 0; k < length; k++) into[k] = this.hashOf[numbers[from + k]!]!;
  }

  has(number: number, flag: number): boolean {
    return (this.flagsOf[number]! & flag) !== 0;
  }

  /** Number of the model form of a digit token ({@link modelToken}), or -1 when it is none. */
  model(number: number): number {
    let model = this.modelOf[number]!;
    if (model === MODEL_UNKNOWN) {
      const form = modelToken(this.tokens[number]!);
      model = form === undefined ? -1 : this.number(form);
      this.modelOf[number] = model;
    }
    return model;
  }
}

/** Whether `token` is `text[start, end)`. */
function sameText(token: string, text: string, start: number, end: number): boolean {
  if (token.length !== end - start) return false;
  for (let i = 0; i < token.length; i++) if (token.charCodeAt(i) !== text.charCodeAt(start + i)) return false;
  return true;
}

/**
 * Sorts `data[start, start + length)` ascending and drops repeated values; returns how many are left
 * (the run starts at `start`). Insertion sort: the runs are a title's or a text opening's tokens.
 */
function sortDistinct(data: Int32Array, start: number, length: number): number {
  const end = start + length;
  if (length > 64) data.subarray(start, end).sort();
  else {
    for (let i = start + 1; i < end; i++) {
      const value = data[i]!;
      let j = i - 1;
      while (j >= start && data[j]! > value) {
        data[j + 1] = data[j]!;
        j--;
      }
      data[j + 1] = value;
    }
  }
  let distinct = start;
  for (let i = start; i < end; i++) if (i === start || data[i] !== data[i - 1]) data[distinct++] = data[i]!;
  return distinct - start;
}

const NO_EXCLUSIVE_KEYS: ReadonlyMap<string, Set<string>> = new Map();

/**
 * Works out item `index`'s near-duplicate features into `features`, from its comparable title and
 * that title with entity aliases as ids (`canonicalTitle`, naming `entities`).
 */
function addNearFeatures(
  features: NearFeatures,
  index: number,
  item: PipelineItem,
  title: string,
  canonicalTitle: string,
  entities: readonly string[],
  numbers: TokenNumbers,
  scratch: Scratch,
): void {
  const titleText = tokenText(canonicalTitle);
  // Entity evidence needs an entity on both sides (see nearSimilarity and entityCandidatePairs): an
  // item that names none keeps its entity-evidence sets (the last five below) empty.
  const quantities = entities.length === 0 ? [] : extractQuantities(title);
  // [title numbers | text numbers | one derived run at a time]; a text has at most a token per code unit.
  const values = scratch.reserve(2 * (titleText.length + TEXT_LEAD_TOKENS) + 1 + entities.length + quantities.length);
  const spans = scratch.spans(2 * Math.max(titleText.length, TEXT_LEAD_TOKENS));
  const titleEnd = numbers.sequenceInto(titleText, Number.POSITIVE_INFINITY, spans, values, 0);
  const textEnd = scratch.leads.sequenceInto(item.text.slice(0, 600), numbers, spans, values, titleEnd);
  const textTokens = textEnd - titleEnd;
  features.put(index, TITLE, values, 0, titleEnd, true);
  let end = textEnd;
  for (let i = 0; i < titleEnd; i++) if (numbers.has(values[i]!, DIGIT_TOKEN)) values[end++] = values[i]!;
  features.put(index, DIGITS, values, textEnd, end, true);
  if (entities.length > 0) addEntityEvidence(features, index, values, titleEnd, textEnd, entities, quantities, numbers);
  // The text's numbers in place as a set (their order is read above, no more), then title ∪ text.
  const textSet = titleEnd + sortDistinct(values, titleEnd, textTokens);
  if (textTokens >= MIN_TEXT_TOKENS) features.put(index, TEXT, values, titleEnd, textSet, false);
  else {
    features.absent(index, TEXT);
    features.put(index, SHORT_TEXT, values, titleEnd, textSet, false);
  }
}

/**
 * The sets only entity evidence reads, of an item that names an entity; `values` holds the title's
 * token numbers at [0, titleEnd) and the text's at [titleEnd, textEnd), in order, and room after them.
 */
function addEntityEvidence(
  features: NearFeatures,
  index: number,
  values: Int32Array,
  titleEnd: number,
  textEnd: number,
  entities: readonly string[],
  quantities: readonly string[],
  numbers: TokenNumbers,
): void {
  let end = textEnd;
  for (let i = 0; i < titleEnd; i++) values[end++] = values[i]!;
  values[end++] = -1;
  for (let i = titleEnd; i < textEnd; i++) {
    // Latin words of a text are no term: "today announced … across the region" opens many posts.
    values[end++] = numbers.has(values[i]!, CJK_TOKEN) ? values[i]! : -1;
  }
  features.put(index, RARE_SEQUENCE, values, textEnd, end, false);
  end = textEnd;
  for (let i = 0; i < titleEnd; i++) {
    const model = numbers.has(values[i]!, DIGIT_TOKEN) ? numbers.model(values[i]!) : -1;
    if (model !== -1) values[end++] = model;
  }
  features.put(index, MODELS, values, textEnd, end, true);
  end = textEnd;
  for (let i = 0; i < titleEnd; i++) {
    if (!numbers.has(values[i]!, DIGIT_TOKEN | ENTITY_TOKEN)) values[end++] = values[i]!;
  }
  features.put(index, WORDS, values, textEnd, end, true);
  end = textEnd;
  for (const entity of entities) values[end++] = numbers.number(`@${entity}`);
  features.put(index, ENTITIES, values, textEnd, end, true);
  end = textEnd;
  for (const quantity of quantities) values[end++] = numbers.number(`#${quantity}`);
  features.put(index, QUANTITIES, values, textEnd, end, true);
}

/**
 * The token numbers of each distinct text opening, read once: many items of a batch open alike (one
 * paper's abstract on arXiv, Hugging Face and a news site). A text read again has no token without a
 * number yet, so its numbers are those a second reading would give, and no number is handed out in
 * another order. Openings are found again by a hash of their length and some of their characters, and
 * then compared whole.
 */
class LeadNumbers {
  /** Each opening read, with where its numbers start in {@link pool} (its count first). */
  private readonly leads: string[] = [];
  private readonly at: number[] = [];
  /** Openings of one sample hash: the first in {@link heads} (+1; 0 for none), the next in {@link next}. */
  private heads = new Int32Array(1 << 12);
  private readonly next: number[] = [];
  private pool = new Int32Array(1 << 16);
  private used = 0;

  /** {@link TokenNumbers.sequenceInto} of the opening `lead` (at most {@link TEXT_LEAD_TOKENS} tokens). */
  sequenceInto(lead: string, numbers: TokenNumbers, spans: Int32Array, into: Int32Array, at: number): number {
    const hash = sampleHash(lead);
    const mask = this.heads.length - 1;
    for (let entry = this.heads[hash & mask]! - 1; entry !== -1; entry = this.next[entry]!) {
      if (this.leads[entry] !== lead) continue;
      const start = this.at[entry]!;
      const length = this.pool[start]!;
      for (let k = 0; k < length; k++) into[at + k] = this.pool[start + 1 + k]!;
      return at + length;
    }
    // Entity aliases matter in a text only for its Chinese terms ("阿里巴巴" must not look like a rare term).
    const leadText = tokenText(CJK_TEXT.test(lead) ? canonicalEntityText(lead) : lead);
    const end = numbers.sequenceInto(leadText, TEXT_LEAD_TOKENS, spans, into, at);
    this.remember(lead, hash, into, at, end);
    return end;
  }

  private remember(lead: string, hash: number, numbers: Int32Array, from: number, to: number): void {
    if (this.used + 1 + to - from > this.pool.length) {
      const grown = new Int32Array(this.pool.length * 2);
      grown.set(this.pool.subarray(0, this.used));
      this.pool = grown;
    }
    const entry = this.leads.length;
    this.leads.push(lead);
    this.at.push(this.used);
    this.pool[this.used++] = to - from;
    for (let k = from; k < to; k++) this.pool[this.used++] = numbers[k]!;
    if (entry * 2 >= this.heads.length) {
      this.heads = new Int32Array(this.heads.length * 4);
      this.next.length = 0;
      for (let other = 0; other < entry; other++) this.link(other, sampleHash(this.leads[other]!));
    }
    this.link(entry, hash);
  }

  private link(entry: number, hash: number): void {
    const slot = hash & (this.heads.length - 1);
    this.next[entry] = this.heads[slot]! - 1;
    this.heads[slot] = entry + 1;
  }
}

/** A hash of a text's length and of 64 of its characters: equal texts have equal hashes. */
function sampleHash(text: string): number {
  const length = text.length;
  const step = Math.max(1, Math.floor(length / 64));
  let hash = Math.imul(0x811c9dc5 ^ length, 0x01000193);
  for (let i = 0; i < length; i += step) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return (hash ^ (hash >>> 15)) >>> 0;
}

/** Reusable buffers: token numbers, and token spans (see tokenSpans); the text openings read so far. */
class Scratch {
  private values = new Int32Array(256);
  private spanBuffer = new Int32Array(256);
  readonly leads = new LeadNumbers();

  /** The numbers buffer, at least `length` long (its contents are not kept when it grows). */
  reserve(length: number): Int32Array {
    if (this.values.length < length) this.values = new Int32Array(length * 2);
    return this.values;
  }

  /** The spans buffer, at least `length` long. */
  spans(length: number): Int32Array {
    if (this.spanBuffer.length < length) this.spanBuffer = new Int32Array(length * 2);
    return this.spanBuffer;
  }
}

/**
 * The model name or version of a digit token, when it starts with a letter, without a leading entity
 * id, so "deepseek-v4" and "v4", "moonshot-k3" and "k3" are one version ("qwen4.5" → "4.5"); undefined
 * for a token that starts with no letter.
 */
function modelToken(token: string): string | undefined {
  const first = token.charCodeAt(0);
  if (first < 97 || first > 122) return undefined;
  const prefix = /^[a-z]+/.exec(token)?.[0] ?? '';
  return isEntityId(prefix) && prefix.length < token.length ? token.slice(prefix.length).replace(/^-/, '') : token;
}

/**
 * Words of any tech news report: never part of an event's distinctive term, however rare in a small
 * batch ("today announced", "人工智能", "发布"). Chinese as the bigrams tokenize.ts makes.
 */
// biome-ignore format: a word list reads better packed
const GENERIC_TERMS: ReadonlySet<string> = new Set([
  'today', 'announced', 'announces', 'announce', 'launch', 'launched', 'launches', 'release', 'released',
  'releases', 'introduces', 'introducing', 'unveils', 'unveiled', 'company', 'companies', 'model', 'models',
  'first', 'largest', 'available', 'users', 'customers', 'global', 'world', 'partnership', 'partners',
  'collaborate', 'collaboration', 'open-source', 'open-sources', 'research', 'researchers', 'team', 'based',
  'according', 'report', 'reports', 'reported', 'said', 'says', 'artificial', 'intelligence', 'update',
  'updates', 'feature', 'features', 'product', 'products', 'service', 'services', 'agent', 'agents',
  'developers', 'enterprise', 'enterprises', 'platform', 'million', 'billion', 'percent', 'week', 'month',
  'year', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday',
  '人工', '工智', '智能', '模型', '大模', '发布', '宣布', '表示', '公司', '开源', '能体', '今天', '今日',
  '日前', '近日', '推出', '上线', '全球', '用户', '企业', '技术', '产品', '应用', '行业', '能力', '最新',
  '进展', '集团', '首席', '执行', '行官', '正式', '新的', '研究', '团队', '平台', '服务', '功能', '合作',
  '市场', '数据', '系统', '开发', '发者', '据悉', '报道', '消息', '记者', '以上', '未来', '时代',
]);

/** A text with Chinese, Japanese or Korean characters. */
const CJK_TEXT = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]/;

function isCjkToken(token: string): boolean {
  return token.charCodeAt(0) > 0x2fff;
}

/** Chinese numerals and number units: a bigram with one is part of a quantity ("120亿参数" → 亿参). */
const CJK_NUMERAL = /[〇零一二三四五六七八九十百千万亿兆倍]/;

/**
 * A token that can be part of an event's distinctive term: no digit or Chinese numeral (quantities
 * and versions are evidence and guards of their own), not an entity id (entities are counted apart),
 * no generic news word, a Chinese bigram or a Latin word of five or more letters.
 */
function isTermToken(token: string): boolean {
  if (hasDigit(token) || isEntityId(token) || GENERIC_TERMS.has(token)) return false;
  return isCjkToken(token) ? token.length >= 2 && !CJK_NUMERAL.test(token) : token.length >= 5;
}

/**
 * Writes the item's terms, the tokens of its title and of its text's opening (ascending, distinct),
 * into `into` (long enough for both); returns how many. Every word of the text counts towards a
 * token's frequency, Latin ones too: rarity errs on the safe side.
 */
function termsInto(features: NearFeatures, item: number, into: Int32Array): number {
  const data = features.data;
  const text = features.has(item, TEXT) ? TEXT : SHORT_TEXT;
  let i = features.start(item, TITLE);
  const titleEnd = i + features.size(item, TITLE);
  let j = features.start(item, text);
  const textEnd = j + features.size(item, text);
  let count = 0;
  while (i < titleEnd && j < textEnd) {
    const x = data[i]!;
    const y = data[j]!;
    into[count++] = Math.min(x, y);
    if (x <= y) i++;
    if (y <= x) j++;
  }
  while (i < titleEnd) into[count++] = data[i++]!;
  while (j < textEnd) into[count++] = data[j++]!;
  return count;
}

/** Fills each item's {@link RARE} set: its terms that at most {@link RARE_TERM_ITEMS} items of the batch have. */
function markRareTokens(features: NearFeatures, numbers: TokenNumbers): void {
  const itemCount = new Int32Array(numbers.size);
  let terms = new Int32Array(256);
  const termsOf = (item: number): number => {
    const text = features.has(item, TEXT) ? TEXT : SHORT_TEXT;
    const most = features.size(item, TITLE) + features.size(item, text);
    if (terms.length < most) terms = new Int32Array(most * 2);
    return termsInto(features, item, terms);
  };
  for (let item = 0; item < features.count; item++) {
    const size = termsOf(item);
    for (let k = 0; k < size; k++) itemCount[terms[k]!]!++;
  }
  const term = new Uint8Array(numbers.size);
  for (let token = 0; token < numbers.size; token++) {
    term[token] = itemCount[token]! <= RARE_TERM_ITEMS && isTermToken(numbers.token(token)) ? 1 : 0;
  }
  for (let item = 0; item < features.count; item++) {
    const size = termsOf(item);
    let found = 0;
    for (let k = 0; k < size; k++) if (term[terms[k]!] === 1) terms[found++] = terms[k]!;
    if (found > 0) features.put(item, RARE, terms, 0, found, false);
    const data = features.data;
    const sequence = features.start(item, RARE_SEQUENCE);
    const end = sequence + features.size(item, RARE_SEQUENCE);
    for (let k = sequence; k < end; k++) if (term[data[k]!] !== 1) data[k] = -1;
  }
}

/**
 * Whether two items share a distinctive term: two rare term tokens in a row in both (title, or a
 * Chinese text opening; "吴泳铭" is the bigrams 吴泳 泳铭, "云栖大会" three; "Theo Hourmouzis" two words). Rare words
 * scattered over the titles ("Nemotron" … "参数") are no term: in a small batch every word is rare.
 */
function shareRareTerm(features: NearFeatures, a: number, b: number, tokenCount: number): boolean {
  if (features.shared(a, b, RARE) < 2) return false;
  // Adjacent pairs of rare tokens of one title, then a look-up per pair of the other: linear in the titles.
  const data = features.data;
  const pairs = new Set<number>();
  const left = features.start(a, RARE_SEQUENCE);
  const leftEnd = left + features.size(a, RARE_SEQUENCE);
  for (let i = left; i + 1 < leftEnd; i++) {
    if (data[i] !== -1 && data[i + 1] !== -1) pairs.add(data[i]! * tokenCount + data[i + 1]!);
  }
  const right = features.start(b, RARE_SEQUENCE);
  const rightEnd = right + features.size(b, RARE_SEQUENCE);
  for (let j = right; j + 1 < rightEnd; j++) {
    if (data[j] !== -1 && data[j + 1] !== -1 && pairs.has(data[j]! * tokenCount + data[j + 1]!)) return true;
  }
  return false;
}

/** Number of values two ascending runs of distinct numbers in `data` share. */
function sharedCount(data: Int32Array, aStart: number, aLength: number, bStart: number, bLength: number): number {
  let shared = 0;
  let i = aStart;
  let j = bStart;
  const aEnd = aStart + aLength;
  const bEnd = bStart + bLength;
  while (i < aEnd && j < bEnd) {
    const x = data[i]!;
    const y = data[j]!;
    if (x === y) {
      shared++;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return shared;
}

/**
 * The identities of exclusive kinds, by kind. A Hugging Face model counts as its family (name without
 * org and quantisation suffix), so a model and its GGUF do not conflict, and as its organisation's
 * release (name without variant suffixes), so "DeepSeek-V4-Pro" and "DeepSeek-V4-Flash" do not either.
 */
function exclusiveKeys(keys: readonly string[]): Map<string, Set<string>> {
  const exclusive = new Map<string, Set<string>>();
  for (const key of keys) {
    if (!isExclusiveKey(key)) continue;
    const kind = keyKind(key);
    let values = exclusive.get(kind);
    if (!values) {
      values = new Set();
      exclusive.set(kind, values);
    }
    if (kind !== 'hf') {
      values.add(key);
      continue;
    }
    const family = modelFamily(key.slice(key.lastIndexOf('/') + 1));
    values.add(family?.base ?? key);
    // Variants of a release ("-Pro", "-Flash", "-Base") and quantisations of it are one model, not a conflict.
    const stem = family ? (family.quantised ? family.base : releaseStem(family.base)) : undefined;
    if (stem) values.add(`release:${stem}`);
  }
  return exclusive;
}

/** Both hold keys of an exclusive kind and share none of them: two different things. */
function exclusiveConflict(a: ReadonlyMap<string, Set<string>>, b: ReadonlyMap<string, Set<string>>): boolean {
  for (const [kind, left] of a) {
    const right = b.get(kind);
    if (!right) continue;
    let shared = false;
    for (const key of left) {
      if (right.has(key)) {
        shared = true;
        break;
      }
    }
    if (!shared) return true;
  }
  return false;
}

function nearSimilarity(
  features: NearFeatures,
  a: number,
  b: number,
  tokenCount: number,
  titleThreshold: number,
): number {
  if (exclusiveConflict(features.exclusive[a]!, features.exclusive[b]!)) return 0;
  const titleSimilarity = features.jaccard(a, b, TITLE);
  const withTexts = features.has(a, TEXT) && features.has(b, TEXT);
  if (!features.conflict(a, b, DIGITS)) {
    if (titleSimilarity >= titleThreshold) return titleSimilarity;
    if (titleSimilarity >= NEAR_TITLE_WITH_TEXT && withTexts) {
      const textSimilarity = features.jaccard(a, b, TEXT);
      if (textSimilarity >= NEAR_TEXT_THRESHOLD) return (titleSimilarity + textSimilarity) / 2;
    }
  }
  if (features.size(a, ENTITIES) === 0 || features.size(b, ENTITIES) === 0) return 0;
  if (Math.abs(features.publishedMs[a]! - features.publishedMs[b]!) > SAME_DAY_MS) return 0; // NaN (no date) passes
  if (features.shared(a, b, ENTITIES) === 0) return 0;
  if (features.conflict(a, b, MODELS)) return 0;
  if (features.shared(a, b, QUANTITIES) > 0) {
    // One more shared word or version than the entities, so "128K context" alone links nothing.
    if (features.shared(a, b, WORDS) > 0 || features.shared(a, b, MODELS) > 0) return ENTITY_MATCH_SIMILARITY;
  }
  if (titleSimilarity >= ENTITY_TITLE_WITH_TEXT && withTexts) {
    if (features.jaccard(a, b, TEXT) >= NEAR_TEXT_THRESHOLD) return ENTITY_MATCH_SIMILARITY;
  }
  if (shareRareTerm(features, a, b, tokenCount)) return ENTITY_MATCH_SIMILARITY;
  return 0;
}

/**
 * Candidate pairs for the entity evidence, as `a * count + b` (a < b): items that name one entity
 * (buckets of at most {@link ENTITY_BUCKET_LIMIT} items), one entity and one quantity (same limit),
 * or share a rare token (at most two items each by definition). Linear in the items: a common entity
 * ("OpenAI" in hundreds of titles) proposes nothing by itself.
 */
function entityCandidatePairs(features: NearFeatures): number[] {
  const count = features.count;
  const data = features.data;
  const buckets = new Map<string, number[]>();
  const add = (key: string, index: number) => {
    const list = buckets.get(key);
    if (list) list.push(index);
    else buckets.set(key, [index]);
  };
  for (let index = 0; index < count; index++) {
    const entities = features.start(index, ENTITIES);
    const entitiesEnd = entities + features.size(index, ENTITIES);
    if (entities === entitiesEnd) continue;
    const quantities = features.start(index, QUANTITIES);
    const quantitiesEnd = quantities + features.size(index, QUANTITIES);
    for (let e = entities; e < entitiesEnd; e++) {
      add(`e${data[e]}`, index);
      for (let q = quantities; q < quantitiesEnd; q++) add(`e${data[e]}q${data[q]}`, index);
    }
    const rare = features.start(index, RARE);
    const rareEnd = rare + features.size(index, RARE);
    for (let r = rare; r < rareEnd; r++) add(`r${data[r]}`, index);
  }
  const pairs: number[] = [];
  for (const members of buckets.values()) {
    if (members.length < 2 || members.length > ENTITY_BUCKET_LIMIT) continue;
    for (let i = 0; i < members.length; i++) {
      for (let j = i + 1; j < members.length; j++) pairs.push(members[i]! * count + members[j]!);
    }
  }
  return pairs;
}

/** Union-find over item indexes, with the exclusive keys of each root kept for the guards. */
class DisjointSets {
  private readonly parent: Int32Array;
  private readonly size: Int32Array;
  /**
   * Exclusive keys of each root; undefined for none, created on the first union that brings some. A
   * root starts with its item's own map (shared with the near-duplicate features, so never changed):
   * a union copies it first ({@link owned}).
   */
  private readonly exclusive: Array<ReadonlyMap<string, Set<string>> | undefined>;
  /** 1 where {@link exclusive} holds this class's own copy, which a union may add to. */
  private readonly owned: Uint8Array;

  constructor(exclusive: ReadonlyArray<ReadonlyMap<string, Set<string>> | undefined>) {
    const count = exclusive.length;
    this.parent = new Int32Array(count);
    this.size = new Int32Array(count).fill(1);
    this.exclusive = [...exclusive];
    this.owned = new Uint8Array(count);
    for (let i = 0; i < count; i++) this.parent[i] = i;
  }

  find(index: number): number {
    let root = index;
    while (this.parent[root] !== root) root = this.parent[root]!;
    let current = index;
    while (this.parent[current] !== root) {
      const next = this.parent[current]!;
      this.parent[current] = root;
      current = next;
    }
    return root;
  }

  /** Whether joining the sets of a and b would put two values of an exclusive key kind in one story. */
  conflicts(a: number, b: number): boolean {
    const left = this.exclusive[this.find(a)];
    const right = this.exclusive[this.find(b)];
    return left !== undefined && right !== undefined && exclusiveConflict(left, right);
  }

  union(a: number, b: number): number {
    let rootA = this.find(a);
    let rootB = this.find(b);
    if (rootA === rootB) return rootA;
    if (this.size[rootA]! < this.size[rootB]! || (this.size[rootA] === this.size[rootB] && rootB < rootA)) {
      [rootA, rootB] = [rootB, rootA];
    }
    this.parent[rootB] = rootA;
    this.size[rootA]! += this.size[rootB]!;
    const source = this.exclusive[rootB];
    if (source === undefined) return rootA;
    const current = this.exclusive[rootA];
    let target: Map<string, Set<string>>;
    if (current !== undefined && this.owned[rootA] === 1) target = current as Map<string, Set<string>>;
    else {
      target = new Map();
      if (current !== undefined) for (const [kind, keys] of current) target.set(kind, new Set(keys));
      this.exclusive[rootA] = target;
      this.owned[rootA] = 1;
    }
    for (const [kind, keys] of source) {
      const values = target.get(kind);
      if (values) for (const key of keys) values.add(key);
      else target.set(kind, new Set(keys));
    }
    return rootA;
  }
}

/** An item that names only someone's quantised copy of a model (a `hfref:`, no `hfrelease:` of its own). */
function isReupload(keys: readonly string[]): boolean {
  let reference = false;
  for (const key of keys) {
    if (key.startsWith('hfrelease:')) return false;
    if (key.startsWith('hfref:')) reference = true;
  }
  return reference;
}

function shortHash(text: string): string {
  return hash('sha256', text, 'hex').slice(0, 16);
}

/**
 * Representative order of item indexes: the release before a re-upload of it (`reupload`: the item
 * names a quantised copy of someone's model and no model of its own), then higher authority, then
 * earlier (`publishedMs`, parsed once; unparseable times do not order), then smaller id.
 */
function representativeOrder(items: readonly PipelineItem[], publishedMs: Float64Array, reupload: Uint8Array) {
  return (x: number, y: number): number => {
    if (reupload[x] !== reupload[y]) return reupload[x]! - reupload[y]!;
    const a = items[x]!;
    const b = items[y]!;
    if (a.sourceAuthority !== b.sourceAuthority) return b.sourceAuthority - a.sourceAuthority;
    const timeA = publishedMs[x]!;
    const timeB = publishedMs[y]!;
    if (timeA !== timeB && !Number.isNaN(timeA) && !Number.isNaN(timeB)) return timeA - timeB;
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  };
}

/**
 * Groups items into clusters (stories). See the module comment for the rules.
 * Items with the same id are counted once. Clusters come sorted by id.
 */
export function clusterItems(items: readonly PipelineItem[], options: ClusterOptions = {}): Cluster[] {
  // The items in id order; of items with one id, the first (the order is stable).
  const ids = items.map((item) => item.id);
  const sorted: PipelineItem[] = [];
  let previous: string | undefined;
  for (const position of orderOfIds(ids)) {
    if (sorted.length > 0 && ids[position] === previous) continue;
    previous = ids[position]!;
    sorted.push(items[position]!);
  }
  const count = sorted.length;
  const keysOf = sorted.map(computeItemKeys);
  const exclusiveOf = keysOf.map((keys) => (keys.some(isExclusiveKey) ? exclusiveKeys(keys) : undefined));
  const sets = new DisjointSets(exclusiveOf);
  const publishedMs = new Float64Array(count);
  for (let index = 0; index < count; index++) publishedMs[index] = timeMs(sorted[index]!.publishedAt);

  // 1. Exact identities, strongest kind first; a `hfref:` joins the item that defines that `hfbase:`.
  // Each key's first item, and all the items of the keys two items or more share (most keys are one item's).
  const firstMember = new Map<string, number>();
  const sharedMembers = new Map<string, number[]>();
  for (let index = 0; index < count; index++) {
    for (const key of keysOf[index]!) {
      const first = firstMember.get(key);
      if (first === undefined) firstMember.set(key, index);
      else {
        const list = sharedMembers.get(key);
        if (list) list.push(index);
        else sharedMembers.set(key, [first, index]);
      }
    }
  }
  // A quantised upload of a name nobody released as such ("x/deepseek-v4-gguf") refers to the release.
  const releaseByStem = new Map<string, number>();
  // Only keys that can join anything are applied: a key of one item joins it to itself, unless it is an
  // `hfref:` (which joins the item that defines the name). Leaving the others out keeps the order of the rest.
  const joining: string[] = [];
  for (const [key, first] of firstMember) {
    const reference = key.startsWith('hfref:');
    if (reference || sharedMembers.has(key)) joining.push(key);
    if (reference || !key.startsWith('hfrelease:')) continue;
    const stem = key.slice(key.lastIndexOf('/') + 1);
    const current = releaseByStem.get(stem);
    if (current === undefined || first < current) releaseByStem.set(stem, first);
  }
  for (const key of sortKeys(joining)) {
    const anchor = key.startsWith('hfref:')
      ? (firstMember.get(`hfbase:${key.slice(6)}`) ?? releaseByStem.get(key.slice(6)))
      : firstMember.get(key);
    if (anchor === undefined) continue;
    for (const member of sharedMembers.get(key) ?? [firstMember.get(key)!]) {
      if (sets.find(anchor) !== sets.find(member) && !sets.conflicts(anchor, member)) sets.union(anchor, member);
    }
  }

  // 2. Near duplicates.
  const nearJoined = new Uint8Array(count);
  if (options.nearDuplicates !== false && count > 1) {
    const threshold = options.titleThreshold ?? NEAR_TITLE_THRESHOLD;
    const hasher = createMinHasher({ permutations: 128 });
    const numbers = new TokenNumbers();
    const features = new NearFeatures(count, publishedMs, exclusiveOf);
    const scratch = new Scratch();
    let hashes = new Uint32Array(64);
    // Each title's signature, kept as its LSH band keys only.
    const signature = new Uint32Array(hasher.permutations);
    const bandKeys = createBandKeys(count, 32, 4);
    const titleSets = new SameSets(features, TITLE);
    for (let index = 0; index < count; index++) {
      const item = sorted[index]!;
      const title = comparableTitle(item.title);
      const canonical = canonicalEntities(title);
      addNearFeatures(features, index, item, title, canonical.text, canonical.entities, numbers, scratch);
      // The signature of the title's token set (a token named twice counts once either way): an
      // earlier title of the same set has it already (a re-post, a "Show HN:" or "[pdf]" copy).
      const same = titleSets.add(index);
      if (same !== -1) {
        copyBandKeys(bandKeys, same, index);
        continue;
      }
      const titleTokens = features.size(index, TITLE);
      if (hashes.length < titleTokens) hashes = new Uint32Array(titleTokens * 2);
      numbers.hashesInto(features.data, features.start(index, TITLE), titleTokens, hashes);
      hasher.signatureOfHashesInto(hashes, titleTokens, signature);
      setBandKeys(bandKeys, index, signature, 0);
    }
    markRareTokens(features, numbers);
    // Candidate pairs as keys `a * count + b`, distinct: LSH's and the entity buckets' in one typed array.
    const lshKeys = lshCandidateKeys(bandKeys, { bands: 32, rows: 4 });
    const entityKeys = entityCandidatePairs(features);
    const allKeys = new Float64Array(lshKeys.length + entityKeys.length);
    allKeys.set(lshKeys);
    for (let k = 0; k < entityKeys.length; k++) allKeys[lshKeys.length + k] = entityKeys[k]!;
    const candidates = distinctSorted(allKeys);
    const accepted: Array<{ a: number; b: number; similarity: number }> = [];
    for (let k = 0; k < candidates.length; k++) {
      const pair = candidates[k]!;
      const a = Math.floor(pair / count);
      const b = pair % count;
      if (sets.find(a) === sets.find(b)) continue;
      const similarity = nearSimilarity(features, a, b, numbers.size, threshold);
      if (similarity > 0) accepted.push({ a, b, similarity });
    }
    accepted.sort((x, y) => y.similarity - x.similarity || x.a - y.a || x.b - y.b);
    for (const { a, b } of accepted) {
      if (sets.find(a) === sets.find(b) || sets.conflicts(a, b)) continue;
      sets.union(a, b);
      nearJoined[a] = 1;
      nearJoined[b] = 1;
    }
  }

  // 3. Collect: each set's members in index order, the sets in the order of their first member.
  const rootOf = new Int32Array(count);
  const setSize = new Int32Array(count);
  for (let index = 0; index < count; index++) {
    rootOf[index] = sets.find(index);
    setSize[rootOf[index]!]!++;
  }
  const setStart = new Int32Array(count).fill(-1);
  const roots: number[] = [];
  let offset = 0;
  for (let index = 0; index < count; index++) {
    const root = rootOf[index]!;
    if (setStart[root] !== -1) continue;
    setStart[root] = offset;
    offset += setSize[root]!;
    roots.push(root);
  }
  const memberIndexes = new Int32Array(count);
  const filled = setStart.slice();
  for (let index = 0; index < count; index++) memberIndexes[filled[rootOf[index]!]!++] = index;
  const reupload = new Uint8Array(count);
  const compareMembers = representativeOrder(sorted, publishedMs, reupload);
  const clusters: Cluster[] = [];
  for (const root of roots) {
    const start = setStart[root]!;
    if (setSize[root] === 1) {
      // One item (no near duplicate joined it): its keys, distinct already.
      const index = memberIndexes[start]!;
      const keys = sortKeys(keysOf[index]!);
      clusters.push({ id: shortHash(keys[0] ?? `item:${sorted[index]!.id}`), itemIds: [sorted[index]!.id], keys });
      continue;
    }
    const indexes = Array.from(memberIndexes.subarray(start, start + setSize[root]!));
    for (const index of indexes) reupload[index] = isReupload(keysOf[index]!) ? 1 : 0;
    indexes.sort(compareMembers);
    const keys = sortKeys(new Set(indexes.flatMap((index) => keysOf[index]!)));
    const representative = sorted[indexes[0]!]!;
    const strongest = keys[0];
    if (indexes.some((index) => nearJoined[index] === 1)) keys.push('near');
    clusters.push({
      id: shortHash(strongest ?? `item:${representative.id}`),
      itemIds: indexes.map((index) => sorted[index]!.id),
      keys,
    });
  }
  return sortById(clusters);
}

/** Room for a position below an id's first eight digits in {@link orderOfIds}' numbers. */
const POSITION_SPAN = 2 ** 20;

/** The first eight characters of an id as a hex number, or -1 when they are not eight of 0-9a-f. */
function hexPrefix(id: string): number {
  if (id.length < 8) return -1;
  let value = 0;
  for (let i = 0; i < 8; i++) {
    const code = id.charCodeAt(i);
    const digit = code >= 48 && code <= 57 ? code - 48 : code >= 97 && code <= 102 ? code - 87 : -1;
    if (digit === -1) return -1;
    value = value * 16 + digit;
  }
  return value;
}

/**
 * The positions of `ids` in the order a stable sort by id gives them, without a comparator call per
 * comparison when every id opens with eight hex digits (cluster ids, item ids): ordering by those eight
 * as a number (then by position) is ordering by id, except between ids that share them, whose (rare)
 * runs a stable sort by the whole id finishes. Other ids take that stable sort alone.
 */
function orderOfIds(ids: readonly string[]): number[] {
  const count = ids.length;
  const byId = (a: number, b: number): number => (ids[a]! < ids[b]! ? -1 : ids[a]! > ids[b]! ? 1 : a - b);
  const order = hexOrder(ids);
  if (order === undefined) return Array.from({ length: count }, (_, k) => k).sort(byId);
  order.sort();
  const positions: number[] = new Array(count);
  for (let k = 0; k < count; k++) positions[k] = order[k]! % POSITION_SPAN;
  let start = 0;
  for (let k = 1; k <= count; k++) {
    if (k < count && Math.floor(order[k]! / POSITION_SPAN) === Math.floor(order[start]! / POSITION_SPAN)) continue;
    if (k - start > 1) {
      const run = positions.slice(start, k).sort(byId);
      for (let j = 0; j < run.length; j++) positions[start + j] = run[j]!;
    }
    start = k;
  }
  return positions;
}

/** Each id's {@link hexPrefix} × {@link POSITION_SPAN} + its position; undefined when some id has none. */
function hexOrder(ids: readonly string[]): Float64Array | undefined {
  if (ids.length >= POSITION_SPAN) return undefined;
  const order = new Float64Array(ids.length);
  for (let k = 0; k < ids.length; k++) {
    const prefix = hexPrefix(ids[k]!);
    if (prefix === -1) return undefined;
    order[k] = prefix * POSITION_SPAN + k; // < 2^52: exact in a double
  }
  return order;
}

/** The clusters sorted by id, those of one id in their order (as a stable sort by id gives them). */
export function sortById(clusters: Cluster[]): Cluster[] {
  return orderOfIds(clusters.map((cluster) => cluster.id)).map((position) => clusters[position]!);
}
