import {
  type ColumnDefinitionBuilder,
  type Kysely,
  type Migration,
  type MigrationProvider,
  type RawBuilder,
  sql,
} from 'kysely';
import { StoreError } from '../core/errors.js';
import { VERSION } from '../core/version.js';
import type { StoreDriver } from './spec.js';

/**
 * The column types that differ. On PostgreSQL every text column compares byte by byte (`COLLATE
 * "C"`, SQLite's BINARY), so ORDER BY gives the same order on both whatever the database's locale;
 * `real` is a double (PostgreSQL's `real` is a 4-byte float); an autoincrement id is `serial`.
 */
interface Types {
  text: 'text' | RawBuilder<unknown>;
  real: 'real' | 'double precision';
  idType: 'integer' | 'serial';
  id: (c: ColumnDefinitionBuilder) => ColumnDefinitionBuilder;
}

function typesOf(driver: StoreDriver): Types {
  return driver === 'postgres'
    ? { text: sql`text collate "C"`, real: 'double precision', idType: 'serial', id: (c) => c.primaryKey() }
    : { text: 'text', real: 'real', idType: 'integer', id: (c) => c.primaryKey().autoIncrement() };
}

/**
 * Migrations, in order, the same list on both databases. Written with kysely's schema builder; the
 * full-text index is the one part written per database (FTS5 with the trigram tokenizer on SQLite,
 * `pg_trgm` GIN indexes on PostgreSQL: both find any substring, CJK included).
 */
