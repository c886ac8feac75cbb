/**
 * The one polite HTTP client every connector uses: deadline per request (headers and body),
 * redirects followed here (capped, http/https only, loops caught), decompression with a cap on
 * decoded bytes, retries with backoff and jitter, Retry-After, conditional GET, per-host
 * concurrency, charset detection. Every failure is a FetchError with a kind.
 */
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import pLimit, { type LimitFunction } from 'p-limit';
import { FetchError, type FetchErrorKind } from '../core/errors.js';
import { parseRetryAfter } from '../core/retry-after.js';
import { sleep as wait } from '../core/sleep.js';
import { VERSION } from '../core/version.js';
import { decodeBody } from './charset.js';
import type { FetchDocument, FetchedDocument, FetchOptions, Transport, TransportResponse } from './types.js';

export const DEFAULT_USER_AGENT = `ai-daily/${VERSION} (+https://github.com/ai-daily/ai-daily)`;
export const DEFAULT_ACCEPT =
  'application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, text/html;q=0.7, */*;q=0.5';

/** The validators remembered for a URL, sent back on a conditional GET. */
export interface Validators {
  etag?: string;
  lastModified?: string;
}

/** Where ETag / Last-Modified are kept between runs (the SQLite store implements it). */
export interface ValidatorStore {
  get(url: string): Validators | undefined;
  set(url: string, validators: Validators): void;
}

/** A ValidatorStore that lives as long as the process. */
export function createMemoryValidatorStore(): ValidatorStore {
  const entries = new Map<string, Validators>();
  return {
    get: (url) => entries.get(url),
    set: (url, validators) => {
      entries.set(url, { ...validators });
    },
  };
}

export interface FetcherOptions {
  transport: Transport;
  userAgent?: string;
  /** Per-request deadline, all redirect hops and the whole body included. */
  timeoutMs?: number;
  /** Cap on decoded (decompressed) body bytes. */
  maxBytes?: number;
  maxRedirects?: number;
  /** Retries after the first attempt. */
  retries?: number;
  /** First backoff delay; doubled on each retry, with jitter (×0.5..1.5). */
  retryBaseMs?: number;
  /** A Retry-After longer than this fails at once with 'rate-limited'. */
  retryAfterCapMs?: number;
  perHostConcurrency?: number;
  /**
   * A limit shared with other processes (collection workers): each request to a host runs inside
   * it, after this process's own per-host limit, and holds its slot for that request only.
   */
  hostGate?: HostGate;
  validators?: ValidatorStore;
  /** Injectable for tests; must reject when `signal` aborts. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
  /** Clock for Retry-After dates and elapsedMs; injectable for tests. */
  now?: () => number;
}

/** Runs `work` while holding one of a host's slots (waiting for one to be free). */
export type HostGate = <T>(host: string, work: () => Promise<T>) => Promise<T>;

export interface Fetcher {
  fetch: FetchDocument;
  validators: ValidatorStore;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** A 429/503 answer: carries how long the server asked us to wait, when it said. */
class RateLimitError extends FetchError {
  readonly retryAfterMs: number | undefined;
  constructor(kind: FetchErrorKind, message: string, url: string, status: number, retryAfterMs: number | undefined) {
    super(kind, message, { url, status, isRetryable: true });
    this.retryAfterMs = retryAfterMs;
  }
}

/** "example.com/path" — what error messages name: never the query (it may hold a key) nor headers. */
export function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname}`;
  } catch {
    return url.slice(0, 100);
  }
}

function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 120_000) return `${Math.round(ms / 1000)} s`;
  if (ms < 7_200_000) return `${Math.round(ms / 60_000)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

function parseHttpUrl(url: string, requestUrl: string, what: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (error) {
    throw new FetchError('bad-url', `${what} is not a valid URL: ${JSON.stringify(url.slice(0, 200))}`, {
      url: requestUrl,
      cause: error,
    });
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new FetchError(
      'bad-url',
      `${what} uses ${parsed.protocol} (only http and https are fetched): ${describeUrl(url)}`,
      {
        url: requestUrl,
      },
    );
  }
  return parsed;
}

/** A header value with a control character (CR/LF above all) would be refused by the HTTP client. */
const HEADER_CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f]/;

/** Fails with a clear 'bad-url' (the request cannot be made as configured), naming the header only. */
function checkHeaderValues(headers: Record<string, string>, url: string): void {
  for (const [name, value] of Object.entries(headers)) {
    if (HEADER_CONTROL.test(value)) {
      throw new FetchError(
        'bad-url',
        `${describeUrl(url)}: the request header "${name}" contains control characters (CR, LF, ...); check the config`,
        { url },
      );
    }
  }
}

