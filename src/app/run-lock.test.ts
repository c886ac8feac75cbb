import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { RunLockedError } from '../core/errors.js';
import { acquireRunLock, runLockFile } from './run-lock.js';

const key = { date: '2026-08-22', language: 'zh' };

/** The pid of a process that has exited (so not alive, unless reused at once). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

describe('run lock: one run per day, language and output folder', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'ai-daily-lock-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('a second run of the same day is refused with who holds it; another language or day is not', async () => {
    const lock = await acquireRunLock(dir, key);
    try {
      await assert.rejects(acquireRunLock(dir, key), (error: unknown) => {
        assert.ok(error instanceof RunLockedError);
        assert.match(error.message, new RegExp(`another run of 2026-08-22 \\(zh\\) into .* \\(pid ${process.pid} on `));
        assert.match(error.message, /--wait/);
        return true;
      });
      const english = await acquireRunLock(dir, { ...key, language: 'en' });
      const nextDay = await acquireRunLock(dir, { ...key, date: '2026-08-23' });
      english.release();
      nextDay.release();
    } finally {
      lock.release();
    }
    assert.equal(existsSync(runLockFile(dir, key.date, key.language)), false);
  });

  it('a waiting run gets the lock once the first releases it', async () => {
    const first = await acquireRunLock(dir, key);
    setTimeout(() => first.release(), 50);
    const second = await acquireRunLock(dir, key, { waitMs: 30_000, pollMs: 10 });
    assert.equal(existsSync(second.file), true);
    second.release();
  });

  it('a lock left by a crashed process (same host, pid gone) is taken over', async () => {
    const file = runLockFile(dir, key.date, key.language);
    writeFileSync(file, JSON.stringify({ pid: deadPid(), host: os.hostname(), startedAt: 'x', token: 'crashed' }));
    const lock = await acquireRunLock(dir, key, { isAlive: () => false });
    lock.release();
    assert.deepEqual(readdirSync(dir), []);
  });

  it('a half-written lock is taken over only once it is old; a lock of another host is kept', async () => {
    const file = runLockFile(dir, key.date, key.language);
    writeFileSync(file, '{"pid":');
    await assert.rejects(acquireRunLock(dir, key), RunLockedError);
    const old = new Date(Date.now() - 60_000);
    utimesSync(file, old, old);
    (await acquireRunLock(dir, key)).release();

    writeFileSync(file, JSON.stringify({ pid: 1, host: 'another-host', startedAt: 'x', token: 'far' }));
    await assert.rejects(acquireRunLock(dir, key, { isAlive: () => false }), /pid 1 on another-host/);
    rmSync(file);
  });
});

describe('run lock: a lock naming this pid that this process does not hold', () => {
  it('was left by an earlier process with the same pid, and is taken over', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ai-daily-lock-pid-'));
    try {
      const file = runLockFile(dir, key.date, key.language);
      writeFileSync(file, JSON.stringify({ pid: process.pid, host: os.hostname(), startedAt: 'x', token: 'earlier' }));
      const lock = await acquireRunLock(dir, key);
      await assert.rejects(acquireRunLock(dir, key), RunLockedError);
      lock.release();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
