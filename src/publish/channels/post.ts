/**
 * The one HTTP POST the chat channels share: a JSON body, a deadline per attempt, redirects not
 * followed, a bounded read of the answer, and retries on 429, 5xx and the platform's own
 * rate-limit codes with a capped wait (Retry-After / retry_after when the platform says how long,
 * up to the cap; else exponential backoff). Everything else fails at once. Errors are
 * DeliveryErrors with a kind; their messages name the channel and the host, never the URL (a
 * webhook URL is a credential) and pass through `redact`.
 */
import { redact } from '../../core/redact.js';
import { type ChannelContext, DeliveryError, type DeliveryErrorKind } from './channel.js';

/** What a platform's answer means, read from a 2xx (or any) response. */
export type Verdict =
  | { ok: true; messageId?: string }
  | { ok: false; kind: 'rejected' | 'rate-limited'; reason: string; retryAfterMs?: number };

export interface PlatformAnswer {
  status: number;
  /** The body as text (the first `maxResponseBytes`). */
  body: string;
  headers: Headers;
}

export interface PostJsonOptions {
  /** The channel id, for messages ("feishu", "team-slack"). */
  channel: string;
  url: string;
  body: unknown;
  context: ChannelContext;
  /** Reads a 2xx answer: accepted, refused or rate-limited (the platform's own codes). */
  readAnswer(answer: PlatformAnswer): Verdict;
  /** Retries after the first attempt (default 3). */
  retries?: number;
  /** First backoff wait, doubled per retry (default 1 s). */
  baseDelayMs?: number;
  /** No wait is longer; a Retry-After beyond it ends the delivery as rate-limited (default 60 s). */
  maxDelayMs?: number;
  /** Deadline of one attempt, answer included (default 15 s). */
  timeoutMs?: number;
  /** Bytes of the answer read (default 64 KiB). */
  maxResponseBytes?: number;
}

export interface PostResult {
  status: number;
  body: string;
  messageId?: string;
  attempts: number;
}

const DEFAULTS = { retries: 3, baseDelayMs: 1000, maxDelayMs: 60_000, timeoutMs: 15_000, maxResponseBytes: 64 * 1024 };

/** Reads at most `max` bytes of a body and cancels the rest. */
async function readBounded(response: Response, max: number): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < max) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.length;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  const all = Buffer.concat(chunks);
  return all.subarray(0, max).toString('utf8');
}

