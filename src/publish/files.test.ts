import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { PublishError } from '../core/errors.js';
import { type PublishFs, publishFiles, realFs, reportPaths } from './files.js';

/** The real file system, with one call failing as a full disk would. */
function faulty(failing: 'writeFileSync' | 'renameSync', when: (file: string) => boolean): PublishFs {
  const enospc = () => Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
  return {
    ...realFs,
    writeFileSync(file, content, encoding) {
      if (failing === 'writeFileSync' && when(file)) {
        realFs.writeFileSync(file, content.slice(0, 10), encoding); // a partial write, then the error
        throw enospc();
      }
      realFs.writeFileSync(file, content, encoding);
    },
    renameSync(from, to) {
      if (failing === 'renameSync' && when(to)) throw enospc();
      realFs.renameSync(from, to);
    },
  };
}

/** Every file under a folder, relative, with its content. */
function snapshot(folder: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(folder, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    out[path.relative(folder, file)] = readFileSync(file, 'utf8');
  }
  return out;
}

describe('publishFiles: all of a run, or nothing', () => {
  let out: string;
  const paths = reportPaths('2026-08-22');
  it('gives a report in another language than the configured one its own files', () => {
    assert.deepEqual(reportPaths('2026-08-22', 'zh', 'zh'), paths);
    assert.deepEqual(reportPaths('2026-08-22', 'en', 'zh'), {
      markdown: 'reports/2026/08/2026-08-22.en.md',
      json: 'reports/2026/08/2026-08-22.en.json',
      html: 'reports/2026/08/2026-08-22.en.html',
    });
  });
  const files = (tag: string) => [
    { path: paths.markdown, content: `# report ${tag}\n` },
    { path: paths.json, content: `{"report":"${tag}"}\n` },
  ];
  beforeEach(() => {
    out = mkdtempSync(path.join(tmpdir(), 'ai-daily-publish-'));
  });
  afterEach(() => rmSync(out, { recursive: true, force: true }));

  it('writes every file', () => {
    publishFiles(out, files('one'));
    assert.deepEqual(snapshot(out), { [paths.markdown]: '# report one\n', [paths.json]: '{"report":"one"}\n' });
  });

  it('a full disk while writing the second file publishes neither and leaves no temporary file', () => {
    assert.throws(
      () =>
        publishFiles(
          out,
          files('one'),
          faulty('writeFileSync', (file) => file.includes('.json.')),
        ),
      (error: unknown) => {
        assert.ok(error instanceof PublishError);
        assert.equal(error.file, paths.json);
        assert.match(error.message, /cannot write .*2026-08-22\.json: no space left on the device \(ENOSPC\)/);
        return true;
      },
    );
    assert.deepEqual(snapshot(out), {});
  });

  it('over an earlier report, a failure keeps the earlier files exactly, whichever step fails', () => {
    publishFiles(out, files('old'));
    const before = snapshot(out);
    for (const step of ['writeFileSync', 'renameSync'] as const) {
      assert.throws(
        () =>
          publishFiles(
            out,
            files('new'),
            faulty(step, (file) => file.includes('.json')),
          ),
        (error: unknown) => error instanceof PublishError && error.file === paths.json,
      );
      assert.deepEqual(snapshot(out), before, `after a failing ${step}`);
    }
    publishFiles(out, files('new'));
    assert.equal(readFileSync(path.join(out, paths.json), 'utf8'), '{"report":"new"}\n');
    assert.deepEqual(Object.keys(snapshot(out)).sort(), [paths.json, paths.markdown].sort());
  });
});
