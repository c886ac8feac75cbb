import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Agent } from 'undici';
import { type LoopbackServer, startLoopbackServer } from '../../test/fixtures/hostile/loopback-server.js';
import { FetchError } from '../core/errors.js';
import { createFetcher } from './fetcher.js';
import { classifyNetworkError, createLiveTransport } from './live-transport.js';

const codeError = (code: string) => Object.assign(new Error(code), { code });

describe('classifyNetworkError', () => {
  it('maps system and undici codes to kinds', () => {
    assert.deepEqual(classifyNetworkError(codeError('ENOTFOUND'), false), { kind: 'dns', retryable: false });
    assert.deepEqual(classifyNetworkError(codeError('EAI_AGAIN'), false), { kind: 'dns', retryable: true });
    assert.equal(classifyNetworkError(codeError('ECONNREFUSED'), false).kind, 'connection');
    assert.equal(classifyNetworkError(codeError('ECONNRESET'), false).kind, 'connection');
    assert.equal(classifyNetworkError(codeError('UND_ERR_SOCKET'), false).kind, 'connection');
    assert.equal(classifyNetworkError(codeError('UND_ERR_HEADERS_TIMEOUT'), false).kind, 'timeout');
    assert.equal(classifyNetworkError(codeError('CERT_HAS_EXPIRED'), false).kind, 'tls');
    assert.equal(classifyNetworkError(codeError('ERR_TLS_CERT_ALTNAME_INVALID'), false).kind, 'tls');
    assert.equal(classifyNetworkError(codeError('DEPTH_ZERO_SELF_SIGNED_CERT'), false).kind, 'tls');
    assert.equal(classifyNetworkError(Object.assign(new Error('x'), { name: 'AbortError' }), false).kind, 'timeout');
    assert.equal(classifyNetworkError(new Error('whatever'), true).kind, 'timeout');
  });

  it('looks into the cause chain', () => {
    const wrapped = new Error('fetch failed', { cause: codeError('ENOTFOUND') });
    assert.equal(classifyNetworkError(wrapped, false).kind, 'dns');
  });
});

describe('createLiveTransport over loopback', () => {
  let server: LoopbackServer;
  before(async () => {
    server = await startLoopbackServer({
      '/big-redirect': (_request, response) => {
        response.writeHead(302, { location: '/small' });
        response.end(Buffer.alloc(4 * 1024 * 1024, 0x61));
      },
      '/small': (_request, response) => {
        response.writeHead(200, { 'content-type': 'text/plain' }).end('small');
      },
      '/hello': (request, response) => {
        response.writeHead(302, { Location: '/elsewhere', 'X-Echo-UA': request.headers['user-agent'] ?? '' });
        response.end('moved');
      },
    });
  });
  after(() => server.close());

  it('returns one hop with lower-cased headers and does not follow redirects', async () => {
    const transport = createLiveTransport({ allowHosts: ['127.0.0.1'] });
    const response = await transport({
      url: `${server.origin}/hello`,
      method: 'GET',
      headers: { 'user-agent': 'test-agent' },
      signal: new AbortController().signal,
    });
    assert.equal(response.status, 302);
    assert.equal(response.headers.location, '/elsewhere');
    assert.equal(response.headers['x-echo-ua'], 'test-agent');
    const chunks: Uint8Array[] = [];
    for await (const chunk of response.body) chunks.push(chunk);
    assert.equal(Buffer.concat(chunks).toString(), 'moved');
  });

  it('releases the connection of a body it never reads (redirects, errors)', async () => {
    const dispatcher = new Agent({ connections: 1 });
    try {
      const fetcher = createFetcher({
        transport: createLiveTransport({ dispatcher, allowHosts: ['127.0.0.1'] }),
        timeoutMs: 3000,
        retries: 0,
      });
      for (let round = 0; round < 3; round++) {
        const document = await fetcher.fetch(`${server.origin}/big-redirect`);
        assert.equal(document.text, 'small');
      }
      const unread = await createLiveTransport({ dispatcher, allowHosts: ['127.0.0.1'] })({
        url: `${server.origin}/big-redirect`,
        method: 'GET',
        headers: {},
        signal: new AbortController().signal,
      });
      await unread.body[Symbol.asyncIterator]().return?.();
      assert.equal((await fetcher.fetch(`${server.origin}/small`)).text, 'small');
    } finally {
      await dispatcher.close();
    }
  });

  it('a refused connection is a retryable "connection" FetchError', async () => {
    const closed = await startLoopbackServer({});
    const origin = closed.origin;
    await closed.close();
    const transport = createLiveTransport({ allowHosts: ['127.0.0.1'] });
    await assert.rejects(
      transport({ url: `${origin}/`, method: 'GET', headers: {}, signal: new AbortController().signal }),
      (error: unknown) => {
        assert.ok(error instanceof FetchError);
        assert.equal(error.kind, 'connection');
        assert.equal(error.isRetryable, true);
        assert.match(error.message, /127\.0\.0\.1:\d+: connection error/);
        return true;
      },
    );
  });
});
