import { randomBytes, randomUUID } from 'node:crypto';
import { closeSync, openSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import {
  Kysely,
  type MigrationLockOptions,
  Migrator,
  SqliteAdapter,
  SqliteDialect,
  sql,
  type Transaction,
} from 'kysely';
import type { DeliveryLedger, DeliveryRecord, DeliveryStatus } from '../core/delivery.js';
import { describeFsError, StoreError } from '../core/errors.js';
import { makeFolder } from '../core/make-folder.js';
import { redact } from '../core/redact.js';
import type { LlmCallRecord, SourceOutcome } from '../core/run.js';
import type { Engagement, ExternalIds, Item, Language, SourceConfig, Story } from '../core/types.js';
import { VERSION } from '../core/version.js';
import { damagedStoreAdvice, sqliteCode, toStoreError } from './errors.js';
import { MIGRATION_NAMES, migrationProvider } from './migrations.js';
import type { Database, DeliveriesTable, ItemsTable } from './schema.js';

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
 * Kysely runs SQLite migrations outside a transaction and takes no lock, so two processes opening a
 * new store at once would both create its tables ("table … already exists"). This adapter holds a
 * write lock (BEGIN IMMEDIATE, which waits up to the busy timeout) from before the migrator reads
 * which migrations ran until after the last one, so they run once, in one process.
 */
class MigrationLockingSqliteAdapter extends SqliteAdapter {
  /** Whether BEGIN IMMEDIATE succeeded: a lock never taken is not released (its COMMIT would hide why). */
  private held = false;

  override async acquireMigrationLock(db: Kysely<unknown>, _options: MigrationLockOptions): Promise<void> {
    await sql`BEGIN IMMEDIATE`.execute(db);
    this.held = true;
  }

  override async releaseMigrationLock(db: Kysely<unknown>, _options: MigrationLockOptions): Promise<void> {
    if (!this.held) return;
    this.held = false;
    await sql`COMMIT`.execute(db);
  }
}

class MigrationLockingSqliteDialect extends SqliteDialect {
  override createAdapter(): SqliteAdapter {
    return new MigrationLockingSqliteAdapter();
  }
}

/**
 * The query layer. Callers see domain types only; SQL stays here, written with kysely so that a
 * PostgreSQL dialect can replace SQLite without touching callers.
 */
export type { LlmCallRecord };

export class Store implements DeliveryLedger {
  readonly db: Kysely<Database>;
  /** The SQLite file, absolute (or `:memory:`): every StoreError names it. */
  readonly file: string;
  private readonly sqlite: SQLite.Database;

  private constructor(sqlite: SQLite.Database, file: string) {
    this.sqlite = sqlite;
    this.file = file;
    this.db = new Kysely<Database>({ dialect: new MigrationLockingSqliteDialect({ database: sqlite }) });
  }

  /**
   * Opens (creating when needed) the SQLite file and brings its schema up to date. Fails fast, with
   * a StoreError naming the path and the cause, when the path is a folder, its folder cannot be
   * created or written, the file is not SQLite or is another program's database (left untouched),
   * was written by a newer version, is not a sound SQLite database, or another program holds its
   * write lock past the busy timeout. `readOnly`: after the schema is up to date, every write is
   * refused (SQLite's `query_only`).
   */
  static async open(file: string, options: { busyTimeoutMs?: number; readOnly?: boolean } = {}): Promise<Store> {
    const absolute = file === ':memory:' ? file : path.resolve(file);
    if (absolute !== ':memory:') checkStorePath(absolute);
    let sqlite: SQLite.Database | undefined;
    try {
      sqlite = new SQLite(absolute);
      // Long enough for another process's large insert (one transaction per source) to finish.
      sqlite.pragma(`busy_timeout = ${options.busyTimeoutMs ?? BUSY_TIMEOUT_MS}`);
      // Before anything is written (WAL mode, our tables): the file must be ours, and not newer.
      checkStoreSchema(sqlite, absolute);
      sqlite.pragma('journal_mode = WAL');
      sqlite.pragma('foreign_keys = ON');
      const check = sqlite.pragma('quick_check(1)', { simple: true });
      if (check !== 'ok') {
        throw new StoreError(
          'corrupt',
          absolute,
          `the store ${absolute} is damaged (integrity check: ${String(check)}). To recover, ${damagedStoreAdvice(absolute)}`,
        );
      }
    } catch (error) {
      sqlite?.close();
      throw toStoreError(error, absolute);
    }
    const store = new Store(sqlite, absolute);
    const migrator = new Migrator({ db: store.db, provider: migrationProvider });
    const { error, results } = await migrator.migrateToLatest();
    if (error) {
      await store.close();
      if (sqliteCode(error) !== undefined) throw toStoreError(error, absolute);
      const failed = results?.find((r) => r.status === 'Error')?.migrationName;
      throw new Error(`cannot migrate the store${failed ? ` (migration ${failed})` : ''}: ${String(error)}`);
    }
    // A reader (the web app): brought up to date like any opener, then no statement may write.
    // WAL lets it read while a run or the scheduler writes.
    if (options.readOnly) sqlite.pragma('query_only = ON');
    return store;
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

  /** Writes one source's outcome to the fetch log and its health counters. */
  async recordOutcome(runId: string | null, outcome: SourceOutcome, startedAt: Date): Promise<void> {
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
      await this.db
        .updateTable('sources')
        .set((eb) => ({
          error_count: eb('error_count', '+', 1),
          last_error_at: at,
          last_error_kind: outcome.errorKind ?? null,
        }))
        .where('id', '=', outcome.id)
        .execute();
    } else if (outcome.status !== 'disabled') {
      await this.db
        .updateTable('sources')
        .set({ error_count: 0, last_ok_at: at })
        .where('id', '=', outcome.id)
        .execute();
    }
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
    const rows = await this.db
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
      ])
      .where('fetch_log.started_at', '<=', at)
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
    // One synchronous SQLite transaction per call (one source's items): nothing else can interleave,
    // a failure (disk full, store locked) rolls back the whole batch and surfaces as itself.
    const statements = new Map<string, SQLite.Statement>();
    const run = (query: { sql: string; parameters: readonly unknown[] }) => {
      let statement = statements.get(query.sql);
      if (!statement) {
        statement = this.sqlite.prepare(query.sql);
        statements.set(query.sql, statement);
      }
      return statement;
    };
    const save = this.sqlite.transaction(() => {
      const known = new Set<string>();
      for (let i = 0; i < unique.length; i += 500) {
        const ids = unique.slice(i, i + 500).map((item) => item.id);
        const query = this.db.selectFrom('items').select('id').where('id', 'in', ids).compile();
        for (const row of run(query).all(...query.parameters) as { id: string }[]) known.add(row.id);
      }
      for (const item of unique) {
        const row = itemToRow(item);
        const query = this.db
          .insertInto('items')
          .values(row)
          .onConflict((oc) =>
            oc.columns(['source_id', 'identity']).doUpdateSet({ engagement_json: row.engagement_json }),
          )
          .compile();
        run(query).run(...query.parameters);
      }
      return { added: unique.length - known.size, seen: known.size };
    });
    try {
      return save.immediate();
    } catch (error) {
      throw toStoreError(error, this.file);
    }
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

  /** Full-text search over item titles and texts (substrings of 3+ characters, CJK included). */
  async searchItems(text: string, limit = 20): Promise<Item[]> {
    const phrase = `"${text.replace(/"/g, '""')}"`;
    const rows = await sql<ItemsTable>`
      SELECT items.* FROM items_fts JOIN items ON items.rowid = items_fts.rowid
      WHERE items_fts MATCH ${phrase} ORDER BY rank LIMIT ${limit}`.execute(this.db);
    return rows.rows.map(rowToItem);
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
      throw toStoreError(error, this.file);
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
      throw toStoreError(failure ?? error, this.file);
    }
  }

  /** For tests and tools: the raw database handle (SQLite). */
  get raw(): SQLite.Database {
    return this.sqlite;
  }
}

