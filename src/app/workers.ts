/**
 * Collection workers on pg-boss (a job queue in the store's own PostgreSQL database, in pg-boss's
 * schema `pgboss`): a front door of the app layer beside the CLI and the scheduler.
 *
 * - `enqueueAndWait` (`ai-daily run --distributed`): one job per due source (a pg-boss singleton key
 *   per run and source, so a job is never queued twice), then waits until every job has completed or
 *   failed for good, or until the deadline; what is still pending then is cancelled and reported as
 *   failed with kind `deadline`. It returns the same summary as a single-process collect: each
 *   source's last outcome in this run, read from the fetch log.
 * - `runWorker` (`ai-daily worker`): takes one job per source at a time (`concurrency` at once) and
 *   runs `collectSource`, the code path of the single-process collect. A failed source fails its
 *   job: pg-boss retries it later with exponential backoff (`workers.retryLimit`,
 *   `workers.retryDelaySeconds`) and then moves it to the dead-letter queue, whose jobs the workers
 *   record in the store (`sources.dead_lettered_at`). Requests honour `http.perHostConcurrency`
 *   across every worker (src/store/host-slots.ts). A job whose worker died (SIGKILL, a lost machine)
 *   is given back to the queue by pg-boss once it has been active `workers.jobTimeoutSeconds`; its
 *   items are stored idempotently (a unique source + identity, ON CONFLICT), so the next worker
 *   stores nothing twice. SIGINT/SIGTERM stop taking jobs and let the current ones finish (or fail
 *   them back to the queue when they outlast a source's budget).
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import PgBoss from 'pg-boss';
import type { Config } from '../config/load.js';
import { ConfigError, errorMessage, type FetchErrorKind } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import { redact } from '../core/redact.js';
import type { SourceOutcome } from '../core/run.js';
import { sleep } from '../core/sleep.js';
import type { SourceConfig } from '../core/types.js';
import { createHostSlots, hostKey } from '../store/host-slots.js';
import type { Validators } from '../store/store.js';
import { type CollectSummary, checkSchedule, collectSource, createSourceFetcher, hostTurns } from './collect.js';
import type { RunContext } from './context.js';

/** The queue of collection jobs, one per source and run. */
export const COLLECT_QUEUE = 'ai-daily-collect';
/** Where pg-boss moves a job that failed its last retry. */
export const DEAD_LETTER_QUEUE = 'ai-daily-collect-dead';

/** A collection job: which source, for which run, at the run's clock. */
export interface CollectJob {
  runId: string;
  sourceId: string;
  /** The run's `now` (ISO): the items' fetch time, as in a single-process run. */
  now: string;
}

/** The database URL of a PostgreSQL store; workers need one (the queue lives beside the items). */
export function queueUrl(config: Config, what: string): string {
  if (config.store.driver !== 'postgres') {
    throw new ConfigError(
      `${what} needs the PostgreSQL store (its job queue lives in the same database): set store: { driver: postgres, url: "\${DATABASE_URL}" }`,
    );
  }
  return config.store.url;
}

/** How long a job may stay active before pg-boss gives it back to the queue (its worker died). */
export function jobTimeoutSeconds(config: Config): number {
  return config.workers.jobTimeoutSeconds ?? Math.ceil(config.http.sourceBudgetMs / 1000) + 60;
}

function queueOptions(config: Config) {
  return {
    retryLimit: config.workers.retryLimit,
    retryDelay: config.workers.retryDelaySeconds,
    retryBackoff: true,
    expireInSeconds: jobTimeoutSeconds(config),
    deadLetter: DEAD_LETTER_QUEUE,
  };
}

/** The advisory lock (first key; the second is -1, never a host slot's) of the queue's setup. */
const SETUP_LOCK = hostKey('ai-daily queue setup');

/** Starts pg-boss on the store's database (creating its schema and the two queues when needed). */
async function openQueue(config: Config, log: Logger, connections: number): Promise<PgBoss> {
  const url = queueUrl(config, 'the job queue');
  const timeout = jobTimeoutSeconds(config);
  const boss = new PgBoss({
    connectionString: url,
    max: connections,
    application_name: 'ai-daily',
    schedule: false,
    // Expired jobs are given back within a quarter of the job timeout (at least every second).
    maintenanceIntervalSeconds: Math.max(1, Math.min(60, Math.floor(timeout / 4))),
  });
  boss.on('error', (error) => log.warn(`queue: ${redact(errorMessage(error))}`));
  // Workers and runs starting together on a new database would create pg-boss's schema and the
  // queues' tables at once (and PostgreSQL may answer with a deadlock): one at a time, under an
  // advisory lock that ends with its connection.
  const lock = new pg.Client({ connectionString: url, application_name: 'ai-daily' });
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1::int, $2::int)', [SETUP_LOCK, -1]);
    await boss.start();
    await boss.createQueue(DEAD_LETTER_QUEUE, { name: DEAD_LETTER_QUEUE });
    await boss.createQueue(COLLECT_QUEUE, { name: COLLECT_QUEUE, policy: 'stately', ...queueOptions(config) });
    // The queue follows the config of whoever opened it last (a changed retry limit takes effect).
    await boss.updateQueue(COLLECT_QUEUE, { name: COLLECT_QUEUE, policy: 'stately', ...queueOptions(config) });
  } catch (error) {
    await boss.stop({ graceful: false, close: true }).catch(() => {});
    throw error;
  } finally {
    await lock.end().catch(() => {});
  }
  return boss;
}

