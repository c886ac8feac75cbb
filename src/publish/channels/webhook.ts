/**
 * What the webhook channels share: the URL field of their config, the `check()` that looks at a
 * URL without posting (its shape, and whether the network policy lets the host be reached), and
 * the registration of the credentials a channel holds (a webhook URL's token, a signing secret,
 * a bot token) as secrets, so that no log line or error message can show them.
 */
import { z } from 'zod';
import { registerSecrets } from '../../core/redact.js';
import { effectivePort } from '../../http/network-policy.js';
import type { ChannelContext } from './channel.js';

/** A webhook or API URL: http(s) only (https in real use; http for a loopback test server). */
export const webhookUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

/** A signing secret or token: printable, one line (its value never appears in a message). */
export const secretValue = z
  .string()
  .min(1, 'must not be empty')
  .refine((value) => !/[\u0000-\u001f\u007f]/.test(value), 'must not contain control characters');

/** Parts of a URL that carry credentials: query values and long path segments (hook ids, tokens). */
export function urlCredentials(url: string): string[] {
  try {
    const parsed = new URL(url);
    const values = [...parsed.searchParams.values()];
    const segments = parsed.pathname.split('/').filter((segment) => segment.length >= 16);
    return [...values, ...segments].filter((value) => value.length > 0);
  } catch {
    return [];
  }
}

/** Registers a channel's credentials as secrets (redacted wherever text leaves the process). */
export function registerChannelSecrets(values: (string | undefined)[], urls: string[] = []): void {
  registerSecrets([...values.filter((value): value is string => value !== undefined), ...urls.flatMap(urlCredentials)]);
}

/**
 * Problems with reaching `url` under the network policy, without sending anything: the host is
 * resolved and refused when it is a non-public address not in `http.allowHosts`.
 */
export async function checkUrl(
  id: string,
  field: string,
  url: string,
  context: Pick<ChannelContext, 'checkHost'>,
): Promise<string[]> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return [`${id}.${field}: not a valid URL`];
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return [`${id}.${field}: must be an http(s) URL`];
  const problems: string[] = [];
  if (parsed.username !== '' || parsed.password !== '')
    problems.push(`${id}.${field}: must not hold a user name or password`);
  try {
    await context.checkHost(parsed.hostname.replace(/^\[|\]$/g, ''), effectivePort(parsed));
  } catch (error) {
    problems.push(
      `${id}.${field}: ${parsed.host} cannot be reached: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return problems;
}
