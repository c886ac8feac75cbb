/**
 * The email channel: one message over SMTP (nodemailer) per report, `multipart/alternative` with a
 * plain-text digest (top stories with their links, the page's link) and an HTML part. The HTML
 * part is the report's own page when it is small enough for mail clients to show whole (Gmail
 * clips a message's HTML beyond about 102 KB), else an HTML digest of the same stories with the
 * page's link (docs/decisions/0171-email-body.md).
 *
 * Network policy: the host is resolved and checked by `context.checkHost` before anything
 * connects, and the connection goes to the address it returns; TLS still verifies the certificate
 * against the configured host name. STARTTLS is required on a plain connection (`requireTLS`,
 * default true). A temporary SMTP reply (4xx) is retried with a capped wait, a permanent one
 * (5xx) fails at once; the password never appears in an error.
 */
import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import { domainToASCII } from 'node:url';
import { createTransport } from 'nodemailer';
import { z } from 'zod';
import { redact } from '../../core/redact.js';
import { nonPublicRange } from '../../http/network-policy.js';
import { escapeHtml, htmlHref } from '../../render/html.js';
import {
  type Channel,
  type ChannelContext,
  type ChannelDefinition,
  type ChannelMessage,
  DeliveryError,
  type DeliveryErrorKind,
  type DeliveryReceipt,
} from './channel.js';
import { closingWords, type Digest, type DigestParts, describeDigest, digestParts, fitDigest } from './digest.js';

/** The report page goes whole into the HTML part up to this size (UTF-8 bytes), else a digest. */
export const PAGE_IN_MAIL_MAX_BYTES = 64 * 1024;
/**
 * The text part's limit, in characters (UTF-16 code units): top stories are left out from the end,
 * with how many more there are, until it fits (docs/decisions/0175-email-digest-limit.md).
 */
export const EMAIL_TEXT_MAX_CHARS = 16_000;
/** Sends tried per delivery (the first and the retries after a temporary reply). */
export const EMAIL_MAX_ATTEMPTS = 3;
/** Waits between attempts: 5 s, 15 s, … capped. */
const RETRY_FIRST_WAIT_MS = 5_000;
const RETRY_MAX_WAIT_MS = 60_000;

/** A mailbox as nodemailer takes it: the name is encoded by nodemailer, never pasted into a header. */
export interface Mailbox {
  name: string;
  address: string;
}

// ── configuration ──────────────────────────────────────────────────────────

const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+$/;
const DOMAIN_LABEL = /^(?!-)[\p{L}\p{N}-]{1,63}(?<!-)$/u;

/** `bot@example.com` or `Name <bot@example.com>` → a mailbox; a reason otherwise. */
export function parseMailbox(text: string): Mailbox | string {
  if (/[\u0000-\u001f\u007f]/.test(text)) return 'must not hold a line break or control character';
  const trimmed = text.trim();
  const angled = /^(.*?)\s*<([^<>]*)>$/.exec(trimmed);
  let name = angled ? (angled[1] ?? '').trim() : '';
  const address = angled ? (angled[2] ?? '').trim() : trimmed;
  if (/^".*"$/.test(name)) name = name.slice(1, -1).replace(/\\(.)/g, '$1');
  if (/[<>]/.test(name)) return `"${text}" is not an address: write bot@example.com or Name <bot@example.com>`;
  const at = address.lastIndexOf('@');
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  const labels = domain.split('.');
  if (
    at <= 0 ||
    !LOCAL_PART.test(local) ||
    local.startsWith('.') ||
    local.endsWith('.') ||
    local.includes('..') ||
    labels.length < 2 ||
    !labels.every((label) => DOMAIN_LABEL.test(label))
  ) {
    return `"${text}" is not an address: write bot@example.com or Name <bot@example.com>`;
  }
  return { name, address };
}

const mailbox = z.string().transform((text, ctx): Mailbox => {
  const parsed = parseMailbox(text);
  if (typeof parsed === 'string') {
    ctx.addIssue({ code: 'custom', message: parsed });
    return z.NEVER;
  }
  return parsed;
});

/** A list of addresses; one address alone is taken as a list of one. */
const mailboxList = (minimum: number) =>
  z.preprocess(
    (value) => (typeof value === 'string' ? [value] : value),
    z.array(mailbox).min(minimum, 'needs at least one address'),
  );

const HOST_NAME = /^(?=.{1,253}$)(?!-)[A-Za-z0-9-]{1,63}(?<!-)(?:\.(?!-)[A-Za-z0-9-]{1,63}(?<!-))*\.?$/;

const SUBJECT_FIELDS = ['date', 'title'] as const;

