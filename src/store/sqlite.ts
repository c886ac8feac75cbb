/**
 * The SQLite store (the default): one file, better-sqlite3 under kysely, WAL, FTS5 with the trigram
 * tokenizer for full-text search (a large batch's rows indexed by a worker thread after the batch
 * commits: fillSearchIndex). Opening checks the file before anything is written to it.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
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
  private readonly busyTimeoutMs: number;
  /** The worker filling the full-text index, while one runs (fillSearchIndex). */
  private filling: Promise<void> | undefined;
  /** Why the last fill failed, until searchIndexFilled reports it: no other is started meanwhile. */
  private fillFailure: unknown;

  /**
   * Until when (ms since the epoch) the fill worker leaves the write lock to this thread: set before
   * and after each of its writes. The worker waits for it between its steps, so a write of this
   * thread waits for one step at most, and a run's writes in a row none at all (SQLite's busy
   * handler alone would let the worker, which takes the lock again at once, go first for its whole fill).
   */
  private readonly writerHold = new BigInt64Array(new SharedArrayBuffer(8));

  private constructor(sqlite: SQLite.Database, file: string, busyTimeoutMs: number) {
    this.raw = sqlite;
    this.name = file;
    this.busyTimeoutMs = busyTimeoutMs;
    // Kysely's statements, each write announced to the fill worker (writerHold).
    const database = {
      close: () => sqlite.close(),
      prepare: (text: string) => {
        const statement = sqlite.prepare(text);
        if (statement.reader) return statement;
        return {
          reader: false,
          all: (parameters: readonly unknown[]) => statement.all(parameters),
          iterate: (parameters: readonly unknown[]) => statement.iterate(parameters),
          run: (parameters: readonly unknown[]) => {
            this.holdWrites();
            try {
              return statement.run(parameters);
            } finally {
              this.holdWrites();
            }
          },
        };
      },
    };
    this.db = new Kysely<Database>({ dialect: new MigrationLockingSqliteDialect({ database }) });
  }

  private holdWrites(): void {
    Atomics.store(this.writerHold, 0, BigInt(Date.now() + WRITER_GRACE_MS));
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
    const backend = new SqliteBackend(sqlite, absolute, options.busyTimeoutMs ?? BUSY_TIMEOUT_MS);
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
    // Rows a process that ended left out of the full-text index (sqlite.ts#fillSearchIndex).
    else backend.fillSearchIndex();
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
    let apart = false;
    const save = this.raw.transaction(() => {
      const insert = prepared(insertQuery);
      const known = new Set<string>();
      for (let i = 0; i < rows.length; i += 500) {
        const ids = rows.slice(i, i + 500).map((row) => row.id);
        const query = this.db.selectFrom('items').select('id').where('id', 'in', ids).compile();
        for (const row of prepared(query).all(...query.parameters) as { id: string }[]) known.add(row.id);
      }
      // The full-text index takes the batch's new rows after the inserts, not row by row from the
      // insert trigger (migrations 0009, 0010): a new row gets a rowid above every rowid stored
      // before it, so they are the rows above the pending mark, which the trigger leaves alone.
      // (Only when the largest rowid is taken does SQLite pick free ones at random, below the mark:
      // the trigger indexes those.) A mark already there has rows of an earlier batch above it.
      const marked = this.raw.prepare('SELECT 1 FROM items_fts_pending').get() !== undefined;
      if (!marked) this.raw.prepare(MARK_PENDING).run();
      for (const row of rows) insert.run(columns.map((column) => row[column]));
      // A large batch, or one saved while an earlier batch is still being indexed, is indexed by the
      // worker after this transaction; a small one in it, at once. (An in-memory store has no other
      // connection: always at once.)
      apart = this.name !== ':memory:' && (marked || rows.length >= FILL_APART_ROWS);
      this.raw.exec(apart ? DROP_EMPTY_MARK : fillStepSql(-1));
      return { added: rows.length - known.size, seen: known.size };
    });
    this.holdWrites();
    try {
      const result = save.immediate();
      if (apart) this.fillSearchIndex();
      return result;
    } catch (error) {
      throw toStoreError(error, this.name);
    } finally {
      this.holdWrites();
    }
  }

  /**
   * Indexes the rows above the pending mark (migration 0010) in a worker thread with its own
   * connection, a step of FILL_STEP_ROWS rows per transaction, while this thread goes on; one worker
   * at a time. It stops when no row is pending; a batch saved after its last look starts another.
   */
  private fillSearchIndex(): void {
    if (this.filling || this.fillFailure !== undefined) return;
    if (this.raw.prepare('SELECT 1 FROM items_fts_pending').get() === undefined) return;
    this.filling = new Promise<void>((resolve) => {
      const worker = new Worker(FILL_WORKER, {
        eval: true,
        execArgv: [],
        workerData: {
          driver: DRIVER,
          file: this.name,
          busyTimeoutMs: this.busyTimeoutMs,
          step: FILL_STEP,
          writerHold: this.writerHold,
        },
      });
      worker.on('message', (failure: { message: string; code?: string }) => {
        this.fillFailure = Object.assign(new Error(failure.message), { code: failure.code });
      });
      worker.on('error', (error) => {
        this.fillFailure = error;
      });
      worker.on('exit', () => resolve());
    }).then(() => {
      this.filling = undefined;
      this.fillSearchIndex();
    });
  }

  /**
   * Waits until this process's worker has indexed every pending row. Its failure (disk full) is
   * thrown here once, as a StoreError; the rows stay pending, for the next batch's fill or the next
   * opening of the store.
   */
  async searchIndexFilled(): Promise<void> {
    while (this.filling) await this.filling;
    const failure = this.fillFailure;
    if (failure === undefined) return;
    this.fillFailure = undefined;
    throw toStoreError(failure, this.name);
  }

  async searchItems(terms: readonly string[], limit: number): Promise<ItemsTable[]> {
    await this.searchIndexFilled();
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
    try {
      await this.searchIndexFilled();
    } finally {
      await this.db.destroy();
    }
  }
}

