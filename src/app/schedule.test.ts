import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { resolveConfig } from '../config/load.js';
import { ConfigError, RunLockedError } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import type { ReportLanguage } from '../core/report.js';
import {
  fireDates,
  formatInstant,
  missedDates,
  nextRunTimes,
  runScheduler,
  type ScheduledRun,
  type ScheduleSettings,
  type ScheduleTimerFactory,
  scheduleLockFile,
  scheduleSettings,
} from './schedule.js';

const iso = (dates: Date[]) => dates.map((d) => d.toISOString());

describe('schedule: run times in the cron time zone', () => {
  it('a daily cron in Asia/Shanghai runs at 10:00 local, logged with its offset', () => {
    const next = nextRunTimes('0 10 * * *', 'Asia/Shanghai', new Date('2026-08-22T02:00:00Z'), 2);
    assert.deepEqual(iso(next), ['2026-08-23T02:00:00.000Z', '2026-08-24T02:00:00.000Z']);
    assert.equal(formatInstant(next[0] as Date, 'Asia/Shanghai'), '2026-08-23T10:00:00+08:00');
    assert.equal(formatInstant(next[0] as Date, 'America/New_York'), '2026-08-22T22:00:00-04:00');
  });

  it('Europe/Berlin, spring forward (2026-03-29): 02:30 does not exist that day, the run still happens once', () => {
    const next = nextRunTimes('30 2 * * *', 'Europe/Berlin', new Date('2026-03-27T12:00:00Z'), 3);
    // 28th: CET (+01:00); 29th: the gap 02:00–03:00, run right after it; 30th: CEST (+02:00).
    assert.deepEqual(iso(next), ['2026-03-28T01:30:00.000Z', '2026-03-29T01:00:00.000Z', '2026-03-30T00:30:00.000Z']);
    assert.equal(formatInstant(next[2] as Date, 'Europe/Berlin'), '2026-03-30T02:30:00+02:00');
    const dates = fireDates({
      cron: '30 2 * * *',
      timezone: 'Europe/Berlin',
      reportTimezone: 'Europe/Berlin',
      from: new Date('2026-03-27T12:00:00Z'),
      to: new Date('2026-03-30T12:00:00Z'),
    });
    assert.deepEqual(dates, ['2026-03-28', '2026-03-29', '2026-03-30']);
  });

  it('America/New_York, fall back (2026-11-01): 01:30 happens twice, the run happens once', () => {
    const next = nextRunTimes('30 1 * * *', 'America/New_York', new Date('2026-10-31T12:00:00Z'), 3);
    assert.deepEqual(iso(next), ['2026-11-01T05:30:00.000Z', '2026-11-02T06:30:00.000Z', '2026-11-03T06:30:00.000Z']);
    assert.equal(formatInstant(next[0] as Date, 'America/New_York'), '2026-11-01T01:30:00-04:00');
    assert.equal(formatInstant(next[1] as Date, 'America/New_York'), '2026-11-02T01:30:00-05:00');
  });

  it('America/New_York, spring forward (2026-03-08): an hourly cron skips the missing hour, each day is one date', () => {
    const next = nextRunTimes('15 * * * *', 'America/New_York', new Date('2026-03-08T06:00:00Z'), 3);
    // 01:15 EST, then 03:15 EDT: 02:15 does not exist.
    assert.deepEqual(
      next.map((d) => formatInstant(d, 'America/New_York')),
      ['2026-03-08T01:15:00-05:00', '2026-03-08T03:15:00-04:00', '2026-03-08T04:15:00-04:00'],
    );
    const dates = fireDates({
      cron: '15 * * * *',
      timezone: 'America/New_York',
      reportTimezone: 'America/New_York',
      from: new Date('2026-03-06T12:00:00Z'),
      to: new Date('2026-03-09T12:00:00Z'),
    });
    assert.deepEqual(dates, ['2026-03-06', '2026-03-07', '2026-03-08', '2026-03-09']);
  });

  it('the report date is read in the report time zone, which may differ from the cron one', () => {
    // 23:00 UTC is 07:00 the next day in Shanghai.
    const dates = fireDates({
      cron: '0 23 * * *',
      timezone: 'UTC',
      reportTimezone: 'Asia/Shanghai',
      from: new Date('2026-08-20T00:00:00Z'),
      to: new Date('2026-08-22T00:00:00Z'),
    });
    assert.deepEqual(dates, ['2026-08-21', '2026-08-22']);
  });
});

