import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import zlib from 'node:zlib';
import iconv from 'iconv-lite';
import { FETCH_ERROR_KINDS, FetchError } from '../core/errors.js';
import { createFetcher, createMemoryValidatorStore, type FetcherOptions } from './fetcher.js';
import type { Transport, TransportRequest, TransportResponse } from './types.js';

interface FakeAnswer {
  status?: number;
  headers?: Record<string, string>;
  body?: Uint8Array | string | (() => AsyncIterable<Uint8Array>);
}

/** A scripted transport: answers per URL, in order (the last answer repeats); records requests. */
function fakeTransport(script: Record<string, FakeAnswer | FakeAnswer[] | Error>) {
  const requests: TransportRequest[] = [];
  const served = new Map<string, number>();
  const transport: Transport = async (request) => {
    requests.push(request);
    const entry = script[request.url];
    if (entry === undefined) throw new FetchError('dns', `no such host in ${request.url}`, { url: request.url });
    if (entry instanceof Error) throw entry;
    const list = Array.isArray(entry) ? entry : [entry];
    const count = served.get(request.url) ?? 0;
    served.set(request.url, count + 1);
    const answer = list[Math.min(count, list.length - 1)] as FakeAnswer;
    const body = answer.body ?? '';
    async function* once(): AsyncGenerator<Uint8Array> {
      yield typeof body === 'string' ? Buffer.from(body) : (body as Uint8Array);
    }
    const response: TransportResponse = {
      status: answer.status ?? 200,
      headers: answer.headers ?? {},
      body: typeof body === 'function' ? body() : once(),
    };
    return response;
  };
  return { transport, requests };
}

/** A fetcher whose sleeps are recorded instead of waited. */
function testFetcher(transport: Transport, options: Partial<FetcherOptions> = {}) {
  const sleeps: number[] = [];
  const fetcher = createFetcher({
    transport,
    timeoutMs: 1000,
    retryBaseMs: 100,
    random: () => 0.5,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...options,
  });
  return { fetcher, sleeps };
}

async function rejectsWith(promise: Promise<unknown>, kind: string, pattern?: RegExp): Promise<FetchError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof FetchError, `expected FetchError, got ${String(error)}`);
    assert.equal(error.kind, kind, error.message);
    assert.ok(FETCH_ERROR_KINDS.includes(error.kind));
    if (pattern) assert.match(error.message, pattern);
    return error;
  }
  assert.fail(`expected a FetchError ${kind}`);
}

const FEED = '<?xml version="1.0"?><rss><channel><title>t</title></channel></rss>';

