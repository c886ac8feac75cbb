import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { dayFile } from '../../test/support/fixtures.js';
import { loadConfig } from '../config/load.js';
import { StoreError } from '../core/errors.js';
import { silentLogger } from '../core/log.js';
import type { Item } from '../core/types.js';
import { createReplayTransport, loadRecordedDay } from '../http/replay.js';
import { collectSources } from '../pipeline/collect.js';
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
    writeFileSync(file, 'this is not a database, but it is long enough to have a header'.repeat(100));
    await assert.rejects(Store.open(file), isStoreError('corrupt', /is damaged.*move it aside/));
  });
});