/** Iterates `source`, failing with the signal's reason as soon as it aborts (even if the source stalls). */
async function* abortableIterable<T>(source: AsyncIterable<T>, signal: AbortSignal): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]();
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  aborted.catch(() => {});
  let finished = false;
  try {
    while (true) {
      const result = await Promise.race([iterator.next(), aborted]);
      if (result.done) {
        finished = true;
        return;
      }
      yield result.value;
    }
  } finally {
    if (onAbort) signal.removeEventListener('abort', onAbort);
    // Release the connection; do not wait for a stalled source to agree.
    if (!finished) void Promise.resolve(iterator.return?.()).catch(() => {});
  }
}

/** Discards a response body we will not read (redirects, errors). */
function discardBody(response: TransportResponse): void {
  const iterator = response.body[Symbol.asyncIterator]();
  void Promise.resolve(iterator.return?.()).catch(() => {});
}

/** Looks at the first chunk of a deflate body: zlib-wrapped (RFC 1950) or raw (RFC 1951). */
function isZlibWrapped(chunk: Uint8Array): boolean {
  const cmf = chunk[0];
  const flg = chunk[1];
  if (cmf === undefined || flg === undefined) return true;
  return (cmf & 0x0f) === 8 && cmf >> 4 <= 7 && (cmf * 256 + flg) % 31 === 0;
}

function createDecompressor(
  encoding: string,
  firstChunk: Uint8Array,
): zlib.Gunzip | zlib.Inflate | zlib.InflateRaw | zlib.BrotliDecompress {
  const lenient = { finishFlush: zlib.constants.Z_SYNC_FLUSH };
  switch (encoding) {
    case 'gzip':
    case 'x-gzip':
      return zlib.createGunzip(lenient);
    case 'deflate':
      return isZlibWrapped(firstChunk) ? zlib.createInflate(lenient) : zlib.createInflateRaw(lenient);
    case 'br':
      return zlib.createBrotliDecompress({ finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH });
    default:
      throw new Error(`unsupported content-encoding "${encoding}"`);
  }
}

/** Yields the chunks with one content-encoding undone, streaming (memory stays bounded). */
async function* decompress(source: AsyncIterable<Uint8Array>, encoding: string): AsyncGenerator<Uint8Array> {
  const iterator = source[Symbol.asyncIterator]();
  let first = await iterator.next();
  while (!first.done && first.value.byteLength === 0) first = await iterator.next();
  if (first.done) return;
  const firstChunk = first.value;
  const decompressor = createDecompressor(encoding, firstChunk);
  const rest: AsyncIterable<Uint8Array> = {
    [Symbol.asyncIterator]: () => iterator,
  };
  async function* all(): AsyncGenerator<Uint8Array> {
    yield firstChunk;
    yield* rest;
  }
  const input = Readable.from(all(), { objectMode: false });
  input.on('error', (error) => decompressor.destroy(error));
  input.pipe(decompressor);
  try {
    for await (const chunk of decompressor) yield chunk as Buffer;
  } finally {
    input.unpipe(decompressor);
    input.destroy();
    decompressor.destroy();
  }
}

