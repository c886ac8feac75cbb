/**
 * `npm test` runs this after the type check and lint: every `*.test.ts` under src/ and test/ in
 * node's test runner, on the Node that runs this file. Arguments are passed to the runner (e.g.
 * `--test-name-pattern`).
 *
 * Without the shared captures (a clone outside this workspace has no ../shared), the test files
 * that read them are left out and one line says what is missing and how many were left out; under
 * `CI=true` a missing folder fails the run instead, naming it.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { repoRoot, sharedMissing } from './support/fixtures.js';
import { sharedReaders } from './support/shared-readers.js';

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.test.ts'))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

const all = [...testFiles(path.join(repoRoot, 'src')), ...testFiles(path.join(repoRoot, 'test'))].sort();
const missing = sharedMissing();
let files = all;
let note: string | undefined;
if (missing) {
  if (process.env.CI === 'true') {
    console.error(`CI reads the shared captures beside the clone (or SHARED_DIR), and ${missing}.`);
    process.exit(1);
  }
  const skipped = new Set(sharedReaders(all));
  files = all.filter((file) => !skipped.has(file));
  note = `Skipped ${skipped.size} of ${all.length} test files, which read the shared captures: ${missing} (set SHARED_DIR to run them).`;
}

const result = spawnSync(
  process.execPath,
  [
    '--import',
    'tsx',
    '--test',
    '--test-concurrency=2',
    ...process.argv.slice(2),
    ...files.map((file) => path.relative(repoRoot, file)),
  ],
  { cwd: repoRoot, stdio: 'inherit' },
);
if (note) console.log(note);
process.exit(result.status ?? 1);
