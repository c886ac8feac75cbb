import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import SQLite from 'better-sqlite3';
import { dayFile } from '../../test/support/fixtures.js';
import { collectSources } from '../app/collect.js';
import { loadConfig } from '../config/load.js';
import { StoreError } from '../core/errors.js';
import { silentLogger } from '../core/log.js';
import type { Item } from '../core/types.js';
import { createReplayTransport, loadRecordedDay } from '../http/replay.js';
import { Store } from './store.js';

function bigItem(n: number): Item {
  return {
    id: `item-${n}`,
    sourceId: 'openai-news',
    identity: `guid:${n}`,
    url: `https://openai.com/index/${n}`,
    canonicalUrl: `https://openai.com/index/${n}`,
    title: `Item ${n}`,
    text: `${n} `.repeat(2000),
    language: 'en',
    publishedAt: '2026-08-21T07:00:00.000Z',
    fetchedAt: '2026-08-22T02:00:00.000Z',
    authors: [],
    engagement: {},
    tags: [],
    externalIds: {},
  };
}

function isStoreError(problem: StoreError['problem'], pattern: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof StoreError, `a StoreError, got ${String(error)}`);
    assert.equal(error.problem, problem);
    assert.match(error.message, pattern);
    return true;
  };
}

describe('store failures are StoreErrors with the file, the cause and what to do', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'ai-daily-store-errors-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('a full store (max_page_count) fails the batch as "full", keeps none of it, and no rollback error hides it', async () => {
    const file = path.join(dir, 'full.db');
    const store = await Store.open(file);
    try {
      await store.saveItems([bigItem(0)]);
      const pages = Number(store.raw.pragma('page_count', { simple: true }));
      store.raw.pragma(`max_page_count = ${pages + 4}`);
      const batch = Array.from({ length: 50 }, (_, n) => bigItem(n + 1));
      await assert.rejects(store.saveItems(batch), isStoreError('full', new RegExp(`the store ${file} is full`)));
      assert.equal(await store.countItems(), 1, 'the failed batch left nothing behind');
    } finally {
      await store.close();
    }
  });

  it('a full store during collect stops the collect as a store failure, never a source\'s "parse" failure', async () => {
    const file = path.join(dir, 'collect-full.db');
    const store = await Store.open(file);
    try {
      await store.upsertSources([], new Date());
      store.raw.pragma(`max_page_count = ${Number(store.raw.pragma('page_count', { simple: true })) + 2}`);
      const day = loadRecordedDay(dayFile('2026-08-22'));
      const config = loadConfig({ file: '/dev/null', cwd: dir, env: {} });
      await assert.rejects(
        collectSources({
          config,
          store,
          transport: createReplayTransport(day),
          now: new Date(day.now),
          log: silentLogger,
        }),
        isStoreError('full', /is full/),
      );
    } finally {
      await store.close();
    }
  });

  it('a store path that is a folder is named, with what to set', async () => {
    const folder = path.join(dir, 'a-folder.db');
    mkdirSync(folder);
    await assert.rejects(Store.open(folder), isStoreError('cannot-open', /store path .*a-folder\.db is a folder/));
  });

  it('a store whose folder is a file names the folder and the cause', async () => {
    writeFileSync(path.join(dir, 'plain-file'), 'x');
    await assert.rejects(
      Store.open(path.join(dir, 'plain-file', 'ai-daily.db')),
      isStoreError('cannot-open', /plain-file.*(ENOTDIR|EEXIST)/),
    );
  });

  it('a damaged store names the file and says how to recover, at open (before any collect)', async () => {
    const file = path.join(dir, 'damaged.db');
    const store = await Store.open(file);
    await store.saveItems(Array.from({ length: 20 }, (_, n) => bigItem(n)));
    store.raw.pragma('wal_checkpoint(TRUNCATE)');
    await store.close();
    const bytes = readFileSync(file);
    // Overwrite the middle pages (the items table and its indexes) with garbage, keep the header.
    for (let i = 4096 * 2; i < bytes.length - 4096; i++) bytes[i] = (i * 7) % 251;
    writeFileSync(file, bytes);
    await assert.rejects(
      Store.open(file),
      isStoreError('corrupt', new RegExp(`store ${file} is damaged.*move it aside \\(mv "${file}"`)),
    );
  });

  it('a file that is not SQLite is named as not a store, with its first bytes, and left untouched', async () => {
    const file = path.join(dir, 'config-by-mistake.db');
    const text = 'store:\n  path: ./data/ai-daily.db\n'.repeat(50);
    writeFileSync(file, text);
    await assert.rejects(
      Store.open(file),
      isStoreError(
        'not-a-store',
        /config-by-mistake\.db is not a SQLite database \(it begins with "store:\. {2}path: \.\/data\/ai".*left untouched\. Set store\.path to another file/,
      ),
    );
    assert.equal(readFileSync(file, 'utf8'), text);
  });

  it("another program's SQLite database is refused before anything is written to it", async () => {
    const file = path.join(dir, 'places.sqlite');
    const other = new SQLite(file);
    other.exec(
      "CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT); INSERT INTO moz_places (url) VALUES ('a');",
    );
    other.exec('CREATE TABLE items (id INTEGER PRIMARY KEY)');
    other.close();
    const before = readFileSync(file);
    await assert.rejects(
      Store.open(file),
      isStoreError(
        'not-a-store',
        /places\.sqlite is another program's SQLite database \(its tables: items, moz_places\).*untouched.*store\.path/,
      ),
    );
    assert.deepEqual(readFileSync(file), before, 'not converted to WAL, no table added');
    assert.equal(existsSync(`${file}-wal`), false);
  });

  it('a store written by a newer version (a migration this version does not know) is named, not migrated', async () => {
    const file = path.join(dir, 'newer.db');
    const store = await Store.open(file);
    store.raw
      .prepare(
        "INSERT INTO kysely_migration (name, timestamp) VALUES ('9001-future-table', '2030-01-01T00:00:00.000Z')",
      )
      .run();
    await store.close();
    await assert.rejects(
      Store.open(file),
      isStoreError(
        'newer',
        /newer\.db was written by a newer version of ai-daily \(schema 9001-future-table; this version .* knows up to \d{4}-[a-z-]+\).*Upgrade ai-daily, or set store\.path/,
      ),
    );
  });

  it('a store whose write lock another process holds is "locked by another program", never a COMMIT error', async () => {
    const file = path.join(dir, 'locked.db');
    await (await Store.open(file)).close();
    const holder = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import SQLite from 'better-sqlite3'; const db = new SQLite(${JSON.stringify(file)}); db.exec('BEGIN IMMEDIATE'); db.exec('CREATE TABLE held (x)'); process.stdout.write('held\\n'); setInterval(() => {}, 1000);`,
      ],
      { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      await once(holder.stdout, 'data');
      await assert.rejects(
        Store.open(file, { busyTimeoutMs: 300 }),
        isStoreError(
          'locked',
          /store .*locked\.db is locked by another program: retry when it is done, or stop it \(database is locked, SQLITE_BUSY\)/,
        ),
      );
    } finally {
      holder.kill();
      await once(holder, 'close');
    }
    // Once the other program is gone, the store opens; its uncommitted table never existed.
    const store = await Store.open(file);
    try {
      assert.equal(store.raw.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'held'").pluck().get(), 0);
    } finally {
      await store.close();
    }
  });
});
