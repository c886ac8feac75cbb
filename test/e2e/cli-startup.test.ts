/**
 * What `ai-daily --help`, `--version` and a usage error load: the real CLI is spawned with a module
 * hook that writes down every module it resolves. They may load commander, picocolors, the CLI's
 * main and a few light core modules, and no other dependency of package.json (no store, SDK,
 * parser, segmenter, HTTP client) and no command module — those are loaded by the command that runs.
 * Checked on the path bin/ai-daily.js takes by itself (dist/ when built and current) and on the
 * TypeScript sources (AI_DAILY_FROM_SOURCE=1).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { repoRoot } from '../support/fixtures.js';

const TEST_TIMEOUT = { timeout: 60_000 };

/** Registers a resolve hook that appends each resolved URL to the file named by MODULE_LOG. */
const RECORDING_HOOK = `data:text/javascript,${encodeURIComponent(
  `import { register } from 'node:module';
register('data:text/javascript,' + encodeURIComponent(\`
import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  appendFileSync(process.env.MODULE_LOG, resolved.url + '\\\\n');
  return resolved;
}\`));`,
)}`;

/** Dependencies a start-up may load: the argument parser and the logger's colours (tsx on the source path). */
const START_UP_DEPENDENCIES = new Set(['commander', 'picocolors', 'tsx']);

const packageJson = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
};
const heavyDependencies = Object.keys(packageJson.dependencies).filter((name) => !START_UP_DEPENDENCIES.has(name));

interface LoadedModules {
  code: number;
  stdout: string;
  stderr: string;
  urls: string[];
}

describe('CLI start-up loads only what it needs', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'ai-daily-startup-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  let runs = 0;
  function loadedBy(args: string[], fromSource: boolean): Promise<LoadedModules> {
    const log = path.join(dir, `modules-${++runs}.txt`);
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', MODULE_LOG: log };
    delete env.AI_DAILY_FROM_SOURCE;
    if (fromSource) env.AI_DAILY_FROM_SOURCE = '1';
    return new Promise((resolve, reject) => {
      execFile(
        process.execPath,
        ['--import', RECORDING_HOOK, path.join(repoRoot, 'bin/ai-daily.js'), ...args],
        { cwd: dir, env },
        (error, stdout, stderr) => {
          if (error && typeof error.code !== 'number') return reject(error);
          const urls = existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : [];
          resolve({ code: typeof error?.code === 'number' ? error.code : 0, stdout, stderr, urls });
        },
      );
    });
  }

  /** The dependency a module URL belongs to ("@scope/name" or "name"), or undefined for one of ours. */
  function dependencyOf(url: string): string | undefined {
    const match = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
    return match?.[1];
  }

  function assertLight(result: LoadedModules, what: string): void {
    const ours = result.urls.filter((url) => url.startsWith('file:') && dependencyOf(url) === undefined);
    assert.ok(
      ours.some((url) => /\/(?:src|dist)\/cli\/main\.(?:ts|js)$/.test(url)),
      `${what}: the hook saw the CLI's main (it records what loads):\n${result.urls.join('\n')}`,
    );
    assert.ok(
      result.urls.some((url) => dependencyOf(url) === 'commander'),
      `${what}: commander was seen`,
    );
    const heavy = result.urls.filter((url) => heavyDependencies.includes(dependencyOf(url) ?? ''));
    assert.deepEqual(heavy, [], `${what} loads none of ${heavyDependencies.join(', ')}`);
    const commandModules = ours.filter((url) =>
      /\/(?:src|dist)\/(?:cli\/commands|store|pipeline|http|sources|render|publish|app|config)\//.test(url),
    );
    assert.deepEqual(commandModules, [], `${what} loads no command module and no stage`);
  }

  for (const fromSource of [false, true]) {
    const path_ = fromSource ? 'the TypeScript sources' : 'the path bin takes by itself';
    it(`--help, on ${path_}`, TEST_TIMEOUT, async () => {
      const result = await loadedBy(['--help'], fromSource);
      assert.equal(result.code, 0);
      assert.match(result.stdout, /^Usage: ai-daily /);
      assert.match(result.stdout, /\brun \[options\]/);
      assertLight(result, '--help');
    });
  }

  it('--version and a usage error keep their answers and exit codes', TEST_TIMEOUT, async () => {
    const version = await loadedBy(['--version'], false);
    assert.equal(version.code, 0);
    assert.equal(version.stdout, `${JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).version}\n`);
    assertLight(version, '--version');

    const unknown = await loadedBy(['no-such-command'], false);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown command 'no-such-command'/);
    assertLight(unknown, 'an unknown command');
  });

  it('a command loads its module when it runs', TEST_TIMEOUT, async () => {
    const init = await loadedBy(['init', '--config', 'new.yaml'], false);
    assert.equal(init.code, 0, init.stderr);
    assert.ok(existsSync(path.join(dir, 'new.yaml')));
    assert.ok(
      init.urls.some((url) => /\/(?:src|dist)\/cli\/commands\/init\.(?:ts|js)$/.test(url)),
      'init loaded its command module',
    );
  });
});
