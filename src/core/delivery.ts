/**
 * The delivery ledger's contract: src/publish/channels/deliver.ts writes it, the store keeps it
 * (table `deliveries`), one row per (report date, language, channel id). A channel is posted to only when its row is absent or `failed`; a row is written `sending` before the post and
 * `sent` after it, so that a crash between the two leaves `sending`: the next run does not post
 * again (at most once; the log says the state is unknown) unless asked to (`publish --redeliver`).
 * A post that was sent and got no answer (a timeout, a reset) is left `sending` too, with its
 * reason in `detail`: the platform may have posted it.
 */
export type DeliveryStatus = 'sending' | 'sent' | 'failed';

export interface DeliveryRecord {
  date: string;
  language: 'zh' | 'en';
  channel: string;
  kind: string;
  status: DeliveryStatus;
  /** Attempts over all runs (a run counts once, whatever its retries). */
  attempts: number;
  /** ISO 8601 UTC of the last change. */
  updatedAt: string;
  messageId?: string;
  /** The receipt's detail, or the failure's reason (redacted). */
  detail?: string;
}

/** What `deliver.ts` needs from the store (src/store/store.ts implements it). */
export interface DeliveryLedger {
  delivery(date: string, language: 'zh' | 'en', channel: string): Promise<DeliveryRecord | undefined>;
  recordDelivery(record: DeliveryRecord): Promise<void>;
}