describe('schedule: missed dates on start', () => {
  const base = { cron: '0 10 * * *', timezone: 'Asia/Shanghai', reportTimezone: 'Asia/Shanghai', catchUpDays: 3 };
  const at = (local: string) => new Date(`${local}+08:00`);

  it('a laptop that slept two days makes those two days, oldest first (today only once its run time passed)', () => {
    const reported = ['2026-08-18', '2026-08-19'];
    assert.deepEqual(missedDates({ ...base, now: at('2026-08-22T09:00:00'), reported }), ['2026-08-20', '2026-08-21']);
    assert.deepEqual(missedDates({ ...base, now: at('2026-08-22T10:00:00'), reported }), [
      '2026-08-20',
      '2026-08-21',
      '2026-08-22',
    ]);
  });

  it('looks back at most catchUp.days; catchUp.days 0 makes nothing', () => {
    const reported = ['2026-08-01'];
    assert.deepEqual(missedDates({ ...base, now: at('2026-08-22T11:00:00'), reported }), [
      '2026-08-20',
      '2026-08-21',
      '2026-08-22',
    ]);
    assert.deepEqual(missedDates({ ...base, catchUpDays: 1, now: at('2026-08-22T11:00:00'), reported }), [
      '2026-08-22',
    ]);
    assert.deepEqual(missedDates({ ...base, catchUpDays: 0, now: at('2026-08-22T11:00:00'), reported }), []);
  });

  it('days already reported are not made again; nothing before the store’s first report is', () => {
    assert.deepEqual(
      missedDates({ ...base, now: at('2026-08-22T11:00:00'), reported: ['2026-08-21', '2026-08-22'] }),
      [],
    );
    assert.deepEqual(missedDates({ ...base, now: at('2026-08-22T11:00:00'), reported: ['2026-08-21'] }), [
      '2026-08-22',
    ]);
  });

  it('a new install (no report at all) makes only the latest missed day, not a week of old ones', () => {
    assert.deepEqual(missedDates({ ...base, catchUpDays: 14, now: at('2026-08-22T11:00:00'), reported: [] }), [
      '2026-08-22',
    ]);
    assert.deepEqual(missedDates({ ...base, catchUpDays: 14, now: at('2026-08-22T09:59:00'), reported: [] }), [
      '2026-08-21',
    ]);
  });

  it('a cron firing twice a day gives each missed day once', () => {
    const twice = { ...base, cron: '0 9,21 * * *' };
    assert.deepEqual(missedDates({ ...twice, now: at('2026-08-22T22:00:00'), reported: ['2026-08-19'] }), [
      '2026-08-20',
      '2026-08-21',
      '2026-08-22',
    ]);
  });

  it('a weekday cron makes no weekend day', () => {
    // 2026-08-22 is a Saturday.
    const weekdays = { ...base, cron: '0 10 * * 1-5', catchUpDays: 5 };
    assert.deepEqual(missedDates({ ...weekdays, now: at('2026-08-24T11:00:00'), reported: ['2026-08-19'] }), [
      '2026-08-20',
      '2026-08-21',
      '2026-08-24',
    ]);
  });

  it('Europe/Berlin across the fall-back night: each day once', () => {
    const berlin = { cron: '30 2 * * *', timezone: 'Europe/Berlin', reportTimezone: 'Europe/Berlin', catchUpDays: 3 };
    const now = new Date('2026-10-26T12:00:00Z');
    assert.deepEqual(missedDates({ ...berlin, now, reported: ['2026-10-01'] }), [
      '2026-10-24',
      '2026-10-25',
      '2026-10-26',
    ]);
  });
});

