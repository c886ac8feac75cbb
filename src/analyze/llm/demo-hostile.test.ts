/**
 * Hostile demos against the real sandbox (bubblewrap, seccomp, limits) and the code policy: each
 * is refused by the policy, and — run again with the policy skipped (a test-only option) — each is
 * contained by the sandbox itself; nothing of any of them is published. The secrets it hunts are
 * planted by this test: a fake key in a temporary HOME, a marker in this process's environment, a
 * marker file in the host's /tmp, servers on a host Unix socket, an abstract socket and 127.0.0.1.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildDemo, runPythonDemo, type SandboxOptions, type SandboxResult } from '../demo/index.js';
import { publishableOutput } from './demo.js';

/** Files of the host system a hostile demo tries to read (built from parts, not written as host paths). */
const SYSTEM_FILES = [path.join(path.sep, 'etc', 'passwd'), path.join(path.sep, 'etc', 'hostname')];

const marker = `hostile-${randomBytes(6).toString('hex')}`;
const KEY_TEXT = `-----BEGIN OPENSSH PRIVATE KEY-----\n${marker}-key\n-----END OPENSSH PRIVATE KEY-----\n`;
const ENV_NAME = 'AI_DAILY_HOSTILE_MARKER';
const LIMITS: SandboxOptions = {
  timeoutMs: 4_000,
  cpuSeconds: 2,
  memoryBytes: 256 * 1024 * 1024,
  outputLimitBytes: 8 * 1024,
};

let home = '';
let keyPath = '';
let hostFile = '';
let socketPath = '';
const abstractName = `\0ai-daily-${marker}`;
let tcpPort = 0;
let connections = 0;
const servers: net.Server[] = [];
const previousHome = process.env.HOME;

const listen = (server: net.Server, where: string | number): Promise<void> =>
  new Promise((resolve, reject) => {
    server.once('error', reject);
    if (typeof where === 'number') server.listen(where, '127.0.0.1', () => resolve());
    else server.listen(where, () => resolve());
  });

before(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), 'ai-daily-hostile-home-'));
  await mkdir(path.join(home, '.ssh'), { mode: 0o700 });
  keyPath = path.join(home, '.ssh', 'id_ed25519');
  await writeFile(keyPath, KEY_TEXT, { mode: 0o600 });
  hostFile = path.join(home, 'host-secret.txt');
  await writeFile(hostFile, `${marker}-file\n`);
  process.env.HOME = home;
  process.env[ENV_NAME] = `${marker}-env`;
  socketPath = path.join(home, 'service.sock');
  for (const where of [socketPath, abstractName, 0]) {
    const server = net.createServer((socket) => {
      connections++;
      socket.end(`${marker}-socket\n`);
    });
    await listen(server, where);
    if (where === 0) tcpPort = (server.address() as net.AddressInfo).port;
    servers.push(server);
  }
});

after(async () => {
  for (const server of servers) await new Promise<void>((resolve) => server.close(() => resolve()));
  if (previousHome === undefined) delete process.env.HOME;
  else process.env.HOME = previousHome;
  delete process.env[ENV_NAME];
  await rm(home, { recursive: true, force: true });
});

/** Everything a run let out: nothing of the planted secrets may be in it. */
function assertNoSecret(result: SandboxResult, label: string): void {
  const text = result.status === 'unavailable' ? result.reason : `${result.stdout}\n${result.stderr}`;
  assert.ok(!text.includes(marker), `${label} let a planted secret out:\n${text}`);
  assert.doesNotMatch(text, /^(?:WROTE|CONNECTED|REMOUNTED)/m, `${label}:\n${text}`);
}

interface Hostile {
  name: string;
  /** The demo's source (built when the test runs: it names the planted paths and ports). */
  code: () => string;
  /** What the policy says (part of its message). */
  refused: RegExp;
  /** What the sandbox does with it when the policy is skipped. */
  contained: (result: Ran) => void;
}

/** A result of a sandbox that could be made. */
type Ran = Exclude<SandboxResult, { status: 'unavailable' }>;

