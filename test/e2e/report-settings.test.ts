import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCommand } from '../../src/cli/commands/run.js';
import { ConfigError } from '../../src/core/errors.js';
import { silentLogger } from '../../src/core/log.js';
import type { Report } from '../../src/core/report.js';
import { dayFile } from '../support/fixtures.js';

describe('the config `report` settings and --mode reach the analysis', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'ai-daily-settings-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('report.topStories sets how many top stories the report has', async () => {
    const counts: number[] = [];
    for (const topStories of [2, 9]) {
      const folder = path.join(dir, `top-${topStories}`);
      writeFileSync(path.join(dir, `top-${topStories}.yaml`), `report:\n  topStories: ${topStories}\n`);
      const summary = await runCommand({
        cwd: dir,
        config: `top-${topStories}.yaml`,
        log: silentLogger,
        replay: dayFile('2026-04-28'),
        out: folder,
      });
      assert.equal(summary.mode, 'extractive');
      const report = JSON.parse(readFileSync(path.join(folder, summary.json), 'utf8')) as Report;
      assert.equal(report.manifest.mode, 'extractive');
      counts.push(report.topStories.length);
      // A fresh store for the next run, so that its stories are not "already reported".
      rmSync(path.join(dir, 'data'), { recursive: true, force: true });
    }
    // At most that many: a chosen story with nothing to say beyond its title (its page not
    // recorded), an ordinary paper or a customer story takes no top slot.
    assert.equal(counts[0], 2);
    assert.ok(counts[1]! > 2 && counts[1]! <= 9, `${counts[1]} top stories`);
  });

  it('--mode llm with no LLM configured is a usage error, before any store or output is created', async () => {
    const folder = path.join(dir, 'llm');
    await assert.rejects(
      runCommand({ cwd: folder, config: '/dev/null', log: silentLogger, replay: dayFile('2026-08-22'), mode: 'llm' }),
      (error: unknown) => error instanceof ConfigError && /--mode llm/.test(error.message),
    );
    assert.throws(() => readFileSync(path.join(folder, 'data', 'ai-daily.db')));
  });
});
