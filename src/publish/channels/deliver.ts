/**
 * Delivers one report to every configured channel through the delivery ledger (src/core/delivery.ts): a
 * channel whose row says `sent` is skipped, one whose row says `sending` (a crash between the post
 * and its record) is reported `unknown` and not posted again unless `redeliver` is set, and every
 * other one is posted after its row is written `sending`, then recorded `sent` or `failed` — or
 * left `sending` with the reason when the post was sent and no answer came (errorKind
 * `unanswered`: the platform may have posted it, as after a crash). At most once: the row is written before the post, so no crash can make a later run post twice
 * (docs/decisions/0170-delivery-ledger.md). Channels run concurrently; one that throws, hangs up
 * or fails never stops the others, and the outcomes come back in config order.
 */

import type { DeliveryLedger, DeliveryRecord } from '../../core/delivery.js';
import type { Logger } from '../../core/log.js';
import { redact } from '../../core/redact.js';
import {
  type Channel,
  type ChannelContext,
  type ChannelMessage,
  DeliveryError,
  type DeliveryErrorKind,
} from './channel.js';

/** What happened to one channel in this run. */
export interface DeliveryOutcome {
  channel: string;
  kind: string;
  /**
   * sent: posted now; already-sent: an earlier run posted it (nothing was posted); unknown: this
   * run posted and got no answer (errorKind `unanswered`), or an earlier run started posting and
   * never recorded how it ended (nothing was posted): not posted again without `redeliver`;
   * failed: not posted (or the platform refused it), the next run tries again.
   */
  status: 'sent' | 'already-sent' | 'unknown' | 'failed';
  /** One line: what was sent, or why not (redacted). */
  detail: string;
  messageId?: string;
  /** Set when the channel failed with a DeliveryError. */
  errorKind?: DeliveryErrorKind;
}

export interface DeliverOptions {
  ledger: DeliveryLedger;
  context: ChannelContext;
  log: Logger;
  now: () => Date;
  /** Post again where an earlier run left the state unknown (`sending`). `sent` rows stay skipped. */
  redeliver?: boolean;
}

/** Delivers `message` to every channel; one outcome per channel, in the order given. */
export async function deliverReport(
  channels: readonly Channel[],
  message: ChannelMessage,
  options: DeliverOptions,
): Promise<DeliveryOutcome[]> {
  const seen = new Set<string>();
  for (const channel of channels) {
    // The id keys the ledger: two channels sharing one would read and overwrite each other's row.
    if (seen.has(channel.id))
      throw new Error(`two delivery channels have the id "${channel.id}": give each its own id`);
    seen.add(channel.id);
  }
  return Promise.all(channels.map((channel) => deliverToChannel(channel, message, options)));
}

async function deliverToChannel(
  channel: Channel,
  message: ChannelMessage,
  options: DeliverOptions,
): Promise<DeliveryOutcome> {
  const { ledger, log } = options;
  const label = `deliver ${channel.id} (${message.date} ${message.language})`;
  const base = { channel: channel.id, kind: channel.kind };
  const key = { date: message.date, language: message.language, channel: channel.id, kind: channel.kind };

  let previous: DeliveryRecord | undefined;
  try {
    previous = await ledger.delivery(message.date, message.language, channel.id);
  } catch (error) {
    // Without the ledger nothing proves that an earlier run did not post: do not post.
    const detail = `not posted: cannot read the delivery ledger (${describe(error)})`;
    log.error(`${label}: ${detail}`);
    return { ...base, status: 'failed', detail };
  }

  if (previous?.status === 'sent') {
    const detail = `already sent on ${previous.updatedAt}${previous.detail ? `: ${previous.detail}` : ''}`;
    log.info(`${label}: ${detail}`);
    return { ...base, status: 'already-sent', detail, ...messageIdOf(previous.messageId) };
  }
  if (previous?.status === 'sending' && options.redeliver !== true) {
    const detail = previous.detail
      ? `unknown: a run posted on ${previous.updatedAt} and got no answer (${previous.detail}); not posted again (redeliver posts it)`
      : `unknown: a run began posting on ${previous.updatedAt} and did not record how it ended; not posted again (redeliver posts it)`;
    log.warn(`${label}: ${detail}`);
    return { ...base, status: 'unknown', detail };
  }
  if (options.context.signal?.aborted) {
    const detail = 'not posted: the run was cancelled';
    log.warn(`${label}: ${detail}`);
    return { ...base, status: 'failed', detail };
  }

  const attempts = (previous?.attempts ?? 0) + 1;
  try {
    await ledger.recordDelivery({ ...key, status: 'sending', attempts, updatedAt: options.now().toISOString() });
  } catch (error) {
    const detail = `not posted: cannot write the delivery ledger (${describe(error)})`;
    log.error(`${label}: ${detail}`);
    return { ...base, status: 'failed', detail };
  }

  let outcome: DeliveryOutcome;
  try {
    const receipt = await channel.deliver(message, options.context);
    outcome = { ...base, status: 'sent', detail: redact(receipt.detail), ...messageIdOf(receipt.messageId) };
  } catch (error) {
    const errorKind = error instanceof DeliveryError ? error.kind : undefined;
    const detail = errorKind === undefined ? describe(error) : `${errorKind}: ${describe(error)}`;
    // Sent and not answered: like a crash mid-post, the state is unknown and the row stays `sending`.
    const status = errorKind === 'unanswered' ? 'unknown' : 'failed';
    outcome = { ...base, status, detail, ...(errorKind === undefined ? {} : { errorKind }) };
  }

  try {
    await ledger.recordDelivery({
      ...key,
      status: outcome.status === 'sent' ? 'sent' : outcome.status === 'unknown' ? 'sending' : 'failed',
      attempts,
      updatedAt: options.now().toISOString(),
      detail: outcome.detail,
      ...messageIdOf(outcome.messageId),
    });
  } catch (error) {
    // The row stays `sending`: the next run reports the state unknown and does not post again.
    log.error(`${label}: ${outcome.status}, but cannot record it in the delivery ledger (${describe(error)})`);
  }
  if (outcome.status === 'sent') log.info(`${label}: sent: ${outcome.detail}`);
  else if (outcome.status === 'unknown') {
    log.warn(
      `${label}: unknown (attempt ${attempts}): ${outcome.detail}; not posted again: check the channel, and \`ai-daily publish --redeliver\` if it did not arrive`,
    );
  } else log.warn(`${label}: failed (attempt ${attempts}): ${outcome.detail}`);
  return outcome;
}

function messageIdOf(messageId: string | undefined): { messageId?: string } {
  return messageId === undefined ? {} : { messageId };
}

/** An error as one redacted line. */
function describe(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return redact(text.replace(/\s+/g, ' ').trim()) || 'unknown error';
}
