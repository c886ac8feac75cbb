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
 *      "b/M-Uncensored-FP8" are two people's models). A fine-tune or another size ("-Instruct",
 *      "-Uncensored", "-7B") is a different story.
 *    - `url:<canonical url>` — the canonical URL (host lower-cased, "www." and the fragment dropped),
 *      unless it is a site's home page. Hacker News and Reddit items carry the URL they link to, so
 *      a discussion joins the story it discusses.
 * 2. **Near duplicates.** Title tokens (see tokenize.ts; "Show HN:", "[R]", "[pdf]" stripped) get a
 *    MinHash signature; LSH banding proposes candidate pairs in near-linear time; a pair is accepted
 *    when its exact title Jaccard is ≥ {@link NEAR_TITLE_THRESHOLD}, or ≥ {@link NEAR_TITLE_WITH_TEXT}
 *    with the opening of the texts ≥ {@link NEAR_TEXT_THRESHOLD} alike. Guards, checked for the pair and
 *    for the two whole clusters being joined, never merge:
 *    - two different arXiv ids, GitHub repositories or (base) Hugging Face models: different papers
 *      that share boilerplate words, different repositories on the same topic;
 *    - titles whose version/size tokens disagree both ways ("GPT-5" vs "GPT-5.1", "#12" vs "#13").
 *    Accepted pairs are joined in order of similarity, so the result does not depend on input order.
 *    The same guard applies to exact keys: two papers that name one GitHub monorepo stay two stories
 *    (exact keys are applied strongest kind first, items in id order).
 *
 * Output is deterministic for the same set of items in any order: items are sorted by id first, and
 * a cluster's id is the first 16 hex digits of sha256 of its strongest key
 * (arxiv > github > hf > hfbase > hfref > url) or, with no key, of its representative item's id.
 * The representative (first item id) is the item of the highest-authority source, then the earliest,
 * then the smallest id.
 */
import { createHash } from 'node:crypto';
import type { PipelineItem } from '../core/types.js';
import { createMinHasher, jaccard, lshCandidatePairs } from './minhash.js';
import { hasDigit, tokenize } from './tokenize.js';

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

/** How many tokens of the text's opening are compared. */
const TEXT_LEAD_TOKENS = 40;
/** A text needs this many tokens before its opening counts as evidence. */
const MIN_TEXT_TOKENS = 8;

type KeyKind = 'arxiv' | 'github' | 'hf' | 'hfbase' | 'hfref' | 'url';
const KEY_STRENGTH: Record<KeyKind, number> = { arxiv: 0, github: 1, hf: 2, hfbase: 3, hfref: 4, url: 5 };
/**
 * Key kinds that tell two things apart: two clusters that each hold keys of such a kind, none shared,
 * are different papers / repositories / models and never join.
 */
const EXCLUSIVE_KINDS: ReadonlySet<string> = new Set(['arxiv', 'github', 'hf']);

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

/** arXiv id without version, lower-cased, or undefined. */
export function normaliseArxivId(value: string): string | undefined {
  const match = ARXIV_ID.exec(value.trim());
  if (!match) return undefined;
  return (match[1] ?? match[2] ?? '').toLowerCase();
}

/** Canonical URL as a key: host lower-case without "www.", no scheme, no fragment, no trailing "/". */
export function urlKey(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined;
  const host = parsed.hostname.toLowerCase().replace(/^www\./, '');
  const path = parsed.pathname.replace(/\/+$/, '');
  if (path === '' && parsed.search === '') return undefined; // a home page identifies nothing
  return `${host}${path}${parsed.search}`;
}

/**
 * The `hfbase:`/`hfref:` keys of a Hugging Face model id (see the module comment); none when the name
 * is too generic to identify a release (under 5 characters or without a digit).
 */
