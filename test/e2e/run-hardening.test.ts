/**
 * Failures a tester found, through the real CLI in separate processes on real files and a real
 * SQLite store: unbounded replay reads, misleading or late errors, concurrent runs of one day.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { stringify as stringifyYaml } from 'yaml';
import { runLockFile } from '../../src/app/run-lock.js';
import { Store } from '../../src/store/store.js';
import { rssFeed } from '../fixtures/e2e/feeds.js';
import { startLoopbackServer } from '../fixtures/hostile/loopback-server.js';
import { runCli } from '../support/cli.js';
import { dayFile, daysDir, repoRoot } from '../support/fixtures.js';

const TEST_TIMEOUT = { timeout: 240_000 };

const cli = (args: string[], cwd: string) => runCli(['--config', '/dev/null', '-q', ...args], cwd);

interface DayFile {
  day: string;
  now: string;
  timezone?: string;
  responses: { url: string; file: string }[];
}

/** The 2026-08-22 day, rewritten into `folder` (body paths relative to it), with `change` applied. */
function dayIn(folder: string, change: (day: DayFile) => void): string {
  const day = JSON.parse(readFileSync(dayFile('2026-08-22'), 'utf8')) as DayFile;
  for (const response of day.responses) response.file = path.relative(folder, path.resolve(daysDir, response.file));
  change(day);
  const file = path.join(folder, 'day.json');
  writeFileSync(file, JSON.stringify(day));
  return file;
}

async function fetchLogRows(storeFile: string): Promise<number> {
  const store = await Store.open(storeFile);
  try {
    return Number(store.raw.prepare('SELECT count(*) AS n FROM fetch_log').pluck().get());
  } finally {
    await store.close();
  }
}

/** Whether this machine lets a process make a read-only bind mount in its own namespaces. */
function canMountReadOnly(): boolean {
  const probe = spawnSync('unshare', ['-rm', 'sh', '-c', 'mount --bind /tmp /tmp && mount -o remount,ro,bind /tmp'], {
    stdio: 'ignore',
  });
  return probe.status === 0;
}

/** Runs a command to its end; a non-zero exit is a result. */
function runProcess(
  command: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      env: { ...process.env, NO_COLOR: '1', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stderr }));
  });
}

