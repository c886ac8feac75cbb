/**
 * Discord webhook: `https://discord.com/api/webhooks/<id>/<token>`.
 *
 * - Message: `content` (Discord Markdown) of at most 2,000 characters, mentions disabled
 *   (`allowed_mentions.parse: []`) and link embeds suppressed (flag 4, SUPPRESS_EMBEDS).
 * - Posted with `?wait=true`: Discord answers 200 with the message (its `id` is the receipt's
 *   message id) instead of 204; a 204 is accepted too.
 * - Not signed: the token in the URL is the credential.
 * - 429 carries Retry-After and a JSON `retry_after` (seconds); 4xx (400 "Invalid Form Body",
 *   401/404 "Unknown Webhook") are refusals.
 */
import { z } from 'zod';
import type { Channel, ChannelDefinition } from './channel.js';
import { buildDigest, describeDigest } from './digest.js';
import { parseJson, postJson, type Verdict } from './post.js';
import { checkUrl, registerChannelSecrets, webhookUrl } from './webhook.js';

export const discordSchema = z.strictObject({ url: webhookUrl });

export const DISCORD_MAX_CONTENT_CHARS = 2000;
/** MessageFlags.SUPPRESS_EMBEDS. */
const SUPPRESS_EMBEDS = 1 << 2;

function readDiscordAnswer(answer: { status: number; body: string }): Verdict {
  if (answer.status === 204) return { ok: true };
  const json = parseJson(answer.body) as { id?: unknown } | undefined;
  if (typeof json?.id === 'string') return { ok: true, messageId: json.id };
  return { ok: true };
}

/** The webhook URL with `wait=true` (other query parameters, such as `thread_id`, kept). */
export function discordWaitUrl(url: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set('wait', 'true');
  return parsed.href;
}

export const discordChannel: ChannelDefinition<typeof discordSchema> = {
  kind: 'discord',
  schema: discordSchema,
  create(config, id): Channel {
    registerChannelSecrets([], [config.url]);
    return {
      kind: 'discord',
      id,
      async deliver(message, context) {
        const digest = buildDigest(message, 'markdown', { max: DISCORD_MAX_CONTENT_CHARS, unit: 'chars' });
        const body = { content: digest.text, allowed_mentions: { parse: [] }, flags: SUPPRESS_EMBEDS };
        const result = await postJson({
          channel: id,
          url: discordWaitUrl(config.url),
          body,
          context,
          readAnswer: readDiscordAnswer,
        });
        return {
          detail: describeDigest(digest, 'chars'),
          ...(result.messageId === undefined ? {} : { messageId: result.messageId }),
        };
      },
      check: (context) => checkUrl(id, 'url', config.url, context),
    };
  },
};
