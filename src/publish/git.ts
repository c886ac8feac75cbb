/**
 * The git publisher: the output folder is a git work tree (a clone of the site's repository). A run
 * commits exactly its own files — `git add -- <files>` then `git commit --only -- <files>`, so a
 * stray file in the tree and anything else already staged stay out — with the configured author
 * and message, makes no commit when nothing changed, and pushes HEAD to the configured remote and
 * branch. A push refused as not fast-forward (someone else pushed) fetches the branch, rebases the
 * local commits onto it and pushes again, a few times. A push that still fails keeps the local
 * commit and throws a PublishError of kind `push`; the next run pushes every unpushed commit, as
 * it always pushes HEAD. git runs through `execFile` (no shell), never prompting
 * (GIT_TERMINAL_PROMPT=0), with its messages in English (LC_ALL=C) so that they can be read.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import type { z } from 'zod';
import type { gitPublishSchema } from '../config/schema.js';
import { PublishError } from '../core/errors.js';
import { redact } from '../core/redact.js';
import type { Publisher, PublishOutcome, PublishRequest } from './publisher.js';

export type GitPublishConfig = z.output<typeof gitPublishSchema>;

/** Push attempts in all; each refusal as not fast-forward between them fetches and rebases. */
export const PUSH_ATTEMPTS = 3;

interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Variables that would point git at another repository than the output folder's. */
const REPOSITORY_VARIABLES = [
  'GIT_DIR',
  'GIT_WORK_TREE',
  'GIT_INDEX_FILE',
  'GIT_OBJECT_DIRECTORY',
  'GIT_COMMON_DIR',
  'GIT_PREFIX',
  'GIT_NAMESPACE',
];

function gitEnvironment(config: GitPublishConfig): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of REPOSITORY_VARIABLES) delete env[name];
  Object.assign(env, { GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C', LANGUAGE: 'C', GIT_EDITOR: ':' });
  if (config.authorName !== undefined) {
    env.GIT_AUTHOR_NAME = config.authorName;
    env.GIT_COMMITTER_NAME = config.authorName;
  }
  if (config.authorEmail !== undefined) {
    env.GIT_AUTHOR_EMAIL = config.authorEmail;
    env.GIT_COMMITTER_EMAIL = config.authorEmail;
  }
  return env;
}

function runGit(cwd: string, args: string[], env: NodeJS.ProcessEnv): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      args,
      { cwd, env, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024, windowsHide: true },
      (error, stdout, stderr) => {
        if (error && typeof error.code === 'string') {
          // git could not be started at all (ENOENT: not installed).
          reject(
            new PublishError('.', `publish.git: cannot run git: ${error.message}`, { cause: error, kind: 'commit' }),
          );
          return;
        }
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
      },
    );
  });
}

/** git's own explanation: its error, fatal, hint-free and remote lines, redacted, on one line. */
function gitReason(result: GitResult): string {
  const lines = result.stderr
    .split('\n')
    .map((line) => line.trim())
    .filter(
      (line) =>
        line !== '' &&
        !line.startsWith('hint:') &&
        !line.startsWith('To ') &&
        !line.startsWith('error: failed to push some refs'),
    );
  const text = lines.slice(0, 6).join('; ') || `git exited with code ${result.code}`;
  return redact(text);
}

/** Renders the configured message for a run; `{report}` is the report's id (`default` without `reports:`). */
export function commitMessage(template: string, date: string, language: string, report = 'default'): string {
  return template.replaceAll('{date}', date).replaceAll('{language}', language).replaceAll('{report}', report);
}

/** A run's file path must stay inside the output folder. */
function checkRunPath(file: string): void {
  const parts = file.split(/[\\/]/);
  if (file === '' || path.isAbsolute(file) || parts.includes('..') || parts.includes('.git')) {
    throw new PublishError(file, `publish.git: "${file}" is not a path inside the output folder`, { kind: 'commit' });
  }
}

/** The ref update line of `git push --porcelain` (`<flag>\t<from>:<to>\t<summary>`). */
function pushedRef(stdout: string): { flag: string; summary: string } | undefined {
  for (const line of stdout.split('\n')) {
    const match = /^([ +\-*=!])\t[^\t]*:refs\/heads\/[^\t]*\t(.*)$/.exec(line);
    if (match) return { flag: match[1] ?? '', summary: match[2] ?? '' };
  }
  return undefined;
}

