import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { type MakeFolderFs, makeFolder } from './make-folder.js';

describe('makeFolder', () => {
  it('makes nested folders', () => {
    const dir = fs.mkdtempSync(path.join(tmpdir(), 'ai-daily-folder-'));
    try {
      makeFolder(path.join(dir, 'a', 'b', 'c'));
      assert.ok(fs.statSync(path.join(dir, 'a', 'b', 'c')).isDirectory());
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  // As Node behaves on a read-only mount (checked by hand with `mount -o remount,bind,ro`; a test
  // cannot mount): the recursive call says ENOENT, a single mkdir says EROFS.
  it('reports the real cause where a recursive mkdir says ENOENT', () => {
    const dir = fs.mkdtempSync(path.join(tmpdir(), 'ai-daily-folder-ro-'));
    const readOnly: MakeFolderFs = {
      existsSync: fs.existsSync,
      mkdirSync(folder, options) {
        const error = options?.recursive
          ? Object.assign(new Error(`ENOENT: no such file or directory, mkdir '${folder}'`), { code: 'ENOENT' })
          : Object.assign(new Error(`EROFS: read-only file system, mkdir '${folder}'`), { code: 'EROFS' });
        throw error;
      },
    };
    try {
      assert.throws(
        () => makeFolder(path.join(dir, 'out', 'reports'), readOnly),
        (error: unknown) => {
          assert.equal((error as NodeJS.ErrnoException).code, 'EROFS');
          assert.match((error as Error).message, new RegExp(`mkdir '${path.join(dir, 'out')}'`));
          return true;
        },
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
