import SQLite from 'better-sqlite3';
import { StoreError, type StoreProblem } from '../core/errors.js';
import { redact } from '../core/redact.js';

/** The SQLite result code of an error (`SQLITE_FULL`, `SQLITE_READONLY_DBMOVED`, …), if it has one. */
export function sqliteCode(error: unknown): string | undefined {
  if (error instanceof SQLite.SqliteError) return error.code;
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : undefined;
}

function problemOf(code: string): StoreProblem {
  if (code === 'SQLITE_FULL') return 'full';
  if (code.startsWith('SQLITE_READONLY')) return 'read-only';
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return 'locked';
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') return 'corrupt';
  if (code.startsWith('SQLITE_CANTOPEN')) return 'cannot-open';
  if (code.startsWith('SQLITE_IOERR')) return 'io';
  return 'other';
}

/** How to get out of a damaged store: the same words wherever it is found. */
export function damagedStoreAdvice(file: string): string {
  return (
    `move it aside (mv "${file}" "${file}.damaged") and run again: a new, empty store is created in its place. ` +
    'Published reports and your config are not affected; only what the old store held (collected items, ' +
    'the memory of earlier reports) starts afresh.'
  );
}

/**
 * The SQLSTATE of a PostgreSQL server error (`53100`, `25006`, …), if it is one: node-postgres
 * gives it as `code` beside the server's `severity`.
 */
export function postgresCode(error: unknown): string | undefined {
  const { code, severity } = (error ?? {}) as { code?: unknown; severity?: unknown };
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && typeof severity === 'string' ? code : undefined;
}

/** SQLSTATE classes: https://www.postgresql.org/docs/15/errcodes-appendix.html */
function postgresProblem(code: string): StoreProblem {
  if (code === '53100' || code === '53200') return 'full';
  if (code === '25006') return 'read-only';
  if (code === '55P03' || code === '40P01' || code === '40001' || code === '57014') return 'locked';
  if (code === 'XX001' || code === 'XX002') return 'corrupt';
  if (code.startsWith('08') || code.startsWith('28') || code === '3D000' || code === '57P03') return 'cannot-open';
  if (code.startsWith('58')) return 'io';
  return 'other';
}

/** A PostgreSQL failure as a StoreError naming the database (its URL, password hidden) and the cause. */
function postgresStoreError(error: unknown, code: string, name: string): StoreError {
  const cause = redact(error instanceof Error ? error.message : String(error));
  const problem = postgresProblem(code);
  const messages: Record<StoreProblem, string> = {
    full: `the store ${name} is full: ${cause} (SQLSTATE ${code}) — free space on the database server's disk`,
    'read-only': `the store ${name} is read-only: ${cause} (SQLSTATE ${code}) — connect to the primary, as a role that may write`,
    locked: `the store ${name} is locked by another program: retry when it is done, or stop it (${cause}, SQLSTATE ${code})`,
    corrupt: `the store ${name} is damaged: ${cause} (SQLSTATE ${code}) — restore the database from a backup`,
    'not-a-store': `the store ${name} is not ai-daily's store: ${cause} (SQLSTATE ${code})`,
    newer: `the store ${name} was written by a newer version of ai-daily: ${cause} (SQLSTATE ${code})`,
    'cannot-open': `cannot open the store ${name}: ${cause} (SQLSTATE ${code}) — check store.url (host, database, user, password)`,
    io: `input/output error on the store ${name}: ${cause} (SQLSTATE ${code})`,
    other: `the store ${name} failed: ${cause} (SQLSTATE ${code})`,
  };
  return new StoreError(problem, name, messages[problem], { cause: error });
}

/**
 * A SQLite or PostgreSQL failure as a StoreError naming the store, the real cause and what to do;
 * anything else (already a StoreError, or not from the database) is returned unchanged.
 */
export function toStoreError(error: unknown, file: string): unknown {
  if (error instanceof StoreError) return error;
  const pg = postgresCode(error);
  if (pg !== undefined) return postgresStoreError(error, pg, file);
  const code = sqliteCode(error);
  if (code === undefined) return error;
  const cause = error instanceof Error ? error.message : String(error);
  const problem = problemOf(code);
  const messages: Record<StoreProblem, string> = {
    full: `the store ${file} is full: ${cause} (${code}) — free space on its disk, or raise its size limit`,
    'read-only': `the store ${file} is read-only: ${cause} (${code}) — check the file's and its folder's permissions and mount`,
    locked: `the store ${file} is locked by another program: retry when it is done, or stop it (${cause}, ${code})`,
    corrupt: `the store ${file} is damaged: ${cause} (${code}). To recover, ${damagedStoreAdvice(file)}`,
    'not-a-store': `the store ${file} is not ai-daily's store: ${cause} (${code})`,
    newer: `the store ${file} was written by a newer version of ai-daily: ${cause} (${code})`,
    'cannot-open': `cannot open the store ${file}: ${cause} (${code})`,
    io: `input/output error on the store ${file}: ${cause} (${code})`,
    other: `the store ${file} failed: ${cause} (${code})`,
  };
  return new StoreError(problem, file, messages[problem], { cause: error });
}