export function createGitPublisher(config: GitPublishConfig): Publisher {
  const env = gitEnvironment(config);
  const target = `${config.remote}/${config.branch}`;

  return {
    name: 'git',
    async check(outDir: string): Promise<string[]> {
      const git = (args: string[]) => runGit(outDir, args, env);
      const inside = await git(['rev-parse', '--is-inside-work-tree']).catch((error: unknown) => error as Error);
      if (inside instanceof Error) return [inside.message];
      if (inside.code !== 0 || inside.stdout.trim() !== 'true') {
        return [`publish.git: the output folder is not a git work tree (${gitReason(inside)})`];
      }
      const problems: string[] = [];
      const url = await git(['remote', 'get-url', config.remote]);
      if (url.code !== 0) {
        problems.push(`publish.git.remote: the work tree has no remote "${config.remote}" (${gitReason(url)})`);
      } else {
        // Read-only: asks the remote for its branches, writes nothing (and never prompts).
        const heads = await git(['ls-remote', '--heads', config.remote]);
        if (heads.code !== 0) {
          problems.push(`publish.git: cannot reach ${config.remote}: ${gitReason(heads)}`);
        }
      }
      for (const [key, configured] of [
        ['user.name', config.authorName],
        ['user.email', config.authorEmail],
      ] as const) {
        if (configured !== undefined) continue;
        const value = await git(['config', '--get', key]);
        if (value.code !== 0 || value.stdout.trim() === '') {
          const field = key === 'user.name' ? 'authorName' : 'authorEmail';
          problems.push(`publish.git.${field}: not set, and git has no ${key} for the work tree (commits would fail)`);
        }
      }
      return problems;
    },
    async publish(request: PublishRequest): Promise<PublishOutcome> {
      const git = (args: string[]) => runGit(request.outDir, ['--literal-pathspecs', ...args], env);
      const must = async (kind: 'commit' | 'push', what: string, args: string[]): Promise<GitResult> => {
        const result = await git(args);
        if (result.code !== 0) {
          throw new PublishError('.', `publish.git: ${what} failed: ${gitReason(result)}`, { kind });
        }
        return result;
      };

      for (const file of request.files) checkRunPath(file);
      const inside = await git(['rev-parse', '--is-inside-work-tree']);
      if (inside.code !== 0 || inside.stdout.trim() !== 'true') {
        throw new PublishError(
          '.',
          `publish.git: the output folder is not a git work tree (${gitReason(inside)}); clone the repository into it or remove publish.git`,
          { kind: 'commit' },
        );
      }

      // Only the run's files: staged, compared, committed by pathspec.
      await must('commit', 'git add of the report files', ['add', '--', ...request.files]);
      const status = await must('commit', 'git status', ['status', '--porcelain', '-z', '--', ...request.files]);
      const changed = status.stdout.length > 0;
      let commit: string | undefined;
      if (changed) {
        const message = commitMessage(config.message, request.date, request.language, request.reportId);
        await must('commit', 'git commit', ['commit', '--quiet', '--only', '-m', message, '--', ...request.files]);
        commit = (await must('commit', 'git rev-parse', ['rev-parse', 'HEAD'])).stdout.trim();
      }

      const pushed = await pushHead();
      const caughtUp = Math.max(0, pushed - (changed ? 1 : 0));
      const head = (await git(['rev-parse', '--short', 'HEAD'])).stdout.trim();
      const detail = changed
        ? `committed ${head} and pushed ${pushed} commit(s) to ${target}`
        : `nothing changed; ${pushed > 0 ? `pushed ${pushed} earlier commit(s)` : 'nothing to push'} to ${target}`;
      return { publisher: 'git', changed, ...(commit ? { id: commit } : {}), caughtUp, detail };

      /** Pushes HEAD (rebasing onto the remote branch when refused as not fast-forward); returns the commits pushed. */
      async function pushHead(): Promise<number> {
        for (let attempt = 1; ; attempt++) {
          const push = await git(['push', '--porcelain', config.remote, `HEAD:refs/heads/${config.branch}`]);
          const ref = pushedRef(push.stdout);
          if (push.code === 0 && ref) return countPushed(ref);
          const behind = ref?.flag === '!' && /^\[rejected\]/.test(ref.summary);
          if (behind && attempt < PUSH_ATTEMPTS) {
            await must('push', `git fetch ${target}`, [
              'fetch',
              '--quiet',
              '--no-tags',
              config.remote,
              `refs/heads/${config.branch}`,
            ]);
            const rebase = await git(['rebase', '--quiet', '--autostash', 'FETCH_HEAD']);
            if (rebase.code !== 0) {
              await git(['rebase', '--abort']);
              throw new PublishError(
                '.',
                `publish.git: ${target} has changes that conflict with the local commits (rebase failed: ${gitReason(rebase)}); the local commits are kept, resolve by hand and the next run pushes them`,
                { kind: 'push' },
              );
            }
            continue;
          }
          const why = [ref ? ref.summary : '', gitReason(push)].filter((part) => part !== '').join(': ');
          throw new PublishError(
            '.',
            `publish.git: push to ${target} failed${behind ? ` after ${PUSH_ATTEMPTS} attempts` : ''}: ${why}; the local commit is kept and the next run pushes it`,
            { kind: 'push' },
          );
        }
      }

      async function countPushed(ref: { flag: string; summary: string }): Promise<number> {
        if (ref.flag === '=') return 0;
        const range = /^([0-9a-f]+)\.\.\.?([0-9a-f]+)$/.exec(ref.summary);
        const args = range ? ['rev-list', '--count', `${range[1]}..${range[2]}`] : ['rev-list', '--count', 'HEAD'];
        const count = await git(args);
        return count.code === 0 ? Number(count.stdout.trim()) || 0 : 0;
      }
    },
  };
}
