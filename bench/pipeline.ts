/**
 * Pipeline benchmark: normalize, then cluster + rank + classify + select, over 1k, 10k and 100k
 * synthetic items built from the real captures.
 *
 * The synthetic day (see {@link syntheticDay}) has a fixed near-duplicate rate: {@link DUPLICATE_RATE}
 * of the items re-report an earlier distinct item (the same paper on Hugging Face daily papers or on
 * Hacker News; the same headline discussed on Hacker News; the headline re-titled by another outlet
 * under another URL). Every other item is distinct: its title joins a window of one real title, a
 * window of another, and three distinguishing words drawn from the real vocabulary (titles and
 * abstracts), so two distinct items share at most a fragment and are never near-duplicates. A run
 * therefore should find about `distinct` stories; the table shows both numbers, so a clustering
 * that merges too much or too little is visible next to its time.
 *
 * Run alone: `node --import tsx --expose-gc bench/pipeline.ts` (or through bench/index.ts);
 * `BENCH_SIZES=10000,100000` measures other sizes.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PRESETS } from '../src/config/presets.js';
import type { PipelineItem, RawItem, SourceConfig, SourceKind, Story } from '../src/core/types.js';
import { type Cluster, clusterItems } from '../src/pipeline/cluster.js';
import { keptStories, storyMemory } from '../src/pipeline/memory.js';
import { normalizeItem, pipelineItem } from '../src/pipeline/normalize.js';
import { engagementBaselines, type RankedStories, rankedStories, snapshotSources } from '../src/pipeline/rank.js';
import { chooseTopStories, selectStories } from '../src/pipeline/select.js';
import { STOPWORDS } from '../src/pipeline/tokenize.js';
import { realDir, realText } from '../test/support/fixtures.js';
import { formatCount, formatTable, peakRssMiB } from './table.js';

/** Share of items that re-report an earlier item (and so should join its story). */
export const DUPLICATE_RATE = 0.15;
/** Item counts measured (BENCH_SIZES, comma-separated, overrides them). */
export const PIPELINE_SIZES: readonly number[] = (process.env.BENCH_SIZES ?? '1000,10000,100000')
  .split(',')
  .map(Number);

interface Paper {
  title: string;
  text: string;
}

export interface Samples {
  papers: Paper[];
  headlines: string[];
  /** Distinct real words (titles and abstracts), letters only, four or more, no stopwords. */
  vocabulary: string[];
}

/** Titles, abstracts and words from the captures (each distinct title once). */
export function loadSamples(): Samples {
  const paperTitles = new Map<string, string>();
  for (const day of ['24', '25', '26']) {
    for (const line of realText(`digest/daily-arxiv-ai-enhanced_2026-06-${day}.jsonl`).split('\n')) {
      if (!line.trim()) continue;
      const record = JSON.parse(line) as { title?: string; summary?: string };
      if (record.title && !paperTitles.has(record.title)) paperTitles.set(record.title, record.summary ?? '');
    }
  }
  const cumulative = JSON.parse(realText('digest/cv-arxiv-daily_cumulative_2026-05-16.json')) as Record<
    string,
    Record<string, string>
  >;
  for (const rows of Object.values(cumulative)) {
    for (const row of Object.values(rows)) {
      // |**date**|**title**|authors|[id](link)|code|
      const title = /^\|\*\*[^*]*\*\*\|\*\*([^*]{8,300})\*\*\|/.exec(row.trim())?.[1]?.trim();
      if (title && !paperTitles.has(title)) paperTitles.set(title, '');
    }
  }
  const headlines = new Set<string>();
  for (const file of readdirSync(path.join(realDir, 'rss')).sort()) {
    if (!file.endsWith('.xml') || /gb2312|iso-8859/.test(file)) continue;
    for (const match of realText(`rss/${file}`).matchAll(/<title>(?:<!\[CDATA\[)?([^<\]]{8,200})/g)) {
      const headline = match[1]!.trim();
      if (headline.split(/\s+/).length >= 4) headlines.add(headline);
    }
  }
  const papers = [...paperTitles].map(([title, text]) => ({ title, text }));
  const words = new Set<string>();
  for (const text of [...paperTitles.keys(), ...paperTitles.values(), ...headlines]) {
    for (const word of text.toLowerCase().match(/[a-z]{4,}/g) ?? []) if (!STOPWORDS.has(word)) words.add(word);
  }
  return { papers, headlines: [...headlines], vocabulary: [...words].sort() };
}

/** A small deterministic PRNG (mulberry32). */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface BenchSource {
  id: string;
  kind: SourceKind;
  authority: number;
}

const ARXIV: BenchSource = { id: 'arxiv-cs-ai', kind: 'arxiv', authority: 0.6 };
const HF_PAPERS: BenchSource = { id: 'huggingface-daily-papers', kind: 'huggingface', authority: 0.75 };
const HACKER_NEWS: BenchSource = { id: 'hackernews-ai', kind: 'hackernews', authority: 0.5 };
const OUTLETS: BenchSource[] = [
  { id: 'openai-news', kind: 'feed', authority: 1 },
  { id: 'qbitai', kind: 'feed', authority: 0.7 },
  { id: 'theverge-ai', kind: 'feed', authority: 0.7 },
  { id: 'techcrunch-ai', kind: 'feed', authority: 0.7 },
];
const SOURCES = [ARXIV, HF_PAPERS, HACKER_NEWS, ...OUTLETS];

function sourceConfig(source: BenchSource): SourceConfig {
  return {
    id: source.id,
    name: source.id,
    kind: source.kind,
    url: 'https://example.com/feed',
    authority: source.authority,
    section: 'applications',
    enabled: true,
    filterTopics: false,
    params: {},
  };
}

/** One synthetic raw item and the source that returned it. */
interface SyntheticRaw {
  raw: RawItem;
  source: BenchSource;
}

/** A synthetic day: raw items and how many distinct stories they hold by construction. */
export interface SyntheticDay {
  raws: SyntheticRaw[];
  /** Items that are not re-reports: the number of stories a correct clustering finds. */
  distinct: number;
}

const CJK_RUN = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]{5,}/g;

