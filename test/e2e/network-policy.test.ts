/**
 * The network policy through the collect command: a config allows its own loopback feed host,
 * and a feed there that redirects to another loopback port (an "internal service") is refused on
 * that hop as `blocked`; nothing of the internal service is fetched or stored, the allowed feed
 * is collected, and the "is the network reachable?" hint is not given for a blocked source.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { stringify as stringifyYaml } from 'yaml';
import { collectCommand } from '../../src/cli/commands/collect.js';
import { ConfigError, FetchError } from '../../src/core/errors.js';
import { silentLogger } from '../../src/core/log.js';
import { Store } from '../../src/store/store.js';
import { rssFeed } from '../fixtures/e2e/feeds.js';
import { type LoopbackServer, startLoopbackServer } from '../fixtures/hostile/loopback-server.js';

const NOW = new Date('2026-08-22T06:00:00Z');
const INTERNAL_TITLE = 'Internal admin console: credentials rotated';

function internalFeed(): string {
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>Internal</title><link>http://127.0.0.1/</link>
<item><title>${INTERNAL_TITLE}</title><link>http://127.0.0.1/admin</link><pubDate>${NOW.toUTCString()}</pubDate>
<description>Secret internal content about an AI model.</description></item></channel></rss>`;
}

describe('network policy end to end (collect over loopback)', () => {
  let feeds: LoopbackServer;
  let internal: LoopbackServer;
  let dir: string;

  before(async () => {
    internal = await startLoopbackServer({
      '/internal.xml': (_request, response) => {
        response.writeHead(200, { 'content-type': 'application/rss+xml' }).end(internalFeed());
      },
    });
    feeds = await startLoopbackServer({
      '/feed.xml': (_request, response) => {
        response.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rssFeed(NOW));
      },
      '/moved.xml': (_request, response) => {
        response.writeHead(302, { location: `${internal.origin}/internal.xml` }).end();
      },
    });
    dir = mkdtempSync(path.join(tmpdir(), 'ai-daily-policy-'));
  });
  after(async () => {
    await feeds.close();
    await internal.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const writeConfig = (name: string, sources: { id: string; url: string }[], allowHosts: string[]) => {
    const config = {
      preset: 'none',
      language: 'en',
      store: { path: './data/ai-daily.db' },
      http: { allowHosts, retries: 1, retryBaseMs: 0 },
      sources: sources.map((s) => ({ ...s, kind: 'feed', filterTopics: false })),
    };
    writeFileSync(path.join(dir, name), stringifyYaml(config));
    return name;
  };

  it('collects the allowed feed and refuses the redirect to another loopback port, storing nothing of it', async () => {
    const config = writeConfig(
      'both.yaml',
      [
        { id: 'allowed-feed', url: `${feeds.origin}/feed.xml` },
        { id: 'sneaky-feed', url: `${feeds.origin}/moved.xml` },
      ],
      [feeds.host],
    );
    const result = await collectCommand({ cwd: dir, config, log: silentLogger, now: NOW });
    const byId = new Map(result.sources.map((s) => [s.id, s]));
    assert.equal(byId.get('allowed-feed')?.status, 'ok');
    assert.ok((byId.get('allowed-feed')?.itemsNew ?? 0) > 0);
    assert.equal(byId.get('sneaky-feed')?.status, 'failed');
    assert.equal(byId.get('sneaky-feed')?.errorKind, 'blocked');
    assert.match(byId.get('sneaky-feed')?.error ?? '', /127\.0\.0\.1 is a loopback address/);
    assert.equal(internal.requests.length, 0, 'the internal service was never asked');

    const store = await Store.open(path.join(dir, 'data/ai-daily.db'));
    try {
      assert.equal((await store.latestItems('sneaky-feed', 10)).length, 0);
      assert.deepEqual(await store.searchItems('credentials rotated'), []);
      assert.ok((await store.latestItems('allowed-feed', 10)).length > 0);
      const health = new Map((await store.sourceHealth()).map((h) => [h.id, h]));
      assert.equal(health.get('sneaky-feed')?.lastErrorKind, 'blocked');
    } finally {
      await store.close();
    }
  });

  it('a source on a loopback host nobody allowed fails as blocked, without the network hint', async () => {
    const config = writeConfig(
      'none-allowed.yaml',
      [{ id: 'internal-direct', url: `${internal.origin}/internal.xml` }],
      [],
    );
    await assert.rejects(collectCommand({ cwd: dir, config, log: silentLogger, now: NOW }), (error: unknown) => {
      assert.ok(error instanceof FetchError);
      assert.match(error.message, /every source failed/);
      assert.match(error.message, /blocked: 1/);
      assert.doesNotMatch(error.message, /reachable/);
      return true;
    });
    assert.equal(internal.requests.length, 0);
  });

  it('--only with an unknown id is a usage error naming it', async () => {
    const config = writeConfig('only.yaml', [{ id: 'allowed-feed', url: `${feeds.origin}/feed.xml` }], [feeds.host]);
    await assert.rejects(
      collectCommand({ cwd: dir, config, log: silentLogger, now: NOW, only: ['allowed-feed', 'no-such-feed'] }),
      (error: unknown) =>
        error instanceof ConfigError && /--only: no source with id "no-such-feed"/.test(error.message),
    );
  });
});
