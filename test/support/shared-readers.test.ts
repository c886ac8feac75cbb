import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { repoRoot } from './fixtures.js';
import { sharedReaders } from './shared-readers.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'shared-readers-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

const fixtures = path.relative(dir, path.join(repoRoot, 'test/support/fixtures.js'));

test('a file that imports a shared path, or a module that does at any depth, reads the shared captures', () => {
  const direct = write('direct.test.ts', `import { realText as text, repoRoot } from '${fixtures}';\n`);
  write('helper.ts', `export { dayFile } from '${fixtures}';\n`);
  write('middle.ts', `import { dayFile } from './helper.js';\nexport const day = dayFile('x');\n`);
  const deep = write(
    'deep.test.ts',
    `import assert from 'node:assert/strict';\nimport {\n  day,\n} from './middle.js';\n`,
  );
  const rootOnly = write('root-only.test.ts', `import { repoRoot } from '${fixtures}';\n`);
  const typeOnly = write('type-only.test.ts', `import type { Shape } from './middle.js';\n`);
  write('cycle-a.ts', `import { b } from './cycle-b.js';\nexport const a = 1;\n`);
  write('cycle-b.ts', `import { a } from './cycle-a.js';\nexport const b = 2;\n`);
  const cycle = write('cycle.test.ts', `import { a } from './cycle-a.js';\n`);
  assert.deepEqual(sharedReaders([direct, deep, rootOnly, typeOnly, cycle]), [direct, deep]);
});

test('the project: the golden reports read the recorded days, the MinHash unit tests read nothing shared', () => {
  const golden = path.join(repoRoot, 'test/e2e/golden.test.ts');
  const minhash = path.join(repoRoot, 'src/pipeline/minhash.test.ts');
  assert.deepEqual(sharedReaders([golden, minhash]), [golden]);
});