function migrationsFor(driver: StoreDriver): Record<string, Migration> {
  const t = typesOf(driver);
  return {
    '0001-initial': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('sources')
          .addColumn('id', t.text, (c) => c.primaryKey())
          .addColumn('name', t.text, (c) => c.notNull())
          .addColumn('kind', t.text, (c) => c.notNull())
          .addColumn('url', t.text, (c) => c.notNull())
          .addColumn('error_count', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('last_ok_at', t.text)
          .addColumn('last_error_at', t.text)
          .addColumn('last_error_kind', t.text)
          .addColumn('updated_at', t.text, (c) => c.notNull())
          .execute();

        await db.schema
          .createTable('http_validators')
          .addColumn('url', t.text, (c) => c.primaryKey())
          .addColumn('etag', t.text)
          .addColumn('last_modified', t.text)
          .addColumn('updated_at', t.text, (c) => c.notNull())
          .execute();

        await db.schema
          .createTable('fetch_log')
          .addColumn('id', t.idType, t.id)
          .addColumn('run_id', t.text)
          .addColumn('source_id', t.text, (c) => c.notNull())
          .addColumn('started_at', t.text, (c) => c.notNull())
          .addColumn('elapsed_ms', 'integer', (c) => c.notNull())
          .addColumn('status', t.text, (c) => c.notNull())
          .addColumn('error_kind', t.text)
          .addColumn('error_message', t.text)
          .addColumn('items_found', 'integer', (c) => c.notNull())
          .addColumn('items_new', 'integer', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('fetch_log_source').on('fetch_log').columns(['source_id', 'started_at']).execute();

        await db.schema
          .createTable('items')
          .addColumn('id', t.text, (c) => c.primaryKey())
          .addColumn('source_id', t.text, (c) => c.notNull())
          .addColumn('identity', t.text, (c) => c.notNull())
          .addColumn('guid', t.text)
          .addColumn('url', t.text, (c) => c.notNull())
          .addColumn('canonical_url', t.text, (c) => c.notNull())
          .addColumn('title', t.text, (c) => c.notNull())
          .addColumn('text', t.text, (c) => c.notNull())
          .addColumn('language', t.text, (c) => c.notNull())
          .addColumn('published_at', t.text, (c) => c.notNull())
          .addColumn('published_offset', t.text)
          .addColumn('date_flag', t.text)
          .addColumn('fetched_at', t.text, (c) => c.notNull())
          .addColumn('authors_json', t.text, (c) => c.notNull())
          .addColumn('engagement_json', t.text, (c) => c.notNull())
          .addColumn('tags_json', t.text, (c) => c.notNull())
          .addColumn('external_ids_json', t.text, (c) => c.notNull())
          .addColumn('discussion_url', t.text)
          .addUniqueConstraint('items_source_identity', ['source_id', 'identity'])
          .execute();
        await db.schema.createIndex('items_published').on('items').column('published_at').execute();
        await db.schema.createIndex('items_canonical_url').on('items').column('canonical_url').execute();

        await db.schema
          .createTable('report_stories')
          .addColumn('report_date', t.text, (c) => c.notNull())
          .addColumn('story_id', t.text, (c) => c.notNull())
          .addColumn('position', 'integer', (c) => c.notNull())
          .addColumn('section', t.text, (c) => c.notNull())
          .addColumn('title', t.text, (c) => c.notNull())
          .addColumn('score_json', t.text, (c) => c.notNull())
          .addColumn('item_ids_json', t.text, (c) => c.notNull())
          .addColumn('keys_json', t.text, (c) => c.notNull())
          .addColumn('source_ids_json', t.text, (c) => c.notNull())
          .addColumn('update_of_json', t.text)
          .addPrimaryKeyConstraint('report_stories_pk', ['report_date', 'story_id'])
          .execute();

        await db.schema
          .createTable('reports')
          .addColumn('date', t.text, (c) => c.notNull())
          .addColumn('language', t.text, (c) => c.notNull())
          .addColumn('mode', t.text, (c) => c.notNull())
          .addColumn('generated_at', t.text, (c) => c.notNull())
          .addColumn('markdown_path', t.text, (c) => c.notNull())
          .addColumn('json_path', t.text, (c) => c.notNull())
          .addColumn('manifest_json', t.text, (c) => c.notNull())
          .addPrimaryKeyConstraint('reports_pk', ['date', 'language'])
          .execute();

        await db.schema
          .createTable('runs')
          .addColumn('id', t.text, (c) => c.primaryKey())
          .addColumn('run_key', t.text, (c) => c.notNull())
          .addColumn('report_date', t.text, (c) => c.notNull())
          .addColumn('started_at', t.text, (c) => c.notNull())
          .addColumn('finished_at', t.text)
          .addColumn('status', t.text, (c) => c.notNull())
          .addColumn('error', t.text)
          .execute();
        await db.schema.createIndex('runs_key').on('runs').columns(['run_key', 'started_at']).execute();

        await db.schema
          .createTable('run_stages')
          .addColumn('run_id', t.text, (c) => c.notNull())
          .addColumn('stage', t.text, (c) => c.notNull())
          .addColumn('finished_at', t.text, (c) => c.notNull())
          .addColumn('output_json', t.text, (c) => c.notNull())
          .addPrimaryKeyConstraint('run_stages_pk', ['run_id', 'stage'])
          .execute();
      },
    },
    '0002-items-fts': {
      async up(db: Kysely<unknown>) {
        if (driver === 'postgres') {
          // pg_trgm is a trusted extension: the database's owner may create it. Its GIN indexes serve
          // ILIKE '%…%' on titles and texts (src/store/postgres.ts#searchItems).
          await sql`CREATE EXTENSION IF NOT EXISTS pg_trgm`.execute(db);
          await sql`CREATE INDEX items_title_trgm ON items USING gin (title gin_trgm_ops)`.execute(db);
          await sql`CREATE INDEX items_text_trgm ON items USING gin (text gin_trgm_ops)`.execute(db);
          return;
        }
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
          .addColumn('url', t.text, (c) => c.primaryKey())
          .addColumn('status', t.text, (c) => c.notNull())
          .addColumn('text', t.text, (c) => c.notNull())
          .addColumn('fetched_at', t.text, (c) => c.notNull())
          .execute();
      },
    },
    '0004-llm-calls': {
      async up(db: Kysely<unknown>) {
        // One row per LLM call (or cache hit): what it cost and how it ended; `answer` is the
        // validated JSON of a good answer, which a later call with the same cache key reuses.
        await db.schema
          .createTable('llm_calls')
          .addColumn('id', t.idType, t.id)
          .addColumn('run_id', t.text)
          .addColumn('cache_key', t.text, (c) => c.notNull())
          .addColumn('part', t.text, (c) => c.notNull())
          .addColumn('provider', t.text, (c) => c.notNull())
          .addColumn('model', t.text, (c) => c.notNull())
          .addColumn('prompt_version', t.text, (c) => c.notNull())
          .addColumn('started_at', t.text, (c) => c.notNull())
          .addColumn('latency_ms', 'integer', (c) => c.notNull())
          .addColumn('input_tokens', 'integer', (c) => c.notNull())
          .addColumn('output_tokens', 'integer', (c) => c.notNull())
          .addColumn('cost', t.real, (c) => c.notNull())
          .addColumn('cache_hit', 'integer', (c) => c.notNull())
          .addColumn('outcome', t.text, (c) => c.notNull())
          .addColumn('error', t.text)
          .addColumn('answer', t.text)
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
          .addColumn('date', t.text, (c) => c.notNull())
          .addColumn('language', t.text, (c) => c.notNull())
          .addColumn('channel', t.text, (c) => c.notNull())
          .addColumn('kind', t.text, (c) => c.notNull())
          .addColumn('status', t.text, (c) => c.notNull())
          .addColumn('attempts', 'integer', (c) => c.notNull())
          .addColumn('updated_at', t.text, (c) => c.notNull())
          .addColumn('message_id', t.text)
          .addColumn('detail', t.text)
          .addPrimaryKeyConstraint('deliveries_pk', ['date', 'language', 'channel'])
          .execute();
      },
    },
    '0006-report-ids': {
      async up(db: Kysely<unknown>) {
        // Several reports in one store (src/config/reports.ts): a report, its stories (the cross-day
        // memory) and its deliveries are keyed by the report's id too; what the store held is the
        // `default` report's. Each table is rebuilt with the id in its primary key (SQLite cannot
        // change a key in place), under a new key name (PostgreSQL's names are per schema).
        const reportId = (c: ColumnDefinitionBuilder) => c.notNull().defaultTo('default');
        await db.schema
          .createTable('reports_by_id')
          .addColumn('report_id', t.text, reportId)
          .addColumn('date', t.text, (c) => c.notNull())
          .addColumn('language', t.text, (c) => c.notNull())
          .addColumn('mode', t.text, (c) => c.notNull())
          .addColumn('generated_at', t.text, (c) => c.notNull())
          .addColumn('markdown_path', t.text, (c) => c.notNull())
          .addColumn('json_path', t.text, (c) => c.notNull())
          .addColumn('manifest_json', t.text, (c) => c.notNull())
          .addPrimaryKeyConstraint('reports_by_id_pk', ['report_id', 'date', 'language'])
          .execute();
        await db.schema
          .createTable('report_stories_by_id')
          .addColumn('report_id', t.text, reportId)
          .addColumn('report_date', t.text, (c) => c.notNull())
          .addColumn('story_id', t.text, (c) => c.notNull())
          .addColumn('position', 'integer', (c) => c.notNull())
          .addColumn('section', t.text, (c) => c.notNull())
          .addColumn('title', t.text, (c) => c.notNull())
          .addColumn('score_json', t.text, (c) => c.notNull())
          .addColumn('item_ids_json', t.text, (c) => c.notNull())
          .addColumn('keys_json', t.text, (c) => c.notNull())
          .addColumn('source_ids_json', t.text, (c) => c.notNull())
          .addColumn('update_of_json', t.text)
          .addPrimaryKeyConstraint('report_stories_by_id_pk', ['report_id', 'report_date', 'story_id'])
          .execute();
        await db.schema
          .createTable('deliveries_by_id')
          .addColumn('report_id', t.text, reportId)
          .addColumn('date', t.text, (c) => c.notNull())
          .addColumn('language', t.text, (c) => c.notNull())
          .addColumn('channel', t.text, (c) => c.notNull())
          .addColumn('kind', t.text, (c) => c.notNull())
          .addColumn('status', t.text, (c) => c.notNull())
          .addColumn('attempts', 'integer', (c) => c.notNull())
          .addColumn('updated_at', t.text, (c) => c.notNull())
          .addColumn('message_id', t.text)
          .addColumn('detail', t.text)
          .addPrimaryKeyConstraint('deliveries_by_id_pk', ['report_id', 'date', 'language', 'channel'])
          .execute();
        const columns = {
          reports: 'date, language, mode, generated_at, markdown_path, json_path, manifest_json',
          report_stories:
            'report_date, story_id, position, section, title, score_json, item_ids_json, keys_json, source_ids_json, update_of_json',
          deliveries: 'date, language, channel, kind, status, attempts, updated_at, message_id, detail',
        };
        for (const [table, list] of Object.entries(columns)) {
          await sql`INSERT INTO ${sql.table(`${table}_by_id`)} (report_id, ${sql.raw(list)}) SELECT 'default', ${sql.raw(list)} FROM ${sql.table(table)}`.execute(
            db,
          );
          await db.schema.dropTable(table).execute();
          await db.schema.alterTable(`${table}_by_id`).renameTo(table).execute();
        }
      },
    },
    '0007-source-schedule': {
      async up(db: Kysely<unknown>) {
        // When each source is next due and when its collection job was dead-lettered (src/app/workers.ts).
        await db.schema.alterTable('sources').addColumn('next_check_at', t.text).execute();
        await db.schema.alterTable('sources').addColumn('dead_lettered_at', t.text).execute();
      },
    },
    '0008-items-fts-on-text-change': {
      async up(db: Kysely<unknown>) {
        // Every collect refreshes the engagement of the items it sees again: SQLite's full-text index
        // is rewritten only when a title or text changes, not on every such update (re-saving 20,000
        // seen items: 1.9 s → 0.5 s). PostgreSQL maintains its trigram indexes itself.
        if (driver === 'postgres') return;
        await sql`DROP TRIGGER items_fts_update`.execute(db);
        await sql`CREATE TRIGGER items_fts_update AFTER UPDATE OF title, text ON items BEGIN
        INSERT INTO items_fts(items_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);
        INSERT INTO items_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
      END`.execute(db);
      },
    },
    '0009-items-fts-batched': {
      async up(db: Kysely<unknown>) {
        // SQLite's full-text index takes a source's new items in one statement after the batch
        // (src/store/sqlite.ts#saveItems), not row by row from the insert trigger: FTS5 writes its
        // pending terms out at every statement of a trigger, so 50,000 rows cost 10.9 s one by one
        // and a few seconds at once. While a batch is being saved `items_fts_batch` holds one row
        // (inside that batch's transaction, so no other connection ever sees it) and the insert
        // trigger stands aside; every other insert into items is still indexed by the trigger.
        // FTS5's incremental merging is off (`automerge` 0): it cost a quarter of the time again
        // while a batch is indexed, and a level of the index is still merged when it holds 16
        // segments (`crisismerge`); the answers are the same. PostgreSQL maintains its trigram
        // indexes itself.
        if (driver === 'postgres') return;
        await sql`INSERT INTO items_fts (items_fts, rank) VALUES ('automerge', 0)`.execute(db);
        await sql`CREATE TABLE items_fts_batch (after_rowid integer NOT NULL)`.execute(db);
        await sql`DROP TRIGGER items_fts_insert`.execute(db);
        await sql`CREATE TRIGGER items_fts_insert AFTER INSERT ON items
        WHEN NOT EXISTS (SELECT 1 FROM items_fts_batch) BEGIN
        INSERT INTO items_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
      END`.execute(db);
      },
    },
    '0010-items-fts-deferred': {
      async up(db: Kysely<unknown>) {
        // A large batch's rows are indexed after its transaction, in steps, by a worker thread
        // (src/store/sqlite.ts#fillSearchIndex), while the run goes on: indexing 50,000 items costs
        // about 3 s. `items_fts_pending` holds at most one row, committed with the items: the rows
        // above `after_rowid` are not in the full-text index yet. The triggers leave those rows to
        // the fill (an insert, an update of their title or text, a delete); every other row is
        // indexed by them as before. A fill cut short (the process ended) is finished when the store
        // is next opened for writing. This replaces `items_fts_batch` (migration 0009), which a batch
        // filled only inside its own transaction: it is always empty here. PostgreSQL maintains its
        // trigram indexes itself.
        if (driver === 'postgres') return;
        const unindexed = (row: 'new' | 'old') =>
          sql.raw(`NOT EXISTS (SELECT 1 FROM items_fts_pending WHERE ${row}.rowid > after_rowid)`);
        await sql`CREATE TABLE items_fts_pending (after_rowid integer NOT NULL)`.execute(db);
        await sql`DROP TRIGGER items_fts_insert`.execute(db);
        await sql`CREATE TRIGGER items_fts_insert AFTER INSERT ON items WHEN ${unindexed('new')} BEGIN
        INSERT INTO items_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
      END`.execute(db);
        await sql`DROP TRIGGER items_fts_delete`.execute(db);
        await sql`CREATE TRIGGER items_fts_delete AFTER DELETE ON items WHEN ${unindexed('old')} BEGIN
        INSERT INTO items_fts(items_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);
      END`.execute(db);
        await sql`DROP TRIGGER items_fts_update`.execute(db);
        await sql`CREATE TRIGGER items_fts_update AFTER UPDATE OF title, text ON items WHEN ${unindexed('old')} BEGIN
        INSERT INTO items_fts(items_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);
        INSERT INTO items_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
      END`.execute(db);
        await sql`DROP TABLE items_fts_batch`.execute(db);
      },
    },
    '0011-report-stories-by-language': {
      async up(db: Kysely<unknown>) {
        // A report written in two languages on one day (`schedule.languages`, `run --language`)
        // keeps each language's stories: `report_stories` gets `language` in its primary key
        // (report id, date, language, story id). Rebuilt as in 0006 (SQLite cannot change a key in
        // place), under a new key name. The rows a store holds are those of the last language run
        // of each report and date (each run replaced the others'), so they get that run's language:
        // the language whose `publish` stage (where the report and its stories are saved) finished
        // last; without such a run, the language of the report's row generated last (by name on a
        // tie); without a report row, `zh`, the config's default language (src/config/schema.ts).
        await db.schema
          .createTable('report_stories_by_language')
          .addColumn('report_id', t.text, (c) => c.notNull())
          .addColumn('report_date', t.text, (c) => c.notNull())
          .addColumn('language', t.text, (c) => c.notNull())
          .addColumn('story_id', t.text, (c) => c.notNull())
          .addColumn('position', 'integer', (c) => c.notNull())
          .addColumn('section', t.text, (c) => c.notNull())
          .addColumn('title', t.text, (c) => c.notNull())
          .addColumn('score_json', t.text, (c) => c.notNull())
          .addColumn('item_ids_json', t.text, (c) => c.notNull())
          .addColumn('keys_json', t.text, (c) => c.notNull())
          .addColumn('source_ids_json', t.text, (c) => c.notNull())
          .addColumn('update_of_json', t.text)
          .addPrimaryKeyConstraint('report_stories_by_language_pk', [
            'report_id',
            'report_date',
            'language',
            'story_id',
          ])
          .execute();
        const list =
          'report_id, report_date, story_id, position, section, title, score_json, item_ids_json, keys_json, source_ids_json, update_of_json';
        await sql`INSERT INTO report_stories_by_language (language, ${sql.raw(list)}) SELECT ${MIGRATED_LANGUAGE}, ${sql.raw(list)} FROM report_stories`.execute(
          db,
        );
        for (const { report, date, language } of await lastLanguages(db)) {
          if (language === MIGRATED_LANGUAGE) continue;
          await sql`UPDATE report_stories_by_language SET language = ${language} WHERE report_id = ${report} AND report_date = ${date}`.execute(
            db,
          );
        }
        await db.schema.dropTable('report_stories').execute();
        await db.schema.alterTable('report_stories_by_language').renameTo('report_stories').execute();
      },
    },
  };
}

