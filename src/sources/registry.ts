/** Every connector, by kind: the one place that maps a source's `kind` to its code. */
import { SOURCE_KINDS, type SourceConfig, type SourceKind } from '../core/types.js';
import { arxivConnector } from './arxiv.js';
import { feedConnector } from './feed.js';
import { githubConnector } from './github.js';
import { hackernewsConnector } from './hackernews.js';
import { htmlConnector } from './html.js';
import { huggingfaceConnector } from './huggingface.js';
import { redditConnector } from './reddit.js';
import type { Connector } from './types.js';

// biome-ignore lint/suspicious/noExplicitAny: each connector has its own params type; the registry is keyed by kind and callers validate params with the connector's own schema first.
type AnyConnector = Connector<any>;

/** The connector of each source kind. */
export const CONNECTORS: Record<SourceKind, AnyConnector> = {
  feed: feedConnector,
  arxiv: arxivConnector,
  hackernews: hackernewsConnector,
  github: githubConnector,
  huggingface: huggingfaceConnector,
  reddit: redditConnector,
  html: htmlConnector,
};

/** The connector for `kind`. Throws for a kind that is not registered (the config schema prevents it). */
export function getConnector(kind: SourceKind): AnyConnector {
  const connector = CONNECTORS[kind];
  if (!connector) throw new Error(`no connector for source kind "${String(kind)}" (known: ${SOURCE_KINDS.join(', ')})`);
  return connector;
}

/**
 * Validates each source's params with its connector's schema. Returns problem lines
 * `sources.<id>.params.<field>: message`, empty when every source is fine.
 */
export function validateSourceParams(sources: SourceConfig[]): string[] {
  const problems: string[] = [];
  for (const source of sources) {
    const connector = CONNECTORS[source.kind];
    if (!connector) {
      problems.push(`sources.${source.id}.kind: unknown source kind "${String(source.kind)}"`);
      continue;
    }
    const result = connector.paramsSchema.safeParse(source.params ?? {});
    if (result.success) continue;
    for (const issue of result.error.issues) {
      const field = issue.path.map(String).join('.');
      let message = issue.message;
      if (issue.code === 'unrecognized_keys') message = `unknown param ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
      problems.push(`sources.${source.id}.params${field ? `.${field}` : ''}: ${message}`);
    }
  }
  return problems;
}
