/**
 * The real network: one hop over undici 7 `request()`. It follows no redirects and undoes no
 * content-encoding (the fetcher does both) and turns undici/system errors into FetchError kinds.
 */
import { Agent, type Dispatcher, request } from 'undici';
import { FetchError, type FetchErrorKind } from '../core/errors.js';
import { describeUrl } from './fetcher.js';
import type { Transport, TransportRequest, TransportResponse } from './types.js';

export interface LiveTransportOptions {
  /** Dispatcher to use (tests, proxies); defaults to a shared Agent with the timeouts below. */
  dispatcher?: Dispatcher;
  /** TCP + TLS connect limit. The fetcher's own deadline covers the rest. */
  connectTimeoutMs?: number;
  /** Backstop inactivity limits (the fetcher's deadline is the real one). */
  headersTimeoutMs?: number;
  bodyTimeoutMs?: number;
}

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL', 'EAI_NODATA']);
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENETDOWN',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_DESTROYED',
]);
const TIMEOUT_CODES = new Set([
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ABORT_ERR',
]);

function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'UND_ERR') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Classifies a network error into a FetchError kind. */
export function classifyNetworkError(error: unknown, aborted: boolean): { kind: FetchErrorKind; retryable: boolean } {
  if (aborted) return { kind: 'timeout', retryable: true };
  const code = errorCode(error);
  const name = (error as { name?: unknown })?.name;
  if (name === 'AbortError' || code === 'ABORT_ERR' || code === 'UND_ERR_ABORTED')
    return { kind: 'timeout', retryable: true };
  if (code && DNS_CODES.has(code)) return { kind: 'dns', retryable: code === 'EAI_AGAIN' };
  if (code && CONNECTION_CODES.has(code)) return { kind: 'connection', retryable: true };
  if (code && TIMEOUT_CODES.has(code)) return { kind: 'timeout', retryable: true };
  if (code && (/CERT|SSL|TLS/.test(code) || code.startsWith('ERR_TLS'))) return { kind: 'tls', retryable: false };
  return { kind: 'connection', retryable: true };
}

function toFetchError(error: unknown, request: TransportRequest, during: string): FetchError {
  if (error instanceof FetchError) return error;
  const { kind, retryable } = classifyNetworkError(error, request.signal.aborted);
  if (kind === 'timeout' && request.signal.reason instanceof FetchError) return request.signal.reason;
  const code = errorCode(error);
  const detail = code ? `${code}` : ((error as Error)?.message ?? String(error));
  return new FetchError(kind, `${describeUrl(request.url)}: ${kind} error ${during} (${detail})`, {
    url: request.url,
    isRetryable: retryable,
    cause: error,
  });
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

let sharedAgent: Agent | undefined;

/** A Transport over the real network. */
export function createLiveTransport(options: LiveTransportOptions = {}): Transport {
  const customTimeouts = options.connectTimeoutMs || options.headersTimeoutMs || options.bodyTimeoutMs;
  let dispatcher = options.dispatcher;
  if (!dispatcher && customTimeouts) {
    dispatcher = new Agent({
      connect: { timeout: options.connectTimeoutMs ?? 10_000 },
      headersTimeout: options.headersTimeoutMs ?? 30_000,
      bodyTimeout: options.bodyTimeoutMs ?? 30_000,
    });
  }
  if (!dispatcher) {
    sharedAgent ??= new Agent({ connect: { timeout: 10_000 }, headersTimeout: 30_000, bodyTimeout: 30_000 });
    dispatcher = sharedAgent;
  }

  return async (transportRequest: TransportRequest): Promise<TransportResponse> => {
    let response: Dispatcher.ResponseData;
    try {
      response = await request(transportRequest.url, {
        method: transportRequest.method,
        headers: transportRequest.headers,
        signal: transportRequest.signal,
        dispatcher,
      });
    } catch (error) {
      throw toFetchError(error, transportRequest, 'before the response');
    }
    const body = response.body;
    // Destroying an undici body emits an abort 'error'; reading still sees real errors through next().
    body.on('error', () => {});
    // A hand-written iterator, not a generator: return() must destroy the stream even when the
    // caller never started reading (a redirect or an error status), or the socket stays busy.
    const chunks: AsyncIterable<Uint8Array> = {
      [Symbol.asyncIterator]() {
        const inner = body[Symbol.asyncIterator]();
        return {
          async next(): Promise<IteratorResult<Uint8Array>> {
            try {
              return (await inner.next()) as IteratorResult<Uint8Array>;
            } catch (error) {
              body.destroy();
              throw toFetchError(error, transportRequest, 'while reading the body');
            }
          },
          async return(): Promise<IteratorResult<Uint8Array>> {
            if (!body.destroyed) body.destroy();
            return { done: true, value: undefined };
          },
        };
      },
    };
    return {
      status: response.statusCode,
      headers: flattenHeaders(response.headers),
      body: chunks,
    };
  };
}
