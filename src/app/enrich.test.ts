import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type LoopbackServer, startLoopbackServer } from '../../test/fixtures/hostile/loopback-server.js';
import { makeItem } from '../../test/fixtures/report/build-input.js';
import { sharedDir } from '../../test/support/fixtures.js';
import { summarizeItems } from '../analyze/summarize.js';
import type { Logger } from '../core/log.js';
import type { PipelineItem, Story } from '../core/types.js';
import { createFetcher } from '../http/fetcher.js';
import { createLiveTransport } from '../http/live-transport.js';
import { Store } from '../store/store.js';
import { type EnrichCounts, enrichThinStories } from './enrich.js';

const articleHtml = readFileSync(path.join(sharedDir, 'fixtures/articles/qq/source.html'), 'utf8');
const englishHtml = readFileSync(path.join(sharedDir, 'fixtures/articles/ars-1/source.html'), 'utf8');

function storyOf(id: string, items: PipelineItem[]): Story {
  return {
    id,
    title: items[0]!.title,
    itemIds: items.map((item) => item.id),
    sourceIds: [...new Set(items.map((item) => item.sourceId))],
    keys: [],
    section: 'llm',
    score: { recency: 0.5, authority: 0.5, coverage: 0.5, engagement: 0.5, relevance: 0.5, newsValue: 1, total: 0.5 },
    firstSeenAt: items[0]!.publishedAt,
  };
}

function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const push = (message: string) => {
    lines.push(message);
  };
  return { lines, debug: push, info: push, warn: push, error: push };
}