const ranAndPrinted = (result: Ran, pattern: RegExp): void => {
  assert.match(result.stdout, pattern, JSON.stringify(result));
};

const HOSTILE: Hostile[] = [
  {
    name: 'reads files outside its folder (a host file, the project, /etc)',
    code: () =>
      [
        'import os',
        `for target in ${JSON.stringify([hostFile, path.join(process.cwd(), 'package.json'), ...SYSTEM_FILES, path.join(os.homedir(), '.bash_history'), '../x'])}:`,
        '    try:',
        '        print("READ", open(target).read())',
        '    except OSError as error:',
        '        print("refused", error.errno)',
        'print(sorted(os.listdir("/")))',
      ].join('\n'),
    refused: /a string holds a path outside the demo's folder|open is not allowed|import of os/,
    contained: (result) => {
      ranAndPrinted(result, /^refused 2$/m);
      assert.doesNotMatch(result.stdout, /^READ/m);
      assert.doesNotMatch(result.stdout, /'(?:etc|home|root|run|work|var)'/);
    },
  },
  {
    name: 'reads ~/.ssh/id_ed25519 of the user running it',
    code: () =>
      [
        'import os',
        `for target in [os.path.expanduser("~/.ssh/id_ed25519"), ${JSON.stringify(keyPath)}]:`,
        '    try:',
        '        print("READ", open(target).read())',
        '    except OSError as error:',
        '        print("refused", error.errno)',
      ].join('\n'),
    refused: /import of os is not allowed|open is not allowed/,
    contained: (result) => ranAndPrinted(result, /^refused 2\nrefused 2$/m),
  },
  {
    name: 'reads the environment, /proc/self/environ and /proc/1/environ',
    code: () =>
      [
        'import os',
        'print(dict(os.environ))',
        'for pid in ["self", "1"] + [p for p in os.listdir("/proc") if p.isdigit()]:',
        '    try:',
        '        print(pid, open("/proc/" + pid + "/environ", "rb").read())',
        '    except OSError as error:',
        '        print(pid, "refused", error.errno)',
      ].join('\n'),
    refused: /import of os is not allowed/,
    contained: (result) => {
      ranAndPrinted(result, /^1 b''$/m);
      assert.ok(!result.stdout.includes(ENV_NAME), result.stdout);
      assert.doesNotMatch(result.stdout, /HOME|USER|SSH_|TOKEN|KEY/);
    },
  },
  {
    name: 'remounts the file systems writable, makes a user namespace of its own, reads key rings, traces',
    code: () =>
      [
        'import ctypes',
        'libc = ctypes.CDLL(None, use_errno=True)',
        'MS_REMOUNT, MS_BIND = 32, 4096',
        'for target in [b"/usr", b"/", b"/demo"]:',
        '    print("mount", target, libc.mount(None, target, None, MS_REMOUNT | MS_BIND, None), ctypes.get_errno())',
        'print("unshare", libc.unshare(0x10000000), ctypes.get_errno())',
        'print("keyctl", libc.syscall(250, 0, -4, 0), ctypes.get_errno())',
        'print("ptrace", libc.syscall(101, 16, 1, 0, 0), ctypes.get_errno())',
        'try:',
        '    open("/usr/ai-daily-probe", "w")',
        '    print("WROTE /usr")',
        'except OSError as error:',
        '    print("write refused", error.errno)',
      ].join('\n'),
    refused: /import of ctypes is not allowed/,
    contained: (result) => {
      ranAndPrinted(result, /^mount b'\/usr' -1 1$/m);
      assert.match(result.stdout, /^unshare -1 1$/m);
      if (process.arch === 'x64') {
        // Key rings and ptrace are refused by the seccomp filter (x64 numbers in the demo).
        assert.match(result.stdout, /^keyctl -1 1$/m);
        assert.match(result.stdout, /^ptrace -1 1$/m);
      }
      assert.match(result.stdout, /^write refused 30$/m);
      assert.equal(existsSync('/usr/ai-daily-probe'), false);
    },
  },
  {
    name: 'connects to a Unix socket of the host, an abstract socket and a TCP server on 127.0.0.1',
    code: () =>
      [
        'import socket',
        `for family, address in [(socket.AF_UNIX, ${JSON.stringify(socketPath)}), (socket.AF_UNIX, ${JSON.stringify(abstractName)}), (socket.AF_INET, ("127.0.0.1", ${tcpPort}))]:`,
        '    s = socket.socket(family, socket.SOCK_STREAM)',
        '    s.settimeout(2)',
        '    try:',
        '        s.connect(address)',
        '        print("CONNECTED", s.recv(100))',
        '    except OSError as error:',
        '        print("refused", error.errno)',
      ].join('\n'),
    refused: /import of socket is not allowed/,
    contained: (result) => {
      // No such file (the host's folder is not there); no abstract name and nothing listening on
      // 127.0.0.1 in the sandbox's own network namespace (its loopback is its own).
      ranAndPrinted(result, /^refused 2\nrefused 111\nrefused 111$/m);
      assert.equal(connections, 0, 'no server of the host was reached');
    },
  },
  {
    name: 'writes outside its folder (the host /tmp, the project, the parent folder)',
    code: () =>
      [
        `for target in [${JSON.stringify(path.join(home, 'escape.txt'))}, ${JSON.stringify(path.join(process.cwd(), 'escape.txt'))}, "../escape.txt", "/escape.txt", "/usr/escape.txt"]:`,
        '    try:',
        '        open(target, "w").write("x")',
        '        print("WROTE", target)',
        '    except OSError as error:',
        '        print("refused", error.errno)',
      ].join('\n'),
    refused: /a string holds a path outside the demo's folder/,
    contained: (result) => {
      ranAndPrinted(result, /^refused/m);
      for (const target of [path.join(home, 'escape.txt'), path.join(process.cwd(), 'escape.txt')]) {
        assert.equal(existsSync(target), false, target);
      }
    },
  },
  {
    name: 'a fork bomb, os.system and subprocess',
    code: () =>
      [
        'import os, subprocess',
        'print("system", os.system("echo pwned"))',
        'try:',
        '    subprocess.run(["echo", "pwned"])',
        'except OSError as error:',
        '    print("subprocess refused", error.errno)',
        'while True:',
        '    os.fork()',
      ].join('\n'),
    refused: /import of os is not allowed[\s\S]*import of subprocess is not allowed/,
    contained: (result) => {
      assert.ok(result.status === 'failed', JSON.stringify(result));
      assert.equal(result.stage, 'run');
      assert.doesNotMatch(result.stdout, /pwned/);
      assert.match(result.stdout, /^subprocess refused 1$/m);
      assert.match(result.stderr, /PermissionError: \[Errno 1\] Operation not permitted/);
    },
  },
  {
    name: 'a memory hog',
    code: () => 'blocks = [bytearray(64 * 1024 * 1024) for _ in range(64)]\nprint("allocated")\n',
    refused: /.^/, // The policy has nothing against it: the limit holds.
    contained: (result) => {
      assert.ok(result.status === 'failed');
      assert.equal(result.stage, 'run');
      assert.match(result.message, /MemoryError/);
    },
  },
  {
    name: 'an endless loop, and an endless sleep',
    code: () => 'import time\ntime.sleep(3600)\n',
    refused: /.^/,
    contained: (result) => {
      assert.ok(result.status === 'failed');
      assert.equal(result.stage, 'timeout');
      assert.match(result.message, /did not finish within 4 s and was killed/);
    },
  },
  {
    name: '100 MB of output',
    code: () => 'line = "x" * 999\nfor _ in range(100_000):\n    print(line)\n',
    refused: /.^/,
    contained: (result) => {
      assert.ok(result.status === 'failed');
      assert.equal(result.stage, 'output');
      assert.ok(result.stdout.length <= 8 * 1024);
    },
  },
  {
    name: '__import__, importlib and exec of an encoded string',
    code: () => {
      const payload = Buffer.from(`print("READ", open(${JSON.stringify(keyPath)}).read())`).toString('base64');
      return [
        'import base64, importlib',
        'print(importlib.import_module("json").dumps(1))',
        'print(__import__("json").dumps(2))',
        `exec(base64.b64decode(${JSON.stringify(payload)}))`,
      ].join('\n');
    },
    refused:
      /import of base64 is not allowed[\s\S]*import of importlib is not allowed[\s\S]*__import__ is not allowed[\s\S]*exec is not allowed/,
    contained: (result) => {
      assert.ok(result.status === 'failed', JSON.stringify(result));
      assert.match(result.stderr, /FileNotFoundError/);
    },
  },
  {
    name: 'getattr(__builtins__, …) and ().__class__.__subclasses__()',
    code: () =>
      [
        'opener = getattr(__builtins__, "op" + "en")',
        'for cls in ().__class__.__base__.__subclasses__():',
        '    if cls.__name__ == "_wrap_close":',
        '        print("system", cls.__init__.__globals__["system"]("cat ~/.ssh/id_ed25519"))',
        'print("subclasses", len(().__class__.__base__.__subclasses__()))',
        'try:',
        '    print("READ", opener("/proc/1/environ").read())',
        'except OSError as error:',
        '    print("refused", error.errno)',
      ].join('\n'),
    refused:
      /getattr needs a literal attribute name[\s\S]*__builtins__ is not allowed[\s\S]*the attribute __subclasses__ is not allowed/,
    contained: (result) => {
      // os is not loaded by python3 -I -S, so the classic gadget finds nothing; were it found, the
      // shell it starts would be refused by the seccomp filter (see the fork bomb).
      ranAndPrinted(result, /^subclasses \d+$/m);
      assert.doesNotMatch(result.stdout, /^system 0$/m);
      assert.match(result.stdout, /^READ $/m, 'PID 1 of the sandbox has an empty environment');
    },
  },
  {
    name: 'Markdown, HTML and a link in its output',
    code: () =>
      'print("# Heading")\nprint("**bold** [get it](https" + "://evil.example/x)")\nprint("<scr" + "ipt>alert(1)</scr" + "ipt>")\n',
    refused: /.^/,
    contained: (result) => {
      // It runs (there is nothing to contain); its output is never published (below).
      assert.ok(result.status === 'ok', JSON.stringify(result));
      assert.ok(publishableOutput(result.stdout) !== undefined);
    },
  },
];

