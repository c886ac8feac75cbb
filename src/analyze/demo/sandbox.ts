/**
 * Runs a short, self-contained Python 3 file written by a model, and refuses what it must not do
 * (docs/decisions/0101).
 *
 * The boundary is bubblewrap (`bwrap`), with a sandbox built from nothing for each step:
 * - a file system made only of read-only `/usr` (and the `/bin`, `/lib*` links into it, as the
 *   host has them; read-only binds where they are folders of their own), a fresh `/proc` of its
 *   own PID namespace, a minimal `/dev` (null, zero, random…, read-only), a small fresh `/tmp` and
 *   the demo's folder `/demo` (a small tmpfs holding only `demo.py`, read-only), the root itself
 *   read-only: no home, no `/etc`, no `/run`, no host socket, nothing of the host's working folders;
 * - every namespace new (`--unshare-all`: user, network, PID, IPC, UTS, cgroup; the only network
 *   interface is the sandbox's own loopback, where nothing listens), no capability
 *   (`--cap-drop ALL`), no further user namespace (`--disable-userns`), an empty environment
 *   (`--clearenv`, then only `LANG`, `LC_ALL`, `PATH`, `PYTHONDONTWRITEBYTECODE`), a new session
 *   (no terminal), killed with its parent (`--die-with-parent`); bwrap itself is started with an
 *   empty environment, so not even the sandbox's PID 1 holds a variable of the host;
 * - a seccomp filter that refuses to start processes (fork, vfork, clone without CLONE_THREAD,
 *   clone3): threads work, a fork bomb does not; and refuses ptrace, key rings, mount, namespaces,
 *   bpf, perf events, userfaultfd and io_uring;
 * - Debian's interpreter `/usr/bin/python3 -I -B -S` (isolated, no bytecode written, no site);
 * - limits set inside, before the demo's code exists in the process (`policy.py` applies them, then
 *   replaces itself with the demo): address space, CPU seconds, file size, processes, no core file;
 *   a wall clock that kills the whole tree; stdout and stderr captured up to a cap each, the run
 *   killed as soon as one passes it.
 *
 * Before anything runs, `policy.py check` (in the same kind of sandbox) reads the code with Python's
 * own `ast` and refuses imports outside an allowlist, code built at run time, reflection that leads
 * out of the demo, and strings holding a URL, a shell command or a path outside the folder (the
 * rules are listed in policy.py), then compiles it.
 *
 * Where bubblewrap is missing, or cannot make its namespaces (user namespaces disabled), or the
 * machine is not one the seccomp filter knows (x64, arm64), nothing is run: the result is
 * 'unavailable' with the reason, and a demo that has not run in the sandbox is never published.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, readFileSync, readlinkSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface SandboxOptions {
  /** The interpreter inside the sandbox (default Debian's `/usr/bin/python3`; must be under /usr). */
  python?: string;
  /** The `bwrap` command (default `bwrap`, found on PATH); tests inject a missing one. */
  bwrap?: string;
  /** Wall-clock limit in milliseconds (default 10 000). */
  timeoutMs?: number;
  /** CPU seconds (default 5). */
  cpuSeconds?: number;
  /** Address-space limit in bytes (default 512 MiB). */
  memoryBytes?: number;
  /** Largest file the demo may write, bytes (default 1 MiB); also the size of its folder and /tmp. */
  fileSizeBytes?: number;
  /** Cap on captured stdout and on captured stderr, bytes each (default 16 KiB). */
  outputLimitBytes?: number;
  /** Modules allowed beyond the policy's list (top-level names, e.g. "numpy"). */
  allowedModules?: readonly string[];
  /**
   * Tests only: skip the code policy, so that a test shows the sandbox itself holds against code the
   * policy would have refused. Never set by the application.
   */
  unsafeSkipPolicyForTests?: boolean;
}

export interface SandboxLimits {
  timeoutMs: number;
  cpuSeconds: number;
  memoryBytes: number;
  fileSizeBytes: number;
  outputLimitBytes: number;
}

export type SandboxStage = 'policy' | 'compile' | 'run' | 'timeout' | 'output';

