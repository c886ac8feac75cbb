import path from 'node:path';
import type SQLite from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { DeliveryLedger, DeliveryRecord } from '../core/delivery.js';
import { DEFAULT_REPORT_ID } from '../core/report.js';
import type { LlmCallRecord, SourceOutcome } from '../core/run.js';
import type { Item, SourceConfig } from '../core/types.js';
import type { StoredArticle } from './articles.js';
import * as articleRows from './articles.js';
import * as deliveryRows from './deliveries.js';
import * as itemRows from './items.js';
import * as llmCallRows from './llm-calls.js';
import type { PublishedStory, ReportToSave } from './reports.js';
import * as reportRows from './reports.js';
import type { RunHandle, SavedStage } from './runs.js';
import * as runRows from './runs.js';
import type { Database } from './schema.js';
import type { CheckSchedule, SourceHealth, Validators } from './sources.js';
import * as sourceRows from './sources.js';
import type { OpenOptions, StoreBackend, StoreDriver, StoreLocation } from './spec.js';
import { BUSY_TIMEOUT_MS, SqliteBackend } from './sqlite.js';

export { shiftDate } from './reports.js';
export { nextCheckAt } from './sources.js';

export type {
  CheckSchedule,
  LlmCallRecord,
  OpenOptions,
  PublishedStory,
  RunHandle,
  SavedStage,
  SourceHealth,
  StoreDriver,
  StoredArticle,
  StoreLocation,
  Validators,
};
export { BUSY_TIMEOUT_MS };

