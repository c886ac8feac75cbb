/**
 * A delivery channel posts a short message about a published report somewhere people read it: a
 * chat group (Feishu, DingTalk, WeCom, Slack, Discord, Telegram) or a mailbox (email over SMTP).
 * One file per kind under this folder, each exporting a `ChannelDefinition`: the kind's own config
 * schema (validated like connector params, errors name `publish.channels[N].field`) and a factory.
 * The registry (`registry.ts`) maps kinds to definitions; `deliver.ts` runs every configured
 * channel through the delivery ledger so that a re-run never posts twice, and one failing channel
 * never stops the others. Every channel passes `contract.test.ts` against a local counterpart
 * (an HTTP server that checks the platform's payload and signature, or a real SMTP server).
 */
import type { z } from 'zod';
import type { Report } from '../../core/report.js';

/** What a channel is asked to deliver: one report, rendered, and where its full page lives. */
export interface ChannelMessage {
  /** Report date (YYYY-MM-DD) and language: with the channel id, the ledger's key. */
  date: string;
  language: 'zh' | 'en';
  report: Report;
  /** The full report as published (Markdown and the standalone HTML page). */
  markdown: string;
  html: string;
  /** Absolute URL of the report's HTML page (needs `output.siteUrl`); absent → no link is given. */
  pageUrl?: string;
}

/** What a channel needs from its caller; every outbound request goes through `fetch`. */
export interface ChannelContext {
  /** A fetch under the network policy (src/http/live-transport.ts#createPolicedFetch). */
  fetch: typeof globalThis.fetch;
  /**
   * Where an SMTP connection may go: resolves the host and refuses what the network policy
   * refuses (non-public addresses not in `http.allowHosts`). Throws with a reason.
   */
  checkHost: (host: string, port: number) => Promise<{ address: string }>;
  /** Waits between retries (tests pass a fast one). */
  sleep: (ms: number) => Promise<void>;
  signal?: AbortSignal;
}

/** One successful delivery. */
export interface DeliveryReceipt {
  /** The platform's id of the message, when it gives one (Telegram message_id, SMTP message id). */
  messageId?: string;
  /** One line for the log: what was sent (e.g. "6 top stories, 1,820 chars, link to the page"). */
  detail: string;
}

export interface Channel {
  readonly kind: string;
  /** Unique among the configured channels: the config's `id`, else the kind (kind-2, … for repeats). Ledger key. */
  readonly id: string;
  /** Posts the message once (with its own retries on 429/5xx). Throws a DeliveryError on failure. */
  deliver(message: ChannelMessage, context: ChannelContext): Promise<DeliveryReceipt>;
  /**
   * Checks the configuration without posting anything (for `ai-daily doctor`): the URL's shape,
   * a secret where the platform signs, the host allowed by the network policy … Problems, one
   * line each; empty when fine.
   */
  check(context: Pick<ChannelContext, 'checkHost'>): Promise<string[]>;
}

export interface ChannelDefinition<Schema extends z.ZodType = z.ZodType> {
  kind: string;
  /** The kind's config (everything but `kind` and `id`), a strict object. */
  schema: Schema;
  create(config: z.output<Schema>, id: string): Channel;
}

/** Why a delivery failed, as a kind the ledger and the log can show. */
export type DeliveryErrorKind =
  /** The platform refused the request (4xx other than 429, or an error code in a 200 body). */
  | 'rejected'
  /** Still rate-limited (429, or the platform's rate-limit code) after the retries. */
  | 'rate-limited'
  /** 5xx after the retries. */
  | 'server'
  /**
   * The request was never sent: connection refused, the name did not resolve, TLS failed, the
   * connection did not open in time, or the network policy blocked the address. Safe to post again.
   */
  | 'network'
  /**
   * The request was sent (or may have been) and no answer came: a timeout or a reset after
   * connecting. The platform may have posted it: the delivery is unknown, not posted again
   * unless asked (`publish --redeliver`).
   */
  | 'unanswered';

export class DeliveryError extends Error {
  override readonly name = 'DeliveryError';
  readonly kind: DeliveryErrorKind;
  /** The HTTP status or SMTP response code, when there was one. */
  readonly status?: number;
  constructor(message: string, options: { kind: DeliveryErrorKind; status?: number; cause?: unknown }) {
    super(message, { cause: options.cause });
    this.kind = options.kind;
    if (options.status !== undefined) this.status = options.status;
  }
}