export type SandboxResult =
  | {
      status: 'ok';
      exitCode: 0;
      stdout: string;
      stderr: string;
      /** Always false: a run whose output passed the cap is killed and fails at 'output'. */
      truncated: false;
      /** The modules the code imports (top-level names, read by the policy check). */
      imports: string[];
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

const DEFAULT_LIMITS: SandboxLimits = {
  timeoutMs: 10_000,
  cpuSeconds: 5,
  memoryBytes: 512 * 1024 * 1024,
  fileSizeBytes: 1024 * 1024,
  outputLimitBytes: 16 * 1024,
};

/** Processes and threads a demo may have at once (RLIMIT_NPROC; the seccomp filter refuses new processes anyway). */
const MAX_TASKS = 16;

export const DEFAULT_PYTHON = '/usr/bin/python3';
const DEMO_FILE = 'demo.py';
const POLICY_PATH = fileURLToPath(new URL('./policy.py', import.meta.url));

/** The checker and launcher (policy.py), read once; passed to the sandbox through a file descriptor. */
let policySource: Buffer | undefined;
function policyScript(): Buffer {
  policySource ??= readFileSync(POLICY_PATH);
  return policySource;
}

// --- seccomp: no new process, no kernel interface a demo has no use for -----------------------

const AUDIT_ARCH: Partial<Record<NodeJS.Architecture, number>> = { x64: 0xc000003e, arm64: 0xc00000b7 };
/**
 * System call numbers per architecture: clone and clone3 (checked apart), and those refused
 * outright — fork and vfork (x64 only), then, as in container runtimes' default profiles, calls a
 * demo has no use for: ptrace, keyctl/add_key/request_key (key rings), mount/umount2/pivot_root,
 * unshare/setns, bpf, perf_event_open, userfaultfd and io_uring.
 */
const PROCESS_SYSCALLS: Partial<Record<NodeJS.Architecture, { clone: number; clone3: number; refused: number[] }>> = {
  x64: {
    clone: 56,
    clone3: 435,
    refused: [57, 58, 101, 250, 248, 249, 165, 166, 155, 272, 308, 321, 298, 323, 425, 426, 427],
  },
  arm64: { clone: 220, clone3: 435, refused: [117, 219, 217, 218, 40, 39, 41, 97, 268, 280, 241, 282, 425, 426, 427] },
};
const CLONE_THREAD = 0x00010000;
const SECCOMP_RET_ALLOW = 0x7fff0000;
const SECCOMP_RET_KILL_PROCESS = 0x80000000;
const SECCOMP_RET_ERRNO = 0x00050000;
const EPERM = 1;
const ENOSYS = 38;
const X32_SYSCALL_BIT = 0x40000000;

/**
 * A classic-BPF seccomp program for this machine: a call from another architecture kills the
 * process; fork, vfork, a clone that is not a thread and the other refused calls fail with EPERM; clone3 fails with ENOSYS
 * (its flags are out of reach of the filter; the C library then uses clone); all else is allowed.
 * Undefined on an architecture it does not know.
 */
export function processFilter(arch: NodeJS.Architecture = process.arch): Buffer | undefined {
  const audit = AUDIT_ARCH[arch];
  const calls = PROCESS_SYSCALLS[arch];
  if (audit === undefined || calls === undefined) return undefined;
  type Insn = [code: number, jt: number, jf: number, k: number];
  const LD_ABS = 0x20;
  const JEQ = 0x15;
  const JGE = 0x35;
  const JSET = 0x45;
  const RET = 0x06;
  // Jump targets are resolved from labels once the program is laid out.
  const program: (Insn | { jump: number; to: [string, string]; k: number } | { label: string })[] = [
    [LD_ABS, 0, 0, 4], // arch
    { jump: JEQ, k: audit, to: ['next', 'kill'] },
    [LD_ABS, 0, 0, 0], // syscall number
    ...(arch === 'x64' ? [{ jump: JGE, k: X32_SYSCALL_BIT, to: ['deny', 'next'] as [string, string] }] : []),
    ...calls.refused.map((nr) => ({ jump: JEQ, k: nr, to: ['deny', 'next'] as [string, string] })),
    { jump: JEQ, k: calls.clone3, to: ['nosys', 'next'] },
    { jump: JEQ, k: calls.clone, to: ['next', 'allow'] },
    [LD_ABS, 0, 0, 16], // clone's flags (low 32 bits of the first argument)
    { jump: JSET, k: CLONE_THREAD, to: ['allow', 'deny'] },
    { label: 'allow' },
    [RET, 0, 0, SECCOMP_RET_ALLOW],
    { label: 'deny' },
    [RET, 0, 0, SECCOMP_RET_ERRNO | EPERM],
    { label: 'nosys' },
    [RET, 0, 0, SECCOMP_RET_ERRNO | ENOSYS],
    { label: 'kill' },
    [RET, 0, 0, SECCOMP_RET_KILL_PROCESS],
  ];
  const labels = new Map<string, number>();
  let index = 0;
  for (const entry of program) {
    if ('label' in entry) labels.set(entry.label, index);
    else index++;
  }
  const instructions: Insn[] = [];
  for (const entry of program) {
    if ('label' in entry) continue;
    if (Array.isArray(entry)) {
      instructions.push(entry);
      continue;
    }
    const here = instructions.length;
    const offset = (target: string) => (target === 'next' ? 0 : labels.get(target)! - here - 1);
    instructions.push([entry.jump, offset(entry.to[0]), offset(entry.to[1]), entry.k]);
  }
  const bytes = Buffer.alloc(instructions.length * 8);
  instructions.forEach(([code, jt, jf, k], i) => {
    bytes.writeUInt16LE(code, i * 8);
    bytes.writeUInt8(jt, i * 8 + 2);
    bytes.writeUInt8(jf, i * 8 + 3);
    bytes.writeUInt32LE(k >>> 0, i * 8 + 4);
  });
  return bytes;
}

// --- running a command -------------------------------------------------------------------------

interface Completed {
  exitCode: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  /** Output passed the cap: the run was killed there. */
  truncated: boolean;
  timedOut: boolean;
  spawnError?: string;
}

/**
 * Runs a command in its own process group with an empty environment, handing it `inputs` on file
 * descriptors 3, 4, … (written, then closed); kills the group at the timeout or as soon as stdout or
 * stderr passes the cap.
 */
function execute(
  command: string,
  args: readonly string[],
  options: { timeoutMs: number; outputLimitBytes: number; inputs?: readonly Buffer[] },
): Promise<Completed> {
  return new Promise((resolve) => {
    const inputs = options.inputs ?? [];
    const child = spawn(command, args, {
      cwd: '/',
      env: {},
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe', ...inputs.map(() => 'pipe' as const)],
    });
    const captured = { stdout: [] as Buffer[], stderr: [] as Buffer[] };
    const sizes = { stdout: 0, stderr: 0 };
    let truncated = false;
    let timedOut = false;
    const killGroup = (): void => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // The group is already gone.
      }
    };
    const collect = (stream: 'stdout' | 'stderr') => (chunk: Buffer) => {
      const room = options.outputLimitBytes - sizes[stream];
      const kept = chunk.length > room ? chunk.subarray(0, Math.max(0, room)) : chunk;
      if (kept.length > 0) {
        captured[stream].push(kept);
        sizes[stream] += kept.length;
      }
      if (kept.length < chunk.length && !truncated) {
        truncated = true;
        killGroup();
      }
    };
    child.stdout?.on('data', collect('stdout'));
    child.stderr?.on('data', collect('stderr'));
    inputs.forEach((data, index) => {
      const stream = child.stdio[3 + index] as NodeJS.WritableStream | null;
      stream?.on('error', () => undefined);
      stream?.end(data);
    });
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
      // Anything left in its group goes with it (the sandbox dies with bwrap).
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

/** The executable `name` names: a path as is, else the first match on PATH; undefined when none. */
function resolveCommand(name: string): string | undefined {
  const candidates = name.includes('/')
    ? [name]
    : (process.env.PATH ?? '/usr/bin:/bin').split(':').map((folder) => path.join(folder || '.', name));
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return path.resolve(candidate);
    } catch {
      // Not here.
    }
  }
  return undefined;
}

