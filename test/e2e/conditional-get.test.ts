/**
 * Polite polling across runs: the validators a source sent (ETag, Last-Modified) are kept in the
 * store, sent back on the next run, and a 304 means "nothing new" — not a failure, nothing stored.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { collectSources } from '../../src/app/collect.js';
import { resolveConfig } from '../../src/config/load.js';
import { silentLogger } from '../../src/core/log.js';
import { createLiveTransport } from '../../src/http/live-transport.js';
import { Store } from '../../src/store/store.js';
import { atomFeed, rssFeed } from '../fixtures/e2e/feeds.js';
import { type LoopbackServer, startLoopbackServer } from '../fixtures/hostile/loopback-server.js';

const NOW = new Date('2026-08-22T02:00:00Z');
const LAST_MODIFIED = 'Fri, 21 Aug 2026 20:00:00 GMT';

describe('conditional GET across runs', () => {
  let server: LoopbackServer;
  let dir: string;
  before(async () => {
    server = await startLoopbackServer({
      '/etag.xml': (request, response) => {
        if (request.headers['if-none-match'] === '"v1"') return void response.writeHead(304).end();
        response.writeHead(200, { 'content-type': 'application/rss+xml', etag: '"v1"' }).end(rssFeed(NOW));
      },
      '/modified.xml': (request, response) => {
        if (request.headers['if-modified-since'] === LAST_MODIFIED) return void response.writeHead(304).end();
        response
          .writeHead(200, { 'content-type': 'application/atom+xml', 'last-modified': LAST_MODIFIED })
          .end(atomFeed(NOW));
      },
    });
    dir = mkdtempSync(path.join(tmpdir(), 'ai-daily-conditional-'));
  });
  after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends the stored validators and treats 304 as nothing new', async () => {
    const config = resolveConfig({
      preset: 'none',
      sources: [
        { id: 'etag-feed', kind: 'feed', url: `${server.origin}/etag.xml` },
        { id: 'modified-feed', kind: 'feed', url: `${server.origin}/modified.xml` },
      ],
      http: { allowHosts: [server.host] },
    });
    const collect = async () => {
      const store = await Store.open(path.join(dir, 'ai-daily.db'));
      try {
        return await collectSources({
          config,
          store,
          transport: createLiveTransport({ allowHosts: config.http.allowHosts }),
          now: NOW,
          log: silentLogger,
        });
      } finally {
        await store.close();
      }
    };
    const first = await collect();
    assert.deepEqual(
      first.sources.map((s) => [s.id, s.status, s.itemsNew]),
      [
        ['etag-feed', 'ok', 3],
        ['modified-feed', 'ok', 2],
      ],
    );
    const second = await collect();
    assert.deepEqual(
      second.sources.map((s) => [s.id, s.status, s.itemsFound, s.itemsNew]),
      [
        ['etag-feed', 'not-modified', 0, 0],
        ['modified-feed', 'not-modified', 0, 0],
      ],
    );
    const secondRun = server.requests.slice(-2);
    assert.ok(secondRun.some((r) => r.headers['if-none-match'] === '"v1"'));
    assert.ok(secondRun.some((r) => r.headers['if-modified-since'] === LAST_MODIFIED));
  });
});
