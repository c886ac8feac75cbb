import assert from 'node:assert/strict';
import { test } from 'node:test';
import { importedModules, runPythonDemo } from './sandbox.js';

test('a standard-library demo runs and its output is captured', async () => {
  const result = await runPythonDemo(
    'import json, statistics\nprint(json.dumps({"mean": statistics.mean([1, 2, 6])}))\n',
  );
  assert.equal(result.status, 'ok', JSON.stringify(result));
  assert.ok(result.status === 'ok');
  assert.equal(result.stdout, '{"mean": 3}\n');
  assert.equal(result.truncated, false);
  assert.ok(result.commands.some((command) => command.startsWith('unshare -r -n -m -u -p -f --mount-proc ')));
});

test('the network is not reachable inside the sandbox, not even loopback', async () => {
  const source = [
    'import urllib.request',
    "urllib.request.urlopen('http://127.0.0.1:1', timeout=2)",
    "print('connected')",
  ].join('\n');
  const result = await runPythonDemo(source);
  assert.equal(result.status, 'failed');
  assert.ok(result.status === 'failed');
  assert.equal(result.stage, 'run');
  assert.notEqual(result.exitCode, 0);
  assert.doesNotMatch(result.stdout, /connected/);
  // Unreachable (no interface up), not refused: the connection never left the namespace.
  assert.match(result.message, /Network is unreachable/);
});

test('a demo that loops forever is killed at the wall-clock limit', async () => {
  const result = await runPythonDemo('while True:\n    pass\n', { timeoutMs: 1500, cpuSeconds: 60 });
  assert.equal(result.status, 'failed');
  assert.ok(result.status === 'failed');
  assert.equal(result.stage, 'timeout');
  assert.match(result.message, /did not finish within 1.5 s and was killed/);
});

test('a demo that uses too much CPU is stopped by the CPU limit', async () => {
  const result = await runPythonDemo('while True:\n    pass\n', { timeoutMs: 30_000, cpuSeconds: 1 });
  assert.ok(result.status === 'failed');
  assert.equal(result.stage, 'run');
  assert.ok(result.signal !== null, JSON.stringify(result));
});

test('a demo that allocates past the memory limit fails with MemoryError', async () => {
  const result = await runPythonDemo("block = bytearray(1024 * 1024 * 1024)\nprint('allocated')\n", {
    memoryBytes: 128 * 1024 * 1024,
  });
  assert.ok(result.status === 'failed');
  assert.equal(result.stage, 'run');
  assert.match(result.message, /MemoryError/);
  assert.doesNotMatch(result.stdout, /allocated/);
});

test('a demo that does not compile fails at the compile check with the line named', async () => {
  const result = await runPythonDemo('print("ok")\ndef broken(:\n    pass\n');
  assert.ok(result.status === 'failed');
  assert.equal(result.stage, 'compile');
  assert.match(result.message, /SyntaxError/);
  assert.match(result.message, /line 2/);
  assert.doesNotMatch(result.message, /ai-daily-demo-/, 'the temporary folder is not shown');
});

test('non-standard and refused imports are rejected before anything runs', async () => {
  for (const [source, name] of [
    ['import requests\n', 'requests'],
    ['from numpy import array\n', 'numpy'],
    ['import subprocess\nsubprocess.run(["true"])\n', 'subprocess'],
    ['import os, ctypes\n', 'ctypes'],
    ["exec('import socket')\n", 'exec'],
    ["__import__('socket')\n", '__import__'],
  ] as const) {
    const result = await runPythonDemo(source);
    assert.ok(result.status === 'failed', source);
    assert.equal(result.stage, 'imports', source);
    assert.ok(result.message.includes(name), `${name} in ${result.message}`);
  }
});

test('a module the caller allows passes the import check (and then fails to import if absent)', async () => {
  const result = await runPythonDemo('import not_a_real_module_xyz\n', { allowedModules: ['not_a_real_module_xyz'] });
  assert.ok(result.status === 'failed');
  assert.equal(result.stage, 'run');
  assert.match(result.message, /ModuleNotFoundError/);
});

test('output is capped', async () => {
  const result = await runPythonDemo("print('x' * 100000)\n", { outputLimitBytes: 1000 });
  assert.ok(result.status === 'ok');
  assert.equal(result.stdout.length, 1000);
  assert.equal(result.truncated, true);
});

test('the demo can write only in its folder, sees no other process, and gets no host name out', async () => {
  const source = [
    'import os, socket',
    "open('note.txt', 'w').write('ok')",
    'for target in ["/tmp/ai-daily-escape-probe", os.path.expanduser("~root/ai-daily-escape-probe"), "../escape-probe"]:',
    '    try:',
    '        open(target, "w").write("x")',
    '        print("wrote", target)',
    '    except OSError as error:',
    '        print("refused", error.errno)',
    "print('processes', sorted(int(p) for p in os.listdir('/proc') if p.isdigit()))",
    'print(socket.gethostname())',
  ].join('\n');
  const result = await runPythonDemo(source);
  assert.ok(result.status === 'ok', JSON.stringify(result));
  const lines = result.stdout.trim().split('\n');
  assert.deepEqual(lines.slice(0, 3), ['refused 30', 'refused 30', 'refused 30']);
  // The namespace's shell (1), the demo and nothing else.
  assert.ok(/^processes \[1, \d+\]$/.test(lines[3] ?? ''), lines[3]);
  assert.equal(lines[4], 'sandbox');
});

test('the demo runs in its own empty folder and cannot write large files', async () => {
  const listing = await runPythonDemo("import os\nprint(sorted(os.listdir('.')))\nprint(os.getcwd())\n");
  assert.ok(listing.status === 'ok');
  assert.equal(listing.stdout.split('\n')[0], "['demo.py']");
  assert.equal(listing.stdout.split('\n')[1], '.', 'the temporary path is shown as "."');
  const big = await runPythonDemo("open('big.bin', 'wb').write(b'0' * 4 * 1024 * 1024)\n", {
    fileSizeBytes: 1024 * 1024,
  });
  assert.ok(big.status === 'failed');
  assert.equal(big.stage, 'run');
});

test('without unshare the demo is not run, and the result says why', async () => {
  const missing = await runPythonDemo("print('hi')\n", { unshare: '/nonexistent/unshare' });
  assert.equal(missing.status, 'unavailable');
  assert.ok(missing.status === 'unavailable');
  assert.match(missing.reason, /no network namespace/);
  assert.match(missing.reason, /ENOENT/);
  const failing = await runPythonDemo("print('hi')\n", { unshare: 'false' });
  assert.ok(failing.status === 'unavailable');
  assert.match(failing.reason, /exit code 1/);
});

test('importedModules reads import statements, not strings or comments', () => {
  assert.deepEqual(
    importedModules(
      [
        'import os.path, json as j',
        'from collections import Counter',
        'from . import sibling',
        '# import socket',
        'text = "import http"',
        'if True: import math',
        'x = 1; import re',
      ].join('\n'),
    ),
    ['collections', 'json', 'math', 'os', 're'],
  );
});
