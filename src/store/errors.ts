import SQLite from 'better-sqlite3';
import { StoreError, type StoreProblem } from '../core/errors.js';

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
 * A SQLite failure as a StoreError naming the file, the real cause and what to do; anything else
 * (already a StoreError, or not from SQLite) is returned unchanged.
 */
export function toStoreError(error: unknown, file: string): unknown {
  if (error instanceof StoreError) return error;
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
