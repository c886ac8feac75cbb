import type { RequestedMode } from '../../analyze/analyzer.js';
import { type GlobalOptions, loadCheckedConfig, openContext, type SourceOptions } from '../../app/context.js';
import { analyzerFor, checkDateOption, type ReportOptions, type RunSummary, runDaily } from '../../app/daily-run.js';
import { toStoreError } from '../../store/errors.js';
import { collectWithProgress } from './collect.js';

export type { ReportOptions, RequestedMode, RunSummary };

export interface RunCommandOptions extends GlobalOptions, SourceOptions, ReportOptions {
  /** How long to wait for another run of the same day, language and output folder (default 0). */
  waitMs?: number;
}

/** `ai-daily run`: collect, then write the report — each stage checkpointed so a crash resumes. */
export async function runCommand(options: RunCommandOptions): Promise<RunSummary> {
  checkDateOption(options.date);
  analyzerFor(loadCheckedConfig(options), options.mode);
  const context = await openContext(options);
  try {
    return await runDaily(context, {
      date: options.date,
      out: options.out,
      lang: options.lang,
      mode: options.mode,
      waitMs: options.waitMs,
      collect: (runId) => collectWithProgress(context, { runId }),
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
