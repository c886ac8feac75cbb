/**
 * Runs a short, self-contained Python 3 file written by a model, and refuses what it must not do.
 *
 * What is enforced, in order:
 * 1. imports: every `import x` / `from x import` names a module of Python's standard library
 *    (`sys.stdlib_module_names` of the interpreter that will run it) or one the caller allows; a
 *    few standard modules that start processes or load native code are refused (`subprocess`,
 *    `multiprocessing`, `ctypes`, `pty`, …), and so is code built at run time (`exec`, `eval`,
 *    `compile`, `__import__`, `importlib`). This is a policy check, not the security boundary:
 *    the boundary is the namespace and the limits below;
 * 2. syntax: `python3 -m py_compile demo.py`;
 * 3. the run: in a fresh temporary folder (its only file the demo), as `python3 -I -B demo.py`
 *    (isolated: no user site, no environment variables, no bytecode written), inside new Linux
 *    user, network, mount, UTS and PID namespaces (`unshare -rnmupf --mount-proc`): no network
 *    interface but a loopback that is down, so every connection fails; every file system
 *    read-only except the demo's folder; no other process visible (a fresh /proc); under
 *    `prlimit` limits on address space, CPU seconds, file size and core dumps; with a wall-clock
 *    timeout that kills the whole process group; stdout and stderr captured up to a cap each, with
 *    the temporary folder and the host name replaced by "." and "sandbox".
 * When the namespaces cannot be created or the file systems not made read-only (no `unshare`,
 * user namespaces disabled), nothing is run and the result says why: a demo that has not run in
 * the sandbox is never published.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export interface SandboxOptions {
  /** Python interpreter (default `python3`). */
  python?: string;
  /** The `unshare` command (default `unshare`); tests inject a missing or failing one. */
  unshare?: string;
  /** The `prlimit` command (default `prlimit`). */
  prlimit?: string;
  /** Wall-clock limit in milliseconds (default 10 000). */
  timeoutMs?: number;
  /** CPU seconds (default 5). */
  cpuSeconds?: number;
  /** Address-space limit in bytes (default 512 MiB). */
  memoryBytes?: number;
  /** Largest file the demo may write, bytes (default 1 MiB). */
  fileSizeBytes?: number;
  /** Cap on captured stdout and on captured stderr, bytes each (default 16 KiB). */
  outputLimitBytes?: number;
  /** Modules allowed beyond the standard library (top-level names, e.g. "numpy"). */
  allowedModules?: readonly string[];
}

export interface SandboxLimits {
  timeoutMs: number;
  cpuSeconds: number;
  memoryBytes: number;
  fileSizeBytes: number;
  outputLimitBytes: number;
}

export type SandboxStage = 'imports' | 'compile' | 'run' | 'timeout';

export type SandboxResult =
  | {
      status: 'ok';
      exitCode: 0;
      stdout: string;
      stderr: string;
      /** True when stdout or stderr was longer than the cap and cut. */
      truncated: boolean;
      /** The commands that checked it, as a reader can repeat them (relative file name). */
      commands: string[];
      limits: SandboxLimits;
    }
  | {
      status: 'failed';
      stage: SandboxStage;
      /** One paragraph a model can act on: what failed and the error text. */
      message: string;
      exitCode: number | null;
      signal: string | null;
      stdout: string;
      stderr: string;
    }
  | {
      /** The sandbox itself could not be set up; nothing was run. */
      status: 'unavailable';
      reason: string;
    };

/** Standard modules refused even though they ship with Python: they start processes or load native code. */
export const REFUSED_STANDARD_MODULES: readonly string[] = [
  'ctypes',
  'subprocess',
  'multiprocessing',
  'concurrent',
  'pty',
  'importlib',
  'ensurepip',
  'venv',
  'idlelib',
  'tkinter',
  'turtle',
  'turtledemo',
];

const DEFAULT_LIMITS: SandboxLimits = {
  timeoutMs: 10_000,
  cpuSeconds: 5,
  memoryBytes: 512 * 1024 * 1024,
  fileSizeBytes: 1024 * 1024,
  outputLimitBytes: 16 * 1024,
};

const DEMO_FILE = 'demo.py';

const SETUP_FAILED = 'ai-daily-sandbox-setup-failed';