export function createFetcher(options: FetcherOptions): Fetcher {
  const transport = options.transport;
  const userAgent = options.userAgent ?? DEFAULT_USER_AGENT;
  const timeoutMs = options.timeoutMs ?? 20_000;
  const maxBytes = options.maxBytes ?? 10 * 1024 * 1024;
  const maxRedirects = options.maxRedirects ?? 5;
  const retries = options.retries ?? 2;
  const retryBaseMs = options.retryBaseMs ?? 500;
  const retryAfterCapMs = options.retryAfterCapMs ?? 60_000;
  const perHostConcurrency = options.perHostConcurrency ?? 2;
  const validators = options.validators ?? createMemoryValidatorStore();
  const sleep = options.sleep ?? wait;
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  const hostLimits = new Map<string, LimitFunction>();
  const hostGate = options.hostGate;

  function limitFor(host: string): LimitFunction {
    let limit = hostLimits.get(host);
    if (!limit) {
      limit = pLimit(perHostConcurrency);
      hostLimits.set(host, limit);
    }
    return limit;
  }

  function baseHeaders(fetchOptions: FetchOptions): Record<string, string> {
    return {
      'user-agent': userAgent,
      accept: fetchOptions.accept ?? DEFAULT_ACCEPT,
      'accept-encoding': 'gzip, deflate, br',
    };
  }

  function requestHeaders(url: string, fetchOptions: FetchOptions): Record<string, string> {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(fetchOptions.headers ?? {})) headers[name.toLowerCase()] = value;
    Object.assign(headers, baseHeaders(fetchOptions));
    if (fetchOptions.headers) {
      // The caller's own Accept wins over the default one.
      for (const [name, value] of Object.entries(fetchOptions.headers)) {
        if (name.toLowerCase() === 'accept') headers.accept = value;
      }
    }
    if (fetchOptions.conditional) {
      const stored = validators.get(url);
      if (stored?.etag) headers['if-none-match'] = stored.etag;
      if (stored?.lastModified) headers['if-modified-since'] = stored.lastModified;
    }
    return headers;
  }

  /** Reads the body, undoing content-encoding, failing with 'too-large' past maxBytes decoded bytes. */
  async function readBody(response: TransportResponse, url: string, signal: AbortSignal): Promise<Uint8Array> {
    const host = describeUrl(url);
    const declaredLength = Number(response.headers['content-length']);
    if (Number.isFinite(declaredLength) && declaredLength > maxBytes) {
      discardBody(response);
      throw new FetchError(
        'too-large',
        `${host}: Content-Length ${declaredLength} bytes is over the cap of ${maxBytes} bytes (http.maxBytes)`,
        {
          url,
          status: response.status,
        },
      );
    }
    const encodings = (response.headers['content-encoding'] ?? '')
      .split(',')
      .map((encoding) => encoding.trim().toLowerCase())
      .filter((encoding) => encoding !== '' && encoding !== 'identity');
    for (const encoding of encodings) {
      if (!['gzip', 'x-gzip', 'deflate', 'br'].includes(encoding)) {
        discardBody(response);
        throw new FetchError('decode', `${host}: unsupported content-encoding "${encoding}"`, {
          url,
          status: response.status,
        });
      }
    }
    let chunks: AsyncIterable<Uint8Array> = abortableIterable(response.body, signal);
    // Encodings are listed in the order applied; undo them last first.
    for (const encoding of [...encodings].reverse()) chunks = decompress(chunks, encoding);

    const parts: Uint8Array[] = [];
    let total = 0;
    try {
      for await (const chunk of chunks) {
        total += chunk.byteLength;
        if (total > maxBytes) {
          throw new FetchError(
            'too-large',
            `${host}: body is over the cap of ${maxBytes} decoded bytes${encodings.length > 0 ? ` (content-encoding ${encodings.join(', ')})` : ''} (http.maxBytes)`,
            { url, status: response.status },
          );
        }
        parts.push(chunk);
      }
    } catch (error) {
      if (error instanceof FetchError) throw error;
      if (signal.aborted) throw signal.reason;
      const code = (error as { code?: unknown }).code;
      if (typeof code === 'string' && code.startsWith('Z_')) {
        throw new FetchError(
          'decode',
          `${host}: cannot decompress the ${encodings.join(', ')} body (${(error as Error).message})`,
          {
            url,
            status: response.status,
            cause: error,
          },
        );
      }
      throw new FetchError('connection', `${host}: the body could not be read (${(error as Error).message})`, {
        url,
        status: response.status,
        isRetryable: true,
        cause: error,
      });
    }
    return Buffer.concat(parts, total);
  }

  /** One attempt: all hops, under one deadline. */
  async function attempt(requestUrl: string, fetchOptions: FetchOptions, started: number): Promise<FetchedDocument> {
    const controller = new AbortController();
    const timeoutError = new FetchError(
      'timeout',
      `${describeUrl(requestUrl)}: no complete answer within ${timeoutMs} ms`,
      {
        url: requestUrl,
        isRetryable: true,
      },
    );
    const timer = setTimeout(() => controller.abort(timeoutError), timeoutMs);
    const outer = fetchOptions.signal;
    const onOuterAbort = () =>
      controller.abort(
        new FetchError('budget', `${describeUrl(requestUrl)}: cancelled (${String(outer?.reason ?? 'budget spent')})`, {
          url: requestUrl,
        }),
      );
    if (outer?.aborted) onOuterAbort();
    else outer?.addEventListener('abort', onOuterAbort, { once: true });
    const signal = controller.signal;
    const aborted = new Promise<never>((_, reject) => {
      if (signal.aborted) reject(signal.reason);
      else signal.addEventListener('abort', () => reject(signal.reason), { once: true });
    });
    aborted.catch(() => {});

    try {
      let currentUrl = requestUrl;
      const origin = new URL(requestUrl).origin;
      const visited = new Set<string>([requestUrl]);
      for (let hop = 0; ; hop++) {
        const sameOrigin = new URL(currentUrl).origin === origin;
        // Caller headers (tokens) and validators never travel to another origin.
        const headers = sameOrigin ? requestHeaders(currentUrl, fetchOptions) : baseHeaders(fetchOptions);
        checkHeaderValues(headers, requestUrl);
        let response: TransportResponse;
        try {
          response = await Promise.race([transport({ url: currentUrl, method: 'GET', headers, signal }), aborted]);
        } catch (error) {
          if (signal.aborted) throw signal.reason;
          throw error;
        }
        const host = describeUrl(currentUrl);
        const status = response.status;

        if (REDIRECT_STATUSES.has(status) && response.headers.location !== undefined) {
          discardBody(response);
          if (hop >= maxRedirects) {
            throw new FetchError('redirect', `${describeUrl(requestUrl)}: more than ${maxRedirects} redirects`, {
              url: requestUrl,
              status,
            });
          }
          let next: string;
          try {
            next = new URL(response.headers.location, currentUrl).href;
          } catch (error) {
            throw new FetchError('redirect', `${host}: redirect to an invalid Location`, {
              url: requestUrl,
              status,
              cause: error,
            });
          }
          parseHttpUrl(next, requestUrl, `${host} redirects to a URL that`);
          if (visited.has(next)) {
            throw new FetchError('redirect', `${host}: redirect loop back to ${describeUrl(next)}`, {
              url: requestUrl,
              status,
            });
          }
          visited.add(next);
          currentUrl = next;
          continue;
        }

        if (status === 304) {
          discardBody(response);
          return {
            requestUrl,
            url: currentUrl,
            status,
            headers: response.headers,
            notModified: true,
            byteLength: 0,
            text: '',
            charset: 'utf-8',
            charsetSource: 'fallback',
            elapsedMs: now() - started,
          };
        }

        if (status === 429 || status === 503) {
          discardBody(response);
          const retryAfterMs = parseRetryAfter(response.headers['retry-after'], now());
          if (retryAfterMs !== undefined && retryAfterMs > retryAfterCapMs) {
            throw new FetchError(
              'rate-limited',
              `${host}: HTTP ${status}, asked to wait ${formatDuration(retryAfterMs)} (Retry-After: ${response.headers['retry-after']}), more than the ${formatDuration(retryAfterCapMs)} allowed; skipped for this run`,
              { url: requestUrl, status },
            );
          }
          const kind: FetchErrorKind = status === 429 ? 'rate-limited' : 'http-status';
          const asked = retryAfterMs === undefined ? '' : `, asked to wait ${formatDuration(retryAfterMs)}`;
          throw new RateLimitError(kind, `${host}: HTTP ${status}${asked}`, requestUrl, status, retryAfterMs);
        }

        if (status < 200 || status > 299) {
          discardBody(response);
          throw new FetchError('http-status', `${host}: HTTP ${status}`, {
            url: requestUrl,
            status,
            isRetryable: status >= 500 && status !== 501,
          });
        }

        const bytes = await readBody(response, currentUrl, signal);
        if (bytes.byteLength === 0) {
          throw new FetchError('empty', `${host}: HTTP ${status} with an empty body`, { url: requestUrl, status });
        }
        if (status === 200) {
          const etag = response.headers.etag;
          const lastModified = response.headers['last-modified'];
          if (etag || lastModified) validators.set(requestUrl, { etag, lastModified });
        }
        const decoded = decodeBody(bytes, response.headers['content-type']);
        return {
          requestUrl,
          url: currentUrl,
          status,
          headers: response.headers,
          notModified: false,
          byteLength: bytes.byteLength,
          text: decoded.text,
          charset: decoded.charset,
          charsetSource: decoded.source,
          elapsedMs: now() - started,
        };
      }
    } catch (error) {
      if (error instanceof FetchError) throw error;
      if (signal.aborted && signal.reason instanceof FetchError) throw signal.reason;
      throw new FetchError('connection', `${describeUrl(requestUrl)}: ${(error as Error)?.message ?? String(error)}`, {
        url: requestUrl,
        isRetryable: true,
        cause: error,
      });
    } finally {
      clearTimeout(timer);
      outer?.removeEventListener('abort', onOuterAbort);
    }
  }

  const fetchDocument: FetchDocument = async (url, fetchOptions = {}) => {
    const started = now();
    const parsed = parseHttpUrl(url, url, 'the requested URL');
    const limit = limitFor(parsed.host);
    for (let attemptIndex = 0; ; attemptIndex++) {
      try {
        return await limit(() =>
          hostGate
            ? hostGate(parsed.host, () => attempt(url, fetchOptions, started))
            : attempt(url, fetchOptions, started),
        );
      } catch (error) {
        if (!(error instanceof FetchError) || !error.isRetryable || attemptIndex >= retries) throw error;
        const backoff = retryBaseMs * 2 ** attemptIndex * (0.5 + random());
        const delay =
          error instanceof RateLimitError && error.retryAfterMs !== undefined ? error.retryAfterMs : backoff;
        try {
          await sleep(delay, fetchOptions.signal);
        } catch {
          throw new FetchError('budget', `${describeUrl(url)}: cancelled while waiting to retry (${error.message})`, {
            url,
            cause: error,
          });
        }
      }
    }
  };

  return { fetch: fetchDocument, validators };
}
