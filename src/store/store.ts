import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type SQLite from 'better-sqlite3';
import type { Kysely, Transaction } from 'kysely';
import type { DeliveryLedger, DeliveryRecord, DeliveryStatus } from '../core/delivery.js';
import { redact } from '../core/redact.js';
import type { LlmCallRecord, SourceOutcome } from '../core/run.js';
import type { Engagement, ExternalIds, Item, Language, SourceConfig, Story } from '../core/types.js';
import type { Database, DeliveriesTable, ItemsTable } from './schema.js';
import type { OpenOptions, StoreBackend, StoreDriver, StoreLocation } from './spec.js';
import { BUSY_TIMEOUT_MS, SqliteBackend } from './sqlite.js';

export type { OpenOptions, StoreDriver, StoreLocation };
export { BUSY_TIMEOUT_MS };

/** HTTP validators kept per URL for conditional GET. */
export interface Validators {
  etag?: string;
  lastModified?: string;
}

/** A story as it was published on an earlier day (cross-day memory). */
export interface PublishedStory {
  storyId: string;
  reportDate: string;
  itemIds: string[];
  keys: string[];
  sourceIds: string[];
}

/** An article page's main text, as extracted once and cached. */
export interface StoredArticle {
  url: string;
  /** ok: `text` holds the text; empty: the page had no readable text (nothing to retry). */
  status: 'ok' | 'empty';
  text: string;
  fetchedAt: string;
}

export interface SavedStage {
  stage: string;
  output: unknown;
}

/** What `beginRun` found: a fresh run, or an unfinished one to resume with its finished stages. */
export interface RunHandle {
  id: string;
  resumed: boolean;
  stages: Map<string, unknown>;
}

/**
 * The query layer, one for both databases. Callers see domain types only; SQL stays here, written
 * once with kysely against `db`; what differs between SQLite and PostgreSQL (opening, the bulk
 * write of items, full-text search, error mapping) is the backend's (src/store/spec.ts).
 */
export type { LlmCallRecord };

export class Store implements DeliveryLedger {
  /**
   * The kysely handle, typed by src/store/schema.ts, on either database: read-only query modules
   * (src/store/queries/) write their queries with it and nothing dialect-specific.
   */
  readonly db: Kysely<Database>;
  /** The store's name in every StoreError: the SQLite file (absolute, or `:memory:`), or the database URL without its password. */
  readonly file: string;
  /** `sqlite` or `postgres`. */
  readonly driver: StoreDriver;
  private readonly backend: StoreBackend;

  private constructor(backend: StoreBackend) {
    this.backend = backend;
    this.db = backend.db;
    this.file = backend.name;
    this.driver = backend.driver;
  }

  /**
   * Opens (creating when needed) a SQLite store file and brings its schema up to date; see
   * src/store/sqlite.ts for what it checks before writing anything.
   */
  static async open(file: string, options: OpenOptions = {}): Promise<Store> {
    return new Store(await SqliteBackend.open(file, options));
  }

  /**
   * Opens the store the config names: a SQLite file (`{ driver: 'sqlite', path }`, a relative
   * path resolved against `cwd`) or a PostgreSQL database (`{ driver: 'postgres', url }`).
   */
  static async connect(location: StoreLocation, options: OpenOptions & { cwd?: string } = {}): Promise<Store> {
    if (location.driver === 'sqlite') {
      const { cwd, ...sqlite } = options;
      return Store.open(storeFile(location, cwd), sqlite);
    }
    // Loaded only for a PostgreSQL store: a SQLite user never loads `pg`.
    const { PostgresBackend } = await import('./postgres.js');
    return new Store(await PostgresBackend.open(location.url));
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }

  // ── sources and the fetch log ────────────────────────────────────────────

  async upsertSources(sources: SourceConfig[], now: Date): Promise<void> {
    const at = now.toISOString();
    for (const s of sources) {
      // A key in the URL (`${VAR}`) or its userinfo is never stored.
      const url = redact(s.url);
      await this.db
        .insertInto('sources')
        .values({ id: s.id, name: s.name, kind: s.kind, url, error_count: 0, updated_at: at })
        .onConflict((oc) => oc.column('id').doUpdateSet({ name: s.name, kind: s.kind, url, updated_at: at }))
        .execute();
    }
  }

