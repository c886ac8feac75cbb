import type { Generated } from 'kysely';

/**
 * Table types for kysely. JSON columns hold text (SQLite) so the same queries run on PostgreSQL
 * (where they would be jsonb); callers never see these rows — src/store/store.ts maps them.
 */
export interface Database {
  sources: SourcesTable;
  http_validators: HttpValidatorsTable;
  fetch_log: FetchLogTable;
  items: ItemsTable;
  report_stories: ReportStoriesTable;
  reports: ReportsTable;
  runs: RunsTable;
  run_stages: RunStagesTable;
  article_texts: ArticleTextsTable;
  llm_calls: LlmCallsTable;
  deliveries: DeliveriesTable;
}

export interface SourcesTable {
  id: string;
  name: string;
  kind: string;
  url: string;
  /** Consecutive failed runs; 0 after a success. */
  error_count: number;
  last_ok_at: string | null;
  last_error_at: string | null;
  last_error_kind: string | null;
  updated_at: string;
  /**
   * When the source is next due (migration 0006, miniflux-style): after a success its check
   * interval later; after the k-th failure in a row the interval × 2^k, capped. Null: never fetched.
   */
  next_check_at: string | null;
  /** When its collection job was dead-lettered (it kept failing); null after a success. */
  dead_lettered_at: string | null;
}

export interface HttpValidatorsTable {
  url: string;
  etag: string | null;
  last_modified: string | null;
  updated_at: string;
}

export interface FetchLogTable {
  id: Generated<number>;
  run_id: string | null;
  source_id: string;
  started_at: string;
  elapsed_ms: number;
  status: string;
  error_kind: string | null;
  error_message: string | null;
  items_found: number;
  items_new: number;
}

export interface ItemsTable {
  id: string;
  source_id: string;
  identity: string;
  guid: string | null;
  url: string;
  canonical_url: string;
  title: string;
  text: string;
  language: string;
  published_at: string;
  published_offset: string | null;
  date_flag: string | null;
  fetched_at: string;
  authors_json: string;
  engagement_json: string;
  tags_json: string;
  external_ids_json: string;
  discussion_url: string | null;
}

export interface ReportStoriesTable {
  /** The report's id (src/config/reports.ts); `default` for a config without `reports:`. */
  report_id: string;
  report_date: string;
  /**
   * The language of the run that saved it (migration 0011): a report written in two languages on
   * one day keeps each one's stories, under that language's headlines and order.
   */
  language: string;
  story_id: string;
  position: number;
  section: string;
  title: string;
  score_json: string;
  item_ids_json: string;
  keys_json: string;
  source_ids_json: string;
  update_of_json: string | null;
}

export interface ReportsTable {
  /** The report's id (src/config/reports.ts); `default` for a config without `reports:`. */
  report_id: string;
  date: string;
  language: string;
  mode: string;
  generated_at: string;
  markdown_path: string;
  json_path: string;
  manifest_json: string;
}

export interface RunsTable {
  id: string;
  run_key: string;
  report_date: string;
  started_at: string;
  finished_at: string | null;
  /** running | done | failed */
  status: string;
  error: string | null;
}

export interface RunStagesTable {
  run_id: string;
  stage: string;
  finished_at: string;
  output_json: string;
}

/** Main text of a selected story's own page (src/app/enrich.ts), one row per URL. */
export interface ArticleTextsTable {
  url: string;
  /** ok | empty */
  status: string;
  text: string;
  fetched_at: string;
}

export interface LlmCallsTable {
  id: Generated<number>;
  run_id: string | null;
  cache_key: string;
  part: string;
  provider: string;
  model: string;
  prompt_version: string;
  started_at: string;
  latency_ms: number;
  input_tokens: number;
  output_tokens: number;
  cost: number;
  /** 1 when answered from the cache (no call was made), else 0. */
  cache_hit: number;
  /** ok | repaired | invalid-output | error | budget */
  outcome: string;
  error: string | null;
  /** The validated answer (JSON) of a good call; null otherwise. */
  answer: string | null;
}

/** The delivery ledger (src/core/delivery.ts): one row per report id, report date, language and channel id. */
export interface DeliveriesTable {
  /** The report's id (src/config/reports.ts); `default` for a config without `reports:`. */
  report_id: string;
  date: string;
  /** zh | en */
  language: string;
  channel: string;
  kind: string;
  /** sending | sent | failed */
  status: string;
  attempts: number;
  updated_at: string;
  message_id: string | null;
  detail: string | null;
}
