import { ConfigError, FetchError, type FetchErrorKind } from '../../core/errors.js';
import type { SourceOutcome } from '../../core/run.js';
import { type CollectSummary, collectSources } from '../../pipeline/collect.js';
import { type CommandContext, type GlobalOptions, openContext, type SourceOptions } from '../context.js';
import { createProgress } from '../logger.js';

export interface CollectCommandOptions extends GlobalOptions, SourceOptions {
  /** Only these source ids. */
  only?: string[];
}

/** The `--json` summary: per source its status, error kind, items new / seen. */
export interface CollectJson {
  now: string;
  itemsNew: number;
  itemsSeen: number;
  sources: {
    id: string;
    kind: string;
    status: string;
    errorKind?: string;
    error?: string;
    itemsFound: number;
    itemsNew: number;
    itemsSeen: number;
  }[];
}

/** `ai-daily collect`: fetch every enabled source into the store. */
export async function collectCommand(options: CollectCommandOptions): Promise<CollectJson> {
  const context = await openContext(options);
  try {
    if (options.only) checkOnlyIds(options.only, context.config.sources);
    const summary = await collectWithProgress(context, { only: options.only });
    const ok = summary.sources.filter((s) => s.status === 'ok' || s.status === 'not-modified');
    if (ok.length === 0 && summary.sources.some((s) => s.status === 'failed')) {
      throw new FetchError(
        'unavailable',
        `every source failed: nothing was collected (${failureHint(summary.sources)})`,
        {
          url: '',
        },
      );
    }
    return toJson(summary, context.now);
  } finally {
    await context.close();
  }
}

/** `--only` names sources by id: an id the config does not have is a usage error (exit 2). */
export function checkOnlyIds(only: readonly string[], sources: readonly { id: string }[]): void {
  const known = new Set(sources.map((s) => s.id));
  const unknown = only.filter((id) => !known.has(id));
  if (only.length === 0 || only.every((id) => id === '')) {
    throw new ConfigError('--only: no source id given (see: ai-daily sources list)');
  }
  if (unknown.length > 0) {
    throw new ConfigError(
      `--only: no source with id ${unknown.map((id) => `"${id}"`).join(', ')} (see: ai-daily sources list)`,
    );
  }
}

/** Failures that say the network itself may be down (not a blocked address, a bad feed, ...). */
const NETWORK_KINDS = new Set<FetchErrorKind>(['dns', 'connection', 'timeout', 'tls']);

/**
 * Why every source failed, in a few words: the "is the network reachable?" hint only when every
 * failure is a network one; otherwise the kinds and their counts (e.g. "blocked: 2").
 */
export function failureHint(outcomes: readonly Pick<SourceOutcome, 'status' | 'errorKind'>[]): string {
  const failed = outcomes.filter((s) => s.status === 'failed');
  const why = 'ai-daily sources list shows why each failed';
  if (failed.length > 0 && failed.every((s) => s.errorKind !== undefined && NETWORK_KINDS.has(s.errorKind))) {
    return `is the network reachable? (${why})`;
  }
  const counts = new Map<string, number>();
  for (const s of failed) counts.set(s.errorKind ?? 'unknown', (counts.get(s.errorKind ?? 'unknown') ?? 0) + 1);
  const kinds = [...counts].map(([kind, count]) => `${kind}: ${count}`).join(', ');
  return `${kinds}; ${why}`;
}

/**
 * Collects with a progress bar on a terminal (plain log lines otherwise) and logs the totals and
 * each failure on stderr. Shared by `collect` and `run`.
 */
export async function collectWithProgress(
  context: CommandContext,
  options: { runId?: string; only?: string[] } = {},
): Promise<CollectSummary> {
  const progress = createProgress();
  try {
    const summary = await collectSources({
      config: context.config,
      store: context.store,
      transport: context.transport,
      now: context.now,
      runId: options.runId,
      log: progress.enabled ? { ...context.log, info: () => {} } : context.log,
      only: options.only,
      onSource: (outcome, done, total) => progress.update(done, total, `${outcome.id} ${outcome.status}`),
    });
    progress.end();
    const failed = summary.sources.filter((s) => s.status === 'failed');
    context.log.info(
      `collected ${summary.sources.length - failed.length}/${summary.sources.length} sources: ` +
        `${summary.itemsNew} new item(s), ${summary.itemsSeen} already stored, in ${Math.round(summary.elapsedMs)} ms`,
    );
    for (const s of failed) context.log.info(`  ${s.id}: ${s.errorKind} — ${s.error}`);
    return summary;
  } finally {
    progress.end();
  }
}

export function toJson(summary: CollectSummary, now: Date): CollectJson {
  return {
    now: now.toISOString(),
    itemsNew: summary.itemsNew,
    itemsSeen: summary.itemsSeen,
    sources: summary.sources.map((s) => ({
      id: s.id,
      kind: s.kind,
      status: s.status,
      ...(s.errorKind ? { errorKind: s.errorKind } : {}),
      ...(s.error ? { error: s.error } : {}),
      itemsFound: s.itemsFound,
      itemsNew: s.itemsNew,
      itemsSeen: s.itemsSeen,
    })),
  };
}
