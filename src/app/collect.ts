import pLimit from 'p-limit';
import type { Config } from '../config/load.js';
import { errorMessage, FetchError, type FetchErrorKind, StoreError } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import { redact } from '../core/redact.js';
import type { SourceOutcome } from '../core/run.js';
import type { Item, RawItem, SourceConfig } from '../core/types.js';
import { createFetcher, type Fetcher, type HostGate } from '../http/fetcher.js';
import type { Transport } from '../http/types.js';
import { normalizeItem, reusedGuids } from '../pipeline/normalize.js';
import { getConnector } from '../sources/registry.js';
import type { CheckSchedule, Store, Validators } from '../store/store.js';

export interface CollectOptions {
  config: Config;
  store: Store;
  transport: Transport;
  /** The run's clock: fetch time of every item (the recorded day's `now` in replay). */
  now: Date;
  runId?: string;
  log: Logger;
  /** Only these source ids (all enabled sources when absent). */
  only?: string[];
  /** Called as each source finishes (progress display). */
  onSource?: (outcome: SourceOutcome, done: number, total: number) => void;
}

export interface CollectSummary {
  sources: SourceOutcome[];
  itemsNew: number;
  itemsSeen: number;
  elapsedMs: number;
}

/**
 * Collects every enabled source through the one fetcher into the store. One broken source never
 * stops the others: its failure is classified, logged and returned in its outcome.
 */
export async function collectSources(options: CollectOptions): Promise<CollectSummary> {
  const { config, store, log, now } = options;
  const started = performance.now();
  const selected = config.sources.filter((s) => (options.only ? options.only.includes(s.id) : true));
  await store.upsertSources(selected, now);

  const validators = await store.loadValidators();
  const fetcher = createSourceFetcher(config, options.transport, validators);

  const limit = pLimit(config.http.concurrency);
  const deadline = started + config.http.totalBudgetMs;
  let done = 0;
  // Queued in turns across hosts, so that sources on a busy host never hold every slot while
  // another host is free; the outcomes keep the config's order.
  const slots = new Array<Promise<SourceOutcome>>(selected.length);
  for (const index of hostTurns(selected)) {
    const source = selected[index]!;
    slots[index] = limit(async () => {
      const outcome = await collectSource(source, {
        fetch: fetcher.fetch,
        store,
        now,
        log,
        runId: options.runId ?? null,
        schedule: checkSchedule(config),
        budgetMs: Math.min(config.http.sourceBudgetMs, deadline - performance.now()),
      });
      done++;
      options.onSource?.(outcome, done, selected.length);
      return outcome;
    });
  }
  const outcomes = await Promise.all(slots);
  await store.saveValidators(validators, now);
  return {
    sources: outcomes,
    itemsNew: outcomes.reduce((sum, o) => sum + o.itemsNew, 0),
    itemsSeen: outcomes.reduce((sum, o) => sum + o.itemsSeen, 0),
    elapsedMs: performance.now() - started,
  };
}

/** The host a source's first request goes to ('' when its URL does not parse). */
function sourceHost(source: SourceConfig): string {
  try {
    return new URL(source.url).host;
  } catch {
    return '';
  }
}

/**
 * Indexes of `sources` in the order they are started: the first source of every host (in config
 * order), then the second of every host, and so on.
 */
export function hostTurns(sources: readonly SourceConfig[]): number[] {
  const seen = new Map<string, number>();
  const turns = sources.map((source) => {
    const host = sourceHost(source);
    const turn = seen.get(host) ?? 0;
    seen.set(host, turn + 1);
    return turn;
  });
  return [...sources.keys()].sort((a, b) => turns[a]! - turns[b]! || a - b);
}

/** When sources are due again (config `workers`), for the store's `next_check_at`. */
export function checkSchedule(config: Config): CheckSchedule {
  return {
    intervalMs: config.workers.checkIntervalMinutes * 60_000,
    maxIntervalMs: Math.max(config.workers.checkIntervalMinutes, config.workers.maxCheckIntervalMinutes) * 60_000,
  };
}

/**
 * The one fetcher of a collect, configured by `http`: validators kept by redacted URL (a key in the
 * query never reaches the store); `hostGate` adds a per-host limit shared with other workers.
 */
export function createSourceFetcher(
  config: Config,
  transport: Transport,
  validators: Map<string, Validators>,
  hostGate?: HostGate,
): Fetcher {
  return createFetcher({
    transport,
    timeoutMs: config.http.timeoutMs,
    maxBytes: config.http.maxBytes,
    maxRedirects: config.http.maxRedirects,
    retries: config.http.retries,
    retryBaseMs: config.http.retryBaseMs,
    retryAfterCapMs: config.http.retryAfterCapMs,
    perHostConcurrency: config.http.perHostConcurrency,
    ...(hostGate ? { hostGate } : {}),
    userAgent: config.http.userAgent,
    validators: {
      get: (url) => validators.get(redact(url)),
      set: (url, value) => {
        validators.set(redact(url), value);
      },
    },
  });
}

export interface CollectSourceContext {
  fetch: Fetcher['fetch'];
  store: Store;
  /** The run's clock: every item's fetch time and the fetch log's. */
  now: Date;
  log: Logger;
  /** The source's whole fetch, retries included, must end within this. */
  budgetMs: number;
  runId: string | null;
  /** When the source is due again (`next_check_at`); absent: not changed. */
  schedule?: CheckSchedule;
}

/**
 * Collects one source into the store and writes its outcome to the fetch log: the one code path of
 * `collect`, `run` and the collection workers (src/app/workers.ts). A source's failure is its
 * outcome; a store failure is thrown.
 */
