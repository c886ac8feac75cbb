/**
 * One feed of {@link LARGE_FEED_ITEMS} items, a whole `ai-daily run` over it (replayed: collect,
 * store, pipeline, report, files), in a fresh process so that its peak RSS is its own, with the CLI's
 * heap policy (bin/heap.js) and its code (the compiled build when it is current; bench/large-feed-run.mjs).
 * The feed is built from the captures' real paper titles and abstracts (deterministic) and is larger
 * than the default `http.maxBytes` of 10 MiB: the run raises the cap to the document's size, and the table
 * says what the default does with it. The anchor is the raw XML parser (fast-xml-parser) on the
 * same bytes, in the same process that builds the feed.
 *
 * Run alone: `node --import tsx --expose-gc bench/large-feed.ts` (LARGE_FEED_ITEMS overrides the count).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { XMLParser } from 'fast-xml-parser';
import { stringify as stringifyYaml } from 'yaml';
import { buildState } from '../bin/build-stamp.js';
import { loadSamples } from './pipeline.js';
import { formatCount, formatTable } from './table.js';

/** Items in the feed. */
export const LARGE_FEED_ITEMS = Number(process.env.LARGE_FEED_ITEMS ?? 50_000);
const FEED_URL = 'https://large-feed.example/rss.xml';
const NOW = '2026-08-22T02:00:00Z';

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** An RSS 2.0 document of `count` items: a real title and a slice of a real abstract each, dated over a day. */
export function largeFeed(count: number): string {
  const samples = loadSamples();
  const papers = samples.papers.filter((paper) => paper.text.length > 200);
  const nowMs = Date.parse(NOW);
  const parts: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>Large feed</title>',
    '<link>https://large-feed.example/</link><description>bench</description>',
  ];
  for (let i = 0; i < count; i++) {
    const paper = papers[i % papers.length]!;
    const title = `${samples.papers[(i * 7) % samples.papers.length]!.title} (${i})`;
    const published = new Date(nowMs - ((i * 7919) % (24 * 3600)) * 1000).toUTCString();
    parts.push(
      `<item><title>${escapeXml(title)}</title><link>https://large-feed.example/posts/${i}</link>` +
        `<guid>https://large-feed.example/posts/${i}</guid><pubDate>${published}</pubDate>` +
        `<description>${escapeXml(paper.text.slice(0, 300 + (i % 200)))}</description></item>`,
    );
  }
  parts.push('</channel></rss>\n');
  return parts.join('');
}

interface RunMeasure {
  /** Where the run's code came from: the compiled build (as the CLI runs it) or the sources through tsx. */
  from: 'dist' | 'src';
  wallMs: number;
  peakRssMiB: number;
  itemsFound: number;
  status: string;
  error?: string;
}

/** Writes the feed, its recorded day and a config into `dir` (`maxBytes` undefined: the default cap). */
function prepare(dir: string, feed: string, maxBytes: number | undefined): void {
  writeFileSync(path.join(dir, 'feed.xml'), feed);
  const day = {
    day: NOW.slice(0, 10),
    now: NOW,
    responses: [{ url: FEED_URL, file: 'feed.xml', status: 200, contentType: 'application/rss+xml; charset=utf-8' }],
  };
  writeFileSync(path.join(dir, 'day.json'), JSON.stringify(day));
  const config = {
    language: 'en',
    store: { path: './data/ai-daily.db' },
    sources: [{ id: 'large-feed', kind: 'feed', url: FEED_URL }],
    ...(maxBytes === undefined ? {} : { http: { maxBytes } }),
  };
  writeFileSync(path.join(dir, 'ai-daily.config.yaml'), stringifyYaml(config));
}

/**
 * `ai-daily run` in the folder, in a fresh process (bench/large-feed-run.mjs), measured. It runs
 * as bin/ai-daily.js does: from dist/ when that is a build of the sources as they are now
 * (bin/build-stamp.js), in a process without tsx; else from the sources through tsx, which also
 * compiles each module the run loads (about half a second more).
 */
