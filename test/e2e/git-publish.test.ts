/**
 * `run --replay` of a recorded day into a git work tree with `publish.git`: real runs, real git, a
 * local bare repository as the remote (nothing leaves the temp folder).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCommand } from '../../src/cli/commands/run.js';
import { EXIT, exitCodeFor } from '../../src/cli/main.js';
import { PublishError } from '../../src/core/errors.js';
import { silentLogger } from '../../src/core/log.js';
import { dayFile } from '../support/fixtures.js';
import {
  cloneWithIdentity,
  git,
  makeSiteRepos,
  refusePushes,
  remoteFiles,
  remoteSubjects,
} from '../support/git-repos.js';

describe('run --replay 2026-08-22 with publish.git', () => {
  let dir: string;
  let remote: string;
  let site: string;
  const run = (lang: 'zh' | 'en') =>
    runCommand({ cwd: dir, log: silentLogger, replay: dayFile('2026-08-22'), out: site, lang });

  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'ai-daily-git-run-'));
    ({ remote, site } = makeSiteRepos(dir));
    writeFileSync(
      path.join(dir, 'ai-daily.config.yaml'),
      'publish:\n  git:\n    authorName: ai-daily bot\n    authorEmail: bot@example.invalid\n',
    );
    writeFileSync(path.join(site, 'stray.log'), 'left here by hand\n');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** Every file a run publishes: its report as Markdown, JSON and HTML, and the site's index and feeds. */
  const SITE_FILES = ['reports/_index.md', 'reports/index.html', 'reports/feed.xml', 'reports/atom.xml'];
  const runFiles = (summary: { markdown: string; json: string }) => [
    summary.markdown,
    summary.json,
    summary.markdown.replace(/\.md$/, '.html'),
  ];
  let zhFiles: string[] = [];
  it('two runs of the day give exactly one commit on the remote, holding only the run files', async () => {
    const first = await run('zh');
    zhFiles = [...runFiles(first), ...SITE_FILES];
    const second = await run('zh');
    assert.deepEqual([...runFiles(second), ...SITE_FILES], zhFiles);
    assert.deepEqual(remoteSubjects(remote), ['ai-daily: 2026-08-22 (zh)', 'seed']);
    assert.deepEqual(
      git(remote, 'show', '--name-only', '--format=', 'main').split('\n').filter(Boolean).sort(),
      [...zhFiles].sort(),
    );
    assert.deepEqual(remoteFiles(remote), ['README.md', ...zhFiles].sort());
    assert.equal(git(remote, 'log', '-1', '--format=%an <%ae>', 'main').trim(), 'ai-daily bot <bot@example.invalid>');
    assert.match(git(site, 'status', '--porcelain'), /^\?\? stray\.log$/m);
  });

  it('a refusing remote fails the run with the reason and keeps the commit; the next run pushes it past a concurrent push', async () => {
    const repair = refusePushes(remote);
    let failure: unknown;
    await run('en').catch((error: unknown) => {
      failure = error;
    });
    assert.ok(failure instanceof PublishError, `expected a PublishError, got ${String(failure)}`);
    assert.equal(failure.kind, 'push');
    assert.match(failure.message, /pre-receive hook declined/);
    assert.match(failure.message, /site is frozen for maintenance/);
    assert.equal(exitCodeFor(failure), EXIT.failure);
    assert.equal(git(site, 'log', '-1', '--format=%s').trim(), 'ai-daily: 2026-08-22 (en)');
    assert.deepEqual(remoteSubjects(remote), ['ai-daily: 2026-08-22 (zh)', 'seed']);

    repair();
    const other = cloneWithIdentity(remote, path.join(dir, 'other'));
    writeFileSync(path.join(other, 'about.md'), 'about\n');
    git(other, 'add', 'about.md');
    git(other, 'commit', '--quiet', '-m', 'about page');
    git(other, 'push', '--quiet', 'origin', 'main');

    const summary = await run('en');
    assert.deepEqual(remoteSubjects(remote), [
      'ai-daily: 2026-08-22 (en)',
      'about page',
      'ai-daily: 2026-08-22 (zh)',
      'seed',
    ]);
    assert.deepEqual(remoteFiles(remote), ['README.md', 'about.md', ...zhFiles, ...runFiles(summary)].sort());
    assert.equal(git(site, 'rev-parse', 'HEAD').trim(), git(remote, 'rev-parse', 'main').trim());
  });
});