/**
 * The words of a title; a run of CJK characters (written without spaces) is cut into pieces of four
 * characters, so that a window of a Chinese headline is a few words' worth, not the whole headline.
 */
function words(title: string): string[] {
  return title
    .replace(CJK_RUN, (run) => run.replace(/(.{4})(?=.)/gu, '$1 '))
    .split(/\s+/)
    .filter((word) => word !== '');
}

/** A run of 3–5 consecutive words of `text` at a random place. */
function wordWindow(words: readonly string[], next: () => number): string[] {
  const length = Math.min(words.length, 3 + Math.floor(next() * 3));
  const start = Math.floor(next() * (words.length - length + 1));
  return words.slice(start, start + length);
}

/** arXiv-style id number `n` (0 ≤ n < 900,000): 2601.10000, 2601.10001, … */
function arxivIdOf(n: number): string {
  const month = 1 + Math.floor(n / 90_000);
  return `26${String(month).padStart(2, '0')}.${10_000 + (n % 90_000)}`;
}

/**
 * `count` raw items: about {@link DUPLICATE_RATE} re-reports, the rest distinct (see the module
 * comment). Deterministic for a count.
 */
export function syntheticDay(count: number, samples: Samples): SyntheticDay {
  const next = random(count);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  const paperWords = samples.papers.map((paper) => words(paper.title));
  const headlineWords = samples.headlines.map(words);
  const abstracts = samples.papers.filter((paper) => paper.text.length > 200).map((paper) => paper.text);
  const distinguishing = () => [pick(samples.vocabulary), pick(samples.vocabulary), pick(samples.vocabulary)];
  const originals: SyntheticRaw[] = [];
  const raws: SyntheticRaw[] = [];
  const baseMs = Date.parse('2026-08-21T10:00:00Z');
  let papers = 0;
  for (let i = 0; i < count; i++) {
    const published = new Date(baseMs - Math.floor(next() * 36 * 3_600_000)).toISOString();
    if (next() < DUPLICATE_RATE && originals.length > 0) {
      raws.push(reReport(pick(originals), i, published, next));
      continue;
    }
    let item: SyntheticRaw;
    if (next() < 0.5) {
      const title = [...wordWindow(pick(paperWords), next), ...wordWindow(pick(paperWords), next), ...distinguishing()];
      const arxivId = arxivIdOf(papers++);
      item = {
        raw: {
          guid: `oai:arXiv.org:${arxivId}`,
          url: `https://arxiv.org/abs/${arxivId}`,
          title: title.join(' '),
          contentText: pick(abstracts),
          published,
          externalIds: { arxiv: arxivId },
        },
        source: ARXIV,
      };
    } else {
      const title = [
        ...wordWindow(pick(headlineWords), next),
        ...wordWindow(pick(headlineWords), next),
        ...distinguishing(),
      ];
      const source = pick(OUTLETS);
      item = {
        raw: {
          guid: `${source.id}-${i}`,
          url: `https://${source.id}.example.com/2026/08/${i}`,
          title: title.join(' '),
          contentText: pick(abstracts).slice(0, 600),
          published,
        },
        source,
      };
    }
    originals.push(item);
    raws.push(item);
  }
  return { raws, distinct: originals.length };
}

