/**
 * The delivery ledger (src/core/delivery.ts): one row per report date, language and channel id;
 * `sending` is written before a post and `sent`/`failed` after it.
 */
import type { Kysely } from 'kysely';
import type { DeliveryRecord, DeliveryStatus } from '../core/delivery.js';
import { redact } from '../core/redact.js';
import type { Database, DeliveriesTable } from './schema.js';
import type { StoreBackend } from './spec.js';

export async function delivery(
  db: Kysely<Database>,
  date: string,
  language: 'zh' | 'en',
  channel: string,
): Promise<DeliveryRecord | undefined> {
  const row = await db
    .selectFrom('deliveries')
    .selectAll()
    .where('date', '=', date)
    .where('language', '=', language)
    .where('channel', '=', channel)
    .executeTakeFirst();
  return row ? rowToDelivery(row) : undefined;
}

export async function recordDelivery(backend: StoreBackend, record: DeliveryRecord): Promise<void> {
  const values = {
    kind: record.kind,
    status: record.status,
    attempts: record.attempts,
    updated_at: record.updatedAt,
    message_id: record.messageId ?? null,
    detail: record.detail === undefined ? null : redact(record.detail),
  };
  try {
    await backend.db
      .insertInto('deliveries')
      .values({ date: record.date, language: record.language, channel: record.channel, ...values })
      .onConflict((oc) => oc.columns(['date', 'language', 'channel']).doUpdateSet(values))
      .execute();
  } catch (error) {
    throw backend.toStoreError(error);
  }
}

export async function deliveries(
  db: Kysely<Database>,
  date: string,
  language?: 'zh' | 'en',
): Promise<DeliveryRecord[]> {
  let query = db.selectFrom('deliveries').selectAll().where('date', '=', date);
  if (language !== undefined) query = query.where('language', '=', language);
  const rows = await query.orderBy('language').orderBy('channel').execute();
  return rows.map(rowToDelivery);
}

function rowToDelivery(row: DeliveriesTable): DeliveryRecord {
  return {
    date: row.date,
    language: row.language as DeliveryRecord['language'],
    channel: row.channel,
    kind: row.kind,
    status: row.status as DeliveryStatus,
    attempts: row.attempts,
    updatedAt: row.updated_at,
    ...(row.message_id === null ? {} : { messageId: row.message_id }),
    ...(row.detail === null ? {} : { detail: row.detail }),
  };
}