  /**
   * Writes one source's outcome to the fetch log and its health counters. With a `schedule`, also
   * when the source is next due (`next_check_at`, miniflux-style): a success (ok or not modified)
   * `intervalMs` after `startedAt`; the k-th failure in a row `intervalMs × 2^k` after it, at most
   * `maxIntervalMs`. A success clears `dead_lettered_at`.
   */
  async recordOutcome(
    runId: string | null,
    outcome: SourceOutcome,
    startedAt: Date,
    schedule?: CheckSchedule,
  ): Promise<void> {
    const at = startedAt.toISOString();
    await this.db
      .insertInto('fetch_log')
      .values({
        run_id: runId,
        source_id: outcome.id,
        started_at: at,
        elapsed_ms: Math.round(outcome.elapsedMs),
        status: outcome.status,
        error_kind: outcome.errorKind ?? null,
        error_message: outcome.error === undefined ? null : redact(outcome.error),
        items_found: outcome.itemsFound,
        items_new: outcome.itemsNew,
      })
      .execute();
    if (outcome.status === 'failed') {
      const updated = await this.db
        .updateTable('sources')
        .set((eb) => ({
          error_count: eb('error_count', '+', 1),
          last_error_at: at,
          last_error_kind: outcome.errorKind ?? null,
        }))
        .where('id', '=', outcome.id)
        .returning('error_count')
        .executeTakeFirst();
      if (schedule && updated) {
        await this.db
          .updateTable('sources')
          .set({ next_check_at: nextCheckAt(startedAt, schedule, updated.error_count) })
          .where('id', '=', outcome.id)
          .execute();
      }
    } else if (outcome.status !== 'disabled') {
      await this.db
        .updateTable('sources')
        .set({
          error_count: 0,
          last_ok_at: at,
          dead_lettered_at: null,
          ...(schedule ? { next_check_at: nextCheckAt(startedAt, schedule, 0) } : {}),
        })
        .where('id', '=', outcome.id)
        .execute();
    }
  }

  /** Records that a source's collection job was dead-lettered (it kept failing). */
  async markDeadLettered(sourceId: string, at: Date): Promise<void> {
    await this.db
      .updateTable('sources')
      .set({ dead_lettered_at: at.toISOString() })
      .where('id', '=', sourceId)
      .execute();
  }

  /** Of these source ids, those due at `now`: never checked, or `next_check_at` reached (given order kept). */
  async dueSourceIds(sourceIds: readonly string[], now: Date): Promise<string[]> {
    if (sourceIds.length === 0) return [];
    const notDue = new Set<string>();
    for (let i = 0; i < sourceIds.length; i += 500) {
      const rows = await this.db
        .selectFrom('sources')
        .select('id')
        .where('id', 'in', sourceIds.slice(i, i + 500))
        .where('next_check_at', '>', now.toISOString())
        .execute();
      for (const row of rows) notDue.add(row.id);
    }
    return sourceIds.filter((id) => !notDue.has(id));
  }

