import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** git for tests: no prompt, English messages, no inherited repository variables. */
export function git(cwd: string, ...args: string[]): string {
  const env: NodeJS.ProcessEnv = { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' };
  for (const name of ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE']) delete env[name];
  return execFileSync('git', args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** A clone of `remote` with its own identity (the test's, not the publisher's). */
export function cloneWithIdentity(remote: string, folder: string, name = 'Someone Else'): string {
  git(path.dirname(folder), 'clone', '--quiet', remote, folder);
  git(folder, 'config', 'user.name', name);
  git(folder, 'config', 'user.email', 'someone@example.invalid');
  return folder;
}

/**
 * A local bare repository on branch main holding one commit (README.md), and a clone of it: the
 * remote and the site work tree of a git publisher. Nothing leaves the temp folder.
 */
export function makeSiteRepos(dir: string): { remote: string; site: string } {
  const remote = path.join(dir, 'remote.git');
  mkdirSync(remote, { recursive: true });
  git(remote, 'init', '--quiet', '--bare', '-b', 'main');
  const seed = cloneWithIdentity(remote, path.join(dir, 'seed'));
  git(seed, 'checkout', '--quiet', '-b', 'main');
  writeFileSync(path.join(seed, 'README.md'), '# site\n');
  git(seed, 'add', 'README.md');
  git(seed, 'commit', '--quiet', '-m', 'seed');
  git(seed, 'push', '--quiet', 'origin', 'main');
  const site = cloneWithIdentity(remote, path.join(dir, 'site'), 'Site Owner');
  return { remote, site };
}

/** Files on the remote's branch, sorted. */
export function remoteFiles(remote: string, branch = 'main'): string[] {
  return git(remote, 'ls-tree', '-r', '--name-only', branch).split('\n').filter(Boolean).sort();
}

/** Commit subjects on the remote's branch, newest first. */
export function remoteSubjects(remote: string, branch = 'main'): string[] {
  return git(remote, 'log', '--format=%s', branch).split('\n').filter(Boolean);
}

/** Makes the bare remote refuse every push (a pre-receive hook that exits 1); returns the repair. */
export function refusePushes(remote: string): () => void {
  const hook = path.join(remote, 'hooks', 'pre-receive');
  writeFileSync(hook, '#!/bin/sh\necho "site is frozen for maintenance" >&2\nexit 1\n', { mode: 0o755 });
  return () => writeFileSync(hook, '#!/bin/sh\nexit 0\n', { mode: 0o755 });
}
