/**
 * The SQLite store (the default): one file, better-sqlite3 under kysely, WAL, FTS5 with the trigram
 * tokenizer for full-text search. Opening checks the file before anything is written to it.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, type MigrationLockOptions, Migrator, SqliteAdapter, SqliteDialect, sql } from 'kysely';
import { describeFsError, StoreError } from '../core/errors.js';
import { makeFolder } from '../core/make-folder.js';
import { damagedStoreAdvice, sqliteCode, toStoreError } from './errors.js';
import { foreignOrNewer, migrationProvider } from './migrations.js';
import type { Database, ItemsTable } from './schema.js';
import { type OpenOptions, type StoreBackend, substringSearch } from './spec.js';

/** How long a write waits for another process's transaction on the same store. */
export const BUSY_TIMEOUT_MS = 30_000;

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

/** The SQLite store; `raw` is its better-sqlite3 handle (for SQLite-only tests and tools). */
export class SqliteBackend implements StoreBackend {
  readonly driver = 'sqlite' as const;
  readonly db: Kysely<Database>;
  readonly name: string;
  readonly raw: SQLite.Database;

  private constructor(sqlite: SQLite.Database, file: string) {
    this.raw = sqlite;
    this.name = file;
    this.db = new Kysely<Database>({ dialect: new MigrationLockingSqliteDialect({ database: sqlite }) });
  }

  /**
   * Opens (creating when needed) the SQLite file and brings its schema up to date. Fails fast, with
   * a StoreError naming the path and the cause, when the path is a folder, its folder cannot be
   * created or written, the file is not SQLite or is another program's database (left untouched),
   * was written by a newer version, is not a sound SQLite database, or another program holds its
   * write lock past the busy timeout.
   */
  static async open(file: string, options: OpenOptions = {}): Promise<SqliteBackend> {
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
    const backend = new SqliteBackend(sqlite, absolute);
    const migrator = new Migrator({ db: backend.db, provider: migrationProvider('sqlite') });
    const { error, results } = await migrator.migrateToLatest();
    if (error) {
      await backend.close();
      if (sqliteCode(error) !== undefined) throw toStoreError(error, absolute);
      const failed = results?.find((r) => r.status === 'Error')?.migrationName;
      throw new Error(`cannot migrate the store${failed ? ` (migration ${failed})` : ''}: ${String(error)}`);
    }
    // WAL lets a reader read while a run or the scheduler writes.
    if (options.readOnly) sqlite.pragma('query_only = ON');
    return backend;
  }

  async saveItems(rows: ItemsTable[]): Promise<{ added: number; seen: number }> {
    if (rows.length === 0) return { added: 0, seen: 0 };
    // One synchronous SQLite transaction per call (one source's items): nothing else can interleave,
    // a failure (disk full, store locked) rolls back the whole batch and surfaces as itself.
    const statements = new Map<string, SQLite.Statement>();
    const prepared = (query: { sql: string }) => {
      let statement = statements.get(query.sql);
      if (!statement) {
        statement = this.raw.prepare(query.sql);
        statements.set(query.sql, statement);
      }
      return statement;
    };
    // One insert, compiled once: its parameters are a row's values in `columns` order (kysely's
    // values() binds them in its keys' order); a row already stored takes the proposed engagement.
    const columns = Object.keys(rows[0]!) as (keyof ItemsTable)[];
    const insertQuery = this.db
      .insertInto('items')
      .values(rows[0]!)
      .onConflict((oc) =>
        oc
          .columns(['source_id', 'identity'])
          .doUpdateSet((eb) => ({ engagement_json: eb.ref('excluded.engagement_json') })),
      )
      .compile();
    const save = this.raw.transaction(() => {
      const insert = prepared(insertQuery);
      const known = new Set<string>();
      for (let i = 0; i < rows.length; i += 500) {
        const ids = rows.slice(i, i + 500).map((row) => row.id);
        const query = this.db.selectFrom('items').select('id').where('id', 'in', ids).compile();
        for (const row of prepared(query).all(...query.parameters) as { id: string }[]) known.add(row.id);
      }
      // The full-text index takes the batch's new rows in one statement at the end (migration
      // 0009): a new row gets a rowid above every rowid stored before it, so they are the rows
      // above `after_rowid`. Only when the largest rowid is taken does SQLite pick free ones at
      // random; then no batch row is written and the insert trigger indexes each row itself.
      this.raw
        .prepare(
          `INSERT INTO items_fts_batch (after_rowid)
           SELECT top FROM (SELECT coalesce(max(rowid), 0) AS top FROM items) WHERE top < 9223372036854775807`,
        )
        .run();
      for (const row of rows) insert.run(columns.map((column) => row[column]));
      this.raw
        .prepare(
          `INSERT INTO items_fts (rowid, title, text) SELECT rowid, title, text FROM items
           WHERE rowid > (SELECT after_rowid FROM items_fts_batch)`,
        )
        .run();
      this.raw.prepare('DELETE FROM items_fts_batch').run();
      return { added: rows.length - known.size, seen: known.size };
    });
    try {
      return save.immediate();
    } catch (error) {
      throw toStoreError(error, this.name);
    }
  }

  async searchItems(terms: readonly string[], limit: number): Promise<ItemsTable[]> {
    if (terms.every((term) => [...term].length >= 3)) {
      // FTS5's trigram index: each term a quoted phrase (its quotes doubled), all of them required.
      const match = terms.map((term) => `"${term.replace(/"/g, '""')}"`).join(' ');
      const result = await sql<ItemsTable>`
        SELECT items.* FROM items_fts JOIN items ON items.rowid = items_fts.rowid
        WHERE items_fts MATCH ${match} ORDER BY items.published_at DESC, items.id LIMIT ${limit}`.execute(this.db);
      return result.rows;
    }
    // A term of one or two characters has no trigram: LIKE over the table (ASCII case-insensitive).
    return substringSearch(this.db, terms, limit, 'LIKE');
  }

  toStoreError(error: unknown): unknown {
    return toStoreError(error, this.name);
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }
}

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
  const ran = tables.includes('kysely_migration')
    ? (sqlite.prepare('SELECT name FROM kysely_migration ORDER BY name').pluck().all() as string[])
    : [];
  const refusal = foreignOrNewer(tables, ran, file, {
    database: 'SQLite database',
    elsewhere: 'set store.path to another file (a new store is created there)',
  });
  if (refusal) throw refusal;
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
