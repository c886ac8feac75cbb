import { randomBytes } from 'node:crypto';
import * as nodeFs from 'node:fs';
import path from 'node:path';
import { describeFsError, OutputError } from '../core/errors.js';
import { makeFolder } from '../core/make-folder.js';

/** The file-system calls the check makes: tests inject a read-only or full disk through it. */
export interface FolderCheckFs {
  statSync(file: string, options: { throwIfNoEntry: false }): { isDirectory(): boolean } | undefined;
  mkdirSync(folder: string, options?: { recursive: true }): unknown;
  existsSync(file: string): boolean;
  writeFileSync(file: string, content: string): void;
  rmSync(file: string, options: { force: true }): void;
}

/**
 * Checks, before anything is collected, that the output folder is a folder (made when missing)
 * that takes new files. The OutputError names the folder and the real cause: a file in the way,
 * a read-only file system, no space left.
 */
export function checkOutputFolder(folder: string, fs: FolderCheckFs = nodeFs): void {
  let info: { isDirectory(): boolean } | undefined;
  try {
    info = fs.statSync(folder, { throwIfNoEntry: false });
  } catch (error) {
    throw new OutputError(folder, `cannot use the output folder ${folder}: ${describeFsError(error)}`, {
      cause: error,
    });
  }
  if (info && !info.isDirectory()) {
    throw new OutputError(folder, `the output folder ${folder} is a file, not a folder (--out or output.dir)`);
  }
  try {
    makeFolder(folder, fs);
  } catch (error) {
    throw new OutputError(folder, `cannot create the output folder ${folder}: ${describeFsError(error)}`, {
      cause: error,
    });
  }
  const probe = path.join(folder, `.ai-daily-probe-${randomBytes(6).toString('hex')}`);
  try {
    fs.writeFileSync(probe, 'ai-daily: checking that this folder takes new files\n');
  } catch (error) {
    throw new OutputError(folder, `the output folder ${folder} is not writable: ${describeFsError(error)}`, {
      cause: error,
    });
  } finally {
    fs.rmSync(probe, { force: true });
  }
}