describe('run hardening (real CLI processes)', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'ai-daily-hardening-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it(
    'a recorded day naming /dev/zero is refused (exit 2); a relative symlink to it fails that source only',
    TEST_TIMEOUT,
    async () => {
      const absolute = mkdtempSync(path.join(dir, 'zero-absolute-'));
      const absoluteDay = dayIn(absolute, (day) => {
        day.responses[0]!.file = '/dev/zero';
      });
      const refused = await cli(['run', '--replay', absoluteDay, '--out', 'out'], absolute);
      assert.equal(refused.code, 2, refused.stderr);
      assert.match(
        refused.stderr,
        /--replay: invalid recorded day [^\n]*day\.json:\n\s+responses\.0\.file: must be a path relative/,
      );
      assert.equal(existsSync(path.join(absolute, 'out')), false);

      const linked = mkdtempSync(path.join(dir, 'zero-link-'));
      symlinkSync('/dev/zero', path.join(linked, 'zero'));
      let zeroUrl = '';
      const linkedDay = dayIn(linked, (day) => {
        day.responses[0]!.file = 'zero';
        zeroUrl = day.responses[0]!.url;
      });
      const run = await cli(['--json', 'run', '--replay', linkedDay, '--out', 'out'], linked);
      assert.equal(run.code, 0, run.stderr);
      const summary = JSON.parse(run.stdout) as { json: string; sources: { failedIds: string[] } };
      const report = JSON.parse(readFileSync(path.join(linked, 'out', summary.json), 'utf8')) as {
        manifest: { sources: { id: string; status: string; error?: string }[] };
        references: { url: string }[];
      };
      const failed = report.manifest.sources.filter((s) => s.error?.includes('is not a regular file'));
      assert.equal(failed.length, 1, `one source failed on the symlink to /dev/zero (${zeroUrl})`);
      assert.equal(failed[0]!.status, 'failed');
    },
  );

  it('--config naming a folder is a config error (exit 2) naming it, not a raw EISDIR', TEST_TIMEOUT, async () => {
    const cwd = mkdtempSync(path.join(dir, 'config-folder-'));
    mkdirSync(path.join(cwd, 'conf.d'));
    const result = await runCli(['--config', 'conf.d', 'run', '--replay', dayFile('2026-08-22')], cwd);
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /^ai-daily: --config conf\.d is a folder, not a config file: name a YAML file/m);
    assert.doesNotMatch(result.stderr, /EISDIR/);
    assert.equal(existsSync(path.join(cwd, 'data')), false, 'no store was made');
  });

  it(
    'a source title holding the value of an environment variable is redacted in that story, not the day (exit 0)',
    TEST_TIMEOUT,
    async () => {
      const cwd = mkdtempSync(path.join(dir, 'env-title-'));
      // A value of this machine's environment that one of the day's titles happens to contain,
      // beside values too common to be a leak (they never refuse the report, nor are redacted).
      const env = { BUILD_TAG: 'LFM2.5-DSpark', DEBIAN_FRONTEND: 'noninteractive', USER: 'root', LANG: 'C.UTF-8' };
      const args = ['--config', '/dev/null', 'run', '--replay', dayFile('2026-08-22'), '--lang', 'en'];
      const result = await runCli([...args, '--out', 'out'], cwd, env);
      assert.equal(result.code, 0, result.stderr);
      assert.match(
        result.stderr,
        /the value of environment variable BUILD_TAG was in \d+ text\(s\) of the report: replaced by \*\*\*/,
      );
      const base = path.join(cwd, 'out', 'reports', '2026', '08', '2026-08-22.en');
      for (const extension of ['md', 'json', 'html']) {
        const text = readFileSync(`${base}.${extension}`, 'utf8');
        assert.doesNotMatch(text, /LFM2\.5-DSpark/, extension);
        // Markdown escapes the stars of the redaction where they stand in a title.
        assert.match(text, /Up to 3\.2x Faster Inference with (?:\*\*\*|\\\*\\\*\\\*)/, extension);
      }
      // The rest of the day is there: its stories and the titles listed under other headlines.
      const markdown = readFileSync(`${base}.md`, 'utf8');
      assert.match(
        markdown,
        /#### \[EnvHarness: Awakening Static Worlds for Agent Learning\]\(https:\/\/huggingface\.co\//,
      );
      assert.match(markdown, /Google Discover is getting an AI chatbot-tuned feed/);
    },
  );

  it('an output folder made read-only mid-run (a real read-only mount) is named with the cause, the lock not in the way', {
    ...TEST_TIMEOUT,
    skip: canMountReadOnly() ? false : 'needs `unshare -rm` (user and mount namespaces)',
  }, async () => {
    const cwd = mkdtempSync(path.join(dir, 'read-only-'));
    const out = path.join(cwd, 'out');
    mkdirSync(out);
    const trigger = path.join(cwd, 'fetching');
    const remounted = path.join(cwd, 'remounted');
    // A live source: while its answer is held back, the shell remounts the output folder read-only.
    const server = await startLoopbackServer({
      '/rss.xml': async (_request, response) => {
        writeFileSync(trigger, '');
        while (!existsSync(remounted)) await new Promise((resolve) => setTimeout(resolve, 20));
        response.writeHead(200, { 'content-type': 'application/rss+xml' });
        response.end(rssFeed(new Date()));
      },
    });
    try {
      writeFileSync(
        path.join(cwd, 'ai-daily.config.yaml'),
        stringifyYaml({
          preset: 'none',
          language: 'en',
          http: { allowHosts: [new URL(server.origin).host] },
          sources: [
            { id: 'loopback', name: 'Loopback', kind: 'feed', url: `${server.origin}/rss.xml`, filterTopics: false },
          ],
        }),
      );
      const script = [
        'mount --bind "$OUT" "$OUT"',
        '"$NODE" "$CLI" -q run --out out --mode extractive & pid=$!',
        'while [ ! -e "$TRIGGER" ]; do sleep 0.05; done',
        'mount -o remount,ro,bind "$OUT"',
        ': > "$REMOUNTED"',
        'wait $pid',
      ].join('\n');
      const result = await runProcess('unshare', ['-rm', 'sh', '-c', script], cwd, {
        OUT: out,
        NODE: process.execPath,
        CLI: path.join(repoRoot, 'bin/ai-daily.js'),
        TRIGGER: trigger,
        REMOUNTED: remounted,
      });
      assert.equal(result.code, 1, result.stderr);
      assert.match(
        result.stderr,
        /^ai-daily: publish: cannot write .*\/out\/reports\/\d{4}\/\d{2}\/[\d-]+\.md: the file system is read-only \(EROFS\); nothing new was published\. Make the output folder writable, then run again/m,
      );
      assert.doesNotMatch(result.stderr, /unlink|at \w+ \(/, 'no raw error, no stack');
      assert.equal(existsSync(path.join(out, 'reports')), false);
    } finally {
      await server.close();
    }
  });

  it('--out naming a file fails before anything is collected, naming the path', TEST_TIMEOUT, async () => {
    const cwd = mkdtempSync(path.join(dir, 'out-file-'));
    writeFileSync(path.join(cwd, 'out'), 'not a folder');
    const result = await cli(['run', '--replay', dayFile('2026-08-22'), '--out', 'out'], cwd);
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /^ai-daily: output: the output folder .*out-file-\w+\/out is a file, not a folder/m);
    assert.equal(await fetchLogRows(path.join(cwd, 'data/ai-daily.db')), 0, 'nothing was collected');
  });

  it(
    'a store path that is a folder, or a file that is not a store, is named with what to do (exit 1, no collect)',
    TEST_TIMEOUT,
    async () => {
      const folderCase = mkdtempSync(path.join(dir, 'store-folder-'));
      mkdirSync(path.join(folderCase, 'data', 'ai-daily.db'), { recursive: true });
      const folder = await cli(['run', '--replay', dayFile('2026-08-22'), '--out', 'out'], folderCase);
      assert.equal(folder.code, 1, folder.stderr);
      assert.match(
        folder.stderr,
        /^ai-daily: store: the store path .*data\/ai-daily\.db is a folder, not a SQLite file/m,
      );

      const damagedCase = mkdtempSync(path.join(dir, 'store-damaged-'));
      mkdirSync(path.join(damagedCase, 'data'));
      writeFileSync(path.join(damagedCase, 'data', 'ai-daily.db'), 'not a database '.repeat(1000));
      const damaged = await cli(['run', '--replay', dayFile('2026-08-22'), '--out', 'out'], damagedCase);
      assert.equal(damaged.code, 1, damaged.stderr);
      assert.match(damaged.stderr, /store: the store .*data\/ai-daily\.db is not a SQLite database/);
      assert.match(damaged.stderr, /move it aside \(mv ".*ai-daily\.db" ".*ai-daily\.db\.damaged"\) and run again/);
      assert.equal(existsSync(path.join(damagedCase, 'out', 'reports')), false);
    },
  );

  it(
    "a run of a day whose lock a live process holds exits 4; a crashed holder's lock is taken over",
    TEST_TIMEOUT,
    async () => {
      const cwd = mkdtempSync(path.join(dir, 'locked-'));
      const out = path.join(cwd, 'out');
      mkdirSync(out);
      const lockFile = runLockFile(out, '2026-08-22', 'zh');
      // Held by this (live) test process.
      writeFileSync(lockFile, JSON.stringify({ pid: process.pid, host: os.hostname(), startedAt: 'now', token: 't' }));
      const locked = await cli(['run', '--replay', dayFile('2026-08-22'), '--out', 'out'], cwd);
      assert.equal(locked.code, 4, locked.stderr);
      assert.match(locked.stderr, new RegExp(`another run of 2026-08-22 \\(zh\\) into .* \\(pid ${process.pid} on `));
      assert.equal(await fetchLogRows(path.join(cwd, 'data/ai-daily.db')), 0, 'nothing was collected');

      const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
        encoding: 'utf8',
      });
      writeFileSync(
        lockFile,
        JSON.stringify({ pid: Number(gone.stdout), host: os.hostname(), startedAt: 'x', token: 'c' }),
      );
      const taken = await cli(['run', '--replay', dayFile('2026-08-22'), '--out', 'out'], cwd);
      assert.equal(taken.code, 0, taken.stderr);
      assert.equal(existsSync(lockFile), false, 'the lock is released');
    },
  );

  it(
    'two runs of one day on one store at once (--wait): both exit 0, the report is that of a lone run',
    TEST_TIMEOUT,
    async () => {
      const alone = mkdtempSync(path.join(dir, 'alone-'));
      const both = mkdtempSync(path.join(dir, 'both-'));
      const args = ['run', '--replay', dayFile('2026-08-22'), '--out', 'out', '--wait', '200'];
      const [first, second, lone] = await Promise.all([cli(args, both), cli(args, both), cli(args, alone)]);
      for (const result of [first, second, lone]) assert.equal(result.code, 0, result.stderr);
      for (const name of ['2026-08-22.md', '2026-08-22.json']) {
        const file = path.join('out', 'reports', '2026', '08', name);
        assert.equal(readFileSync(path.join(both, file), 'utf8'), readFileSync(path.join(alone, file), 'utf8'), name);
      }
    },
  );
});
