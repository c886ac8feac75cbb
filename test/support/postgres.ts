/**
 * PostgreSQL for tests. Given a server's URL in `AI_DAILY_TEST_PG_URL` (or `DATABASE_URL`), each
 * test file creates its own databases (random names, `CREATE DATABASE`) and drops them after, so
 * files run side by side on one server. `.ci/run` starts a throwaway PostgreSQL 15 cluster and sets
 * the URL; locally, `.ci/with-postgres npm test` does the same.
 *
 * Without a URL the PostgreSQL variants are skipped with one line saying why; under `CI=true` they
 * fail instead (CI must run every store test on both databases).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The server URL the tests use, if one is set. */
export function testPostgresUrl(): string | undefined {
  const url = process.env.AI_DAILY_TEST_PG_URL ?? process.env.DATABASE_URL;
  return url === undefined || url.trim() === '' ? undefined : url.trim();
}

const NO_URL =
  'no PostgreSQL: set AI_DAILY_TEST_PG_URL (or DATABASE_URL) to a server where this user may CREATE DATABASE, ' +
  'or run `.ci/with-postgres npm test`';

/**
 * Why the PostgreSQL variants are skipped, or undefined when they run. Under CI a missing URL is
 * not a reason to skip: the variants run and fail, naming what is missing.
 */
export function postgresSkip(): string | undefined {
  if (testPostgresUrl() !== undefined || process.env.CI === 'true') return undefined;
  return `PostgreSQL variants skipped: ${NO_URL}`;
}

export interface TestDatabase {
  /** The new database's URL. */
  url: string;
  /** Drops the database (closing what is still connected to it). */
  drop(): Promise<void>;
}

/** A new, empty database on the test server (UTF-8), named `ai_daily_test_<random>`. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const server = testPostgresUrl();
  if (server === undefined) throw new Error(`CI runs every store test on PostgreSQL too, but there is ${NO_URL}`);
  const name = `ai_daily_test_${randomBytes(6).toString('hex')}`;
  await admin(server, `CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8'`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => admin(server, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

async function admin(server: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: server });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
