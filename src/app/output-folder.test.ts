import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { OutputError } from '../core/errors.js';
import { checkOutputFolder, type FolderCheckFs } from './output-folder.js';

function failing(call: 'mkdirSync' | 'writeFileSync', code: string): FolderCheckFs {
  const error = Object.assign(new Error(`${code}: simulated`), { code });
  return {
    ...fs,
    [call]: () => {
      throw error;
    },
  } as FolderCheckFs;
}

describe('checkOutputFolder', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(tmpdir(), 'ai-daily-out-check-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('makes a missing folder and leaves nothing in it', () => {
    const out = path.join(dir, 'new', 'out');
    checkOutputFolder(out);
    assert.deepEqual(fs.readdirSync(out), []);
  });

  it('a file in place of the folder is named as such (real file)', () => {
    const file = path.join(dir, 'a-file');
    fs.writeFileSync(file, 'x');
    assert.throws(() => checkOutputFolder(file), /the output folder .*a-file is a file, not a folder/);
    assert.throws(() => checkOutputFolder(path.join(file, 'out')), /output folder .*a-file.out: .*ENOTDIR/);
  });

  // Injected errors: this suite may run as root, which ignores permission bits.
  it('a read-only file system is named with the folder, not as ENOENT … mkdir', () => {
    assert.throws(
      () => checkOutputFolder(path.join(dir, 'ro'), failing('mkdirSync', 'EROFS')),
      (error: unknown) =>
        error instanceof OutputError &&
        /cannot create the output folder .*ro: the file system is read-only \(EROFS\)/.test(error.message),
    );
    assert.throws(
      () => checkOutputFolder(dir, failing('writeFileSync', 'EROFS')),
      /output folder .* is not writable: the file system is read-only/,
    );
  });

  it('a full disk is named before anything is collected', () => {
    assert.throws(
      () => checkOutputFolder(dir, failing('writeFileSync', 'ENOSPC')),
      /output folder .* is not writable: no space left on the device \(ENOSPC\)/,
    );
  });
});
