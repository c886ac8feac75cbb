/**
 * Collection workers on PostgreSQL, as a user runs them: real `ai-daily worker` processes and
 * `ai-daily run --distributed` through the CLI, against 200 feed sources.
 *
 * 1. A recorded day (`--replay`, a fixed clock): three workers collect it; every healthy source's
 *    items are stored once, the failing ones are dead-lettered, and the report (Markdown, JSON,
 *    HTML) is byte for byte the one a single-process SQLite run writes from the same day.
 * 2. A loopback server with latency, 500s and sources that never answer: one worker is killed
 *    (SIGKILL) while it fetches; its job goes back to the queue and another worker completes it,
 *    nothing is lost or stored twice, and the server never answered more requests at once than the
 *    per-host limit. Workers stop cleanly on SIGTERM.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { stringify as stringifyYaml } from 'yaml';
import { DEAD_LETTER_QUEUE } from '../../src/app/workers.js';
import { runCli } from '../support/cli.js';
import {
  type FeedFarm,
  farmItems,
  farmSourceId,
  farmSources,
  startFeedFarm,
  writeFarmDay,
} from '../support/feed-farm.js';
import { dayFile, repoRoot, sharedMissing } from '../support/fixtures.js';
import { createTestDatabase, postgresSkip, type TestDatabase } from '../support/postgres.js';

const COUNT = 200;
const FAILING = new Set([7, 42, 99, 150]);
const HANGING = new Set([13, 120]);
const BROKEN = new Set([...FAILING, ...HANGING]);

interface Worker {
  child: ChildProcess;
  stderr: string;
  exited: Promise<number | null>;
}

function startWorker(cwd: string, args: string[] = []): Worker {
  const child = spawn(process.execPath, [path.join(repoRoot, 'bin/ai-daily.js'), 'worker', ...args], {
    cwd,
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const worker: Worker = {
    child,
    stderr: '',
    exited: new Promise((resolve) => child.on('exit', (code) => resolve(code))),
  };
  child.stderr?.on('data', (chunk: Buffer) => {
    worker.stderr += chunk.toString();
  });
  return worker;
}

async function stopWorkers(workers: Worker[]): Promise<(number | null)[]> {
  for (const worker of workers) if (worker.child.exitCode === null) worker.child.kill('SIGTERM');
  return Promise.all(workers.map((worker) => worker.exited));
}

async function query<T>(url: string, text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, values)).rows as T[];
  } finally {
    await client.end();
  }
}

/** Every stored item once per source and identity, and the healthy sources' items all there. */
async function assertStoredOnce(url: string, now: Date): Promise<void> {
  const [totals] = await query<{ rows: string; distinct: string }>(
    url,
    'SELECT count(*) AS rows, count(DISTINCT (source_id, identity)) AS distinct FROM items',
  );
  assert.equal(totals?.rows, totals?.distinct, 'no item is stored twice');
  const counts = new Map(
    (
      await query<{ source_id: string; n: string }>(
        url,
        'SELECT source_id, count(*) AS n FROM items GROUP BY source_id',
      )
    ).map((row) => [row.source_id, Number(row.n)]),
  );
  for (let n = 0; n < COUNT; n++) {
    const expected = BROKEN.has(n) ? 0 : farmItems(n, now).length;
    assert.equal(counts.get(farmSourceId(n)) ?? 0, expected, `${farmSourceId(n)}: items stored`);
  }
}

/** Waits until the workers recorded every broken source as dead-lettered. */
async function deadLettered(url: string): Promise<string[]> {
  let ids: string[] = [];
  // The workers take a dead letter within a poll (0.5 s); 300 looks are far more than enough.
  for (let look = 0; look < 300 && ids.length < BROKEN.size; look++) {
    if (look > 0) await new Promise((resolve) => setTimeout(resolve, 200));
    const rows = await query<{ id: string }>(
      url,
      'SELECT id FROM sources WHERE dead_lettered_at IS NOT NULL ORDER BY id',
    );
    ids = rows.map((row) => row.id);
  }
  return ids;
}

function writeConfig(dir: string, config: Record<string, unknown>): void {
  writeFileSync(path.join(dir, 'ai-daily.config.yaml'), stringifyYaml(config));
}

