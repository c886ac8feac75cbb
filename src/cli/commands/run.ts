import type { RequestedMode } from '../../analyze/analyzer.js';
import { type GlobalOptions, loadCheckedConfig, openContext, type SourceOptions } from '../../app/context.js';
import { analyzerFor, checkDateOption, type ReportOptions, type RunSummary, runDaily } from '../../app/daily-run.js';
import { enqueueAndWait, queueUrl } from '../../app/workers.js';
import { ConfigError } from '../../core/errors.js';
import { toStoreError } from '../../store/errors.js';
import { collectWithProgress, logCollectSummary } from './collect.js';

/** `run --distributed`: the workers collect; the totals and failures are logged as `collect` logs them. */
async function collectDistributed(
  context: Awaited<ReturnType<typeof openContext>>,
  options: { runId: string; deadlineMs?: number },
) {
  // A line every 10 s while the workers collect (none running shows as no progress).
  let lastLine = performance.now();
  const summary = await enqueueAndWait(context, {
    ...options,
    onProgress: (done, total) => {
      if (performance.now() - lastLine < 10_000 || done === total) return;
      lastLine = performance.now();
      context.log.info(`waiting for the workers: ${done}/${total} source(s) done (ai-daily worker collects them)`);
    },
  });
  logCollectSummary(context, summary);
  return summary;
}

export type { ReportOptions, RequestedMode, RunSummary };

export interface RunCommandOptions extends GlobalOptions, SourceOptions, ReportOptions {
  /** How long to wait for another run of the same day, language and output folder (default 0). */
  waitMs?: number;
  /** --distributed: the workers collect (src/app/workers.ts); the report stages run here. */
  distributed?: boolean;
  /** --deadline: how long the run waits for the workers (ms); what is pending then fails with kind `deadline`. */
  deadlineMs?: number;
}

/** `ai-daily run`: collect, then write the report — each stage checkpointed so a crash resumes. */
export async function runCommand(options: RunCommandOptions): Promise<RunSummary> {
  checkDateOption(options.date);
  const config = loadCheckedConfig(options);
  analyzerFor(config, options.mode);
  if (options.deadlineMs !== undefined && !options.distributed)
    throw new ConfigError('--deadline goes with --distributed');
  if (options.distributed) {
    if (options.record) throw new ConfigError('--record cannot be used with --distributed (the workers fetch)');
    queueUrl(config, 'run --distributed');
  }
  const context = await openContext(options);
  try {
    return await runDaily(context, {
      date: options.date,
      out: options.out,
      lang: options.lang,
      mode: options.mode,
      waitMs: options.waitMs,
      collect: options.distributed
        ? (runId) => collectDistributed(context, { runId, deadlineMs: options.deadlineMs })
        : (runId) => collectWithProgress(context, { runId }),
    });
  } catch (error) {
    throw toStoreError(error, context.store.file);
  } finally {
    await context.close();
  }
}

/** `ai-daily report`: write the report again from what the store holds (nothing is fetched). */
export async function reportCommand(
  options: GlobalOptions & ReportOptions & { now?: Date; waitMs?: number },
): Promise<RunSummary> {
  checkDateOption(options.date);
  analyzerFor(loadCheckedConfig(options), options.mode);
  const context = await openContext({ ...options, replay: undefined, record: undefined });
  try {
    return await runDaily(context, {
      date: options.date,
      out: options.out,
      lang: options.lang,
      mode: options.mode,
      waitMs: options.waitMs,
    });
  } catch (error) {
    throw toStoreError(error, context.store.file);
  } finally {
    await context.close();
  }
}
