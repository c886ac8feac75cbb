import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Item, Story } from '../core/types.js';
import { Store, shiftDate } from './store.js';

function item(overrides: Partial<Item> = {}): Item {
  return {
    id: 'a1',
    sourceId: 'openai-news',
    identity: 'guid:https://openai.com/index/x',
    guid: 'https://openai.com/index/x',
    url: 'https://openai.com/index/x',
    canonicalUrl: 'https://openai.com/index/x',
    title: 'Introducing 大模型 agents',
    text: 'OpenAI introduces a new agents platform for developers. 人工智能平台发布。',
    language: 'en',
    publishedAt: '2026-08-21T07:00:00.000Z',
    fetchedAt: '2026-08-22T02:00:00.000Z',
    authors: ['OpenAI'],
    engagement: { points: 10 },
    tags: ['AI'],
    externalIds: {},
    ...overrides,
  };
}

describe('Store (SQLite file)', () => {
  let dir: string;
  let store: Store;
  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'ai-daily-store-'));
    store = await Store.open(path.join(dir, 'sub', 'test.db'));
  });
  after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('adds an item once and refreshes its engagement on the second save', async () => {
    assert.deepEqual(await store.saveItems([item()]), { added: 1, seen: 0 });
    assert.deepEqual(await store.saveItems([item({ engagement: { points: 99 } })]), { added: 0, seen: 1 });
    const [stored] = await store.itemsPublishedBetween('2026-08-20T00:00:00Z', '2026-08-23T00:00:00Z');
    assert.equal(stored?.engagement.points, 99);
    assert.equal(stored?.guid, 'https://openai.com/index/x');
    assert.equal(await store.countItems(['openai-news']), 1);
    assert.equal(await store.countItems(['other']), 0);
  });

  it('enforces identity uniqueness per source in the database', () => {
    assert.throws(
      () =>
        store.raw
          .prepare(
            `INSERT INTO items (id, source_id, identity, url, canonical_url, title, text, language, published_at,
             fetched_at, authors_json, engagement_json, tags_json, external_ids_json)
             VALUES ('other-id', 'openai-news', 'guid:https://openai.com/index/x', '', '', '', '', 'en', '', '', '[]', '{}', '[]', '{}')`,
          )
          .run(),
      /UNIQUE constraint failed/,
    );
  });

  it('finds items by full-text search, Chinese substrings included', async () => {
    assert.equal((await store.searchItems('agents platform'))[0]?.id, 'a1');
    assert.equal((await store.searchItems('人工智能平台'))[0]?.id, 'a1');
    assert.equal((await store.searchItems('nothing like this')).length, 0);
  });

  it('keeps published stories for cross-day memory, replacing a re-run of the same date', async () => {
    const story: Story = {
      id: 's1',
      title: 't',
      itemIds: ['a1'],
      sourceIds: ['openai-news'],
      keys: ['url:https://openai.com/index/x'],
      section: 'products',
      score: { recency: 1, authority: 1, coverage: 0, engagement: 0, relevance: 1, newsValue: 1, total: 0.7 },
      firstSeenAt: '2026-08-21T07:00:00.000Z',
    };
    const report = {
      date: '2026-08-22',
      language: 'zh',
      mode: 'extractive',
      generatedAt: '2026-08-22T02:00:00.000Z',
      markdownPath: 'reports/2026/08/2026-08-22.md',
      jsonPath: 'reports/2026/08/2026-08-22.json',
      manifest: {},
      stories: [story],
    };
    await store.saveReport(report);
    await store.saveReport(report);
    assert.equal((await store.publishedStoriesBefore('2026-08-22')).length, 0);
    const next = await store.publishedStoriesBefore('2026-08-23');
    assert.equal(next.length, 1);
    assert.deepEqual(next[0]?.itemIds, ['a1']);
  });

  it('resumes an unfinished run with its finished stages, and starts afresh after a finished one', async () => {
    const now = new Date('2026-08-22T02:00:00Z');
    const first = await store.beginRun('k', '2026-08-22', now);
    assert.equal(first.resumed, false);
    await store.saveStage(first.id, 'collect', { sources: 3 }, now);
    const resumed = await store.beginRun('k', '2026-08-22', now);
    assert.equal(resumed.id, first.id);
    assert.deepEqual(resumed.stages.get('collect'), { sources: 3 });
    await store.finishRun(first.id, 'done', now);
    const fresh = await store.beginRun('k', '2026-08-22', new Date('2026-08-22T03:00:00Z'));
    assert.notEqual(fresh.id, first.id);
    assert.equal(fresh.stages.size, 0);
  });

  it('stores HTTP validators per URL', async () => {
    await store.saveValidators(new Map([['https://a/feed', { etag: '"x"' }]]), new Date());
    assert.deepEqual((await store.loadValidators()).get('https://a/feed'), { etag: '"x"', lastModified: undefined });
  });
});

describe('shiftDate', () => {
  it('moves across month and year ends', () => {
    assert.equal(shiftDate('2026-03-01', -1), '2026-02-28');
    assert.equal(shiftDate('2026-12-31', 1), '2027-01-01');
  });
});
