/**
 * The store's two backends for the contract suite (src/store/contract.test.ts) and the tests that
 * run a day on both: each gives new, empty store locations and removes them all in `cleanup`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { StoreLocation } from '../../src/store/spec.js';
import { createTestDatabase, postgresSkip, type TestDatabase } from './postgres.js';

export interface StoreBackendHarness {
  name: 'sqlite' | 'postgres';
  /** Why this backend's tests are skipped (no PostgreSQL server outside CI), if they are. */
  skip?: string;
  /** A new, empty store. */
  location(): Promise<StoreLocation>;
  /** Removes every store this harness made. */
  cleanup(): Promise<void>;
}

function sqliteHarness(): StoreBackendHarness {
  let dir: string | undefined;
  let count = 0;
  return {
    name: 'sqlite',
    async location() {
      dir ??= mkdtempSync(path.join(tmpdir(), 'ai-daily-store-'));
      count += 1;
      return { driver: 'sqlite', path: path.join(dir, `store-${count}`, 'ai-daily.db') };
    },
    async cleanup() {
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

function postgresHarness(): StoreBackendHarness {
  const databases: TestDatabase[] = [];
  const skip = postgresSkip();
  return {
    name: 'postgres',
    ...(skip ? { skip } : {}),
    async location() {
      const database = await createTestDatabase();
      databases.push(database);
      return { driver: 'postgres', url: database.url };
    },
    async cleanup() {
      for (const database of databases.splice(0)) await database.drop();
    },
  };
}

/** SQLite and PostgreSQL, in that order. */
export function storeBackends(): StoreBackendHarness[] {
  return [sqliteHarness(), postgresHarness()];
}
