/**
 * The web app over a real SQLite file and real HTTP on loopback, with a store written through the
 * Store's own API: hostile source text (script tags, event handlers, `javascript:` links) is
 * escaped on every page and never becomes a link; the token rules (no token on a non-loopback
 * address: refused with a ConfigError; with a token: 401 without it, 200 with the bearer header or
 * the cookie /login sets); the headers every response carries. No ../shared needed.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseHTML } from 'linkedom';
import { newsItem, serveFilledStore, type WebUnderTest } from '../../test/support/web-rows.js';
import { type RunningServer, startWebServer } from '../app/serve.js';
import { ConfigError } from '../core/errors.js';
import { silentLogger } from '../core/log.js';
import type { Item, Story } from '../core/types.js';
import { Store } from '../store/store.js';
import { CONTENT_SECURITY_POLICY } from './app.js';

const HOSTILE_TITLE = '<script>alert(1)</script><img src=x onerror="alert(2)"> 千问 Agent';
const TOKEN = 'a-long-test-token-0123456789';

/** An item of the hostile `evil` source: its own URL and text, and a script link for its discussion. */
function item(id: string, title: string, url: string, text: string): Item {
  return {
    ...newsItem(id, title),
    sourceId: 'evil',
    url,
    canonicalUrl: url,
    text,
    discussionUrl: 'javascript:alert(3)',
  };
}

async function fillStore(file: string): Promise<void> {
  const store = await Store.open(file);
  await store.upsertSources(
    [
      {
        id: 'evil',
        name: 'Evil <b onmouseover=alert(4)>feed</b>',
        kind: 'feed',
        url: 'https://evil.example/feed',
      } as never,
    ],
    new Date('2026-08-22T02:00:00Z'),
  );
  await store.recordOutcome(
    'run-1',
    {
      id: 'evil',
      name: 'Evil',
      kind: 'feed',
      status: 'failed',
      errorKind: 'http',
      error: '<script>alert(5)</script>',
      itemsFound: 0,
      itemsNew: 0,
      itemsSeen: 0,
      elapsedMs: 12,
    } as never,
    new Date('2026-08-21T02:00:00Z'),
  );
  await store.recordOutcome(
    'run-2',
    {
      id: 'evil',
      name: 'Evil',
      kind: 'feed',
      status: 'ok',
      itemsFound: 2,
      itemsNew: 2,
      itemsSeen: 0,
      elapsedMs: 9,
    } as never,
    new Date('2026-08-22T02:00:00Z'),
  );
  await store.saveItems([
    item(
      'item-a',
      HOSTILE_TITLE,
      'javascript:alert(6)',
      'Text with <a href="javascript:alert(7)">a link</a> 智能体 in it.',
    ),
    item('item-b', 'A fine item about 千问 models', 'https://news.example/qwen?a=1&b="2"', 'Plain text.'),
  ]);
  const story: Story = {
    id: 'story-1',
    title: HOSTILE_TITLE,
    itemIds: ['item-a', 'item-b'],
    sourceIds: ['evil'],
    keys: ['url:news.example/qwen'],
    section: 'llm' as Story['section'],
    score: { recency: 0.5, authority: 0.4, coverage: 0, engagement: 0.2, relevance: 1, newsValue: 1, total: 0.42 },
    firstSeenAt: '2026-08-21T10:00:00.000Z',
  };
  await store.saveReport({
    date: '2026-08-22',
    language: 'zh',
    mode: 'extractive',
    generatedAt: '2026-08-22T02:00:00.000Z',
    markdownPath: 'reports/2026/08/2026-08-22.md',
    jsonPath: 'reports/2026/08/2026-08-22.json',
    manifest: {},
    stories: [story],
  });
  await store.close();
}

