/**
 * DingTalk custom robot: a webhook `https://oapi.dingtalk.com/robot/send?access_token=…`.
 *
 * - Message: `msgtype: markdown` with a `title` (the notification preview) and `text` (Markdown).
 * - Signed when the robot has a secret ("加签"): `&timestamp=<ms>&sign=<urlencode(base64(
 *   HMAC-SHA256(key = secret, message = "<timestamp>\n<secret>")))>` added to the URL; DingTalk
 *   refuses a timestamp more than an hour off (310000 "sign not match").
 * - Size: a message is at most 20,000 bytes (460101 "message too long"); the text is fitted under
 *   18,000 bytes, leaving room for the rest of the JSON.
 * - Answer: HTTP 200 with `{errcode, errmsg}`; 0 is success. 130101 ("send too fast": more than
 *   20 messages a minute, limited for 10 minutes) and 410100 are rate limits; anything else is a
 *   refusal (310000 signature or keyword, 300001 token, 400101 …).
 */
import { createHmac } from 'node:crypto';
import { z } from 'zod';
import type { Channel, ChannelDefinition } from './channel.js';
import { buildDigest, describeDigest } from './digest.js';
import { parseJson, postJson, type Verdict } from './post.js';
import { checkUrl, registerChannelSecrets, secretValue, webhookUrl } from './webhook.js';

export const dingtalkSchema = z.strictObject({
  url: webhookUrl,
  /** The robot's signing secret (starts with "SEC"); without it the request is not signed. */
  secret: secretValue.optional(),
});

export const DINGTALK_MAX_TEXT_BYTES = 18_000;
const RATE_LIMIT_CODES = new Set([130101, 410100]);

/** The `sign` query value (already URL-encoded) of a DingTalk request. */
export function dingtalkSign(timestampMs: number, secret: string): string {
  return encodeURIComponent(createHmac('sha256', secret).update(`${timestampMs}\n${secret}`).digest('base64'));
}

/** The webhook URL with `timestamp` and `sign` added. */
export function signedDingtalkUrl(url: string, secret: string, timestampMs: number): string {
  const separator = url.includes('?') ? '&' : '?';
  return `${url}${separator}timestamp=${timestampMs}&sign=${dingtalkSign(timestampMs, secret)}`;
}

/** Reads a `{errcode, errmsg}` answer (DingTalk, WeCom). */
export function readErrcodeAnswer(rateLimitCodes: ReadonlySet<number>) {
  return (answer: { body: string }): Verdict => {
    const json = parseJson(answer.body) as { errcode?: unknown; errmsg?: unknown } | undefined;
    if (json?.errcode === 0) return { ok: true };
    const reason = `errcode ${String(json?.errcode)}${typeof json?.errmsg === 'string' ? ` ${json.errmsg}` : ''}`;
    if (typeof json?.errcode === 'number' && rateLimitCodes.has(json.errcode)) {
      return { ok: false, kind: 'rate-limited', reason };
    }
    return { ok: false, kind: 'rejected', reason: json === undefined ? 'an answer that is not JSON' : reason };
  };
}

export const dingtalkChannel: ChannelDefinition<typeof dingtalkSchema> = {
  kind: 'dingtalk',
  schema: dingtalkSchema,
  create(config, id): Channel {
    registerChannelSecrets([config.secret], [config.url]);
    return {
      kind: 'dingtalk',
      id,
      async deliver(message, context) {
        const digest = buildDigest(message, 'markdown', { max: DINGTALK_MAX_TEXT_BYTES, unit: 'bytes' });
        const title = message.report.title.replace(/[\r\n]+/g, ' ');
        const body = { msgtype: 'markdown', markdown: { title, text: digest.text } };
        const url = config.secret === undefined ? config.url : signedDingtalkUrl(config.url, config.secret, Date.now());
        const result = await postJson({
          channel: id,
          url,
          body,
          context,
          readAnswer: readErrcodeAnswer(RATE_LIMIT_CODES),
        });
        return {
          detail: describeDigest(digest, 'bytes'),
          ...(result.messageId === undefined ? {} : { messageId: result.messageId }),
        };
      },
      async check(context) {
        const problems = await checkUrl(id, 'url', config.url, context);
        if (config.secret === undefined) {
          problems.push(`${id}.secret: not set: the robot's messages are not signed (set the robot's "加签" secret)`);
        }
        return problems;
      },
    };
  },
};
