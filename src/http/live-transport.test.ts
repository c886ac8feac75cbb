import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Agent } from 'undici';
import { type LoopbackServer, startLoopbackServer } from '../../test/fixtures/hostile/loopback-server.js';
import { FetchError } from '../core/errors.js';
import { createFetcher } from './fetcher.js';
import {
  classifyNetworkError,
  createLiveTransport,
  createPolicedFetch,
  createPolicedHostCheck,
  type HostLookup,
} from './live-transport.js';

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

/** A resolver hook: maps names to fixed addresses without DNS, and remembers what it was asked. */
function fakeLookup(table: Record<string, string[]>) {
  const asked: string[] = [];
  const lookup: HostLookup = async (hostname) => {
    asked.push(hostname);
    const addresses = table[hostname];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  return { lookup, asked };
}

function blockedBy(pattern: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof FetchError, String(error));
    assert.equal(error.kind, 'blocked', error.message);
    assert.equal(error.isRetryable, false);
    assert.match(error.message, pattern);
    assert.doesNotMatch(error.message, /reachable/);
    return true;
  };
}

describe('createLiveTransport: network policy', () => {
  // Two loopback servers: "public" stands in for a feed host the user allowed, "internal" for a
  // service that must never be reached. Private and link-local addresses appear only as what a
  // fake resolver answers: the policy refuses them before any connection is made.
  let allowed: LoopbackServer;
  let internal: LoopbackServer;
  let internalPort: string;
  before(async () => {
    internal = await startLoopbackServer({
      '/secret': (_request, response) => {
        response
          .writeHead(200, { 'content-type': 'application/rss+xml' })
          .end('<rss><channel><title>internal</title></channel></rss>');
      },
    });
    internalPort = new URL(internal.origin).port;
    allowed = await startLoopbackServer({
      '/feed': (_request, response) => {
        response.writeHead(200, { 'content-type': 'text/plain' }).end('allowed feed');
      },
      '/to-other-port': (_request, response) => {
        response.writeHead(302, { location: `http://127.0.0.1:${internalPort}/secret` }).end();
      },
      '/to-localhost': (_request, response) => {
        response.writeHead(302, { location: `http://localhost:${internalPort}/secret` }).end();
      },
      '/to-v6-loopback': (_request, response) => {
        response.writeHead(302, { location: `http://[::1]:${internalPort}/secret` }).end();
      },
      '/to-mapped': (_request, response) => {
        response.writeHead(302, { location: `http://[::ffff:127.0.0.1]:${internalPort}/secret` }).end();
      },
      '/to-decimal': (_request, response) => {
        response.writeHead(302, { location: `http://2130706433:${internalPort}/secret` }).end();
      },
      '/to-metadata': (_request, response) => {
        response.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
      },
      '/to-internal-name': (_request, response) => {
        response.writeHead(307, { location: `http://intranet.example.test:${internalPort}/secret` }).end();
      },
    });
  });
  after(async () => {
    await allowed.close();
    await internal.close();
  });

  const request = (url: string) => ({ url, method: 'GET' as const, headers: {}, signal: new AbortController().signal });

  it('refuses a loopback address unless allowHosts lists it, and sends nothing', async () => {
    await assert.rejects(createLiveTransport()(request(`${internal.origin}/secret`)), blockedBy(/loopback/));
    await assert.rejects(
      createLiveTransport({ allowHosts: [`127.0.0.1:${Number(internalPort) + 1}`] })(
        request(`${internal.origin}/secret`),
      ),
      blockedBy(/127\.0\.0\.1 is a loopback address/),
    );
    assert.equal(internal.requests.length, 0);
  });

  it('checks the addresses a name resolves to, so DNS cannot point a public name inward', async () => {
    const { lookup, asked } = fakeLookup({
      'feeds.example.test': ['127.0.0.1'],
      'metadata.example.test': ['169.254.169.254'],
      'lan.example.test': ['10.0.0.1'],
      'mapped.example.test': ['::ffff:10.0.0.1'],
    });
    const transport = createLiveTransport({ lookup });
    await assert.rejects(
      transport(request(`http://feeds.example.test:${internalPort}/secret`)),
      blockedBy(/feeds\.example\.test \(resolves to 127\.0\.0\.1\) is a loopback address/),
    );
    await assert.rejects(transport(request('http://metadata.example.test/latest/')), blockedBy(/link-local/));
    await assert.rejects(transport(request('https://lan.example.test/feed')), blockedBy(/10\.0\.0\.1\) is a private/));
    await assert.rejects(transport(request('http://mapped.example.test/feed')), blockedBy(/IPv4-mapped/));
    assert.deepEqual(asked.sort(), [
      'feeds.example.test',
      'lan.example.test',
      'mapped.example.test',
      'metadata.example.test',
    ]);
    assert.equal(internal.requests.length, 0);
  });

  it('reaches a listed name on the address it resolves to', async () => {
    const { lookup } = fakeLookup({ 'feeds.home.test': ['127.0.0.1'] });
    const port = new URL(allowed.origin).port;
    const transport = createLiveTransport({ lookup, allowHosts: [`feeds.home.test:${port}`] });
    const response = await transport(request(`http://feeds.home.test:${port}/feed`));
    assert.equal(response.status, 200);
    const chunks: Uint8Array[] = [];
    for await (const chunk of response.body) chunks.push(chunk);
    assert.equal(Buffer.concat(chunks).toString(), 'allowed feed');
    assert.equal(allowed.requests.at(-1)?.headers.host, `feeds.home.test:${port}`);
  });

  it('a redirect from an allowed host to any other internal address is refused on that hop', async () => {
    const { lookup } = fakeLookup({ localhost: ['127.0.0.1', '::1'], 'intranet.example.test': ['10.1.2.3'] });
    const fetcher = createFetcher({
      transport: createLiveTransport({ lookup, allowHosts: [allowed.host] }),
      timeoutMs: 3000,
      retries: 2,
      retryBaseMs: 0,
    });
    assert.equal((await fetcher.fetch(`${allowed.origin}/feed`)).text, 'allowed feed');
    const cases: [string, RegExp][] = [
      ['/to-other-port', /loopback/],
      ['/to-localhost', /localhost \(resolves to (127\.0\.0\.1|::1)\) is a loopback/],
      ['/to-v6-loopback', /::1 is a loopback/],
      ['/to-mapped', /IPv4-mapped/],
      ['/to-decimal', /127\.0\.0\.1 is a loopback/],
      ['/to-metadata', /169\.254\.169\.254 is a link-local/],
      ['/to-internal-name', /10\.1\.2\.3\) is a private/],
    ];
    for (const [path, pattern] of cases) {
      const before = allowed.requests.length;
      await assert.rejects(fetcher.fetch(`${allowed.origin}${path}`), blockedBy(pattern), path);
      // Not retried: one request to the allowed host, none anywhere else.
      assert.equal(allowed.requests.length, before + 1, path);
    }
    assert.equal(internal.requests.length, 0);
  });
});