describe('enrichThinStories over loopback with a real store', () => {
  let server: LoopbackServer;
  let dir: string;
  let store: Store;
  before(async () => {
    server = await startLoopbackServer({
      '/zh-article': (_request, response) => {
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(articleHtml);
      },
      '/en-article': (_request, response) => {
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(englishHtml);
      },
      '/stalls': () => {
        // Never answers: only the run's time budget ends the fetch.
      },
      '/broken': (_request, response) => {
        response.writeHead(500, { 'content-type': 'text/plain' }).end('boom');
      },
      '/paper.pdf': (_request, response) => {
        response.writeHead(200, { 'content-type': 'application/pdf' }).end('%PDF-1.4');
      },
      '/rich': (_request, response) => {
        response.writeHead(200, { 'content-type': 'text/html' }).end(englishHtml);
      },
    });
    dir = mkdtempSync(path.join(tmpdir(), 'ai-daily-enrich-'));
    store = await Store.open(path.join(dir, 'store.db'));
  });
  after(async () => {
    await store.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const fetcher = () =>
    createFetcher({ transport: createLiveTransport({ allowHosts: [server.host] }), timeoutMs: 5000, retries: 0 }).fetch;
  const build = () => {
    const zh = makeItem({
      title: 'DeepMind 新电脑已可利用记忆自学',
      url: `${server.origin}/zh-article`,
      sourceId: 'infoq',
    });
    const en = makeItem({ title: 'A titles-only story', url: `${server.origin}/en-article`, sourceId: 'hn' });
    const broken = makeItem({ title: 'Broken page', url: `${server.origin}/broken`, sourceId: 'hn', text: 'short' });
    const pdf = makeItem({ title: 'A PDF', url: `${server.origin}/paper.pdf`, sourceId: 'hn' });
    const rich = makeItem({
      title: 'A story with text',
      url: `${server.origin}/rich`,
      sourceId: 'blog',
      text: 'Enough feed text to summarise. '.repeat(20),
    });
    const items = [zh, en, broken, pdf, rich];
    return {
      items: Object.fromEntries(items.map((item) => [item.id, item])),
      stories: items.map((item, index) => storyOf(`s${index}`, [item])),
      zh,
      en,
      broken,
      pdf,
      rich,
    };
  };
  const options = { enabled: true, budgetSeconds: 60, maxBytes: 10_000_000, minTextChars: 200 };
  const withoutBytes = ({ bytes: _bytes, ...counts }: EnrichCounts) => counts;
  const now = new Date('2026-08-22T02:00:00Z');

  it('gives thin stories their page text, leaves failures and rich stories as they were, and counts it all', async () => {
    const { items, stories, zh, en, broken, pdf, rich } = build();
    const log = recordingLogger();
    const result = await enrichThinStories({ stories, items, fetch: fetcher(), cache: store, now, options, log });
    assert.deepEqual(withoutBytes(result.counts), {
      thin: 4,
      cached: 0,
      fetched: 2,
      empty: 1,
      failed: 1,
      overBudget: 0,
    });
    assert.ok(result.counts.bytes > 1000, 'the pages’ bytes are counted');
    assert.match(result.items[zh.id]!.text, /DeepMind/);
    assert.ok(result.items[en.id]!.text.length > 1000);
    assert.equal(result.items[broken.id]!.text, 'short');
    assert.equal(result.items[pdf.id]!.text, '');
    assert.equal(result.items[rich.id], rich);
    assert.equal(items[zh.id]!.text, '', 'the input is not changed');
    assert.ok(!server.requests.some((request) => request.path === '/rich'), 'a story with text is not fetched');
    assert.ok(log.lines.some((line) => line.includes('/broken failed')));

    // The page text feeds the summarizer: real sentences, not the title again.
    const { sentences } = summarizeItems([result.items[en.id]!], 3);
    assert.ok(sentences.length >= 2);
    assert.ok(sentences.every((sentence) => sentence.text !== en.title));
  });

  it('takes cached pages from the store on the next run and asks again only for failures', async () => {
    const { items, stories, zh, en } = build();
    const before = server.requests.length;
    const result = await enrichThinStories({
      stories,
      items,
      fetch: fetcher(),
      cache: store,
      now,
      options,
      log: recordingLogger(),
    });
    assert.deepEqual(withoutBytes(result.counts), {
      thin: 4,
      cached: 2,
      fetched: 0,
      empty: 0,
      failed: 1,
      overBudget: 0,
    });
    assert.match(result.items[zh.id]!.text, /DeepMind/);
    assert.ok(result.items[en.id]!.text.length > 1000);
    assert.deepEqual(
      server.requests.slice(before).map((request) => request.path),
      ['/broken'],
    );
  });

  it('fetches at most maxPages pages a run and nothing when disabled', async () => {
    const fresh = await Store.open(path.join(dir, 'fresh.db'));
    try {
      const { items, stories } = build();
      const before = server.requests.length;
      const capped = await enrichThinStories({
        stories,
        items,
        fetch: fetcher(),
        cache: fresh,
        now,
        options: { ...options, maxPages: 1 },
        log: recordingLogger(),
      });
      assert.equal(server.requests.length - before, 1);
      assert.equal(capped.counts.overBudget, 3);
      const off = await enrichThinStories({
        stories,
        items,
        fetch: fetcher(),
        cache: fresh,
        now,
        options: { ...options, enabled: false },
        log: recordingLogger(),
      });
      assert.equal(server.requests.length - before, 1);
      assert.deepEqual(off.items, items);
    } finally {
      await fresh.close();
    }
  });

  it('fetches every thin story best-ranked first, and stops at the byte budget and the time budget', async () => {
    const fresh = await Store.open(path.join(dir, 'budget.db'));
    try {
      // Twelve thin stories (more than the parallel fetches), ranked by score: the byte budget of
      // one byte is reached by the first pages, so the worst-ranked ones are never asked for.
      const thin = Array.from({ length: 12 }, (_, index) =>
        makeItem({ title: `Thin ${index}`, url: `${server.origin}/en-article?n=${index}`, sourceId: `s${index}` }),
      );
      const stories = thin.map((item, index) => {
        const story = storyOf(`t${index}`, [item]);
        return { ...story, score: { ...story.score, total: index / 100 } };
      });
      const items = Object.fromEntries(thin.map((item) => [item.id, item]));
      const before = server.requests.length;
      const bytes = await enrichThinStories({
        stories,
        items,
        fetch: fetcher(),
        cache: fresh,
        now,
        options: { ...options, maxBytes: 1 },
        log: recordingLogger(),
      });
      const asked = server.requests.slice(before).map((request) => request.path);
      assert.ok(bytes.counts.fetched >= 1 && bytes.counts.overBudget >= 1);
      assert.equal(bytes.counts.fetched + bytes.counts.overBudget, 12);
      assert.ok(asked.includes('/en-article?n=11'), 'the best-ranked story is fetched');
      assert.ok(!asked.includes('/en-article?n=0'), 'the worst-ranked one is left past the budget');

      // A page that never answers is cancelled when the time budget ends; the others are kept.
      const stalled = makeItem({ title: 'Stalled', url: `${server.origin}/stalls`, sourceId: 'slow' });
      const quick = makeItem({ title: 'Quick', url: `${server.origin}/zh-article?q=1`, sourceId: 'quick' });
      const timed = await enrichThinStories({
        stories: [storyOf('stalled', [stalled]), storyOf('quick', [quick])],
        items: { [stalled.id]: stalled, [quick.id]: quick },
        fetch: fetcher(),
        cache: fresh,
        now,
        options: { ...options, budgetSeconds: 0.5 },
        log: recordingLogger(),
      });
      assert.deepEqual(withoutBytes(timed.counts), {
        thin: 2,
        cached: 0,
        fetched: 1,
        empty: 0,
        failed: 0,
        overBudget: 1,
      });
      assert.match(timed.items[quick.id]!.text, /DeepMind/);
    } finally {
      await fresh.close();
    }
  });
});
