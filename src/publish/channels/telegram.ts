/**
 * Telegram bot: `POST {apiBase}/bot{token}/sendMessage` (apiBase `https://api.telegram.org`, or a
 * self-hosted Bot API server).
 *
 * - Message: `text` in Telegram's HTML (`parse_mode: HTML`: `<b>`, `<a href>`, `&lt;` `&gt;`
 *   `&amp;` `&quot;`), at most 4,096 characters (counted here before entities are parsed, which
 *   can only over-count); link previews off.
 * - The token is a credential: it is registered as a secret and never appears in a message.
 * - Answer: `{ok: true, result: {message_id}}`; errors `{ok: false, error_code, description}`
 *   with the same HTTP status (400 "chat not found", 403 "bot was blocked" …: refusals); 429 with
 *   `parameters.retry_after` (seconds).
 */
import { z } from 'zod';
import type { Channel, ChannelDefinition } from './channel.js';
import { buildDigest, describeDigest } from './digest.js';
import { parseJson, postJson, type Verdict } from './post.js';
import { checkUrl, registerChannelSecrets, webhookUrl } from './webhook.js';

export const telegramSchema = z.strictObject({
  /** The bot token from @BotFather ("123456:ABC-…"). */
  token: z.string().regex(/^\d{1,20}:[A-Za-z0-9_-]{20,}$/, 'must be a bot token ("<digits>:<letters, digits, _ ->")'),
  /** A chat id (`-100…` for a channel or group) or a public channel's `@username`. */
  chatId: z.union([
    z.number().int(),
    z.string().regex(/^(-?\d{1,20}|@[A-Za-z][A-Za-z0-9_]{3,31})$/, 'must be a numeric chat id or @channelname'),
  ]),
  apiBase: webhookUrl.default('https://api.telegram.org'),
});

export const TELEGRAM_MAX_TEXT_CHARS = 4096;

function readTelegramAnswer(answer: { body: string }): Verdict {
  const json = parseJson(answer.body) as
    | { ok?: unknown; result?: { message_id?: unknown }; description?: unknown; error_code?: unknown }
    | undefined;
  if (json?.ok === true) {
    const id = json.result?.message_id;
    return typeof id === 'number' || typeof id === 'string' ? { ok: true, messageId: String(id) } : { ok: true };
  }
  const reason = typeof json?.description === 'string' ? json.description : 'an answer without "ok": true';
  return { ok: false, kind: 'rejected', reason };
}

/** The sendMessage URL (holds the token: never shown). */
export function telegramMethodUrl(apiBase: string, token: string, method: string): string {
  return `${apiBase.replace(/\/+$/, '')}/bot${token}/${method}`;
}

export const telegramChannel: ChannelDefinition<typeof telegramSchema> = {
  kind: 'telegram',
  schema: telegramSchema,
  create(config, id): Channel {
    registerChannelSecrets([config.token, config.token.split(':')[1]]);
    return {
      kind: 'telegram',
      id,
      async deliver(message, context) {
        const digest = buildDigest(message, 'telegram-html', { max: TELEGRAM_MAX_TEXT_CHARS, unit: 'chars' });
        const body = {
          chat_id: config.chatId,
          text: digest.text,
          parse_mode: 'HTML',
          disable_web_page_preview: true,
          link_preview_options: { is_disabled: true },
        };
        const result = await postJson({
          channel: id,
          url: telegramMethodUrl(config.apiBase, config.token, 'sendMessage'),
          body,
          context,
          readAnswer: readTelegramAnswer,
        });
        return {
          detail: describeDigest(digest, 'chars'),
          ...(result.messageId === undefined ? {} : { messageId: result.messageId }),
        };
      },
      check: (context) => checkUrl(id, 'apiBase', config.apiBase, context),
    };
  },
};