describe('schedule: settings from the config', () => {
  it('timezone and languages default to the config’s; --lang replaces the languages', () => {
    const config = resolveConfig(
      { timezone: 'Europe/Berlin', language: 'en', schedule: { cron: '0 7 * * *' } },
      { env: {} },
    );
    assert.deepEqual(scheduleSettings(config), {
      cron: '0 7 * * *',
      timezone: 'Europe/Berlin',
      catchUpDays: 3,
      languages: ['en'],
    });
    const both = resolveConfig(
      { schedule: { cron: '0 7 * * *', timezone: 'UTC', catchUp: { days: 0 }, languages: ['zh', 'en'] } },
      { env: {} },
    );
    assert.deepEqual(scheduleSettings(both).languages, ['zh', 'en']);
    assert.deepEqual(scheduleSettings(both, 'en').languages, ['en']);
    assert.throws(() => scheduleSettings(resolveConfig({}, { env: {} })), /no schedule/);
  });

  it('a bad cron, time zone, catch-up or language list is a config error naming the setting', () => {
    assert.throws(
      () =>
        resolveConfig(
          {
            schedule: { cron: '61 10 * * *', timezone: 'Mars/Olympus', catchUp: { days: 15 }, languages: ['zh', 'zh'] },
          },
          { env: {} },
        ),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.match(error.message, /schedule\.cron: minute field "61" is not valid \(minute is 0-59\)/);
        assert.match(error.message, /schedule\.timezone: unknown IANA time zone/);
        assert.match(error.message, /schedule\.catchUp\.days:/);
        assert.match(error.message, /schedule\.languages: must not name a language twice/);
        return true;
      },
    );
    for (const [cron, problem] of [
      ['0 25 * * *', /hour field "25"/],
      ['0 10 * * 9', /day-of-week field "9"/],
      ['0 10 * *', /expected five fields/],
      ['0 0 10 * * *', /expected five fields/],
    ] as const) {
      assert.throws(() => resolveConfig({ schedule: { cron } }, { env: {} }), problem, cron);
    }
    assert.doesNotThrow(() => resolveConfig({ schedule: { cron: '@daily' } }, { env: {} }));
  });
});

/** A timer the test fires by hand. */
function manualTimer(): { factory: ScheduleTimerFactory; tick: () => Promise<void>; stopped: () => boolean } {
  let onTick: (() => Promise<void>) | undefined;
  let stopped = false;
  return {
    factory: (_cron, _timezone, callback) => {
      onTick = callback;
      return { nextRun: () => new Date('2026-08-23T02:00:00Z'), stop: () => (stopped = true) };
    },
    tick: () => {
      if (!onTick) throw new Error('the timer was not started');
      return onTick();
    },
    stopped: () => stopped,
  };
}

function memoryLog(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    debug: (m) => lines.push(`debug ${m}`),
    info: (m) => lines.push(`info ${m}`),
    warn: (m) => lines.push(`warn ${m}`),
    error: (m) => lines.push(`error ${m}`),
  };
}

/** Lets pending promise callbacks run (no wall-clock wait is asserted on). */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
}