/** Another source reporting `original` (item number `i`). */
function reReport(original: SyntheticRaw, i: number, published: string, next: () => number): SyntheticRaw {
  const { raw } = original;
  const arxivId = raw.externalIds?.arxiv;
  const roll = next();
  if (arxivId) {
    // The same paper on Hugging Face daily papers, or a Hacker News link to it.
    if (roll < 0.6) {
      return {
        raw: { ...raw, guid: `hf-${i}`, url: `https://huggingface.co/papers/${arxivId}`, published },
        source: HF_PAPERS,
      };
    }
    const engagement = { points: Math.floor(next() * 800), comments: Math.floor(next() * 300) };
    return {
      raw: { guid: `hn-${i}`, url: raw.url, title: `${raw.title} [pdf]`, published, engagement },
      source: HACKER_NEWS,
    };
  }
  if (roll < 0.5) {
    // Hacker News discussing the headline's link.
    const engagement = { points: Math.floor(next() * 800), comments: Math.floor(next() * 300) };
    return {
      raw: { guid: `hn-${i}`, url: raw.url, title: `Show HN: ${raw.title}`, published, engagement },
      source: HACKER_NEWS,
    };
  }
  // Another outlet, its own URL, the headline re-titled: one word dropped, or one word added.
  const words = (raw.title as string).split(' ');
  const retitled =
    next() < 0.5
      ? words.filter((_, index) => index !== Math.floor(next() * words.length))
      : [...words.slice(0, 1), 'reportedly', ...words.slice(1)];
  const outlet = OUTLETS[Math.floor(next() * OUTLETS.length)]!;
  return {
    raw: {
      ...raw,
      guid: `${outlet.id}-${i}`,
      url: `https://${outlet.id}.example.com/2026/08/re-${i}`,
      title: retitled.join(' '),
      published,
    },
    source: outlet,
  };
}

/** Normalised pipeline items of a synthetic day (ids made unique per position). */
export function normalizeDay(day: SyntheticDay): PipelineItem[] {
  const fetchedAt = new Date('2026-08-21T10:00:00Z');
  const configs = new Map(SOURCES.map((source) => [source.id, sourceConfig(source)]));
  return day.raws.map(({ raw, source }, index) => {
    const config = configs.get(source.id)!;
    const item = pipelineItem(normalizeItem(raw, { source: config, fetchedAt }), config);
    item.id = `${item.id}-${index}`;
    return item;
  });
}

/** What the stages made of a day's items. */
export interface StagesResult {
  clusters: Cluster[];
  /** The day's stories, worked out as far as selection read them (`all()` works out the rest). */
  ranking: RankedStories;
  selected: Story[];
  top: string[];
}

/**
 * Cluster, rank + classify, select and choose the top stories of normalised items, as a run does
 * (app/daily-run: stories are classified and scored as selection reads them; no earlier report, so
 * memory keeps every story); `lap` hears each stage's wall time (ms).
 */
export function runStages(
  items: PipelineItem[],
  lap: (stage: 'cluster' | 'rank' | 'select', ms: number) => void = () => {},
): StagesResult {
  let start = performance.now();
  const clusters = clusterItems(items);
  lap('cluster', performance.now() - start);
  start = performance.now();
  const byId = new Map(items.map((item) => [item.id, item]));
  const ranking = rankedStories(clusters, byId, {
    now: new Date('2026-08-21T10:00:00Z'),
    windowHours: 36,
    topics: PRESETS.ai!.topics,
    baselines: engagementBaselines(items),
    snapshots: snapshotSources(SOURCES.map(sourceConfig), items),
  });
  lap('rank', performance.now() - start);
  start = performance.now();
  const memory = storyMemory([]);
  const { selected } = selectStories(keptStories(ranking, memory), {
    maxStories: 30,
    defaultSectionCap: 6,
    maxPerFamilyInSection: 2,
  });
  const top = chooseTopStories(selected, { count: 6, maxPerFamily: 1, maxPerSource: 2, maxPapers: 2 });
  lap('select', performance.now() - start);
  return { clusters, ranking, selected, top };
}

/** What one size measured. */
export interface SizeMeasure {
  count: number;
  distinct: number;
  normalizeMs: number;
  clusterMs: number;
  /** Rank, classify and select: stories are classified and scored as selection reads them. */
  rankMs: number;
  /** cluster + rank + classify + select. */
  stagesMs: number;
  stories: number;
  selected: number;
  peakRssMiB: number;
  /** CPU time (user + system) of normalize and of cluster..select: steadier than wall time on a busy machine. */
  normalizeCpuMs: number;
  stagesCpuMs: number;
}