/**
 * Runs inside the new namespaces, before the demo: names the host "sandbox" (its own UTS
 * namespace), makes every mount read-only but the demo's
 * folder ($1), checks that the folder's parent cannot be written, then runs the rest of its
 * arguments there. The shell stays the namespace's PID 1, so the demo is an ordinary process to
 * which the CPU limit's signals are delivered.
 */
const SETUP_SCRIPT = [
  'dir="$1"; shift',
  `fail() { echo "${SETUP_FAILED}: $1" >&2; exit 97; }`,
  'echo sandbox > /proc/sys/kernel/hostname || fail "cannot set the host name"',
  'mount --bind "$dir" "$dir" || fail "cannot bind the demo folder"',
  'while read -r _ _ _ _ point _; do mount -o remount,bind,ro "$(printf \'%b\' "$point")" 2>/dev/null; done < /proc/self/mountinfo',
  'mount -o remount,bind,rw "$dir" || fail "cannot make the demo folder writable"',
  'if ( : > "$dir/../.ai-daily-write-probe" ) 2>/dev/null; then rm -f "$dir/../.ai-daily-write-probe"; fail "the file system stayed writable"; fi',
  'cd "$dir" || fail "cannot enter the demo folder"',
  '"$@"',
].join('\n');

const NAMESPACES = ['-r', '-n', '-m', '-u', '-p', '-f', '--mount-proc'];

interface Completed {
  exitCode: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  truncated: boolean;
  timedOut: boolean;
  spawnError?: string;
}

/** Runs a command (own process group), capturing capped output; kills the group at the timeout. */
function execute(
  command: string,
  args: readonly string[],
  options: { cwd: string; timeoutMs: number; outputLimitBytes: number; env: NodeJS.ProcessEnv },
): Promise<Completed> {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const captured = { stdout: [] as Buffer[], stderr: [] as Buffer[] };
    const sizes = { stdout: 0, stderr: 0 };
    let truncated = false;
    let timedOut = false;
    const collect = (stream: 'stdout' | 'stderr') => (chunk: Buffer) => {
      const room = options.outputLimitBytes - sizes[stream];
      if (room <= 0) {
        truncated = true;
        return;
      }
      const kept = chunk.length > room ? chunk.subarray(0, room) : chunk;
      if (kept.length < chunk.length) truncated = true;
      captured[stream].push(kept);
      sizes[stream] += kept.length;
    };
    child.stdout.on('data', collect('stdout'));
    child.stderr.on('data', collect('stderr'));
    const killGroup = (): void => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // The group is already gone.
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, options.timeoutMs);
    let spawnError: string | undefined;
    child.on('error', (error) => {
      spawnError = error.message;
    });
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer);
      // Anything the demo left running in its group goes with it.
      killGroup();
      resolve({
        exitCode,
        signal,
        stdout: decodeCapped(Buffer.concat(captured.stdout)),
        stderr: decodeCapped(Buffer.concat(captured.stderr)),
        truncated,
        timedOut,
        ...(spawnError === undefined ? {} : { spawnError }),
      });
    });
  });
}

function signalOfExitCode(exitCode: number | null): string | null {
  if (exitCode === null || exitCode <= 128) return null;
  const number = exitCode - 128;
  const name = Object.entries(os.constants.signals).find(([, value]) => value === number)?.[0];
  return name ?? null;
}

/** UTF-8, dropping a character cut in half by the cap. */
function decodeCapped(bytes: Buffer): string {
  return bytes.toString('utf8').replace(/\uFFFD+$/u, '');
}

const stdlibCache = new Map<string, Promise<ReadonlySet<string> | string>>();

/** The interpreter's standard-library module names, or why they could not be read. */
function standardModules(python: string): Promise<ReadonlySet<string> | string> {
  let cached = stdlibCache.get(python);
  if (cached === undefined) {
    cached = execute(python, ['-I', '-c', 'import sys; print("\\n".join(sorted(sys.stdlib_module_names)))'], {
      cwd: os.tmpdir(),
      timeoutMs: 10_000,
      outputLimitBytes: 1024 * 1024,
      env: minimalEnvironment(os.tmpdir()),
    }).then((done) =>
      done.exitCode === 0
        ? new Set(done.stdout.split('\n').filter((line) => line !== ''))
        : `${python} could not list its standard library: ${done.spawnError ?? done.stderr.trim()}`,
    );
    stdlibCache.set(python, cached);
  }
  return cached;
}

