import type { RequestedMode } from '../../analyze/analyzer.js';
import { type GlobalOptions, loadCheckedConfig, openContext, type SourceOptions } from '../../app/context.js';
import { analyzerFor, checkDateOption, type ReportOptions, type RunSummary } from '../../app/daily-run.js';
import { reportsToRun, runReports } from '../../app/reports-run.js';
import { enqueueAndWait, queueUrl } from '../../app/workers.js';
import { findReport } from '../../config/report-config.js';
import { ConfigError } from '../../core/errors.js';
import { toStoreError } from '../../store/errors.js';
import { collectWithProgress, logCollectSummary } from './collect.js';

/** `run --distributed`: the workers collect; the totals and failures are logged as `collect` logs them. */
async function collectDistributed(
  context: Awaited<ReturnType<typeof openContext>>,
  options: { runId: string; deadlineMs?: number; only?: string[] },
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

/**
 * `ai-daily run`: collect, then write the report — each stage checkpointed so a crash resumes. A
 * config with `reports:` writes each of them (or the one `--report` names) from one collection:
 * `runReportsCommand` returns a summary per report; this returns the one report's summary.
 */
export async function runCommand(options: RunCommandOptions): Promise<RunSummary> {
  const report = findReport(loadCheckedConfig(options), options.report).id;
  return onlyOne(await runReportsCommand({ ...options, report }));
}

/** `ai-daily run` for every report of the config (or the one `--report` names): a summary per report. */
export async function runReportsCommand(options: RunCommandOptions): Promise<RunSummary[]> {
  checkDateOption(options.date);
  const config = loadCheckedConfig(options);
  analyzerFor(config, options.mode);
  reportsToRun({ config }, options.report);
  if (options.deadlineMs !== undefined && !options.distributed)
    throw new ConfigError('--deadline goes with --distributed');
  if (options.distributed) {
    if (options.record) throw new ConfigError('--record cannot be used with --distributed (the workers fetch)');
    queueUrl(config, 'run --distributed');
  }
  const context = await openContext(options);
  try {
    return await runReports(context, {
      report: options.report,
      date: options.date,
      out: options.out,
      lang: options.lang,
      mode: options.mode,
      waitMs: options.waitMs,
      collect: options.distributed
        ? (runId, only) =>
            collectDistributed(context, { runId, deadlineMs: options.deadlineMs, ...(only ? { only } : {}) })
        : (runId, only) => collectWithProgress(context, { runId, ...(only ? { only } : {}) }),
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
  const report = findReport(loadCheckedConfig(options), options.report).id;
  return onlyOne(await reportsCommand({ ...options, report }));
}

/** `ai-daily report` for every report of the config (or the one `--report` names). */
export async function reportsCommand(
  options: GlobalOptions & ReportOptions & { now?: Date; waitMs?: number },
): Promise<RunSummary[]> {
  checkDateOption(options.date);
  const config = loadCheckedConfig(options);
  analyzerFor(config, options.mode);
  reportsToRun({ config }, options.report);
  const context = await openContext({ ...options, replay: undefined, record: undefined });
  try {
    return await runReports(context, {
      report: options.report,
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

/** The summary of a command that made one report. */
function onlyOne(summaries: RunSummary[]): RunSummary {
  const [only] = summaries;
  if (summaries.length !== 1 || only === undefined) {
    throw new ConfigError(
      `the config defines ${summaries.length} reports (${summaries.map((s) => s.report).join(', ')}): name one with --report`,
    );
  }
  return only;
}