describe('createFetcher: basics', () => {
  it('sends User-Agent, Accept and Accept-Encoding, and decodes the body', async () => {
    const { transport, requests } = fakeTransport({
      'https://a.example/feed': { headers: { 'content-type': 'application/rss+xml' }, body: FEED },
    });
    const { fetcher } = testFetcher(transport);
    const document = await fetcher.fetch('https://a.example/feed');
    assert.equal(document.text, FEED);
    assert.equal(document.status, 200);
    assert.equal(document.notModified, false);
    assert.equal(document.url, 'https://a.example/feed');
    assert.equal(document.charsetSource, 'utf-8-valid');
    const headers = requests[0]?.headers ?? {};
    assert.match(headers['user-agent'] ?? '', /^ai-daily\/\S+ \(\+https:\/\/github\.com\/ai-daily\/ai-daily\)$/);
    assert.equal(headers['accept-encoding'], 'gzip, deflate, br');
    assert.match(headers.accept ?? '', /application\/rss\+xml/);
  });

  it('uses options.accept and caller headers', async () => {
    const { transport, requests } = fakeTransport({ 'https://api.example/x': { body: '{}' } });
    const { fetcher } = testFetcher(transport, { userAgent: 'custom/1' });
    await fetcher.fetch('https://api.example/x', {
      accept: 'application/json',
      headers: { Authorization: 'Bearer s3cret' },
    });
    assert.equal(requests[0]?.headers.accept, 'application/json');
    assert.equal(requests[0]?.headers.authorization, 'Bearer s3cret');
    assert.equal(requests[0]?.headers['user-agent'], 'custom/1');
  });

  it('refuses a header value with CR/LF before sending anything, naming the header but not its value', async () => {
    const { transport, requests } = fakeTransport({ 'https://api.example/x': { body: '{}' } });
    const { fetcher } = testFetcher(transport, { userAgent: 'bot/1\r\nX-Injected: 1' });
    const error = await rejectsWith(fetcher.fetch('https://api.example/x'), 'bad-url', /"user-agent" contains control/);
    assert.equal(error.isRetryable, false);
    const token = testFetcher(transport);
    const tokenError = await rejectsWith(
      token.fetcher.fetch('https://api.example/x', { headers: { Authorization: 'Bearer abc\ndef' } }),
      'bad-url',
      /"authorization"/,
    );
    assert.doesNotMatch(tokenError.message, /abc/);
    assert.equal(requests.length, 0);
  });

  it('rejects non-http URLs up front with bad-url', async () => {
    const { transport, requests } = fakeTransport({});
    const { fetcher } = testFetcher(transport);
    await rejectsWith(fetcher.fetch('ftp://files.example/feed'), 'bad-url', /ftp:/);
    await rejectsWith(fetcher.fetch('not a url'), 'bad-url');
    await rejectsWith(fetcher.fetch('file:///etc/passwd'), 'bad-url');
    assert.equal(requests.length, 0);
  });

  it('a 200 with an empty body is "empty"', async () => {
    const { transport } = fakeTransport({ 'https://a.example/': { body: '' } });
    const { fetcher } = testFetcher(transport);
    await rejectsWith(fetcher.fetch('https://a.example/'), 'empty', /a\.example/);
  });

  it('4xx is http-status with the status, and not retried', async () => {
    const { transport, requests } = fakeTransport({ 'https://a.example/gone': { status: 404, body: 'nope' } });
    const { fetcher, sleeps } = testFetcher(transport);
    const error = await rejectsWith(
      fetcher.fetch('https://a.example/gone'),
      'http-status',
      /a\.example\/gone: HTTP 404/,
    );
    assert.equal(error.status, 404);
    assert.equal(requests.length, 1);
    assert.deepEqual(sleeps, []);
  });

  it('error messages never contain secret headers or the query string', async () => {
    const { transport } = fakeTransport({ 'https://api.example/x?key=topsecret': { status: 500 } });
    const { fetcher } = testFetcher(transport, { retries: 0 });
    const error = await rejectsWith(
      fetcher.fetch('https://api.example/x?key=topsecret', { headers: { authorization: 'Bearer hunter2' } }),
      'http-status',
    );
    assert.doesNotMatch(error.message, /topsecret|hunter2/);
  });
});

describe('createFetcher: redirects', () => {
  it('follows relative and absolute redirects and reports the final URL', async () => {
    const { transport } = fakeTransport({
      'https://a.example/old': { status: 301, headers: { location: '/new?x=1' } },
      'https://a.example/new?x=1': { status: 302, headers: { location: 'https://b.example/final' } },
      'https://b.example/final': { body: FEED },
    });
    const { fetcher } = testFetcher(transport);
    const document = await fetcher.fetch('https://a.example/old');
    assert.equal(document.requestUrl, 'https://a.example/old');
    assert.equal(document.url, 'https://b.example/final');
    assert.equal(document.text, FEED);
  });

  it('does not send caller headers to another origin', async () => {
    const { transport, requests } = fakeTransport({
      'https://a.example/old': { status: 307, headers: { location: 'https://evil.example/' } },
      'https://evil.example/': { body: 'x' },
    });
    const { fetcher } = testFetcher(transport);
    await fetcher.fetch('https://a.example/old', { headers: { authorization: 'Bearer s3cret' } });
    assert.equal(requests[0]?.headers.authorization, 'Bearer s3cret');
    assert.equal(requests[1]?.headers.authorization, undefined);
  });

  it('stops after maxRedirects with "redirect"', async () => {
    const script: Record<string, FakeAnswer> = {};
    for (let index = 0; index < 10; index++) {
      script[`https://a.example/${index}`] = { status: 302, headers: { location: `/${index + 1}` } };
    }
    const { transport, requests } = fakeTransport(script);
    const { fetcher } = testFetcher(transport, { maxRedirects: 3 });
    await rejectsWith(fetcher.fetch('https://a.example/0'), 'redirect', /more than 3 redirects/);
    assert.equal(requests.length, 4);
  });

  it('detects a redirect loop', async () => {
    const { transport } = fakeTransport({
      'https://a.example/a': { status: 302, headers: { location: '/b' } },
      'https://a.example/b': { status: 302, headers: { location: '/a' } },
    });
    const { fetcher } = testFetcher(transport);
    await rejectsWith(fetcher.fetch('https://a.example/a'), 'redirect', /loop/);
  });

  it('refuses a redirect to ftp:// with bad-url', async () => {
    const { transport } = fakeTransport({
      'https://a.example/a': { status: 301, headers: { location: 'ftp://a.example/feed.xml' } },
    });
    const { fetcher } = testFetcher(transport);
    await rejectsWith(fetcher.fetch('https://a.example/a'), 'bad-url', /ftp:/);
  });
});