const emailConfigShape = z
  .object({
    host: z
      .string()
      .transform((host) => host.trim().replace(/^\[(.*)\]$/, '$1'))
      .refine((host) => isIP(host) !== 0 || HOST_NAME.test(host), {
        message: 'must be a host name or IP address such as smtp.example.com (no scheme, no port)',
      }),
    port: z.number().int().min(1).max(65_535).default(587),
    /** Implicit TLS (SMTPS); default: true on port 465, false elsewhere (then STARTTLS). */
    secure: z.boolean().optional(),
    /** On a plain connection, refuse to send unless the server upgrades with STARTTLS. */
    requireTLS: z.boolean().default(true),
    user: z.string().min(1).optional(),
    pass: z.string().min(1).optional(),
    from: mailbox,
    to: mailboxList(1),
    cc: mailboxList(0).optional(),
    bcc: mailboxList(0).optional(),
    /** Subject template: `{title}` and `{date}` are replaced. */
    subject: z
      .string()
      .min(1)
      .refine((template) => !/[\r\n]/.test(template), { message: 'must be one line' })
      .superRefine((template, ctx) => {
        for (const match of template.matchAll(/\{([^{}]*)\}/g)) {
          const field = match[1] ?? '';
          if (!(SUBJECT_FIELDS as readonly string[]).includes(field)) {
            ctx.addIssue({
              code: 'custom',
              message: `unknown placeholder {${field}} (known: ${SUBJECT_FIELDS.map((f) => `{${f}}`).join(', ')})`,
            });
          }
        }
      })
      .optional(),
    /** Connection, greeting and idle socket timeout, each. */
    timeoutSeconds: z.number().positive().max(600).default(30),
  })
  .strict()
  .superRefine((config, ctx) => {
    if ((config.user === undefined) !== (config.pass === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [config.user === undefined ? 'user' : 'pass'],
        message: 'user and pass go together: set both (SMTP login) or neither',
      });
    }
  })
  .transform((config) => ({ ...config, secure: config.secure ?? config.port === 465 }));

/**
 * The email channel's config. `kind` and `id` belong to the registry: when it hands them over
 * with the rest they are dropped here, so the strict object refuses only unknown keys.
 */
export const emailConfigSchema = z.preprocess((value) => {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const { kind: _kind, id: _id, ...rest } = value as Record<string, unknown>;
  return rest;
}, emailConfigShape);

export type EmailConfig = z.output<typeof emailConfigSchema>;

// ── the message ────────────────────────────────────────────────────────────

/** The mail's digest: the chat channels' plain-text digest (digest.ts), fitted to the text part's limit. */
export interface EmailDigest extends Digest {
  /** The digest's parts; the HTML digest shows the same stories (`parts.stories.slice(0, shown)`). */
  parts: DigestParts;
}

/** The digest fitted to `EMAIL_TEXT_MAX_CHARS`: whole stories left out from the end, never cut. */
export function emailDigest(message: ChannelMessage, maxChars = EMAIL_TEXT_MAX_CHARS): EmailDigest {
  const parts = digestParts(message);
  const digest = fitDigest(parts, 'plain', { max: maxChars, unit: 'chars' });
  return { ...digest, parts };
}

/** The plain-text part: title, top stories with their links (as many as fit), the page's link. */
export function emailText(message: ChannelMessage): string {
  return emailDigest(message).text;
}

/** The HTML digest (for a report whose page is not given or too large for a mail): the text part's stories. */
export function emailHtmlDigest(message: ChannelMessage, digest = emailDigest(message)): string {
  const { parts } = digest;
  const link = (url: string | undefined, text: string) => {
    const href = url ? htmlHref(url) : undefined;
    return href ? `<a href="${href}">${escapeHtml(text)}</a>` : escapeHtml(text);
  };
  const items = parts.stories
    .slice(0, digest.shown)
    .map(
      (story) =>
        `<li><strong>${link(story.url, story.title)}</strong>${story.line ? `${story.continuesTitle ? '' : '<br>'}${escapeHtml(story.line)}` : ''}</li>`,
    );
  const title = escapeHtml(parts.heading);
  const closing = closingWords(parts, digest.total - digest.shown);
  return [
    '<!DOCTYPE html>',
    `<html lang="${message.language === 'zh' ? 'zh-CN' : 'en'}"><head><meta charset="utf-8"><title>${title}</title></head>`,
    '<body style="font-family:system-ui,sans-serif;line-height:1.6;max-width:46rem">',
    `<h1 style="font-size:1.4rem">${title}</h1>`,
    `<h2 style="font-size:1.15rem">${escapeHtml(parts.topStoriesLabel)}</h2>`,
    items.length > 0 ? `<ol>${items.join('')}</ol>` : '',
    closing.label ? `<p>${link(closing.url, closing.label)}</p>` : '',
    '</body></html>',
    '',
  ].join('\n');
}

