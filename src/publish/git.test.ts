import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { cloneWithIdentity, git, makeSiteRepos, remoteFiles, remoteSubjects } from '../../test/support/git-repos.js';
import { configSchema, gitPublishSchema } from '../config/schema.js';
import { PublishError } from '../core/errors.js';
import type { Report } from '../core/report.js';
import { commitMessage, createGitPublisher } from './git.js';

// The git publisher never reads the report.
const report = {} as unknown as Report;
const config = gitPublishSchema.parse({ authorName: 'ai-daily bot', authorEmail: 'bot@example.invalid' });

function write(folder: string, file: string, content: string): void {
  mkdirSync(path.dirname(path.join(folder, file)), { recursive: true });
  writeFileSync(path.join(folder, file), content);
}

describe('git publisher', () => {
  let dir: string;
  let remote: string;
  let site: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'ai-daily-git-'));
    ({ remote, site } = makeSiteRepos(dir));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('commits with the configured author and message; a file staged by someone else stays staged, uncommitted', async () => {
    write(site, 'notes.md', 'draft\n');
    git(site, 'add', 'notes.md');
    write(site, 'reports/2026/08/2026-08-22.en.md', '# en\n');
    const outcome = await createGitPublisher({ ...config, message: 'report {date} in {language}' }).publish({
      outDir: site,
      files: ['reports/2026/08/2026-08-22.en.md'],
      date: '2026-08-22',
      language: 'en',
      report,
    });
    assert.equal(outcome.changed, true);
    assert.equal(
      git(remote, 'log', '-1', '--format=%an <%ae>|%cn|%s', 'main').trim(),
      'ai-daily bot <bot@example.invalid>|ai-daily bot|report 2026-08-22 in en',
    );
    assert.equal(git(remote, 'rev-parse', 'main').trim(), outcome.id);
    assert.deepEqual(remoteFiles(remote), ['README.md', 'reports/2026/08/2026-08-22.en.md']);
    assert.match(git(site, 'status', '--porcelain'), /^A {2}notes\.md$/m);
  });

  it('a push by another clone in between forces fetch + rebase, and both land in a line', async () => {
    const other = cloneWithIdentity(remote, path.join(dir, 'other'));
    write(other, 'about.md', 'about\n');
    git(other, 'add', 'about.md');
    git(other, 'commit', '--quiet', '-m', 'about page');
    git(other, 'push', '--quiet', 'origin', 'main');

    write(site, 'reports/2026/08/2026-08-22.md', '# zh\n');
    const outcome = await createGitPublisher(config).publish({
      outDir: site,
      files: ['reports/2026/08/2026-08-22.md'],
      date: '2026-08-22',
      language: 'zh',
      report,
    });
    assert.equal(outcome.changed, true);
    assert.deepEqual(remoteSubjects(remote), ['ai-daily: 2026-08-22 (zh)', 'about page', 'seed']);
    assert.deepEqual(remoteFiles(remote), ['README.md', 'about.md', 'reports/2026/08/2026-08-22.md']);
    assert.equal(git(remote, 'rev-list', '--merges', '--count', 'main').trim(), '0');
    assert.equal(git(site, 'rev-parse', 'HEAD').trim(), git(remote, 'rev-parse', 'main').trim());
  });

  it('a conflicting change on the remote fails the push with the reason and keeps the local commit', async () => {
    const other = cloneWithIdentity(remote, path.join(dir, 'other'));
    write(other, 'reports/2026/08/2026-08-22.md', '# edited by hand\n');
    git(other, 'add', '.');
    git(other, 'commit', '--quiet', '-m', 'hand edit');
    git(other, 'push', '--quiet', 'origin', 'main');

    write(site, 'reports/2026/08/2026-08-22.md', '# zh\n');
    await assert.rejects(
      createGitPublisher(config).publish({
        outDir: site,
        files: ['reports/2026/08/2026-08-22.md'],
        date: '2026-08-22',
        language: 'zh',
        report,
      }),
      (error: unknown) => error instanceof PublishError && error.kind === 'push' && /rebase failed/.test(error.message),
    );
    assert.equal(git(site, 'log', '-1', '--format=%s').trim(), 'ai-daily: 2026-08-22 (zh)');
    assert.equal(git(site, 'status', '--porcelain', '--untracked-files=no'), '');
    assert.deepEqual(remoteSubjects(remote), ['hand edit', 'seed']);
  });

  it('an output folder that is not a git work tree is a PublishError naming the problem', async () => {
    const plain = path.join(dir, 'plain');
    write(plain, 'reports/a.md', 'a\n');
    await assert.rejects(
      createGitPublisher(config).publish({
        outDir: plain,
        files: ['reports/a.md'],
        date: '2026-08-22',
        language: 'zh',
        report,
      }),
      (error: unknown) =>
        error instanceof PublishError && error.kind === 'commit' && /not a git work tree/.test(error.message),
    );
  });

  it('refuses a run path outside the output folder', async () => {
    await assert.rejects(
      createGitPublisher(config).publish({
        outDir: site,
        files: ['../escape.md'],
        date: '2026-08-22',
        language: 'zh',
        report,
      }),
      (error: unknown) => error instanceof PublishError && /not a path inside the output folder/.test(error.message),
    );
  });

  it('check: a clone with a reachable remote passes; no work tree, no such remote or an unreachable one are named', async () => {
    const publisher = createGitPublisher(config);
    assert.deepEqual(await publisher.check(site), []);

    const plain = path.join(dir, 'plain');
    mkdirSync(plain);
    const [notTree] = await publisher.check(plain);
    assert.match(notTree ?? '', /not a git work tree/);

    const [noRemote] = await createGitPublisher({ ...config, remote: 'upstream' }).check(site);
    assert.match(noRemote ?? '', /publish\.git\.remote: the work tree has no remote "upstream"/);

    rmSync(remote, { recursive: true, force: true });
    const [unreachable] = await publisher.check(site);
    assert.match(unreachable ?? '', /publish\.git: cannot reach origin/);
    // Nothing was written: the work tree is as it was.
    assert.equal(git(site, 'status', '--porcelain'), '');
  });
});

describe('publish.git config', () => {
  it('has the documented defaults', () => {
    assert.deepEqual(gitPublishSchema.parse({}), {
      remote: 'origin',
      branch: 'main',
      message: 'ai-daily: {date} ({language})',
    });
    assert.equal(commitMessage('ai-daily: {date} ({language})', '2026-08-22', 'en'), 'ai-daily: 2026-08-22 (en)');
    // `{report}`: the report's id, for a config with several reports (`reports:`).
    assert.equal(
      commitMessage('{report}: {date} ({language})', '2026-08-22', 'en', 'llm-en'),
      'llm-en: 2026-08-22 (en)',
    );
    assert.equal(commitMessage('{report}: {date}', '2026-08-22', 'zh'), 'default: 2026-08-22');
    assert.equal(configSchema.safeParse({ publish: { git: { message: '{report} {date}' } } }).success, true);
  });

  it('refuses names git would read as options or ranges, unknown placeholders and line breaks in the author', () => {
    const result = configSchema.safeParse({
      publish: {
        git: { remote: '--upload-pack=x', branch: 'a..b', message: 'ai-daily {day}', authorName: 'x\ny' },
      },
    });
    assert.equal(result.success, false);
    const paths = result.error?.issues.map((issue) => issue.path.join('.')).sort();
    assert.deepEqual(paths, [
      'publish.git.authorName',
      'publish.git.branch',
      'publish.git.message',
      'publish.git.remote',
    ]);
  });
});
