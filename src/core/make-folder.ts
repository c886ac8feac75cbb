import * as nodeFs from 'node:fs';
import path from 'node:path';

export interface MakeFolderFs {
  mkdirSync(folder: string, options?: { recursive: true }): unknown;
  existsSync(file: string): boolean;
}

/**
 * `mkdir -p` that fails with the real cause. Node's recursive mkdir reports ENOENT when a folder
 * cannot be made on a read-only file system; this makes the missing folders one at a time then,
 * so that the error says EROFS (or EACCES, ENOSPC) about the folder that could not be made.
 */
export function makeFolder(folder: string, fs: MakeFolderFs = nodeFs): void {
  try {
    fs.mkdirSync(folder, { recursive: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    const missing: string[] = [];
    for (let current = path.resolve(folder); !fs.existsSync(current); current = path.dirname(current)) {
      missing.unshift(current);
      if (path.dirname(current) === current) break;
    }
    for (const step of missing) fs.mkdirSync(step);
    throw error;
  }
}