describe('the web app: escaping, links and tokens', () => {
  let web: WebUnderTest;
  let server: RunningServer;
  let dir: string;

  before(async () => {
    web = await serveFilledStore('store:\n  path: ./store.db\noutput:\n  dir: ./out\n', async (file, folder) => {
      writeFileSync(
        path.join(folder, 'token.yaml'),
        'store:\n  path: ./store.db\noutput:\n  dir: ./out\nserve:\n  token: ${WEB_TEST_TOKEN}\n',
      );
      await fillStore(file);
      // A report file with rising terms (and nothing else a page could render: the page falls back).
      mkdirSync(path.join(folder, 'out/reports/2026/08'), { recursive: true });
      writeFileSync(
        path.join(folder, 'out/reports/2026/08/2026-08-22.json'),
        JSON.stringify({
          date: '2026-08-22',
          sections: [],
          topStories: [{ storyId: 'story-1' }],
          dataSections: {
            risingTopics: [{ term: '<svg onload=alert(8)>智能体', today: 5, baseline: 1, baselineDays: 7, ratio: 5 }],
          },
        }),
      );
    });
    server = web.server;
    dir = web.dir;
  });
  after(() => web?.close());

  const get = (url: string, init?: RequestInit) => fetch(new URL(url, server.url), { redirect: 'manual', ...init });

  it('listens on loopback and prints a real port', () => {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    assert.notEqual(server.port, 0);
  });

  it('escapes hostile source text on every page and links only http(s) URLs', async () => {
    for (const route of [
      '/',
      '/reports/2026-08-22',
      '/stories/story-1',
      '/search?q=%E5%8D%83%E9%97%AE',
      '/search?q=script',
      '/sources',
      '/runs',
    ]) {
      const response = await get(route);
      assert.equal(response.status, 200, route);
      assert.equal(response.headers.get('content-security-policy'), CONTENT_SECURITY_POLICY, route);
      const body = await response.text();
      assert.ok(!/<script/i.test(body), `${route}: no script element`);
      const { document } = parseHTML(body);
      for (const element of document.querySelectorAll('*')) {
        for (const name of element.getAttributeNames()) {
          assert.ok(!name.toLowerCase().startsWith('on'), `${route}: <${element.tagName} ${name}>`);
          assert.ok(!/javascript:/i.test(element.getAttribute(name) ?? ''), `${route}: ${name}`);
        }
      }
      for (const anchor of document.querySelectorAll('a')) {
        const href = anchor.getAttribute('href') ?? '';
        assert.match(href, /^(?:\/[^/]|\/$|#|https:\/\/news\.example\/)/, `${route}: ${href}`);
      }
      if (route !== '/sources' && route !== '/runs' && route !== '/search?q=script') {
        assert.ok(body.includes('&#60;script&#62;alert(1)&#60;/script&#62;'), `${route}: the title is shown, escaped`);
      }
    }
  });

  it('charts the rising terms of the reports on the archive, labels escaped', async () => {
    const { document } = parseHTML(await (await get('/')).text());
    const rising = document.querySelector('svg#chart-rising');
    assert.ok(rising, 'the rising terms chart');
    assert.ok(rising.textContent?.includes('<svg onload=alert(8)>智能体'), 'the term, as text');
    assert.equal(document.querySelectorAll('svg').length, 2, 'no svg made from the term');
    assert.ok(document.querySelector('svg#chart-sections'));
  });

  it('shows the story: its sources (a javascript: URL as text only), score parts and weights', async () => {
    const { document } = parseHTML(await (await get('/stories/story-1')).text());
    assert.equal(document.querySelector('h1')?.textContent, HOSTILE_TITLE);
    const links = [...document.querySelectorAll('main a.external')].map((a) => a.getAttribute('href'));
    assert.deepEqual(links, ['https://news.example/qwen?a=1&b=%222%22']);
    const parts = [...document.querySelectorAll('table.score tbody th')].map((th) => th.textContent);
    // The store's report is zh (the default language): so is the story page's chrome.
    assert.deepEqual(parts.slice(0, 5), ['时效性', '权威性', '覆盖度', '互动热度', '相关性']);
    const api = (await (await get('/api/stories/story-1')).json()) as {
      story: { score: Record<string, number>; items: { url: string }[] };
      weights: Record<string, number>;
    };
    assert.equal(api.story.score.total, 0.42);
    assert.equal(api.weights.authority, 0.25);
    assert.equal(api.story.items.length, 2);
  });

  it('finds two-character Chinese terms (LIKE) and three-character ones (FTS), with the story', async () => {
    const short = (await (await get('/api/search?q=%E5%8D%83%E9%97%AE')).json()) as {
      items: { id: string; stories: { storyId: string }[] }[];
    };
    assert.deepEqual(short.items.map((i) => i.id).sort(), ['item-a', 'item-b']);
    assert.deepEqual(
      short.items.map((i) => i.stories[0]?.storyId),
      ['story-1', 'story-1'],
    );
    const long = (await (await get('/api/search?q=%E6%99%BA%E8%83%BD%E4%BD%93')).json()) as { items: { id: string }[] };
    assert.deepEqual(
      long.items.map((i) => i.id),
      ['item-a'],
    );
    const like = (await (await get('/api/search?q=%25')).json()) as { items: unknown[] };
    assert.deepEqual(like.items, [], 'a % in the query matches a %, not everything');
    for (const q of ['"""', 'NEAR(x', '***', 'x\u0000yz', 'AND OR NOT', '\\%_']) {
      const response = await get(`/api/search?q=${encodeURIComponent(q)}`);
      assert.equal(response.status, 200, `query syntax is text: ${JSON.stringify(q)}`);
    }
  });

  it('sends the headers that keep pages inert', async () => {
    const response = await get('/');
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(response.headers.get('x-frame-options'), 'DENY');
    assert.equal(response.headers.get('referrer-policy'), 'no-referrer');
    const css = await get('/static/app.css');
    assert.match(css.headers.get('content-type') ?? '', /^text\/css/);
    assert.equal((await get('/nothing-here')).status, 404);
    assert.equal((await get('/api/stories/none')).status, 404);
  });

  it('refuses a non-loopback address without a token: a ConfigError that says why', async () => {
    await assert.rejects(
      startWebServer({ cwd: dir, config: 'config.yaml', log: silentLogger, port: 0, host: '0.0.0.0' }),
      (error: unknown) => error instanceof ConfigError && /serve\.token/.test(error.message),
    );
  });

  it('with a token: 401 without it, 200 with the bearer header or the /login cookie', async () => {
    const guarded = await startWebServer({
      cwd: dir,
      config: 'token.yaml',
      env: { WEB_TEST_TOKEN: TOKEN },
      log: silentLogger,
      port: 0,
    });
    try {
      const at = (route: string, init?: RequestInit) =>
        fetch(new URL(route, guarded.url), { redirect: 'manual', ...init });
      const refused = await at('/');
      assert.equal(refused.status, 401);
      // In the deployment's language (zh), the settings as code.
      const said = await refused.text();
      assert.match(said, /<html lang="zh">/);
      assert.match(
        said,
        /<h1>登录<\/h1><p>此服务器需要令牌：打开 <code>\/login\?token=…<\/code>（值为 <code>serve\.token<\/code>）/,
      );
      assert.match(
        await (await at('/?lang=en')).text(),
        /<h1>Sign in<\/h1><p>This server needs its token: open <code>/,
      );
      assert.equal((await at('/api/reports')).status, 401);
      assert.equal((await at('/', { headers: { Authorization: 'Bearer wrong-token-0123456789' } })).status, 401);
      assert.equal((await at('/', { headers: { Authorization: `Bearer ${TOKEN}` } })).status, 200);
      assert.equal((await at('/api/runs', { headers: { Authorization: `Bearer ${TOKEN}` } })).status, 200);
      assert.equal((await at('/login?token=wrong')).status, 401);
      const login = await at(`/login?token=${TOKEN}`);
      assert.equal(login.status, 303);
      const cookie = login.headers.get('set-cookie') ?? '';
      assert.match(cookie, /HttpOnly/i);
      assert.match(cookie, /SameSite=Strict/i);
      assert.ok(!cookie.includes(TOKEN), 'the cookie does not hold the token');
      const session = cookie.split(';')[0]!;
      assert.equal((await at('/sources', { headers: { Cookie: session } })).status, 200);
      assert.equal((await at('/sources', { headers: { Cookie: `${session}x` } })).status, 401);
    } finally {
      await guarded.close();
    }
  });
});
