/**
 * The email channel against a real SMTP server (smtp-server) on 127.0.0.1: login checked, the
 * received MIME parsed back (multipart/alternative, a text and an HTML part, a UTF-8 subject),
 * temporary replies retried, permanent ones and a wrong password refused at once, a host the
 * network policy refuses never connected to. Reports are the golden ones of recorded days.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { domainToASCII } from 'node:url';
import { repoRoot } from '../../../test/support/fixtures.js';
import { decodeWords, LocalSmtp, SMTP_PASSWORD as PASSWORD, parseMail } from '../../../test/support/smtp.js';
import { clearSecrets } from '../../core/redact.js';
import type { Report } from '../../core/report.js';
import { escapeHtml, renderHtml } from '../../render/html.js';
import { markdownUrl } from '../../render/markdown.js';
import { type ChannelContext, type ChannelMessage, DeliveryError } from './channel.js';
import {
  EMAIL_MAX_ATTEMPTS,
  emailChannel,
  emailConfigSchema,
  emailHtml,
  emailText,
  PAGE_IN_MAIL_MAX_BYTES,
  parseMailbox,
} from './email.js';

function goldenReport(name: string): Report {
  return JSON.parse(readFileSync(path.join(repoRoot, 'test', 'fixtures', 'golden', `${name}.json`), 'utf8')) as Report;
}

function messageOf(report: Report, pageUrl?: string): ChannelMessage {
  return {
    date: report.date,
    language: report.language,
    report,
    markdown: '',
    html: renderHtml(report),
    ...(pageUrl ? { pageUrl } : {}),
  };
}

// ── the tests ───────────────────────────────────────────────────────────────

const server = new LocalSmtp();
before(() => server.start({ auth: true }));
after(() => server.stop());
afterEach(() => {
  server.reset();
  clearSecrets();
});

function contextFor(port: number) {
  const checked: [string, number][] = [];
  const waits: number[] = [];
  const context: ChannelContext = {
    fetch: () => Promise.reject(new Error('the email channel makes no HTTP request')),
    async checkHost(host, hostPort) {
      checked.push([host, hostPort]);
      assert.equal(hostPort, port);
      return { address: '127.0.0.1' };
    },
    async sleep(ms) {
      waits.push(ms);
    },
  };
  return { context, checked, waits };
}

function channelFor(port: number, fields: Record<string, unknown> = {}) {
  const config = emailConfigSchema.parse({
    kind: 'email',
    id: 'team-mail',
    // A name nobody resolves: the channel connects to the address checkHost gave.
    host: 'smtp.mail.example',
    port,
    secure: false,
    requireTLS: false,
    user: 'bot',
    pass: PASSWORD,
    from: 'ai-daily <bot@example.com>',
    to: ['me@example.com'],
    ...fields,
  });
  return emailChannel.create(config, 'team-mail');
}

describe('email channel: configuration', () => {
  it('fills defaults: port 587 with STARTTLS required, port 465 with TLS', () => {
    const base = { host: 'smtp.example.com', from: 'bot@example.com', to: 'me@example.com' };
    const plain = emailConfigSchema.parse(base);
    assert.deepEqual([plain.port, plain.secure, plain.requireTLS, plain.timeoutSeconds], [587, false, true, 30]);
    assert.deepEqual(plain.to, [{ name: '', address: 'me@example.com' }]);
    assert.equal(emailConfigSchema.parse({ ...base, port: 465 }).secure, true);
    assert.equal(emailConfigSchema.parse({ ...base, port: 465, secure: false }).secure, false);
  });

  it('refuses what cannot be right, naming the field', () => {
    const base = { host: 'smtp.example.com', from: 'bot@example.com', to: ['me@example.com'] };
    const problems = (fields: Record<string, unknown>) => {
      const result = emailConfigSchema.safeParse({ ...base, ...fields });
      assert.equal(result.success, false, JSON.stringify(fields));
      return result.error?.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('\n') ?? '';
    };
    assert.match(problems({ user: 'bot' }), /^pass: user and pass go together/);
    assert.match(problems({ pass: 'x' }), /^user: user and pass go together/);
    assert.match(problems({ to: [] }), /^to: needs at least one address/);
    assert.match(problems({ to: ['me@example.com', 'not an address'] }), /^to\.1: "not an address" is not an address/);
    assert.match(problems({ from: 'bot@example.com\r\nBcc: victim@example.com' }), /^from: must not hold a line break/);
    assert.match(problems({ host: 'smtp://smtp.example.com:25' }), /^host: must be a host name/);
    assert.match(problems({ port: 70_000 }), /^port:/);
    assert.match(problems({ subject: 'Daily {when}' }), /^subject: unknown placeholder \{when\}/);
    assert.match(problems({ password: 'x' }), /password/);
  });

  it('reads the addresses people write', () => {
    assert.deepEqual(parseMailbox('ai-daily <bot@example.com>'), { name: 'ai-daily', address: 'bot@example.com' });
    assert.deepEqual(parseMailbox('"Daily, AI" <bot@example.com>'), { name: 'Daily, AI', address: 'bot@example.com' });
    assert.deepEqual(parseMailbox('机器人 <bot@例子.测试>'), { name: '机器人', address: 'bot@例子.测试' });
    for (const bad of ['bot@', '@example.com', 'bot@localhost', 'a@b.c, d@e.f', 'bot@exa mple.com', '<>']) {
      assert.equal(typeof parseMailbox(bad), 'string', bad);
    }
  });

  it('check: the network policy and TLS settings, without connecting', async () => {
    const ok = channelFor(server.port, { requireTLS: true });
    const { context, checked } = contextFor(server.port);
    assert.deepEqual(await ok.check(context), []);
    assert.deepEqual(checked, [['smtp.mail.example', server.port]]);

    const blocked = channelFor(2525, { port: 465, secure: false, requireTLS: false });
    const problems = await blocked.check({
      checkHost: () => Promise.reject(new Error('smtp.mail.example resolves to 10.0.0.5, a private address')),
    });
    assert.equal(problems.length, 3, problems.join('\n'));
    assert.match(problems.join('\n'), /port 465 expects TLS/);
    assert.match(problems.join('\n'), /unencrypted/);
    assert.match(problems.join('\n'), /host smtp\.mail\.example:465 is refused: .*private address/);
    assert.equal(server.connections, 0);
  });
});

describe('email channel: sending to a local SMTP server', () => {
  it('sends one multipart/alternative mail: a text digest and the report page, a UTF-8 subject', async () => {
    const report = goldenReport('2026-08-22.zh');
    const pageUrl = 'https://news.example.org/reports/2026/08/2026-08-22.html';
    const channel = channelFor(server.port, {
      to: 'me@example.com',
      cc: ['Team <team@example.com>'],
      bcc: ['archive@example.com'],
    });
    const { context, checked, waits } = contextFor(server.port);
    const receipt = await channel.deliver(messageOf(report, pageUrl), context);

    assert.deepEqual(checked, [['smtp.mail.example', server.port]]);
    assert.deepEqual(waits, []);
    assert.equal(server.received.length, 1);
    const mail = server.received[0]!;
    assert.equal(mail.user, 'bot');
    assert.equal(mail.from, 'bot@example.com');
    assert.deepEqual(mail.recipients.sort(), ['archive@example.com', 'me@example.com', 'team@example.com']);

    const parsed = parseMail(mail.raw);
    assert.match(parsed.type, /^multipart\/alternative/);
    assert.equal(decodeWords(parsed.headers.get('subject') ?? ''), report.title);
    assert.match(parsed.headers.get('subject') ?? '', /^=\?UTF-8\?/i, 'the Chinese subject is encoded');
    assert.equal(parsed.headers.get('bcc'), undefined, 'Bcc stays out of the headers');
    assert.match(parsed.headers.get('cc') ?? '', /team@example\.com/);
    assert.equal(parsed.headers.get('auto-submitted'), 'auto-generated');
    assert.equal(parsed.headers.get('message-id'), receipt.messageId);
    assert.match(receipt.messageId ?? '', /^<ai-daily\.2026-08-22\.zh\.[0-9a-f]{16}@example\.com>$/);

    // The text part: every top story's title and first link, and the page.
    const stories = report.sections.flatMap((section) => section.stories);
    for (const top of report.topStories) {
      assert.ok(parsed.text.includes(top.title), top.title);
      const story = stories.find((s) => s.id === top.storyId);
      assert.ok(story, top.storyId);
      assert.ok(parsed.text.includes(markdownUrl(story.links[0]!.url)!), story.links[0]!.url);
    }
    assert.ok(parsed.text.includes(`完整报告：${pageUrl}`), parsed.text);
    // The HTML part is the report page itself (it fits in a mail).
    assert.equal(parsed.html, renderHtml(report));
    assert.ok(report.topStories.length > 0);
    assert.match(
      receipt.detail,
      new RegExp(
        `^${report.topStories.length} top stories, [\\d,]+ chars, link to the page; to 3 recipient\\(s\\), HTML: the report page$`,
      ),
    );
    assert.ok(!mail.raw.includes(PASSWORD));
  });

  it('sends a digest as HTML when the page is too large for a mail, and the same links', async () => {
    const report = goldenReport('2026-04-28.en');
    // An LLM report with long analysis: the same sections many times over.
    const large = { ...report, sections: Array.from({ length: 12 }, () => report.sections).flat() };
    const message = messageOf(large, 'https://news.example.org/reports/2026/04/2026-04-28.en.html');
    assert.ok(Buffer.byteLength(message.html) > PAGE_IN_MAIL_MAX_BYTES);
    const { context } = contextFor(server.port);
    const receipt = await channelFor(server.port).deliver(message, context);
    assert.match(receipt.detail, /HTML: a digest/);
    const parsed = parseMail(server.received[0]!.raw);
    assert.equal(decodeWords(parsed.headers.get('subject') ?? ''), 'AI Daily Report 2026-04-28');
    assert.ok(Buffer.byteLength(parsed.html) < 16 * 1024, `${Buffer.byteLength(parsed.html)} bytes`);
    assert.equal(parsed.html, emailHtml(message).html);
    const hrefs = [...parsed.html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!.replace(/&#38;/g, '&'));
    const textUrls = [...parsed.text.matchAll(/https:\/\/\S+/g)].map((m) => m[0]);
    assert.equal(hrefs.length, report.topStories.length + 1);
    assert.deepEqual(hrefs, textUrls);
    assert.equal(hrefs.at(-1), 'https://news.example.org/reports/2026/04/2026-04-28.en.html');
    for (const top of report.topStories) assert.ok(parsed.html.includes(escapeHtml(top.title)), top.title);
  });

  it('keeps a hostile title to one subject line and out of the envelope', async () => {
    const report = goldenReport('2026-08-22.en');
    const hostile: Report = {
      ...report,
      title: 'Daily\r\nBcc: victim@evil.example\r\n\r\n<script>alert(1)</script>',
      topStories: report.topStories.map((top, i) =>
        i === 0 ? { ...top, title: '<img src=x onerror=alert(1)>\r\nX-Injected: yes' } : top,
      ),
    };
    const { context } = contextFor(server.port);
    await channelFor(server.port, { subject: '[AI] {title} — {date}' }).deliver(
      { ...messageOf(report), report: hostile, html: 'x'.repeat(PAGE_IN_MAIL_MAX_BYTES + 1) },
      context,
    );
    const mail = server.received[0]!;
    assert.deepEqual(mail.recipients, ['me@example.com']);
    const parsed = parseMail(mail.raw);
    assert.equal(
      decodeWords(parsed.headers.get('subject') ?? ''),
      '[AI] Daily Bcc: victim@evil.example <script>alert(1)</script> — 2026-08-22',
    );
    assert.equal(parsed.headers.get('x-injected'), undefined);
    assert.equal(parsed.headers.get('bcc'), undefined);
    assert.ok(!/<script|<img/i.test(parsed.html), parsed.html);
    assert.ok(parsed.text.includes('1. <img src=x onerror=alert(1)> X-Injected: yes'), parsed.text);
  });

  it('retries a temporary refusal (451) and then sends once', async () => {
    server.mailFromReplies.push({ code: 451, text: '4.3.0 Temporary local problem, try again later' });
    const { context, waits } = contextFor(server.port);
    const receipt = await channelFor(server.port).deliver(messageOf(goldenReport('2026-08-22.en')), context);
    assert.equal(server.received.length, 1);
    assert.equal(server.mailFromCommands, 2);
    assert.deepEqual(waits, [5_000]);
    assert.match(receipt.detail, /attempt 2$/);
  });

  it('gives up after the last attempt: server, or rate-limited when the reply says so', async () => {
    for (const [reply, kind] of [
      [{ code: 451, text: '4.3.0 Mail server temporarily rejected message' }, 'server'],
      [{ code: 450, text: '4.2.1 The user you are trying to contact is receiving mail too quickly' }, 'rate-limited'],
    ] as const) {
      server.mailFromCommands = 0;
      for (let i = 0; i < EMAIL_MAX_ATTEMPTS; i++) server.mailFromReplies.push(reply);
      const { context, waits } = contextFor(server.port);
      const error = await channelFor(server.port)
        .deliver(messageOf(goldenReport('2026-08-22.en')), context)
        .then(
          () => assert.fail('delivered'),
          (e: unknown) => e,
        );
      assert.ok(error instanceof DeliveryError);
      assert.equal(error.kind, kind);
      assert.equal(error.status, reply.code);
      assert.match(error.message, new RegExp(`after ${EMAIL_MAX_ATTEMPTS} attempts`));
      assert.equal(server.mailFromCommands, EMAIL_MAX_ATTEMPTS);
      assert.deepEqual(waits, [5_000, 15_000]);
      assert.equal(server.received.length, 0);
    }
  });

  it('fails at once on a permanent refusal (550)', async () => {
    server.mailFromReplies.push({ code: 550, text: '5.7.1 Sender address rejected: not owned by user bot' });
    const { context, waits } = contextFor(server.port);
    await assert.rejects(channelFor(server.port).deliver(messageOf(goldenReport('2026-08-22.en')), context), (e) => {
      assert.ok(e instanceof DeliveryError);
      assert.deepEqual([e.kind, e.status], ['rejected', 550]);
      assert.match(e.message, /^SMTP smtp\.mail\.example:\d+: .*5\.7\.1 Sender address rejected/);
      return true;
    });
    assert.deepEqual(waits, []);
    assert.equal(server.mailFromCommands, 1);
  });

  it('refuses a wrong password without saying it', async () => {
    const wrong = 'wr0ng-passw0rd-123';
    const { context, waits } = contextFor(server.port);
    await assert.rejects(
      channelFor(server.port, { pass: wrong }).deliver(messageOf(goldenReport('2026-08-22.en')), context),
      (e) => {
        assert.ok(e instanceof DeliveryError);
        assert.deepEqual([e.kind, e.status], ['rejected', 535]);
        assert.ok(!e.message.includes(wrong) && !e.message.includes(Buffer.from(wrong).toString('base64')));
        assert.ok(!JSON.stringify(e).includes(wrong));
        return true;
      },
    );
    assert.deepEqual(waits, []);
    assert.equal(server.received.length, 0);
  });

  it('requires STARTTLS unless told otherwise: a plain server gets nothing', async () => {
    const { context } = contextFor(server.port);
    await assert.rejects(
      channelFor(server.port, { requireTLS: true }).deliver(messageOf(goldenReport('2026-08-22.en')), context),
      (e) => e instanceof DeliveryError && /STARTTLS/.test(e.message),
    );
    assert.equal(server.mailFromCommands, 0);
    assert.equal(server.received.length, 0);
  });

  it('checks the certificate against the configured host name, over TLS and STARTTLS', async () => {
    for (const tls of ['implicit', 'starttls'] as const) {
      const secured = new LocalSmtp();
      await secured.start({ auth: true, tls });
      try {
        const { context } = contextFor(secured.port);
        const channel = channelFor(secured.port, { secure: tls === 'implicit', requireTLS: true });
        await assert.rejects(channel.deliver(messageOf(goldenReport('2026-08-22.en')), context), (e) => {
          assert.ok(e instanceof DeliveryError, String(e));
          assert.equal(e.kind, 'network');
          // The test certificate is self-signed: verification is on, so it is refused.
          assert.match(e.message, /self[- ]signed certificate/i);
          return true;
        });
        // Connected to 127.0.0.1, the handshake still named the configured host.
        assert.deepEqual(secured.serverNames, ['smtp.mail.example'], tls);
        assert.equal(secured.mailFromCommands, 0, 'nothing was sent before TLS');
      } finally {
        await secured.stop();
      }
    }
  });

  it('a host the network policy refuses: network, and no connection is made', async () => {
    const channel = channelFor(server.port);
    const context: ChannelContext = {
      ...contextFor(server.port).context,
      checkHost: () => Promise.reject(new Error('smtp.mail.example resolves to 169.254.169.254, a link-local address')),
    };
    await assert.rejects(channel.deliver(messageOf(goldenReport('2026-08-22.en')), context), (e) => {
      assert.ok(e instanceof DeliveryError);
      assert.equal(e.kind, 'network');
      assert.match(e.message, /network policy refuses it: .*link-local/);
      return true;
    });
    assert.equal(server.connections, 0);
  });

  it('a server that takes the message and never answers: unanswered (it may have been sent), not retried', async () => {
    server.silentAfterData = true;
    const { context, waits } = contextFor(server.port);
    await assert.rejects(
      channelFor(server.port, { timeoutSeconds: 0.5 }).deliver(messageOf(goldenReport('2026-08-22.en')), context),
      (e) => e instanceof DeliveryError && e.kind === 'unanswered' && /Timeout/i.test(e.message),
    );
    assert.equal(server.received.length, 1, 'the message reached the server once');
    assert.deepEqual(waits, []);
  });

  it('a server that is not there: network', async () => {
    const gone = new LocalSmtp();
    await gone.start({ auth: false });
    const port = gone.port;
    await gone.stop();
    const { context } = contextFor(port);
    await assert.rejects(
      channelFor(port, { user: undefined, pass: undefined }).deliver(messageOf(goldenReport('2026-08-22.en')), context),
      (e) => e instanceof DeliveryError && e.kind === 'network' && /ECONNREFUSED|connect/i.test(e.message),
    );
  });

  it('writes an internationalised sender domain in ASCII where the protocol needs it', async () => {
    const { context } = contextFor(server.port);
    const receipt = await channelFor(server.port, { from: '日报机器人 <bot@例子.测试>' }).deliver(
      messageOf(goldenReport('2026-08-22.zh')),
      context,
    );
    const ascii = domainToASCII('例子.测试');
    assert.match(ascii, /^xn--/);
    assert.ok(receipt.messageId?.endsWith(`@${ascii}>`), receipt.messageId);
    const parsed = parseMail(server.received[0]!.raw);
    assert.match(decodeWords(parsed.headers.get('from') ?? ''), /日报机器人/);
  });

  it('needs no login when none is configured', async () => {
    const open = new LocalSmtp();
    await open.start({ auth: false });
    try {
      const { context } = contextFor(open.port);
      const message = messageOf(goldenReport('2026-08-22.en'));
      await channelFor(open.port, { user: undefined, pass: undefined }).deliver(message, context);
      assert.equal(open.received.length, 1);
      assert.equal(parseMail(open.received[0]!.raw).text, emailText(message));
    } finally {
      await open.stop();
    }
  });
});