/** Builds, normalises and runs the stages over one size (in this process). */
function measureSize(count: number): SizeMeasure {
  const gc = (globalThis as { gc?: () => void }).gc;
  const day = syntheticDay(count, loadSamples());
  gc?.();
  const cpuMs = () => {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1000;
  };
  const normalizeStart = performance.now();
  const normalizeCpuStart = cpuMs();
  const items = normalizeDay(day);
  const normalizeMs = performance.now() - normalizeStart;
  const normalizeCpuMs = cpuMs() - normalizeCpuStart;
  gc?.();
  const start = performance.now();
  const stagesCpuStart = cpuMs();
  let clusterMs = 0;
  let rankMs = 0;
  const { clusters, selected } = runStages(items, (stage, ms) => {
    if (stage === 'cluster') clusterMs = ms;
    else rankMs += ms;
  });
  const stagesMs = performance.now() - start;
  const stagesCpuMs = cpuMs() - stagesCpuStart;
  return {
    count,
    distinct: day.distinct,
    normalizeMs,
    clusterMs,
    rankMs,
    stagesMs,
    stories: clusters.length,
    selected: selected.length,
    peakRssMiB: peakRssMiB(),
    normalizeCpuMs,
    stagesCpuMs,
  };
}

const ONE_SIZE_FLAG = '--one-size';

/** Runs one size in a child process (same Node flags), so its peak RSS is its own. */
function measureSizeApart(count: number): SizeMeasure {
  const child = spawnSync(
    process.execPath,
    [...process.execArgv, fileURLToPath(import.meta.url), ONE_SIZE_FLAG, String(count)],
    { encoding: 'utf8', maxBuffer: 1 << 20 },
  );
  if (child.status !== 0) throw new Error(`pipeline bench at ${count} items failed:\n${child.stderr}`);
  return JSON.parse(child.stdout) as SizeMeasure;
}

/**
 * Prints a table: time, items/s and peak RSS of normalize and of cluster + rank + classify + select,
 * each size in its own process.
 */
export async function benchPipeline(): Promise<SizeMeasure[]> {
  const samples = loadSamples();
  console.log(
    `\n## pipeline: normalize, then cluster + rank + classify + select (${Math.round(DUPLICATE_RATE * 100)}% ` +
      'of the items re-report another; one run per size, each in a fresh process)',
  );
  console.log(
    `synthetic items from ${formatCount(samples.papers.length)} real paper titles, ` +
      `${formatCount(samples.headlines.length)} headlines and ${formatCount(samples.vocabulary.length)} words`,
  );
  const rows: string[][] = [];
  const measures: SizeMeasure[] = [];
  for (const count of PIPELINE_SIZES) {
    const m = measureSizeApart(count);
    measures.push(m);
    rows.push([
      formatCount(count),
      `${m.normalizeMs.toFixed(0)} ms`,
      `${m.clusterMs.toFixed(0)} ms`,
      `${((m.clusterMs * 1000) / count).toFixed(1)} µs`,
      `${m.rankMs.toFixed(0)} ms`,
      `${m.stagesMs.toFixed(0)} ms`,
      `${(m.normalizeCpuMs + m.stagesCpuMs).toFixed(0)} ms`,
      formatCount((count / (m.normalizeMs + m.stagesMs)) * 1000),
      formatCount(m.distinct),
      formatCount(m.stories),
      String(m.selected),
      `${m.peakRssMiB.toFixed(0)} MiB`,
    ]);
  }
  console.log(
    formatTable(
      [
        'items',
        'normalize',
        'cluster',
        'cluster/item',
        'rank..select',
        'cluster..select',
        'CPU (all)',
        'items/s (all)',
        'distinct',
        'stories',
        'selected',
        'peak RSS',
      ],
      rows,
    ),
  );
  console.log(
    'distinct = items that are not re-reports (the stories a correct clustering finds); CPU (all) = CPU ' +
      'time of normalize + cluster..select (steadier than wall time when the machine is busy); items/s (all) = ' +
      'items / (normalize + cluster..select); peak RSS = the whole process at that size (data built, ' +
      'normalised and clustered).',
  );
  return measures;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const oneSize = process.argv.indexOf(ONE_SIZE_FLAG);
  if (oneSize >= 0) process.stdout.write(JSON.stringify(measureSize(Number(process.argv[oneSize + 1]))));
  else await benchPipeline();
}
