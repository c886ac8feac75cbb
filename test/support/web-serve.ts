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

/** How long a server may take to print its URL, or to stop after Ctrl-C, before it is killed. */
const HANG_GUARD_MS = 60_000;

export interface Served {
  /** The URL `ai-daily serve` printed, without a trailing slash: "http://127.0.0.1:PORT". */
  origin: string;
  /** Everything the server wrote on stdout and stderr so far. */
  output(): string;
  /** Ctrl-C: SIGINT, then the exit code (or the signal's name, SIGKILL when it had to be killed) once it has ended. */
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
  let stdout = '';
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
    output += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
  });
  // Guards against a hang, not timings: a server that never prints its URL, or outlives Ctrl-C,
  // is killed so that it cannot hold the test process open.
  const kill = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  return new Promise<Served>((resolve, reject) => {
    const startGuard = setTimeout(kill, HANG_GUARD_MS);
    const onData = () => {
      const url = /https?:\/\/127\.0\.0\.1:\d+/.exec(stdout)?.[0];
      if (url === undefined) return;
      clearTimeout(startGuard);
      child.stdout?.off('data', onData);
      resolve({
        origin: url,
        output: () => output,
        stop: async () => {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
          const stopGuard = setTimeout(kill, HANG_GUARD_MS);
          const code = await exited;
          clearTimeout(stopGuard);
          return code;
        },
      });
    };
    child.stdout?.on('data', onData);
    void exited.then((code) => {
      clearTimeout(startGuard);
      reject(new Error(`ai-daily serve exited (${code}) before printing its URL:\n${output}`));
    });
  });
}
