import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import zlib from 'node:zlib';
import iconv from 'iconv-lite';
import { type LoopbackServer, startLoopbackServer } from '../../test/fixtures/hostile/loopback-server.js';
import { dayFile, realText } from '../../test/support/fixtures.js';
import { FetchError } from '../core/errors.js';
import { createFetcher } from './fetcher.js';
import { createLiveTransport } from './live-transport.js';
import { createRecordingTransport } from './record.js';
import { createReplayTransport, loadRecordedDay, type RecordedDay } from './replay.js';

describe('loadRecordedDay + createReplayTransport (shared recorded day)', () => {
  const day = loadRecordedDay(dayFile('2026-08-22'));

  it('reads the day, resolving body files against the day file', () => {
    assert.equal(day.day, '2026-08-22');
    assert.equal(day.now, '2026-08-22T02:00:00Z');
    assert.equal(day.timezone, 'Asia/Shanghai');
    assert.ok(day.responses.length > 0);
    for (const response of day.responses) assert.ok(path.isAbsolute(response.path));
  });

  it('serves a recorded body through the fetcher', async () => {
    const fetcher = createFetcher({ transport: createReplayTransport(day), retries: 0 });
    const document = await fetcher.fetch('https://openai.com/news/rss.xml');
    assert.equal(document.text, realText('rss/openai-news_2026-08-20_trimmed.xml'));
    assert.equal(document.headers['content-type'], 'application/rss+xml; charset=utf-8');
  });

  it('matches on scheme + host + path when the query differs', async () => {
    const transport = createReplayTransport(day);
    const fetcher = createFetcher({ transport, retries: 0 });
    const document = await fetcher.fetch('https://huggingface.co/api/daily_papers?date=1999-01-01');
    // First listed with that path wins: the 2026-08-21 capture.
    assert.equal(document.text, realText('huggingface/hf-api-daily_papers_date-2026-08-21.json'));
    const exact = await fetcher.fetch('https://huggingface.co/api/daily_papers?date=2026-08-20');
    assert.equal(exact.text, realText('huggingface/hf-api-daily_papers_date-2026-08-20.json'));
  });

  it('every response of every shared day replays and decodes', async () => {
    for (const name of ['2026-04-28', '2026-08-22']) {
      const recorded = loadRecordedDay(dayFile(name));
      const fetcher = createFetcher({ transport: createReplayTransport(recorded), retries: 0 });
      for (const response of recorded.responses) {
        const document = await fetcher.fetch(response.url);
        assert.equal(document.status, response.status, response.url);
        assert.ok(document.text.length > 0, response.url);
        assert.ok(!document.text.includes('\uFFFD'), `${response.url} decodes cleanly`);
      }
    }
  });

  it('an unlisted URL fails as unavailable', async () => {
    const fetcher = createFetcher({ transport: createReplayTransport(day), retries: 0 });
    await assert.rejects(fetcher.fetch('https://nowhere.example/feed'), (error: unknown) => {
      assert.ok(error instanceof FetchError);
      assert.equal(error.kind, 'unavailable');
      assert.match(error.message, /no recorded response for https:\/\/nowhere\.example\/feed/);
      return true;
    });
  });

  it('rejects a malformed day file with the field named', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ai-daily-replay-'));
    try {
      const file = path.join(dir, 'bad.json');
      await writeFile(file, JSON.stringify({ day: '22/08/2026', now: 'x', responses: [{ url: 'u' }] }));
      assert.throws(() => loadRecordedDay(file), /day: must be YYYY-MM-DD[\s\S]*now:[\s\S]*responses\.0\.file/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('createReplayTransport: sequences, redirects, latency', () => {
  let dir: string;
  let day: RecordedDay;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'ai-daily-replay-'));
    await writeFile(path.join(dir, 'a.txt'), 'first');
    await writeFile(path.join(dir, 'b.txt'), 'second');
    await writeFile(path.join(dir, 'empty.txt'), '');
    await writeFile(
      path.join(dir, 'day.json'),
      JSON.stringify({
        day: '2026-08-22',
        now: '2026-08-22T02:00:00Z',
        responses: [
          { url: 'https://x.example/seq', file: 'empty.txt', status: 503, headers: { 'Retry-After': '0' } },
          { url: 'https://x.example/seq', file: 'b.txt', status: 200 },
          { url: 'https://x.example/old', file: 'empty.txt', status: 301, headers: { Location: '/new' } },
          { url: 'https://x.example/new', file: 'a.txt', status: 200, contentType: 'text/plain' },
        ],
      }),
    );
    day = loadRecordedDay(path.join(dir, 'day.json'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('serves repeated URLs in order (503 then 200 is retried)', async () => {
    const fetcher = createFetcher({ transport: createReplayTransport(day), retryBaseMs: 0 });
    const document = await fetcher.fetch('https://x.example/seq');
    assert.equal(document.text, 'second');
  });

  it('replays redirects', async () => {
    const fetcher = createFetcher({ transport: createReplayTransport(day) });
    const document = await fetcher.fetch('https://x.example/old');
    assert.equal(document.url, 'https://x.example/new');
    assert.equal(document.text, 'first');
  });

  it('simulated latency still answers', async () => {
    const fetcher = createFetcher({ transport: createReplayTransport(day, { latencyMs: 5 }) });
    assert.equal((await fetcher.fetch('https://x.example/new')).text, 'first');
  });
});

describe('createRecordingTransport: round trip over loopback', () => {
  let server: LoopbackServer;
  let dir: string;
  const gbkBody = iconv.encode('<?xml version="1.0" encoding="gbk"?><rss><title>机器学习</title></rss>', 'gbk');
  const gzipText = '<rss><title>compressed</title></rss>';
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'ai-daily-record-'));
    server = await startLoopbackServer({
      '/feed': (_request, response) => {
        response.writeHead(200, {
          'content-type': 'application/rss+xml',
          etag: '"e1"',
          'set-cookie': 'session=secret',
        });
        response.end(gbkBody);
      },
      '/gz': (_request, response) => {
        response.writeHead(200, { 'content-type': 'text/xml; charset=utf-8', 'content-encoding': 'gzip' });
        response.end(zlib.gzipSync(gzipText));
      },
      '/moved': (_request, response) => {
        response.writeHead(302, { location: '/feed' }).end();
      },
    });
  });
  after(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('records a live run and replays it identically', async () => {
    const recorder = createRecordingTransport(createLiveTransport({ allowHosts: [server.host] }), dir, {
      timezone: 'Asia/Shanghai',
      now: () => new Date('2026-08-21T20:30:00Z'),
    });
    const live = createFetcher({ transport: recorder.transport, retries: 0, timeoutMs: 5000 });
    const liveFeed = await live.fetch(`${server.origin}/moved`);
    const liveGz = await live.fetch(`${server.origin}/gz?x=1`, { headers: { authorization: 'Bearer never-recorded' } });
    assert.equal(liveGz.text, gzipText);
    await recorder.finish();

    const written = await readFile(recorder.dayFile, 'utf8');
    assert.doesNotMatch(written, /never-recorded|session=secret/);
    const day = loadRecordedDay(recorder.dayFile);
    assert.equal(day.now, '2026-08-21T20:30:00.000Z');
    assert.equal(day.day, '2026-08-22', 'date in Asia/Shanghai');
    assert.equal(day.responses.length, 3);
    assert.match(day.responses[0]?.file ?? '', /^bodies\/001-127\.0\.0\.1_\d+\.bin$/);

    await server.close();
    const replay = createFetcher({ transport: createReplayTransport(day), retries: 0 });
    const replayedFeed = await replay.fetch(`${server.origin}/moved`);
    assert.equal(replayedFeed.text, liveFeed.text);
    assert.equal(replayedFeed.charset, 'gb18030');
    assert.match(replayedFeed.text, /机器学习/);
    assert.equal(replayedFeed.url, `${server.origin}/feed`);
    assert.equal(replayedFeed.headers.etag, '"e1"');
    const replayedGz = await replay.fetch(`${server.origin}/gz?x=1`);
    assert.equal(replayedGz.text, gzipText);
  });
});

describe('replay reads only regular files, streaming under the cap', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'ai-daily-replay-files-'));
    await writeFile(path.join(dir, 'feed.xml'), 'x'.repeat(5000));
    await symlink('/dev/zero', path.join(dir, 'zero'));
    await symlink('feed.xml', path.join(dir, 'feed-link.xml'));
    await mkdir(path.join(dir, 'folder'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  function dayWith(files: Record<string, string>): string {
    const file = path.join(dir, `day-${Object.keys(files).join('-')}.json`);
    const responses = Object.entries(files).map(([name, body]) => ({
      url: `https://example.test/${name}`,
      file: body,
    }));
    writeFileSync(file, JSON.stringify({ day: '2026-08-22', now: '2026-08-22T08:00:00+08:00', responses }));
    return file;
  }

  it('refuses a day whose body path is absolute, naming the response', () => {
    const file = dayWith({ zero: '/dev/zero' });
    assert.throws(() => loadRecordedDay(file), /responses\.0\.file: must be a path relative to the day file/);
  });

  it('refuses a day file that is a device, not a regular file', () => {
    assert.throws(() => loadRecordedDay('/dev/zero'), /cannot read recorded day \/dev\/zero: not a regular file/);
  });

  it('a relative symlink to /dev/zero or a folder fails that request as unavailable, without reading it', async () => {
    const day = loadRecordedDay(dayWith({ zero: 'zero', folder: 'folder' }));
    const fetcher = createFetcher({ transport: createReplayTransport(day, { maxBytes: 1024 }), retries: 0 });
    const before = process.memoryUsage().rss;
    for (const name of ['zero', 'folder']) {
      await assert.rejects(fetcher.fetch(`https://example.test/${name}`), (error: unknown) => {
        assert.ok(error instanceof FetchError);
        assert.equal(error.kind, 'unavailable');
        assert.match(error.message, new RegExp(`recorded body ${name} is not a regular file`));
        return true;
      });
    }
    assert.ok(process.memoryUsage().rss - before < 64 * 1024 * 1024, 'nothing large was read');
  });

  it('a body over the cap fails as too-large before it is read; one within it (through a symlink too) replays whole', async () => {
    const day = loadRecordedDay(dayWith({ big: 'feed.xml', link: 'feed-link.xml' }));
    const capped = createFetcher({ transport: createReplayTransport(day, { maxBytes: 4096 }), retries: 0 });
    await assert.rejects(capped.fetch('https://example.test/big'), (error: unknown) => {
      assert.ok(error instanceof FetchError);
      assert.equal(error.kind, 'too-large');
      return true;
    });
    const whole = createFetcher({ transport: createReplayTransport(day, { maxBytes: 5000 }), retries: 0 });
    assert.equal((await whole.fetch('https://example.test/link')).text.length, 5000);
  });
});
