/**
 * "One broken source never stops a report", through the real code paths: a loopback HTTP server
 * serves two good feeds and a dozen hostile endpoints; `collectSources` (live transport → fetcher →
 * feed connector → normalise → store) and then `runCommand` must store and report the good feeds'
 * items, classify every hostile source, and finish in bounded time and memory.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { stringify as stringifyYaml } from 'yaml';
import { collectSources } from '../../src/app/collect.js';
import { runCommand } from '../../src/cli/commands/run.js';
import { resolveConfig } from '../../src/config/load.js';
import type { FetchErrorKind } from '../../src/core/errors.js';
import { silentLogger } from '../../src/core/log.js';
import type { Report } from '../../src/core/report.js';
import type { SourceOutcome } from '../../src/core/run.js';
import type { Item } from '../../src/core/types.js';
import { createLiveTransport } from '../../src/http/live-transport.js';
import { escapeHtml } from '../../src/render/html.js';
import { STRINGS } from '../../src/render/i18n.js';
import { Store } from '../../src/store/store.js';
import { ATOM_ENTRIES, atomFeed, RSS_ENTRIES, rssFeed } from '../fixtures/e2e/feeds.js';
import {
  assertPrototypeClean,
  drip,
  gzipBomb,
  hugeBody,
  rateLimitedForADay,
  redirectLoop,
} from '../fixtures/hostile/handlers.js';
import { type LoopbackServer, startLoopbackServer } from '../fixtures/hostile/loopback-server.js';

const hostileDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/hostile');
const hostileText = (name: string) => readFileSync(path.join(hostileDir, name), 'utf8');

const MiB = 1024 * 1024;
/** Growth of the resident set accepted for the whole collect (a 50 MB body and a 1 GiB bomb included). */
const RSS_GROWTH_BOUND = 200 * MiB;
/** A hang fails the test instead of the suite; the budgets below end the collect long before. */
const TEST_TIMEOUT = { timeout: 60_000 };

/** The run time every good entry is dated against (10:00 in Asia/Shanghai). */
const NOW = new Date('2026-08-22T02:00:00Z');

const HTTP = {
  timeoutMs: 1500,
  retries: 1,
  retryBaseMs: 10,
  sourceBudgetMs: 4000,
  totalBudgetMs: 20_000,
  retryAfterCapMs: 1000,
  // The servers are on loopback, which the network policy refuses unless allowed.
  allowHosts: ['127.0.0.1'],
};

type Handler = (request: http.IncomingMessage, response: http.ServerResponse) => void | Promise<void>;

const xml = (body: string | Buffer, type = 'application/rss+xml; charset=utf-8'): Handler => {
  return (_request, response) => {
    response.writeHead(200, { 'content-type': type }).end(body);
  };
};

const HUGE_TITLE = `Huge ${'title word '.repeat(50_000)}`;
const hugeTitleFeed = `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><link>https://hostile.example/</link><description>d</description><item><title>${HUGE_TITLE}</title><link>https://hostile.example/huge-title</link><pubDate>${new Date(NOW.getTime() - 4 * 3_600_000).toUTCString()}</pubDate><description>${'<p>para</p>'.repeat(20_000)}</description></item></channel></rss>`;

const invalidUtf8Feed = Buffer.concat([
  Buffer.from(
    `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>bytes</title><link>https://hostile.example/</link><description>d</description><item><title>Broken bytes `,
  ),
  Buffer.from([0xff, 0xfe, 0xc3]),
  Buffer.from(
    ` in a title</title><link>https://hostile.example/broken-bytes</link><pubDate>${new Date(NOW.getTime() - 7 * 3_600_000).toUTCString()}</pubDate><description>still readable</description></item></channel></rss>`,
  ),
]);

