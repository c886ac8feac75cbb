import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { repoRoot } from './support/fixtures.js';

test('under CI=true, npm test without the shared captures fails at once, naming the folder', () => {
  const missing = path.join(os.tmpdir(), 'ai-daily-no-shared-here');
  const result = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      path.join(repoRoot, 'test/run.ts'),
      // were the check broken, the runner would load the files but run no test (this one included)
      '--test-name-pattern=^no test has this name$',
    ],
    {
      cwd: repoRoot,
      env: { ...process.env, CI: 'true', SHARED_DIR: missing },
      encoding: 'utf8',
    },
  );
  assert.equal(result.status, 1);
  assert.match(
    result.stderr,
    new RegExp(`${path.join(missing, 'fixtures/real').replaceAll('/', '\\/')} does not exist`),
  );
  assert.equal(result.stdout, '');
});
