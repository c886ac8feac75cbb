import { type Kysely, type Migration, type MigrationProvider, sql } from 'kysely';

/**
 * Migrations, in order. Written with kysely's schema builder so that they run on SQLite and
 * PostgreSQL alike; the full-text index is the one dialect-specific part (FTS5 with the trigram
 * tokenizer on SQLite, which finds CJK substrings of three or more characters).
 */
const migrations: Record<string, Migration> = {
  '0001-initial': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('sources')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('url', 'text', (c) => c.notNull())
        .addColumn('error_count', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('last_ok_at', 'text')
        .addColumn('last_error_at', 'text')
        .addColumn('last_error_kind', 'text')
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('http_validators')
        .addColumn('url', 'text', (c) => c.primaryKey())
        .addColumn('etag', 'text')
        .addColumn('last_modified', 'text')
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('fetch_log')
        .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
        .addColumn('run_id', 'text')
        .addColumn('source_id', 'text', (c) => c.notNull())
        .addColumn('started_at', 'text', (c) => c.notNull())
        .addColumn('elapsed_ms', 'integer', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('error_kind', 'text')
        .addColumn('error_message', 'text')
        .addColumn('items_found', 'integer', (c) => c.notNull())
        .addColumn('items_new', 'integer', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('fetch_log_source').on('fetch_log').columns(['source_id', 'started_at']).execute();

      await db.schema
        .createTable('items')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('source_id', 'text', (c) => c.notNull())
        .addColumn('identity', 'text', (c) => c.notNull())
        .addColumn('guid', 'text')
        .addColumn('url', 'text', (c) => c.notNull())
        .addColumn('canonical_url', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('language', 'text', (c) => c.notNull())
        .addColumn('published_at', 'text', (c) => c.notNull())
        .addColumn('published_offset', 'text')
        .addColumn('date_flag', 'text')
        .addColumn('fetched_at', 'text', (c) => c.notNull())
        .addColumn('authors_json', 'text', (c) => c.notNull())
        .addColumn('engagement_json', 'text', (c) => c.notNull())
        .addColumn('tags_json', 'text', (c) => c.notNull())
        .addColumn('external_ids_json', 'text', (c) => c.notNull())
        .addColumn('discussion_url', 'text')
        .addUniqueConstraint('items_source_identity', ['source_id', 'identity'])
        .execute();
      await db.schema.createIndex('items_published').on('items').column('published_at').execute();
      await db.schema.createIndex('items_canonical_url').on('items').column('canonical_url').execute();

      await db.schema
        .createTable('report_stories')
        .addColumn('report_date', 'text', (c) => c.notNull())
        .addColumn('story_id', 'text', (c) => c.notNull())
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('section', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('score_json', 'text', (c) => c.notNull())
        .addColumn('item_ids_json', 'text', (c) => c.notNull())
        .addColumn('keys_json', 'text', (c) => c.notNull())
        .addColumn('source_ids_json', 'text', (c) => c.notNull())
        .addColumn('update_of_json', 'text')
        .addPrimaryKeyConstraint('report_stories_pk', ['report_date', 'story_id'])
        .execute();

      await db.schema
        .createTable('reports')
        .addColumn('date', 'text', (c) => c.notNull())
        .addColumn('language', 'text', (c) => c.notNull())
        .addColumn('mode', 'text', (c) => c.notNull())
        .addColumn('generated_at', 'text', (c) => c.notNull())
        .addColumn('markdown_path', 'text', (c) => c.notNull())
        .addColumn('json_path', 'text', (c) => c.notNull())
        .addColumn('manifest_json', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('reports_pk', ['date', 'language'])
        .execute();

      await db.schema
        .createTable('runs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('run_key', 'text', (c) => c.notNull())
        .addColumn('report_date', 'text', (c) => c.notNull())
        .addColumn('started_at', 'text', (c) => c.notNull())
        .addColumn('finished_at', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('error', 'text')
        .execute();
      await db.schema.createIndex('runs_key').on('runs').columns(['run_key', 'started_at']).execute();

      await db.schema
        .createTable('run_stages')
        .addColumn('run_id', 'text', (c) => c.notNull())
        .addColumn('stage', 'text', (c) => c.notNull())
        .addColumn('finished_at', 'text', (c) => c.notNull())
        .addColumn('output_json', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('run_stages_pk', ['run_id', 'stage'])
        .execute();
    },
  },
  '0002-items-fts': {
    async up(db: Kysely<unknown>) {
      // SQLite only (see the module comment); PostgreSQL would add a tsvector column here.
      await sql`CREATE VIRTUAL TABLE items_fts USING fts5(title, text, content='items', content_rowid='rowid', tokenize='trigram')`.execute(
        db,
      );
      await sql`CREATE TRIGGER items_fts_insert AFTER INSERT ON items BEGIN
        INSERT INTO items_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
      END`.execute(db);
      await sql`CREATE TRIGGER items_fts_delete AFTER DELETE ON items BEGIN
        INSERT INTO items_fts(items_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);
      END`.execute(db);
      await sql`CREATE TRIGGER items_fts_update AFTER UPDATE ON items BEGIN
        INSERT INTO items_fts(items_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);
        INSERT INTO items_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
      END`.execute(db);
    },
  },
  '0003-article-texts': {
    async up(db: Kysely<unknown>) {
      // Self-contained: the article texts of thin stories, fetched once per URL (src/app/enrich.ts).
      await db.schema
        .createTable('article_texts')
        .addColumn('url', 'text', (c) => c.primaryKey())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('fetched_at', 'text', (c) => c.notNull())
        .execute();
    },
  },
  '0004-llm-calls': {
    async up(db: Kysely<unknown>) {
      // One row per LLM call (or cache hit): what it cost and how it ended; `answer` is the
      // validated JSON of a good answer, which a later call with the same cache key reuses.
      await db.schema
        .createTable('llm_calls')
        .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
        .addColumn('run_id', 'text')
        .addColumn('cache_key', 'text', (c) => c.notNull())
        .addColumn('part', 'text', (c) => c.notNull())
        .addColumn('provider', 'text', (c) => c.notNull())
        .addColumn('model', 'text', (c) => c.notNull())
        .addColumn('prompt_version', 'text', (c) => c.notNull())
        .addColumn('started_at', 'text', (c) => c.notNull())
        .addColumn('latency_ms', 'integer', (c) => c.notNull())
        .addColumn('input_tokens', 'integer', (c) => c.notNull())
        .addColumn('output_tokens', 'integer', (c) => c.notNull())
        .addColumn('cost', 'real', (c) => c.notNull())
        .addColumn('cache_hit', 'integer', (c) => c.notNull())
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('error', 'text')
        .addColumn('answer', 'text')
        .execute();
      await db.schema.createIndex('llm_calls_key').on('llm_calls').columns(['cache_key', 'outcome']).execute();
    },
  },
  '0005-deliveries': {
    async up(db: Kysely<unknown>) {
      // The delivery ledger (src/core/delivery.ts): one row per report date, language
      // and channel id; `sending` is written before a post and `sent`/`failed` after it.
      await db.schema
        .createTable('deliveries')
        .addColumn('date', 'text', (c) => c.notNull())
        .addColumn('language', 'text', (c) => c.notNull())
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('message_id', 'text')
        .addColumn('detail', 'text')
        .addPrimaryKeyConstraint('deliveries_pk', ['date', 'language', 'channel'])
        .execute();
    },
  },
};

/** The names of the migrations this version knows, in order: a store that ran another is newer. */
export const MIGRATION_NAMES: readonly string[] = Object.keys(migrations);

export const migrationProvider: MigrationProvider = {
  async getMigrations() {
    return migrations;
  },
};