/** Every endpoint of the loopback server, by path. */
const routes: Record<string, Handler> = {
  '/rss.xml': xml(rssFeed(NOW)),
  '/atom.xml': xml(atomFeed(NOW), 'application/atom+xml; charset=utf-8'),
  '/gzip-bomb': gzipBomb('application/rss+xml'),
  '/huge': hugeBody('application/rss+xml'),
  '/drip': drip('application/rss+xml'),
  '/rate-limited': rateLimitedForADay,
  '/error-page': xml(hostileText('error-page.html'), 'text/html; charset=utf-8'),
  '/billion-laughs': xml(hostileText('billion-laughs.xml')),
  '/xxe': xml(hostileText('xxe.xml')),
  '/empty': (_request, response) => {
    response.writeHead(200, { 'content-type': 'application/rss+xml' }).end();
  },
  ...redirectLoop('/loop-a', '/loop-b'),
  '/invalid-utf8': xml(invalidUtf8Feed),
  '/proto': xml(hostileText('proto-pollution.xml')),
  '/huge-title': xml(hugeTitleFeed),
};

/** One source per endpoint: id, path, and what must come of it. */
interface Expectation {
  id: string;
  name: string;
  path: string;
  /** A failure of one of these kinds. */
  fails?: readonly FetchErrorKind[];
}

const SOURCES: readonly Expectation[] = [
  // The size cap stops the inflated body ('too-large'); on a machine loaded by other work the
  // inflating itself can outlast the 4 s source budget first ('budget'). Either way nothing is stored.
  { id: 'gzip-bomb', name: 'Gzip Bomb', path: '/gzip-bomb', fails: ['too-large', 'budget'] },
  { id: 'huge-body', name: 'Huge Body', path: '/huge', fails: ['too-large'] },
  // Two attempts of 1.5 s fit in the 4 s source budget, so the fetcher's deadline ends it ('timeout');
  // but the budget also counts the wait for one of this host's two connections, so on a loaded
  // machine the source budget can end it first ('budget').
  { id: 'drip', name: 'Drip Feed', path: '/drip', fails: ['timeout', 'budget'] },
  { id: 'rate-limited', name: 'Rate Limited', path: '/rate-limited', fails: ['rate-limited'] },
  { id: 'error-page', name: 'Error Page', path: '/error-page', fails: ['not-a-feed'] },
  { id: 'billion-laughs', name: 'Billion Laughs', path: '/billion-laughs' },
  { id: 'xxe', name: 'External Entities', path: '/xxe' },
  { id: 'empty-body', name: 'Empty Body', path: '/empty', fails: ['empty'] },
  { id: 'redirect-loop', name: 'Redirect Loop', path: '/loop-a', fails: ['redirect'] },
  { id: 'invalid-utf8', name: 'Invalid UTF-8', path: '/invalid-utf8' },
  { id: 'proto-feed', name: 'Proto Feed', path: '/proto' },
  { id: 'huge-title', name: 'Huge Title', path: '/huge-title' },
  // The good feeds come last: they wait behind the hostile ones for the same host's connections.
  { id: 'good-rss', name: 'Loopback Labs', path: '/rss.xml' },
  { id: 'good-atom', name: 'Wren Speech', path: '/atom.xml' },
];

const FAILING = SOURCES.filter((s) => s.fails);

/** The `sources:` entries of a config pointing at the loopback server. */
function sourceEntries(origin: string) {
  return SOURCES.map((s) => ({ id: s.id, name: s.name, kind: 'feed', url: `${origin}${s.path}` }));
}

let server: LoopbackServer;
before(async () => {
  server = await startLoopbackServer(routes);
});
after(() => server.close());

