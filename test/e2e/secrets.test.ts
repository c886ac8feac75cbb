/**
 * A key in a source URL (`${MY_FEED_KEY}`) is used for the request but never shown: the real CLI,
 * spawned on a recorded day where that source fails, prints `***` on stderr and in
 * `sources list`, stores `***`, and the report it publishes (the about section names the failed
 * source) holds no trace of the key, so the quality gate has nothing to refuse.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../support/cli.js';
import { dayFile } from '../support/fixtures.js';

const KEY = 'k3y-0123456789abcdefSECRET';
const PASSWORD = 'pa55-feed-password';
const TEST_TIMEOUT = { timeout: 120_000 };

const cli = (args: string[], cwd: string) => runCli(args, cwd, { MY_FEED_KEY: KEY, FEED_PASSWORD: PASSWORD });

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name));
}

function assertNoSecret(where: string, text: string): void {
  for (const secret of [KEY, PASSWORD]) {
    assert.ok(!text.includes(secret), `${where} contains a secret`);
    assert.ok(!text.includes(encodeURIComponent(secret)), `${where} contains a secret (URL-encoded)`);
  }
}

describe('secrets in source URLs (spawned CLI, recorded day 2026-08-22)', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'ai-daily-secrets-'));
    writeFileSync(
      path.join(dir, 'ai-daily.config.yaml'),
      [
        'language: en',
        'sources:',
        '  - id: keyed-feed',
        '    name: Keyed feed',
        '    kind: feed',
        '    url: "https://feeds.example.com/ai.xml?api_key=${MY_FEED_KEY}"',
        '  - id: basic-auth-feed',
        '    kind: feed',
        '    url: "https://reader:${FEED_PASSWORD}@feeds.example.com/private.xml"',
        '',
      ].join('\n'),
    );
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('sources list shows *** in place of the key and the password', TEST_TIMEOUT, async () => {
    const listed = await cli(['sources', 'list'], dir);
    assert.equal(listed.code, 0, listed.stderr);
    assertNoSecret('sources list', listed.stdout + listed.stderr);
    assert.match(listed.stdout, /keyed-feed .*https:\/\/feeds\.example\.com\/ai\.xml\?api_key=\*\*\*/);
    assert.match(listed.stdout, /basic-auth-feed .*https:\/\/\*\*\*@feeds\.example\.com\/private\.xml/);
    const json = await cli(['--json', 'sources', 'list'], dir);
    assertNoSecret('sources list --json', json.stdout);
  });

  it(
    'a run where the keyed source fails publishes, with *** on stderr, in the store and nowhere the key',
    TEST_TIMEOUT,
    async () => {
      const run = await cli(['run', '--replay', dayFile('2026-08-22'), '--out', 'out'], dir);
      assert.equal(run.code, 0, `the report is published:\n${run.stderr}`);
      assertNoSecret('stderr', run.stderr);
      assertNoSecret('stdout', run.stdout);
      assert.match(run.stderr, /keyed-feed: .*api_key=\*\*\*/);

      const reports = filesUnder(path.join(dir, 'out'));
      assert.ok(reports.some((file) => file.endsWith('.md')) && reports.some((file) => file.endsWith('.json')));
      for (const file of reports) assertNoSecret(path.basename(file), readFileSync(file, 'latin1'));
      const report = readFileSync(reports.find((file) => file.endsWith('.json'))!, 'utf8');
      assert.match(report, /keyed-feed|Keyed feed/, 'the about section names the failed source');

      const stored = filesUnder(path.join(dir, 'data'));
      assert.ok(stored.length > 0);
      for (const file of stored) assertNoSecret(`store file ${path.basename(file)}`, readFileSync(file, 'latin1'));

      const listed = await cli(['sources', 'list'], dir);
      assert.match(listed.stdout, /keyed-feed .*failing ×1: unavailable/);
      assertNoSecret('sources list after the run', listed.stdout);
    },
  );
});
