/**
 * The hardening issue's end-to-end case, over the live transport against loopback servers: a run
 * whose allowed feed carries titles that look like log lines, paths, box drawing and a secret, beside
 * a source that redirects to another loopback port (an "internal service"). The report is published
 * with every look-alike title (the secret redacted), the redirect is refused as `blocked`, and
 * nothing of the internal service reaches any output file.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { stringify as stringifyYaml } from 'yaml';
import { runCommand } from '../../src/cli/commands/run.js';
import { silentLogger } from '../../src/core/log.js';
import type { Report } from '../../src/core/report.js';
import { type LoopbackServer, startLoopbackServer } from '../fixtures/hostile/loopback-server.js';

const NOW = new Date('2026-08-22T02:00:00Z');
const SECRET = 'sk-proj-4fJ8kLmN2pQrStUvWxYz0123456789abcdEFGH';
const TITLES = [
  'ERROR bars matter: evaluating AI models honestly',
  'WARNING: AI agents are now writing most pull requests',
  'Why /usr/bin/python3 broke our LLM training pipeline',
  'Fine-tuning on Windows: C:\\Users\\ml\\models is not where your LLM weights go',
  'Qwen 3 ─── the full benchmark story',
  '[INFO] Loaded 12 shards: how LLM checkpoints are served',
  `Leaked key ${SECRET} found in an AI agent demo`,
];
const INTERNAL_TITLE = 'Internal admin console: model credentials rotated';

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');

function feed(origin: string): string {
  const items = TITLES.map(
    (title, index) => `<item><title>${escapeXml(title)}</title><link>${origin}/posts/${index}</link>
<guid>${origin}/posts/${index}</guid><pubDate>${new Date(NOW.getTime() - (index + 1) * 3_600_000).toUTCString()}</pubDate>
<description>A post about AI models and agents, number ${index + 1}.</description></item>`,
  );
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>Look-alikes</title><link>${origin}/</link>${items.join('\n')}</channel></rss>`;
}

describe('a live run beside a redirect to an internal service', () => {
  let feeds: LoopbackServer;
  let internal: LoopbackServer;
  let dir: string;

  before(async () => {
    internal = await startLoopbackServer({
      '/internal.xml': (_request, response) => {
        response
          .writeHead(200, { 'content-type': 'application/rss+xml' })
          .end(
            `<?xml version="1.0"?><rss version="2.0"><channel><title>Internal</title><item><title>${INTERNAL_TITLE}</title><link>${internal.origin}/admin</link><pubDate>${NOW.toUTCString()}</pubDate></item></channel></rss>`,
          );
      },
    });
    feeds = await startLoopbackServer({
      '/feed.xml': (_request, response) => {
        response.writeHead(200, { 'content-type': 'application/rss+xml' }).end(feed(feeds.origin));
      },
      '/moved.xml': (_request, response) => {
        response.writeHead(302, { location: `${internal.origin}/internal.xml` }).end();
      },
    });
    dir = mkdtempSync(path.join(tmpdir(), 'ai-daily-live-policy-'));
  });
  after(async () => {
    await feeds.close();
    await internal.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('publishes every look-alike title (the secret redacted) and nothing of the internal service', async () => {
    const config = {
      preset: 'none',
      language: 'en',
      store: { path: './data/ai-daily.db' },
      output: { dir: './out' },
      http: { allowHosts: [feeds.host], retries: 0, timeoutMs: 3000 },
      sources: [
        { id: 'look-alikes', name: 'Look-alikes', kind: 'feed', url: `${feeds.origin}/feed.xml`, filterTopics: false },
        { id: 'sneaky', name: 'Sneaky', kind: 'feed', url: `${feeds.origin}/moved.xml`, filterTopics: false },
      ],
    };
    writeFileSync(path.join(dir, 'ai-daily.config.yaml'), stringifyYaml(config));
    const summary = await runCommand({ cwd: dir, config: 'ai-daily.config.yaml', log: silentLogger, now: NOW });
    assert.deepEqual(summary.sources.failedIds, ['sneaky']);
    const markdown = readFileSync(path.join(dir, 'out', summary.markdown), 'utf8');
    const jsonText = readFileSync(path.join(dir, 'out', summary.json), 'utf8');
    const report = JSON.parse(jsonText) as Report;

    const titles = report.references.map((reference) => reference.title);
    for (const title of TITLES.slice(0, -1)) assert.ok(titles.includes(title), `"${title}" is published`);
    assert.ok(titles.includes('Leaked key *** found in an AI agent demo'), titles.join('\n'));
    for (const output of [markdown, jsonText]) {
      assert.ok(!output.includes(SECRET), 'the secret is redacted everywhere');
      assert.ok(!output.includes(INTERNAL_TITLE), 'nothing of the internal service');
      assert.ok(!output.includes(internal.origin), 'no internal URL');
    }
    const sneaky = report.manifest.sources.find((source) => source.id === 'sneaky');
    assert.equal(sneaky?.errorKind, 'blocked');
    assert.equal(internal.requests.length, 0, 'the internal service was never asked');
  });
});