export function modelFamilyKeys(hfModelId: string): string[] {
  const [org = '', name = ''] = hfModelId.toLowerCase().split('/');
  const family = modelFamily(name);
  if (!family) return [];
  return family.quantised ? [`hfbase:${org}/${family.base}`, `hfref:${family.base}`] : [`hfbase:${family.base}`];
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
  const keys = new Set<string>();
  const urls = [item.canonicalUrl, item.url].filter((u): u is string => typeof u === 'string' && u !== '');
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

/** Title boilerplate of aggregators that says nothing about the story. */
const TITLE_NOISE = [
  /^\s*(?:show|ask|tell|launch)\s+hn\s*[:：-]\s*/i,
  /^\s*\[[a-z]{1,3}\]\s*/i,
  /\s*\[(?:pdf|video)\]\s*$/i,
];

/** The title as compared for near duplicates. */
export function comparableTitle(title: string): string {
  let result = title;
  for (const pattern of TITLE_NOISE) result = result.replace(pattern, '');
  return result;
}

/** What the near-duplicate pass knows about one item. */
interface NearFeatures {
  titleTokens: string[];
  titleSet: Set<string>;
  textSet: Set<string> | undefined;
  digitTokens: Set<string>;
  exclusive: Map<string, Set<string>>;
}

function nearFeatures(item: PipelineItem, keys: readonly string[]): NearFeatures {
  const titleTokens = tokenize(comparableTitle(item.title));
  const titleSet = new Set(titleTokens);
  const textTokens = tokenize(item.text.slice(0, 600)).slice(0, TEXT_LEAD_TOKENS);
  const digitTokens = new Set(titleTokens.filter(hasDigit));
  const exclusive = exclusiveKeys(keys);
  return {
    titleTokens,
    titleSet,
    textSet: textTokens.length >= MIN_TEXT_TOKENS ? new Set(textTokens) : undefined,
    digitTokens,
    exclusive,
  };
}

/**
 * The identities of exclusive kinds, by kind. A Hugging Face model counts as its family (name without
 * org and quantisation suffix), so a model and its GGUF do not conflict.
 */
function exclusiveKeys(keys: readonly string[]): Map<string, Set<string>> {
  const exclusive = new Map<string, Set<string>>();
  for (const key of keys) {
    const kind = keyKind(key);
    if (!EXCLUSIVE_KINDS.has(kind)) continue;
    const identity = kind === 'hf' ? (modelFamily(key.slice(key.lastIndexOf('/') + 1))?.base ?? key) : key;
    const values = exclusive.get(kind);
    if (values) values.add(identity);
    else exclusive.set(kind, new Set([identity]));
  }
  return exclusive;
}

/** Both hold keys of an exclusive kind and share none of them: two different things. */
function exclusiveConflict(a: Map<string, Set<string>>, b: Map<string, Set<string>>): boolean {
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

/** Each side holds a version/size token the other lacks ("gpt-5" vs "gpt-5.1"). */
function digitsConflict(a: Set<string>, b: Set<string>): boolean {
  let aOnly = false;
  for (const token of a) {
    if (!b.has(token)) {
      aOnly = true;
      break;
    }
  }
  if (!aOnly) return false;
  for (const token of b) if (!a.has(token)) return true;
  return false;
}

/** Similarity of two items for the near-duplicate pass, or 0 when a guard forbids the match. */
function nearSimilarity(a: NearFeatures, b: NearFeatures, titleThreshold = NEAR_TITLE_THRESHOLD): number {
  if (exclusiveConflict(a.exclusive, b.exclusive)) return 0;
  if (digitsConflict(a.digitTokens, b.digitTokens)) return 0;
  const titleSimilarity = jaccard(a.titleSet, b.titleSet);
  if (titleSimilarity >= titleThreshold) return titleSimilarity;
  if (titleSimilarity >= NEAR_TITLE_WITH_TEXT && a.textSet && b.textSet) {
    const textSimilarity = jaccard(a.textSet, b.textSet);
    if (textSimilarity >= NEAR_TEXT_THRESHOLD) return (titleSimilarity + textSimilarity) / 2;
  }
  return 0;
}

/** Union-find over item indexes, with the exclusive keys of each root kept for the guards. */
class DisjointSets {
  private readonly parent: Int32Array;
  private readonly size: Int32Array;
  private readonly exclusive: Array<Map<string, Set<string>>>;

  constructor(exclusive: Array<Map<string, Set<string>>>) {
    const count = exclusive.length;
    this.parent = new Int32Array(count);
    this.size = new Int32Array(count).fill(1);
    this.exclusive = exclusive;
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
    return exclusiveConflict(this.exclusive[this.find(a)]!, this.exclusive[this.find(b)]!);
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
    const target = this.exclusive[rootA]!;
    for (const [kind, keys] of this.exclusive[rootB]!) {
      const values = target.get(kind);
      if (values) for (const key of keys) values.add(key);
      else target.set(kind, new Set(keys));
    }
    return rootA;
  }
}

function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/** Representative order: higher authority, then earlier, then smaller id. */
function compareRepresentative(a: PipelineItem, b: PipelineItem): number {
  if (a.sourceAuthority !== b.sourceAuthority) return b.sourceAuthority - a.sourceAuthority;
  const timeA = Date.parse(a.publishedAt);
  const timeB = Date.parse(b.publishedAt);
  if (timeA !== timeB && !Number.isNaN(timeA) && !Number.isNaN(timeB)) return timeA - timeB;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * Groups items into clusters (stories). See the module comment for the rules.
 * Items with the same id are counted once. Clusters come sorted by id.
 */
export function clusterItems(items: readonly PipelineItem[], options: ClusterOptions = {}): Cluster[] {
  const byId = new Map<string, PipelineItem>();
  for (const item of items) if (!byId.has(item.id)) byId.set(item.id, item);
  const sorted = [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const count = sorted.length;
  const keysOf = sorted.map(itemKeys);
  const sets = new DisjointSets(keysOf.map(exclusiveKeys));

  // 1. Exact identities, strongest kind first; a `hfref:` joins the item that defines that `hfbase:`.
  const membersByKey = new Map<string, number[]>();
  for (let index = 0; index < count; index++) {
    for (const key of keysOf[index]!) {
      const list = membersByKey.get(key);
      if (list) list.push(index);
      else membersByKey.set(key, [index]);
    }
  }
  for (const key of [...membersByKey.keys()].sort(compareKeys)) {
    const members = membersByKey.get(key)!;
    const anchor = keyKind(key) === 'hfref' ? membersByKey.get(`hfbase:${key.slice(6)}`)?.[0] : members[0];
    if (anchor === undefined) continue;
    for (const member of members) {
      if (sets.find(anchor) !== sets.find(member) && !sets.conflicts(anchor, member)) sets.union(anchor, member);
    }
  }

  // 2. Near duplicates.
  const nearJoined = new Set<number>();
  if (options.nearDuplicates !== false && count > 1) {
    const threshold = options.titleThreshold ?? NEAR_TITLE_THRESHOLD;
    const features = sorted.map((item, index) => nearFeatures(item, keysOf[index]!));
    const hasher = createMinHasher({ permutations: 128 });
    const signatures = features.map((feature) => hasher.signature(feature.titleTokens));
    const accepted: Array<{ a: number; b: number; similarity: number }> = [];
    for (const [a, b] of lshCandidatePairs(signatures, { bands: 32, rows: 4 })) {
      if (sets.find(a) === sets.find(b)) continue;
      const similarity = nearSimilarity(features[a]!, features[b]!, threshold);
      if (similarity > 0) accepted.push({ a, b, similarity });
    }
    accepted.sort((x, y) => y.similarity - x.similarity || x.a - y.a || x.b - y.b);
    for (const { a, b } of accepted) {
      if (sets.find(a) === sets.find(b) || sets.conflicts(a, b)) continue;
      sets.union(a, b);
      nearJoined.add(a);
      nearJoined.add(b);
    }
  }

  // 3. Collect.
  const members = new Map<number, number[]>();
  for (let index = 0; index < count; index++) {
    const root = sets.find(index);
    const list = members.get(root);
    if (list) list.push(index);
    else members.set(root, [index]);
  }
  const clusters: Cluster[] = [];
  for (const indexes of members.values()) {
    const clusterItemsSorted = indexes.map((index) => sorted[index]!).sort(compareRepresentative);
    const keySet = new Set<string>();
    for (const index of indexes) for (const key of keysOf[index]!) keySet.add(key);
    const keys = [...keySet].sort(compareKeys);
    const representative = clusterItemsSorted[0]!;
    const strongest = keys[0];
    if (indexes.some((index) => nearJoined.has(index))) keys.push('near');
    clusters.push({
      id: shortHash(strongest ?? `item:${representative.id}`),
      itemIds: clusterItemsSorted.map((item) => item.id),
      keys,
    });
  }
  return clusters.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
