/**
 * `ai-daily schedule`: runs the daily pipeline on a cron expression in its time zone (croner), one
 * scheduler per store at a time (a lock file beside the store, taken over when its holder crashed),
 * catching up the days it missed on start (oldest first, bounded by `schedule.catchUp.days`). The
 * CLI opens the context and hands in the run function; the clock and the timer are injected, so
 * that every rule here is tested without waiting for wall-clock time (docs/decisions/0180).
 */
import { Cron } from 'croner';
import type { Config } from '../config/load.js';
import { ConfigError, errorMessage, RunLockedError } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import type { ReportLanguage } from '../core/report.js';
import { formatOffset, localDate, wallClock, zonedTimeToUtc, zoneOffsetMs } from '../core/time.js';
import { shiftDate } from '../store/store.js';
import { acquireLockFile, type RunLockOptions } from './run-lock.js';

const DAY_MS = 86_400_000;

/** The `schedule` config with its defaults resolved from the rest of the config. */
export interface ScheduleSettings {
  cron: string;
  /** IANA time zone the cron expression is read in. */
  timezone: string;
  /** Missed runs of the last this many days are made on start (0: none). */
  catchUpDays: number;
  /** Languages each run writes, in order. */
  languages: ReportLanguage[];
}

/** The config's `schedule`, defaults filled in; `lang` (a `--lang` flag) replaces the languages. */
export function scheduleSettings(config: Config, lang?: ReportLanguage): ScheduleSettings {
  const schedule = config.schedule;
  if (!schedule) {
    throw new ConfigError('the config has no schedule', [
      'schedule: add e.g. `schedule: { cron: "0 10 * * *", timezone: Asia/Shanghai }` (docs/config.md)',
    ]);
  }
  return {
    cron: schedule.cron,
    timezone: schedule.timezone ?? config.timezone,
    catchUpDays: schedule.catchUp.days,
    languages: lang ? [lang] : (schedule.languages ?? [config.language]),
  };
}

/**
 * The lock file of the scheduler of one SQLite store: `<store file>.schedule.lock`. (A PostgreSQL
 * store has no file: its scheduler's lock is `.ai-daily-schedule.lock` in the output folder.)
 */
export function scheduleLockFile(storeFile: string): string {
  return `${storeFile}.schedule.lock`;
}

/** A paused croner job: only asked for run times, it never fires. */
function pausedJob(cron: string, timezone: string): Cron {
  return new Cron(cron, { timezone, paused: true, mode: '5-part' });
}

/** The next `count` run times strictly after `after`. */
export function nextRunTimes(cron: string, timezone: string, after: Date, count: number): Date[] {
  const job = pausedJob(cron, timezone);
  try {
    return job.nextRuns(count, after);
  } finally {
    job.stop();
  }
}

/** `instant` in `timezone` as ISO 8601 with that zone's offset: 2026-08-23T10:00:00+08:00. */
export function formatInstant(instant: Date, timezone: string): string {
  const p = wallClock(instant.getTime(), timezone);
  const two = (n: number) => String(n).padStart(2, '0');
  return (
    `${String(p.year).padStart(4, '0')}-${two(p.month)}-${two(p.day)}T${two(p.hour)}:${two(p.minute)}:${two(p.second)}` +
    formatOffset(zoneOffsetMs(instant.getTime(), timezone))
  );
}

export interface FireDatesQuery {
  cron: string;
  /** Time zone of the cron expression. */
  timezone: string;
  /** Time zone of the report date (the config's, or a recorded day's). */
  reportTimezone: string;
  /** Exclusive. */
  from: Date;
  /** Inclusive. */
  to: Date;
}

/**
 * The report dates (in `reportTimezone`) of the runs the cron makes in (from, to], oldest first,
 * each once however often the cron fires that day. It looks for at most one run per report day, so
 * a cron that fires every minute costs no more than a daily one.
 */
export function fireDates(query: FireDatesQuery): string[] {
  const job = pausedJob(query.cron, query.timezone);
  const dates: string[] = [];
  try {
    let fire = job.nextRun(query.from);
    while (fire && fire.getTime() <= query.to.getTime()) {
      const date = localDate(fire, query.reportTimezone);
      dates.push(date);
      // The next run on a later report day: search on from the last second of this one.
      const nextDayStart = zonedTimeToUtc(shiftDate(date, 1), 0, 0, query.reportTimezone);
      fire = job.nextRun(new Date(Math.max(fire.getTime(), nextDayStart - 1000)));
    }
  } finally {
    job.stop();
  }
  return dates;
}