/** The language 0011 gives stored stories of a report and date that no run or report row names: the config's default. */
const MIGRATED_LANGUAGE = 'zh';

/**
 * For migration 0011: the language of the last run that saved each report and date's stories. A
 * run's key is the JSON of its report (absent: `default`), date and language (src/app/daily-run.ts);
 * a key that does not parse is passed over. Then the report rows, for the dates no run names.
 */
async function lastLanguages(db: Kysely<unknown>): Promise<{ report: string; date: string; language: string }[]> {
  const last = new Map<string, { report: string; date: string; language: string; at: string }>();
  const consider = (report: string, date: string, language: string, at: string) => {
    const key = JSON.stringify([report, date]);
    const seen = last.get(key);
    if (!seen || at > seen.at || (at === seen.at && language < seen.language))
      last.set(key, { report, date, language, at });
  };
  const published = await sql<{ run_key: string; report_date: string; finished_at: string }>`
    SELECT runs.run_key, runs.report_date, run_stages.finished_at FROM runs
    JOIN run_stages ON run_stages.run_id = runs.id WHERE run_stages.stage = 'publish'`.execute(db);
  for (const row of published.rows) {
    let key: unknown;
    try {
      key = JSON.parse(row.run_key);
    } catch {
      continue;
    }
    if (typeof key !== 'object' || key === null) continue;
    const { report = 'default', language } = key as { report?: unknown; language?: unknown };
    if (typeof report !== 'string' || typeof language !== 'string') continue;
    consider(report, row.report_date, language, row.finished_at);
  }
  const fromRuns = new Set(last.keys());
  const reports = await sql<{ report_id: string; date: string; language: string; generated_at: string }>`
    SELECT report_id, date, language, generated_at FROM reports`.execute(db);
  for (const row of reports.rows) {
    if (!fromRuns.has(JSON.stringify([row.report_id, row.date])))
      consider(row.report_id, row.date, row.language, row.generated_at);
  }
  return [...last.values()];
}

