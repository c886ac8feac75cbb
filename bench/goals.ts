/**
 * The four speed rows of issue 16, each as a ratio against an anchor measured in the same run, so
 * that a busy or a slower machine moves both sides:
 *
 * | row | anchor |
 * |---|---|
 * | pipeline at 100k items (normalize + cluster…select, peak RSS) | ten times the 10k run: 1.0 is linear |
 * | parse + normalize throughput | the raw XML parser on the same bytes |
 * | a replayed day at 500 ms per response | its slowest source alone (no per-host or global limit) |
 * | one feed of 50,000 items, whole run (peak RSS) | the raw XML parser on the same document |
 *
 * The goals: the pipeline ≤ 5 s and ≤ 600 MiB at 100k, parse + normalize ≥ 0.8× the raw parser, the
 * day ≤ 1.2× its slowest source + 0.3 s, the large feed ≤ 8 s and ≤ 600 MB.
 *
 * Run alone (these benches only, about a third of `npm run bench`):
 * `BENCH_SIZES=10000,100000 node --import tsx --expose-gc bench/goals.ts`.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchCollect, type CollectResult } from './collect.js';
import { benchLargeFeed, type LargeFeedMeasure } from './large-feed.js';
import { benchParse, type ParseTotals } from './parse.js';
import { benchPipeline, type SizeMeasure } from './pipeline.js';
import { formatTable } from './table.js';

export interface GoalInputs {
  pipeline: readonly SizeMeasure[];
  parse: ParseTotals;
  collect: readonly CollectResult[];
  largeFeed: LargeFeedMeasure;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const MIB = 2 ** 20;

/** One row per goal: value, anchor, ratio, goal, met. */
export function goalRows(inputs: GoalInputs): string[][] {
  const rows: string[][] = [];
  const big = inputs.pipeline.find((m) => m.count === 100_000);
  const small = inputs.pipeline.find((m) => m.count === 10_000);
  if (big) {
    const bigMs = big.normalizeMs + big.stagesMs;
    const anchorMs = small ? ((small.normalizeMs + small.stagesMs) * big.count) / small.count : Number.NaN;
    rows.push([
      'pipeline at 100k items: normalize + cluster…select',
      `${seconds(big.normalizeMs)} + ${seconds(big.stagesMs)} = ${seconds(bigMs)} (CPU ${seconds(big.normalizeCpuMs + big.stagesCpuMs)}), ${big.peakRssMiB.toFixed(0)} MiB`,
      small ? `10 × the 10k run: ${seconds(anchorMs)}` : '(no 10k run)',
      small ? `${(bigMs / anchorMs).toFixed(2)}×` : '',
      '≤ 5 s, ≤ 600 MiB',
      bigMs <= 5000 && big.peakRssMiB <= 600 ? 'yes' : 'no',
    ]);
  }
  const { parse } = inputs;
  const mbps = (ms: number) => parse.bytes / 1e6 / (ms / 1000);
  const parseRatio = parse.raw / parse.normalized;
  rows.push([
    'parse + normalize throughput',
    `${mbps(parse.normalized).toFixed(1)} MB/s`,
    `raw XML parser: ${mbps(parse.raw).toFixed(1)} MB/s`,
    `${parseRatio.toFixed(2)}×`,
    '≥ 0.8×',
    parseRatio >= 0.8 ? 'yes' : 'no',
  ]);
  const day = inputs.collect.find((result) => result.latencyMs === 500) ?? inputs.collect.at(-1);
  if (day) {
    const wall = day.limited.wallMs;
    const anchor = day.alone.slowestSourceMs;
    rows.push([
      `replayed day (${day.limited.sources} sources), ${day.latencyMs} ms per response`,
      `${seconds(wall)} (${day.limited.concurrency} sources at a time)`,
      `slowest source alone: ${seconds(anchor)}`,
      `${(wall / anchor).toFixed(2)}×`,
      '≤ 1.2× + 0.3 s',
      wall <= 1.2 * anchor + 300 ? 'yes' : 'no',
    ]);
  }
  const feed = inputs.largeFeed;
  const peakMB = (feed.run.peakRssMiB * MIB) / 1e6;
  rows.push([
    `one feed of ${feed.items.toLocaleString('en')} items (${(feed.bytes / MIB).toFixed(0)} MiB), whole run (${feed.run.from})`,
    `${seconds(feed.run.wallMs)}, ${peakMB.toFixed(0)} MB; default cap: ${feed.defaultCap.status}`,
    `raw XML parser: ${(feed.rawParseMs / 1000).toFixed(2)} s`,
    `${(feed.run.wallMs / feed.rawParseMs).toFixed(1)}×`,
    '≤ 8 s, ≤ 600 MB',
    feed.run.wallMs <= 8000 && peakMB <= 600 ? 'yes' : 'no',
  ]);
  return rows;
}

/** Prints the goals table. */
export function printGoals(inputs: GoalInputs): void {
  console.log('\n## speed goals (issue 16): each row against an anchor measured in this run');
  console.log(formatTable(['measure', 'now', 'anchor (same run)', 'ratio', 'goal', 'met'], goalRows(inputs)));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const parse = benchParse();
  const collect = await benchCollect();
  const pipeline = await benchPipeline();
  const largeFeed = await benchLargeFeed();
  printGoals({ pipeline, parse, collect, largeFeed });
}
