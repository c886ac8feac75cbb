/**
 * The one suite every delivery channel passes, against a local counterpart that checks what the
 * real platform checks (payload shape, size limit, signature) and answers as it does. The suite is
 * a table: a channel kind joins it with one `ChannelCase` (the HTTP ones are built by
 * `httpCounterpart`; email's is a real SMTP server on loopback, `smtpCounterpart`). What is policy
 * rather than contract (how many attempts, the waits, how a wrong secret shows) is a field of the case.
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseHTML } from 'linkedom';
import MarkdownIt from 'markdown-it';
import { repoRoot } from '../../../test/support/fixtures.js';
import {
  LocalSmtp,
  type ReceivedMail,
  readMail,
  SMTP_PASSWORD,
  SMTP_USER,
  type SmtpReply,
} from '../../../test/support/smtp.js';
import type { Report } from '../../core/report.js';
import { createPolicedFetch } from '../../http/live-transport.js';
import { createNetworkPolicy, nonPublicRange } from '../../http/network-policy.js';
import type { Channel, ChannelContext, ChannelMessage } from './channel.js';
import { DeliveryError } from './channel.js';
import { EMAIL_TEXT_MAX_CHARS } from './email.js';
import { createChannels, validateChannels } from './registry.js';

// ---------------------------------------------------------------------------------------------
// What the suite needs from a counterpart

/** A message as its reader sees it. */
export interface DeliveredMessage {
  /** The visible text (markup rendered away, escapes undone). */
  text: string;
  /** Every link a reader can follow. */
  links: string[];
  /** The size the platform limits, in `ChannelCase.limit.unit`. */
  size: number;
}

/** How the counterpart answers one attempt. */
export type Answer = 'ok' | 'rate-limited' | 'server-error' | 'refused';

export interface Counterpart {
  /** The channel's config entry (`kind` included), pointing at this counterpart. */
  entry: Record<string, unknown>;
  /** `host:port` for the network policy's allowHosts. */
  allowHost: string;
  /** Requests (connections) that reached it, accepted or not. */
  attempts: number;
  /** Messages it accepted. */
  delivered: DeliveredMessage[];
  /** Problems it found in requests (shape, size, signature): each answered as the platform refuses. */
  problems: string[];
  /** Answers for the next attempts, in order; after them every attempt gets `then`. */
  script(answers: Answer[], then?: Answer): void;
  reset(): void;
  close(): Promise<void>;
}

export interface ChannelCase {
  kind: string;
  limit: { max: number; unit: 'chars' | 'bytes' };
  /** The channel's retry policy on temporary failures: attempts in all, and the waits between them. */
  retry: { attempts: number; waits: number[] };
  start(): Promise<Counterpart>;
  /** Entries that `check()` must flag, with the problem expected, given the working entry. */
  misconfigured(entry: Record<string, unknown>): { entry: Record<string, unknown>; problem: RegExp }[];
  /**
   * The entry with a wrong secret (a signing secret, a password): the counterpart must refuse it
   * with a problem matching `problem`, and the error must not hold the wrong secret.
   */
  wrongSecret?: { entry(entry: Record<string, unknown>): Record<string, unknown>; problem: RegExp };
  /** The field naming where the channel connects, and a value of it on a blocked (private) address. */
  endpoint: { field: string; blocked: string };
  /** What the receipt says after the digest's "N top stories, size, link to the page" (a RegExp source). */
  detailSuffix?: string;
}

// ---------------------------------------------------------------------------------------------
// HTTP counterparts

interface RecordedRequest {
  method: string;
  url: URL;
  headers: IncomingMessage['headers'];
  body: string;
}

interface Reply {
  status: number;
  body?: string;
  headers?: Record<string, string>;
}