  /** The latest fetch-log rows, newest first (for `sources list` and health views). */
  async sourceHealth(): Promise<
    {
      id: string;
      name: string;
      kind: string;
      url: string;
      errorCount: number;
      lastOkAt?: string;
      lastErrorKind?: string;
      nextCheckAt?: string;
      deadLetteredAt?: string;
    }[]
  > {
    const rows = await this.db.selectFrom('sources').selectAll().orderBy('id').execute();
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      kind: r.kind,
      url: r.url,
      errorCount: r.error_count,
      lastOkAt: r.last_ok_at ?? undefined,
      lastErrorKind: r.last_error_kind ?? undefined,
      nextCheckAt: r.next_check_at ?? undefined,
      deadLetteredAt: r.dead_lettered_at ?? undefined,
    }));
  }

  /** When each source was fetched successfully (ok or not modified), oldest first. */
  async successfulFetchTimes(sourceIds?: string[]): Promise<Map<string, string[]>> {
    let query = this.db
      .selectFrom('fetch_log')
      .select(['source_id', 'started_at'])
      .where('status', 'in', ['ok', 'not-modified'])
      .orderBy('started_at');
    if (sourceIds) {
      if (sourceIds.length === 0) return new Map();
      query = query.where('source_id', 'in', sourceIds);
    }
    const times = new Map<string, string[]>();
    for (const row of await query.execute()) {
      const list = times.get(row.source_id) ?? [];
      list.push(row.started_at);
      times.set(row.source_id, list);
    }
    return times;
  }

  /** Stored article texts of these URLs (fetched once, reused by later runs). */
  async articleTexts(urls: string[]): Promise<Map<string, StoredArticle>> {
    if (urls.length === 0) return new Map();
    const rows = await this.db.selectFrom('article_texts').selectAll().where('url', 'in', urls).execute();
    return new Map(
      rows.map((row) => [
        row.url,
        { url: row.url, status: row.status as StoredArticle['status'], text: row.text, fetchedAt: row.fetched_at },
      ]),
    );
  }

  /** Stores what fetching an article gave: its text, or that it gave none (so it is not asked again). */
  async saveArticleText(article: StoredArticle): Promise<void> {
    await this.db
      .insertInto('article_texts')
      .values({ url: article.url, status: article.status, text: article.text, fetched_at: article.fetchedAt })
      .onConflict((oc) =>
        oc.column('url').doUpdateSet({ status: article.status, text: article.text, fetched_at: article.fetchedAt }),
      )
      .execute();
  }

  /** Each source's latest fetch-log entry at or before `at` (for a report written from the store). */
  async latestOutcomes(at: string): Promise<SourceOutcome[]> {
    return this.latestOutcomesBy({ at });
  }

  /** Each source's latest fetch-log entry written for this run (its last attempt). */
  async runOutcomes(runId: string): Promise<SourceOutcome[]> {
    return this.latestOutcomesBy({ runId });
  }

  private async latestOutcomesBy(by: { at: string } | { runId: string }): Promise<SourceOutcome[]> {
    const query = this.db
      .selectFrom('fetch_log')
      .innerJoin('sources', 'sources.id', 'fetch_log.source_id')
      .select([
        'fetch_log.source_id as id',
        'sources.name as name',
        'sources.kind as kind',
        'fetch_log.status as status',
        'fetch_log.error_kind as errorKind',
        'fetch_log.error_message as error',
        'fetch_log.items_found as itemsFound',
        'fetch_log.items_new as itemsNew',
        'fetch_log.elapsed_ms as elapsedMs',
        'fetch_log.started_at as startedAt',
      ]);
    const rows = await ('at' in by
      ? query.where('fetch_log.started_at', '<=', by.at)
      : query.where('fetch_log.run_id', '=', by.runId)
    )
      .orderBy('fetch_log.started_at', 'desc')
      .orderBy('fetch_log.id', 'desc')
      .execute();
    const latest = new Map<string, SourceOutcome>();
    for (const r of rows) {
      if (latest.has(r.id)) continue;
      latest.set(r.id, {
        id: r.id,
        name: r.name,
        kind: r.kind as SourceOutcome['kind'],
        status: r.status as SourceOutcome['status'],
        ...(r.errorKind ? { errorKind: r.errorKind as SourceOutcome['errorKind'] } : {}),
        ...(r.error ? { error: r.error } : {}),
        itemsFound: r.itemsFound,
        itemsNew: r.itemsNew,
        itemsSeen: r.itemsFound - r.itemsNew,
        elapsedMs: r.elapsedMs,
      });
    }
    return [...latest.values()];
  }

  async loadValidators(): Promise<Map<string, Validators>> {
    const rows = await this.db.selectFrom('http_validators').selectAll().execute();
    return new Map(
      rows.map((r) => [r.url, { etag: r.etag ?? undefined, lastModified: r.last_modified ?? undefined }] as const),
    );
  }

  async saveValidators(validators: Map<string, Validators>, now: Date): Promise<void> {
    const at = now.toISOString();
    for (const [url, v] of validators) {
      const values = { etag: v.etag ?? null, last_modified: v.lastModified ?? null, updated_at: at };
      await this.db
        .insertInto('http_validators')
        .values({ url, ...values })
        .onConflict((oc) => oc.column('url').doUpdateSet(values))
        .execute();
    }
  }

  // ── items ────────────────────────────────────────────────────────────────

  /**
   * Stores items; an item already stored (same source and identity) is not added again, only its
   * engagement counters are refreshed. Returns how many were new and how many already known.
   */
  async saveItems(items: Item[]): Promise<{ added: number; seen: number }> {
    if (items.length === 0) return { added: 0, seen: 0 };
    const unique = [...new Map(items.map((item) => [item.id, item])).values()];
    return this.backend.saveItems(unique.map(itemToRow));
  }

  /** Items of the given sources published in [start, end) (ISO instants). */
  async itemsPublishedBetween(start: string, end: string, sourceIds?: string[]): Promise<Item[]> {
    let query = this.db
      .selectFrom('items')
      .selectAll()
      .where('published_at', '>=', start)
      .where('published_at', '<', end);
    if (sourceIds) {
      if (sourceIds.length === 0) return [];
      query = query.where('source_id', 'in', sourceIds);
    }
    const rows = await query.orderBy('published_at').orderBy('id').execute();
    return rows.map(rowToItem);
  }

  /** The newest items of one source, newest first. */
  async latestItems(sourceId: string, limit: number): Promise<Item[]> {
    const rows = await this.db
      .selectFrom('items')
      .selectAll()
      .where('source_id', '=', sourceId)
      .orderBy('published_at', 'desc')
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map(rowToItem);
  }

  async itemsByIds(ids: string[]): Promise<Item[]> {
    const items: Item[] = [];
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await this.db
        .selectFrom('items')
        .selectAll()
        .where('id', 'in', ids.slice(i, i + 500))
        .execute();
      items.push(...rows.map(rowToItem));
    }
    return items;
  }

  async countItems(sourceIds?: string[]): Promise<number> {
    let query = this.db.selectFrom('items').select((eb) => eb.fn.countAll<number>().as('n'));
    if (sourceIds) {
      if (sourceIds.length === 0) return 0;
      query = query.where('source_id', 'in', sourceIds);
    }
    const row = await query.executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /**
   * Full-text search over item titles and texts: items holding the text (or, given a list, every
   * one of its terms) as a substring, case-insensitive, CJK included; newest first, at most `limit`.
   * The same answer on SQLite (FTS5 trigram) and PostgreSQL (pg_trgm).
   */
  async searchItems(text: string | readonly string[], limit = 20): Promise<Item[]> {
    const terms = (typeof text === 'string' ? [text] : text).filter((term) => term.trim() !== '');
    if (terms.length === 0) return [];
    return (await this.backend.searchItems(terms, limit)).map(rowToItem);
  }

  // ── reports and cross-day memory ─────────────────────────────────────────

  /** Saves a published report and its stories, replacing an earlier save of the same date. */
  async saveReport(report: {
    date: string;
    language: string;
    mode: string;
    generatedAt: string;
    markdownPath: string;
    jsonPath: string;
    manifest: unknown;
    stories: Story[];
  }): Promise<void> {
    await this.transaction(async (trx) => {
      await trx.deleteFrom('reports').where('date', '=', report.date).where('language', '=', report.language).execute();
      await trx
        .insertInto('reports')
        .values({
          date: report.date,
          language: report.language,
          mode: report.mode,
          generated_at: report.generatedAt,
          markdown_path: report.markdownPath,
          json_path: report.jsonPath,
          manifest_json: JSON.stringify(report.manifest),
        })
        .execute();
      await trx.deleteFrom('report_stories').where('report_date', '=', report.date).execute();
      let position = 0;
      for (const story of report.stories) {
        await trx
          .insertInto('report_stories')
          .values({
            report_date: report.date,
            story_id: story.id,
            position: position++,
            section: story.section,
            title: story.title,
            score_json: JSON.stringify(story.score),
            item_ids_json: JSON.stringify(story.itemIds),
            keys_json: JSON.stringify(story.keys),
            source_ids_json: JSON.stringify(story.sourceIds),
            update_of_json: story.updateOf ? JSON.stringify(story.updateOf) : null,
          })
          .onConflict((oc) => oc.doNothing())
          .execute();
      }
    });
  }

  /** Stories published on the `days` report dates before `date` (newest first). */
  async publishedStoriesBefore(date: string, days = 14): Promise<PublishedStory[]> {
    const since = shiftDate(date, -days);
    const rows = await this.db
      .selectFrom('report_stories')
      .selectAll()
      .where('report_date', '<', date)
      .where('report_date', '>=', since)
      .orderBy('report_date', 'desc')
      .orderBy('position')
      .execute();
    return rows.map((r) => ({
      storyId: r.story_id,
      reportDate: r.report_date,
      itemIds: JSON.parse(r.item_ids_json) as string[],
      keys: JSON.parse(r.keys_json) as string[],
      sourceIds: JSON.parse(r.source_ids_json) as string[],
    }));
  }

  async listReports(): Promise<{ date: string; language: string; mode: string; markdownPath: string }[]> {
    const rows = await this.db.selectFrom('reports').selectAll().orderBy('date', 'desc').execute();
    return rows.map((r) => ({ date: r.date, language: r.language, mode: r.mode, markdownPath: r.markdown_path }));
  }

  // ── runs and stage checkpoints ───────────────────────────────────────────

  /**
   * Starts a run for `runKey`, or resumes the latest unfinished one (crashed or failed) with the
   * stages it had finished. A finished run is never resumed: the same key starts afresh.
   */
  async beginRun(runKey: string, reportDate: string, now: Date): Promise<RunHandle> {
    const last = await this.db
      .selectFrom('runs')
      .selectAll()
      .where('run_key', '=', runKey)
      .orderBy('started_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (last && last.status !== 'done') {
      const stageRows = await this.db.selectFrom('run_stages').selectAll().where('run_id', '=', last.id).execute();
      await this.db.updateTable('runs').set({ status: 'running', error: null }).where('id', '=', last.id).execute();
      return {
        id: last.id,
        resumed: true,
        stages: new Map(stageRows.map((s) => [s.stage, JSON.parse(s.output_json) as unknown] as const)),
      };
    }
    const id = randomUUID();
    await this.db
      .insertInto('runs')
      .values({
        id,
        run_key: runKey,
        report_date: reportDate,
        started_at: now.toISOString(),
        finished_at: null,
        status: 'running',
        error: null,
      })
      .execute();
    return { id, resumed: false, stages: new Map() };
  }

  async saveStage(runId: string, stage: string, output: unknown, now: Date): Promise<void> {
    const values = { finished_at: now.toISOString(), output_json: JSON.stringify(output) };
    await this.db
      .insertInto('run_stages')
      .values({ run_id: runId, stage, ...values })
      .onConflict((oc) => oc.columns(['run_id', 'stage']).doUpdateSet(values))
      .execute();
  }

  async finishRun(runId: string, status: 'done' | 'failed', now: Date, error?: string): Promise<void> {
    await this.db
      .updateTable('runs')
      .set({ status, finished_at: now.toISOString(), error: error ?? null })
      .where('id', '=', runId)
      .execute();
  }

  async listRuns(limit = 20): Promise<{ id: string; reportDate: string; startedAt: string; status: string }[]> {
    const rows = await this.db.selectFrom('runs').selectAll().orderBy('started_at', 'desc').limit(limit).execute();
    return rows.map((r) => ({ id: r.id, reportDate: r.report_date, startedAt: r.started_at, status: r.status }));
  }

  /** The answer of the latest good LLM call with this cache key, if any. */
  async findLlmAnswer(
    cacheKey: string,
  ): Promise<{ answer: string; inputTokens: number; outputTokens: number } | undefined> {
    const row = await this.db
      .selectFrom('llm_calls')
      .select(['answer', 'input_tokens', 'output_tokens'])
      .where('cache_key', '=', cacheKey)
      .where('outcome', 'in', ['ok', 'repaired'])
      .where('cache_hit', '=', 0)
      .where('answer', 'is not', null)
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (!row || row.answer === null) return undefined;
    return { answer: row.answer, inputTokens: row.input_tokens, outputTokens: row.output_tokens };
  }

  /** Records one LLM call or cache hit. */
  async recordLlmCall(call: LlmCallRecord): Promise<void> {
    await this.db
      .insertInto('llm_calls')
      .values({
        run_id: call.runId ?? null,
        cache_key: call.cacheKey,
        part: call.part,
        provider: call.provider,
        model: call.model,
        prompt_version: call.promptVersion,
        started_at: call.startedAt,
        latency_ms: Math.round(call.latencyMs),
        input_tokens: call.inputTokens,
        output_tokens: call.outputTokens,
        cost: call.cost,
        cache_hit: call.cacheHit ? 1 : 0,
        outcome: call.outcome,
        error: call.error ?? null,
        answer: call.answer ?? null,
      })
      .execute();
  }

  /** LLM calls, oldest first (all, or those made after `since`, an ISO time). */
  async llmCalls(since?: string): Promise<LlmCallRecord[]> {
    let query = this.db.selectFrom('llm_calls').selectAll().orderBy('id', 'asc');
    if (since !== undefined) query = query.where('started_at', '>=', since);
    const rows = await query.execute();
    return rows.map((r) => ({
      ...(r.run_id === null ? {} : { runId: r.run_id }),
      cacheKey: r.cache_key,
      part: r.part,
      provider: r.provider,
      model: r.model,
      promptVersion: r.prompt_version,
      startedAt: r.started_at,
      latencyMs: r.latency_ms,
      inputTokens: r.input_tokens,
      outputTokens: r.output_tokens,
      cost: r.cost,
      cacheHit: r.cache_hit === 1,
      outcome: r.outcome as LlmCallRecord['outcome'],
      ...(r.error === null ? {} : { error: r.error }),
      ...(r.answer === null ? {} : { answer: r.answer }),
    }));
  }

  // ── the delivery ledger ──────────────────────────────────────────────────

  /** The ledger row of one channel for one report (date and language), if any. */
  async delivery(date: string, language: 'zh' | 'en', channel: string): Promise<DeliveryRecord | undefined> {
    const row = await this.db
      .selectFrom('deliveries')
      .selectAll()
      .where('date', '=', date)
      .where('language', '=', language)
      .where('channel', '=', channel)
      .executeTakeFirst();
    return row ? rowToDelivery(row) : undefined;
  }

  /** Writes a channel's ledger row, replacing the earlier one; the detail is redacted. */
  async recordDelivery(record: DeliveryRecord): Promise<void> {
    const values = {
      kind: record.kind,
      status: record.status,
      attempts: record.attempts,
      updated_at: record.updatedAt,
      message_id: record.messageId ?? null,
      detail: record.detail === undefined ? null : redact(record.detail),
    };
    try {
      await this.db
        .insertInto('deliveries')
        .values({ date: record.date, language: record.language, channel: record.channel, ...values })
        .onConflict((oc) => oc.columns(['date', 'language', 'channel']).doUpdateSet(values))
        .execute();
    } catch (error) {
      throw this.backend.toStoreError(error);
    }
  }

  /** The deliveries of one report date (both languages, or one), by language then channel. */
  async deliveries(date: string, language?: 'zh' | 'en'): Promise<DeliveryRecord[]> {
    let query = this.db.selectFrom('deliveries').selectAll().where('date', '=', date);
    if (language !== undefined) query = query.where('language', '=', language);
    const rows = await query.orderBy('language').orderBy('channel').execute();
    return rows.map(rowToDelivery);
  }

  /**
   * A kysely transaction whose failure surfaces as its real cause (a StoreError), not as the
   * "cannot rollback - no transaction is active" that SQLite gives when it already rolled back.
   */
  private async transaction<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    let failure: unknown;
    try {
      return await this.db.transaction().execute(async (trx) => {
        try {
          return await work(trx);
        } catch (error) {
          failure = error;
          throw error;
        }
      });
    } catch (error) {
      throw this.backend.toStoreError(failure ?? error);
    }
  }

  /** For SQLite-only tests and tools: the better-sqlite3 handle. A PostgreSQL store has none. */
  get raw(): SQLite.Database {
    if (this.backend instanceof SqliteBackend) return this.backend.raw;
    throw new Error(`store.raw is SQLite's handle; the store ${this.file} is PostgreSQL (use store.db)`);
  }
}

