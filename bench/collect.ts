/**
 * Collect wall time on a replayed day with a simulated network latency: every response of
 * `createReplayTransport` waits `latencyMs` first (a failed request too: replay waits, then finds no
 * recording). The default config's sources are collected as `ai-daily run` does (p-limit over
 * sources, per-host limit, retries), into a fresh store in a temp folder.
 *
 * The point: sources are fetched concurrently, so the wall time is bound by the slowest source's
 * chain of requests, not by the sum of all responses.
 *
 * Run alone: `node --import tsx --expose-gc bench/collect.ts` (or through bench/index.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { collectSources } from '../src/app/collect.js';
import { resolveConfig } from '../src/config/load.js';
import { silentLogger } from '../src/core/log.js';
import { createReplayTransport, loadRecordedDay } from '../src/http/replay.js';
import type { Transport } from '../src/http/types.js';
import { Store } from '../src/store/store.js';
import { dayFile } from '../test/support/fixtures.js';
import { formatCount, formatTable } from './table.js';

/** Simulated latencies per response, ms. */
export const COLLECT_LATENCIES = [200, 500] as const;
/** The recorded day replayed. */
export const COLLECT_DAY = '2026-08-22';

interface CollectMeasure {
  latencyMs: number;
  wallMs: number;
  sources: number;
  sourcesOk: number;
  requests: number;
  items: number;
  slowestResponseMs: number;
  slowestSourceMs: number;
  sumOfResponsesMs: number;
  /** Sources fetched at a time (config.http.concurrency). */
  concurrency: number;
}

/**
 * Collects the recorded day at `latencyMs` per response. `unlimited`: no per-host or global limit
 * (every source starts at once and waits for no other), so the slowest source's time is its own
 * chain of requests alone: the anchor a limited run is held to.
 */
export async function measureCollect(latencyMs: number, unlimited = false): Promise<CollectMeasure> {
  const day = loadRecordedDay(dayFile(COLLECT_DAY));
  const replay = createReplayTransport(day, { latencyMs });
  const responseMs: number[] = [];
  const transport: Transport = async (request) => {
    const start = performance.now();
    try {
      return await replay(request);
    } finally {
      responseMs.push(performance.now() - start);
    }
  };
  const folder = mkdtempSync(path.join(tmpdir(), 'ai-daily-bench-'));
  const config = resolveConfig(unlimited ? { http: { concurrency: 64, perHostConcurrency: 16 } } : {}, { env: {} });
  const store = await Store.open(path.join(folder, 'store.db'));
  try {
    const start = performance.now();
    const summary = await collectSources({ config, store, transport, now: new Date(day.now), log: silentLogger });
    const wallMs = performance.now() - start;
    return {
      latencyMs,
      wallMs,
      sources: summary.sources.length,
      sourcesOk: summary.sources.filter((s) => s.status === 'ok' || s.status === 'not-modified').length,
      requests: responseMs.length,
      items: summary.sources.reduce((sum, s) => sum + s.itemsFound, 0),
      slowestResponseMs: Math.max(...responseMs),
      slowestSourceMs: Math.max(...summary.sources.map((s) => s.elapsedMs)),
      sumOfResponsesMs: responseMs.reduce((sum, ms) => sum + ms, 0),
      concurrency: config.http.concurrency,
    };
  } finally {
    await store.close();
    rmSync(folder, { recursive: true, force: true });
  }
}

/** What the collect bench measured at each latency: the default limits, and no limits (the anchor). */
export interface CollectResult {
  latencyMs: number;
  limited: CollectMeasure;
  alone: CollectMeasure;
}

/** Prints wall time of collecting the recorded day at each simulated latency. */
export async function benchCollect(): Promise<CollectResult[]> {
  const rows: string[][] = [];
  const results: CollectResult[] = [];
  let concurrency = 0;
  for (const latencyMs of COLLECT_LATENCIES) {
    const m = await measureCollect(latencyMs);
    const alone = await measureCollect(latencyMs, true);
    results.push({ latencyMs, limited: m, alone });
    concurrency = m.concurrency;
    const rounds = Math.ceil(m.sources / m.concurrency);
    rows.push([
      `${m.latencyMs} ms`,
      `${m.sourcesOk}/${m.sources}`,
      String(m.requests),
      formatCount(m.items),
      `${formatCount(m.sumOfResponsesMs)} ms`,
      `${formatCount(m.slowestResponseMs)} ms`,
      `${formatCount(alone.slowestSourceMs)} ms`,
      `${formatCount(rounds * m.latencyMs)} ms`,
      `${formatCount(m.wallMs)} ms`,
      (m.wallMs / alone.slowestSourceMs).toFixed(2),
      `${(m.sumOfResponsesMs / m.wallMs).toFixed(1)}×`,
    ]);
  }
  console.log(`\n## collect: replayed day ${COLLECT_DAY}, default config, simulated latency per response`);
  console.log(
    formatTable(
      [
        'latency',
        'sources ok',
        'requests',
        'items',
        'sum of responses',
        'slowest response',
        'slowest source alone',
        'rounds × latency',
        'wall',
        'wall/slowest alone',
        'speed-up',
      ],
      rows,
    ),
  );
  console.log(
    'sum of responses = the wait if every request went one after another (speed-up = sum / wall); ' +
      'slowest response includes time the event loop was busy parsing other sources; slowest source alone = ' +
      'its whole chain of requests in a run with no per-host or global limit (every source starts at once), ' +
      `the floor of the wall time. ${concurrency} sources are collected at a time (http.concurrency), started ` +
      'in turns across hosts, at most http.perHostConcurrency requests per host; rounds × latency = ' +
      '⌈sources / concurrency⌉ × latency. Sources the recording lacks fail after the latency (nothing recorded ' +
      'answers), as on a day they are down.',
  );
  return results;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await benchCollect();
}
