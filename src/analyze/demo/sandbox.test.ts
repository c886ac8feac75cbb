import assert from 'node:assert/strict';
import { test } from 'node:test';
import { policyModules, processFilter, runPythonDemo, sandboxUnavailable } from './sandbox.js';

test('a demo of allowed modules runs and its output is captured', async () => {
  const result = await runPythonDemo(
    'import json, statistics\nprint(json.dumps({"mean": statistics.mean([1, 2, 6])}))\n',
  );
  assert.equal(result.status, 'ok', JSON.stringify(result));
  assert.ok(result.status === 'ok');
  assert.equal(result.stdout, '{"mean": 3}\n');
  assert.deepEqual(result.imports, ['json', 'statistics']);
  assert.ok(result.commands.some((command) => command.startsWith('bwrap --unshare-all --cap-drop ALL --clearenv')));
  assert.ok(result.commands.some((command) => command.endsWith('python3 -I -B -S demo.py')));
});

test('a demo that does not compile fails at the compile check with the line named', async () => {
  const result = await runPythonDemo('print("ok")\ndef broken(:\n    pass\n');
  assert.ok(result.status === 'failed');
  assert.equal(result.stage, 'compile');
  assert.match(result.message, /SyntaxError at line 2/);
});

test('the policy refuses modules outside its list, and names the list', async () => {
  for (const [source, name] of [
    ['import requests\n', 'requests'],
    ['from numpy import array\n', 'numpy'],
    ['import subprocess\nsubprocess.run(["true"])\n', 'subprocess'],
    ['import os.path\n', 'os'],
    ['import ctypes\n', 'ctypes'],
  ] as const) {
    const result = await runPythonDemo(source);
    assert.ok(result.status === 'failed', source);
    assert.equal(result.stage, 'policy', source);
    assert.ok(result.message.includes(`import of ${name} is not allowed`), `${name} in ${result.message}`);
    assert.ok(result.message.includes('Import only __future__, abc, array, bisect'), result.message);
  }
});

test('a module the configuration allows passes the policy (and then fails to import if absent)', async () => {
  const result = await runPythonDemo('import not_a_real_module_xyz\n', { allowedModules: ['not_a_real_module_xyz'] });
  assert.ok(result.status === 'failed', JSON.stringify(result));
  assert.equal(result.stage, 'run');
  assert.match(result.message, /ModuleNotFoundError/);
  assert.ok(policyModules(['not_a_real_module_xyz']).includes('not_a_real_module_xyz'));
});

test('the demo sees only its own folder: demo.py, as /demo', async () => {
  const listing = await runPythonDemo(
    'import os\nprint(sorted(os.listdir(".")), os.getcwd())\nprint(sorted(os.listdir("/")))\n',
    { unsafeSkipPolicyForTests: true },
  );
  assert.ok(listing.status === 'ok', JSON.stringify(listing));
  const [folder, root] = listing.stdout.trim().split('\n');
  assert.equal(folder, "['demo.py'] /demo");
  // Nothing of the host but /usr (and its links): no home, /etc, /run, /work or /root.
  for (const name of JSON.parse((root ?? '').replace(/'/g, '"')) as string[]) {
    assert.ok(
      ['bin', 'demo', 'dev', 'lib', 'lib32', 'lib64', 'libx32', 'proc', 'sandbox', 'sbin', 'tmp', 'usr'].includes(name),
      name,
    );
  }
});

test('a demo that uses too much CPU is stopped by the CPU limit', async () => {
  const result = await runPythonDemo('while True:\n    pass\n', { timeoutMs: 30_000, cpuSeconds: 1 });
  assert.ok(result.status === 'failed');
  assert.equal(result.stage, 'run');
  assert.equal(result.signal, 'SIGKILL', JSON.stringify(result));
});

test('without bubblewrap the demo is not run, and the result says why', async () => {
  const missing = await runPythonDemo("print('hi')\n", { bwrap: '/nonexistent/bwrap' });
  assert.ok(missing.status === 'unavailable');
  assert.match(missing.reason, /bubblewrap \(\/nonexistent\/bwrap\) is not installed/);
  const failing = await sandboxUnavailable({ bwrap: 'false' });
  assert.match(failing ?? '', /bubblewrap could not make it here/);
  const python = await sandboxUnavailable({ python: '/root/.pyenv/shims/python3' });
  assert.match(python ?? '', /not an executable under \/usr/);
});

test('the seccomp filter is a program for the machines it knows, and none for others', () => {
  const x64 = processFilter('x64');
  assert.ok(x64 !== undefined);
  assert.equal(x64.length % 8, 0);
  // The first instruction loads the architecture word (offset 4), the last kills the process.
  assert.deepEqual([...x64.subarray(0, 8)], [0x20, 0, 0, 0, 4, 0, 0, 0]);
  assert.equal(x64.readUInt32LE(x64.length - 4), 0x80000000);
  assert.ok(processFilter('arm64') !== undefined);
  assert.equal(processFilter('ia32'), undefined);
});
