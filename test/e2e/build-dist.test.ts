/**
 * The compiled build and how bin/ai-daily.js chooses between it and the sources: the build stamp
 * (bin/build-stamp.js) on real files, the real build script (bin/build-dist.js, real tsc with the
 * repository's tsconfigs) on a small project in a temp folder, and the real entry point spawned in
 * that project, which answers whether it ran dist/ or src/.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import {
  appendFileSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildState, STAMP_FILE, sourceListing, writeBuildStamp } from '../../bin/build-stamp.js';
import { repoRoot } from '../support/fixtures.js';

/** Each spawn of the source path pays tsx's start-up, a build pays tsc's. */
const TEST_TIMEOUT = { timeout: 120_000 };

interface Spawned {
  code: number;
  stdout: string;
  stderr: string;
}

function spawnNode(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<Spawned> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ...env };
  if (!('AI_DAILY_FROM_SOURCE' in env)) delete childEnv.AI_DAILY_FROM_SOURCE;
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { cwd, env: childEnv }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') reject(error);
      else resolve({ code: typeof error?.code === 'number' ? error.code : 0, stdout, stderr });
    });
  });
}

function write(root: string, relative: string, text: string): void {
  mkdirSync(path.dirname(path.join(root, relative)), { recursive: true });
  writeFileSync(path.join(root, relative), text);
}

/**
 * A project shaped like this one: the real bin/ and tsconfigs, node_modules linked to the real one,
 * and a src/ whose main answers where it runs from, reads an asset beside it and exits with the
 * number given as its first argument.
 */
function makeProject(): string {
  const root = mkdtempSync(path.join(tmpdir(), 'ai-daily-build-'));
  for (const file of [
    'bin/ai-daily.js',
    'bin/build-stamp.js',
    'bin/heap.js',
    'bin/build-dist.js',
    'tsconfig.json',
    'tsconfig.build.json',
  ]) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    copyFileSync(path.join(repoRoot, file), path.join(root, file));
  }
  symlinkSync(path.join(repoRoot, 'node_modules'), path.join(root, 'node_modules'), 'dir');
  write(root, 'package.json', '{ "name": "build-test", "type": "module", "private": true }\n');
  write(
    root,
    'src/cli/main.ts',
    [
      "import { readFileSync } from 'node:fs';",
      "import { greeting } from '../core/greeting.js';",
      '',
      'export async function main(args: string[]): Promise<number> {',
      "  const from = import.meta.url.includes('/dist/') ? 'dist' : 'src';",
      "  const asset = readFileSync(new URL('./asset.txt', import.meta.url), 'utf8').trim();",
      '  process.stdout.write(`${greeting()} from ${from}, ${asset}\\n`);',
      '  return Number(args[0] ?? 0);',
      '}',
      '',
    ].join('\n'),
  );
  write(root, 'src/cli/asset.txt', 'asset beside the code\n');
  write(root, 'src/core/greeting.ts', "export const greeting = (): string => 'hello';\n");
  write(root, 'src/core/greeting.test.ts', "import { greeting } from './greeting.js';\ngreeting();\n");
  return root;
}

