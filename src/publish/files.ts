import { randomBytes } from 'node:crypto';
import * as nodeFs from 'node:fs';
import path from 'node:path';
import { describeFsError, PublishError } from '../core/errors.js';
import { makeFolder } from '../core/make-folder.js';

/**
 * Where a day's report goes, relative to the output folder (the same for every publisher). A
 * report in another language than the configured one gets the language before the extension
 * (`YYYY-MM-DD.en.md`, as Hugo names translations), so that both languages of a day can be
 * published to one folder without one overwriting the other.
 */
export function reportPaths(
  date: string,
  language?: string,
  defaultLanguage?: string,
): { markdown: string; json: string; html: string } {
  const base = reportBasePath(date);
  const suffix = language !== undefined && language !== defaultLanguage ? `.${language}` : '';
  return { markdown: `${base}${suffix}.md`, json: `${base}${suffix}.json`, html: `${base}${suffix}.html` };
}

/** A day's report files without their extension: `reports/YYYY/MM/YYYY-MM-DD`. */
export function reportBasePath(date: string): string {
  const [year, month] = date.split('-');
  return `reports/${year}/${month}/${date}`;
}

/** The file-system calls publication makes: tests inject faults (a full disk) through it. */
export interface PublishFs {
  mkdirSync(folder: string, options?: { recursive: true }): unknown;
  writeFileSync(file: string, content: string, encoding: 'utf8'): void;
  renameSync(from: string, to: string): void;
  linkSync(existing: string, link: string): void;
  rmSync(file: string, options: { force: true }): void;
  existsSync(file: string): boolean;
}

export const realFs: PublishFs = nodeFs;

/** One file of a run, its path relative to the output folder. */
export interface OutputFile {
  path: string;
  content: string;
}

function temporaryBeside(file: string, suffix: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.${suffix}`);
}

/**
 * Publishes every file of a run, or none: each is written to a temporary file beside its target
 * first, and only when all are written are they renamed into place. If a write fails (disk full,
 * read-only), the temporaries are removed and nothing new is visible; if a rename fails, the files
 * already renamed are put back as they were. The PublishError names the file and the cause.
 */
export function publishFiles(outDir: string, files: OutputFile[], fs: PublishFs = realFs): void {
  const staged: { relative: string; target: string; temporary: string; backup?: string }[] = [];
  // Best effort: a folder that became read-only cannot lose its temporaries either, and that must
  // not hide why publication failed.
  const remove = (file: string) => {
    try {
      fs.rmSync(file, { force: true });
    } catch {
      // A hidden `.name.xxxx.tmp` left beside the target; the next run writes new ones.
    }
  };
  const cleanUp = () => {
    for (const entry of staged) {
      remove(entry.temporary);
      if (entry.backup) remove(entry.backup);
    }
  };
  const fail = (relative: string, action: string, error: unknown): PublishError =>
    new PublishError(
      relative,
      `cannot ${action} ${path.join(outDir, relative)}: ${describeFsError(error)}; nothing new was published. ${wayOut(error)}`,
      { cause: error },
    );

  for (const file of files) {
    const target = path.join(outDir, file.path);
    const entry = { relative: file.path, target, temporary: temporaryBeside(target, 'tmp') };
    staged.push(entry);
    try {
      makeFolder(path.dirname(target), fs);
      fs.writeFileSync(entry.temporary, file.content, 'utf8');
    } catch (error) {
      cleanUp();
      throw fail(file.path, 'write', error);
    }
  }
  // A hard link keeps each earlier version until every new file is in place (costs no data space).
  for (const entry of staged) {
    if (!fs.existsSync(entry.target)) continue;
    const backup = temporaryBeside(entry.target, 'old');
    try {
      fs.linkSync(entry.target, backup);
      Object.assign(entry, { backup });
    } catch (error) {
      cleanUp();
      throw fail(entry.relative, 'keep the earlier version of', error);
    }
  }
  const renamed: typeof staged = [];
  for (const entry of staged) {
    try {
      fs.renameSync(entry.temporary, entry.target);
      renamed.push(entry);
    } catch (error) {
      for (const done of renamed) {
        try {
          if (done.backup) fs.renameSync(done.backup, done.target);
          else fs.rmSync(done.target, { force: true });
        } catch {
          // Best effort: the error below still says that publication failed.
        }
      }
      cleanUp();
      throw fail(entry.relative, 'rename into place', error);
    }
  }
  for (const entry of staged) if (entry.backup) fs.rmSync(entry.backup, { force: true });
}

/** What to do about a file-system error while publishing. */
function wayOut(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const again = 'then run again (the run resumes where it stopped)';
  if (code === 'EROFS' || code === 'EACCES' || code === 'EPERM') return `Make the output folder writable, ${again}.`;
  if (code === 'ENOSPC' || code === 'EDQUOT') return `Free space on its disk, ${again}.`;
  return `Fix the cause, ${again}.`;
}

/**
 * Writes one file atomically: a temporary file in the same folder, then a rename, so a reader (or
 * a crash) never sees half a file.
 */
export function writeFileAtomic(file: string, content: string): void {
  publishFiles(path.dirname(file), [{ path: path.basename(file), content }]);
}