interface HttpPlatform {
  /** The entry for a server at `origin` (e.g. "http://127.0.0.1:4000"). */
  entry(origin: string): Record<string, unknown>;
  /** Checks the request as the platform does: a problem string, or the message as shown. */
  read(request: RecordedRequest, entry: Record<string, unknown>): string | DeliveredMessage;
  ok(request: RecordedRequest): Reply;
  rateLimited: Reply;
  serverError: Reply;
  refused: Reply;
  /** How the platform refuses a malformed or badly signed request. */
  invalid(problem: string): Reply;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function send(response: ServerResponse, reply: Reply): void {
  response.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
  response.end(reply.body ?? '');
}

async function httpCounterpart(platform: HttpPlatform): Promise<Counterpart> {
  let queue: Answer[] = [];
  let then: Answer = 'ok';
  let entry: Record<string, unknown> = {};
  const counterpart: Counterpart = {
    entry,
    allowHost: '',
    attempts: 0,
    delivered: [],
    problems: [],
    script(answers, next = 'ok') {
      queue = [...answers];
      then = next;
    },
    reset() {
      counterpart.attempts = 0;
      counterpart.delivered = [];
      counterpart.problems = [];
      queue = [];
      then = 'ok';
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server: Server = createServer(async (request, response) => {
    counterpart.attempts++;
    const body = await readBody(request);
    const recorded: RecordedRequest = {
      method: request.method ?? '',
      url: new URL(request.url ?? '/', 'http://127.0.0.1'),
      headers: request.headers,
      body,
    };
    const answer = queue.shift() ?? then;
    if (answer === 'rate-limited') return send(response, platform.rateLimited);
    if (answer === 'server-error') return send(response, platform.serverError);
    if (answer === 'refused') return send(response, platform.refused);
    const read = platform.read(recorded, entry);
    if (typeof read === 'string') {
      counterpart.problems.push(read);
      return send(response, platform.invalid(read));
    }
    counterpart.delivered.push(read);
    send(response, platform.ok(recorded));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  entry = platform.entry(`http://127.0.0.1:${port}`);
  counterpart.entry = entry;
  counterpart.allowHost = `127.0.0.1:${port}`;
  return counterpart;
}

// ---------------------------------------------------------------------------------------------
// Reading messages as their readers see them

const markdown = new MarkdownIt({ html: false, linkify: false });

function htmlToMessage(html: string, size: number, allowedTags?: Set<string>): DeliveredMessage | string {
  const { document } = parseHTML(`<!doctype html><html><body>${html}</body></html>`);
  if (allowedTags) {
    for (const element of document.body.querySelectorAll('*')) {
      if (!allowedTags.has(element.tagName.toLowerCase())) return `tag <${element.tagName.toLowerCase()}> not allowed`;
    }
  }
  const links = [...document.body.querySelectorAll('a')].map((a) => a.getAttribute('href') ?? '');
  return { text: document.body.textContent ?? '', links, size };
}

/** CommonMark as Discord, DingTalk and WeCom read it (backslash escapes, `[text](url)` links). */
function readMarkdown(text: string, size: number): DeliveredMessage | string {
  return htmlToMessage(markdown.render(text), size);
}

/** Slack mrkdwn: `<url|label>` links; `&amp;` `&lt;` `&gt;`; a zero-width space is invisible. */
function readSlack(text: string, size: number): DeliveredMessage | string {
  const links: string[] = [];
  const visible = text.replace(/<([^<>|]*)(?:\|([^<>]*))?>/g, (_match, target: string, label?: string) => {
    if (/^[@#!]/.test(target)) links.push(`mention:${target}`);
    else links.push(target.replace(/&amp;/g, '&'));
    return label ?? target;
  });
  const decoded = visible
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\u200b/g, '')
    .replace(/(^|\s)\*([^*\n]+)\*(?=\s|$)/g, '$1$2');
  return { text: decoded, links, size };
}

function json(body: string): Record<string, unknown> | undefined {
  try {
    const parsed = JSON.parse(body) as unknown;
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function isString(value: unknown): value is string {
  return typeof value === 'string';
}

// ---------------------------------------------------------------------------------------------
// The platforms, as their servers check requests

const FEISHU_SECRET = 'feishu-test-secret-0123456789';
const DINGTALK_SECRET = 'SECdingtalk0123456789abcdef0123456789';
const TELEGRAM_TOKEN = '123456789:AAFakeTokenForTests_0123456789abcdef';

function feishuPlatform(): HttpPlatform {
  return {
    entry: (origin) => ({
      kind: 'feishu',
      url: `${origin}/open-apis/bot/v2/hook/0f7c3b52-hook-id-for-tests`,
      secret: FEISHU_SECRET,
    }),
    read(request) {
      if (request.method !== 'POST' || !request.url.pathname.startsWith('/open-apis/bot/v2/hook/')) return 'wrong path';
      const size = Buffer.byteLength(request.body);
      if (size > 20_000) return `body of ${size} bytes over 20 KB`;
      const body = json(request.body);
      if (!body) return 'not JSON';
      const timestamp = Number(body.timestamp);
      if (!isString(body.timestamp) || !isString(body.sign)) return 'unsigned';
      if (Math.abs(Date.now() / 1000 - timestamp) > 3600) return 'timestamp more than an hour off';
      const expected = createHmac('sha256', `${body.timestamp}\n${FEISHU_SECRET}`).update('').digest('base64');
      if (body.sign !== expected) return 'sign match fail';
      if (body.msg_type !== 'post') return `msg_type ${String(body.msg_type)}`;
      const post = (body.content as { post?: Record<string, unknown> } | undefined)?.post;
      const languages = Object.keys(post ?? {});
      if (languages.length !== 1 || !['zh_cn', 'en_us'].includes(languages[0] ?? '')) return 'post without a language';
      const localized = post?.[languages[0] ?? ''] as { title?: unknown; content?: unknown };
      if (!isString(localized.title) || !Array.isArray(localized.content)) return 'post without title or content';
      const texts: string[] = [localized.title];
      const links: string[] = [];
      for (const paragraph of localized.content as unknown[]) {
        if (!Array.isArray(paragraph)) return 'a paragraph that is not an array';
        for (const element of paragraph as { tag?: unknown; text?: unknown; href?: unknown }[]) {
          if (element.tag === 'text' && isString(element.text)) texts.push(element.text);
          else if (element.tag === 'a' && isString(element.text) && isString(element.href)) {
            texts.push(element.text);
            links.push(element.href);
          } else return `element ${JSON.stringify(element).slice(0, 60)}`;
        }
        texts.push('\n');
      }
      return { text: texts.join(''), links, size };
    },
    ok: () => ({ status: 200, body: JSON.stringify({ code: 0, data: {}, msg: 'success' }) }),
    rateLimited: {
      status: 429,
      body: JSON.stringify({ code: 11232, msg: 'frequency limited' }),
      headers: { 'retry-after': '2' },
    },
    serverError: { status: 500, body: 'internal error' },
    refused: {
      status: 200,
      body: JSON.stringify({ code: 19001, msg: 'param invalid: incoming webhook access token invalid' }),
    },
    invalid: (problem) => ({
      status: 200,
      body: JSON.stringify({ code: problem.includes('sign') ? 19021 : 9499, msg: problem }),
    }),
  };
}

function dingtalkPlatform(): HttpPlatform {
  return {
    entry: (origin) => ({
      kind: 'dingtalk',
      url: `${origin}/robot/send?access_token=dingtalk0access0token0for0tests`,
      secret: DINGTALK_SECRET,
    }),
    read(request) {
      if (request.url.pathname !== '/robot/send' || !request.url.searchParams.get('access_token')) return 'wrong path';
      const timestamp = request.url.searchParams.get('timestamp');
      const sign = request.url.searchParams.get('sign');
      if (!timestamp || !sign) return 'unsigned';
      if (Math.abs(Date.now() - Number(timestamp)) > 3_600_000) return 'timestamp more than an hour off';
      const expected = createHmac('sha256', DINGTALK_SECRET)
        .update(`${timestamp}\n${DINGTALK_SECRET}`)
        .digest('base64');
      // searchParams has decoded the URL-encoded sign once, as DingTalk does.
      if (sign !== expected) return 'sign not match';
      const size = Buffer.byteLength(request.body);
      if (size > 20_000) return `message too long: ${size} bytes`;
      const body = json(request.body);
      const md = body?.markdown as { title?: unknown; text?: unknown } | undefined;
      if (body?.msgtype !== 'markdown' || !isString(md?.title) || !isString(md?.text)) return 'not a markdown message';
      return readMarkdown(md.text, size);
    },
    ok: () => ({ status: 200, body: JSON.stringify({ errcode: 0, errmsg: 'ok' }) }),
    rateLimited: { status: 429, body: '', headers: { 'retry-after': '1' } },
    serverError: { status: 502, body: '<html>bad gateway</html>' },
    refused: { status: 200, body: JSON.stringify({ errcode: 300001, errmsg: 'token is not exist' }) },
    invalid: (problem) => ({ status: 200, body: JSON.stringify({ errcode: 310000, errmsg: problem }) }),
  };
}

function wecomPlatform(): HttpPlatform {
  return {
    entry: (origin) => ({
      kind: 'wecom',
      url: `${origin}/cgi-bin/webhook/send?key=wecom-key-0000-1111-2222-333344445555`,
    }),
    read(request) {
      if (request.url.pathname !== '/cgi-bin/webhook/send' || !request.url.searchParams.get('key'))
        return 'invalid webhook url';
      const body = json(request.body);
      const content = (body?.markdown as { content?: unknown } | undefined)?.content;
      if (body?.msgtype !== 'markdown' || !isString(content)) return 'not a markdown message';
      const size = Buffer.byteLength(content);
      if (size > 4096) return 'markdown.content exceed max length 4096';
      return readMarkdown(content, size);
    },
    ok: () => ({ status: 200, body: JSON.stringify({ errcode: 0, errmsg: 'ok' }) }),
    rateLimited: { status: 429, body: '' },
    serverError: { status: 503, body: '' },
    refused: { status: 200, body: JSON.stringify({ errcode: 93000, errmsg: 'invalid webhook url' }) },
    invalid: (problem) => ({ status: 200, body: JSON.stringify({ errcode: 40058, errmsg: problem }) }),
  };
}

function slackPlatform(): HttpPlatform {
  return {
    entry: (origin) => ({ kind: 'slack', url: `${origin}/services/T000TEST/B000TEST/slackTestToken0123456789` }),
    read(request) {
      if (!request.url.pathname.startsWith('/services/')) return 'no_service';
      const body = json(request.body);
      if (!isString(body?.text) || body.text === '') return 'no_text';
      const blocks = body.blocks as { type?: unknown; text?: { type?: unknown; text?: unknown } }[] | undefined;
      if (!Array.isArray(blocks) || blocks.length !== 1) return 'invalid_blocks';
      const section = blocks[0];
      if (section?.type !== 'section' || section.text?.type !== 'mrkdwn' || !isString(section.text.text))
        return 'invalid_blocks';
      const size = section.text.text.length;
      if (size > 3000) return 'invalid_blocks: section text over 3000 characters';
      const fallback = readSlack(body.text, body.text.length);
      const shown = readSlack(section.text.text, size);
      if (typeof fallback === 'string' || typeof shown === 'string') return 'invalid_payload';
      return { ...shown, links: [...shown.links, ...fallback.links] };
    },
    ok: () => ({ status: 200, body: 'ok', headers: { 'content-type': 'text/html' } }),
    rateLimited: { status: 429, body: 'rate_limited', headers: { 'retry-after': '1' } },
    serverError: { status: 500, body: 'internal_error' },
    refused: { status: 404, body: 'no_service' },
    invalid: (problem) => ({ status: 400, body: problem }),
  };
}

function discordPlatform(): HttpPlatform {
  return {
    entry: (origin) => ({
      kind: 'discord',
      url: `${origin}/api/webhooks/123456789012345678/discordTestToken0123456789`,
    }),
    read(request) {
      if (!request.url.pathname.startsWith('/api/webhooks/')) return 'Unknown Webhook';
      if (request.url.searchParams.get('wait') !== 'true') return 'posted without wait=true';
      const body = json(request.body);
      if (!isString(body?.content)) return 'Cannot send an empty message';
      const mentions = body.allowed_mentions as { parse?: unknown } | undefined;
      if (!Array.isArray(mentions?.parse) || mentions.parse.length !== 0) return 'mentions not disabled';
      const size = body.content.length;
      if (size > 2000) return 'content: Must be 2000 or fewer in length.';
      return readMarkdown(body.content, size);
    },
    ok: () => ({ status: 200, body: JSON.stringify({ id: '1180000000000000001', type: 0, content: '…' }) }),
    rateLimited: {
      status: 429,
      body: JSON.stringify({ message: 'You are being rate limited.', retry_after: 0.5, global: false }),
      headers: { 'retry-after': '1' },
    },
    serverError: { status: 500, body: JSON.stringify({ message: '500: Internal Server Error', code: 0 }) },
    refused: { status: 404, body: JSON.stringify({ message: 'Unknown Webhook', code: 10015 }) },
    invalid: (problem) => ({ status: 400, body: JSON.stringify({ message: problem, code: 50035 }) }),
  };
}

function telegramPlatform(): HttpPlatform {
  return {
    entry: (origin) => ({ kind: 'telegram', token: TELEGRAM_TOKEN, chatId: '-100123', apiBase: origin }),
    read(request) {
      if (request.url.pathname !== `/bot${TELEGRAM_TOKEN}/sendMessage`) return 'Not Found';
      const body = json(request.body);
      if (body?.chat_id !== '-100123') return 'Bad Request: chat not found';
      if (body.parse_mode !== 'HTML' || !isString(body.text)) return 'Bad Request: expected HTML text';
      if (body.disable_web_page_preview !== true) return 'link previews on';
      const size = body.text.length;
      if (size > 4096) return 'Bad Request: message is too long';
      return htmlToMessage(body.text, size, new Set(['b', 'a']));
    },
    ok: () => ({
      status: 200,
      body: JSON.stringify({ ok: true, result: { message_id: 4242, chat: { id: -100123 } } }),
    }),
    rateLimited: {
      status: 429,
      body: JSON.stringify({
        ok: false,
        error_code: 429,
        description: 'Too Many Requests: retry after 3',
        parameters: { retry_after: 3 },
      }),
    },
    serverError: { status: 502, body: '' },
    refused: {
      status: 403,
      body: JSON.stringify({ ok: false, error_code: 403, description: 'Forbidden: bot was kicked' }),
    },
    invalid: (problem) => ({ status: 400, body: JSON.stringify({ ok: false, error_code: 400, description: problem }) }),
  };
}

// ---------------------------------------------------------------------------------------------
// The SMTP counterpart: a real SMTP server (smtp-server) on loopback

/** How a mail server answers MAIL FROM for each scripted answer (`ok`: accepted). */
const SMTP_REPLIES: Record<Exclude<Answer, 'ok'>, SmtpReply> = {
  'rate-limited': { code: 450, text: '4.2.1 The user you are trying to contact is receiving mail too quickly' },
  'server-error': { code: 451, text: '4.3.0 Temporary local problem, try again later' },
  refused: { code: 550, text: '5.7.1 Relaying denied' },
};

/** The top-level headers a report mail may carry (each once); anything else was injected. */
const MAIL_HEADERS = new Set([
  'content-type',
  'from',
  'to',
  'cc',
  'subject',
  'message-id',
  'date',
  'mime-version',
  'auto-submitted',
]);

/** A URL the text part gives as a link: alone on its line, or after a label ending in a colon. */
const TEXT_LINK = /^\s*(?:[^\s].*?[:：]\s*)?(https?:\/\/\S+)\s*$/;

/**
 * A mail as its reader sees it: the text part's words; its links, the HTML part's hrefs and the
 * text part's link lines (the HTML part, which clients show, must have no link the text lacks);
 * its size, the text part's characters (the limit the channel fits, EMAIL_TEXT_MAX_CHARS). A
 * problem string for anything a careful server or reader would refuse: malformed MIME, a missing
 * part, a header or recipient the channel did not configure, active HTML.
 */
function readDeliveredMail(mail: ReceivedMail, entry: Record<string, unknown>): DeliveredMessage | string {
  if (mail.user !== SMTP_USER) return 'sent without logging in';
  const expected = [...(entry.to as string[])].sort();
  if (JSON.stringify([...mail.recipients].sort()) !== JSON.stringify(expected))
    return `recipients ${mail.recipients.join(', ')}, not ${expected.join(', ')}`;
  const parsed = readMail(mail.raw);
  if (typeof parsed === 'string') return parsed;
  if (!/^multipart\/alternative;/.test(parsed.type)) return `content-type ${parsed.type}`;
  const seen = new Set<string>();
  for (const name of parsed.names) {
    if (!MAIL_HEADERS.has(name)) return `header ${name} was not configured`;
    if (seen.has(name)) return `header ${name} twice`;
    seen.add(name);
  }
  const subject = parsed.headers.get('subject') ?? '';
  if (subject === '' || /[\r\n]/.test(subject)) return 'no subject of one line';
  const size = parsed.text.length;
  if (size > EMAIL_TEXT_MAX_CHARS) return `text part of ${size} chars over ${EMAIL_TEXT_MAX_CHARS}`;
  const textLinks = parsed.text
    .split('\n')
    .map((line) => TEXT_LINK.exec(line)?.[1])
    .filter((link): link is string => link !== undefined);
  const { document } = parseHTML(parsed.html);
  if (!document.querySelector('body')) return 'an HTML part without a body';
  const active = document.querySelector('script, iframe, object, embed, form, img, link, style');
  if (active) return `HTML element <${active.tagName.toLowerCase()}>`;
  for (const element of document.querySelectorAll('*')) {
    for (const attribute of element.attributes) {
      if (/^on/i.test(attribute.name)) return `HTML attribute ${attribute.name}`;
    }
  }
  const htmlLinks = [...document.querySelectorAll('a')].map((a) => a.getAttribute('href') ?? '');
  const own = htmlLinks.find((link) => !textLinks.includes(link));
  if (own !== undefined) return `the HTML part links ${own}, the text part does not`;
  return { text: parsed.text, links: [...new Set([...textLinks, ...htmlLinks])], size };
}

async function smtpCounterpart(): Promise<Counterpart> {
  const server = new LocalSmtp();
  await server.start({ auth: true });
  const entry: Record<string, unknown> = {
    kind: 'email',
    host: '127.0.0.1',
    port: server.port,
    // A plain server with no STARTTLS, on loopback (a local relay).
    secure: false,
    requireTLS: false,
    user: SMTP_USER,
    pass: SMTP_PASSWORD,
    from: 'ai-daily <bot@example.com>',
    to: ['reader@example.com'],
  };
  let delivered: DeliveredMessage[] = [];
  let mimeProblems: string[] = [];
  server.inspect = (mail) => {
    const read = readDeliveredMail(mail, entry);
    if (typeof read === 'string') {
      mimeProblems.push(read);
      return read;
    }
    delivered.push(read);
    return undefined;
  };
  const counterpart: Counterpart = {
    entry,
    allowHost: `127.0.0.1:${server.port}`,
    get attempts() {
      return server.connections;
    },
    get delivered() {
      return delivered;
    },
    get problems() {
      return [...mimeProblems, ...server.refusedLogins.map((user) => `wrong login for "${user}"`)];
    },
    script(answers, then = 'ok') {
      server.mailFromReplies.length = 0;
      server.mailFromReplies.push(...answers.map((answer) => (answer === 'ok' ? undefined : SMTP_REPLIES[answer])));
      server.mailFromDefault = then === 'ok' ? undefined : SMTP_REPLIES[then];
    },
    reset() {
      server.reset();
      delivered = [];
      mimeProblems = [];
    },
    close: () => server.stop(),
  };
  return counterpart;
}

// ---------------------------------------------------------------------------------------------
// The table

const BLOCKED = 'http://intranet.test/hook';

function webhookMisconfigurations(entry: Record<string, unknown>, secretKind: boolean) {
  const out: { entry: Record<string, unknown>; problem: RegExp }[] = [
    { entry: { ...entry, url: BLOCKED }, problem: /url: intranet\.test(:80)? cannot be reached: .*10\.1\.2\.3/ },
  ];
  if (secretKind) {
    const { secret: _secret, ...unsigned } = entry;
    out.push({ entry: unsigned, problem: /secret: not set/ });
  }
  return out;
}

/** The HTTP channels' retries (post.ts): 4 attempts, waiting 1, 2 and 4 s unless the platform asks for another wait. */
const HTTP_RETRY = { attempts: 4, waits: [1000, 2000, 4000] };
/** An endpoint on a private address that no allowHosts entry lets through. */
const BLOCKED_URL = 'http://10.1.2.3:9/hook?key=x';

/** The table: one row per channel kind. */
export const CHANNEL_CASES: ChannelCase[] = [
  {
    kind: 'feishu',
    limit: { max: 20_000, unit: 'bytes' },
    retry: HTTP_RETRY,
    endpoint: { field: 'url', blocked: BLOCKED_URL },
    start: () => httpCounterpart(feishuPlatform()),
    misconfigured: (entry) => webhookMisconfigurations(entry, true),
    wrongSecret: { entry: (entry) => ({ ...entry, secret: 'not-the-bot-secret-000' }), problem: /sign/ },
  },
  {
    kind: 'dingtalk',
    limit: { max: 20_000, unit: 'bytes' },
    retry: HTTP_RETRY,
    endpoint: { field: 'url', blocked: BLOCKED_URL },
    start: () => httpCounterpart(dingtalkPlatform()),
    misconfigured: (entry) => webhookMisconfigurations(entry, true),
    wrongSecret: { entry: (entry) => ({ ...entry, secret: 'SECnot-the-robot-secret-000' }), problem: /sign/ },
  },
  {
    kind: 'wecom',
    limit: { max: 4096, unit: 'bytes' },
    retry: HTTP_RETRY,
    endpoint: { field: 'url', blocked: BLOCKED_URL },
    start: () => httpCounterpart(wecomPlatform()),
    misconfigured: (entry) => [
      ...webhookMisconfigurations(entry, false),
      { entry: { ...entry, url: String(entry.url).replace(/\?key=.*$/, '') }, problem: /url: has no "key"/ },
    ],
  },
  {
    kind: 'slack',
    limit: { max: 3000, unit: 'chars' },
    retry: HTTP_RETRY,
    endpoint: { field: 'url', blocked: BLOCKED_URL },
    start: () => httpCounterpart(slackPlatform()),
    misconfigured: (entry) => webhookMisconfigurations(entry, false),
  },
  {
    kind: 'discord',
    limit: { max: 2000, unit: 'chars' },
    retry: HTTP_RETRY,
    endpoint: { field: 'url', blocked: BLOCKED_URL },
    start: () => httpCounterpart(discordPlatform()),
    misconfigured: (entry) => webhookMisconfigurations(entry, false),
  },
  {
    kind: 'telegram',
    limit: { max: 4096, unit: 'chars' },
    retry: HTTP_RETRY,
    endpoint: { field: 'apiBase', blocked: BLOCKED_URL },
    start: () => httpCounterpart(telegramPlatform()),
    misconfigured: (entry) => [
      { entry: { ...entry, apiBase: BLOCKED }, problem: /apiBase: intranet\.test.*cannot be reached/ },
    ],
  },
  {
    kind: 'email',
    limit: { max: EMAIL_TEXT_MAX_CHARS, unit: 'chars' },
    retry: { attempts: 3, waits: [5000, 15000] },
    start: smtpCounterpart,
    misconfigured: (entry) => [
      { entry: { ...entry, host: 'intranet.test' }, problem: /^host intranet\.test:\d+ is refused: .*10\.1\.2\.3/ },
      { entry: { ...entry, port: 465 }, problem: /port 465 expects TLS/ },
      { entry: { ...entry, secure: true, port: 587 }, problem: /port 587 speaks STARTTLS/ },
      // Clear text is fine to a relay on loopback only.
      { entry: { ...entry, host: 'intranet.test' }, problem: /requireTLS: false: .* unencrypted/ },
    ],
    wrongSecret: { entry: (entry) => ({ ...entry, pass: 'wr0ng-passw0rd-for-tests' }), problem: /login/ },
    endpoint: { field: 'host', blocked: '10.1.2.3' },
    detailSuffix: '; to 1 recipient\\(s\\), HTML: a digest \\(no page given\\)',
  },
];

// ---------------------------------------------------------------------------------------------
// Reports and the context

function goldenReport(language: 'zh' | 'en'): Report {
  return JSON.parse(
    readFileSync(path.join(repoRoot, 'test/fixtures/golden', `2026-08-22.${language}.json`), 'utf8'),
  ) as Report;
}

const PAGE_URL = 'https://daily.example.org/2026/08/22/report.html';

/** `pageUrl: null` → a message without a page URL. */
function messageFor(report: Report, pageUrl: string | null = PAGE_URL): ChannelMessage {
  return {
    date: report.date,
    language: report.language,
    report,
    markdown: '',
    html: '',
    ...(pageUrl === null ? {} : { pageUrl }),
  };
}

/** The report with `count` top stories, each long, built from its real stories and links. */
function longReport(base: Report, count: number): Report {
  const stories = base.sections.flatMap((section) => section.stories);
  const topStories = Array.from({ length: count }, (_, index) => {
    const story = stories[index % stories.length] as (typeof stories)[number];
    const padding = ' and what it means for the teams that build with it'.repeat(4);
    return {
      storyId: story.id,
      title: `${story.title} (${index + 1})${padding}`,
      line: { text: `${story.summary[0]?.text ?? story.title}${padding}`, cites: story.summary[0]?.cites ?? [] },
    };
  });
  return { ...base, topStories };
}

/** Titles written to break each dialect: markup, link injection, HTML, entities, mentions. */
const HOSTILE_TITLES = [
  '*bold* _it_ ~~gone~~ `code` **x** [click me](https://evil.example/a) ![img](https://evil.example/i.png)',
  '<a href="https://evil.example/b">free</a> <b>x</b> </b> <script>alert(1)</script> &amp; &lt; & <https://evil.example/c>',
  '<!channel> <@U123> @everyone <#C1|general> [x]: https://evil.example/d ||spoiler|| > quote \\*',
];

function hostileReport(base: Report): Report {
  const topStories = base.topStories.map((top, index) => ({
    ...top,
    title: HOSTILE_TITLES[index % HOSTILE_TITLES.length] as string,
  }));
  // Headlines (LLM reports) would be shown instead of titles: there are none in this extractive report.
  return { ...base, topStories };
}

/** Every http(s) URL the report may link: its stories' links and references. */
function reportUrls(report: Report): Set<string> {
  const urls = new Set<string>();
  for (const section of report.sections)
    for (const story of section.stories) for (const link of story.links) urls.add(link.url);
  for (const reference of report.references) urls.add(reference.url);
  return urls;
}

interface TestContext extends ChannelContext {
  sleeps: number[];
}

/** Names resolved without DNS: the loopback server, and a host on a private address. */
const HOSTS: Record<string, string> = {
  '127.0.0.1': '127.0.0.1',
  'intranet.test': '10.1.2.3',
  '10.1.2.3': '10.1.2.3',
};

function contextFor(counterpart: Counterpart): TestContext {
  const allowHosts = [counterpart.allowHost];
  const policy = createNetworkPolicy(allowHosts);
  const sleeps: number[] = [];
  return {
    sleeps,
    fetch: createPolicedFetch({
      allowHosts,
      lookup: async (host) => {
        const address = HOSTS[host];
        if (!address) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
        return [{ address, family: 4 }];
      },
    }),
    checkHost: async (host, port) => {
      const address = HOSTS[host];
      if (!address) throw new Error(`cannot resolve ${host}`);
      policy.checkAddress(host, port, address);
      if (nonPublicRange(address) !== undefined && !policy.isAllowedHost(host, port)) throw new Error('not allowed');
      return { address };
    },
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  };
}

function only(channels: Channel[]): Channel {
  assert.equal(channels.length, 1);
  return channels[0] as Channel;
}

async function rejection(promise: Promise<unknown>): Promise<DeliveryError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof DeliveryError, `a DeliveryError, got ${String(error)}`);
    return error;
  }
  assert.fail('the delivery should have failed');
}

// ---------------------------------------------------------------------------------------------
// The suite

for (const channelCase of CHANNEL_CASES) {
  describe(`channel contract: ${channelCase.kind}`, () => {
    let counterpart: Counterpart;
    let channel: Channel;
    let context: TestContext;
    const zh = goldenReport('zh');
    const en = goldenReport('en');

    before(async () => {
      counterpart = await channelCase.start();
      assert.deepEqual(validateChannels([counterpart.entry]), []);
      channel = only(createChannels([counterpart.entry]));
    });
    after(() => counterpart.close());

    const fresh = () => {
      counterpart.reset();
      context = contextFor(counterpart);
    };

    it('delivers one report as one request of the platform’s shape, with its top stories and their links', async () => {
      for (const report of [zh, en]) {
        fresh();
        const receipt = await channel.deliver(messageFor(report), context);
        assert.deepEqual(counterpart.problems, []);
        assert.equal(counterpart.attempts, 1);
        assert.equal(counterpart.delivered.length, 1);
        const message = counterpart.delivered[0] as DeliveredMessage;
        assert.ok(message.text.includes(report.date), 'the date is shown');
        for (const top of report.topStories) assert.ok(message.text.includes(top.title), `shows "${top.title}"`);
        const allowed = reportUrls(report);
        for (const link of message.links) assert.ok(allowed.has(link) || link === PAGE_URL, `${link} is a report URL`);
        assert.ok(message.links.includes(PAGE_URL), 'links the full page');
        assert.ok(message.links.length > report.topStories.length, 'links each top story');
        assert.match(
          receipt.detail,
          new RegExp(
            `^${report.topStories.length} top stories, [\\d,]+ (chars|bytes), link to the page${channelCase.detailSuffix ?? ''}$`,
          ),
        );
        assert.ok(message.size <= channelCase.limit.max);
      }
    });

    it('gives no page link when the message has no page URL', async () => {
      fresh();
      await channel.deliver(messageFor(en, null), context);
      const message = counterpart.delivered[0] as DeliveredMessage;
      assert.ok(!message.links.some((link) => link.startsWith('https://daily.example.org/')));
      assert.equal(message.links.length, en.topStories.length);
    });

    it('fits a long report into the platform limit: top stories from the start, how many more, a link to the page', async () => {
      for (const base of [zh, en]) {
        fresh();
        const report = longReport(base, 60);
        const receipt = await channel.deliver(messageFor(report), context);
        assert.deepEqual(counterpart.problems, []);
        const message = counterpart.delivered[0] as DeliveredMessage;
        assert.ok(message.size <= channelCase.limit.max, `${message.size} ≤ ${channelCase.limit.max}`);
        const shown = report.topStories.filter((top) => message.text.includes(top.title)).length;
        assert.ok(shown >= 1 && shown < 60, `${shown} of 60 shown`);
        assert.ok(message.text.includes(report.topStories[0]?.title ?? '?'), 'the first story leads');
        const more = base.language === 'zh' ? `还有 ${60 - shown} 条` : `${60 - shown} more`;
        assert.ok(message.text.includes(more), `says "${more}"`);
        assert.ok(message.links.includes(PAGE_URL));
        assert.match(receipt.detail, new RegExp(`^${shown} of 60 top stories`));
      }
    });

    it('keeps hostile titles inert: shown as written, no link or mention of their own', async () => {
      for (const base of [zh, en]) {
        fresh();
        const report = hostileReport(base);
        await channel.deliver(messageFor(report), context);
        assert.deepEqual(counterpart.problems, []);
        const message = counterpart.delivered[0] as DeliveredMessage;
        const allowed = reportUrls(report);
        for (const link of message.links) assert.ok(allowed.has(link) || link === PAGE_URL, `${link} is a report URL`);
        for (const title of new Set(report.topStories.map((top) => top.title))) {
          assert.ok(message.text.includes(title), `shows ${JSON.stringify(title)} as written in:\n${message.text}`);
        }
      }
    });

    it('retries a 429 after the wait the platform asks for and delivers once', async () => {
      fresh();
      counterpart.script(['rate-limited'], 'ok');
      await channel.deliver(messageFor(en), context);
      assert.equal(counterpart.attempts, 2);
      assert.equal(counterpart.delivered.length, 1);
      assert.equal(context.sleeps.length, 1);
      assert.ok((context.sleeps[0] ?? 0) > 0 && (context.sleeps[0] ?? 0) <= 60_000);
    });

    it('fails `server` after the capped retries when the platform keeps failing', async () => {
      fresh();
      counterpart.script([], 'server-error');
      const error = await rejection(channel.deliver(messageFor(en), context));
      assert.equal(error.kind, 'server');
      assert.equal(counterpart.attempts, channelCase.retry.attempts);
      assert.equal(counterpart.delivered.length, 0);
      assert.deepEqual(context.sleeps, channelCase.retry.waits);
    });

    it('fails `rate-limited` when the platform keeps limiting', async () => {
      fresh();
      counterpart.script([], 'rate-limited');
      const error = await rejection(channel.deliver(messageFor(en), context));
      assert.equal(error.kind, 'rate-limited');
      assert.equal(counterpart.attempts, channelCase.retry.attempts);
      assert.equal(counterpart.delivered.length, 0);
    });

    it('fails `rejected` at once when the platform refuses, and the message holds no credential', async () => {
      fresh();
      counterpart.script(['refused']);
      const error = await rejection(channel.deliver(messageFor(en), context));
      assert.equal(error.kind, 'rejected');
      assert.equal(counterpart.attempts, 1);
      assert.deepEqual(context.sleeps, []);
      for (const value of Object.values(counterpart.entry)) {
        if (typeof value !== 'string' || value === channelCase.kind) continue;
        for (const part of value.split(/[/?=&]/).filter((piece) => piece.length >= 16)) {
          assert.ok(!error.message.includes(part), `"${error.message}" holds a credential`);
        }
      }
    });

    if (channelCase.wrongSecret) {
      const wrongSecret = channelCase.wrongSecret;
      it('proves its credentials: a wrong secret is refused by the platform’s check, and not repeated in the error', async () => {
        fresh();
        const wrongEntry = wrongSecret.entry(counterpart.entry);
        const wrong = only(createChannels([wrongEntry]));
        const error = await rejection(wrong.deliver(messageFor(en), context));
        assert.equal(error.kind, 'rejected');
        assert.equal(counterpart.attempts, 1);
        assert.equal(counterpart.delivered.length, 0);
        assert.deepEqual(context.sleeps, []);
        assert.match(counterpart.problems[0] ?? '', wrongSecret.problem);
        for (const [key, value] of Object.entries(wrongEntry)) {
          if (typeof value !== 'string' || value === counterpart.entry[key]) continue;
          assert.ok(!error.message.includes(value), `"${error.message}" holds the ${key}`);
        }
      });
    }

    it('check() passes a good entry and flags each misconfiguration without a request', async () => {
      fresh();
      assert.deepEqual(await channel.check(context), []);
      for (const bad of channelCase.misconfigured(counterpart.entry)) {
        const problems = await only(createChannels([bad.entry])).check(context);
        assert.ok(
          problems.some((problem) => bad.problem.test(problem)),
          `${JSON.stringify(problems)} names ${bad.problem}`,
        );
      }
      assert.equal(counterpart.attempts, 0);
    });

    it('refuses an endpoint that is a file: URL and an unknown field when the config is loaded', () => {
      const { field } = channelCase.endpoint;
      const problems = validateChannels([{ ...counterpart.entry, [field]: 'file:///etc/passwd', colour: 'red' }]);
      assert.ok(
        problems.some((problem) => problem.startsWith(`publish.channels[0].${field}: `)),
        problems.join('\n'),
      );
      assert.ok(
        problems.some((problem) => /unknown field "colour"/.test(problem)),
        problems.join('\n'),
      );
    });

    it('a blocked address is refused by the network policy before any request', async () => {
      fresh();
      const { field, blocked: value } = channelCase.endpoint;
      const blocked = only(createChannels([{ ...counterpart.entry, [field]: value }]));
      const error = await rejection(blocked.deliver(messageFor(en), context));
      assert.equal(error.kind, 'network');
      assert.equal(counterpart.attempts, 0);
    });
  });
}