/**
 * The query layer, one for both databases: callers see domain types only. Each method is the
 * function of the same name in the module of its concern (`sources.ts`, `articles.ts`,
 * `items.ts`, `reports.ts`, `runs.ts`, `llm-calls.ts`, `deliveries.ts`), written once with kysely
 * against `db`; what differs between SQLite and PostgreSQL (opening, the bulk write of items,
 * full-text search, error mapping) is the backend's (src/store/spec.ts).
 */
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
    return new Store(await PostgresBackend.open(location.url, { readOnly: options.readOnly }));
  }

  async close(): Promise<void> {
    await this.backend.close();
  }

  // ── sources and the fetch log ────────────────────────────────────────────

  async upsertSources(sources: SourceConfig[], now: Date): Promise<void> {
    return sourceRows.upsertSources(this.db, sources, now);
  }

  /** Writes one source's outcome to the fetch log and its health counters. */
  async recordOutcome(
    runId: string | null,
    outcome: SourceOutcome,
    startedAt: Date,
    schedule?: CheckSchedule,
  ): Promise<void> {
    return sourceRows.recordOutcome(this.db, runId, outcome, startedAt, schedule);
  }

  async markDeadLettered(sourceId: string, at: Date): Promise<void> {
    return sourceRows.markDeadLettered(this.db, sourceId, at);
  }

  async dueSourceIds(sourceIds: readonly string[], now: Date): Promise<string[]> {
    return sourceRows.dueSourceIds(this.db, sourceIds, now);
  }

  /** The latest fetch-log rows, newest first (for `sources list` and health views). */
  async sourceHealth(): Promise<SourceHealth[]> {
    return sourceRows.sourceHealth(this.db);
  }

  /** When each source was fetched successfully (ok or not modified), oldest first. */
  async successfulFetchTimes(sourceIds?: string[]): Promise<Map<string, string[]>> {
    return sourceRows.successfulFetchTimes(this.db, sourceIds);
  }

  /** Stored article texts of these URLs (fetched once, reused by later runs). */
  async articleTexts(urls: string[]): Promise<Map<string, StoredArticle>> {
    return articleRows.articleTexts(this.db, urls);
  }

  /** Stores what fetching an article gave: its text, or that it gave none (so it is not asked again). */
  async saveArticleText(article: StoredArticle): Promise<void> {
    return articleRows.saveArticleText(this.db, article);
  }

  /** Each source's latest fetch-log entry at or before `at` (for a report written from the store). */
  async latestOutcomes(at: string): Promise<SourceOutcome[]> {
    return sourceRows.latestOutcomes(this.db, at);
  }

  async runOutcomes(runId: string): Promise<SourceOutcome[]> {
    return sourceRows.runOutcomes(this.db, runId);
  }

  async loadValidators(): Promise<Map<string, Validators>> {
    return sourceRows.loadValidators(this.db);
  }

  async saveValidators(validators: Map<string, Validators>, now: Date): Promise<void> {
    return sourceRows.saveValidators(this.db, validators, now);
  }

  // ── items ────────────────────────────────────────────────────────────────

  /**
   * Stores items; an item already stored (same source and identity) is not added again, only its
   * engagement counters are refreshed. Returns how many were new and how many already known.
   */
  async saveItems(items: Item[]): Promise<{ added: number; seen: number }> {
    return itemRows.saveItems(this.backend, items);
  }

  /** Items of the given sources published in [start, end) (ISO instants). */
  async itemsPublishedBetween(start: string, end: string, sourceIds?: string[]): Promise<Item[]> {
    return itemRows.itemsPublishedBetween(this.db, start, end, sourceIds);
  }

  /**
   * The newest items of one source, newest first (then by id); with `between`, only those published
   * in [start, end) (ISO instants).
   */
  async latestItems(sourceId: string, limit: number, between?: { start: string; end: string }): Promise<Item[]> {
    return itemRows.latestItems(this.db, sourceId, limit, between);
  }

  async itemsByIds(ids: string[]): Promise<Item[]> {
    return itemRows.itemsByIds(this.db, ids);
  }

  async countItems(sourceIds?: string[]): Promise<number> {
    return itemRows.countItems(this.db, sourceIds);
  }

  /**
   * Full-text search over item titles and texts: items holding the text (or, given a list, every
   * one of its terms) as a substring, case-insensitive, CJK included; newest first, at most `limit`.
   * The same answer on SQLite (FTS5 trigram) and PostgreSQL (pg_trgm).
   */
  async searchItems(text: string | readonly string[], limit = 20): Promise<Item[]> {
    return itemRows.searchItems(this.backend, text, limit);
  }

  // ── reports and cross-day memory ─────────────────────────────────────────

  /**
   * Saves a published report and its stories, replacing an earlier save of the same report, date
   * and language (the report's stories in another language stay). `report`: the report's id (src/config/reports.ts), default `default`.
   */
  async saveReport(report: ReportToSave): Promise<void> {
    return reportRows.saveReport(this.backend, report);
  }

  /**
   * Stories that report `report` published on the `days` report dates before `date` (newest first),
   * each story of a date once whatever the languages it was published in (`language`'s copy first:
   * the report's own language).
   */
  async publishedStoriesBefore(
    date: string,
    days = 14,
    report = DEFAULT_REPORT_ID,
    language?: string,
  ): Promise<PublishedStory[]> {
    return reportRows.publishedStoriesBefore(this.db, date, days, report, language);
  }

  /** Every saved report, newest date first; `report` is its id (src/config/reports.ts). */
  async listReports(): Promise<
    { report: string; date: string; language: string; mode: string; markdownPath: string }[]
  > {
    return reportRows.listReports(this.db);
  }

  // ── runs and stage checkpoints ───────────────────────────────────────────

  /**
   * Starts a run for `runKey`, or resumes the latest unfinished one (crashed or failed) with the
   * stages it had finished. A finished run is never resumed: the same key starts afresh.
   */
  async beginRun(runKey: string, reportDate: string, now: Date): Promise<RunHandle> {
    return runRows.beginRun(this.db, runKey, reportDate, now);
  }

  async saveStage(runId: string, stage: string, output: unknown, now: Date): Promise<void> {
    return runRows.saveStage(this.db, runId, stage, output, now);
  }

  async finishRun(runId: string, status: 'done' | 'failed', now: Date, error?: string): Promise<void> {
    return runRows.finishRun(this.db, runId, status, now, error);
  }

  async listRuns(limit = 20): Promise<{ id: string; reportDate: string; startedAt: string; status: string }[]> {
    return runRows.listRuns(this.db, limit);
  }

  /** The answer of the latest good LLM call with this cache key, if any. */
  async findLlmAnswer(
    cacheKey: string,
  ): Promise<{ answer: string; inputTokens: number; outputTokens: number } | undefined> {
    return llmCallRows.findLlmAnswer(this.db, cacheKey);
  }

  /** Records one LLM call or cache hit. */
  async recordLlmCall(call: LlmCallRecord): Promise<void> {
    return llmCallRows.recordLlmCall(this.db, call);
  }

  /** LLM calls, oldest first (all, or those made after `since`, an ISO time). */
  async llmCalls(since?: string): Promise<LlmCallRecord[]> {
    return llmCallRows.llmCalls(this.db, since);
  }

  // ── the delivery ledger ──────────────────────────────────────────────────

  /** The ledger row of one channel for one report (id, date and language), if any. */
  async delivery(
    date: string,
    language: 'zh' | 'en',
    channel: string,
    report = DEFAULT_REPORT_ID,
  ): Promise<DeliveryRecord | undefined> {
    return deliveryRows.delivery(this.db, date, language, channel, report);
  }

  /** Writes a channel's ledger row (of report `report`), replacing the earlier one; the detail is redacted. */
  async recordDelivery(record: DeliveryRecord, report = DEFAULT_REPORT_ID): Promise<void> {
    return deliveryRows.recordDelivery(this.backend, record, report);
  }

  /** The deliveries of one report (id) and date (both languages, or one), by language then channel. */
  async deliveries(date: string, language?: 'zh' | 'en', report = DEFAULT_REPORT_ID): Promise<DeliveryRecord[]> {
    return deliveryRows.deliveries(this.db, date, language, report);
  }

  /** For SQLite-only tests and tools: the better-sqlite3 handle. A PostgreSQL store has none. */
  get raw(): SQLite.Database {
    if (this.backend instanceof SqliteBackend) return this.backend.raw;
    throw new Error(`store.raw is SQLite's handle; the store ${this.file} is PostgreSQL (use store.db)`);
  }
}

/** A SQLite location's file, absolute (`:memory:` as it is). */
export function storeFile(location: { path: string }, cwd = process.cwd()): string {
  return location.path === ':memory:' ? location.path : path.resolve(cwd, location.path);
}