/** The HTML part: the page when it fits in a mail, else the digest; and which it is. */
export function emailHtml(
  message: ChannelMessage,
  digest = emailDigest(message),
): { html: string; body: 'page' | 'digest' } {
  const size = Buffer.byteLength(message.html);
  // No page given (a caller that renders none): the digest, never an empty HTML part.
  if (message.html.trim() !== '' && size <= PAGE_IN_MAIL_MAX_BYTES) return { html: message.html, body: 'page' };
  return { html: emailHtmlDigest(message, digest), body: 'digest' };
}

/** Text on one line: control characters (line breaks included) become spaces, runs of space one. */
function oneLine(text: string): string {
  return text
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export function emailSubject(config: Pick<EmailConfig, 'subject'>, message: ChannelMessage): string {
  const title = oneLine(message.report.title);
  const template = config.subject ?? (title.includes(message.date) ? '{title}' : '{title} {date}');
  return oneLine(
    template.replace(/\{(title|date)\}/g, (_, field: string) => (field === 'date' ? message.date : title)),
  );
}

/**
 * The same Message-ID for every send of one report to one channel: a send repeated after an
 * unknown outcome (`--redeliver`) is the same message, which mailboxes that dedupe by Message-ID drop.
 */
function messageIdFor(config: EmailConfig, channelId: string, message: ChannelMessage): string {
  const hash = createHash('sha256')
    .update(JSON.stringify([channelId, config.from.address, config.to.map((m) => m.address), message.date]))
    .update(message.language)
    .digest('hex')
    .slice(0, 16);
  return `<ai-daily.${message.date}.${message.language}.${hash}@${senderDomain(config)}>`;
}

/** The sender's domain in ASCII (an IDN as punycode), for the Message-ID and the EHLO name. */
function senderDomain(config: Pick<EmailConfig, 'from'>): string {
  const domain = config.from.address.slice(config.from.address.lastIndexOf('@') + 1);
  return domainToASCII(domain) || domain;
}

// ── sending ────────────────────────────────────────────────────────────────

interface SmtpFailure {
  code?: string;
  /** nodemailer's timeout kind: CONNECT_TIMEOUT, GREETING_TIMEOUT, UPGRADE_TIMEOUT, SOCKET_TIMEOUT. */
  timeoutType?: string;
  responseCode?: number;
  response?: string;
  command?: string;
  message?: string;
}

/** What an SMTP failure means: its kind and whether a later attempt may succeed. */
export function classifySmtpFailure(error: unknown): { kind: DeliveryErrorKind; retry: boolean; status?: number } {
  const failure = (error ?? {}) as SmtpFailure;
  const status = typeof failure.responseCode === 'number' ? failure.responseCode : undefined;
  if (status !== undefined && status >= 400 && status < 500) {
    const rateLimited = /rate|too many|too (?:fast|quickly)|throttl|exceeded/i.test(failure.response ?? '');
    return { kind: rateLimited ? 'rate-limited' : 'server', retry: true, status };
  }
  if (status !== undefined && status >= 500) return { kind: 'rejected', retry: false, status };
  // No reply code: the connection failed (refused, reset, timed out, TLS), or the client refused
  // (bad credentials for the offered methods, no STARTTLS while required, message too large).
  // The session was open and the server went quiet (the message may be sent and accepted
  // without its reply reaching us): unknown, never sent again without --redeliver.
  if (failure.code === 'ETIMEDOUT' && failure.timeoutType === 'SOCKET_TIMEOUT')
    return { kind: 'unanswered', retry: false };
  switch (failure.code) {
    case 'EAUTH':
    case 'EENVELOPE':
    case 'EMESSAGE':
    case 'EREQUIRETLS':
      return { kind: 'rejected', retry: false };
    default:
      return { kind: 'network', retry: false };
  }
}

function describeSmtpFailure(error: unknown, secrets: readonly string[]): string {
  const failure = (error ?? {}) as SmtpFailure;
  const reply = failure.response ? oneLine(failure.response) : undefined;
  const text = oneLine(failure.message ?? String(error));
  const described = reply && !text.includes(reply) ? `${text}: ${reply}` : text;
  return scrub(described, secrets);
}

/** Redacts registered secrets and this channel's own password (also when written in the config). */
function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret.length > 0) out = out.split(secret).join('***');
  return redact(out);
}

class EmailChannel implements Channel {
  readonly kind = 'email';
  readonly id: string;
  private readonly config: EmailConfig;
  private readonly secrets: string[];

  constructor(config: EmailConfig, id: string) {
    this.config = config;
    this.id = id;
    const pass = config.pass;
    this.secrets = pass ? [pass, Buffer.from(pass).toString('base64')] : [];
  }