describe('createFetcher: content-encoding and size', () => {
  const text = `<rss>${'人工智能 news '.repeat(200)}</rss>`;
  for (const [encoding, compress] of [
    ['gzip', zlib.gzipSync],
    ['deflate', zlib.deflateSync],
    ['deflate', zlib.deflateRawSync],
    ['br', zlib.brotliCompressSync],
  ] as const) {
    it(`decodes ${encoding} (${compress.name})`, async () => {
      const { transport } = fakeTransport({
        'https://a.example/': { headers: { 'content-encoding': encoding }, body: compress(Buffer.from(text)) },
      });
      const { fetcher } = testFetcher(transport);
      const document = await fetcher.fetch('https://a.example/');
      assert.equal(document.text, text);
      assert.equal(document.byteLength, Buffer.byteLength(text));
    });
  }

  it('counts decoded bytes: a small gzip body that inflates past maxBytes is too-large', async () => {
    const compressed = zlib.gzipSync(Buffer.alloc(5 * 1024 * 1024));
    assert.ok(compressed.byteLength < 64 * 1024);
    const { transport } = fakeTransport({
      'https://a.example/': { headers: { 'content-encoding': 'gzip' }, body: compressed },
    });
    const { fetcher } = testFetcher(transport, { maxBytes: 1024 * 1024 });
    await rejectsWith(fetcher.fetch('https://a.example/'), 'too-large', /1048576 decoded bytes/);
  });

  it('refuses a Content-Length over the cap before reading the body', async () => {
    let bodyRead = false;
    const { transport } = fakeTransport({
      'https://a.example/': {
        headers: { 'content-length': String(50 * 1024 * 1024) },
        body: async function* () {
          bodyRead = true;
          yield Buffer.from('x');
        },
      },
    });
    const { fetcher } = testFetcher(transport, { maxBytes: 1024 });
    await rejectsWith(fetcher.fetch('https://a.example/'), 'too-large', /Content-Length/);
    assert.equal(bodyRead, false);
  });

  it('stops reading a plain body at maxBytes', async () => {
    let chunksServed = 0;
    const { transport } = fakeTransport({
      'https://a.example/': {
        body: async function* () {
          for (let index = 0; index < 1000; index++) {
            chunksServed++;
            yield Buffer.alloc(1024, 0x61);
          }
        },
      },
    });
    const { fetcher } = testFetcher(transport, { maxBytes: 10 * 1024 });
    await rejectsWith(fetcher.fetch('https://a.example/'), 'too-large');
    assert.ok(chunksServed <= 12, `read ${chunksServed} chunks`);
  });

  it('corrupt gzip is a decode error', async () => {
    const { transport } = fakeTransport({
      'https://a.example/': { headers: { 'content-encoding': 'gzip' }, body: Buffer.from('definitely not gzip data') },
    });
    const { fetcher } = testFetcher(transport);
    await rejectsWith(fetcher.fetch('https://a.example/'), 'decode', /gzip/);
  });

  it('an unknown content-encoding is a decode error', async () => {
    const { transport } = fakeTransport({
      'https://a.example/': { headers: { 'content-encoding': 'zstd' }, body: 'xx' },
    });
    const { fetcher } = testFetcher(transport);
    await rejectsWith(fetcher.fetch('https://a.example/'), 'decode', /zstd/);
  });
});

