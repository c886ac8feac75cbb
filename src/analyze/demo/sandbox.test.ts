import assert from 'node:assert/strict';
import os from 'node:os';
import path from 'node:path';
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
  const python = await sandboxUnavailable({ python: path.join(os.homedir(), '.pyenv', 'shims', 'python3') });
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

test('the policy lets an ordinary demo through: classes, dataclasses, f-strings, self._x, __name__', async () => {
  const source = [
    'from __future__ import annotations',
    'import heapq',
    'from dataclasses import dataclass, field',
    'from typing import List',
    '',
    '@dataclass(order=True)',
    'class Job:',
    '    priority: int',
    '    name: str = field(compare=False)',
    '',
    'class Queue:',
    '    def __init__(self) -> None:',
    '        self._heap: List[Job] = []',
    '    def __len__(self) -> int:',
    '        return len(self._heap)',
    '    def push(self, job: Job) -> None:',
    '        heapq.heappush(self._heap, job)',
    '    def first(self) -> str:',
    '        return heapq.nsmallest(1, self._heap)[0].name',
    '',
    'class Named(Queue):',
    '    def __init__(self) -> None:',
    '        super().__init__()',
    '        self.label = type(self).__name__',
    '',
    'def main() -> None:',
    '    q = Named()',
    '    for p, n in [(3, "c"), (1, "a"), (2, "b")]:',
    '        q.push(Job(p, n))',
    '    print(f"{q.label}: {len(q)} jobs, first {q.first()}")',
    '    print("ratio: {:.2f}".format(2 / 3), getattr(q, "label"), "a/b: 1/2")',
    '',
    'if __name__ == "__main__":',
    '    main()',
  ].join('\n');
  const result = await runPythonDemo(source);
  assert.ok(result.status === 'ok', JSON.stringify(result));
  assert.equal(result.stdout, 'Named: 3 jobs, first a\nratio: 0.67 Named a/b: 1/2\n');
});

test('the policy names each thing it refuses, with its line', async () => {
  const source = [
    'import typing, random, string, json',
    'modules = typing.sys.modules',
    'system = random._os.system',
    'text = "{0.__class__}".format(1)',
    'template = "{}"',
    'again = template.format(1)',
    'name = "dumps"',
    'dumps = getattr(json, name)',
    'run = "bash -c id"',
    'key = "~/.ssh/id_ed25519"',
    'up = "../secret.txt"',
    'hidden = "eval(1)"',
    'formatter = string.Formatter()',
  ].join('\n');
  const result = await runPythonDemo(source);
  assert.ok(result.status === 'failed' && result.stage === 'policy', JSON.stringify(result));
  for (const expected of [
    'line 2: the attribute sys is not allowed',
    'line 2: the attribute modules is not allowed',
    'line 3: the private attribute _os is not allowed',
    'line 4: a string names __class__',
    'line 6: format() is allowed only on a string literal',
    'line 8: getattr needs a literal attribute name',
    'line 9: a string holds a shell command',
    "line 10: a string holds a path outside the demo's folder",
    "line 11: a string holds a path outside the demo's folder",
  ]) {
    assert.ok(result.message.includes(expected), `${expected}\n${result.message}`);
  }
  // At most 12 problems are listed: the last lines' problems are cut.
  assert.ok(result.message.split('\n').filter((line) => line.startsWith('line ')).length <= 12);
  const deep = await runPythonDemo(`x = ${'['.repeat(5000)}${']'.repeat(5000)}\n`);
  assert.ok(deep.status === 'failed', JSON.stringify(deep));
  assert.ok(deep.stage === 'compile' || deep.stage === 'policy');
});
