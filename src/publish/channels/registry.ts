/**
 * Every delivery channel, by kind: the one place that maps a `publish.channels` entry's `kind` to
 * its code. `validateChannels` checks every entry at once (problem lines `publish.channels[N].field:
 * message`, as the config loader reports them, exit code 2); `createChannels` builds the channels.
 */
import { ConfigError } from '../../core/errors.js';
import type { Channel, ChannelDefinition } from './channel.js';
import { dingtalkChannel } from './dingtalk.js';
import { discordChannel } from './discord.js';
import { emailChannel } from './email.js';
import { feishuChannel } from './feishu.js';
import { slackChannel } from './slack.js';
import { telegramChannel } from './telegram.js';
import { wecomChannel } from './wecom.js';

// biome-ignore lint/suspicious/noExplicitAny: each definition has its own config schema; entries are validated with that schema before `create` sees them.
type AnyChannelDefinition = ChannelDefinition<any>;

/** The definition of each channel kind. */
export const CHANNELS: Record<string, AnyChannelDefinition> = {
  feishu: feishuChannel,
  dingtalk: dingtalkChannel,
  wecom: wecomChannel,
  slack: slackChannel,
  discord: discordChannel,
  telegram: telegramChannel,
  email: emailChannel,
};

const ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;

interface CheckedEntry {
  definition: AnyChannelDefinition;
  id: string;
  config: unknown;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Checks every entry; returns the problems and the entries that passed. */
function checkEntries(
  raw: readonly unknown[],
  at = 'publish.channels',
): { problems: string[]; entries: CheckedEntry[] } {
  const problems: string[] = [];
  const entries: CheckedEntry[] = [];
  const kinds = Object.keys(CHANNELS).join(', ');
  const ids = new Map<string, number>();
  const kindCounts = new Map<string, number>();
  raw.forEach((entry, index) => {
    const path = `${at}[${index}]`;
    if (!isRecord(entry)) {
      problems.push(`${path}: must be an object with a "kind" (${kinds})`);
      return;
    }
    const { kind, id, ...rest } = entry;
    if (typeof kind !== 'string' || !Object.hasOwn(CHANNELS, kind)) {
      problems.push(
        `${path}.kind: ${kind === undefined ? 'missing' : `unknown channel kind ${JSON.stringify(String(kind)).slice(0, 40)}`} (known: ${kinds})`,
      );
      return;
    }
    const definition = CHANNELS[kind] as AnyChannelDefinition;
    let channelId: string;
    if (id === undefined) {
      const count = (kindCounts.get(kind) ?? 0) + 1;
      kindCounts.set(kind, count);
      channelId = count === 1 ? kind : `${kind}-${count}`;
    } else if (typeof id !== 'string' || !ID_PATTERN.test(id)) {
      problems.push(`${path}.id: must be kebab-case: lower-case letters, digits and "-" (at most 63)`);
      return;
    } else {
      channelId = id;
    }
    const result = definition.schema.safeParse(rest);
    if (!result.success) {
      for (const issue of result.error.issues) {
        const field = issue.path.map(String).join('.');
        let message = issue.message;
        if (issue.code === 'unrecognized_keys') {
          message = `unknown field ${issue.keys.map((key: string) => `"${key}"`).join(', ')} for kind "${kind}"`;
        }
        problems.push(`${path}${field ? `.${field}` : ''}: ${message}`);
      }
      return;
    }
    const previous = ids.get(channelId);
    if (previous !== undefined) {
      problems.push(`${path}.id: "${channelId}" is also the id of ${at}[${previous}]; give one of them another "id"`);
      return;
    }
    ids.set(channelId, index);
    entries.push({ definition, id: channelId, config: result.data });
  });
  return { problems, entries };
}

/** Problem lines for `publish.channels` (or the list at `at`), every entry checked; empty when all are fine. */
export function validateChannels(raw: readonly unknown[], at = 'publish.channels'): string[] {
  return checkEntries(raw, at).problems;
}

/** The configured channels. Throws a ConfigError listing every problem when an entry is invalid. */
export function createChannels(raw: readonly unknown[]): Channel[] {
  const { problems, entries } = checkEntries(raw);
  if (problems.length > 0) throw new ConfigError('invalid publish.channels', problems);
  return entries.map((entry) => entry.definition.create(entry.config, entry.id));
}
