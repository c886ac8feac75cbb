/**
 * WeCom (企业微信) group robot: a webhook `https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…`.
 *
 * - Message: `msgtype: markdown`, `markdown.content` at most 4096 bytes of UTF-8 (40058
 *   "markdown.content exceed max length 4096" otherwise).
 * - Not signed: the key in the URL is the credential (registered as a secret, never shown).
 * - Answer: HTTP 200 with `{errcode, errmsg}`; 0 is success. 45009 (more than 20 messages a
 *   minute) is a rate limit and is retried; anything else is a refusal (93000 invalid key …).
 */
import { z } from 'zod';
import type { Channel, ChannelDefinition } from './channel.js';
import { buildDigest, describeDigest } from './digest.js';
import { readErrcodeAnswer } from './dingtalk.js';
import { postJson } from './post.js';
import { checkUrl, registerChannelSecrets, webhookUrl } from './webhook.js';

export const wecomSchema = z.strictObject({ url: webhookUrl });

export const WECOM_MAX_CONTENT_BYTES = 4096;
const RATE_LIMIT_CODES = new Set([45009]);

export const wecomChannel: ChannelDefinition<typeof wecomSchema> = {
  kind: 'wecom',
  schema: wecomSchema,
  create(config, id): Channel {
    registerChannelSecrets([], [config.url]);
    return {
      kind: 'wecom',
      id,
      async deliver(message, context) {
        const digest = buildDigest(message, 'markdown', { max: WECOM_MAX_CONTENT_BYTES, unit: 'bytes' });
        const body = { msgtype: 'markdown', markdown: { content: digest.text } };
        await postJson({
          channel: id,
          url: config.url,
          body,
          context,
          readAnswer: readErrcodeAnswer(RATE_LIMIT_CODES),
        });
        return { detail: describeDigest(digest, 'bytes') };
      },
      async check(context) {
        const problems = await checkUrl(id, 'url', config.url, context);
        if (!new URL(config.url).searchParams.get('key')) problems.push(`${id}.url: has no "key" parameter`);
        return problems;
      },
    };
  },
};
