/**
 * A real SMTP server (smtp-server) on 127.0.0.1 for the email channel's tests, and a reader of the
 * MIME it receives (no parser library: the structure is checked by hand). Used by
 * `src/publish/channels/email.test.ts` and the channel contract suite.
 */
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createSecureContext } from 'node:tls';
import { SMTPServer, type SMTPServerAddress, type SMTPServerSession } from 'smtp-server';
import { repoRoot } from './fixtures.js';

/** The login the local server accepts. */
export const SMTP_USER = 'bot';
export const SMTP_PASSWORD = 'c0rrect-h0rse-battery';

export interface ReceivedMail {
  from: string;
  recipients: string[];
  raw: string;
  user: unknown;
}

export interface SmtpReply {
  code: number;
  text: string;
}

/** A local SMTP server: checks the login, records messages, and answers MAIL FROM from a queue first. */
export class LocalSmtp {
  readonly received: ReceivedMail[] = [];
  /** Server names the clients asked for in the TLS handshake (SNI). */
  readonly serverNames: string[] = [];
  /** Replies to the next MAIL FROM commands, in order (undefined: accepted); then `mailFromDefault`. */
  readonly mailFromReplies: (SmtpReply | undefined)[] = [];
  /** The reply to a MAIL FROM once the queue is empty; undefined: accepted. */
  mailFromDefault: SmtpReply | undefined;
  /** Logins refused (the user name each tried). */
  readonly refusedLogins: string[] = [];
  /**
   * Checks each message before it is accepted: a problem refuses it (554 5.6.0) and is recorded
   * in `refusedMessages`; undefined accepts it.
   */
  inspect: ((mail: ReceivedMail) => string | undefined) | undefined;
  readonly refusedMessages: string[] = [];
  /** Reads each message whole, records it, and never answers (a relay that hangs after DATA). */
  silentAfterData = false;
  connections = 0;
  mailFromCommands = 0;
  private server?: SMTPServer;
  port = 0;

