/**
 * The `fetch` the AI SDK providers get: one request at a time under our own policy, so a model
 * call behaves like every other outbound request of ai-daily — a per-attempt timeout (the whole
 * answer included), retries after a timeout, a dropped connection, 429 or 5xx with doubling
 * backoff and jitter, a `Retry-After` honoured up to a cap (beyond it the call fails at once), and
 * an optional URL check (the network policy's allow-list) before anything is sent.
 * The SDK's own retries are turned off (`maxRetries: 0`) so that only this layer retries.
 */

import { parseRetryAfter } from '../../core/retry-after.js';
import { sleep as wait } from '../../core/sleep.js';

export type FetchFunction = typeof globalThis.fetch;

export interface LlmFetchOptions {
  timeoutMs: number;
  retries: number;
  retryBaseMs: number;
  retryAfterCapMs: number;
  /** The underlying fetch (tests inject one; default: the global fetch). */
  fetch?: FetchFunction;
  /** Throws when the URL may not be requested (network policy); called before every attempt. */
  checkUrl?: (url: string) => void;
  /** Waits (tests may shorten it). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => number;
  /** Told about every retry (for the run's log): what failed and how long we wait. */
  onRetry?: (event: { attempt: number; reason: string; waitMs: number }) => void;
  /** Jitter source in [0, 1); default Math.random. */
  random?: () => number;
  /** The largest response body accepted (default MAX_RESPONSE_BYTES). */
  maxResponseBytes?: number;
}

/**
 * How a request to the endpoint failed: no complete answer in time, an HTTP error status, no
 * connection, a body that is not a model's answer (an HTML page), or one over the size cap.
 */
export type LlmFetchFailure = 'timeout' | 'http-error' | 'connection' | 'not-an-answer' | 'too-large';

/** An LLM endpoint failed (after the retries), or asked us to wait longer than allowed: the part falls back. */
export class LlmHttpError extends Error {
  readonly status: number | undefined;
  readonly kind: LlmFetchFailure;
  constructor(
    message: string,
    status?: number,
    kind: LlmFetchFailure = status === undefined ? 'connection' : 'http-error',
  ) {
    super(message);
    this.name = 'LlmHttpError';
    this.status = status;
    this.kind = kind;
  }
}

/** The most a model's answer may be (bytes of the response body); a larger one fails the call. */
export const MAX_RESPONSE_BYTES = 4 * 1024 * 1024;
/** Bodies that are a web page, never a model's answer (a proxy's error or login page). */
const PAGE_TYPES = /^\s*(?:text\/html|application\/xhtml\+xml)\b/iu;

const RETRY_STATUSES = new Set([408, 409, 425, 429, 500, 502, 503, 504, 520, 522, 524, 529]);

function requestUrl(input: Parameters<FetchFunction>[0]): string {
  if (typeof input === 'string') return input;
  if (input instanceof URL) return input.href;
  return input.url;
}

/** "api.example.com" — what errors and logs name; never the path, query or key. */
function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'the LLM endpoint';
  }
}