// ── the run's side: enqueue and wait ───────────────────────────────────────

export interface DistributedCollectOptions {
  runId: string;
  /** Stop waiting after this long (ms): the sources still pending fail with kind `deadline`. */
  deadlineMs?: number;
  /** Only these sources (the ones the reports being made read); default every enabled source. */
  only?: readonly string[];
  /** How often the queue is asked how the jobs stand (default 250 ms). */
  pollMs?: number;
  onProgress?: (done: number, total: number) => void;
}

type JobState = 'pending' | 'completed' | 'failed';

/**
 * `run --distributed`: enqueues the run's due sources, waits for the workers, and returns each
 * source's last outcome in this run (disabled sources are settled here, as `collect` does; a source
 * not due keeps its latest outcome).
 */
export async function enqueueAndWait(context: RunContext, options: DistributedCollectOptions): Promise<CollectSummary> {
  const { config, store, log, now } = context;
  const started = performance.now();
  const boss = await openQueue(config, log, 2);
  try {
    await store.upsertSources(config.sources, now);
    // The sources the reports being made read (`reports:`, --report), else every enabled one.
    const only = options.only === undefined ? undefined : new Set(options.only);
    const enabled = config.sources.filter((source) => source.enabled && (only === undefined || only.has(source.id)));
    const due = new Set(
      await store.dueSourceIds(
        enabled.map((source) => source.id),
        now,
      ),
    );
    const keyOf = (sourceId: string) => `${options.runId}:${sourceId}`;
    // Taken in turns across hosts, as `collect` starts them (the first source of every host, then
    // the second …): pg-boss takes the highest priority first.
    const dueSources = enabled.filter((source) => due.has(source.id));
    const turn = new Map(hostTurns(dueSources).map((index, position) => [dueSources[index]!.id, position]));
    const jobs: PgBoss.JobInsert<CollectJob>[] = dueSources.map(({ id: sourceId }) => ({
      id: randomUUID(),
      name: COLLECT_QUEUE,
      priority: dueSources.length - (turn.get(sourceId) ?? 0),
      data: { runId: options.runId, sourceId, now: now.toISOString() },
      singletonKey: keyOf(sourceId),
      ...queueOptions(config),
    }));
    for (let i = 0; i < jobs.length; i += 500) await boss.insert(jobs.slice(i, i + 500));
    log.info(
      `queued ${jobs.length} source(s) for the workers${enabled.length > due.size ? ` (${enabled.length - due.size} not due yet)` : ''}`,
    );

    const deadline = options.deadlineMs === undefined ? Number.POSITIVE_INFINITY : started + options.deadlineMs;
    const keys = jobs.map((job) => job.singletonKey as string);
    let states = new Map<string, JobState>();
    for (;;) {
      states = await jobStates(boss, keys);
      const pending = keys.filter((key) => (states.get(key) ?? 'pending') === 'pending');
      options.onProgress?.(keys.length - pending.length, keys.length);
      if (pending.length === 0 || performance.now() >= deadline) break;
      await sleep(Math.min(options.pollMs ?? 250, Math.max(0, deadline - performance.now())));
    }

    const fromLog = new Map((await store.runOutcomes(options.runId)).map((o) => [o.id, o]));
    const earlier = new Map((await store.latestOutcomes(now.toISOString())).map((o) => [o.id, o]));
    const outcomes: SourceOutcome[] = [];
    const late: string[] = [];
    for (const source of config.sources) {
      if (!source.enabled) {
        // Settled here, through the one collect path (it fetches nothing for a disabled source).
        outcomes.push(await collectSource(source, collectContext(context, options.runId)));
        continue;
      }
      if (!due.has(source.id)) {
        outcomes.push(earlier.get(source.id) ?? notFetched(source, 'unavailable', 'not due and never fetched'));
        continue;
      }
      const state = states.get(keyOf(source.id)) ?? 'pending';
      const logged = fromLog.get(source.id);
      if (state === 'pending') {
        late.push(keyOf(source.id));
        const outcome = notFetched(
          source,
          'deadline',
          `no worker finished this source within the run's deadline of ${Math.round((options.deadlineMs ?? 0) / 1000)} s`,
        );
        await store.recordOutcome(options.runId, outcome, now);
        outcomes.push(outcome);
      } else if (state === 'completed' && logged) {
        outcomes.push(logged);
      } else {
        outcomes.push(
          logged && logged.status === 'failed'
            ? logged
            : notFetched(source, 'unavailable', 'its job failed before the source was fetched'),
        );
      }
    }
    if (late.length > 0) {
      await cancelJobs(boss, late);
      log.warn(`${late.length} source(s) were not collected before the deadline`);
    }
    return {
      sources: outcomes,
      itemsNew: outcomes.reduce((sum, o) => sum + o.itemsNew, 0),
      itemsSeen: outcomes.reduce((sum, o) => sum + o.itemsSeen, 0),
      elapsedMs: performance.now() - started,
    };
  } finally {
    await boss.stop({ graceful: false, close: true });
  }
}

