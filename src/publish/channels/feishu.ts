/**
 * Feishu (Lark) custom bot: a webhook `https://open.feishu.cn/open-apis/bot/v2/hook/<id>`.
 *
 * - Message: a rich-text `post` (title + paragraphs of `text` and `a` elements). Its elements are
 *   data, not markup: a title cannot add a link or a format whatever it holds.
 * - Signed when the bot has a secret: `timestamp` (seconds) and
 *   `sign = base64(HMAC-SHA256(key = "<timestamp>\n<secret>", message = ""))` in the JSON body;
 *   Feishu refuses a timestamp more than an hour off (code 19021).
 * - Size: the request body may be at most 20 KB; the whole JSON body is fitted under 19,000 bytes.
 * - Answer: HTTP 200 with `{code, msg}`; `code` 0 is success (older answers: `StatusCode` 0).
 *   Code 11232 ("frequency limited") and 9499 are rate limits and are retried; any other code is
 *   a refusal (19021 signature, 19024 keyword, 19001 bad params …).
 */
import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { STRINGS } from '../../render/i18n.js';
import type { Channel, ChannelDefinition } from './channel.js';
import { closingWords, type DigestParts, describeDigest, digestParts, measure } from './digest.js';
import { parseJson, postJson, type Verdict } from './post.js';
import { checkUrl, registerChannelSecrets, secretValue, webhookUrl } from './webhook.js';

export const feishuSchema = z.strictObject({
  url: webhookUrl,
  /** The bot's signing secret ("签名校验"); without it the request is not signed. */
  secret: secretValue.optional(),
});

/** Bytes of the JSON body (Feishu's limit is 20 KB; some room is kept). */
export const FEISHU_MAX_BODY_BYTES = 19_000;
const RATE_LIMIT_CODES = new Set([11232, 9499]);

/** The signature of a Feishu webhook request. */
export function feishuSign(timestampSeconds: number, secret: string): string {
  return createHmac('sha256', `${timestampSeconds}\n${secret}`).update('').digest('base64');
}

type PostElement = { tag: 'text'; text: string } | { tag: 'a'; text: string; href: string };

/** The `post` content for the first `shown` stories. */
function postContent(parts: DigestParts, shown: number): { title: string; content: PostElement[][] } {
  const content: PostElement[][] = [[{ tag: 'text', text: parts.topStoriesLabel }]];
  parts.stories.slice(0, shown).forEach((story, index) => {
    const separator = story.continuesTitle ? '' : STRINGS[parts.language].colon;
    const line = story.line === '' ? '' : `${separator}${story.line}`;
    // The title links to the story's best source, as on the page.
    const paragraph: PostElement[] = story.url
      ? [
          { tag: 'text', text: `${index + 1}. ` },
          { tag: 'a', text: story.title, href: story.url },
          ...(line === '' ? [] : [{ tag: 'text' as const, text: line }]),
        ]
      : [{ tag: 'text', text: `${index + 1}. ${story.title}${line}` }];
    content.push(paragraph);
  });
  const closing = closingWords(parts, parts.stories.length - shown);
  if (closing.url !== undefined) content.push([{ tag: 'a', text: closing.label, href: closing.url }]);
  else if (closing.label !== '') content.push([{ tag: 'text', text: closing.label }]);
  return { title: parts.heading, content };
}

function readFeishuAnswer(answer: { body: string }): Verdict {
  const json = parseJson(answer.body) as { code?: unknown; StatusCode?: unknown; msg?: unknown } | undefined;
  const code = json?.code ?? json?.StatusCode;
  if (code === 0) return { ok: true };
  const reason = `code ${String(code)}${typeof json?.msg === 'string' ? ` ${json.msg}` : ''}`;
  if (typeof code === 'number' && RATE_LIMIT_CODES.has(code)) return { ok: false, kind: 'rate-limited', reason };
  return { ok: false, kind: 'rejected', reason: json === undefined ? 'an answer that is not JSON' : reason };
}

export const feishuChannel: ChannelDefinition<typeof feishuSchema> = {
  kind: 'feishu',
  schema: feishuSchema,
  create(config, id): Channel {
    registerChannelSecrets([config.secret], [config.url]);
    return {
      kind: 'feishu',
      id,
      async deliver(message, context) {
        const parts = digestParts(message);
        const language = message.report.language === 'zh' ? 'zh_cn' : 'en_us';
        const bodyFor = (shown: number) => ({
          msg_type: 'post',
          content: { post: { [language]: postContent(parts, shown) } },
        });
        let shown = parts.stories.length;
        while (shown > 0 && measure(JSON.stringify(bodyFor(shown)), 'bytes') > FEISHU_MAX_BODY_BYTES) shown--;
        const body: Record<string, unknown> = bodyFor(shown);
        if (config.secret !== undefined) {
          const timestamp = Math.floor(Date.now() / 1000);
          body.timestamp = String(timestamp);
          body.sign = feishuSign(timestamp, config.secret);
        }
        const size = measure(JSON.stringify(body), 'bytes');
        const result = await postJson({ channel: id, url: config.url, body, context, readAnswer: readFeishuAnswer });
        return {
          detail: describeDigest(
            { shown, total: parts.stories.length, size, pageLinked: parts.pageUrl !== undefined },
            'bytes',
          ),
          ...(result.messageId === undefined ? {} : { messageId: result.messageId }),
        };
      },
      async check(context) {
        const problems = await checkUrl(id, 'url', config.url, context);
        if (config.secret === undefined) {
          problems.push(`${id}.secret: not set: the bot's messages are not signed (set the bot's signing secret)`);
        }
        return problems;
      },
    };
  },
};
