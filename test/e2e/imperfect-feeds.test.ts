/**
 * Imperfect but honest feeds, through the real code paths (live transport over loopback → fetcher
 * → charset → feed connector → normalise → SQLite store): what can be kept is stored.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import type http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import iconv from 'iconv-lite';
import { collectSources } from '../../src/app/collect.js';
import { resolveConfig } from '../../src/config/load.js';
import { silentLogger } from '../../src/core/log.js';
import type { SourceOutcome } from '../../src/core/run.js';
import type { Item } from '../../src/core/types.js';
import { createLiveTransport } from '../../src/http/live-transport.js';
import { Store } from '../../src/store/store.js';
import { type LoopbackServer, startLoopbackServer } from '../fixtures/hostile/loopback-server.js';

const NOW = new Date('2026-08-22T02:00:00Z');
const HTTP = { timeoutMs: 3000, retries: 0, retryBaseMs: 10, sourceBudgetMs: 8000, totalBudgetMs: 30_000 };
const hoursAgo = (hours: number) => new Date(NOW.getTime() - hours * 3_600_000).toUTCString();

type Handler = (request: http.IncomingMessage, response: http.ServerResponse) => void;
const serve =
  (body: string | Buffer, type = 'application/rss+xml; charset=utf-8'): Handler =>
  (_request, response) => {
    response.writeHead(200, { 'content-type': type }).end(body);
  };

const rss = (items: string, prolog = '') =>
  `<?xml version="1.0"?>${prolog}<rss version="2.0"><channel><title>T</title><link>https://imperfect.example/</link>${items}</channel></rss>`;
const item = (title: string, slug: string, extra = '') =>
  `<item><title>${title}</title><link>https://imperfect.example/${slug}</link><pubDate>${hoursAgo(3)}</pubDate>${extra}</item>`;

const reusedGuid = '<guid isPermaLink="false">one-guid-for-all</guid>';
const truncated = rss(
  item('Kept before the cut', 'kept') + item('Also kept', 'also') + item('Lost in the cut', 'lost'),
).replace(/Lost in the cut[\s\S]*$/, 'Lost in the cut</title><link>https://imp');

/** Text without a byte-order mark in UTF-16LE: told apart by the bytes of "<?xml". */
const utf16 = iconv.encode(
  rss(item('Wide text \u2019 caf\u00e9', 'wide')).replace(
    '<?xml version="1.0"?>',
    '<?xml version="1.0" encoding="utf-16"?>',
  ),
  'utf-16le',
);

const routes: Record<string, Handler> = {
  '/reused-guid': serve(
    rss(
      item('First story', 'first', reusedGuid) +
        item('Second story', 'second', reusedGuid) +
        item('Third story', 'third', reusedGuid),
    ),
  ),
  '/doctype': serve(
    rss(
      item('Harmless item', 'harmless') + item('Uses &declared;', 'entity'),
      '<!DOCTYPE rss [ <!ENTITY declared "EXPANDED"> ]>',
    ),
  ),
  '/truncated': serve(truncated),
  '/utf16': serve(utf16, 'application/rss+xml'),
  '/untitled': serve(
    rss(
      `<item><link>https://imperfect.example/untitled</link><pubDate>${hoursAgo(2)}</pubDate><description>&lt;p&gt;A model card went up. It says little.&lt;/p&gt;</description></item>`,
    ),
  ),
  '/svg-title': serve(rss(item('Second &lt;svg onload=alert(1)&gt; post', 'svg'))),
};

let server: LoopbackServer;
before(async () => {
  server = await startLoopbackServer(routes);
});
after(() => server.close());

describe('collecting imperfect feeds keeps what can be kept', () => {
  let dir: string;
  let store: Store;
  let outcomes: Map<string, SourceOutcome>;
  const stored = new Map<string, Item[]>();

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'ai-daily-imperfect-'));
    store = await Store.open(path.join(dir, 'ai-daily.db'));
    const sources = Object.keys(routes).map((route) => ({
      id: route.slice(1),
      name: route.slice(1),
      kind: 'feed',
      url: `${server.origin}${route}`,
    }));
    const config = resolveConfig({
      preset: 'none',
      sources,
      http: { ...HTTP, allowHosts: [new URL(server.origin).host] },
    });
    const summary = await collectSources({
      config,
      store,
      transport: createLiveTransport({ allowHosts: config.http.allowHosts }),
      now: NOW,
      log: silentLogger,
    });
    outcomes = new Map(summary.sources.map((s) => [s.id, s]));
    for (const source of sources) stored.set(source.id, await store.itemsPublishedBetween('0000', '9999', [source.id]));
  });
  after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const titles = (id: string) => (stored.get(id) ?? []).map((i) => i.title).sort();

  it('every source succeeds', () => {
    for (const [id, outcome] of outcomes) assert.equal(outcome.status, 'ok', `${id}: ${outcome.error}`);
  });

  it('three items sharing one guid with different links are three stored items', () => {
    assert.deepEqual(titles('reused-guid'), ['First story', 'Second story', 'Third story']);
  });

  it('a DOCTYPE declaring an entity loses no item and expands nothing', () => {
    assert.deepEqual(titles('doctype'), ['Harmless item', 'Uses &declared;']);
  });

  it('a truncated document keeps its complete items', () => {
    assert.deepEqual(titles('truncated'), ['Also kept', 'Kept before the cut']);
  });

  it('UTF-16 without a byte-order mark decodes to the right text', () => {
    assert.deepEqual(titles('utf16'), ['Wide text \u2019 caf\u00e9']);
  });

  it('an untitled item gets its first sentence as title; markup is removed from a title, not the text after it', () => {
    assert.deepEqual(titles('untitled'), ['A model card went up.']);
    assert.deepEqual(titles('svg-title'), ['Second post']);
  });
});
