import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, afterEach, beforeEach, describe, it } from 'node:test';
import type { DeliveryLedger, DeliveryRecord } from '../../core/delivery.js';
import type { Logger } from '../../core/log.js';
import { clearSecrets, registerSecrets } from '../../core/redact.js';
import type { Report } from '../../core/report.js';
import { createPolicedFetch } from '../../http/live-transport.js';
import { Store } from '../../store/store.js';
import {
  type Channel,
  type ChannelContext,
  type ChannelMessage,
  DeliveryError,
  type DeliveryReceipt,
} from './channel.js';
import { deliverReport } from './deliver.js';
import { postJson } from './post.js';

const dir = mkdtempSync(path.join(tmpdir(), 'ai-daily-deliver-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const message: ChannelMessage = {
  date: '2026-08-22',
  language: 'zh',
  // The orchestrator never reads the report: the fake channels below do not either.
  report: { title: 'AI 技术日报 2026-08-22' } as Report,
  markdown: '# AI 技术日报',
  html: '<html></html>',
};

const context: ChannelContext = {
  fetch: () => Promise.reject(new Error('no request may leave a delivery test')),
  checkHost: () => Promise.reject(new Error('no host is checked here')),
  sleep: () => Promise.resolve(),
};

/** A channel that records each post and answers with what `answer` says for that post. */
function fakeChannel(
  id: string,
  answer: (post: number) => Promise<DeliveryReceipt> | DeliveryReceipt = (n) => ({ detail: `post ${n}` }),
): Channel & { posts: number } {
  const channel = {
    kind: 'fake',
    id,
    posts: 0,
    async deliver(delivered: ChannelMessage) {
      assert.equal(delivered.report, message.report);
      channel.posts += 1;
      return answer(channel.posts);
    },
    async check() {
      return [];
    },
  };
  return channel;
}

/** Resolves once `done()` holds (a server's request handler runs on its own turn). */
async function waitFor(done: () => boolean): Promise<void> {
  while (!done()) await new Promise((resolve) => setTimeout(resolve, 10));
}

function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const push = (level: string) => (line: string) => lines.push(`${level} ${line}`);
  return { lines, debug: push('debug'), info: push('info'), warn: push('warn'), error: push('error') };
}

let store: Store;
let clock: number;
const now = () => new Date(Date.UTC(2026, 7, 22, 1, 0, clock++));
let counter = 0;
beforeEach(async () => {
  clock = 0;
  store = await Store.open(path.join(dir, `store-${counter++}.db`));
});
afterEach(async () => {
  await store.close();
  clearSecrets();
});