/** How long a write waits for another process's transaction on the same store. */
export const BUSY_TIMEOUT_MS = 30_000;

/** The first 16 bytes of every SQLite 3 database file. */
const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/** The first bytes of a file, shown as text for a message (printable ASCII, the rest as `.`). */
function headOf(bytes: Buffer): string {
  return bytes
    .subarray(0, 24)
    .toString('latin1')
    .replace(/[^\x20-\x7e]/g, '.');
}

/**
 * A non-empty file that does not begin with SQLite's header is not a store (a config file, a
 * report, another program's data): named, and left untouched. An empty file is a new store.
 */
function checkSqliteHeader(file: string): void {
  let bytes: Buffer;
  try {
    const fd = openSync(file, 'r');
    try {
      bytes = Buffer.alloc(64);
      bytes = bytes.subarray(0, readSync(fd, bytes, 0, 64, 0));
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw new StoreError(fsProblem(error), file, `cannot read the store ${file}: ${describeFsError(error)}`, {
      cause: error,
    });
  }
  if (bytes.length === 0 || bytes.subarray(0, SQLITE_HEADER.length).equals(SQLITE_HEADER)) return;
  throw new StoreError(
    'not-a-store',
    file,
    `the store ${file} is not a SQLite database (it begins with "${headOf(bytes)}"), so it is not ai-daily's store; ` +
      'it was left untouched. Set store.path to another file (a new store is created there); if this was the store ' +
      `and it is damaged, ${damagedStoreAdvice(file)}`,
  );
}

/**
 * Before the store is written: a SQLite file holding tables but not ai-daily's migration record is
 * another program's database (never written to); one that ran a migration this version does not
 * know was written by a newer ai-daily (reading it could lose what the newer version stores).
 */
function checkStoreSchema(sqlite: SQLite.Database, file: string): void {
  if (file === ':memory:') return;
  const tables = sqlite
    .prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
    )
    .pluck()
    .all() as string[];
  // Only kysely's own tables: another process is creating this store right now.
  if (tables.every((name) => name.startsWith('kysely_migration'))) return;
  const ran = tables.includes('kysely_migration')
    ? (sqlite.prepare('SELECT name FROM kysely_migration ORDER BY name').pluck().all() as string[])
    : [];
  if (!ran.includes(MIGRATION_NAMES[0]!)) {
    const shown = tables.slice(0, 5).join(', ') + (tables.length > 5 ? `, … (${tables.length} tables)` : '');
    throw new StoreError(
      'not-a-store',
      file,
      `the store ${file} is another program's SQLite database (its tables: ${shown}), not ai-daily's store; ` +
        'it was left untouched. Set store.path to another file (a new store is created there).',
    );
  }
  const unknown = ran.filter((name) => !MIGRATION_NAMES.includes(name));
  if (unknown.length > 0) {
    throw new StoreError(
      'newer',
      file,
      `the store ${file} was written by a newer version of ai-daily (schema ${unknown.join(', ')}; this version ` +
        `${VERSION} knows up to ${MIGRATION_NAMES[MIGRATION_NAMES.length - 1]}); it was left untouched. ` +
        'Upgrade ai-daily, or set store.path to another file.',
    );
  }
}

