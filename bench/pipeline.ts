/**
 * Pipeline benchmark: normalize (when present) and cluster + rank + classify + select over 1k, 10k and
 * 100k synthetic items shaped like the real captures (titles and abstracts of daily-arxiv-ai-enhanced,
 * titles of the RSS captures, recombined; ids and links made unique; about one item in six repeats an
 * earlier story from another source, so clustering has real work to do).
 *
 * Run: `node --import tsx --expose-gc bench/pipeline.ts` (or through bench/index.ts).
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PRESETS } from '../src/config/presets.js';
import type { Item, PipelineItem, RawItem, SourceConfig, SourceKind } from '../src/core/types.js';
import { clusterItems } from '../src/pipeline/cluster.js';
import { rankStories } from '../src/pipeline/rank.js';
import { selectStories } from '../src/pipeline/select.js';
import { realDir, realText } from '../test/support/fixtures.js';

interface Sample {
  title: string;
  text: string;
}

/** Titles and texts from the captures. */
function loadSamples(): { papers: Sample[]; headlines: string[] } {
  const papers: Sample[] = [];
  for (const day of ['24', '25', '26']) {
    for (const line of realText(`digest/daily-arxiv-ai-enhanced_2026-06-${day}.jsonl`).split('\n')) {
      if (!line.trim()) continue;
      const record = JSON.parse(line) as { title?: string; summary?: string };
      if (record.title) papers.push({ title: record.title, text: record.summary ?? '' });
    }
  }
  const cumulative = JSON.parse(realText('digest/cv-arxiv-daily_cumulative_2026-05-16.json')) as Record<
    string,
    Record<string, string>
  >;
  for (const rows of Object.values(cumulative)) {
    for (const row of Object.values(rows)) {
      const title = /\|\s*\*\*([^*]{8,300})\*\*/.exec(row)?.[1];
      if (title) papers.push({ title, text: '' });
    }
  }
  const headlines: string[] = [];
  for (const file of readdirSync(path.join(realDir, 'rss'))) {
    if (!file.endsWith('.xml') || /gb2312|iso-8859/.test(file)) continue;
    for (const match of realText(`rss/${file}`).matchAll(/<title>(?:<!\[CDATA\[)?([^<\]]{8,200})/g)) {
      headlines.push(match[1]!.trim());
    }
  }
  return { papers, headlines };
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

const SOURCES: Array<{ id: string; kind: SourceKind; authority: number }> = [
  { id: 'arxiv-cs-ai', kind: 'arxiv', authority: 0.6 },
  { id: 'huggingface-daily-papers', kind: 'huggingface', authority: 0.75 },
  { id: 'hackernews-ai', kind: 'hackernews', authority: 0.5 },
  { id: 'openai-news', kind: 'feed', authority: 1 },
  { id: 'qbitai', kind: 'feed', authority: 0.7 },
  { id: 'github-trending', kind: 'github', authority: 0.5 },
];

function sourceConfig(source: (typeof SOURCES)[number]): SourceConfig {
  return {
    id: source.id,
    name: source.id,
    kind: source.kind,
    url: 'https://example.com/feed',
    authority: source.authority,
    section: 'applications',
    enabled: true,
    params: {},
  };
}

/** Raw items (with the source each came from) for `count` entries. */
function syntheticRaw(count: number, samples: ReturnType<typeof loadSamples>) {
  const next = random(count);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  const raws: Array<{ raw: RawItem; source: (typeof SOURCES)[number] }> = [];
  const baseMs = Date.parse('2026-08-21T10:00:00Z');
  for (let i = 0; i < count; i++) {
    const published = new Date(baseMs - Math.floor(next() * 36 * 3_600_000)).toISOString();
    const roll = next();
    if (roll < 0.15 && raws.length > 0) {
      // Another source covering an earlier story: same link, sometimes a re-worded title.
      const earlier = pick(raws);
      const source = pick(SOURCES.filter((s) => s.id !== earlier.source.id));
      const title = next() < 0.5 ? earlier.raw.title : `Show HN: ${earlier.raw.title}`;
      raws.push({ raw: { ...earlier.raw, guid: `dup-${i}`, title, published }, source });
    } else if (roll < 0.6) {
      // A paper title recombined from two captured ones (real papers rarely share a whole title).
      const paper = pick(samples.papers);
      const head = paper.title.split(' ');
      const tail = pick(samples.papers).title.split(' ');
      const paperTitle = [
        ...head.slice(0, Math.ceil(head.length / 2)),
        ...tail.slice(Math.floor(tail.length / 2)),
      ].join(' ');
      const arxivId = `2608.${String(10000 + i).padStart(5, '0')}`;
      raws.push({
        raw: {
          guid: `oai:arXiv.org:${arxivId}`,
          url: `https://arxiv.org/abs/${arxivId}`,
          title: paperTitle,
          contentText: paper.text,
          published,
          externalIds: { arxiv: arxivId },
        },
        source: SOURCES[0]!,
      });
    } else {
      // A headline recombined from two captured ones.
      const first = pick(samples.headlines).split(' ');
      const second = pick(samples.headlines).split(' ');
      const title = [
        ...first.slice(0, Math.ceil(first.length / 2)),
        ...second.slice(Math.floor(second.length / 2)),
      ].join(' ');
      const paper = pick(samples.papers);
      raws.push({
        raw: {
          guid: `post-${i}`,
          url: `https://news.example.com/${i}/${encodeURIComponent(title.slice(0, 30))}`,
          title,
          contentText: paper.text.slice(0, 600),
          published,
          engagement: { points: Math.floor(next() * 800), comments: Math.floor(next() * 300) },
        },
        source: pick(SOURCES.slice(2)),
      });
    }
  }
  return raws;
}

/** A PipelineItem without the normalize stage (used when normalize.ts is absent or for the pure stages). */
function directItem(raw: RawItem, source: (typeof SOURCES)[number], index: number): Item {
  const url = raw.url ?? `https://example.com/${index}`;
  return {
    id: `${source.id}-${index}`,
    sourceId: source.id,
    identity: `guid:${raw.guid}`,
    guid: raw.guid,
    url,
    canonicalUrl: url,
    title: raw.title,
    text: raw.contentText ?? '',
    language: 'en',
    publishedAt: raw.published ?? '2026-08-21T00:00:00.000Z',
    fetchedAt: '2026-08-21T10:00:00.000Z',
    authors: [],
    engagement: raw.engagement ?? {},
    tags: [],
    externalIds: raw.externalIds ?? {},
  };
}

function toPipelineItem(item: Item, source: (typeof SOURCES)[number]): PipelineItem {
  return {
    ...item,
    sourceKind: source.kind,
    sourceName: source.id,
    sourceAuthority: source.authority,
    sourceSection: 'applications',
  };
}

type NormalizeFunction = (raw: RawItem, context: { source: SourceConfig; fetchedAt: Date }) => Item;

async function loadNormalize(): Promise<NormalizeFunction | undefined> {
  try {
    const module = (await import('../src/pipeline/normalize.js')) as { normalizeItem?: NormalizeFunction };
    return module.normalizeItem;
  } catch {
    return undefined;
  }
}

function peakRssMiB(): number {
  return process.resourceUsage().maxRSS / 1024;
}

/** Prints a table: time, items/s and peak RSS of normalize and of cluster + rank + classify + select. */
export async function benchPipeline(): Promise<void> {
  const samples = loadSamples();
  const normalizeItem = await loadNormalize();
  const gc = (globalThis as { gc?: () => void }).gc;
  const rows: string[][] = [];
  for (const count of [1_000, 10_000, 100_000]) {
    const raws = syntheticRaw(count, samples);
    gc?.();
    let normalizeCell = ['-', '-'];
    let items: PipelineItem[];
    if (normalizeItem) {
      const fetchedAt = new Date('2026-08-21T10:00:00Z');
      const configs = new Map(SOURCES.map((source) => [source.id, sourceConfig(source)]));
      const start = performance.now();
      items = raws.map(({ raw, source }, index) => {
        const item = normalizeItem(raw, { source: configs.get(source.id)!, fetchedAt });
        return toPipelineItem({ ...item, id: `${item.id}-${index}` }, source);
      });
      const ms = performance.now() - start;
      normalizeCell = [`${ms.toFixed(0)} ms`, `${Math.round((count / ms) * 1000).toLocaleString('en')}`];
    } else {
      items = raws.map(({ raw, source }, index) => toPipelineItem(directItem(raw, source, index), source));
    }
    gc?.();
    const start = performance.now();
    const clusters = clusterItems(items);
    const clusterMs = performance.now() - start;
    const byId = new Map(items.map((item) => [item.id, item]));
    const stories = rankStories(clusters, byId, {
      now: new Date('2026-08-21T10:00:00Z'),
      windowHours: 36,
      topics: PRESETS.ai!.topics,
    });
    const { selected } = selectStories(stories, { maxStories: 30, defaultSectionCap: 6 });
    const totalMs = performance.now() - start;
    rows.push([
      count.toLocaleString('en'),
      ...normalizeCell,
      `${clusterMs.toFixed(0)} ms`,
      `${totalMs.toFixed(0)} ms`,
      Math.round((count / totalMs) * 1000).toLocaleString('en'),
      clusters.length.toLocaleString('en'),
      String(selected.length),
      `${peakRssMiB().toFixed(0)} MiB`,
    ]);
  }
  const header = [
    'items',
    'normalize',
    'norm items/s',
    'cluster',
    'cluster+rank+select',
    'items/s',
    'stories',
    'selected',
    'peak RSS',
  ];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: string[]) => cells.map((cell, column) => cell.padStart(widths[column]!)).join('  ');
  console.log(`pipeline bench (Node ${process.version}; normalize ${normalizeItem ? 'included' : 'absent'})`);
  console.log(line(header));
  for (const row of rows) console.log(line(row));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await benchPipeline();
}