describe('collectSources over a loopback server with two good feeds and twelve hostile ones', () => {
  let dir: string;
  let store: Store;
  let outcomes: Map<string, SourceOutcome>;
  let stored: Map<string, Item[]>;

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'ai-daily-hostile-collect-'));
    store = await Store.open(path.join(dir, 'ai-daily.db'));
  });
  after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('collects every source to an outcome, in bounded memory', TEST_TIMEOUT, async () => {
    const config = resolveConfig({ preset: 'none', sources: sourceEntries(server.origin), http: HTTP });
    const rssBefore = process.memoryUsage().rss;
    const summary = await collectSources({
      config,
      store,
      transport: createLiveTransport({ allowHosts: config.http.allowHosts }),
      now: NOW,
      log: silentLogger,
    });
    const growth = process.memoryUsage().rss - rssBefore;
    assert.ok(growth < RSS_GROWTH_BOUND, `rss grew by ${Math.round(growth / MiB)} MiB`);

    assert.deepEqual(
      summary.sources.map((s) => s.id),
      SOURCES.map((s) => s.id),
    );
    outcomes = new Map(summary.sources.map((s) => [s.id, s]));
    stored = new Map();
    for (const source of SOURCES) {
      stored.set(source.id, await store.itemsPublishedBetween('0000', '9999', [source.id]));
    }
    assertPrototypeClean();
  });

  it('stores every item of the good feeds', () => {
    for (const [id, entries] of [
      ['good-rss', RSS_ENTRIES],
      ['good-atom', ATOM_ENTRIES],
    ] as const) {
      const outcome = outcomes.get(id);
      assert.equal(outcome?.status, 'ok', `${id}: ${outcome?.errorKind} ${outcome?.error}`);
      assert.equal(outcome.itemsFound, entries.length);
      assert.equal(outcome.itemsNew, entries.length);
      const items = stored.get(id) ?? [];
      assert.deepEqual(items.map((item) => item.title).sort(), entries.map((entry) => entry.title).sort());
      for (const entry of entries) {
        const item = items.find((i) => i.title === entry.title);
        assert.equal(item?.url, entry.url);
        assert.equal(item.publishedAt, new Date(NOW.getTime() - entry.hoursAgo * 3_600_000).toISOString());
      }
    }
  });

  for (const source of FAILING) {
    it(`${source.id} fails with ${source.fails?.join(' or ')} and stores nothing`, () => {
      const outcome = outcomes.get(source.id);
      assert.equal(outcome?.status, 'failed', `${source.id} should fail`);
      assert.ok(
        source.fails?.includes(outcome.errorKind as FetchErrorKind),
        `${source.id}: ${outcome.errorKind}: ${outcome.error}`,
      );
      assert.ok(outcome.error && outcome.error.length <= 200 && !outcome.error.includes('\n'), outcome.error);
      assert.equal(outcome.itemsNew, 0);
      assert.deepEqual(stored.get(source.id), []);
    });
  }

  it('billion laughs: stays unexpanded, bounded', () => {
    const outcome = outcomes.get('billion-laughs');
    const items = stored.get('billion-laughs') ?? [];
    if (outcome?.status === 'failed') {
      assert.equal(outcome.errorKind, 'parse', outcome.error);
      assert.deepEqual(items, []);
      return;
    }
    assert.equal(outcome?.status, 'ok');
    assert.equal(items.length, 1);
    // The entity reference is kept as literal text, never expanded.
    assert.match(items[0]?.title ?? '', /^Laughs &lol9;$/);
    for (const item of items) {
      assert.ok(item.title.length <= 500, `title of ${item.title.length} characters`);
      assert.ok(item.text.length <= 20_000, `text of ${item.text.length} characters`);
      assert.doesNotMatch(`${item.title} ${item.text}`, /(?:lol){10}/);
    }
  });

  it('XXE: no external entity is resolved', () => {
    const outcome = outcomes.get('xxe');
    const items = stored.get('xxe') ?? [];
    assert.ok(outcome?.status === 'ok' || outcome?.errorKind === 'parse', `${outcome?.status} ${outcome?.error}`);
    for (const item of items) assert.doesNotMatch(`${item.title}\n${item.text}`, /root:|\/bin\/(?:ba)?sh|evil/);
    // The entity pointing at 127.0.0.1:1 was never fetched either (it would have failed or hung).
    assert.ok(!server.requests.some((r) => r.path.includes('evil')));
  });

  it('invalid UTF-8 in a feed declared UTF-8: the item is kept, the bad bytes replaced', () => {
    assert.equal(outcomes.get('invalid-utf8')?.status, 'ok');
    const items = stored.get('invalid-utf8') ?? [];
    assert.equal(items.length, 1);
    assert.match(items[0]?.title ?? '', /^Broken bytes .*in a title$/);
    assert.doesNotMatch(items[0]?.title ?? '', /[\uD800-\uDFFF]/);
  });

  it('__proto__ / constructor tags: refused as unparseable, or both items as plain objects', () => {
    assertPrototypeClean();
    const outcome = outcomes.get('proto-feed');
    const items = stored.get('proto-feed') ?? [];
    // fast-xml-parser (inside feedsmith 3.0.1) refuses a document with a "__proto__" tag outright.
    if (outcome?.status === 'failed') {
      assert.equal(outcome.errorKind, 'parse', outcome.error);
      assert.deepEqual(items, []);
      return;
    }
    assert.equal(outcome?.status, 'ok');
    assert.deepEqual(items.map((item) => item.title).sort(), ['First', 'Second']);
    for (const item of items) {
      assert.equal(Object.getPrototypeOf(item), Object.prototype);
      assert.equal(Object.getPrototypeOf(item.engagement), Object.prototype);
    }
  });

  it('a 500 KB title is stored cut to at most 500 characters', () => {
    assert.equal(outcomes.get('huge-title')?.status, 'ok');
    const items = stored.get('huge-title') ?? [];
    assert.equal(items.length, 1);
    const title = items[0]?.title ?? '';
    assert.ok(title.length > 0 && title.length <= 500, `title of ${title.length} characters`);
    assert.ok(title.startsWith('Huge title word'));
    assert.ok((items[0]?.text.length ?? 0) <= 20_000);
  });
});