describe("createPolicedFetch (the LLM providers' fetch)", () => {
  let server: LoopbackServer;
  before(async () => {
    server = await startLoopbackServer({
      '/v1/models': (_request, response) => {
        response.writeHead(200, { 'content-type': 'application/json' }).end('{"data":[]}');
      },
    });
  });
  after(async () => server.close());

  it('refuses a loopback endpoint nobody allowed, before any request', async () => {
    await assert.rejects(createPolicedFetch()(`${server.origin}/v1/models`), /loopback/);
    assert.equal(server.requests.length, 0);
  });

  it('refuses a name that resolves inward (resolver hook, no connection made)', async () => {
    const lookup: HostLookup = async () => [{ address: '10.0.0.7', family: 4 }];
    await assert.rejects(createPolicedFetch({ lookup })('http://llm.example.test:8000/v1/models'), (error: unknown) => {
      const text = `${String(error)} ${String((error as { cause?: unknown }).cause)}`;
      return /private|10\.0\.0\.7/.test(text);
    });
  });

  it('reaches an endpoint listed in allowHosts', async () => {
    const response = await createPolicedFetch({ allowHosts: [server.host] })(`${server.origin}/v1/models`);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { data: [] });
  });
});

describe('createPolicedHostCheck (the SMTP client’s network policy)', () => {
  it('refuses a name that resolves only inward, and names the range (resolver hook, nothing connects)', async () => {
    const lookup: HostLookup = async () => [{ address: '192.168.1.20', family: 4 }];
    await assert.rejects(createPolicedHostCheck({ lookup })('smtp.example.test', 587), /private|192\.168\.1\.20/);
  });

  it('returns the first public address when a name resolves to an inward and a public one', async () => {
    const lookup: HostLookup = async () => [
      { address: '10.1.2.3', family: 4 },
      { address: '93.184.215.14', family: 4 },
    ];
    assert.deepEqual(await createPolicedHostCheck({ lookup })('smtp.example.test', 465), { address: '93.184.215.14' });
  });

  it('accepts loopback only when allowHosts lists the host and port', async () => {
    await assert.rejects(createPolicedHostCheck()('127.0.0.1', 2525), /loopback/);
    await assert.rejects(createPolicedHostCheck({ allowHosts: ['127.0.0.1:2526'] })('127.0.0.1', 2525), /loopback/);
    assert.deepEqual(await createPolicedHostCheck({ allowHosts: ['127.0.0.1:2525'] })('127.0.0.1', 2525), {
      address: '127.0.0.1',
    });
  });
});
