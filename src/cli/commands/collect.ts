import { type CollectSummary, collectSources, failureHint } from '../../app/collect.js';
import { type GlobalOptions, type OpenedContext, openContext, type SourceOptions } from '../../app/context.js';
import { collectedSourceIds } from '../../config/report-config.js';
import { ConfigError, FetchError } from '../../core/errors.js';
import { toStoreError } from '../../store/errors.js';
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
    // With reports:, the sources that some report reads (what `run` collects); else every enabled one.
    const only = options.only ?? collectedSourceIds(context.config.sources, context.config.reports);
    const summary = await collectWithProgress(context, only ? { only } : {});
    const ok = summary.sources.filter((s) => s.status === 'ok' || s.status === 'not-modified');
    if (ok.length === 0 && summary.sources.some((s) => s.status === 'failed')) {
      throw new FetchError(
        'unavailable',
        `every source failed: nothing was collected (${failureHint(summary.sources, !context.replayed)})`,
        {
          url: '',
        },
      );
    }
    return toJson(summary, context.now);
  } catch (error) {
    throw toStoreError(error, context.store.file);
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

/**
 * Collects with a progress bar on a terminal (plain log lines otherwise) and logs the totals and
 * each failure on stderr. Shared by `collect` and `run`.
 */
export async function collectWithProgress(
  context: OpenedContext,
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
    logCollectSummary(context, summary);
    return summary;
  } finally {
    progress.end();
  }
}

/** The totals and each failure of a collect, on stderr. */
export function logCollectSummary(context: OpenedContext, summary: CollectSummary): void {
  const failed = summary.sources.filter((s) => s.status === 'failed');
  context.log.info(
    `collected ${summary.sources.length - failed.length}/${summary.sources.length} sources: ` +
      `${summary.itemsNew} new item(s), ${summary.itemsSeen} already stored, in ${Math.round(summary.elapsedMs)} ms`,
  );
  for (const s of failed) context.log.info(`  ${s.id}: ${s.errorKind} — ${s.error}`);
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
