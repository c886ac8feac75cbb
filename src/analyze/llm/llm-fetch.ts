/**
 * The `fetch` the AI SDK providers get: one request at a time under our own policy, so a model
 * call behaves like every other outbound request of ai-daily — a per-attempt timeout (the whole
 * answer included), retries after a timeout, a dropped connection, 429 or 5xx with doubling
 * backoff and jitter, a `Retry-After` honoured up to a cap (beyond it the call fails at once), and
 * an optional URL check (the network policy's allow-list) before anything is sent.
 * The SDK's own retries are turned off (`maxRetries: 0`) so that only this layer retries.
 */

import { sleep as wait } from '../../core/sleep.js';
import { parseRetryAfter } from '../../http/fetcher.js';

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
}

/** An LLM endpoint asked us to wait longer than allowed, or kept failing: the part falls back. */
export class LlmHttpError extends Error {
  readonly status: number | undefined;
  constructor(message: string, status?: number) {
    super(message);
    this.name = 'LlmHttpError';
    this.status = status;
  }
}

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

  const policed: FetchFunction = async (input, init) => {
    const url = requestUrl(input);
    const host = hostOf(url);
    const outer = init?.signal ?? undefined;
    // A streamed request body cannot be sent twice; the SDK sends strings, which can.
    const body = init?.body;
    let lastError = '';
    for (let attempt = 0; ; attempt++) {
      options.checkUrl?.(url);
      const timeout = new AbortController();
      const timer = setTimeout(
        () => timeout.abort(new Error(`no answer within ${options.timeoutMs} ms`)),
        options.timeoutMs,
      );
      const signal = outer ? AbortSignal.any([outer, timeout.signal]) : timeout.signal;
      let waitMs: number | undefined;
      try {
        const response = await inner(input, { ...init, body, signal });
        if (response.ok || !RETRY_STATUSES.has(response.status)) {
          // The timer stays armed while the caller reads the body: a stalled stream times out too.
          return withTimerCleared(response, timer);
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
        if (outer?.aborted) throw error;
        lastError = timeout.signal.aborted
          ? `${host}: no answer within ${options.timeoutMs} ms`
          : `${host}: ${error instanceof Error ? error.message : String(error)}`;
        if (attempt >= options.retries) throw new LlmHttpError(`${lastError} after ${attempt + 1} attempt(s)`);
      }
      const backoff = options.retryBaseMs * 2 ** attempt * (0.5 + random() / 2);
      const wait = Math.round(waitMs ?? backoff);
      options.onRetry?.({ attempt: attempt + 1, reason: lastError, waitMs: wait });
      await sleep(wait, outer);
    }
  };
  return policed;
}

/** The response as is; the per-attempt timer is cleared once its body has been read or cancelled. */
function withTimerCleared(response: Response, timer: ReturnType<typeof setTimeout>): Response {
  if (!response.body) {
    clearTimeout(timer);
    return response;
  }
  const reader = response.body.getReader();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await reader.read();
        if (next.done) {
          clearTimeout(timer);
          controller.close();
        } else controller.enqueue(next.value);
      } catch (error) {
        clearTimeout(timer);
        controller.error(error);
      }
    },
    async cancel(reason) {
      clearTimeout(timer);
      await reader.cancel(reason);
    },
  });
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
}