/** Top-level module names a Python source imports (static `import` and `from … import`). */
export function importedModules(source: string): string[] {
  const modules = new Set<string>();
  // Statements may be joined by ";" or follow a colon ("if x: import y"); continuation lines are rare in demos.
  const statements = source.replace(/\\\r?\n/g, ' ').split(/\r?\n|;/);
  for (const raw of statements) {
    const statement = raw
      .replace(/#.*$/, '')
      .replace(/^[^'"]*?:\s*(?=(?:import|from)\s)/, '')
      .trim();
    const fromMatch = /^from\s+([A-Za-z_][\w.]*)\s+import\b/.exec(statement);
    if (fromMatch?.[1]) {
      modules.add(fromMatch[1].split('.')[0] ?? '');
      continue;
    }
    const importMatch = /^import\s+(.+)$/.exec(statement);
    if (importMatch?.[1]) {
      for (const part of importMatch[1].split(',')) {
        const name = part.trim().split(/\s+/)[0] ?? '';
        if (name !== '') modules.add(name.split('.')[0] ?? '');
      }
    }
  }
  modules.delete('');
  return [...modules].sort();
}

function minimalEnvironment(home: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    LANG: 'C.UTF-8',
    LC_ALL: 'C.UTF-8',
    HOME: home,
    PYTHONDONTWRITEBYTECODE: '1',
  };
}

/** What a failure tells the model: the stage, then the error text (the temporary path shown as the file name). */
function failure(
  stage: SandboxStage,
  summary: string,
  done: Pick<Completed, 'exitCode' | 'signal' | 'stdout' | 'stderr'>,
): Extract<SandboxResult, { status: 'failed' }> {
  const detail = done.stderr.trim().split('\n').slice(-12).join('\n');
  return {
    status: 'failed',
    stage,
    message: detail === '' ? summary : `${summary}\n${detail}`,
    exitCode: done.exitCode,
    signal: done.signal,
    stdout: done.stdout,
    stderr: done.stderr,
  };
}

function limitsOf(options: SandboxOptions): SandboxLimits {
  return {
    timeoutMs: options.timeoutMs ?? DEFAULT_LIMITS.timeoutMs,
    cpuSeconds: options.cpuSeconds ?? DEFAULT_LIMITS.cpuSeconds,
    memoryBytes: options.memoryBytes ?? DEFAULT_LIMITS.memoryBytes,
    fileSizeBytes: options.fileSizeBytes ?? DEFAULT_LIMITS.fileSizeBytes,
    outputLimitBytes: options.outputLimitBytes ?? DEFAULT_LIMITS.outputLimitBytes,
  };
}

/** Checks and runs one Python source (see the module comment). Never throws for a bad demo. */
export async function runPythonDemo(source: string, options: SandboxOptions = {}): Promise<SandboxResult> {
  const python = options.python ?? 'python3';
  const unshare = options.unshare ?? 'unshare';
  const prlimit = options.prlimit ?? 'prlimit';
  const limits = limitsOf(options);

  const standard = await standardModules(python);
  if (typeof standard === 'string') return { status: 'unavailable', reason: standard };
  const allowed = new Set(options.allowedModules ?? []);
  const refused = importedModules(source).filter(
    (name) => !allowed.has(name) && (!standard.has(name) || REFUSED_STANDARD_MODULES.includes(name)),
  );
  // Code built at run time escapes the import check: exec/eval/compile/__import__ are refused too.
  const dynamic = /(?<![.\w])(?:__import__|exec|eval|compile)\s*\(|\bimportlib\b/.test(source);
  if (refused.length > 0 || dynamic) {
    const names = [...refused, ...(dynamic && !refused.includes('importlib') ? ['exec/eval/compile/__import__'] : [])];
    const message =
      `imports not allowed: ${names.join(', ')}. Use only the Python standard library` +
      `${allowed.size > 0 ? ` and ${[...allowed].sort().join(', ')}` : ''}, without subprocess, multiprocessing, ctypes or dynamic imports.`;
    return { status: 'failed', stage: 'imports', message, exitCode: null, signal: null, stdout: '', stderr: '' };
  }

  const folder = await mkdtemp(path.join(os.tmpdir(), 'ai-daily-demo-'));
  try {
    await writeFile(path.join(folder, DEMO_FILE), source, 'utf8');
    const environment = minimalEnvironment(folder);
    // The host name is "sandbox" inside; the real one is also replaced, as a whole word, in case it leaks.
    const host = new RegExp(`(?<![\\w.-])${os.hostname().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w-])`, 'g');
    const clean = (text: string): string => text.split(folder).join('.').replace(host, 'sandbox');
    const scrub = (done: Completed): Completed => ({ ...done, stdout: clean(done.stdout), stderr: clean(done.stderr) });

    const sandboxed = (command: readonly string[]): string[] => [
      ...NAMESPACES,
      '--',
      'sh',
      '-c',
      SETUP_SCRIPT,
      'sandbox',
      folder,
      ...command,
    ];
    const probe = await execute(unshare, sandboxed(['true']), {
      cwd: folder,
      timeoutMs: 10_000,
      outputLimitBytes: 4096,
      env: environment,
    });
    if (probe.exitCode !== 0) {
      const why = probe.spawnError ?? (probe.stderr.trim().split('\n').at(-1) || `exit code ${String(probe.exitCode)}`);
      return {
        status: 'unavailable',
        reason: `no sandbox: no network namespace or read-only file systems (${unshare} ${NAMESPACES.join(' ')} failed: ${why}); the demo was not run`,
      };
    }

    const compileTimeout = Math.max(limits.timeoutMs, 10_000);
    const compiled = scrub(
      await execute(python, ['-I', '-m', 'py_compile', DEMO_FILE], {
        cwd: folder,
        timeoutMs: compileTimeout,
        outputLimitBytes: limits.outputLimitBytes,
        env: environment,
      }),
    );
    if (compiled.exitCode !== 0)
      return failure('compile', `${DEMO_FILE} does not compile (python3 -m py_compile):`, compiled);
    // py_compile leaves its bytecode behind; the run starts from the source alone.
    await rm(path.join(folder, '__pycache__'), { recursive: true, force: true });

    const prlimitArgs = [
      `--as=${limits.memoryBytes}`,
      `--cpu=${limits.cpuSeconds}`,
      `--fsize=${limits.fileSizeBytes}`,
      '--core=0',
    ];
    const ran = scrub(
      await execute(unshare, sandboxed([prlimit, ...prlimitArgs, '--', python, '-I', '-B', DEMO_FILE]), {
        cwd: folder,
        timeoutMs: limits.timeoutMs,
        outputLimitBytes: limits.outputLimitBytes,
        env: environment,
      }),
    );
    if (ran.exitCode === 97 && ran.stderr.includes(SETUP_FAILED)) {
      return {
        status: 'unavailable',
        reason: `no sandbox: ${ran.stderr.trim().split('\n').at(-1) ?? ''}; the demo was not run`,
      };
    }
    if (ran.timedOut) {
      return failure(
        'timeout',
        `${DEMO_FILE} did not finish within ${limits.timeoutMs / 1000} s and was killed; make it finish quickly.`,
        ran,
      );
    }
    if (ran.exitCode !== 0) {
      // The shell in between reports a signal as 128 + its number.
      ran.signal = ran.signal ?? signalOfExitCode(ran.exitCode);
      const how =
        ran.signal !== null
          ? `was killed by ${ran.signal} (CPU ${limits.cpuSeconds} s, memory ${limits.memoryBytes / 1048576} MiB limits)`
          : `exited with code ${String(ran.exitCode)}`;
      return failure('run', `${DEMO_FILE} ${how}; it runs with no network, standard library only:`, ran);
    }
    return {
      status: 'ok',
      exitCode: 0,
      stdout: ran.stdout,
      stderr: ran.stderr,
      truncated: ran.truncated,
      commands: [
        `python3 -m py_compile ${DEMO_FILE}`,
        `unshare ${NAMESPACES.join(' ')} (file systems read-only but the demo's folder) -- prlimit ${prlimitArgs.join(' ')} -- python3 -I -B ${DEMO_FILE}`,
      ],
      limits,
    };
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
