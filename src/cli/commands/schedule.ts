import path from 'node:path';
import type { RequestedMode } from '../../analyze/analyzer.js';
import { type GlobalOptions, loadCheckedConfig, openContext } from '../../app/context.js';
import { analyzerFor } from '../../app/daily-run.js';
import { runReports } from '../../app/reports-run.js';
import { runScheduler, type SchedulerSummary, scheduleLockFile, scheduleSettings } from '../../app/schedule.js';
import { ConfigError } from '../../core/errors.js';
import { DEFAULT_REPORT_ID, type ReportLanguage } from '../../core/report.js';
import { shutdownSignal } from '../shutdown.js';
import { collectWithProgress } from './collect.js';

export type { SchedulerSummary };

export interface ScheduleCommandOptions extends GlobalOptions {
  /** Make the missed runs (catch-up) and exit, without waiting for the cron. */
  catchUpOnly?: boolean;
  /** --replay FILE (with --catch-up-only): every run answers from a recorded day, whose `now` is the clock. */
  replay?: string;
  /** Output folder; default: the config's output.dir. */
  out?: string;
  /** Only this language (default: schedule.languages, else the config's language). */
  lang?: ReportLanguage;
  mode?: RequestedMode;
  /** How long a run waits for a manual run of the same day to finish (default 10 minutes). */
  waitMs?: number;
  /** Stops the scheduler; default: SIGINT or SIGTERM. */
  signal?: AbortSignal;
  /** Fixed clock (tests). */
  now?: Date;
}

/**
 * `ai-daily schedule`: runs the pipeline on `schedule.cron` until SIGINT/SIGTERM, catching up missed
 * days on start; with `--catch-up-only`, makes the missed days and returns.
 */
export async function scheduleCommand(options: ScheduleCommandOptions): Promise<SchedulerSummary> {
  const config = loadCheckedConfig(options);
  const settings = scheduleSettings(config, options.lang);
  if (options.replay && !options.catchUpOnly) {
    throw new ConfigError('--replay needs --catch-up-only (a recorded day has one clock; the cron needs a real one)');
  }
  analyzerFor(config, options.mode);
  const several = !(config.reports.length === 1 && config.reports[0]?.id === DEFAULT_REPORT_ID);
  if (several && options.lang !== undefined) {
    throw new ConfigError('--lang: with reports: in the config, each report is written in its own language');
  }
  const context = await openContext({ ...options, record: undefined });
  const fixedClock = options.replay ? context.now : options.now;
  const clock = () => fixedClock ?? new Date();
  const stop = options.signal ? undefined : shutdownSignal();
  try {
    return await runScheduler({
      settings,
      reportTimezone: context.timezone,
      lockFile:
        context.store.driver === 'sqlite'
          ? scheduleLockFile(context.store.file)
          : path.join(path.resolve(context.cwd, options.out ?? config.output.dir), '.ai-daily-schedule.lock'),
      now: clock,
      log: options.log,
      catchUpOnly: options.catchUpOnly,
      signal: options.signal ?? stop?.signal,
      // A config with reports: has one language pass (schedule.languages is refused beside
      // reports:); its date is made when every report has it, each in its own language.
      reportedDates: async (language) => {
        const saved = await context.store.listReports();
        const datesOf = (report: string, lang: ReportLanguage) =>
          new Set(saved.filter((r) => r.report === report && r.language === lang).map((r) => r.date));
        if (!several) return [...datesOf(DEFAULT_REPORT_ID, language)];
        const perReport = config.reports.map((report) => datesOf(report.id, report.language));
        return [...(perReport[0] ?? [])].filter((date) => perReport.every((dates) => dates.has(date)));
      },
      runDay: async (run) => {
        // Each run has its own clock: the context was opened when the scheduler started.
        const runContext = { ...context, now: clock() };
        await runReports(runContext, {
          date: run.date,
          out: options.out,
          // Each report of a config with reports: is written in its own language.
          ...(several ? {} : { lang: run.language }),
          mode: options.mode,
          waitMs: options.waitMs ?? 10 * 60_000,
          collect: (runId, only) => collectWithProgress(runContext, { runId, ...(only ? { only } : {}) }),
        });
      },
    });
  } finally {
    stop?.dispose();
    await context.close();
  }
}
