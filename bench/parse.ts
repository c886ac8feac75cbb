/**
 * Feed-parse throughput on real captures: our connectors' parse functions (parseFeedDocument,
 * parseArxivDocument), the same plus normalizeItem for every item, and the raw XML parser feedsmith
 * sits on (fast-xml-parser's `new XMLParser().parse()`, the anchor of issue 16's goal) on the same
 * text; beside them, htmlparser2's XML tokenizer alone with no handler, which the reader of common
 * RSS and Atom (src/sources/common-feed-reader.ts) runs on. MB/s = file size / time of one parse
 * (best of the runs; the median beside it).
 *
 * Run alone: `node --import tsx --expose-gc bench/parse.ts` (or through bench/index.ts).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { XMLParser } from 'fast-xml-parser';
import { Parser } from 'htmlparser2';
import type { RawItem, SourceConfig } from '../src/core/types.js';
import { normalizeItem } from '../src/pipeline/normalize.js';
import { parseArxivDocument } from '../src/sources/arxiv.js';
import { parseFeedDocument } from '../src/sources/feed.js';
import { realBytes } from '../test/support/fixtures.js';
import { bestAndMedian, formatTable, timeRuns } from './table.js';

/** The captures measured (paths under fixtures/real) and which connector parses each. */
export const PARSE_FILES: ReadonlyArray<{ file: string; parser: 'feed' | 'arxiv' }> = [
  { file: 'rss/openai-news_2025-07-28.xml', parser: 'feed' },
  { file: 'rss/deeplearning-ai-the-batch_scraped-by-olshansk_2026-06-04.xml', parser: 'feed' },
  { file: 'rss/google-cloud-blog_2019-09.xml', parser: 'feed' },
  { file: 'rss/microsoft-ai-blog_2025-07-28.xml', parser: 'feed' },
  { file: 'rss/anthropic-news_scraped-by-olshansk_2026-08-22.xml', parser: 'feed' },
  { file: 'atom/heise-developer_2016-02-01.xml', parser: 'feed' },
  { file: 'arxiv/arxiv-api_new-format_q-all-testing_max100_2026-04-12.xml', parser: 'arxiv' },
];

/** The source a bench's feed items are normalised as. */
export const BENCH_FEED_SOURCE: SourceConfig = {
  id: 'bench-feed',
  name: 'bench feed',
  kind: 'feed',
  url: 'https://example.com/feed.xml',
  authority: 0.7,
  section: 'applications',
  enabled: true,
  filterTopics: false,
  params: {},
};

function mbPerSecond(bytes: number, ms: number): number {
  return bytes / 1e6 / (ms / 1000);
}

/** "best (median)" MB/s. */
function throughputCell(bytes: number, samples: readonly number[]): string {
  const { best, median } = bestAndMedian(samples);
  return `${mbPerSecond(bytes, best).toFixed(1)} (${mbPerSecond(bytes, median).toFixed(1)})`;
}

/** Sum of bytes and of best times (ms) over the captures. */
export interface ParseTotals {
  bytes: number;
  raw: number;
  /** htmlparser2's tokenizer alone (XML mode, no handler). */
  tokenizer: number;
  ours: number;
  normalized: number;
}

/** Prints per file and aggregate MB/s of the raw XML parser, our parse, and our parse + normalize. */
export function benchParse(): ParseTotals {
  const fetchedAt = new Date('2026-08-22T02:00:00Z');
  const rows: string[][] = [];
  const totals = { bytes: 0, raw: 0, tokenizer: 0, ours: 0, normalized: 0 };
  for (const { file, parser } of PARSE_FILES) {
    const bytes = realBytes(file);
    const text = bytes.toString('utf8');
    const parse = (): RawItem[] => (parser === 'arxiv' ? parseArxivDocument(text) : parseFeedDocument(text));
    const items = parse().length;
    const raw = timeRuns(() => new XMLParser().parse(text));
    const tokenizer = timeRuns(() => new Parser({}, { xmlMode: true, decodeEntities: false }).end(text));
    const ours = timeRuns(parse);
    const normalized = timeRuns(() => {
      for (const item of parse()) {
        try {
          normalizeItem(item, { source: BENCH_FEED_SOURCE, fetchedAt });
        } catch {
          // an item without a link or content is skipped, as collect does
        }
      }
    });
    totals.bytes += bytes.byteLength;
    totals.raw += bestAndMedian(raw).best;
    totals.tokenizer += bestAndMedian(tokenizer).best;
    totals.ours += bestAndMedian(ours).best;
    totals.normalized += bestAndMedian(normalized).best;
    rows.push([
      path.basename(file).slice(0, 48),
      `${(bytes.byteLength / 1024).toFixed(0)} KiB`,
      String(items),
      throughputCell(bytes.byteLength, raw),
      throughputCell(bytes.byteLength, tokenizer),
      throughputCell(bytes.byteLength, ours),
      throughputCell(bytes.byteLength, normalized),
    ]);
  }
  rows.push([
    'all (sum of bytes / sum of best times)',
    `${(totals.bytes / 1024).toFixed(0)} KiB`,
    '',
    mbPerSecond(totals.bytes, totals.raw).toFixed(1),
    mbPerSecond(totals.bytes, totals.tokenizer).toFixed(1),
    mbPerSecond(totals.bytes, totals.ours).toFixed(1),
    mbPerSecond(totals.bytes, totals.normalized).toFixed(1),
  ]);
  console.log('\n## feed parse: MB/s, best (median) of ≥5 runs and ≥0.3 s per cell');
  console.log(
    formatTable(
      ['capture', 'size', 'items', 'fast-xml-parser', 'htmlparser2 tokenizer', 'our parse', 'parse+normalize'],
      rows,
    ),
  );
  console.log(
    'fast-xml-parser = new XMLParser().parse() alone (no feed mapping), the anchor; htmlparser2 tokenizer = its ' +
      'XML mode with no handler (what the reader of common RSS and Atom runs on); our parse = parseFeedDocument / ' +
      'parseArxivDocument (repair, feed mapping, links, dates as found); parse+normalize adds normalizeItem per item.',
  );
  return totals;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  benchParse();
}