export interface MissedDatesQuery {
  cron: string;
  timezone: string;
  reportTimezone: string;
  now: Date;
  /** How far back to look, in days before `now` (0: nothing is caught up). */
  catchUpDays: number;
  /** Report dates (this language) that the store holds. */
  reported: readonly string[];
}

/**
 * The report dates to make on start, oldest first: each day the cron fired in the last
 * `catchUpDays` days (now included), in the report's time zone, that has no report yet — and none
 * before the store's first report (the scheduler does not backfill what was never made here). A
 * store with no report at all gets only the latest of them: a new install makes the current report
 * at once, not a week of old ones.
 */
export function missedDates(query: MissedDatesQuery): string[] {
  if (query.catchUpDays <= 0) return [];
  const due = fireDates({
    cron: query.cron,
    timezone: query.timezone,
    reportTimezone: query.reportTimezone,
    from: new Date(query.now.getTime() - query.catchUpDays * DAY_MS),
    to: query.now,
  });
  const reported = new Set(query.reported);
  if (reported.size === 0) return due.slice(-1);
  const first = [...reported].sort()[0] ?? '';
  return due.filter((date) => date >= first && !reported.has(date));
}

/** Why a run was made. */
export type RunTrigger = 'catch-up' | 'scheduled';

export interface ScheduledRun {
  date: string;
  language: ReportLanguage;
  trigger: RunTrigger;
}

export interface ScheduledRunOutcome extends ScheduledRun {
  status: 'ok' | 'failed';
  /** Why it failed (one line). */
  error?: string;
}

export interface SchedulerSummary {
  /** The runs made, in the order they were made. */
  runs: ScheduledRunOutcome[];
}

/** The timer that fires the runs: croner in production, a hand-driven one in tests. */
export interface ScheduleTimer {
  /** The next time it fires, or null when it never will. */
  nextRun(): Date | null;
  stop(): void;
}

export type ScheduleTimerFactory = (cron: string, timezone: string, onTick: () => Promise<void>) => ScheduleTimer;

/**
 * croner fires `onTick` at each run time; `protect` skips a tick while the previous one is still
 * running (a run longer than the cron's period), which `onSkipped` reports.
 */
export function cronTimer(onSkipped: () => void): ScheduleTimerFactory {
  return (cron, timezone, onTick) => {
    const job = new Cron(cron, { timezone, mode: '5-part', protect: () => onSkipped(), catch: true }, () => onTick());
    return { nextRun: () => job.nextRun(), stop: () => job.stop() };
  };
}

export interface SchedulerOptions {
  settings: ScheduleSettings;
  /** Time zone of report dates (the run context's). */
  reportTimezone: string;
  /** The scheduler's lock file (`scheduleLockFile(store file)`). */
  lockFile: string;
  /** The clock. */
  now: () => Date;
  /** Makes the report of one date and language (the whole run: collect, analyse, publish). */
  runDay: (run: ScheduledRun) => Promise<unknown>;
  /** Report dates the store holds for a language. */
  reportedDates: (language: ReportLanguage) => Promise<string[]>;
  log: Logger;
  /** Stops the scheduler (SIGINT/SIGTERM): no new run starts, the one in progress is awaited (bounded). */
  signal?: AbortSignal;
  /** Make the missed runs, then return, without waiting for the cron. */
  catchUpOnly?: boolean;
  /** How long a stop waits for the run in progress (default 120 s); it resumes at the next start if cut short. */
  shutdownGraceMs?: number;
  /** Default: croner (`cronTimer`). */
  timer?: ScheduleTimerFactory;
  /** For tests: how the lock judges its holder alive. */
  lockOptions?: RunLockOptions;
}

/**
 * Runs the scheduler until `signal` aborts (or, with `catchUpOnly`, until the missed runs are made).
 * A second scheduler on the same store is refused (RunLockedError, exit code 4). A failing run is
 * logged with its reason and counted; the next one runs as usual.
 */