describe('buildState', () => {
  let root: string;
  before(() => {
    root = makeProject();
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  const stamp = () => {
    mkdirSync(path.join(root, 'dist'), { recursive: true });
    const listing = sourceListing(root);
    assert.ok(listing);
    writeBuildStamp(path.join(root, 'dist'), listing);
  };

  it('lists the sources and tsconfigs a build depends on, never tests', () => {
    const files = (sourceListing(root) ?? []).map((line) => line.split(' ')[0]);
    assert.deepEqual(files, [
      'src/cli/asset.txt',
      'src/cli/main.ts',
      'src/core/greeting.ts',
      'tsconfig.build.json',
      'tsconfig.json',
    ]);
  });

  it('is fresh while the sources are as stamped; editing a test changes nothing', () => {
    stamp();
    assert.deepEqual(buildState(root), { fresh: true });
    appendFileSync(path.join(root, 'src/core/greeting.test.ts'), '// more\n');
    assert.deepEqual(buildState(root), { fresh: true });
  });

  it('names the first source edited, added or removed since the build', () => {
    stamp();
    appendFileSync(path.join(root, 'src/core/greeting.ts'), '// edited\n');
    assert.deepEqual(buildState(root), { fresh: false, reason: 'src/core/greeting.ts changed since the last build' });

    stamp();
    write(root, 'src/core/extra.ts', 'export const extra = 1;\n');
    assert.deepEqual(buildState(root), { fresh: false, reason: 'src/core/extra.ts was added since the last build' });

    stamp();
    rmSync(path.join(root, 'src/core/extra.ts'));
    assert.deepEqual(buildState(root), { fresh: false, reason: 'src/core/extra.ts was removed since the last build' });

    stamp();
    appendFileSync(path.join(root, 'tsconfig.build.json'), '\n');
    assert.deepEqual(buildState(root), { fresh: false, reason: 'tsconfig.build.json changed since the last build' });
  });

  it('is not fresh without a stamp or with a broken one, and says why', () => {
    rmSync(path.join(root, 'dist'), { recursive: true, force: true });
    const missing = buildState(root);
    assert.equal(missing.fresh, false);
    assert.match(missing.fresh ? '' : missing.reason, /^no build in dist\//);

    write(root, `dist/${STAMP_FILE}`, '{ "files": ');
    const broken = buildState(root);
    assert.match(broken.fresh ? '' : broken.reason, new RegExp(`^dist/${STAMP_FILE} is unreadable`));

    write(root, `dist/${STAMP_FILE}`, '{ "note": "no files" }');
    const empty = buildState(root);
    assert.match(empty.fresh ? '' : empty.reason, /lists no files/);
  });

  it('runs a build as it is where there are no sources beside it', () => {
    const installed = mkdtempSync(path.join(tmpdir(), 'ai-daily-installed-'));
    try {
      mkdirSync(path.join(installed, 'dist'));
      writeBuildStamp(path.join(installed, 'dist'), ['src/cli/main.ts 1 1']);
      assert.equal(sourceListing(installed), undefined);
      assert.deepEqual(buildState(installed), { fresh: true });
    } finally {
      rmSync(installed, { recursive: true, force: true });
    }
  });
});

describe('bin/build-dist.js and bin/ai-daily.js', () => {
  let root: string;
  before(() => {
    root = makeProject();
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  const cli = (args: string[], env: NodeJS.ProcessEnv = {}) => spawnNode(['bin/ai-daily.js', ...args], root, env);

  it('runs the sources through tsx while there is no build, and says so at -v', TEST_TIMEOUT, async () => {
    const quiet = await cli([]);
    assert.equal(quiet.stdout, 'hello from src, asset beside the code\n');
    assert.equal(quiet.stderr, '', 'no word about the build without -v');

    const verbose = await cli(['3', '-v']);
    assert.equal(verbose.code, 3, 'the exit code is main’s');
    assert.match(verbose.stderr, /^ai-daily: running the TypeScript sources through tsx: no build in dist\//);
  });

  it('builds dist/ without tests, with the assets, stamped; bin then runs it', TEST_TIMEOUT, async () => {
    const build = await spawnNode(['bin/build-dist.js'], root);
    assert.equal(build.code, 0, build.stderr);
    assert.ok(existsSync(path.join(root, 'dist/cli/main.js')));
    assert.ok(existsSync(path.join(root, 'dist/core/greeting.js')));
    assert.ok(!existsSync(path.join(root, 'dist/core/greeting.test.js')), 'tests are not built');
    assert.equal(readFileSync(path.join(root, 'dist/cli/asset.txt'), 'utf8'), 'asset beside the code\n');
    assert.deepEqual(buildState(root), { fresh: true });

    const fromDist = await cli(['4', '--verbose']);
    assert.equal(fromDist.stdout, 'hello from dist, asset beside the code\n');
    assert.equal(fromDist.code, 4);
    assert.equal(fromDist.stderr, '');

    const forced = await cli(['-v'], { AI_DAILY_FROM_SOURCE: '1' });
    assert.equal(forced.stdout, 'hello from src, asset beside the code\n');
    assert.match(forced.stderr, /AI_DAILY_FROM_SOURCE is set/);
  });

  it('never runs a build older than the sources', TEST_TIMEOUT, async () => {
    write(root, 'src/core/greeting.ts', "export const greeting = (): string => 'hello again';\n");
    const stale = await cli(['-v']);
    assert.equal(stale.stdout, 'hello again from src, asset beside the code\n');
    assert.match(stale.stderr, /src\/core\/greeting\.ts changed since the last build/);
    assert.match(stale.stderr, /^ai-daily: running the TypeScript sources through tsx/);
  });

  it('fails on a type error and leaves the previous build in place, unused', TEST_TIMEOUT, async () => {
    const before = readFileSync(path.join(root, 'dist/core/greeting.js'), 'utf8');
    write(root, 'src/core/greeting.ts', 'export const greeting = (): string => 42;\n');
    const build = await spawnNode(['bin/build-dist.js'], root);
    assert.equal(build.code, 1);
    assert.match(build.stderr, /build: tsc failed .*dist\/ left as it was/);
    assert.equal(readFileSync(path.join(root, 'dist/core/greeting.js'), 'utf8'), before);
    assert.equal(buildState(root).fresh, false, 'the old build does not match the sources');
  });
});
