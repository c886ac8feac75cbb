import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { collectCommand } from '../../src/cli/commands/collect.js';
import { PRESETS } from '../../src/config/presets.js';
import { silentLogger } from '../../src/core/log.js';
import { Store } from '../../src/store/store.js';
import { dayFile, repoRoot } from '../support/fixtures.js';

const run = promisify(execFile);

interface RecordedDay {
  responses: { url: string }[];
}

describe('collect --replay a recorded day (2026-08-22)', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'ai-daily-collect-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('stores every item of every listed response, reports unlisted sources as failed, and adds nothing the second time', async () => {
    const day = JSON.parse(readFileSync(dayFile('2026-08-22'), 'utf8')) as RecordedDay;
    const listedPaths = new Set(day.responses.map((r) => new URL(r.url).origin + new URL(r.url).pathname));
    const first = await collectCommand({ cwd: dir, log: silentLogger, replay: dayFile('2026-08-22') });
    assert.equal(first.now, '2026-08-22T02:00:00.000Z');

    const preset = PRESETS.ai!.sources;
    assert.equal(first.sources.length, preset.length);
    for (const outcome of first.sources) {
      const source = preset.find((s) => s.id === outcome.id)!;
      const url = new URL(source.url);
      const listed = listedPaths.has(url.origin + url.pathname);
      if (listed) {
        assert.equal(outcome.status, 'ok', `${outcome.id} should be ok: ${outcome.error ?? ''}`);
        assert.ok(outcome.itemsFound > 0, `${outcome.id} found items`);
        assert.equal(outcome.itemsSeen, 0, `${outcome.id}: nothing seen before`);
      } else {
        assert.equal(outcome.status, 'failed', `${outcome.id} is not in the recorded day`);
        assert.equal(outcome.errorKind, 'unavailable');
      }
    }

    const store = await Store.open(path.join(dir, 'data/ai-daily.db'));
    try {
      for (const outcome of first.sources.filter((s) => s.status === 'ok')) {
        assert.equal(await store.countItems([outcome.id]), outcome.itemsNew, `${outcome.id}: stored = new`);
      }
      // Spot checks against the captures: OpenAI's feed has 6 items, Anthropic's scraped feed 255, Meta's 88.
      assert.equal(await store.countItems(['openai-news']), 6);
      assert.equal(await store.countItems(['anthropic-news']), 255);
      assert.equal(await store.countItems(['meta-ai']), 88);
    } finally {
      await store.close();
    }

    const second = await collectCommand({ cwd: dir, log: silentLogger, replay: dayFile('2026-08-22') });
    assert.equal(second.itemsNew, 0);
    assert.equal(second.itemsSeen, first.itemsNew);
  });

  it('prints only the JSON summary on stdout through the real CLI, logs on stderr', async () => {
    const cliDir = mkdtempSync(path.join(tmpdir(), 'ai-daily-cli-'));
    try {
      const { stdout, stderr } = await run(
        process.execPath,
        [path.join(repoRoot, 'bin/ai-daily.js'), 'collect', '--replay', dayFile('2026-08-22'), '--json'],
        { cwd: cliDir, env: { ...process.env, NO_COLOR: '1' } },
      );
      const summary = JSON.parse(stdout) as { sources: { id: string; status: string }[]; itemsNew: number };
      assert.ok(summary.itemsNew > 300);
      assert.ok(summary.sources.some((s) => s.id === 'arxiv-cs-ai' && s.status === 'failed'));
      assert.match(stderr, /collected \d+\/\d+ sources/);
    } finally {
      rmSync(cliDir, { recursive: true, force: true });
    }
  });

  it('exits 2 naming the field of a broken config', async () => {
    const cliDir = mkdtempSync(path.join(tmpdir(), 'ai-daily-cfg-'));
    try {
      const { writeFileSync } = await import('node:fs');
      writeFileSync(path.join(cliDir, 'ai-daily.config.yaml'), 'window:\n  hours: -3\nlanguage: fr\n');
      const result = await run(process.execPath, [path.join(repoRoot, 'bin/ai-daily.js'), 'collect'], {
        cwd: cliDir,
      }).then(
        () => ({ code: 0, stderr: '' }),
        (error: { code: number; stderr: string }) => error,
      );
      assert.equal(result.code, 2);
      assert.match(result.stderr, /window\.hours: /);
      assert.match(result.stderr, /language: /);
    } finally {
      rmSync(cliDir, { recursive: true, force: true });
    }
  });
});
