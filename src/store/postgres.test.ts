/**
 * PostgreSQL-only behaviour: a database that cannot be reached or does not exist is a StoreError
 * naming the database with its password hidden; the full-text indexes are pg_trgm's. Everything a
 * store does is in the contract suite (contract.test.ts), which runs on both databases.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, describe, it } from 'node:test';
import { createTestDatabase, postgresSkip, type TestDatabase, testPostgresUrl } from '../../test/support/postgres.js';
import { StoreError } from '../core/errors.js';
import { clearSecrets, registerSecrets } from '../core/redact.js';
import { postgresName } from './postgres.js';
import { Store } from './store.js';

const PASSWORD = 'pg-s3cret-passw0rd';

function refused(problem: StoreError['problem'], pattern: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof StoreError, `a StoreError, got ${String(error)}`);
    assert.equal(error.problem, problem);
    assert.match(error.message, pattern);
    assert.ok(!error.message.includes(PASSWORD), `the password is hidden: ${error.message}`);
    assert.ok(!error.file.includes(PASSWORD));
    return true;
  };
}

/** A loopback port where nothing listens. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('the PostgreSQL store name', () => {
  it('shows the host, port and database, never the user name or password', () => {
    assert.equal(
      postgresName(`postgres://ai_daily:${PASSWORD}@db.example.org:5432/ai_daily?sslmode=require`),
      'postgres://***@db.example.org:5432/ai_daily',
    );
    assert.equal(postgresName('postgresql://127.0.0.1/daily'), 'postgresql://127.0.0.1/daily');
  });

  it('a server that cannot be reached is "cannot-open", naming the database and what to check', async () => {
    const url = `postgres://ai_daily:${PASSWORD}@127.0.0.1:${await closedPort()}/ai_daily`;
    await assert.rejects(
      Store.connect({ driver: 'postgres', url }),
      refused(
        'cannot-open',
        /cannot open the store postgres:\/\/\*\*\*@127\.0\.0\.1:\d+\/ai_daily: .*ECONNREFUSED.*store\.url/,
      ),
    );
  });
});

describe('PostgreSQL store', postgresSkip() ? { skip: postgresSkip() } : {}, () => {
  const databases: TestDatabase[] = [];
  after(async () => {
    clearSecrets();
    for (const database of databases) await database.drop();
  });

  it('a database that does not exist is "cannot-open" with the server\'s reason, password hidden', async () => {
    const url = new URL(testPostgresUrl() ?? 'postgres://127.0.0.1/postgres');
    url.password = PASSWORD;
    url.username ||= 'postgres';
    url.pathname = '/ai_daily_no_such_database';
    registerSecrets([PASSWORD]);
    await assert.rejects(
      Store.connect({ driver: 'postgres', url: url.toString() }),
      refused('cannot-open', /cannot open the store .*ai_daily_no_such_database.*does not exist.*3D000/),
    );
  });

  it('serves title and text search from pg_trgm GIN indexes', async () => {
    const database = await createTestDatabase();
    databases.push(database);
    const store = await Store.connect({ driver: 'postgres', url: database.url });
    try {
      const indexes = await store.db
        .withTables<{ pg_indexes: { indexname: string; indexdef: string; tablename: string } }>()
        .selectFrom('pg_indexes')
        .select(['indexname', 'indexdef'])
        .where('tablename', '=', 'items')
        .where('indexname', 'like', '%trgm')
        .orderBy('indexname')
        .execute();
      assert.deepEqual(
        indexes.map((i) => i.indexname),
        ['items_text_trgm', 'items_title_trgm'],
      );
      for (const index of indexes) assert.match(index.indexdef, /USING gin \(\w+ gin_trgm_ops\)/);
    } finally {
      await store.close();
    }
  });
});