describe('createFetcher: retries and rate limits', () => {
  it('retries 5xx with exponential backoff and jitter, then succeeds', async () => {
    const { transport, requests } = fakeTransport({
      'https://a.example/': [{ status: 502 }, { status: 500 }, { body: FEED }],
    });
    const { fetcher, sleeps } = testFetcher(transport, { retries: 2, retryBaseMs: 100, random: () => 0.5 });
    const document = await fetcher.fetch('https://a.example/');
    assert.equal(document.text, FEED);
    assert.equal(requests.length, 3);
    assert.deepEqual(sleeps, [100, 200]);
  });

  it('gives up after `retries` with http-status', async () => {
    const { transport, requests } = fakeTransport({ 'https://a.example/': { status: 500 } });
    const { fetcher } = testFetcher(transport, { retries: 2 });
    const error = await rejectsWith(fetcher.fetch('https://a.example/'), 'http-status', /HTTP 500/);
    assert.equal(error.status, 500);
    assert.equal(requests.length, 3);
  });

  it('does not retry 501', async () => {
    const { transport, requests } = fakeTransport({ 'https://a.example/': { status: 501 } });
    const { fetcher } = testFetcher(transport);
    await rejectsWith(fetcher.fetch('https://a.example/'), 'http-status');
    assert.equal(requests.length, 1);
  });

  it('retries transport errors marked retryable, not the others', async () => {
    const refused = new FetchError('connection', 'refused', { url: 'https://a.example/', isRetryable: true });
    const dns = new FetchError('dns', 'ENOTFOUND', { url: 'https://b.example/' });
    const { transport, requests } = fakeTransport({ 'https://a.example/': refused, 'https://b.example/': dns });
    const { fetcher } = testFetcher(transport, { retries: 2 });
    await rejectsWith(fetcher.fetch('https://a.example/'), 'connection');
    await rejectsWith(fetcher.fetch('https://b.example/'), 'dns');
    assert.equal(requests.filter((r) => r.url === 'https://a.example/').length, 3);
    assert.equal(requests.filter((r) => r.url === 'https://b.example/').length, 1);
  });

  it('waits for a short Retry-After (seconds) on 503 and retries', async () => {
    const { transport } = fakeTransport({
      'https://a.example/': [{ status: 503, headers: { 'retry-after': '2' } }, { body: FEED }],
    });
    const { fetcher, sleeps } = testFetcher(transport, { retryAfterCapMs: 60_000 });
    const document = await fetcher.fetch('https://a.example/');
    assert.equal(document.text, FEED);
    assert.deepEqual(sleeps, [2000]);
  });

  it('understands Retry-After as an HTTP date', async () => {
    const now = Date.parse('2026-08-22T02:00:00Z');
    const { transport } = fakeTransport({
      'https://a.example/': [
        { status: 429, headers: { 'retry-after': 'Sat, 22 Aug 2026 02:00:30 GMT' } },
        { body: FEED },
      ],
    });
    const { fetcher, sleeps } = testFetcher(transport, { now: () => now });
    await fetcher.fetch('https://a.example/');
    assert.deepEqual(sleeps, [30_000]);
  });

  it('a Retry-After over the cap fails at once with rate-limited, saying how long', async () => {
    const { transport, requests } = fakeTransport({
      'https://a.example/': { status: 429, headers: { 'retry-after': '86400' } },
    });
    const { fetcher, sleeps } = testFetcher(transport, { retryAfterCapMs: 60_000 });
    const error = await rejectsWith(fetcher.fetch('https://a.example/'), 'rate-limited', /24\.0 h/);
    assert.equal(error.status, 429);
    assert.equal(requests.length, 1);
    assert.deepEqual(sleeps, []);
  });

  it('429 without Retry-After is retried with backoff and ends rate-limited', async () => {
    const { transport, requests } = fakeTransport({ 'https://a.example/': { status: 429 } });
    const { fetcher } = testFetcher(transport, { retries: 1 });
    await rejectsWith(fetcher.fetch('https://a.example/'), 'rate-limited');
    assert.equal(requests.length, 2);
  });
});