/**
 * The program folders at the root as this machine has them, as bwrap arguments: a link into /usr
 * (/bin → usr/bin, /lib64 → usr/lib64 on a merged-/usr system) as the same link, a real folder
 * (an older layout) bound read-only; absent ones are left out.
 */
function rootProgramFolders(): string[] {
  const args: string[] = [];
  for (const name of ['bin', 'sbin', 'lib', 'lib32', 'lib64', 'libx32']) {
    const at = `/${name}`;
    try {
      const target = readlinkSync(at);
      if (/^\/?usr\/[\w.-]+$/.test(target)) args.push('--symlink', target, at);
    } catch {
      try {
        if (statSync(at).isDirectory()) args.push('--ro-bind', at, at);
      } catch {
        // Absent: not part of the sandbox.
      }
    }
  }
  return args;
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

/** "as,cpu,fsize,nproc" for policy.py. */
function limitSpec(limits: SandboxLimits): string {
  return [limits.memoryBytes, limits.cpuSeconds, limits.fileSizeBytes, MAX_TASKS].join(',');
}

interface Prepared {
  bwrap: string;
  python: string;
  filter: Buffer;
}

/** What the sandbox needs on this machine, or why it cannot be made. */
function prepare(options: SandboxOptions): Prepared | string {
  const name = options.bwrap ?? 'bwrap';
  const bwrap = resolveCommand(name);
  if (bwrap === undefined) return `bubblewrap (${name}) is not installed`;
  const python = options.python ?? DEFAULT_PYTHON;
  if (!python.startsWith('/usr/') || python.includes('/../') || resolveCommand(python) === undefined) {
    return `the interpreter ${python} is not an executable under /usr (the only folder the sandbox holds)`;
  }
  const filter = processFilter();
  if (filter === undefined) return `no seccomp filter for this machine's architecture (${process.arch})`;
  try {
    policyScript();
  } catch {
    return 'the code policy (policy.py beside sandbox.js) is missing from this installation';
  }
  return { bwrap, python, filter };
}

/** The bwrap arguments of one sandbox: the demo's source is read from fd 3, policy.py from fd 4, the filter from fd 5. */
function sandboxArgs(limits: SandboxLimits, command: readonly string[]): string[] {
  const size = String(Math.max(limits.fileSizeBytes, 64 * 1024) * 4);
  return [
    '--unshare-all',
    '--unshare-user',
    '--disable-userns',
    '--cap-drop',
    'ALL',
    '--die-with-parent',
    '--new-session',
    '--hostname',
    'sandbox',
    '--ro-bind',
    '/usr',
    '/usr',
    ...rootProgramFolders(),
    '--proc',
    '/proc',
    '--dev',
    '/dev',
    '--remount-ro',
    '/dev',
    '--size',
    size,
    '--tmpfs',
    '/tmp',
    '--size',
    size,
    '--tmpfs',
    '/demo',
    '--ro-bind-data',
    '3',
    `/demo/${DEMO_FILE}`,
    '--ro-bind-data',
    '4',
    '/sandbox/policy.py',
    // The root tmpfs (holding the mount points and links) becomes read-only once they are made.
    '--remount-ro',
    '/',
    '--chdir',
    '/demo',
    '--clearenv',
    '--setenv',
    'LANG',
    'C.UTF-8',
    '--setenv',
    'LC_ALL',
    'C.UTF-8',
    '--setenv',
    'PATH',
    '/usr/bin',
    '--setenv',
    'PYTHONDONTWRITEBYTECODE',
    '1',
    '--seccomp',
    '5',
    '--',
    ...command,
  ];
}

const availability = new Map<string, Promise<string | undefined>>();

/**
 * Whether the sandbox can be made here: bubblewrap found, its namespaces and the seccomp filter set
 * up, the interpreter started inside. Undefined when it can; else why not. Checked once per command.
 */
export function sandboxUnavailable(options: SandboxOptions = {}): Promise<string | undefined> {
  const prepared = prepare(options);
  if (typeof prepared === 'string') return Promise.resolve(`no sandbox: ${prepared}; the demo was not run`);
  const key = `${prepared.bwrap}\n${prepared.python}`;
  let cached = availability.get(key);
  if (cached === undefined) {
    const probe = 'import resource, sys; print("sandbox-ready", sys.flags.isolated)';
    cached = execute(prepared.bwrap, sandboxArgs(DEFAULT_LIMITS, [prepared.python, '-I', '-B', '-S', '-c', probe]), {
      timeoutMs: 15_000,
      outputLimitBytes: 4096,
      inputs: [Buffer.from('\n'), policyScript(), prepared.filter],
    }).then((done) => {
      if (done.exitCode === 0 && done.stdout.trim() === 'sandbox-ready 1') return undefined;
      const why = done.spawnError ?? (done.stderr.trim().split('\n').at(-1) || `exit code ${String(done.exitCode)}`);
      return `no sandbox: bubblewrap could not make it here (${path.basename(prepared.bwrap)}: ${why}); the demo was not run`;
    });
    availability.set(key, cached);
  }
  return cached;
}

/** What a failure tells the model: the stage, then the last lines of the error text. */
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

/** The modules a demo may import: the policy's list and the configured ones (for messages). */
export function policyModules(allowedModules: readonly string[] = []): string[] {
  const listed = /ALLOWED_MODULES = frozenset\(\s*"""([\s\S]*?)"""/.exec(policyScript().toString('utf8'))?.[1] ?? '';
  return [...new Set([...listed.split(/\s+/).filter((name) => name !== ''), ...allowedModules])].sort();
}

/** Checks and runs one Python source (see the module comment). Never throws for a bad demo. */
export async function runPythonDemo(source: string, options: SandboxOptions = {}): Promise<SandboxResult> {
  const limits = limitsOf(options);
  const unavailable = await sandboxUnavailable(options);
  if (unavailable !== undefined) return { status: 'unavailable', reason: unavailable };
  const prepared = prepare(options) as Prepared;
  const inputs = [Buffer.from(source, 'utf8'), policyScript(), prepared.filter];
  const script = ['/sandbox/policy.py'];
  const allowed = [...(options.allowedModules ?? [])].sort();

  // 1. The code policy and the syntax check, inside the sandbox, under the same limits.
  const checked = await execute(
    prepared.bwrap,
    sandboxArgs(limits, [
      prepared.python,
      '-I',
      '-B',
      '-S',
      ...script,
      'check',
      DEMO_FILE,
      allowed.join(','),
      limitSpec(limits),
    ]),
    { timeoutMs: Math.max(limits.timeoutMs, 10_000), outputLimitBytes: 64 * 1024, inputs },
  );
  let verdict: { ok: boolean; stage?: 'policy' | 'compile'; problems?: string[]; imports?: string[] } | undefined;
  try {
    verdict = checked.exitCode === 0 ? JSON.parse(checked.stdout) : undefined;
  } catch {
    verdict = undefined;
  }
  if (verdict === undefined) {
    return failure('policy', `${DEMO_FILE} could not be checked (it is too large or too deeply nested):`, checked);
  }
  if (!verdict.ok && !options.unsafeSkipPolicyForTests) {
    const stage = verdict.stage === 'compile' ? 'compile' : 'policy';
    const problems = (verdict.problems ?? []).join('\n');
    const rule =
      stage === 'compile'
        ? `${DEMO_FILE} does not compile:`
        : `${DEMO_FILE} breaks the code policy. Import only ${policyModules(allowed).join(', ')}; no eval/exec/compile/__import__/open/getattr with a computed or dunder name, no dunder attributes (${'__class__'}, ${'__globals__'} …), no files, processes or network, and no string holding a URL, a shell command or a path outside the current folder:`;
    return {
      status: 'failed',
      stage,
      message: `${rule}\n${problems}`,
      exitCode: null,
      signal: null,
      stdout: '',
      stderr: '',
    };
  }

  // 2. The run: policy.py sets the limits, then becomes `python3 -I -B -S demo.py`.
  const ran = await execute(
    prepared.bwrap,
    sandboxArgs(limits, [prepared.python, '-I', '-B', '-S', ...script, 'run', DEMO_FILE, limitSpec(limits)]),
    { timeoutMs: limits.timeoutMs, outputLimitBytes: limits.outputLimitBytes, inputs },
  );
  if (ran.timedOut) {
    return failure(
      'timeout',
      `${DEMO_FILE} did not finish within ${limits.timeoutMs / 1000} s and was killed; make it finish quickly.`,
      ran,
    );
  }
  if (ran.truncated) {
    return failure(
      'output',
      `${DEMO_FILE} printed more than ${Math.round(limits.outputLimitBytes / 1024)} KiB and was stopped; print a few lines only.`,
      ran,
    );
  }
  if (ran.exitCode !== 0) {
    ran.signal = ran.signal ?? signalOfExitCode(ran.exitCode);
    const how =
      ran.signal !== null
        ? `was killed by ${ran.signal} (CPU ${limits.cpuSeconds} s, memory ${Math.round(limits.memoryBytes / 1048576)} MiB limits)`
        : `exited with code ${String(ran.exitCode)}`;
    return failure(
      'run',
      `${DEMO_FILE} ${how}; it runs with no network, no files but its own folder, no processes:`,
      ran,
    );
  }
  return {
    status: 'ok',
    exitCode: 0,
    stdout: ran.stdout,
    stderr: ran.stderr,
    truncated: false,
    imports: verdict.imports ?? [],
    commands: [
      `policy.py check ${DEMO_FILE} (ast: allowed imports and names only)`,
      `bwrap --unshare-all --cap-drop ALL --clearenv (read-only /usr, fresh /tmp and ./, no process creation) -- python3 -I -B -S ${DEMO_FILE}`,
    ],
    limits,
  };
}
