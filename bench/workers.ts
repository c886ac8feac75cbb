/**
 * Collection wall time with workers: 200 and 1,000 feed sources on 20 loopback hosts (50 ms of
 * simulated latency per response), collected by 1 and 3 `ai-daily worker` processes (8 sources
 * each at a time) through `run --distributed`'s enqueue-and-wait (src/app/workers.ts), against
 * the one-process collect of the same sources on the same PostgreSQL store for reference. The
 * workers are started and ready before the clock starts; each measure has a database of its own.
 *
 * Needs a PostgreSQL server (DATABASE_URL or AI_DAILY_TEST_PG_URL); without one it says so in one
 * line and skips. Run alone: `node --import tsx bench/workers.ts` (or through bench/index.ts).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify as stringifyYaml } from 'yaml';
import { collectSources } from '../src/app/collect.js';
import { openContext } from '../src/app/context.js';
import { enqueueAndWait } from '../src/app/workers.js';
import { silentLogger } from '../src/core/log.js';
import { type FeedFarm, farmSources, startFeedFarm } from '../test/support/feed-farm.js';
import { repoRoot } from '../test/support/fixtures.js';
import { createTestDatabase, testPostgresUrl } from '../test/support/postgres.js';
import { formatCount, formatTable } from './table.js';

export const WORKER_SOURCES = [200, 1_000] as const;
export const WORKER_COUNTS = [1, 3] as const;
const HOSTS = 20;
const LATENCY_MS = 50;
const CONCURRENCY = 8;
/** Requests at once per host, held across the workers (pinned, so the figures compare across defaults). */
const PER_HOST = 4;

interface Measure {
  sources: number;
  ok: number;
  wallMs: number;
}

function startWorker(cwd: string): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [path.join(repoRoot, 'bin/ai-daily.js'), 'worker', '--concurrency', String(CONCURRENCY)],
    {
      cwd,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  return new Promise((resolve, reject) => {
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.includes('worker: taking jobs')) resolve(child);
    });
    child.on('exit', (code) => reject(new Error(`worker exited (${code}): ${stderr}`)));
  });
}

async function measure(farms: FeedFarm[], sources: number, workers: number): Promise<Measure> {
  const database = await createTestDatabase();
  const dir = mkdtempSync(path.join(tmpdir(), 'ai-daily-bench-workers-'));
  const children: ChildProcess[] = [];
  try {
    writeFileSync(
      path.join(dir, 'ai-daily.config.yaml'),
      stringifyYaml({
        preset: 'none',
        timezone: 'UTC',
        store: { driver: 'postgres', url: database.url },
        http: { allowHosts: farms.map((farm) => farm.host), concurrency: CONCURRENCY, perHostConcurrency: PER_HOST },
        workers: { concurrency: CONCURRENCY, pollSeconds: 0.5 },
        sources: farmSources(sources, (n) => farms[n % farms.length]!.url(n)),
      }),
    );
    const context = await openContext({ cwd: dir, log: silentLogger });
    try {
      const start = performance.now();
      let summary: Awaited<ReturnType<typeof collectSources>>;
      if (workers === 0) {
        summary = await collectSources({
          config: context.config,
          store: context.store,
          transport: context.transport,
          now: context.now,
          log: silentLogger,
        });
      } else {
        for (let i = 0; i < workers; i++) children.push(await startWorker(dir));
        const run = await context.store.beginRun('bench', context.now.toISOString().slice(0, 10), context.now);
        const timed = performance.now();
        summary = await enqueueAndWait(context, { runId: run.id, pollMs: 50 });
        return {
          sources,
          ok: summary.sources.filter((s) => s.status === 'ok').length,
          wallMs: performance.now() - timed,
        };
      }
      return {
        sources,
        ok: summary.sources.filter((s) => s.status === 'ok').length,
        wallMs: performance.now() - start,
      };
    } finally {
      await context.close();
    }
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(
      children.map((child) =>
        child.exitCode === null ? new Promise((resolve) => child.on('exit', resolve)) : Promise.resolve(),
      ),
    );
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Prints the workers' collection wall time (or one line saying why it is skipped). */
export async function benchWorkers(): Promise<void> {
  console.log('\n## collect with workers: feed sources on 20 loopback hosts, 50 ms per response');
  if (testPostgresUrl() === undefined) {
    console.log('skipped: no PostgreSQL (set DATABASE_URL to a server where this user may CREATE DATABASE)');
    return;
  }
  const now = new Date();
  const farms = await Promise.all(
    Array.from({ length: HOSTS }, () =>
      startFeedFarm(now, { count: Math.max(...WORKER_SOURCES), latencyMs: () => LATENCY_MS }),
    ),
  );
  try {
    const rows: string[][] = [];
    for (const sources of WORKER_SOURCES) {
      const alone = await measure(farms, sources, 0);
      rows.push([
        formatCount(sources),
        'one process (collect)',
        `${alone.ok}/${sources}`,
        `${formatCount(alone.wallMs)} ms`,
        '1.00',
      ]);
      for (const workers of WORKER_COUNTS) {
        const m = await measure(farms, sources, workers);
        rows.push([
          formatCount(sources),
          `${workers} worker${workers === 1 ? '' : 's'}`,
          `${m.ok}/${sources}`,
          `${formatCount(m.wallMs)} ms`,
          (alone.wallMs / m.wallMs).toFixed(2),
        ]);
      }
    }
    console.log(formatTable(['sources', 'collected by', 'ok', 'wall', 'speed-up vs one process'], rows));
    console.log(
      `${CONCURRENCY} sources at a time per process (http.concurrency, workers.concurrency), ` +
        `http.perHostConcurrency ${PER_HOST} held across the workers; a worker's wall is from the enqueue to the last ` +
        'job done (workers started and waiting beforehand), the store is PostgreSQL in every row.',
    );
  } finally {
    await Promise.all(farms.map((farm) => farm.close()));
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await benchWorkers();
}
