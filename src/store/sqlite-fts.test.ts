/**
 * SQLite's full-text index filled after the inserts (migrations 0009, 0010, sqlite.ts#saveItems): a
 * small batch in its own transaction, a large one by a worker thread; the cases only SQLite has.
 * The index is checked against the items table by FTS5 itself after each.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, sql } from 'kysely';
import { StoreError } from '../core/errors.js';
import type { Item } from '../core/types.js';
import { migrationProvider } from './migrations.js';
import { FILL_APART_ROWS } from './sqlite.js';
import { Store } from './store.js';

function item(n: number, title: string): Item {
  return {
    id: `i${n}`,
    sourceId: 'src',
    identity: `guid:${n}`,
    url: `https://example.com/${n}`,
    canonicalUrl: `https://example.com/${n}`,
    title,
    text: `Text of item ${n}.`,
    language: 'en',
    publishedAt: `2026-08-21T07:00:${String(n).padStart(2, '0')}.000Z`,
    fetchedAt: '2026-08-22T02:00:00.000Z',
    authors: [],
    engagement: {},
    tags: [],
    externalIds: {},
  };
}

/** The row of `item(n, title)` as the items table holds it, for writing around saveItems. */
function rowValues(n: number, title: string): unknown[] {
  const i = item(n, title);
  return [i.id, i.sourceId, i.identity, i.url, i.canonicalUrl, title, i.text, 'en', i.publishedAt, i.fetchedAt];
}

const INSERT_ROW = `INSERT INTO items (id, source_id, identity, url, canonical_url, title, text, language, published_at,
  fetched_at, authors_json, engagement_json, tags_json, external_ids_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '[]', '{}', '[]', '{}')`;

describe('SQLite full-text index, filled once per batch', () => {
  let dir: string;
  let store: Store;
  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'ai-daily-fts-'));
    store = await Store.connect({ driver: 'sqlite', path: path.join(dir, 'store.db') });
  });
  after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const found = async (term: string) => (await store.searchItems(term)).map((i) => i.id);
  const checkIndex = () => sql`INSERT INTO items_fts (items_fts, rank) VALUES ('integrity-check', 1)`.execute(store.db);
  const batchRows = async () =>
    (await sql<{ n: number }>`SELECT count(*) AS n FROM items_fts_pending`.execute(store.db)).rows[0]?.n;

  it('indexes a batch, and a failed batch leaves neither rows nor index entries nor its marker', async () => {
    await store.saveItems([item(1, 'Aardvark models'), item(2, 'Bison datasets')]);
    assert.deepEqual(await found('aardvark'), ['i1']);
    const bad = { ...item(3, 'Cheetah'), title: null } as unknown as Item;
    await assert.rejects(store.saveItems([item(4, 'Dingo chips'), bad]));
    assert.deepEqual(await found('dingo'), []);
    assert.equal(await batchRows(), 0);
    await checkIndex();
  });

  it('when the largest rowid is taken (SQLite then picks free rowids at random), each row is indexed by the trigger', async () => {
    await sql`INSERT INTO items (rowid, id, source_id, identity, url, canonical_url, title, text, language, published_at, fetched_at, authors_json, engagement_json, tags_json, external_ids_json)
      VALUES (9223372036854775807, 'top', 'src', 'guid:top', '', '', 'Emu top row', '', 'en', '2026-08-20T00:00:00.000Z', '', '[]', '{}', '[]', '{}')`.execute(
      store.db,
    );
    assert.deepEqual(await found('emu top'), ['top']);
    assert.deepEqual(await store.saveItems([item(5, 'Ferret agents'), item(6, 'Gecko agents')]), {
      added: 2,
      seen: 0,
    });
    assert.deepEqual(await found('agents'), ['i6', 'i5']);
    assert.equal(await batchRows(), 0);
    await checkIndex();
  });
});

