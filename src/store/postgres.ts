/**
 * The PostgreSQL store (`store: { driver: postgres, url }`): kysely's Postgres dialect over a `pg`
 * pool. Migrations run in one transaction under kysely's advisory lock, so several processes opening
 * a new database at once create its tables once. Full-text search is ILIKE '%term%' served by
 * `pg_trgm` GIN indexes on the items' titles and texts (migration 0002): a substring, CJK included,
 * as FTS5's trigram index finds on SQLite.
 */
import { Kysely, Migrator, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { StoreError } from '../core/errors.js';
import { redact } from '../core/redact.js';
import { postgresCode, toStoreError } from './errors.js';
import { foreignOrNewer, migrationProvider } from './migrations.js';
import type { Database, ItemsTable } from './schema.js';
import { type OpenOptions, type StoreBackend, substringSearch } from './spec.js';

/** Rows per INSERT of a batch of items (18 parameters each, well under PostgreSQL's 65,535). */
const ITEMS_PER_INSERT = 500;

/** The URL as messages show it: no password, no user name. */
export function postgresName(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.username !== '' || parsed.password !== '') {
      parsed.username = '***';
      parsed.password = '';
    }
    parsed.search = '';
    return redact(parsed.toString());
  } catch {
    return redact(url);
  }
}

/** Network and connection failures (no SQLSTATE): the server cannot be reached as the URL says. */
const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH']);

/** count(*) and sum() of integers are bigint, avg() numeric: read as numbers, as SQLite gives them. */
const NUMERIC_TYPES = new Set([pg.types.builtins.INT8, pg.types.builtins.NUMERIC]);

function getTypeParser(oid: number, format?: 'text' | 'binary'): (value: string) => unknown {
  if (NUMERIC_TYPES.has(oid) && format !== 'binary') return Number;
  return format === 'binary' ? pg.types.getTypeParser(oid, 'binary') : pg.types.getTypeParser(oid, 'text');
}

export class PostgresBackend implements StoreBackend {
  readonly driver = 'postgres' as const;
  readonly db: Kysely<Database>;
  readonly name: string;

  private constructor(url: string, name: string, options: { readOnly?: boolean } = {}) {
    this.name = name;
    const pool = new pg.Pool({
      connectionString: url,
      max: 4,
      connectionTimeoutMillis: 15_000,
      types: { getTypeParser },
      ...(options.readOnly ? { options: '-c default_transaction_read_only=on' } : {}),
    });
    // An idle client's failure (the server restarted) is reported by the next query, not thrown here.
    pool.on('error', () => {});
    this.db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  }

  /**
   * Connects and brings the schema up to date. Fails fast with a StoreError naming the database
   * (password hidden) when it cannot be reached or logged into, when it holds another program's
   * tables (left untouched), or was written by a newer version.
   */
  static async open(url: string, options: OpenOptions = {}): Promise<PostgresBackend> {
    const name = postgresName(url);
    const backend = new PostgresBackend(url, name);
    try {
      const tables = (
        await sql<{ name: string }>`
          SELECT table_name AS name FROM information_schema.tables
          WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`.execute(backend.db)
      ).rows.map((row) => row.name);
      const ran = tables.includes('kysely_migration')
        ? (await sql<{ name: string }>`SELECT name FROM kysely_migration ORDER BY name`.execute(backend.db)).rows.map(
            (row) => row.name,
          )
        : [];
      const refusal = foreignOrNewer(tables, ran, name, {
        database: 'PostgreSQL database',
        elsewhere: 'set store.url to another database (an empty one becomes a new store)',
      });
      if (refusal) throw refusal;
    } catch (error) {
      await backend.close();
      throw backend.toStoreError(error, { opening: true });
    }
    const migrator = new Migrator({ db: backend.db, provider: migrationProvider('postgres') });
    const { error, results } = await migrator.migrateToLatest();
    if (error) {
      await backend.close();
      if (postgresCode(error) !== undefined) throw backend.toStoreError(error);
      const failed = results?.find((r) => r.status === 'Error')?.migrationName;
      throw new Error(`cannot migrate the store${failed ? ` (migration ${failed})` : ''}: ${redact(String(error))}`);
    }
    if (!options.readOnly) return backend;
    // A reader: migrated above, then connected again with every transaction read-only.
    await backend.close();
    return new PostgresBackend(url, name, { readOnly: true });
  }

  async saveItems(rows: ItemsTable[]): Promise<{ added: number; seen: number }> {
    // Two rows of one batch with the same source and identity: the first is stored, the last's
    // engagement kept (as SQLite's row-by-row upsert does); one INSERT may not touch a row twice.
    const byIdentity = new Map<string, ItemsTable>();
    for (const row of rows) {
      const key = `${row.source_id}\n${row.identity}`;
      const first = byIdentity.get(key);
      if (first) byIdentity.set(key, { ...first, engagement_json: row.engagement_json });
      else byIdentity.set(key, row);
    }
    const unique = [...byIdentity.values()];
    try {
      return await this.db.transaction().execute(async (trx) => {
        let added = 0;
        for (let i = 0; i < unique.length; i += ITEMS_PER_INSERT) {
          const inserted = await trx
            .insertInto('items')
            .values(unique.slice(i, i + ITEMS_PER_INSERT))
            .onConflict((oc) =>
              oc
                .columns(['source_id', 'identity'])
                .doUpdateSet((eb) => ({ engagement_json: eb.ref('excluded.engagement_json') })),
            )
            // xmax is 0 on a row this statement inserted, set on one it updated.
            .returning(sql<boolean>`(xmax = 0)`.as('inserted'))
            .execute();
          added += inserted.filter((row) => row.inserted).length;
        }
        return { added, seen: rows.length - added };
      });
    } catch (error) {
      throw this.toStoreError(error);
    }
  }

  async searchItems(terms: readonly string[], limit: number): Promise<ItemsTable[]> {
    return substringSearch(this.db, terms, limit, 'ILIKE');
  }

  toStoreError(error: unknown, options: { opening?: boolean } = {}): unknown {
    if (error instanceof StoreError) return error;
    if (postgresCode(error) !== undefined) return toStoreError(error, this.name);
    const code = (error as { code?: unknown } | undefined)?.code;
    const message = error instanceof Error ? error.message : String(error);
    if (options.opening || (typeof code === 'string' && CONNECTION_CODES.has(code))) {
      return new StoreError(
        'cannot-open',
        this.name,
        `cannot open the store ${this.name}: ${redact(message)}${typeof code === 'string' ? ` (${code})` : ''} — ` +
          'check that the server runs and store.url (host, port, database, user, password)',
        { cause: error },
      );
    }
    return error;
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }
}