function itemToRow(item: Item): ItemsTable {
  return {
    id: item.id,
    source_id: item.sourceId,
    identity: item.identity,
    guid: item.guid ?? null,
    url: item.url,
    canonical_url: item.canonicalUrl,
    title: item.title,
    text: item.text,
    language: item.language,
    published_at: item.publishedAt,
    published_offset: item.publishedOffset ?? null,
    date_flag: item.dateFlag ?? null,
    fetched_at: item.fetchedAt,
    authors_json: JSON.stringify(item.authors),
    engagement_json: JSON.stringify(item.engagement),
    tags_json: JSON.stringify(item.tags),
    external_ids_json: JSON.stringify(item.externalIds),
    discussion_url: item.discussionUrl ?? null,
  };
}

function rowToDelivery(row: DeliveriesTable): DeliveryRecord {
  return {
    date: row.date,
    language: row.language as DeliveryRecord['language'],
    channel: row.channel,
    kind: row.kind,
    status: row.status as DeliveryStatus,
    attempts: row.attempts,
    updatedAt: row.updated_at,
    ...(row.message_id === null ? {} : { messageId: row.message_id }),
    ...(row.detail === null ? {} : { detail: row.detail }),
  };
}

function rowToItem(row: ItemsTable): Item {
  const item: Item = {
    id: row.id,
    sourceId: row.source_id,
    identity: row.identity,
    url: row.url,
    canonicalUrl: row.canonical_url,
    title: row.title,
    text: row.text,
    language: row.language as Language,
    publishedAt: row.published_at,
    fetchedAt: row.fetched_at,
    authors: JSON.parse(row.authors_json) as string[],
    engagement: JSON.parse(row.engagement_json) as Engagement,
    tags: JSON.parse(row.tags_json) as string[],
    externalIds: JSON.parse(row.external_ids_json) as ExternalIds,
  };
  if (row.guid !== null) item.guid = row.guid;
  if (row.published_offset !== null) item.publishedOffset = row.published_offset;
  if (row.date_flag !== null) item.dateFlag = row.date_flag as Item['dateFlag'];
  if (row.discussion_url !== null) item.discussionUrl = row.discussion_url;
  return item;
}

/** How often a source is checked (src/store/store.ts#recordOutcome). */
export interface CheckSchedule {
  intervalMs: number;
  maxIntervalMs: number;
}

/** When a source is next due: `interval` after a success, `interval × 2^failures` (capped) after failures. */
export function nextCheckAt(at: Date, schedule: CheckSchedule, failures: number): string {
  const wait = Math.min(schedule.intervalMs * 2 ** Math.min(failures, 30), schedule.maxIntervalMs);
  return new Date(at.getTime() + Math.max(wait, 0)).toISOString();
}

/** A SQLite location's file, absolute (`:memory:` as it is). */
export function storeFile(location: { path: string }, cwd = process.cwd()): string {
  return location.path === ':memory:' ? location.path : path.resolve(cwd, location.path);
}

/** YYYY-MM-DD plus `days` (calendar arithmetic in UTC, which is exact for plain dates). */
export function shiftDate(date: string, days: number): string {
  const t = Date.parse(`${date}T00:00:00Z`) + days * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}