describe('SQLite full-text index, filled by a worker after a large batch', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'ai-daily-fts-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const checkIndex = (store: Store) =>
    sql`INSERT INTO items_fts (items_fts, rank) VALUES ('integrity-check', 1)`.execute(store.db);
  const pendingRows = (store: Store) =>
    (store.raw.prepare('SELECT count(*) AS n FROM items_fts_pending').get() as { n: number }).n;

  it('indexes a large batch after its transaction: every item is found, and the mark is gone', async () => {
    const store = await Store.connect({ driver: 'sqlite', path: path.join(dir, 'large.db') });
    try {
      const many = Array.from({ length: FILL_APART_ROWS }, (_, n) => item(100 + n, `Tapir report ${n}`));
      assert.deepEqual(await store.saveItems(many), { added: FILL_APART_ROWS, seen: 0 });
      // Saved while the worker may still be indexing the first batch: its rows join the fill.
      await store.saveItems([item(1, 'Quokka robotics')]);
      const found = async (term: string) => (await store.searchItems(term, 5)).map((i) => i.id);
      assert.deepEqual(await found(`tapir report ${FILL_APART_ROWS - 1}`), [`i${100 + FILL_APART_ROWS - 1}`]);
      assert.deepEqual(await found('tapir report 0'), ['i100']);
      assert.deepEqual(await found('quokka'), ['i1']);
      assert.equal((await store.searchItems('tapir report', FILL_APART_ROWS + 10)).length, FILL_APART_ROWS);
      assert.equal(pendingRows(store), 0);
      await checkIndex(store);
      // Saved again (all seen): nothing to index, no mark left behind.
      assert.deepEqual(await store.saveItems(many), { added: 0, seen: FILL_APART_ROWS });
      assert.equal(pendingRows(store), 0);
    } finally {
      await store.close();
    }
  });

  it('finishes the rows a process left out of the index when the store is next opened; a delete or an update of such a row keeps the index right', async () => {
    const file = path.join(dir, 'left.db');
    const first = await Store.connect({ driver: 'sqlite', path: file });
    try {
      await first.saveItems([item(1, 'Indexed wombat')]);
      // What a process that ended while its worker was indexing leaves: rows above the mark.
      first.raw.transaction(() => {
        first.raw.prepare('INSERT INTO items_fts_pending (after_rowid) SELECT max(rowid) FROM items').run();
        const insert = first.raw.prepare(INSERT_ROW);
        insert.run(...rowValues(2, 'Pending lemur'));
        insert.run(...rowValues(3, 'Pending gibbon'));
        insert.run(...rowValues(4, 'Pending marmot'));
      })();
      assert.deepEqual(
        (await first.searchItems('pending')).map((i) => i.id),
        [],
        'not in the index yet',
      );
      first.raw.prepare('DELETE FROM items WHERE id = ?').run('i3');
      first.raw.prepare('UPDATE items SET title = ? WHERE id = ?').run('Pending meerkat', 'i4');
    } finally {
      await first.close();
    }
    const again = await Store.connect({ driver: 'sqlite', path: file });
    try {
      const found = async (term: string) => (await again.searchItems(term)).map((i) => i.id);
      assert.deepEqual(await found('pending'), ['i4', 'i2']);
      assert.deepEqual(await found('gibbon'), []);
      assert.deepEqual(await found('marmot'), []);
      assert.deepEqual(await found('meerkat'), ['i4']);
      assert.deepEqual(await found('wombat'), ['i1']);
      assert.equal(pendingRows(again), 0);
      await checkIndex(again);
    } finally {
      await again.close();
    }
  });

  it("the worker's failure is thrown once, as a StoreError, by the next search; its rows stay pending", async () => {
    const store = await Store.connect({ driver: 'sqlite', path: path.join(dir, 'failing.db') });
    try {
      store.raw.transaction(() => {
        store.raw.prepare('INSERT INTO items_fts_pending (after_rowid) VALUES (0)').run();
        store.raw.prepare(INSERT_ROW).run(...rowValues(1, 'Pending yak'));
      })();
      // A fill step that cannot end (as a full disk would make it).
      store.raw.exec(`CREATE TRIGGER refuse_fill BEFORE DELETE ON items_fts_pending BEGIN
        SELECT RAISE(ABORT, 'no room'); END`);
      await store.saveItems([item(2, 'Zebu agents')]);
      await assert.rejects(store.searchItems('agents'), (error: unknown) => {
        assert.ok(error instanceof StoreError, `a StoreError, got ${String(error)}`);
        return true;
      });
      assert.deepEqual(await store.searchItems('agents'), [], 'reported once; the batch is not indexed yet');
      assert.equal(pendingRows(store), 1);
      store.raw.exec('DROP TRIGGER refuse_fill');
      await store.saveItems([item(3, 'Zebu tools')]);
      assert.deepEqual(
        (await store.searchItems('zebu')).map((i) => i.id),
        ['i3', 'i2'],
        "the next batch's fill indexes every pending row",
      );
      assert.equal(pendingRows(store), 0);
      await checkIndex(store);
    } finally {
      await store.close();
    }
  });

  it('a store of migration 0009 keeps its search right after migration 0010', async () => {
    const file = path.join(dir, 'at-0009.db');
    const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: new Database(file) }) });
    try {
      const migrated = await new Migrator({ db, provider: migrationProvider('sqlite') }).migrateTo(
        '0009-items-fts-batched',
      );
      assert.equal(migrated.error, undefined);
      await sql`INSERT INTO items (id, source_id, identity, url, canonical_url, title, text, language, published_at, fetched_at, authors_json, engagement_json, tags_json, external_ids_json)
        VALUES ('old', 'src', 'guid:old', '', '', 'Okapi datasets', '', 'en', '2026-08-20T00:00:00.000Z', '', '[]', '{}', '[]', '{}')`.execute(
        db,
      );
    } finally {
      await db.destroy();
    }
    const store = await Store.connect({ driver: 'sqlite', path: file });
    try {
      const found = async (term: string) => (await store.searchItems(term)).map((i) => i.id);
      assert.deepEqual(await found('okapi'), ['old'], 'indexed before the migration, found after it');
      const tables = store.raw.prepare("SELECT name FROM sqlite_master WHERE name LIKE 'items_fts_%'").pluck().all();
      assert.ok(tables.includes('items_fts_pending'));
      assert.ok(!tables.includes('items_fts_batch'));
      await store.saveItems([item(1, 'Okapi agents')]);
      await store.saveItems(Array.from({ length: FILL_APART_ROWS }, (_, n) => item(100 + n, `Bulk ${n}`)));
      assert.deepEqual(await found('okapi'), ['i1', 'old']);
      assert.equal((await store.searchItems('bulk', FILL_APART_ROWS)).length, FILL_APART_ROWS);
      await checkIndex(store);
    } finally {
      await store.close();
    }
  });
});
