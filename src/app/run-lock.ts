import { randomBytes } from 'node:crypto';
import { linkSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RunLockedError } from '../core/errors.js';

/** Tokens of the locks this process holds (a scheduler may run several days at once). */
const heldHere = new Set<string>();

/** What a lock file holds: who runs, since when. */
interface LockHolder {
  pid: number;
  host: string;
  startedAt: string;
  token: string;
}

export interface RunLock {
  readonly file: string;
  /**
   * Removes the lock file if it is still this run's. Never throws: a lock that cannot be removed
   * (the folder became read-only) must not hide why the run ended, and the next run takes it
   * over, its process being gone.
   */
  release(): void;
}

export interface RunLockOptions {
  /** How long to wait for another run to finish (default 0: fail at once). */
  waitMs?: number;
  /** How often to look again while waiting (default 250 ms). */
  pollMs?: number;
  /** Is this process alive? (tests); default: signal 0. */
  isAlive?: (pid: number) => boolean;
}

/** The lock file of one day and language in one output folder. */
export function runLockFile(outDir: string, date: string, language: string): string {
  return path.join(outDir, `.ai-daily-run-${date}-${language}.lock`);
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readHolder(file: string): LockHolder | undefined {
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockHolder>;
    if (typeof value.pid === 'number' && typeof value.host === 'string' && typeof value.token === 'string') {
      return { pid: value.pid, host: value.host, token: value.token, startedAt: String(value.startedAt ?? '') };
    }
  } catch {
    // Unreadable or half written: judged by its age below.
  }
  return undefined;
}

/** A lock left by a crash: its process is gone (same host), or it was never written whole. */
function isStale(file: string, holder: LockHolder | undefined, isAlive: (pid: number) => boolean): boolean {
  if (!holder) {
    const age = Date.now() - (statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0);
    return age > 10_000;
  }
  if (holder.host !== os.hostname()) return false;
  // A lock naming this pid that this process does not hold was left by an earlier process that
  // had the same pid (pid 1 in a container, say).
  if (holder.pid === process.pid) return !heldHere.has(holder.token);
  return !isAlive(holder.pid);
}

/**
 * One run per day, language and output folder at a time. The lock is a file created exclusively in
 * the output folder, naming the process and host; a lock whose process is gone (a crash) is taken
 * over. Another live run → wait up to `waitMs`, then RunLockedError (exit code 4).
 */
export async function acquireRunLock(
  outDir: string,
  key: { date: string; language: string },
  options: RunLockOptions = {},
): Promise<RunLock> {
  const file = runLockFile(outDir, key.date, key.language);
  return acquireLockFile(
    file,
    options,
    (who) =>
      new RunLockedError(
        `another run of ${key.date} (${key.language}) into ${outDir} is in progress (${who}); ` +
          `run again when it has finished, or pass --wait <seconds>. If no such run is alive, remove ${file}`,
      ),
  );
}

/**
 * Takes the lock file `file` (created exclusively, naming this process, host and start time), taking
 * over a stale one (its process gone on this host, or never written whole). Held by a live process →
 * wait up to `waitMs`, then throw the error `locked` makes from a description of the holder.
 */
export async function acquireLockFile(
  file: string,
  options: RunLockOptions,
  locked: (who: string) => Error,
): Promise<RunLock> {
  const isAlive = options.isAlive ?? processAlive;
  const me: LockHolder = {
    pid: process.pid,
    host: os.hostname(),
    startedAt: new Date().toISOString(),
    token: randomBytes(8).toString('hex'),
  };
  const deadline = Date.now() + (options.waitMs ?? 0);
  for (;;) {
    try {
      writeFileSync(file, `${JSON.stringify(me)}\n`, { flag: 'wx' });
      heldHere.add(me.token);
      return {
        file,
        release() {
          heldHere.delete(me.token);
          try {
            if (readHolder(file)?.token === me.token) rmSync(file, { force: true });
          } catch {
            // Left behind: stale once this process ends, and taken over by the next run.
          }
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = readHolder(file);
    if (isStale(file, holder, isAlive)) {
      // Moved aside first: of two runs that both found it stale, only one removes it.
      const aside = `${file}.stale-${me.token}`;
      try {
        renameSync(file, aside);
        // Another run may have taken the stale lock over between our read and our rename: a
        // lock that is not the one judged stale goes back (link fails if a newer one is there).
        if (holder && readHolder(aside)?.token !== holder.token) linkSync(aside, file);
      } catch {
        // Someone else moved it first; look again.
      } finally {
        rmSync(aside, { force: true });
      }
      continue;
    }
    if (Date.now() >= deadline) {
      throw locked(
        holder ? `pid ${holder.pid} on ${holder.host}, since ${holder.startedAt}` : 'a process starting now',
      );
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(options.pollMs ?? 250, deadline - Date.now())));
  }
}