describe('runCommand over the same server: the report is written from the good feeds', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'ai-daily-hostile-run-'));
    const config = {
      preset: 'none',
      language: 'en',
      store: { path: './data/ai-daily.db' },
      output: { dir: './out' },
      http: HTTP,
      sources: sourceEntries(server.origin),
    };
    writeFileSync(path.join(dir, 'ai-daily.config.yaml'), stringifyYaml(config));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it(
    'writes the report; its about section counts the failed sources, the JSON and the page name each with its error kind',
    TEST_TIMEOUT,
    async () => {
      const summary = await runCommand({ cwd: dir, config: 'ai-daily.config.yaml', log: silentLogger, now: NOW });
      assert.equal(summary.date, '2026-08-22');
      assert.equal(summary.sources.total, SOURCES.length);
      for (const source of FAILING) assert.ok(summary.sources.failedIds.includes(source.id), source.id);

      const markdown = readFileSync(path.join(dir, 'out', summary.markdown), 'utf8');
      const report = JSON.parse(readFileSync(path.join(dir, 'out', summary.json), 'utf8')) as Report;
      const cited = new Set(report.references.map((r) => r.url));
      for (const entry of [...RSS_ENTRIES, ...ATOM_ENTRIES]) {
        assert.ok(cited.has(entry.url), `${entry.url} is cited`);
        assert.ok(markdown.includes(entry.url), `${entry.url} is linked`);
      }

      const aboutStart = markdown.indexOf('## About this report');
      assert.ok(aboutStart > 0, 'an about section');
      const about = markdown.slice(aboutStart);
      // The about section counts the failed sources in one line; the JSON names each with its
      // error kind, and the page lists them (folded away) with the reason in the report's language.
      assert.match(about, new RegExp(`; ${FAILING.length} sources could not be fetched today \\(`));
      const page = readFileSync(path.join(dir, 'out', summary.markdown.replace(/\.md$/, '.html')), 'utf8');
      const details = page.slice(page.indexOf('<details>'), page.indexOf('</details>'));
      for (const source of FAILING) {
        const kind = report.manifest.sources.find((s) => s.id === source.id)?.errorKind;
        assert.ok(kind && source.fails?.includes(kind as FetchErrorKind), `${source.id}: ${kind}`);
        assert.ok(details.includes(`<li>${escapeHtml(source.name)}: ${STRINGS.en.errorKinds[kind]}</li>`), source.name);
      }

      for (const text of [markdown, JSON.stringify(report)]) {
        assert.ok(!text.includes('/tmp/'), 'no /tmp/ path');
        assert.ok(!text.includes(dir), 'no temp dir path');
        assert.ok(!text.includes(tmpdir()), 'no temp root');
      }
      assertPrototypeClean();
    },
  );
});