function collectContext(context: RunContext, runId: string) {
  return {
    fetch: () => Promise.reject(new Error('a disabled source is not fetched')),
    store: context.store,
    now: context.now,
    log: context.log,
    runId,
    schedule: checkSchedule(context.config),
    budgetMs: context.config.http.sourceBudgetMs,
  };
}

function notFetched(source: SourceConfig, kind: FetchErrorKind, error: string): SourceOutcome {
  return {
    id: source.id,
    name: source.name,
    kind: source.kind,
    status: 'failed',
    errorKind: kind,
    error,
    itemsFound: 0,
    itemsNew: 0,
    itemsSeen: 0,
    elapsedMs: 0,
  };
}

/**
 * How each job stands, by its singleton key: pending (created, retry, active), completed, or failed
 * (failed after its last retry, or cancelled). pg-boss's own tables, read in one query.
 */
async function jobStates(boss: PgBoss, keys: readonly string[]): Promise<Map<string, JobState>> {
  const states = new Map<string, JobState>();
  if (keys.length === 0) return states;
  const { rows } = await boss
    .getDb()
    .executeSql(
      `SELECT singleton_key AS key, state::text AS state FROM pgboss.job WHERE name = $1 AND singleton_key = ANY($2::text[])`,
      [COLLECT_QUEUE, keys],
    );
  for (const row of rows as { key: string; state: string }[]) {
    const state: JobState =
      row.state === 'completed'
        ? 'completed'
        : row.state === 'failed' || row.state === 'cancelled'
          ? 'failed'
          : 'pending';
    const before = states.get(row.key);
    // A pending job of the key wins (a resumed run re-queued it); then a completed one.
    if (before === 'pending' || (before === 'completed' && state === 'failed')) continue;
    states.set(row.key, state);
  }
  return states;
}

async function cancelJobs(boss: PgBoss, keys: readonly string[]): Promise<void> {
  const { rows } = await boss
    .getDb()
    .executeSql(
      `SELECT id FROM pgboss.job WHERE name = $1 AND singleton_key = ANY($2::text[]) AND state < 'completed'`,
      [COLLECT_QUEUE, keys],
    );
  const ids = (rows as { id: string }[]).map((row) => row.id);
  if (ids.length > 0) await boss.cancel(COLLECT_QUEUE, ids);
}

// ── the worker ──────────────────────────────────────────────────────────────

export interface WorkerOptions {
  /** Sources collected at once (default: workers.concurrency). */
  concurrency?: number;
  /** Aborted: stop taking jobs, finish the current ones, and return. */
  signal: AbortSignal;
  /** Called after each job (tests, progress). */
  onJob?: (outcome: SourceOutcome, job: CollectJob) => void;
}

export interface WorkerSummary {
  jobs: number;
  ok: number;
  failed: number;
  deadLettered: number;
}

/** A Map that remembers which entries were set since the last `takeDirty`. */
class DirtyMap extends Map<string, Validators> {
  private readonly dirty = new Set<string>();
  override set(key: string, value: Validators): this {
    this.dirty?.add(key);
    return super.set(key, value);
  }
  takeDirty(): Map<string, Validators> {
    const taken = new Map<string, Validators>();
    for (const key of this.dirty) {
      const value = this.get(key);
      if (value) taken.set(key, value);
    }
    this.dirty.clear();
    return taken;
  }
}