describe('deliverReport', () => {
  it('posts once: a second run finds the ledger row and posts nothing', async () => {
    const email = fakeChannel('email', () => ({ detail: '6 top stories', messageId: '<m1@example.com>' }));
    const log = recordingLogger();
    const first = await deliverReport([email], message, { ledger: store, context, log, now });
    assert.deepEqual(first, [
      { channel: 'email', kind: 'fake', status: 'sent', detail: '6 top stories', messageId: '<m1@example.com>' },
    ]);
    const second = await deliverReport([email], message, { ledger: store, context, log, now });
    assert.equal(email.posts, 1);
    assert.equal(second[0]?.status, 'already-sent');
    assert.equal(second[0]?.messageId, '<m1@example.com>');
    // redeliver is for an unknown state only: a sent report is not posted again.
    await deliverReport([email], message, { ledger: store, context, log, now, redeliver: true });
    assert.equal(email.posts, 1);
    assert.equal(log.lines.length, 3, log.lines.join('\n'));

    const row = await store.delivery('2026-08-22', 'zh', 'email');
    assert.equal(row?.status, 'sent');
    assert.equal(row?.attempts, 1);
    // Another language or date is another delivery.
    await deliverReport([email], { ...message, language: 'en' }, { ledger: store, context, log, now });
    await deliverReport([email], { ...message, date: '2026-08-23' }, { ledger: store, context, log, now });
    assert.equal(email.posts, 3);
  });

  it('records a failure and tries again on the next run, counting the attempts', async () => {
    const slack = fakeChannel('slack', (post) => {
      if (post === 1) throw new DeliveryError('HTTP 503 after 3 tries', { kind: 'server', status: 503 });
      return { detail: 'posted' };
    });
    const log = recordingLogger();
    const [failed] = await deliverReport([slack], message, { ledger: store, context, log, now });
    assert.deepEqual(failed, {
      channel: 'slack',
      kind: 'fake',
      status: 'failed',
      detail: 'server: HTTP 503 after 3 tries',
      errorKind: 'server',
    });
    const failedRow = await store.delivery('2026-08-22', 'zh', 'slack');
    assert.equal(failedRow?.status, 'failed');
    assert.equal(failedRow?.detail, 'server: HTTP 503 after 3 tries');

    const [sent] = await deliverReport([slack], message, { ledger: store, context, log, now });
    assert.equal(sent?.status, 'sent');
    assert.equal(slack.posts, 2);
    const sentRow = await store.delivery('2026-08-22', 'zh', 'slack');
    assert.equal(sentRow?.status, 'sent');
    assert.equal(sentRow?.attempts, 2);
    assert.ok(log.lines[0]?.startsWith('warn ') && log.lines[1]?.startsWith('info '), log.lines.join('\n'));
  });

  it('runs every channel when some throw, and answers in config order', async () => {
    let releaseSlow: () => void = () => {};
    const slowGate = new Promise<void>((resolve) => {
      releaseSlow = resolve;
    });
    const slow = fakeChannel('slow', async () => {
      await slowGate;
      return { detail: 'slow but sent' };
    });
    const broken = fakeChannel('broken', () => {
      throw new TypeError("Cannot read properties of undefined (reading 'x')");
    });
    const refused = fakeChannel('refused', () => {
      throw new DeliveryError('550 mailbox unavailable', { kind: 'rejected', status: 550 });
    });
    const fast = fakeChannel('fast', () => {
      // The slow channel is still waiting: channels do not wait for each other.
      releaseSlow();
      return { detail: 'fast' };
    });
    const log = recordingLogger();
    const outcomes = await deliverReport([slow, broken, refused, fast], message, { ledger: store, context, log, now });
    assert.deepEqual(
      outcomes.map((o) => [o.channel, o.status, o.errorKind]),
      [
        ['slow', 'sent', undefined],
        ['broken', 'failed', undefined],
        ['refused', 'failed', 'rejected'],
        ['fast', 'sent', undefined],
      ],
    );
    assert.match(outcomes[1]?.detail ?? '', /Cannot read properties/);
    assert.equal(log.lines.length, 4, log.lines.join('\n'));
    assert.deepEqual(
      (await store.deliveries('2026-08-22')).map((r) => [r.channel, r.status]),
      [
        ['broken', 'failed'],
        ['fast', 'sent'],
        ['refused', 'failed'],
        ['slow', 'sent'],
      ],
    );
  });

  it('never posts again after a crash between the post and its record, unless asked to redeliver', async () => {
    // A ledger that dies after the post (as a killed process would): the row stays `sending`.
    const crashing: DeliveryLedger = {
      delivery: (...args) => store.delivery(...args),
      async recordDelivery(record: DeliveryRecord) {
        if (record.status !== 'sending') throw new Error('SQLITE_IOERR: disk I/O error');
        await store.recordDelivery(record);
      },
    };
    const telegram = fakeChannel('telegram', (n) => ({ detail: `post ${n}`, messageId: String(100 + n) }));
    const log = recordingLogger();
    const [first] = await deliverReport([telegram], message, { ledger: crashing, context, log, now });
    assert.equal(first?.status, 'sent');
    assert.ok(log.lines.some((line) => /cannot record it/.test(line)));
    assert.equal((await store.delivery('2026-08-22', 'zh', 'telegram'))?.status, 'sending');

    const [second] = await deliverReport([telegram], message, { ledger: store, context, log, now });
    assert.equal(second?.status, 'unknown');
    assert.match(second?.detail ?? '', /not posted again/);
    assert.equal(telegram.posts, 1);

    const [third] = await deliverReport([telegram], message, { ledger: store, context, log, now, redeliver: true });
    assert.equal(third?.status, 'sent');
    assert.equal(telegram.posts, 2);
    const row = await store.delivery('2026-08-22', 'zh', 'telegram');
    assert.deepEqual([row?.status, row?.attempts, row?.messageId], ['sent', 2, '102']);
  });

  it('a webhook that receives the post and never answers leaves the delivery unknown: not posted again without redeliver', async () => {
    // A real loopback webhook that reads each post whole and never answers.
    const received: string[] = [];
    const server = createServer((request) => {
      let body = '';
      request.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      request.on('end', () => received.push(body));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const webhook: Channel = {
        kind: 'webhook',
        id: 'team-chat',
        deliver: async (_message, channelContext) => {
          const answer = await postJson({
            channel: 'team-chat',
            url: `http://${host}/hook`,
            body: { text: 'AI 技术日报' },
            context: channelContext,
            readAnswer: () => ({ ok: true }),
            timeoutMs: 300,
          });
          return { detail: `HTTP ${answer.status}` };
        },
        check: async () => [],
      };
      const live: ChannelContext = { ...context, fetch: createPolicedFetch({ allowHosts: [host] }) };
      const log = recordingLogger();
      const [first] = await deliverReport([webhook], message, { ledger: store, context: live, log, now });
      assert.equal(first?.status, 'unknown');
      assert.equal(first?.errorKind, 'unanswered');
      assert.match(first?.detail ?? '', /no answer within 300 ms after the request was sent; it may have been posted/);
      assert.ok(log.lines.some((line) => /unknown \(attempt 1\).*publish --redeliver/.test(line)));
      const row = await store.delivery('2026-08-22', 'zh', 'team-chat');
      assert.deepEqual([row?.status, row?.attempts], ['sending', 1]);
      assert.match(row?.detail ?? '', /no answer within 300 ms/);
      await waitFor(() => received.length === 1);

      // The next run (a re-run, or `publish` without --redeliver) does not post it again.
      const [second] = await deliverReport([webhook], message, { ledger: store, context: live, log, now });
      assert.equal(second?.status, 'unknown');
      assert.equal(second?.errorKind, undefined);
      assert.match(second?.detail ?? '', /a run posted on .* and got no answer \(unanswered: .*\); not posted again/);
      assert.equal(received.length, 1, 'posted once');

      // Asked to, it posts again.
      const [third] = await deliverReport([webhook], message, {
        ledger: store,
        context: live,
        log,
        now,
        redeliver: true,
      });
      assert.equal(third?.status, 'unknown');
      await waitFor(() => received.length === 2);
      assert.equal((await store.delivery('2026-08-22', 'zh', 'team-chat'))?.attempts, 2);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('a post that was never sent (connection refused) fails and is tried again by the next run', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const host = `127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const webhook: Channel = {
      kind: 'webhook',
      id: 'team-chat',
      deliver: async (_message, channelContext) => {
        await postJson({
          channel: 'team-chat',
          url: `http://${host}/hook`,
          body: {},
          context: channelContext,
          readAnswer: () => ({ ok: true }),
        });
        return { detail: 'sent' };
      },
      check: async () => [],
    };
    const live: ChannelContext = { ...context, fetch: createPolicedFetch({ allowHosts: [host] }) };
    const [first] = await deliverReport([webhook], message, {
      ledger: store,
      context: live,
      log: recordingLogger(),
      now,
    });
    assert.deepEqual([first?.status, first?.errorKind], ['failed', 'network']);
    assert.equal((await store.delivery('2026-08-22', 'zh', 'team-chat'))?.status, 'failed');
    const [second] = await deliverReport([webhook], message, {
      ledger: store,
      context: live,
      log: recordingLogger(),
      now,
    });
    assert.equal(second?.status, 'failed', 'tried again (and refused again)');
    assert.equal((await store.delivery('2026-08-22', 'zh', 'team-chat'))?.attempts, 2);
  });

  it('posts nothing when the ledger cannot be read or written', async () => {
    const channel = fakeChannel('email');
    const unreadable: DeliveryLedger = {
      delivery: () => Promise.reject(new Error('database is locked')),
      recordDelivery: (record) => store.recordDelivery(record),
    };
    const unwritable: DeliveryLedger = {
      delivery: (...args) => store.delivery(...args),
      recordDelivery: () => Promise.reject(new Error('database or disk is full')),
    };
    const log = recordingLogger();
    const [a] = await deliverReport([channel], message, { ledger: unreadable, context, log, now });
    const [b] = await deliverReport([channel], message, { ledger: unwritable, context, log, now });
    assert.deepEqual([a?.status, b?.status], ['failed', 'failed']);
    assert.match(a?.detail ?? '', /cannot read the delivery ledger \(database is locked\)/);
    assert.match(b?.detail ?? '', /cannot write the delivery ledger \(database or disk is full\)/);
    assert.equal(channel.posts, 0);
  });

  it('keeps secrets out of outcomes, the ledger and the log', async () => {
    registerSecrets(['hunter2-smtp-pass']);
    const leaky = fakeChannel('email', () => {
      throw new DeliveryError('535 auth failed for bot:hunter2-smtp-pass', { kind: 'rejected', status: 535 });
    });
    const log = recordingLogger();
    const [outcome] = await deliverReport([leaky], message, { ledger: store, context, log, now });
    assert.equal(outcome?.detail, 'rejected: 535 auth failed for bot:***');
    assert.equal((await store.delivery('2026-08-22', 'zh', 'email'))?.detail, 'rejected: 535 auth failed for bot:***');
    assert.ok(log.lines.length === 1 && !log.lines[0]?.includes('hunter2'), log.lines.join('\n'));
  });

  it('refuses two channels with one id before posting anything', async () => {
    const a = fakeChannel('team');
    const b = fakeChannel('team');
    await assert.rejects(
      deliverReport([a, b], message, { ledger: store, context, log: recordingLogger(), now }),
      /two delivery channels have the id "team"/,
    );
    assert.equal(a.posts + b.posts, 0);
  });
});