/** The names of the migrations this version knows, in order: a store that ran another is newer. */
export const MIGRATION_NAMES: readonly string[] = Object.keys(migrationsFor('sqlite'));

export function migrationProvider(driver: StoreDriver): MigrationProvider {
  return {
    async getMigrations() {
      return migrationsFor(driver);
    },
  };
}

/**
 * Before a store is written: a database holding tables but not ai-daily's migration record is
 * another program's database (never written to); one that ran a migration this version does not
 * know was written by a newer ai-daily (reading it could lose what the newer version stores).
 * `tables`: the database's tables; `ran`: the migrations it records. Only kysely's own tables: another
 * process is creating this store right now, which is fine.
 */
export function foreignOrNewer(
  tables: readonly string[],
  ran: readonly string[],
  name: string,
  words: { database: string; elsewhere: string },
): StoreError | undefined {
  if (tables.every((table) => table.startsWith('kysely_migration'))) return undefined;
  if (!ran.includes(MIGRATION_NAMES[0]!)) {
    const shown = tables.slice(0, 5).join(', ') + (tables.length > 5 ? `, … (${tables.length} tables)` : '');
    return new StoreError(
      'not-a-store',
      name,
      `the store ${name} is another program's ${words.database} (its tables: ${shown}), not ai-daily's store; ` +
        `it was left untouched. ${capitalize(words.elsewhere)}.`,
    );
  }
  const unknown = ran.filter((migration) => !MIGRATION_NAMES.includes(migration));
  if (unknown.length === 0) return undefined;
  return new StoreError(
    'newer',
    name,
    `the store ${name} was written by a newer version of ai-daily (schema ${unknown.join(', ')}; this version ` +
      `${VERSION} knows up to ${MIGRATION_NAMES[MIGRATION_NAMES.length - 1]}); it was left untouched. ` +
      `Upgrade ai-daily, or ${words.elsewhere.replace(/ \(.*\)$/, '')}.`,
  );
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
