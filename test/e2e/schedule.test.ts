/**
 * `ai-daily schedule` through the real CLI in separate processes: the catch-up of a recorded day
 * (oldest first, nothing twice), and one scheduler per store (a second is refused with exit code 4;
 * the first stops cleanly on SIGTERM and releases its lock).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { stringify } from 'yaml';
import { scheduleLockFile } from '../../src/app/schedule.js';
import type { SchedulerSummary } from '../../src/cli/commands/schedule.js';
import { runCli } from '../support/cli.js';
import { dayFile, repoRoot } from '../support/fixtures.js';

const TEST_TIMEOUT = { timeout: 300_000 };

describe('ai-daily schedule (real CLI processes)', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'ai-daily-schedule-e2e-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it(
    '--catch-up-only makes the missed days oldest first, then a second start makes nothing',
    TEST_TIMEOUT,
    async () => {
      const cwd = mkdtempSync(path.join(dir, 'catch-up-'));
      writeFileSync(
        path.join(cwd, 'ai-daily.config.yaml'),
        stringify({ schedule: { cron: '0 10 * * *', timezone: 'Asia/Shanghai', catchUp: { days: 3 } } }),
      );
      const day = dayFile('2026-08-22'); // now: 2026-08-22T02:00:00Z, 10:00 in Shanghai
      // The store's first report: the scheduler catches up from it, never before it.
      const first = await runCli(['-q', 'run', '--replay', day, '--date', '2026-08-20'], cwd);
      assert.equal(first.code, 0, first.stderr);

      const catchUp = await runCli(['--json', 'schedule', '--catch-up-only', '--replay', day], cwd);
      assert.equal(catchUp.code, 0, catchUp.stderr);
      const summary = JSON.parse(catchUp.stdout) as SchedulerSummary;
      assert.deepEqual(
        summary.runs.map((r) => `${r.trigger} ${r.date} ${r.language} ${r.status}`),
        ['catch-up 2026-08-21 zh ok', 'catch-up 2026-08-22 zh ok'],
      );
      assert.match(catchUp.stderr, /catch-up: 2026-08-21 \(zh\), 2026-08-22 \(zh\)/);
      const reports = path.join(cwd, 'out/reports/2026/08');
      for (const date of ['2026-08-20', '2026-08-21', '2026-08-22']) {
        const json = JSON.parse(readFileSync(path.join(reports, `${date}.json`), 'utf8')) as { date: string };
        assert.equal(json.date, date);
        assert.ok(existsSync(path.join(reports, `${date}.md`)));
      }
      assert.equal(existsSync(path.join(reports, '2026-08-19.md')), false);
      const before22 = readFileSync(path.join(reports, '2026-08-22.md'), 'utf8');

      const again = await runCli(['--json', 'schedule', '--catch-up-only', '--replay', day], cwd);
      assert.equal(again.code, 0, again.stderr);
      assert.deepEqual((JSON.parse(again.stdout) as SchedulerSummary).runs, []);
      assert.match(again.stderr, /catch-up: no missed run in the last 3 day\(s\)/);
      assert.equal(readFileSync(path.join(reports, '2026-08-22.md'), 'utf8'), before22);
      assert.equal(existsSync(scheduleLockFile(path.join(cwd, 'data/ai-daily.db'))), false);

      // --replay without --catch-up-only, and a config without schedule, are usage errors.
      const ticking = await runCli(['schedule', '--replay', day], cwd);
      assert.equal(ticking.code, 2);
      assert.match(ticking.stderr, /--replay needs --catch-up-only/);
      const none = await runCli(['--config', '/dev/null', 'schedule', '--catch-up-only'], cwd);
      assert.equal(none.code, 2);
      assert.match(none.stderr, /the config has no schedule/);
    },
  );

  it(
    'a second scheduler on the same config is refused (exit 4); the first stops on SIGTERM and frees the lock',
    TEST_TIMEOUT,
    async () => {
      const cwd = mkdtempSync(path.join(dir, 'lock-'));
      // No sources and a run time years away: the running scheduler never fetches anything.
      writeFileSync(
        path.join(cwd, 'ai-daily.config.yaml'),
        stringify({ preset: 'none', schedule: { cron: '0 10 29 2 *', catchUp: { days: 0 } } }),
      );
      const lockFile = scheduleLockFile(path.join(cwd, 'data/ai-daily.db'));
      const child = spawn(process.execPath, [path.join(repoRoot, 'bin/ai-daily.js'), 'schedule'], {
        cwd,
        env: { ...process.env, NO_COLOR: '1' },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      try {
        await new Promise<void>((resolve, reject) => {
          child.stderr.on('data', (chunk: Buffer) => {
            stderr += chunk.toString('utf8');
            if (/next run at \d{4}-02-29T10:00:00\+08:00 \(Asia\/Shanghai\)/.test(stderr)) resolve();
          });
          void exited.then((code) => reject(new Error(`the scheduler exited (${code}) before it started:\n${stderr}`)));
        });
        assert.equal(JSON.parse(readFileSync(lockFile, 'utf8')).pid, child.pid);

        const second = await runCli(['schedule', '--catch-up-only'], cwd);
        assert.equal(second.code, 4, second.stderr);
        assert.match(
          second.stderr,
          new RegExp(`another ai-daily schedule is running on this store \\(pid ${child.pid} on `),
        );
      } finally {
        child.kill('SIGTERM');
      }
      assert.equal(await exited, 0, stderr);
      assert.match(stderr, /stopping: no new run starts/);
      assert.equal(existsSync(lockFile), false);

      const restarted = await runCli(['--json', 'schedule', '--catch-up-only'], cwd);
      assert.equal(restarted.code, 0, restarted.stderr);
      assert.match(restarted.stderr, /catch-up is off/);
    },
  );
});