export function createLlmFetch(options: LlmFetchOptions): FetchFunction {
  const inner = options.fetch ?? globalThis.fetch;
  const sleep = options.sleep ?? wait;
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;

  const maxBytes = options.maxResponseBytes ?? MAX_RESPONSE_BYTES;

  const policed: FetchFunction = async (input, init) => {
    const url = requestUrl(input);
    const host = hostOf(url);
    const outer = init?.signal ?? undefined;
    // A streamed request body cannot be sent twice; the SDK sends strings, which can.
    const body = init?.body;
    let lastError = '';
    for (let attempt = 0; ; attempt++) {
      options.checkUrl?.(url);
      if (outer?.aborted) throw outer.reason;
      // One clock for the whole attempt: connecting, the headers and every byte of the body.
      const timeout = new AbortController();
      const timedOut = () =>
        new LlmHttpError(`${host}: no complete answer within ${options.timeoutMs} ms`, undefined, 'timeout');
      const timer = setTimeout(() => timeout.abort(timedOut()), options.timeoutMs);
      const signal = outer ? AbortSignal.any([outer, timeout.signal]) : timeout.signal;
      let waitMs: number | undefined;
      try {
        const response = await inner(input, { ...init, body, signal });
        if (response.ok || !RETRY_STATUSES.has(response.status)) {
          const type = response.headers.get('content-type') ?? '';
          if (response.ok && PAGE_TYPES.test(type)) {
            await response.body?.cancel().catch(() => undefined);
            // A web page where an answer belongs is not retried: a proxy or portal answers the same way again.
            throw new LlmHttpError(
              `${host}: answered a web page (${type.split(';')[0]}), not a model's answer`,
              undefined,
              'not-an-answer',
            );
          }
          const length = Number(response.headers.get('content-length') ?? Number.NaN);
          if (Number.isFinite(length) && length > maxBytes) {
            await response.body?.cancel().catch(() => undefined);
            throw new LlmHttpError(
              `${host}: an answer of ${length} bytes, over the ${maxBytes} allowed`,
              undefined,
              'too-large',
            );
          }
          // The timer stays armed while the caller reads the body: a stalled or endless stream times out too.
          return guardedBody(response, { timer, timeout, signal, timedOut, maxBytes, host });
        }
        clearTimeout(timer);
        await response.body?.cancel().catch(() => undefined);
        const retryAfter = parseRetryAfter(response.headers.get('retry-after') ?? undefined, now());
        lastError = `${host}: HTTP ${response.status}`;
        if (retryAfter !== undefined && retryAfter > options.retryAfterCapMs) {
          throw new LlmHttpError(
            `${lastError}, asked to wait ${Math.round(retryAfter / 1000)} s (Retry-After), more than the ${Math.round(options.retryAfterCapMs / 1000)} s allowed`,
            response.status,
          );
        }
        if (attempt >= options.retries)
          throw new LlmHttpError(`${lastError} after ${attempt + 1} attempt(s)`, response.status);
        waitMs = retryAfter;
      } catch (error) {
        clearTimeout(timer);
        if (error instanceof LlmHttpError && !timeout.signal.aborted) throw error;
        if (outer?.aborted) throw outer.reason ?? error;
        const kind: LlmFetchFailure = timeout.signal.aborted ? 'timeout' : 'connection';
        lastError = timeout.signal.aborted
          ? `${host}: no answer within ${options.timeoutMs} ms`
          : `${host}: ${error instanceof Error ? error.message : String(error)}`;
        if (attempt >= options.retries)
          throw new LlmHttpError(`${lastError} after ${attempt + 1} attempt(s)`, undefined, kind);
      }
      const backoff = options.retryBaseMs * 2 ** attempt * (0.5 + random() / 2);
      const wait = Math.round(waitMs ?? backoff);
      options.onRetry?.({ attempt: attempt + 1, reason: lastError, waitMs: wait });
      await sleep(wait, outer);
    }
  };
  return policed;
}

/**
 * The response with its body guarded: the attempt's timer is cleared once the body has been read
 * or cancelled; a body still coming when the timer fires fails with the timeout, and one larger
 * than `maxBytes` fails with `too-large` (the connection is dropped either way).
 */
function guardedBody(
  response: Response,
  guard: {
    timer: ReturnType<typeof setTimeout>;
    timeout: AbortController;
    /** The attempt's signal: its timeout or the caller's own (a run deadline). */
    signal: AbortSignal;
    timedOut: () => LlmHttpError;
    maxBytes: number;
    host: string;
  },
): Response {
  const { timer, timeout } = guard;
  if (!response.body) {
    clearTimeout(timer);
    return response;
  }
  const reader = response.body.getReader();
  let received = 0;
  // A read that the server never completes ends when the timer fires, whatever the fetch does with its signal.
  const expired = new Promise<never>((_, reject) => {
    const fail = () => reject(timeout.signal.aborted ? guard.timedOut() : guard.signal.reason);
    if (guard.signal.aborted) fail();
    else guard.signal.addEventListener('abort', fail, { once: true });
  });
  expired.catch(() => undefined);
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await Promise.race([reader.read(), expired]);
        if (next.done) {
          clearTimeout(timer);
          controller.close();
          return;
        }
        received += next.value.byteLength;
        if (received > guard.maxBytes) {
          throw new LlmHttpError(
            `${guard.host}: an answer of more than ${guard.maxBytes} bytes`,
            undefined,
            'too-large',
          );
        }
        controller.enqueue(next.value);
      } catch (error) {
        clearTimeout(timer);
        const failure = timeout.signal.aborted && !(error instanceof LlmHttpError) ? guard.timedOut() : error;
        await reader.cancel(failure).catch(() => undefined);
        controller.error(failure);
      }
    },
    async cancel(reason) {
      clearTimeout(timer);
      await reader.cancel(reason);
    },
  });
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
}
