/**
 * Slack incoming webhook: `https://hooks.slack.com/services/T…/B…/…`.
 *
 * - Message: `text` (the notification and fallback: title and page link, plain) and one `section`
 *   block whose `mrkdwn` text is the digest. A section's text is at most 3,000 characters; the
 *   digest is fitted to that. Link unfurling is off.
 * - Not signed: the URL is the credential.
 * - Answer: HTTP 200 with the body `ok`; errors are HTTP 400/403/404/410 with a short code
 *   (`invalid_payload`, `no_service`, `channel_is_archived` …): refusals. 429 carries Retry-After.
 */
import { z } from 'zod';
import type { Channel, ChannelDefinition } from './channel.js';
import { buildDigest, closingWords, describeDigest, digestParts } from './digest.js';
import { postJson, type Verdict } from './post.js';
import { checkUrl, registerChannelSecrets, webhookUrl } from './webhook.js';

export const slackSchema = z.strictObject({ url: webhookUrl });

export const SLACK_MAX_SECTION_CHARS = 3000;

function readSlackAnswer(answer: { body: string }): Verdict {
  if (answer.body.trim() === 'ok') return { ok: true };
  return { ok: false, kind: 'rejected', reason: answer.body || 'an empty answer' };
}

export const slackChannel: ChannelDefinition<typeof slackSchema> = {
  kind: 'slack',
  schema: slackSchema,
  create(config, id): Channel {
    registerChannelSecrets([], [config.url]);
    return {
      kind: 'slack',
      id,
      async deliver(message, context) {
        const digest = buildDigest(message, 'slack', { max: SLACK_MAX_SECTION_CHARS, unit: 'chars' });
        const parts = digestParts(message);
        const closing = closingWords(parts, 0);
        // The fallback `text` is read as mrkdwn too: only the page URL (a report URL) is linked.
        const heading = parts.heading.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
        const text = closing.url === undefined ? heading : `${heading}: <${closing.url.replace(/&/g, '&amp;')}>`;
        const body = {
          text,
          blocks: [{ type: 'section', text: { type: 'mrkdwn', text: digest.text } }],
          unfurl_links: false,
          unfurl_media: false,
        };
        await postJson({ channel: id, url: config.url, body, context, readAnswer: readSlackAnswer });
        return { detail: describeDigest(digest, 'chars') };
      },
      check: (context) => checkUrl(id, 'url', config.url, context),
    };
  },
};
