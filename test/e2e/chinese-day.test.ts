/**
 * A Chinese day: 量子位 and InfoQ 中文 (real captures of 2026-09-22) replayed the next morning.
 * The report is in Chinese, its titles keep their own CJK/Latin spacing exactly, InfoQ's general
 * tech items that say nothing about AI are counted as off-topic, and the year of an event named in
 * a story ("2026 East Forward…") does not disturb the report's one date.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCommand } from '../../src/cli/commands/run.js';
import { silentLogger } from '../../src/core/log.js';
import type { Report } from '../../src/core/report.js';
import { CHINESE_DAY, writeCaptureDay } from '../support/replay-day.js';

describe('a Chinese day (2026-09-23, from the 2026-09-22 captures)', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'ai-daily-zh-'));
    writeCaptureDay(dir, CHINESE_DAY);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a Chinese report whose titles keep their spacing, with off-topic items counted', async () => {
    const summary = await runCommand({ cwd: dir, log: silentLogger, replay: 'day.json', out: 'out' });
    assert.equal(summary.date, '2026-09-23');
    assert.deepEqual(summary.sources.ok, 2);
    const markdown = readFileSync(path.join(dir, 'out', summary.markdown), 'utf8');
    const report = JSON.parse(readFileSync(path.join(dir, 'out', summary.json), 'utf8')) as Report;

    // Stories and the sections' other headlines (items with nothing to say beyond their title).
    const titles = report.sections.flatMap((section) => [
      ...section.stories.map((story) => story.title),
      ...(section.otherHeadlines ?? []).map((link) => link.title),
    ]);
    // One announcement that 量子位 and InfoQ word differently (千问 = Qwen, 5-10万亿 = 5-10T) is one story.
    const stories = report.sections.flatMap((section) => section.stories);
    const qwenStory = stories.find((story) =>
      story.links.some((link) => link.title === '阿里研究员透露Qwen4.5后模型将扩展至5-10T参数'),
    );
    assert.ok(qwenStory, 'the 5-10T announcement is reported');
    assert.ok(qwenStory.links.some((link) => link.title === '阿里吴泳铭：千问将训练5-10万亿参数规模的新模型'));
    assert.ok(titles.includes('Meta 开源 Astryx：面向 Agent 的 React 设计系统'), 'spaces between CJK and Latin kept');
    assert.ok(markdown.includes('Meta 开源 Astryx：面向 Agent 的 React 设计系统'));
    assert.ok(markdown.includes('## 今日重点') && markdown.includes('## 关于本报告'));
    // InfoQ's feed tags every link with utm_source and utm_medium: the report links without them.
    assert.ok(markdown.includes('https://www.infoq.cn/article/'));
    assert.ok(!markdown.includes('utm_'), 'no campaign tracking in a published link');

    // InfoQ publishes general software news too: its items without an AI term are dropped and counted.
    assert.ok(report.manifest.counts.offTopic > 0);
    assert.equal(report.manifest.counts.inWindow, report.manifest.counts.offTopic + report.manifest.counts.storyItems);
    assert.ok(!titles.some((title) => title.startsWith('Netflix 重构 Conductor')), 'not about AI');
  });
});