  /** tls: none (plain, no STARTTLS), implicit (SMTPS) or starttls, with the test-only certificate. */
  async start(options: { auth: boolean; tls?: 'none' | 'implicit' | 'starttls' }): Promise<void> {
    const reply = (code: number, text: string) => Object.assign(new Error(text), { responseCode: code });
    const tls = options.tls ?? 'none';
    const identity = {
      key: readFileSync(path.join(repoRoot, 'test', 'fixtures', 'smtp', 'test-only-key.pem')),
      cert: readFileSync(path.join(repoRoot, 'test', 'fixtures', 'smtp', 'test-only-cert.pem')),
    };
    this.server = new SMTPServer({
      logger: false,
      ...(tls === 'none' ? {} : identity),
      secure: tls === 'implicit',
      SNICallback: (servername, callback) => {
        this.serverNames.push(servername);
        callback(null, createSecureContext(identity));
      },
      disabledCommands: [...(tls === 'none' ? ['STARTTLS'] : []), ...(options.auth ? [] : ['AUTH'])],
      authOptional: !options.auth,
      allowInsecureAuth: true,
      onConnect: (_session, callback) => {
        this.connections++;
        callback();
      },
      onAuth: (auth, _session, callback) => {
        if (auth.username === SMTP_USER && auth.password === SMTP_PASSWORD) callback(null, { user: SMTP_USER });
        else {
          this.refusedLogins.push(auth.username ?? '');
          callback(reply(535, '5.7.8 Authentication credentials invalid'));
        }
      },
      onMailFrom: (_address: SMTPServerAddress, _session, callback) => {
        this.mailFromCommands++;
        const next = this.mailFromReplies.length > 0 ? this.mailFromReplies.shift() : this.mailFromDefault;
        callback(next ? reply(next.code, next.text) : undefined);
      },
      onData: (stream, session: SMTPServerSession, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const mail: ReceivedMail = {
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            recipients: session.envelope.rcptTo.map((r) => r.address),
            raw: Buffer.concat(chunks).toString('utf8'),
            user: session.user,
          };
          const problem = this.inspect?.(mail);
          if (problem !== undefined) {
            this.refusedMessages.push(problem);
            callback(reply(554, `5.6.0 ${problem}`));
            return;
          }
          this.received.push(mail);
          if (!this.silentAfterData) callback();
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      this.server?.once('error', reject);
      this.server?.listen(0, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.server.address() as AddressInfo).port;
  }

  /** Forgets what was received and scripted. */
  reset(): void {
    this.received.length = 0;
    this.serverNames.length = 0;
    this.mailFromReplies.length = 0;
    this.refusedLogins.length = 0;
    this.refusedMessages.length = 0;
    this.mailFromDefault = undefined;
    this.silentAfterData = false;
    this.connections = 0;
    this.mailFromCommands = 0;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

// ── reading the MIME back ────────────────────────────────────────────────────

export interface MimeEntity {
  /** Header names in lower case; a repeated header keeps its last value (see `names`). */
  headers: Map<string, string>;
  /** Every header name, in order, repeats included. */
  names: string[];
  body: string;
}

export function parseEntity(raw: string): MimeEntity {
  const split = raw.indexOf('\r\n\r\n');
  const head = split === -1 ? raw : raw.slice(0, split);
  const body = split === -1 ? '' : raw.slice(split + 4);
  const headers = new Map<string, string>();
  const names: string[] = [];
  for (const line of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) {
      const name = line.slice(0, colon).trim().toLowerCase();
      names.push(name);
      headers.set(name, line.slice(colon + 1).trim());
    }
  }
  return { headers, names, body };
}

export function decodeBody(entity: MimeEntity): string {
  const encoding = (entity.headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
  if (encoding === 'base64') return Buffer.from(entity.body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (encoding === 'quoted-printable') {
    const bytes = entity.body
      .replace(/=\r\n/g, '')
      .replace(/(?:=[0-9A-F]{2})+/gi, (run) => Buffer.from(run.replace(/=/g, ''), 'hex').toString('latin1'));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  }
  return entity.body;
}

/** RFC 2047 encoded words (`=?UTF-8?B?…?=`, `=?UTF-8?Q?…?=`) back to text. */
export function decodeWords(value: string): string {
  const decoded = value
    .replace(/(\?=)\s+(=\?)/g, '$1$2')
    .replace(/=\?utf-8\?([bq])\?([^?]*)\?=/gi, (_, kind: string, text: string) =>
      kind.toLowerCase() === 'b'
        ? Buffer.from(text, 'base64').toString('latin1')
        : text
            .replace(/_/g, ' ')
            .replace(/=([0-9A-F]{2})/gi, (_m, hex: string) => String.fromCharCode(Number.parseInt(hex, 16))),
    );
  return Buffer.from(decoded, 'latin1').toString('utf8');
}

export interface ParsedMail {
  headers: Map<string, string>;
  /** Every top-level header name, in order, repeats included. */
  names: string[];
  type: string;
  text: string;
  html: string;
}

/** A `multipart/alternative` mail with a UTF-8 text and HTML part, read back; a problem string otherwise. */
export function readMail(raw: string): ParsedMail | string {
  const message = parseEntity(raw);
  const type = message.headers.get('content-type') ?? '';
  const boundary = /boundary="?([^";]+)"?/.exec(type)?.[1];
  if (!boundary) return `not a multipart message: ${type}`;
  const parts = message.body
    .split(`--${boundary}`)
    .slice(1, -1)
    // The line break before a boundary belongs to the boundary (RFC 2046).
    .map((part) => parseEntity(part.replace(/^\r\n/, '').replace(/\r\n$/, '')));
  if (parts.length !== 2) return `${parts.length} parts, not two`;
  const bodies: Record<string, string> = {};
  for (const mime of ['text/plain', 'text/html']) {
    const part = parts.find((p) => (p.headers.get('content-type') ?? '').startsWith(mime));
    if (!part) return `no ${mime} part`;
    if (!/charset=utf-8/i.test(part.headers.get('content-type') ?? '')) return `the ${mime} part is not UTF-8`;
    // Lines travel as CRLF (SMTP); the part's text is what was written.
    bodies[mime] = decodeBody(part).replace(/\r\n/g, '\n');
  }
  return {
    headers: message.headers,
    names: message.names,
    type,
    text: bodies['text/plain'] ?? '',
    html: bodies['text/html'] ?? '',
  };
}

/** `readMail`, throwing on a problem. */
export function parseMail(raw: string): ParsedMail {
  const mail = readMail(raw);
  if (typeof mail === 'string') throw new Error(mail);
  return mail;
}