describe('schedule: the scheduler', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'ai-daily-schedule-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const settings: ScheduleSettings = {
    cron: '0 10 * * *',
    timezone: 'Asia/Shanghai',
    catchUpDays: 3,
    languages: ['zh', 'en'],
  };

  it('catches up oldest first, runs on each tick, logs a failure and goes on, stops on abort and releases its lock', async () => {
    const lockFile = scheduleLockFile(path.join(dir, 'a.db'));
    const made: ScheduledRun[] = [];
    const reported: Record<ReportLanguage, string[]> = { zh: ['2026-08-19'], en: ['2026-08-20'] };
    let clock = new Date('2026-08-22T03:00:00Z'); // 11:00 in Shanghai
    const timer = manualTimer();
    const controller = new AbortController();
    const log = memoryLog();
    let failNext = false;
    const scheduler = runScheduler({
      settings,
      reportTimezone: 'Asia/Shanghai',
      lockFile,
      now: () => clock,
      reportedDates: async (language) => reported[language],
      runDay: async (run) => {
        made.push(run);
        if (failNext) {
          failNext = false;
          throw new Error('every source failed\n  details');
        }
      },
      log,
      signal: controller.signal,
      timer: timer.factory,
    });
    await settle();
    assert.equal(existsSync(lockFile), true);
    assert.equal(JSON.parse(readFileSync(lockFile, 'utf8')).pid, process.pid);
    assert.deepEqual(
      made.map((r) => `${r.trigger} ${r.date} ${r.language}`),
      [
        'catch-up 2026-08-20 zh',
        'catch-up 2026-08-21 zh',
        'catch-up 2026-08-21 en',
        'catch-up 2026-08-22 zh',
        'catch-up 2026-08-22 en',
      ],
    );
    assert.ok(log.lines.includes('info next run at 2026-08-23T10:00:00+08:00 (Asia/Shanghai)'), log.lines.join('\n'));

    clock = new Date('2026-08-23T02:00:00Z');
    failNext = true;
    await timer.tick();
    clock = new Date('2026-08-24T02:00:00Z');
    await timer.tick();
    assert.deepEqual(
      made.slice(5).map((r) => `${r.trigger} ${r.date} ${r.language}`),
      ['scheduled 2026-08-23 zh', 'scheduled 2026-08-23 en', 'scheduled 2026-08-24 zh', 'scheduled 2026-08-24 en'],
    );
    assert.ok(log.lines.includes('error scheduled run of 2026-08-23 (zh) failed: every source failed'));
    assert.equal(log.lines.filter((l) => l.startsWith('info next run at')).length, 4);

    controller.abort();
    const summary = await scheduler;
    assert.equal(timer.stopped(), true);
    assert.equal(existsSync(lockFile), false);
    assert.equal(summary.runs.length, 9);
    assert.deepEqual(
      summary.runs.filter((r) => r.status === 'failed'),
      [{ date: '2026-08-23', language: 'zh', trigger: 'scheduled', status: 'failed', error: 'every source failed' }],
    );
  });

  it('a second scheduler on the same store is refused while the first runs; a crashed one’s lock is taken over', async () => {
    const lockFile = scheduleLockFile(path.join(dir, 'b.db'));
    const controller = new AbortController();
    const common = {
      settings: { ...settings, catchUpDays: 0 },
      reportTimezone: 'Asia/Shanghai',
      lockFile,
      now: () => new Date('2026-08-22T03:00:00Z'),
      reportedDates: async () => [],
      runDay: async () => {},
      log: memoryLog(),
    };
    const first = runScheduler({ ...common, signal: controller.signal, timer: manualTimer().factory });
    await settle();
    await assert.rejects(runScheduler({ ...common, catchUpOnly: true }), (error: unknown) => {
      assert.ok(error instanceof RunLockedError);
      assert.match(
        error.message,
        new RegExp(`another ai-daily schedule is running on this store \\(pid ${process.pid} on `),
      );
      return true;
    });
    controller.abort();
    await first;

    writeFileSync(lockFile, JSON.stringify({ pid: 999_999, host: os.hostname(), startedAt: 'x', token: 'crashed' }));
    const summary = await runScheduler({ ...common, catchUpOnly: true, lockOptions: { isAlive: () => false } });
    assert.deepEqual(summary.runs, []);
    assert.equal(existsSync(lockFile), false);
  });

  it('a stop waits for the run in progress, and only as long as allowed', async () => {
    const lockFile = scheduleLockFile(path.join(dir, 'c.db'));
    let finishRun: () => void = () => {};
    const controller = new AbortController();
    const log = memoryLog();
    const scheduler = runScheduler({
      settings: { ...settings, languages: ['zh'] },
      reportTimezone: 'Asia/Shanghai',
      lockFile,
      now: () => new Date('2026-08-22T03:00:00Z'),
      reportedDates: async () => [],
      runDay: () =>
        new Promise<void>((resolve) => {
          finishRun = resolve;
        }),
      log,
      signal: controller.signal,
      timer: manualTimer().factory,
    });
    let done = false;
    void scheduler.then(() => (done = true));
    await settle();
    controller.abort();
    await settle();
    assert.equal(done, false, 'the scheduler returned while its run was in progress');
    assert.equal(existsSync(lockFile), true);
    finishRun();
    const summary = await scheduler;
    assert.deepEqual(
      summary.runs.map((r) => r.status),
      ['ok'],
    );
    assert.equal(existsSync(lockFile), false);

    const stuck = new AbortController();
    const cut = runScheduler({
      settings: { ...settings, languages: ['zh'] },
      reportTimezone: 'Asia/Shanghai',
      lockFile,
      now: () => new Date('2026-08-22T03:00:00Z'),
      reportedDates: async () => [],
      runDay: () => new Promise<void>(() => {}),
      log,
      signal: stuck.signal,
      shutdownGraceMs: 0,
      timer: manualTimer().factory,
    });
    await settle();
    stuck.abort();
    assert.deepEqual((await cut).runs, []);
    assert.ok(
      log.lines.some((l) => /^warn a run was still in progress after 0 s; it resumes at the next start/.test(l)),
    );
    assert.equal(existsSync(lockFile), false);
  });
});