/** `ai-daily worker`: collects the queue's sources until `signal` aborts. */
export async function runWorker(context: RunContext, options: WorkerOptions): Promise<WorkerSummary> {
  const { config, store, log } = context;
  const url = queueUrl(config, 'ai-daily worker');
  const concurrency = options.concurrency ?? config.workers.concurrency;
  const summary: WorkerSummary = { jobs: 0, ok: 0, failed: 0, deadLettered: 0 };
  if (options.signal.aborted) return summary;

  const validators = new DirtyMap(await store.loadValidators());
  const slots = createHostSlots(url, {
    slots: config.http.perHostConcurrency,
    connections: concurrency * config.http.perHostConcurrency + 1,
  });
  const fetcher = createSourceFetcher(config, context.transport, validators, slots.gate);
  const sources = new Map(config.sources.map((source) => [source.id, source]));
  const boss = await openQueue(config, log, concurrency + 3);
  const work = { batchSize: 1, includeMetadata: true, pollingIntervalSeconds: config.workers.pollSeconds } as const;
  /** Jobs whose handler is running (a stop waits for them before closing the queue's connections). */
  let running = 0;

  try {
    const handle = async ([job]: PgBoss.JobWithMetadata<CollectJob>[]) => {
      if (!job) return;
      running++;
      try {
        return await collectJob(job);
      } finally {
        running--;
      }
    };
    const collectJob = async (job: PgBoss.JobWithMetadata<CollectJob>) => {
      const source = sources.get(job.data.sourceId);
      if (!source) throw new Error(`source ${job.data.sourceId} is not in this worker's config`);
      // The run that queued the job stored the source's row (\`enqueueAndWait\`).
      const now = new Date(job.data.now);
      const outcome = await collectSource(source, {
        fetch: fetcher.fetch,
        store,
        now,
        log,
        runId: job.data.runId,
        schedule: checkSchedule(config),
        budgetMs: config.http.sourceBudgetMs,
      });
      const touched = validators.takeDirty();
      if (touched.size > 0) await store.saveValidators(touched, now);
      summary.jobs++;
      options.onJob?.(outcome, job.data);
      if (outcome.status === 'failed') {
        summary.failed++;
        const last = job.retryCount >= job.retryLimit;
        log.warn(
          `${source.id}: failed (${outcome.errorKind}), try ${job.retryCount + 1} of ${job.retryLimit + 1}${last ? ', dead-lettered' : ', retried later'}`,
        );
        // A failed job is retried by pg-boss (backoff), then dead-lettered.
        throw new Error(`${outcome.errorKind}: ${outcome.error ?? 'failed'}`);
      }
      summary.ok++;
      return { status: outcome.status, itemsFound: outcome.itemsFound, itemsNew: outcome.itemsNew };
    };
    for (let i = 0; i < concurrency; i++) {
      let id = '';
      // After a job, its poller asks again at once (pg-boss would wait out the polling interval).
      id = await boss.work<CollectJob>(COLLECT_QUEUE, work, async (jobs) => {
        try {
          return await handle(jobs);
        } finally {
          if (id !== '') boss.notifyWorker(id);
        }
      });
    }
    await boss.work<CollectJob>(
      DEAD_LETTER_QUEUE,
      { batchSize: 1, pollingIntervalSeconds: config.workers.pollSeconds },
      async ([job]) => {
        if (!job) return;
        await store.markDeadLettered(job.data.sourceId, new Date(job.data.now));
        summary.deadLettered++;
        log.warn(`${job.data.sourceId}: dead-lettered after its last retry (ai-daily sources list shows why)`);
      },
    );
    log.info(`worker: taking jobs, ${concurrency} source(s) at a time; stop with Ctrl-C (SIGINT) or SIGTERM`);
    if (!options.signal.aborted) {
      await new Promise<void>((resolve) => options.signal.addEventListener('abort', () => resolve(), { once: true }));
    }
    log.info('worker: stopping; finishing the current job(s)');
    // No new job is taken; the ones running end (a source's budget bounds them), and pg-boss's
    // completion of each (which it does not await) reaches the database before it is closed.
    await boss.offWork(COLLECT_QUEUE);
    await boss.offWork(DEAD_LETTER_QUEUE);
    const until = performance.now() + config.http.sourceBudgetMs + 5_000;
    while (running > 0 && performance.now() < until) await sleep(50);
    await sleep(250);
  } finally {
    // Stop taking jobs; a job still running after a source's budget is failed back to the queue.
    await boss.stop({ graceful: true, wait: true, close: true, timeout: config.http.sourceBudgetMs + 5_000 });
    await slots.close();
  }
  log.info(
    `worker: stopped after ${summary.jobs} job(s): ${summary.ok} ok, ${summary.failed} failed, ${summary.deadLettered} dead-lettered`,
  );
  return summary;
}
