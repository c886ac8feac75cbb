/**
 * SQLite's full-text index filled once per batch (migration 0009, sqlite.ts#saveItems): the cases
 * only SQLite has. The index is checked against the items table by FTS5 itself after each.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import type { Item } from '../core/types.js';
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
    (await sql<{ n: number }>`SELECT count(*) AS n FROM items_fts_batch`.execute(store.db)).rows[0]?.n;

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