/** A Retry-After header (seconds or an HTTP date) in ms; undefined when absent or unreadable. */
export function retryAfterHeaderMs(value: string | null, now = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.ceil(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** JSON of a body, or undefined. */
export function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

/** A platform's error text, short and redacted, for an error message. */
export function shortReason(text: string): string {
  const clean = redact(text.replace(/\s+/g, ' ').trim());
  return clean.length > 200 ? `${clean.slice(0, 199)}…` : clean;
}

/** A retry_after (seconds) in a JSON body — Discord's top level, Telegram's `parameters` — in ms. */
function bodyRetryAfterMs(body: string): number | undefined {
  const json = parseJson(body) as { retry_after?: unknown; parameters?: { retry_after?: unknown } } | undefined;
  const value = json?.retry_after ?? json?.parameters?.retry_after;
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.ceil(value * 1000) : undefined;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'an invalid URL';
  }
}

/**
 * POSTs `body` as JSON and returns the accepted answer, or throws a DeliveryError: `rejected` at
 * once for a 3xx, a 4xx other than 429 or a refusal in the body; `rate-limited` / `server` when
 * the retries are spent; `network` when the request was never sent (refused, no address, TLS, the
 * network policy: safe to post again); `unanswered` when it was sent and no answer came (a timeout
 * or a reset: the platform may have posted it, so it is neither retried nor posted again).
 */
export async function postJson(options: PostJsonOptions): Promise<PostResult> {
  const settings = { ...DEFAULTS, ...definedOnly(options) };
  const where = `${options.channel} (${hostOf(options.url)})`;
  const payload = JSON.stringify(options.body);
  let last: DeliveryError | undefined;
  for (let attempt = 1; attempt <= settings.retries + 1; attempt++) {
    const timeout = AbortSignal.timeout(settings.timeoutMs);
    const signal = options.context.signal ? AbortSignal.any([options.context.signal, timeout]) : timeout;
    let answer: PlatformAnswer;
    try {
      const response = await options.context.fetch(options.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8', accept: 'application/json' },
        body: payload,
        redirect: 'manual',
        signal,
      });
      answer = {
        status: response.status,
        headers: response.headers,
        body: await readBounded(response, settings.maxResponseBytes),
      };
    } catch (error) {
      if (neverSent(error)) {
        throw new DeliveryError(redact(`${where}: not sent: ${networkReason(error)}`), {
          kind: 'network',
          cause: error,
        });
      }
      const reason = timeout.aborted ? `no answer within ${settings.timeoutMs} ms` : networkReason(error);
      throw new DeliveryError(redact(`${where}: ${reason} after the request was sent; it may have been posted`), {
        kind: 'unanswered',
        cause: error,
      });
    }

    let waitMs: number | undefined;
    let kind: DeliveryErrorKind;
    let reason: string;
    if (answer.status >= 200 && answer.status < 300) {
      const verdict = options.readAnswer(answer);
      if (verdict.ok) {
        return {
          status: answer.status,
          body: answer.body,
          attempts: attempt,
          ...(verdict.messageId === undefined ? {} : { messageId: verdict.messageId }),
        };
      }
      if (verdict.kind === 'rejected') {
        throw new DeliveryError(`${where}: refused: ${shortReason(verdict.reason)}`, {
          kind: 'rejected',
          status: answer.status,
        });
      }
      kind = 'rate-limited';
      reason = `rate-limited: ${shortReason(verdict.reason)}`;
      waitMs = verdict.retryAfterMs;
    } else if (answer.status === 429) {
      kind = 'rate-limited';
      reason = 'HTTP 429';
      waitMs = retryAfterHeaderMs(answer.headers.get('retry-after')) ?? bodyRetryAfterMs(answer.body);
    } else if (answer.status >= 500) {
      kind = 'server';
      reason = `HTTP ${answer.status}${answer.body ? `: ${shortReason(answer.body)}` : ''}`;
    } else if (answer.status >= 300 && answer.status < 400) {
      throw new DeliveryError(`${where}: HTTP ${answer.status} redirect (not followed): check the URL`, {
        kind: 'rejected',
        status: answer.status,
      });
    } else {
      throw new DeliveryError(`${where}: HTTP ${answer.status}${answer.body ? `: ${shortReason(answer.body)}` : ''}`, {
        kind: 'rejected',
        status: answer.status,
      });
    }

    last = new DeliveryError(`${where}: ${reason} after ${attempt} attempt${attempt === 1 ? '' : 's'}`, {
      kind,
      status: answer.status,
    });
    if (attempt > settings.retries) break;
    if (waitMs !== undefined && waitMs > settings.maxDelayMs) {
      throw new DeliveryError(
        `${where}: ${reason}; asked to wait ${Math.ceil(waitMs / 1000)} s, more than the ${Math.ceil(settings.maxDelayMs / 1000)} s cap`,
        { kind, status: answer.status },
      );
    }
    const backoff = Math.min(settings.baseDelayMs * 2 ** (attempt - 1), settings.maxDelayMs);
    await options.context.sleep(waitMs ?? backoff);
    if (options.context.signal?.aborted) break;
  }
  throw last ?? new DeliveryError(`${where}: not delivered`, { kind: 'network' });
}

/**
 * Error codes that mean the request never left: no address, no connection, no TLS session, or the
 * network policy refused the address. Anything else (a timeout, a reset, a socket closed after
 * connecting) may have come after the platform received the post.
 */
const NOT_SENT_CODES = new Set([
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_NONAME',
  'EAI_FAIL',
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENETDOWN',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
  'ERR_AI_DAILY_BLOCKED',
  'ERR_INVALID_URL',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_SIGNATURE_FAILURE',
]);

/** Whether `error` (or an error in its cause chain) says the request never left this machine. */
export function neverSent(error: unknown): boolean {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && (NOT_SENT_CODES.has(code) || /^ERR_TLS_|^ERR_SSL_/.test(code))) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

function networkReason(error: unknown): string {
  const cause = (error as { cause?: unknown })?.cause;
  const inner = cause instanceof Error ? cause.message : undefined;
  const outer = error instanceof Error ? error.message : String(error);
  return inner && inner !== outer ? `${outer}: ${inner}` : outer;
}

function definedOnly(options: PostJsonOptions): Partial<typeof DEFAULTS> {
  const out: Partial<typeof DEFAULTS> = {};
  for (const key of Object.keys(DEFAULTS) as (keyof typeof DEFAULTS)[]) {
    const value = options[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}
