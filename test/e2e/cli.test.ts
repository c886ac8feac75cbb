/**
 * The real CLI, spawned (`node bin/ai-daily.js …` in a temp folder): exit codes, what goes to stdout
 * and stderr, `init`, `sources`, `run --json` and `report` re-rendering from the store.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PRESETS } from '../../src/config/presets.js';
import { type CliResult, runCli } from '../support/cli.js';
import { dayFile, repoRoot } from '../support/fixtures.js';

const failingDay = path.join(repoRoot, 'test/fixtures/e2e/every-request-fails/day.json');
/** Each spawn pays tsx's start-up; a generous bound so that a hang fails one test, not the suite. */
const TEST_TIMEOUT = { timeout: 60_000 };

/** Runs the CLI to its end; a non-zero exit is a result, not an error. */
const cli = (args: string[], cwd: string) => runCli(args, cwd);

/** A stack trace line ("    at fn (file:1:2)"). */
const STACK_LINE = /^\s+at .+[:(]/m;

function assertNoStack(result: CliResult): void {
  assert.doesNotMatch(result.stderr, STACK_LINE, `no stack trace:\n${result.stderr}`);
}

/** Every file under a folder, relative to it. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)));
}

describe('ai-daily CLI', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'ai-daily-cli-e2e-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it(
    'usage: --help exits 0; unknown command, bad option, impossible date and missing replay file exit 2',
    TEST_TIMEOUT,
    async () => {
      const cwd = mkdtempSync(path.join(dir, 'usage-'));
      const [help, unknownCommand, badOption, badDate, futureDate, missingReplay] = await Promise.all([
        cli(['--help'], cwd),
        cli(['frobnicate'], cwd),
        cli(['run', '--no-such-option'], cwd),
        cli(['run', '--replay', failingDay, '--date', '2026-13-45'], cwd),
        cli(['run', '--replay', failingDay, '--date', '2026-08-23'], cwd),
        cli(['run', '--replay', 'no-such-day.json'], cwd),
      ]);
      assert.equal(help.code, 0, help.stderr);
      for (const command of ['run', 'report', 'collect', 'sources', 'init'])
        assert.match(help.stdout, new RegExp(command));

      assert.equal(unknownCommand.code, 2, unknownCommand.stderr);
      assert.match(unknownCommand.stderr, /unknown command 'frobnicate'/);
      assert.equal(badOption.code, 2, badOption.stderr);
      assert.match(badOption.stderr, /unknown option '--no-such-option'/);

      assert.equal(badDate.code, 2, badDate.stderr);
      assert.match(badDate.stderr, /--date: .*2026-13-45/);
      // The replayed day is 2026-08-22 in Asia/Shanghai: the next day is in the future.
      assert.equal(futureDate.code, 2, futureDate.stderr);
      assert.match(futureDate.stderr, /--date: .*2026-08-23/);
      assert.equal(missingReplay.code, 2, missingReplay.stderr);
      assert.match(missingReplay.stderr, /--replay: .*no-such-day\.json/);
      for (const result of [unknownCommand, badOption, badDate, futureDate, missingReplay]) {
        assert.equal(result.stdout, '');
        assertNoStack(result);
      }
      assert.deepEqual(filesUnder(path.join(cwd, 'out')), [], 'no report for a usage error');
    },
  );

  it('run --replay a day on which every request fails: exits 3, writes nothing, says why', TEST_TIMEOUT, async () => {
    const cwd = mkdtempSync(path.join(dir, 'failing-'));
    const result = await cli(['run', '--replay', failingDay, '--out', 'out'], cwd);
    assert.equal(result.code, 3, result.stderr);
    assert.equal(result.stdout, '');
    assert.deepEqual(filesUnder(path.join(cwd, 'out')), []);
    const sources = PRESETS.ai!.sources;
    assert.match(result.stderr, /nothing to report for 2026-08-22/);
    assert.match(result.stderr, new RegExp(`${sources.length} of ${sources.length} source\\(s\\) failed`));
    assert.match(result.stderr, /openai-news: failed \(http-status\)/);
    assert.match(result.stderr, /\(unavailable\)/);
    assertNoStack(result);
  });

  describe('in a folder set up by init', () => {
    let cwd: string;
    before(() => {
      cwd = mkdtempSync(path.join(dir, 'init-'));
    });

    it('init writes a config that loads; a second init without --force exits 2', TEST_TIMEOUT, async () => {
      const init = await cli(['init'], cwd);
      assert.equal(init.code, 0, init.stderr);
      const configFile = path.join(cwd, 'ai-daily.config.yaml');
      const written = readFileSync(configFile, 'utf8');

      const list = await cli(['sources', 'list', '--json'], cwd);
      assert.equal(list.code, 0, list.stderr);
      const entries = JSON.parse(list.stdout) as { id: string; kind: string; url: string; enabled: boolean }[];
      assert.deepEqual(
        entries.map((e) => e.id),
        PRESETS.ai!.sources.map((s) => s.id),
      );
      for (const entry of entries) {
        const preset = PRESETS.ai!.sources.find((s) => s.id === entry.id);
        assert.equal(entry.kind, preset?.kind);
        assert.equal(entry.url, preset?.url);
      }

      const again = await cli(['init'], cwd);
      assert.equal(again.code, 2);
      assert.match(again.stderr, /already exists.*--force/);
      assertNoStack(again);
      assert.equal(readFileSync(configFile, 'utf8'), written, 'the config was not overwritten');
    });

    it('sources test ID --replay prints the item count; an unknown id exits 2', TEST_TIMEOUT, async () => {
      // The count comes from the recorded response itself: one per <item> of OpenAI's feed.
      const day = JSON.parse(readFileSync(dayFile('2026-08-22'), 'utf8')) as {
        responses: { url: string; file: string }[];
      };
      const response = day.responses.find(
        (r) => r.url === PRESETS.ai!.sources.find((s) => s.id === 'openai-news')?.url,
      );
      assert.ok(response, 'the recorded day has OpenAI News');
      const body = readFileSync(path.resolve(path.dirname(dayFile('2026-08-22')), response.file), 'utf8');
      const expected = body.match(/<item[\s>]/g)?.length ?? 0;
      assert.ok(expected > 0);

      const [found, unknown] = await Promise.all([
        cli(['sources', 'test', 'openai-news', '--replay', dayFile('2026-08-22')], cwd),
        cli(['sources', 'test', 'nope'], cwd),
      ]);
      assert.equal(found.code, 0, found.stderr);
      assert.match(found.stdout, new RegExp(`^openai-news: ok, ${expected} item\\(s\\)$`, 'm'));
      assert.equal(unknown.code, 2);
      assert.match(unknown.stderr, /no source with id "nope"/);
      assert.equal(unknown.stdout, '');
      assertNoStack(unknown);
    });
  });

  describe('run --replay --json, then report from the store', () => {
    let cwd: string;
    let summary: {
      date: string;
      markdown: string;
      json: string;
      counts: Record<string, number>;
      sources: { total: number; ok: number; failed: number; failedIds: string[] };
    };
    before(() => {
      cwd = mkdtempSync(path.join(dir, 'run-'));
    });

    it('prints only the JSON summary on stdout, only log lines on stderr', TEST_TIMEOUT, async () => {
      const result = await cli(['run', '--replay', dayFile('2026-08-22'), '--json', '--out', 'out'], cwd);
      assert.equal(result.code, 0, result.stderr);
      summary = JSON.parse(result.stdout) as typeof summary;
      assert.equal(summary.date, '2026-08-22');
      assert.equal(summary.markdown, 'reports/2026/08/2026-08-22.md');
      assert.ok(existsSync(path.join(cwd, 'out', summary.markdown)));
      assert.ok(existsSync(path.join(cwd, 'out', summary.json)));
      assert.ok(summary.counts.selected && summary.counts.selected > 0);
      assert.equal(summary.sources.total, PRESETS.ai!.sources.length);
      assert.equal(summary.sources.ok + summary.sources.failed, summary.sources.total);
      assert.equal(summary.sources.failedIds.length, summary.sources.failed);

      assert.ok(result.stderr.trim().length > 0, 'logs on stderr');
      assert.doesNotMatch(result.stderr, /^\s*[{}[\]]/m, 'no JSON on stderr');
      assert.ok(!result.stderr.includes('"markdown"'), 'no summary on stderr');
      assert.match(result.stderr, /wrote reports\/2026\/08\/2026-08-22\.md/);
      assertNoStack(result);
    });

    it('report --date re-renders the same report from the store (the duration line aside)', TEST_TIMEOUT, async () => {
      const markdownFile = path.join(cwd, 'out', summary.markdown);
      const ran = readFileSync(markdownFile, 'utf8');
      const result = await cli(['report', '--out', 'out', '--date', '2026-08-22', '--json'], cwd);
      assert.equal(result.code, 0, result.stderr);
      const again = JSON.parse(result.stdout) as typeof summary;
      assert.equal(again.markdown, summary.markdown);
      assert.deepEqual(again.counts, summary.counts);
      assert.deepEqual(again.sources, summary.sources);
      const rendered = readFileSync(markdownFile, 'utf8');
      // Finding: a replayed run prints "not timed", `report` prints its own wall time; every other
      // byte (window, stories, citations, failed sources) must be the same.
      const withoutDuration = (markdown: string) =>
        markdown
          .split('\n')
          .filter((line) => !/^- (?:用时|Duration)[：:]/.test(line))
          .join('\n');
      assert.equal(rendered.split('\n').length, ran.split('\n').length);
      assert.equal(withoutDuration(rendered), withoutDuration(ran));
    });
  });
});
