/**
 * `ai-daily serve` started as a user starts it, as a child process, over a folder with a config,
 * a store and an output folder; and the CLI runs that fill them. Used by the browser tests
 * (test/e2e/web-browser.test.ts, test/e2e/web-hostile.test.ts) and bin/web-screenshots.ts.
 * Reads nothing of ../shared.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify as stringifyYaml } from 'yaml';
import { runCli } from './cli.js';
import { repoRoot } from './fixtures.js';

/** Writes `ai-daily.config.yaml` in `dir`: the store and output folder of every web test, and `extra`. */
export function writeConfig(dir: string, extra: Record<string, unknown>): void {
  const config = { store: { path: './data/ai-daily.db' }, output: { dir: './out' }, ...extra };
  writeFileSync(path.join(dir, 'ai-daily.config.yaml'), stringifyYaml(config));
}

/** Runs the CLI in `dir`; a non-zero exit throws with its log. */
export async function runOrThrow(args: string[], dir: string, env: NodeJS.ProcessEnv = {}): Promise<string> {
  const result = await runCli(args, dir, env);
  if (result.code !== 0) {
    throw new Error(`ai-daily ${args.join(' ')} exited ${result.code}:\n${result.stderr}`);
  }
  return result.stdout;
}

export interface Served {
  /** The URL `ai-daily serve` printed, without a trailing slash: "http://127.0.0.1:PORT". */
  origin: string;
  /** Everything the server wrote on stdout and stderr so far. */
  output(): string;
  /** Ctrl-C: SIGINT, then the exit code (or the signal's name) once the process has ended. */
  stop(): Promise<number | string>;
}

/**
 * Starts `bin/ai-daily.js serve --port 0 --host 127.0.0.1` in `dir` and resolves with the URL it
 * prints; rejects when it exits first. `args` are added to the command line.
 */
export function startServe(dir: string, args: string[] = []): Promise<Served> {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.AI_DAILY_DEBUG;
  const child: ChildProcess = spawn(
    process.execPath,
    [path.join(repoRoot, 'bin/ai-daily.js'), 'serve', '--port', '0', '--host', '127.0.0.1', ...args],
    { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
  });
  return new Promise<Served>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const url = /https?:\/\/127\.0\.0\.1:\d+/.exec(output)?.[0];
      if (url === undefined) return;
      child.stdout?.off('data', onData);
      child.stdout?.on('data', (more: Buffer) => {
        output += more.toString('utf8');
      });
      resolve({
        origin: url,
        output: () => output,
        stop: async () => {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
          return exited;
        },
      });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    void exited.then((code) =>
      reject(new Error(`ai-daily serve exited (${code}) before printing its URL:\n${output}`)),
    );
  });
}