function runApart(dir: string): RunMeasure {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const from = buildState(root).fresh ? 'dist' : 'src';
  const runner = fileURLToPath(new URL('./large-feed-run.mjs', import.meta.url));
  const child = spawnSync(
    process.execPath,
    [...(from === 'src' ? ['--import', 'tsx'] : []), '--expose-gc', runner, dir, from],
    { encoding: 'utf8', maxBuffer: 1 << 20 },
  );
  if (child.status !== 0) throw new Error(`large-feed run failed:\n${child.stderr}`);
  return JSON.parse(child.stdout) as RunMeasure;
}

/** What the large-feed bench measured. */
export interface LargeFeedMeasure {
  items: number;
  bytes: number;
  /** fast-xml-parser on the document, best of three, ms. */
  rawParseMs: number;
  /** The whole run with the cap raised to the document. */
  run: RunMeasure;
  /** The whole run with the default cap. */
  defaultCap: RunMeasure;
}

export async function measureLargeFeed(count = LARGE_FEED_ITEMS): Promise<LargeFeedMeasure> {
  const feed = largeFeed(count);
  const bytes = Buffer.byteLength(feed);
  let rawParseMs = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 3; i++) {
    const start = performance.now();
    new XMLParser().parse(feed);
    rawParseMs = Math.min(rawParseMs, performance.now() - start);
  }
  const raised = mkdtempSync(path.join(tmpdir(), 'ai-daily-large-feed-'));
  const capped = mkdtempSync(path.join(tmpdir(), 'ai-daily-large-feed-'));
  try {
    prepare(raised, feed, Math.max(bytes + 1024, 10 * 1024 * 1024));
    prepare(capped, feed, undefined);
    const run = runApart(raised);
    const defaultCap = runApart(capped);
    return { items: count, bytes, rawParseMs, run, defaultCap };
  } finally {
    rmSync(raised, { recursive: true, force: true });
    rmSync(capped, { recursive: true, force: true });
  }
}

/** Prints the large-feed table. */
export async function benchLargeFeed(): Promise<LargeFeedMeasure> {
  const m = await measureLargeFeed();
  console.log(`\n## large feed: one feed of ${formatCount(m.items)} items, a whole replayed run (fresh process)`);
  console.log(
    formatTable(
      ['http.maxBytes', 'document', 'items stored', 'outcome', 'whole run', 'peak RSS', 'raw XML parse', 'run / parse'],
      [
        [
          'raised to the document',
          `${(m.bytes / 2 ** 20).toFixed(1)} MiB`,
          formatCount(m.run.itemsFound),
          m.run.status,
          `${(m.run.wallMs / 1000).toFixed(1)} s`,
          `${m.run.peakRssMiB.toFixed(0)} MiB`,
          `${formatCount(m.rawParseMs)} ms`,
          `${(m.run.wallMs / m.rawParseMs).toFixed(1)}×`,
        ],
        [
          'default (10 MiB)',
          `${(m.bytes / 2 ** 20).toFixed(1)} MiB`,
          formatCount(m.defaultCap.itemsFound),
          m.defaultCap.status,
          `${(m.defaultCap.wallMs / 1000).toFixed(1)} s`,
          `${m.defaultCap.peakRssMiB.toFixed(0)} MiB`,
          '',
          '',
        ],
      ],
    ),
  );
  if (m.defaultCap.error) console.log(`with the default cap: ${m.defaultCap.error}`);
  console.log(
    m.run.from === 'dist'
      ? 'the run is the compiled build (dist/), as the CLI runs it'
      : 'the run is the sources through tsx, which compiles each module it loads: dist/ is not a build of the ' +
          'sources as they are now (`npm run build` first to measure what the CLI runs)',
  );
  return m;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await benchLargeFeed();
}