/** A batch of at least this many rows is indexed for full-text search after its transaction, by a worker. */
export const FILL_APART_ROWS = 5_000;

/**
 * Rows the worker indexes per transaction: a write of the store's own thread waits for one step at
 * most (about 0.15 s; 50,000 items cost 7% more in steps of 2,000 than at once).
 */
const FILL_STEP_ROWS = 2_000;

/**
 * How long after a write of the store's own thread the worker leaves the write lock to it: the
 * next write of a run comes sooner (SQLite's busy handler retries every 100 ms at most).
 */
const WRITER_GRACE_MS = 250;

/** The mark of migration 0010: every row above the largest rowid stored now is not indexed yet. */
const MARK_PENDING = 'INSERT INTO items_fts_pending (after_rowid) SELECT coalesce(max(rowid), 0) FROM items';

/** The mark goes when no row is above it. */
const DROP_EMPTY_MARK =
  'DELETE FROM items_fts_pending WHERE after_rowid >= (SELECT coalesce(max(rowid), 0) FROM items)';

/**
 * One step of the fill, inside a write transaction: the first `limit` rows above the mark (in rowid
 * order; -1: all of them) are indexed and the mark moves past them.
 */
function fillStepSql(limit: number): string {
  const above = `FROM items WHERE rowid > (SELECT after_rowid FROM items_fts_pending) ORDER BY rowid LIMIT ${limit}`;
  return `INSERT INTO items_fts (rowid, title, text) SELECT rowid, title, text ${above};
    UPDATE items_fts_pending SET after_rowid = coalesce((SELECT max(rowid) FROM (SELECT rowid ${above})), after_rowid);
    ${DROP_EMPTY_MARK};`;
}

const FILL_STEP = fillStepSql(FILL_STEP_ROWS);

/** better-sqlite3, for the worker (whose code is evaluated, not a module of ours). */
const DRIVER = createRequire(import.meta.url).resolve('better-sqlite3');

/**
 * The worker of fillSearchIndex: its own connection to the store runs the fill's steps, one
 * transaction each, until no row is pending, and posts its failure (if any) before it ends. Before
 * each step it waits while the store's own thread holds the write lock for itself (`writerHold`).
 */
const FILL_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const SQLite = require(workerData.driver);
const hold = workerData.writerHold;
const sleeper = new Int32Array(new SharedArrayBuffer(4));
function waitForWriter() {
  for (;;) {
    const left = Number(Atomics.load(hold, 0)) - Date.now();
    if (left <= 0) return;
    Atomics.wait(sleeper, 0, 0, left);
  }
}
let db;
try {
  db = new SQLite(workerData.file);
  db.pragma('busy_timeout = ' + workerData.busyTimeoutMs);
  // The fill writes the index out in order: SQLite's own default page cache (2 MB) serves it as
  // fast as better-sqlite3's 16 MB, which would only add to the run's memory.
  db.pragma('cache_size = -2000');
  const pending = db.prepare('SELECT 1 FROM items_fts_pending');
  const step = db.transaction(() => db.exec(workerData.step));
  for (;;) {
    waitForWriter();
    if (pending.get() === undefined) break;
    step.immediate();
  }
} catch (error) {
  parentPort.postMessage({ message: String(error && error.message ? error.message : error), code: error && error.code });
} finally {
  if (db) db.close();
}
`;

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