describe('collection workers need the PostgreSQL store', () => {
  it('`worker` and `run --distributed` on a SQLite store are usage errors (exit 2) that say what to set', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ai-daily-workers-sqlite-'));
    try {
      writeConfig(dir, { preset: 'none', sources: farmSources(1, (n) => `https://farm${n}.example/feed.xml`) });
      for (const args of [['worker'], ['run', '--distributed']]) {
        const result = await runCli(args, dir);
        assert.equal(result.code, 2, result.stderr);
        assert.match(result.stderr, /needs the PostgreSQL store .*driver: postgres/);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

const brokenIds = [...BROKEN].sort((a, b) => a - b).map(farmSourceId);

describe('collection workers', postgresSkip() ? { skip: postgresSkip() } : {}, () => {
  const databases: TestDatabase[] = [];
  const workers: Worker[] = [];
  let root: string;
  before(() => {
    root = mkdtempSync(path.join(tmpdir(), 'ai-daily-workers-'));
  });
  after(async () => {
    for (const worker of workers) if (worker.child.exitCode === null) worker.child.kill('SIGKILL');
    await Promise.all(workers.map((worker) => worker.exited));
    for (const database of databases) await database.drop();
    rmSync(root, { recursive: true, force: true });
  });

  it('three workers collect a recorded day of 200 sources: stored once, broken ones dead-lettered, the report identical to a single-process SQLite run', async () => {
    const database = await createTestDatabase();
    databases.push(database);
    const now = new Date('2026-09-01T08:00:00Z');
    const url = (n: number) => `https://farm${n % 17}.example/feed/${n}.xml`;
    const distributed = path.join(root, 'replay-pg');
    const single = path.join(root, 'replay-sqlite');
    const common = {
      preset: 'none',
      language: 'en',
      timezone: 'UTC',
      http: { retries: 0 },
      workers: { retryLimit: 1, retryDelaySeconds: 1, jobTimeoutSeconds: 30, pollSeconds: 0.5 },
      sources: farmSources(COUNT, url),
    };
    for (const dir of [distributed, single]) {
      mkdirSync(dir);
      writeFarmDay(dir, now, { count: COUNT, failing: FAILING, hanging: HANGING, url });
    }
    writeConfig(distributed, { ...common, store: { driver: 'postgres', url: database.url } });
    writeConfig(single, { ...common, store: { path: './data/ai-daily.db' } });

    const three = [0, 1, 2].map(() => startWorker(distributed, ['--replay', 'day.json', '--concurrency', '4']));
    workers.push(...three);
    const run = await runCli(['--json', 'run', '--distributed', '--replay', 'day.json', '--out', 'out'], distributed);
    assert.equal(run.code, 0, run.stderr);
    const summary = JSON.parse(run.stdout) as {
      markdown: string;
      json: string;
      html: string;
      sources: { failedIds: string[] };
    };
    assert.deepEqual(summary.sources.failedIds, brokenIds);

    await assertStoredOnce(database.url, now);
    assert.deepEqual(await deadLettered(database.url), brokenIds, 'the broken sources are dead-lettered');
    const dead = await query<{ source: string }>(
      database.url,
      "SELECT DISTINCT data->>'sourceId' AS source FROM pgboss.job WHERE name = $1 ORDER BY 1",
      [DEAD_LETTER_QUEUE],
    );
    assert.deepEqual(
      dead.map((row) => row.source),
      brokenIds,
      "pg-boss's dead-letter queue holds their jobs",
    );
    // next_check_at: an hour after a success; after two failures in a row, 4 hours (interval × 2²).
    const checks = new Map(
      (await query<{ id: string; next: string }>(database.url, 'SELECT id, next_check_at AS next FROM sources')).map(
        (row) => [row.id, row.next],
      ),
    );
    assert.equal(checks.get(farmSourceId(0)), '2026-09-01T09:00:00.000Z');
    assert.equal(checks.get(farmSourceId(7)), '2026-09-01T12:00:00.000Z');

    const alone = await runCli(['run', '--replay', 'day.json', '--out', 'out'], single);
    assert.equal(alone.code, 0, alone.stderr);
    for (const file of [summary.markdown, summary.json, summary.html]) {
      assert.equal(
        readFileSync(path.join(distributed, 'out', file), 'utf8'),
        readFileSync(path.join(single, 'out', file), 'utf8'),
        `${file} is the same distributed and in one process`,
      );
    }
    assert.deepEqual(await stopWorkers(three), [0, 0, 0], 'SIGTERM stops each worker cleanly');
    for (const worker of three) assert.match(worker.stderr, /worker: stopped after \d+ job\(s\)/);
  });

  it(
    'the shared recorded day (2026-08-22, the ai preset): the same report distributed on PostgreSQL as in one process on SQLite',
    sharedMissing() ? { skip: sharedMissing() } : {},
    async () => {
      const database = await createTestDatabase();
      databases.push(database);
      const distributed = path.join(root, 'shared-pg');
      const single = path.join(root, 'shared-sqlite');
      // Sources the recording lacks fail at once and for good (no retry): nothing waits on a backoff.
      const common = { language: 'en', workers: { retryLimit: 0, pollSeconds: 0.5 } };
      mkdirSync(distributed);
      mkdirSync(single);
      writeConfig(distributed, { ...common, store: { driver: 'postgres', url: database.url } });
      writeConfig(single, common);
      const two = [0, 1].map(() => startWorker(distributed, ['--replay', dayFile('2026-08-22')]));
      workers.push(...two);
      const run = await runCli(
        ['--json', 'run', '--distributed', '--replay', dayFile('2026-08-22'), '--out', 'out'],
        distributed,
      );
      assert.equal(run.code, 0, run.stderr);
      const alone = await runCli(['--json', 'run', '--replay', dayFile('2026-08-22'), '--out', 'out'], single);
      assert.equal(alone.code, 0, alone.stderr);
      const summary = JSON.parse(run.stdout) as { markdown: string; json: string; html: string };
      assert.deepEqual(
        (JSON.parse(run.stdout) as { sources: unknown }).sources,
        (JSON.parse(alone.stdout) as { sources: unknown }).sources,
      );
      for (const file of [summary.markdown, summary.json, summary.html]) {
        assert.equal(
          readFileSync(path.join(distributed, 'out', file), 'utf8'),
          readFileSync(path.join(single, 'out', file), 'utf8'),
          `${file} is the same distributed and in one process`,
        );
      }
      assert.deepEqual(await stopWorkers(two), [0, 0], two.map((worker) => worker.stderr).join('\n'));
    },
  );

  it('--deadline: sources no worker collected in time are reported failed with kind deadline, and their jobs cancelled', async () => {
    const database = await createTestDatabase();
    databases.push(database);
    const now = new Date('2026-09-01T08:00:00Z');
    const url = (n: number) => `https://farm${n}.example/feed/${n}.xml`;
    const dir = path.join(root, 'deadline');
    mkdirSync(dir);
    writeFarmDay(dir, now, { count: 3, url });
    writeConfig(dir, {
      preset: 'none',
      language: 'en',
      timezone: 'UTC',
      store: { driver: 'postgres', url: database.url },
      sources: farmSources(3, url),
    });
    // No worker runs: nothing is collected before the deadline, so there is nothing to report.
    const result = await runCli(
      ['run', '--distributed', '--deadline', '1', '--replay', 'day.json', '--out', 'out'],
      dir,
    );
    assert.equal(result.code, 3, result.stderr);
    assert.match(result.stderr, /3 source\(s\) were not collected before the deadline/);
    const logged = await query<{ kind: string }>(database.url, 'SELECT error_kind AS kind FROM fetch_log');
    assert.deepEqual(
      logged.map((row) => row.kind),
      ['deadline', 'deadline', 'deadline'],
    );
    const states = await query<{ state: string }>(
      database.url,
      "SELECT state::text AS state FROM pgboss.job WHERE name = 'ai-daily-collect'",
    );
    assert.deepEqual(
      states.map((row) => row.state),
      ['cancelled', 'cancelled', 'cancelled'],
    );
  });

  it('a worker killed mid-fetch loses nothing: another worker completes its job; the per-host limit holds across workers', async () => {
    const database = await createTestDatabase();
    databases.push(database);
    const now = new Date();
    const SLOW = 0;
    let farm: FeedFarm | undefined;
    try {
      farm = await startFeedFarm(now, {
        count: COUNT,
        failing: FAILING,
        hanging: HANGING,
        latencyMs: (n) => 10 + (n % 4) * 10,
        slowFirst: { n: SLOW, ms: 60_000 },
      });
      const dir = path.join(root, 'live');
      mkdirSync(dir);
      writeConfig(dir, {
        preset: 'none',
        language: 'en',
        timezone: 'UTC',
        store: { driver: 'postgres', url: database.url },
        http: { allowHosts: [farm.host], retries: 0, timeoutMs: 1_500, sourceBudgetMs: 2_000, perHostConcurrency: 3 },
        workers: { retryLimit: 1, retryDelaySeconds: 1, jobTimeoutSeconds: 4, pollSeconds: 0.5 },
        sources: farmSources(COUNT, farm.url),
      });

      // One worker takes the first jobs (the slow source is first) and is killed while it fetches it.
      const doomed = startWorker(dir, ['--concurrency', '4']);
      workers.push(doomed);
      const run = runCli(['--json', 'run', '--distributed', '--out', 'out'], dir);
      const asked = await Promise.race([farm.requested(SLOW).then(() => true), doomed.exited.then(() => false)]);
      assert.ok(asked, `the worker fetched the slow source before it exited: ${doomed.stderr}`);
      doomed.child.kill('SIGKILL');
      assert.equal(await doomed.exited, null, 'killed by the signal');

      const others = [0, 1].map(() => startWorker(dir, ['--concurrency', '4']));
      workers.push(...others);
      const result = await run;
      assert.equal(result.code, 0, result.stderr);
      const summary = JSON.parse(result.stdout) as { sources: { ok: number; failedIds: string[] } };
      assert.deepEqual(summary.sources.failedIds, brokenIds);
      assert.equal(summary.sources.ok, COUNT - BROKEN.size);

      assert.equal(farm.requests.get(SLOW), 2, 'the slow source was asked again, by another worker');
      const slow = await query<{ status: string }>(
        database.url,
        'SELECT status FROM fetch_log WHERE source_id = $1 ORDER BY id',
        [farmSourceId(SLOW)],
      );
      assert.deepEqual(
        slow.map((row) => row.status),
        ['ok'],
        'the killed attempt wrote nothing; the next one completed',
      );
      await assertStoredOnce(database.url, now);
      assert.deepEqual(await deadLettered(database.url), brokenIds);
      assert.ok(farm.maxInFlight <= 3, `at most 3 requests at once to one host, saw ${farm.maxInFlight}`);
      assert.deepEqual(await stopWorkers(others), [0, 0]);
    } finally {
      await farm?.close();
    }
  });
});