describe('hostile demos', () => {
  for (const hostile of HOSTILE) {
    if (hostile.refused.source !== '.^') {
      it(`refused by the policy before it runs: ${hostile.name}`, async () => {
        const result = await runPythonDemo(hostile.code(), LIMITS);
        assert.ok(result.status === 'failed', JSON.stringify(result));
        assert.equal(result.stage, 'policy');
        assert.match(result.message, hostile.refused);
        assert.equal(result.stdout, '', 'nothing ran');
      });
    }
    it(`contained by the sandbox without the policy: ${hostile.name}`, async () => {
      const result = await runPythonDemo(hostile.code(), { ...LIMITS, unsafeSkipPolicyForTests: true });
      assertNoSecret(result, hostile.name);
      assert.ok(result.status !== 'unavailable', 'the sandbox can be made here');
      hostile.contained(result);
    });
  }

  it('none of them is published, and the model is told why each time', async () => {
    let index = 0;
    const build = await buildDemo(
      { section: 'llm', title: 'A story', url: 'https://example.com/story' },
      async () => ({ shows: 'what it shows', code: HOSTILE[index++]!.code() }),
      { date: '2026-08-22', maxAttempts: HOSTILE.length, checkOutput: publishableOutput, sandbox: LIMITS },
    );
    assert.equal(build.published, false);
    assert.equal(build.attempts.length, HOSTILE.length);
    assert.ok(build.attempts.every((attempt) => attempt.outcome !== 'ok' && (attempt.message ?? '') !== ''));
    assert.ok(!JSON.stringify(build).includes(marker));
  });
});
