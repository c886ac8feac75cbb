/**
 * The real network: one hop over undici 7 `request()`. It follows no redirects and undoes no
 * content-encoding (the fetcher does both) and turns undici/system errors into FetchError kinds.
 *
 * Every hop obeys the network policy (network-policy.ts): an IP literal is checked before the
 * request, a name is checked inside the socket's `lookup`, on the addresses actually connected
 * to. A refused address fails with FetchError 'blocked'.
 */
import { promises as dns, type LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { Agent, buildConnector, type Dispatcher, request, fetch as undiciFetch } from 'undici';
import { FetchError, type FetchErrorKind } from '../core/errors.js';
import { describeUrl } from './fetcher.js';
import {
  BlockedAddressError,
  bareHost,
  createNetworkPolicy,
  effectivePort,
  type NetworkPolicy,
  nonPublicRange,
} from './network-policy.js';
import type { Transport, TransportRequest, TransportResponse } from './types.js';

/** Resolves a host name to every address it has (dns.lookup with all: true by default). */
export type HostLookup = (hostname: string) => Promise<{ address: string; family: number }[]>;

export interface LiveTransportOptions {
  /**
   * Hosts (`host` or `host:port`) that may be reached although they are, or resolve to, a
   * loopback, private, link-local or otherwise non-public address (`http.allowHosts`).
   */
  allowHosts?: readonly string[];
  /** Name resolution (tests inject one that maps names without DNS); defaults to dns.lookup. */
  lookup?: HostLookup;
  /**
   * Dispatcher to use (tests, proxies); defaults to an Agent with the timeouts below whose
   * connector applies the network policy. With a dispatcher of your own only IP literals are checked.
   */
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

function blockedCause(error: unknown): BlockedAddressError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth++) {
    if (current instanceof BlockedAddressError) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function blockedError(blocked: BlockedAddressError, url: string): FetchError {
  return new FetchError('blocked', `${describeUrl(url)}: blocked: ${blocked.message}`, {
    url,
    isRetryable: false,
    cause: blocked,
  });
}

function toFetchError(error: unknown, request: TransportRequest, during: string): FetchError {
  if (error instanceof FetchError) return error;
  const blocked = blockedCause(error);
  if (blocked) return blockedError(blocked, request.url);
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

const defaultLookup: HostLookup = (hostname) => dns.lookup(hostname, { all: true, verbatim: true });

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for net/tls.connect that resolves with `resolve`, keeps only the addresses `keep`
 * accepts and hands the socket those alone, so that it connects only to a checked address.
 */
function filteringLookup(resolve: HostLookup, check: ((hostname: string, address: string) => void) | undefined) {
  const lookup = (hostname: string, options: { all?: boolean; family?: number | string }, callback: LookupCallback) => {
    resolve(hostname).then(
      (addresses) => {
        const family =
          options.family === 4 || options.family === 'IPv4'
            ? 4
            : options.family === 6 || options.family === 'IPv6'
              ? 6
              : 0;
        const candidates = addresses.filter((a) => family === 0 || a.family === family);
        let refused: unknown;
        const usable = candidates.filter((a) => {
          try {
            check?.(hostname, a.address);
            return true;
          } catch (error) {
            refused ??= error;
            return false;
          }
        });
        const first = usable[0];
        if (!first) {
          const error: NodeJS.ErrnoException =
            refused instanceof Error
              ? refused
              : Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' });
          callback(error, options.all ? [] : '', 0);
          return;
        }
        if (options.all)
          callback(
            null,
            usable.map((a) => ({ address: a.address, family: a.family })),
          );
        else callback(null, first.address, first.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, options.all ? [] : '', 0),
    );
  };
  return lookup as unknown as LookupFunction;
}

/** A connector that applies `policy` to every connection before and while it is made. */
function createCheckedConnector(
  policy: NetworkPolicy,
  resolve: HostLookup,
  timeoutMs: number,
): buildConnector.connector {
  // Allowed hosts resolve as usual; every other name may only reach public addresses.
  const allowedConnect = buildConnector({ timeout: timeoutMs, lookup: filteringLookup(resolve, undefined) });
  const checkedConnect = buildConnector({
    timeout: timeoutMs,
    lookup: filteringLookup(resolve, (hostname, address) => {
      const range = nonPublicRange(address);
      if (range !== undefined) throw new BlockedAddressError(hostname, address, range);
    }),
  });
  return (options, callback) => {
    const host = bareHost(options.hostname);
    const port = Number(options.port) || (options.protocol === 'https:' ? 443 : 80);
    if (policy.isAllowedHost(host, port)) {
      allowedConnect(options, callback);
      return;
    }
    if (isIP(host) !== 0) {
      try {
        policy.checkAddress(host, port, host);
      } catch (error) {
        callback(error as Error, null);
        return;
      }
      allowedConnect(options, callback);
      return;
    }
    checkedConnect(options, callback);
  };
}

const sharedAgents = new Map<string, Agent>();

/**
 * A WHATWG `fetch` under the same network policy as the live transport (non-public addresses
 * refused on every connection, IP literals before the request, `allowHosts` honoured), for clients
 * that bring their own HTTP code — the LLM providers. Redirects are not followed.
 */
export function createPolicedFetch(
  options: Pick<LiveTransportOptions, 'allowHosts' | 'lookup' | 'connectTimeoutMs'> = {},
): typeof globalThis.fetch {
  const policy = createNetworkPolicy(options.allowHosts ?? []);
  const agent = new Agent({
    connect: createCheckedConnector(policy, options.lookup ?? defaultLookup, options.connectTimeoutMs ?? 10_000),
  });
  const policed = async (input: Parameters<typeof globalThis.fetch>[0], init?: RequestInit): Promise<Response> => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    const literal = bareHost(url.hostname);
    if (isIP(literal) !== 0) policy.checkAddress(literal, effectivePort(url), literal);
    // undici's own fetch takes the dispatcher; its types differ from the DOM's only in name.
    return (await undiciFetch(
      input as never,
      { ...(init as object), redirect: 'manual', dispatcher: agent } as never,
    )) as unknown as Response;
  };
  return policed as typeof globalThis.fetch;
}

/**
 * The network policy for a client that opens its own connections (SMTP): resolves `host` and
 * returns the first address the policy accepts for `host:port`, or throws (BlockedAddressError
 * when every address is refused, the resolver's error when the name does not resolve). The caller
 * connects to that address, so that what was checked is what is connected to.
 */
export function createPolicedHostCheck(
  options: Pick<LiveTransportOptions, 'allowHosts' | 'lookup'> = {},
): (host: string, port: number) => Promise<{ address: string }> {
  const policy = createNetworkPolicy(options.allowHosts ?? []);
  const lookup = options.lookup ?? defaultLookup;
  return async (host, port) => {
    const name = bareHost(host);
    const addresses = isIP(name) !== 0 ? [{ address: name, family: isIP(name) }] : await lookup(name);
    if (addresses.length === 0) throw new Error(`${name} has no address`);
    let refusal: unknown;
    for (const { address } of addresses) {
      try {
        policy.checkAddress(name, port, address);
        return { address };
      } catch (error) {
        refusal = error;
      }
    }
    throw refusal;
  };
}

/** A Transport over the real network. */
export function createLiveTransport(options: LiveTransportOptions = {}): Transport {
  const policy = createNetworkPolicy(options.allowHosts ?? []);
  const connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
  const headersTimeout = options.headersTimeoutMs ?? 30_000;
  const bodyTimeout = options.bodyTimeoutMs ?? 30_000;
  const makeAgent = () =>
    new Agent({
      connect: createCheckedConnector(policy, options.lookup ?? defaultLookup, connectTimeoutMs),
      headersTimeout,
      bodyTimeout,
    });
  let dispatcher = options.dispatcher;
  if (!dispatcher && options.lookup) dispatcher = makeAgent();
  if (!dispatcher) {
    // One Agent (one connection pool) per policy and timeouts, shared by the transports that use them.
    const key = JSON.stringify([[...(options.allowHosts ?? [])].sort(), connectTimeoutMs, headersTimeout, bodyTimeout]);
    let agent = sharedAgents.get(key);
    if (!agent) {
      agent = makeAgent();
      sharedAgents.set(key, agent);
    }
    dispatcher = agent;
  }

  return async (transportRequest: TransportRequest): Promise<TransportResponse> => {
    let target: URL;
    try {
      target = new URL(transportRequest.url);
    } catch (error) {
      throw new FetchError('bad-url', `not a valid URL: ${describeUrl(transportRequest.url)}`, {
        url: transportRequest.url,
        cause: error,
      });
    }
    // IP literals are checked here too, so that a dispatcher of the caller's own cannot skip it.
    const literal = bareHost(target.hostname);
    if (isIP(literal) !== 0) {
      try {
        policy.checkAddress(literal, effectivePort(target), literal);
      } catch (error) {
        throw toFetchError(error, transportRequest, 'before the request');
      }
    }
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