  private get where(): string {
    return `SMTP ${this.config.host}:${this.config.port}`;
  }

  async check(context: Pick<ChannelContext, 'checkHost'>): Promise<string[]> {
    const { host, port, secure, requireTLS } = this.config;
    const problems: string[] = [];
    if (port === 465 && !secure) {
      problems.push('port 465 expects TLS from the first byte: set secure: true (or use port 587 with STARTTLS)');
    }
    if (secure && (port === 587 || port === 25)) {
      problems.push(`port ${port} speaks STARTTLS, not TLS from the first byte: set secure: false`);
    }
    let address: string | undefined;
    try {
      ({ address } = await context.checkHost(host, port));
    } catch (error) {
      problems.push(
        `host ${host}:${port} is refused: ${scrub(error instanceof Error ? error.message : String(error), this.secrets)}`,
      );
    }
    // A relay on this machine (loopback) is reached without crossing a network: clear text is fine there.
    if (!secure && !requireTLS && !(address !== undefined && nonPublicRange(address) === 'loopback')) {
      problems.push('requireTLS: false: the report and the login may travel unencrypted');
    }
    return problems;
  }

  async deliver(message: ChannelMessage, context: ChannelContext): Promise<DeliveryReceipt> {
    const { config } = this;
    let address: string;
    try {
      ({ address } = await context.checkHost(config.host, config.port));
    } catch (error) {
      const reason = scrub(error instanceof Error ? error.message : String(error), this.secrets);
      throw new DeliveryError(`${this.where}: not connected, the network policy refuses it: ${reason}`, {
        kind: 'network',
        cause: error,
      });
    }

    const digest = emailDigest(message);
    const { html, body } = emailHtml(message, digest);
    const { text } = digest;
    const mail = {
      from: config.from,
      to: config.to,
      ...(config.cc && config.cc.length > 0 ? { cc: config.cc } : {}),
      ...(config.bcc && config.bcc.length > 0 ? { bcc: config.bcc } : {}),
      subject: emailSubject(config, message),
      text,
      html,
      messageId: messageIdFor(config, this.id, message),
      // RFC 3834: an automatic message; vacation responders do not answer it.
      headers: { 'Auto-Submitted': 'auto-generated' },
    };
    const timeoutMs = Math.round(config.timeoutSeconds * 1000);
    const ehloName = senderDomain(config);

    for (let attempt = 1; ; attempt++) {
      const transport = createTransport({
        host: address,
        port: config.port,
        secure: config.secure,
        requireTLS: !config.secure && config.requireTLS,
        // The EHLO name: the sender's domain, never this machine's host name.
        name: ehloName,
        ...(config.user !== undefined && config.pass !== undefined
          ? { auth: { user: config.user, pass: config.pass } }
          : {}),
        // Certificates are checked against the configured name, not the address connected to.
        tls: { minVersion: 'TLSv1.2', ...(isIP(config.host) === 0 ? { servername: config.host } : {}) },
        connectionTimeout: timeoutMs,
        greetingTimeout: timeoutMs,
        socketTimeout: timeoutMs,
        disableFileAccess: true,
        disableUrlAccess: true,
        logger: false,
      });
      try {
        const info = await transport.sendMail(mail);
        const refused = info.rejected.length > 0 ? `, refused by the server for ${info.rejected.length}` : '';
        const detail = [
          `${describeDigest(digest, 'chars')}; to ${info.accepted.length} recipient(s)${refused}`,
          body === 'page'
            ? 'HTML: the report page'
            : message.html.trim() === ''
              ? 'HTML: a digest (no page given)'
              : 'HTML: a digest (the page is too large for a mail)',
          ...(attempt > 1 ? [`attempt ${attempt}`] : []),
        ].join(', ');
        return { detail, ...(info.messageId ? { messageId: info.messageId } : {}) };
      } catch (error) {
        const { kind, retry, status } = classifySmtpFailure(error);
        const reason = describeSmtpFailure(error, this.secrets);
        if (retry && attempt < EMAIL_MAX_ATTEMPTS && !context.signal?.aborted) {
          await context.sleep(Math.min(RETRY_FIRST_WAIT_MS * 3 ** (attempt - 1), RETRY_MAX_WAIT_MS));
          continue;
        }
        const tries = attempt > 1 ? ` (after ${attempt} attempts)` : '';
        throw new DeliveryError(`${this.where}: ${reason}${tries}`, {
          kind,
          ...(status === undefined ? {} : { status }),
        });
      } finally {
        transport.close();
      }
    }
  }
}

export const emailChannel: ChannelDefinition<typeof emailConfigSchema> = {
  kind: 'email',
  schema: emailConfigSchema,
  create(config, id) {
    return new EmailChannel(config, id);
  },
};