describe('createFetcher: deadline', () => {
  it('times out a body that stalls, even if the transport ignores the signal', async () => {
    const { transport } = fakeTransport({
      'https://slow.example/': {
        body: async function* () {
          yield Buffer.from('<rss>');
          await new Promise(() => {}); // never resolves, never listens to the signal
        },
      },
    });
    const { fetcher } = testFetcher(transport, { timeoutMs: 50, retries: 0 });
    await rejectsWith(
      fetcher.fetch('https://slow.example/'),
      'timeout',
      /slow\.example: no complete answer within 50 ms/,
    );
  });

  it('times out a transport that never answers, and retries timeouts', async () => {
    let calls = 0;
    const transport: Transport = () => {
      calls++;
      return new Promise(() => {});
    };
    const { fetcher } = testFetcher(transport, { timeoutMs: 20, retries: 1 });
    await rejectsWith(fetcher.fetch('https://never.example/'), 'timeout');
    assert.equal(calls, 2);
  });

  it('an outer signal cancels with "budget"', async () => {
    const transport: Transport = () => new Promise(() => {});
    const { fetcher } = testFetcher(transport, { timeoutMs: 10_000 });
    const controller = new AbortController();
    const pending = fetcher.fetch('https://never.example/', { signal: controller.signal });
    controller.abort(new Error('source budget spent'));
    await rejectsWith(pending, 'budget', /source budget spent/);
  });
});

describe('createFetcher: conditional GET', () => {
  it('stores validators on 200 and sends them back; 304 is notModified', async () => {
    const { transport, requests } = fakeTransport({
      'https://a.example/feed': [
        { headers: { etag: '"v1"', 'last-modified': 'Sat, 22 Aug 2026 01:00:00 GMT' }, body: FEED },
        { status: 304 },
      ],
    });
    const validators = createMemoryValidatorStore();
    const { fetcher } = testFetcher(transport, { validators });
    await fetcher.fetch('https://a.example/feed', { conditional: true });
    assert.equal(requests[0]?.headers['if-none-match'], undefined);
    assert.deepEqual(validators.get('https://a.example/feed'), {
      etag: '"v1"',
      lastModified: 'Sat, 22 Aug 2026 01:00:00 GMT',
    });
    const second = await fetcher.fetch('https://a.example/feed', { conditional: true });
    assert.equal(requests[1]?.headers['if-none-match'], '"v1"');
    assert.equal(requests[1]?.headers['if-modified-since'], 'Sat, 22 Aug 2026 01:00:00 GMT');
    assert.equal(second.notModified, true);
    assert.equal(second.status, 304);
    assert.equal(second.text, '');
  });

  it('does not send validators when not conditional', async () => {
    const { transport, requests } = fakeTransport({ 'https://a.example/feed': { body: FEED } });
    const validators = createMemoryValidatorStore();
    validators.set('https://a.example/feed', { etag: '"v0"' });
    const { fetcher } = testFetcher(transport, { validators });
    await fetcher.fetch('https://a.example/feed');
    assert.equal(requests[0]?.headers['if-none-match'], undefined);
  });
});

describe('createFetcher: per-host concurrency', () => {
  it('never runs more than perHostConcurrency requests to one host at once', async () => {
    const active = new Map<string, number>();
    const peak = new Map<string, number>();
    const transport: Transport = async (request) => {
      const host = new URL(request.url).host;
      active.set(host, (active.get(host) ?? 0) + 1);
      peak.set(host, Math.max(peak.get(host) ?? 0, active.get(host) ?? 0));
      await new Promise((resolve) => setTimeout(resolve, 5));
      async function* body(): AsyncGenerator<Uint8Array> {
        yield Buffer.from('ok');
        active.set(host, (active.get(host) ?? 1) - 1);
      }
      return { status: 200, headers: {}, body: body() };
    };
    const { fetcher } = testFetcher(transport, { perHostConcurrency: 2 });
    const urls = [
      ...Array.from({ length: 8 }, (_, index) => `https://a.example/${index}`),
      ...Array.from({ length: 8 }, (_, index) => `https://b.example/${index}`),
    ];
    await Promise.all(urls.map((url) => fetcher.fetch(url)));
    assert.equal(peak.get('a.example'), 2);
    assert.equal(peak.get('b.example'), 2);
  });
});

describe('createFetcher: charsets', () => {
  it('decodes a GBK body declared in Content-Type', async () => {
    const text = '<rss><title>人工智能</title></rss>';
    const { transport } = fakeTransport({
      'https://a.example/': { headers: { 'content-type': 'text/xml; charset=gbk' }, body: iconv.encode(text, 'gbk') },
    });
    const { fetcher } = testFetcher(transport);
    const document = await fetcher.fetch('https://a.example/');
    assert.equal(document.text, text);
    assert.equal(document.charset, 'gb18030');
    assert.equal(document.charsetSource, 'header');
  });
});