export async function runScheduler(options: SchedulerOptions): Promise<SchedulerSummary> {
  const { settings, log, signal } = options;
  const lock = await acquireLockFile(
    options.lockFile,
    options.lockOptions ?? {},
    (who) =>
      new RunLockedError(
        `another ai-daily schedule is running on this store (${who}); stop it first. ` +
          `If no such process is alive, remove ${options.lockFile}`,
      ),
  );
  const runs: ScheduledRunOutcome[] = [];
  /** The runs in progress or waiting, one after another. */
  let queue: Promise<void> = Promise.resolve();
  const stopped = signal ? abortPromise(signal) : new Promise<void>(() => {});

  const runOne = async (run: ScheduledRun) => {
    if (signal?.aborted) return;
    log.info(`${run.trigger} run of ${run.date} (${run.language})`);
    try {
      await options.runDay(run);
      runs.push({ ...run, status: 'ok' });
    } catch (error) {
      const reason = errorMessage(error).split('\n')[0] ?? '';
      runs.push({ ...run, status: 'failed', error: reason });
      log.error(`${run.trigger} run of ${run.date} (${run.language}) failed: ${reason}`);
    }
  };
  const enqueue = (work: () => Promise<void>): Promise<void> => {
    queue = queue.then(work);
    return queue;
  };

  let timer: ScheduleTimer | undefined;
  const logNext = () => {
    const next = timer?.nextRun();
    if (next) log.info(`next run at ${formatInstant(next, settings.timezone)} (${settings.timezone})`);
    else log.warn(`the schedule "${settings.cron}" fires no more runs`);
  };

  try {
    const catchUp = await catchUpRuns(options);
    if (catchUp.length === 0) {
      log.info(
        settings.catchUpDays === 0
          ? 'catch-up is off (schedule.catchUp.days: 0)'
          : `catch-up: no missed run in the last ${settings.catchUpDays} day(s)`,
      );
    } else {
      log.info(`catch-up: ${catchUp.map((r) => `${r.date} (${r.language})`).join(', ')}`);
    }
    const catchingUp = enqueue(async () => {
      for (const run of catchUp) await runOne(run);
    });

    if (!options.catchUpOnly) {
      const timerFactory =
        options.timer ?? cronTimer(() => log.warn('a run time passed while a run was in progress; skipped'));
      timer = timerFactory(settings.cron, settings.timezone, () =>
        enqueue(async () => {
          if (signal?.aborted) return;
          const date = localDate(options.now(), options.reportTimezone);
          for (const language of settings.languages) await runOne({ date, language, trigger: 'scheduled' });
          logNext();
        }),
      );
      logNext();
      // The catch-up may take a while: say again when the next run is once it is done.
      if (catchUp.length > 0) void catchingUp.then(() => (signal?.aborted ? undefined : logNext()));
    }

    await Promise.race([options.catchUpOnly ? catchingUp : stopped, stopped]);
    if (options.catchUpOnly && !signal?.aborted) return { runs };

    timer?.stop();
    log.info('stopping: no new run starts');
    const grace = options.shutdownGraceMs ?? 120_000;
    let graceTimer: NodeJS.Timeout | undefined;
    const finished = await Promise.race([
      queue.then(() => true),
      new Promise<false>((resolve) => {
        graceTimer = setTimeout(() => resolve(false), grace);
      }),
    ]);
    clearTimeout(graceTimer);
    if (!finished) {
      log.warn(`a run was still in progress after ${Math.round(grace / 1000)} s; it resumes at the next start`);
    }
    return { runs };
  } finally {
    timer?.stop();
    lock.release();
  }
}

/** The missed runs of every language, oldest date first (languages in their configured order). */
async function catchUpRuns(options: SchedulerOptions): Promise<ScheduledRun[]> {
  const { settings } = options;
  const now = options.now();
  const runs: ScheduledRun[] = [];
  for (const language of settings.languages) {
    const dates = missedDates({
      cron: settings.cron,
      timezone: settings.timezone,
      reportTimezone: options.reportTimezone,
      now,
      catchUpDays: settings.catchUpDays,
      reported: await options.reportedDates(language),
    });
    for (const date of dates) runs.push({ date, language, trigger: 'catch-up' });
  }
  const order = (language: ReportLanguage) => settings.languages.indexOf(language);
  return runs.sort((a, b) => a.date.localeCompare(b.date) || order(a.language) - order(b.language));
}

function abortPromise(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}
