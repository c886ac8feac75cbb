import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type LoopbackServer, startLoopbackServer } from '../../test/fixtures/hostile/loopback-server.js';
import { registerSecrets } from '../core/redact.js';
import { createFetcher } from './fetcher.js';
import { createLiveTransport } from './live-transport.js';
import { createRecordingTransport } from './record.js';
import { createReplayTransport, loadRecordedDay } from './replay.js';

describe('createRecordingTransport: secrets', () => {
  const key = 'rec0rded-key-4f9a1c';
  let server: LoopbackServer;
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'ai-daily-record-secret-'));
    server = await startLoopbackServer({
      '/keyed': (request, response) => {
        const query = new URL(request.url ?? '/', 'http://x').search;
        response.writeHead(302, { location: `/feed${query}` }).end();
      },
      '/feed': (_request, response) => {
        response
          .writeHead(200, { 'content-type': 'application/rss+xml' })
          .end('<rss><channel><title>keyed</title></channel></rss>');
      },
    });
    registerSecrets([key]);
  });
  after(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('writes *** for a registered secret in URLs and Locations, and replays the real URL', async () => {
    const recorder = createRecordingTransport(createLiveTransport({ allowHosts: [server.host] }), dir, {
      now: () => new Date('2026-08-21T20:30:00Z'),
    });
    const live = createFetcher({ transport: recorder.transport, retries: 0, timeoutMs: 5000 });
    const url = `${server.origin}/keyed?api_key=${key}`;
    assert.match((await live.fetch(url)).text, /keyed/);
    assert.deepEqual(
      server.requests.map((r) => r.path),
      [`/keyed?api_key=${key}`, `/feed?api_key=${key}`],
      'the requests carried the real key',
    );
    await recorder.finish();

    const written = await readFile(recorder.dayFile, 'utf8');
    assert.ok(!written.includes(key), 'the recording holds no key');
    assert.match(written, /api_key=\*\*\*/);

    await server.close();
    const replayed = await createFetcher({
      transport: createReplayTransport(loadRecordedDay(recorder.dayFile)),
      retries: 0,
    }).fetch(url);
    assert.match(replayed.text, /keyed/);
  });
});
