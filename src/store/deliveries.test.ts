import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import type { DeliveryRecord } from '../core/delivery.js';
import { clearSecrets, registerSecrets } from '../core/redact.js';
import { Store } from './store.js';

const dir = mkdtempSync(path.join(tmpdir(), 'ai-daily-deliveries-'));
after(() => {
  clearSecrets();
  rmSync(dir, { recursive: true, force: true });
});

const record = (fields: Partial<DeliveryRecord>): DeliveryRecord => ({
  date: '2026-08-22',
  language: 'zh',
  channel: 'email',
  kind: 'email',
  status: 'sending',
  attempts: 1,
  updatedAt: '2026-08-22T02:00:00.000Z',
  ...fields,
});

describe('the delivery ledger', () => {
  it('keeps one row per date, language and channel, replaced by each write, and survives reopening', async () => {
    const file = path.join(dir, 'ledger.db');
    const store = await Store.open(file);
    try {
      assert.equal(await store.delivery('2026-08-22', 'zh', 'email'), undefined);
      await store.recordDelivery(record({}));
      await store.recordDelivery(record({ channel: 'slack', kind: 'slack', status: 'failed', detail: 'HTTP 500' }));
      await store.recordDelivery(record({ language: 'en' }));
      await store.recordDelivery(record({ date: '2026-08-23' }));
      await store.recordDelivery(
        record({ status: 'sent', messageId: '<m1@example.com>', detail: '6 top stories', updatedAt: 'T2' }),
      );
      assert.deepEqual(await store.delivery('2026-08-22', 'zh', 'email'), {
        ...record({}),
        status: 'sent',
        messageId: '<m1@example.com>',
        detail: '6 top stories',
        updatedAt: 'T2',
      });
    } finally {
      await store.close();
    }
    const reopened = await Store.open(file);
    try {
      const rows = await reopened.deliveries('2026-08-22');
      assert.deepEqual(
        rows.map((r) => [r.language, r.channel, r.status]),
        [
          ['en', 'email', 'sending'],
          ['zh', 'email', 'sent'],
          ['zh', 'slack', 'failed'],
        ],
      );
      assert.deepEqual(
        (await reopened.deliveries('2026-08-22', 'zh')).map((r) => r.channel),
        ['email', 'slack'],
      );
      // A row without a message id or detail reads back without those keys (not null).
      const sending = await reopened.delivery('2026-08-22', 'en', 'email');
      assert.ok(sending && !('messageId' in sending) && !('detail' in sending));
      assert.deepEqual(await reopened.deliveries('2026-08-24'), []);
    } finally {
      await reopened.close();
    }
  });

  it('never stores a secret in the detail', async () => {
    registerSecrets(['s3cret-smtp-password']);
    const store = await Store.open(path.join(dir, 'redact.db'));
    try {
      await store.recordDelivery(
        record({ status: 'failed', detail: 'login as bot with s3cret-smtp-password refused (535)' }),
      );
      const row = await store.delivery('2026-08-22', 'zh', 'email');
      assert.equal(row?.detail, 'login as bot with *** refused (535)');
    } finally {
      await store.close();
    }
  });
});