/**
 * Checks, before SQLite sees it, that the store path can be a database: not a folder, and in a
 * folder that exists (or can be made) and takes a new file. The error names the path and the cause.
 */
function checkStorePath(file: string): void {
  const folder = path.dirname(file);
  try {
    if (statSync(file, { throwIfNoEntry: false })?.isDirectory()) {
      throw new StoreError(
        'cannot-open',
        file,
        `the store path ${file} is a folder, not a SQLite file: set store.path to a file name (for example ${path.join(file, 'ai-daily.db')})`,
      );
    }
  } catch (error) {
    if (error instanceof StoreError) throw error;
    throw new StoreError('cannot-open', file, `cannot use the store path ${file}: ${describeFsError(error)}`, {
      cause: error,
    });
  }
  try {
    makeFolder(folder);
  } catch (error) {
    throw new StoreError(
      fsProblem(error),
      file,
      `cannot create the store's folder ${folder}: ${describeFsError(error)}`,
      { cause: error },
    );
  }
  // SQLite writes a journal beside the file: the folder itself must take new files.
  const probe = path.join(folder, `.ai-daily-probe-${randomBytes(6).toString('hex')}`);
  try {
    writeFileSync(probe, 'probe');
  } catch (error) {
    throw new StoreError(
      fsProblem(error),
      file,
      `the store's folder ${folder} is not writable: ${describeFsError(error)}`,
      {
        cause: error,
      },
    );
  } finally {
    rmSync(probe, { force: true });
  }
  checkSqliteHeader(file);
}

function fsProblem(error: unknown): 'full' | 'read-only' | 'cannot-open' {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOSPC' || code === 'EDQUOT') return 'full';
  if (code === 'EROFS' || code === 'EACCES' || code === 'EPERM') return 'read-only';
  return 'cannot-open';
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

/** YYYY-MM-DD plus `days` (calendar arithmetic in UTC, which is exact for plain dates). */
export function shiftDate(date: string, days: number): string {
  const t = Date.parse(`${date}T00:00:00Z`) + days * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}
