import { type Kysely, sql } from 'kysely';
import type { Database, ItemsTable } from './schema.js';

/**
 * Where the store lives: a SQLite file (the default) or a PostgreSQL database. The config's
 * `store` section has this shape (`store: { path }` or `store: { driver: postgres, url }`).
 */
export type StoreLocation = { driver: 'sqlite'; path: string } | { driver: 'postgres'; url: string };

export type StoreDriver = StoreLocation['driver'];

export interface OpenOptions {
  /** SQLite: how long a write waits for another process's transaction (default 30 s). */
  busyTimeoutMs?: number;
  /**
   * A reader (the web app): the schema is brought up to date like any opener, then every write is
   * refused as a `read-only` StoreError (SQLite's `query_only`, PostgreSQL's
   * `default_transaction_read_only`).
   */
  readOnly?: boolean;
}

/**
 * What differs between the two databases, behind the one `Store` (src/store/store.ts): how a store
 * is opened, checked, migrated and closed; the bulk write of a source's items; full-text search;
 * how a failure becomes a `StoreError`. Everything else is one kysely query for both, written
 * against `db`. One implementation per file: `sqlite.ts`, `postgres.ts`.
 */
export interface StoreBackend {
  readonly driver: StoreDriver;
  /** The store's name in every message: the SQLite file (absolute), or the database URL with its password hidden. */
  readonly name: string;
  readonly db: Kysely<Database>;
  /**
   * Inserts the rows (unique ids) in one transaction; a row whose source and identity are already
   * stored only refreshes its engagement. All or nothing: a failure keeps none of the batch.
   */
  saveItems(rows: ItemsTable[]): Promise<{ added: number; seen: number }>;
  /**
   * Items whose title or text holds every term (a substring, case-insensitive, CJK included), newest
   * first (then by id), at most `limit`.
   */
  searchItems(terms: readonly string[], limit: number): Promise<ItemsTable[]>;
  /** A failure of this database as a StoreError naming the store; anything else unchanged. */
  toStoreError(error: unknown): unknown;
  close(): Promise<void>;
}

/** `%term%` for LIKE … ESCAPE '\': the term's own `%`, `_` and `\` match themselves. */
export function likePattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

/**
 * Items whose title or text holds every term as a substring, newest first: the one query both
 * databases use where no index answers (PostgreSQL always, its trigram indexes serve it; SQLite for
 * a term under three characters). `like` is the case-insensitive operator: `ILIKE`, or SQLite's
 * `LIKE` (ASCII case-insensitive).
 */
export function substringSearch(
  db: Kysely<Database>,
  terms: readonly string[],
  limit: number,
  like: 'LIKE' | 'ILIKE',
): Promise<ItemsTable[]> {
  const operator = sql.raw(like);
  return db
    .selectFrom('items')
    .selectAll()
    .where((eb) =>
      eb.and(
        terms.map((term) =>
          eb.or([
            sql<boolean>`items.title ${operator} ${likePattern(term)} ESCAPE '\\'`,
            sql<boolean>`items.text ${operator} ${likePattern(term)} ESCAPE '\\'`,
          ]),
        ),
      ),
    )
    .orderBy('published_at', 'desc')
    .orderBy('id')
    .limit(limit)
    .execute();
}
