import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createPolicedFetch } from '../../http/live-transport.js';
import { type ChannelContext, DeliveryError } from './channel.js';
import { postJson, retryAfterHeaderMs } from './post.js';

let server: Server;
let origin = '';
let requests = 0;

before(async () => {
  server = createServer((request, response) => {
    requests++;
    request.resume();
    if (request.url === '/redirect') {
      response.writeHead(302, { location: 'http://127.0.0.1:1/elsewhere' });
      response.end();
    } else if (request.url === '/long-wait') {
      response.writeHead(429, { 'retry-after': '3600' });
      response.end();
    } else if (request.url === '/huge') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ ok: true, padding: 'x'.repeat(1_000_000) }));
    } else if (request.url === '/silent') {
      // Never answers: the attempt's deadline ends it.
    } else if (request.url === '/reset') {
      // Reads the whole post, then drops the connection without a word.
      request.on('end', () => request.socket.resetAndDestroy());
    } else {
      response.writeHead(200);
      response.end('ok');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => {
  server.closeAllConnections();
  server.close();
});

function context(): ChannelContext & { sleeps: number[] } {
  const sleeps: number[] = [];
  return {
    sleeps,
    fetch: createPolicedFetch({ allowHosts: [new URL(origin).host] }),
    checkHost: async () => ({ address: '127.0.0.1' }),
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  };
}

async function failure(promise: Promise<unknown>): Promise<DeliveryError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof DeliveryError);
    return error;
  }
  assert.fail('expected a DeliveryError');
}

const accept = () => ({ ok: true as const });

describe('postJson', () => {
  it('reads Retry-After in seconds and as an HTTP date', () => {
    assert.equal(retryAfterHeaderMs('2'), 2000);
    assert.equal(retryAfterHeaderMs('0.5'), 500);
    assert.equal(retryAfterHeaderMs(new Date(61_000).toUTCString(), 1_000), 60_000);
    assert.equal(retryAfterHeaderMs('soon'), undefined);
    assert.equal(retryAfterHeaderMs(null), undefined);
  });

  it('does not follow a redirect: refused at once', async () => {
    requests = 0;
    const error = await failure(
      postJson({ channel: 'test', url: `${origin}/redirect`, body: {}, context: context(), readAnswer: accept }),
    );
    assert.equal(error.kind, 'rejected');
    assert.equal(error.status, 302);
    assert.equal(requests, 1);
  });

  it('gives up at once when asked to wait longer than the cap', async () => {
    requests = 0;
    const ctx = context();
    const error = await failure(
      postJson({
        channel: 'test',
        url: `${origin}/long-wait`,
        body: {},
        context: ctx,
        readAnswer: accept,
        maxDelayMs: 60_000,
      }),
    );
    assert.equal(error.kind, 'rate-limited');
    assert.match(error.message, /asked to wait 3600 s, more than the 60 s cap/);
    assert.equal(requests, 1);
    assert.deepEqual(ctx.sleeps, []);
  });

  it('reads only a bounded part of a large answer', async () => {
    let seen = -1;
    await postJson({
      channel: 'test',
      url: `${origin}/huge`,
      body: {},
      context: context(),
      maxResponseBytes: 1024,
      readAnswer: (answer) => {
        seen = Buffer.byteLength(answer.body);
        return { ok: true };
      },
    });
    assert.ok(seen > 0 && seen <= 1024, `${seen} bytes read`);
  });

  it('fails `unanswered` when the post was received and no answer came within the deadline, without retrying', async () => {
    requests = 0;
    const error = await failure(
      postJson({
        channel: 'test',
        url: `${origin}/silent`,
        body: {},
        context: context(),
        readAnswer: accept,
        timeoutMs: 200,
      }),
    );
    assert.equal(error.kind, 'unanswered');
    assert.match(error.message, /no answer within 200 ms after the request was sent; it may have been posted/);
    assert.equal(requests, 1);
  });

  it('fails `unanswered` when the connection is reset after the post was sent', async () => {
    requests = 0;
    const error = await failure(
      postJson({
        channel: 'test',
        url: `${origin}/reset`,
        body: { text: 'x'.repeat(10_000) },
        context: context(),
        readAnswer: accept,
      }),
    );
    assert.equal(error.kind, 'unanswered');
    assert.match(error.message, /after the request was sent/);
    assert.equal(requests, 1);
  });

  it('fails `network` (never sent, safe to post again) when the connection is refused or the policy blocks the host', async () => {
    // A port that was just free: nothing listens on it.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const refused = await failure(
      postJson({
        channel: 'test',
        url: `http://127.0.0.1:${port}/hook`,
        body: {},
        context: { ...context(), fetch: createPolicedFetch({ allowHosts: [`127.0.0.1:${port}`] }) },
        readAnswer: accept,
      }),
    );
    assert.equal(refused.kind, 'network');
    assert.match(refused.message, /not sent: .*ECONNREFUSED/);
    const blocked = await failure(
      postJson({
        channel: 'test',
        url: `${origin}/ok`,
        body: {},
        context: { ...context(), fetch: createPolicedFetch({ allowHosts: [] }) },
        readAnswer: accept,
      }),
    );
    assert.equal(blocked.kind, 'network');
    assert.match(blocked.message, /not sent: .*loopback/);
  });
});