export async function collectSource(source: SourceConfig, context: CollectSourceContext): Promise<SourceOutcome> {
  const outcome = await collectOne(source, context);
  await context.store.recordOutcome(context.runId, outcome, context.now, context.schedule);
  return outcome;
}

async function collectOne(source: SourceConfig, context: CollectSourceContext): Promise<SourceOutcome> {
  const started = performance.now();
  const base = { id: source.id, name: source.name, kind: source.kind, itemsFound: 0, itemsNew: 0, itemsSeen: 0 };
  if (!source.enabled) return { ...base, status: 'disabled', elapsedMs: 0 };
  if (context.budgetMs <= 0) {
    return failed(
      base,
      new FetchError('budget', 'the total collect budget ran out before this source', { url: source.url }),
      0,
    );
  }
  const connector = getConnector(source.kind);
  const params = connector.paramsSchema.safeParse(source.params);
  if (!params.success) {
    const problem = params.error.issues.map((i) => `${i.path.join('.') || 'params'}: ${i.message}`).join('; ');
    return failed(base, new FetchError('parse', `invalid params: ${problem}`, { url: source.url }), 0);
  }
  let notModified = false;
  // When the source's budget is spent, its requests still in flight are cancelled too.
  const cancel = new AbortController();
  const fetchForSource: typeof context.fetch = async (url, fetchOptions) => {
    const document = await context.fetch(url, { ...fetchOptions, signal: cancel.signal });
    if (document.notModified) notModified = true;
    return document;
  };
  let timer: NodeJS.Timeout | undefined;
  try {
    const budget = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const spent = new FetchError(
          'budget',
          `no answer within the source budget of ${Math.round(context.budgetMs)} ms`,
          { url: source.url },
        );
        cancel.abort(spent);
        reject(spent);
      }, context.budgetMs);
    });
    let raw: RawItem[] | undefined = await Promise.race([
      connector.collect({
        source,
        params: params.data,
        fetch: fetchForSource,
        now: context.now,
        warn: (message) => context.log.warn(`${source.id}: ${message}`),
      }),
      budget,
    ]);
    const items: Item[] = [];
    let rejected = 0;
    const reused = reusedGuids(raw, source.url);
    for (const entry of raw) {
      try {
        items.push(normalizeItem(entry, { source, fetchedAt: context.now, reusedGuids: reused }));
      } catch (error) {
        rejected++;
        context.log.debug(`${source.id}: item skipped: ${errorMessage(error)}`);
      }
    }
    if (rejected > 0) context.log.warn(`${source.id}: ${rejected} item(s) could not be normalised and were skipped`);
    // The raw entries are done with: a large document's are not held while its items are saved.
    const found = raw.length;
    raw = undefined;
    const { added, seen } = await context.store.saveItems(items);
    const elapsedMs = performance.now() - started;
    context.log.info(`${source.id}: ${found} item(s), ${added} new, ${seen} already stored`);
    return {
      ...base,
      status: notModified && found === 0 ? 'not-modified' : 'ok',
      itemsFound: found,
      itemsNew: added,
      itemsSeen: seen,
      elapsedMs,
    };
  } catch (error) {
    // A store failure is not this source's: it stops the collect, with its real cause.
    if (error instanceof StoreError) throw error;
    const outcome = failed(base, error, performance.now() - started);
    context.log.warn(`${source.id}: failed (${outcome.errorKind}): ${outcome.error}`);
    return outcome;
  } finally {
    clearTimeout(timer);
  }
}

function failed(base: Omit<SourceOutcome, 'status' | 'elapsedMs'>, error: unknown, elapsedMs: number): SourceOutcome {
  if (error instanceof FetchError) {
    return { ...base, status: 'failed', errorKind: error.kind, error: safeReason(error.message), elapsedMs };
  }
  return { ...base, status: 'failed', errorKind: 'parse', error: safeReason(errorMessage(error)), elapsedMs };
}

/** One line, bounded, with no local paths: reasons end up in the published "about" section. */
function safeReason(message: string): string {
  const line = redact(message).split('\n')[0] ?? '';
  return line
    .replace(/file:\/\/\S*/g, '<path>')
    .replace(/(?<![\w:/.])\/(?:home|root|Users|tmp|work|var|etc|usr|opt|private|mnt|srv|farm)\/\S*/g, '<path>')
    .replace(/\b[A-Za-z]:\\\S*/g, '<path>')
    .slice(0, 200);
}

/** Failures that say the network itself may be down (not a blocked address, a bad feed, ...). */
const NETWORK_KINDS = new Set<FetchErrorKind>(['dns', 'connection', 'timeout', 'tls']);

/**
 * Why every source failed, in a few words: the "is the network reachable?" hint only after a live
 * fetch (never for a replay or the store) whose every failure is a network one; otherwise the kinds and their counts (e.g. "blocked: 2").
 */
export function failureHint(outcomes: readonly Pick<SourceOutcome, 'status' | 'errorKind'>[], live = true): string {
  const failed = outcomes.filter((s) => s.status === 'failed');
  const why = 'ai-daily sources list shows why each failed';
  if (live && failed.length > 0 && failed.every((s) => s.errorKind !== undefined && NETWORK_KINDS.has(s.errorKind))) {
    return `is the network reachable? (${why})`;
  }
  const counts = new Map<string, number>();
  for (const s of failed) counts.set(s.errorKind ?? 'unknown', (counts.get(s.errorKind ?? 'unknown') ?? 0) + 1);
  const kinds = [...counts].map(([kind, count]) => `${kind}: ${count}`).join(', ');
  return `${kinds}; ${why}`;
}
