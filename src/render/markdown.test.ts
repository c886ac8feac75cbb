import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { buildInput } from '../../test/fixtures/report/build-input.js';
import { buildReport } from '../analyze/extractive.js';
import { escapeLineStart, escapeMarkdown, renderMarkdown } from './markdown.js';

function render(language: 'zh' | 'en', options: { history?: boolean } = {}) {
  const { input } = buildInput(language, options);
  const report = buildReport(input);
  return { report, input, markdown: renderMarkdown(report) };
}

function frontMatter(markdown: string): Record<string, unknown> {
  const match = /^---\n([\s\S]*?)\n---\n/.exec(markdown);
  assert.ok(match, 'front matter present');
  return parseYaml(match[1]!) as Record<string, unknown>;
}

describe('renderMarkdown', () => {
  const zh = render('zh');
  const en = render('en');

  it('gives byte-identical output for the same input, ending in one newline', () => {
    assert.equal(renderMarkdown(buildReport(buildInput('zh').input)), zh.markdown);
    assert.ok(zh.markdown.endsWith('\n') && !zh.markdown.endsWith('\n\n'));
  });

  it('writes front matter that parses as YAML, with an offset date and our own fields', () => {
    const data = frontMatter(zh.markdown);
    assert.equal(data.title, zh.report.title);
    assert.equal(data.date, '2026-08-22T10:00:00+08:00');
    assert.equal(data.author, 'ai-daily');
    assert.deepEqual(data.categories, zh.report.categories);
    assert.deepEqual(data.tags, zh.report.tags);
    assert.equal(data.description, zh.report.description);
    assert.equal(data.mode, 'extractive');
    assert.deepEqual(data.window, { start: zh.report.window.start, end: zh.report.window.end });
    assert.deepEqual(data.counts, { stories: 10, items: 14, sourcesOk: 8, sourcesFailed: 1 });
  });

  it('quotes titles with colons, quotes and # safely', () => {
    const { input } = buildInput('en');
    const title = 'AI: "daily" # report — yes';
    const markdown = renderMarkdown(buildReport({ ...input, title }));
    assert.equal(frontMatter(markdown).title, title);
  });

  it('uses the seed layout headings in Chinese', () => {
    const headings = zh.markdown.split('\n').filter((line) => /^#{1,3} /.test(line));
    assert.deepEqual(headings, [
      '# AI 技术日报 2026-08-22',
      '## 今日重点',
      '## 执行摘要',
      '## 详细分析',
      '### 1. 大语言模型（LLM）',
      '### 2. 多模态AI',
      '### 3. arXiv 论文',
      '### 4. 科技巨头产品',
      '### 5. 开源项目',
      '## 数据洞察',
      '### 上升话题',
      '### GitHub 热门仓库',
      '### Hugging Face 热门模型',
      '### 热议论文',
      '## 参考来源',
      '## 关于本报告',
    ]);
  });

  it('uses English headings in English', () => {
    for (const heading of [
      '## Top stories',
      '## Executive summary',
      '### 1. Large language models (LLM)',
      '## References',
      '## About this report',
    ]) {
      assert.ok(en.markdown.includes(`\n${heading}\n`), heading);
    }
    assert.ok(
      !/[今日重点参考来源]{4}/u.test(
        en.markdown
          .split('\n')
          .filter((l) => l.startsWith('#'))
          .join('\n'),
      ),
    );
  });

  it('resolves every citation marker to a reference definition and a listed reference, and cites every reference', () => {
    for (const { markdown, report } of [zh, en]) {
      const cited = new Set(
        [...markdown.matchAll(/\[\\\[(\d+)\\\]\]\[ref-(\d+)\]/g)].map((m) => {
          assert.equal(m[1], m[2]);
          return Number(m[1]);
        }),
      );
      const defined = new Map([...markdown.matchAll(/^\[ref-(\d+)\]: (\S+)$/gm)].map((m) => [Number(m[1]), m[2]!]));
      assert.deepEqual(
        [...cited].sort((a, b) => a - b),
        report.references.map((r) => r.n),
      );
      for (const reference of report.references) {
        assert.equal(defined.get(reference.n), reference.url);
        assert.ok(markdown.includes(`\n${reference.n}. `), `listed reference ${reference.n}`);
        assert.ok(markdown.includes(`<${reference.url}>`));
      }
    }
  });

  it('numbers citations in the order they first appear in the text', () => {
    const order: number[] = [];
    for (const match of zh.markdown.matchAll(/\[\\\[(\d+)\\\]\]/g)) {
      const n = Number(match[1]);
      if (!order.includes(n)) order.push(n);
    }
    assert.deepEqual(
      order,
      order.map((_, index) => index + 1),
    );
  });

  it('keeps CJK/Latin spacing exactly as the sources wrote it', () => {
    assert.ok(zh.markdown.includes('OpenAI GPT-4.5 Turbo is described here only as test data'));
    assert.ok(zh.markdown.includes('这是一句中文测试句，其中包含 OpenAI GPT-4.5 Turbo 这个名字。'));
    assert.ok(zh.markdown.includes('阿里研究员透露Qwen4.5后模型将扩展至5-10T参数'));
    assert.ok(zh.markdown.includes('坚定投入AI模型 AI芯片 AI云三大基石'));
    assert.ok(!zh.markdown.includes('OpenAIGPT'));
  });

  it('escapes Markdown in titles so that they cannot inject markup', () => {
    assert.ok(
      zh.markdown.includes('#### C\\# & \\<script\\>alert(1)\\</script\\>: a \\[test\\] \\*repo\\* \\#1 \\| \\`x\\`'),
    );
    assert.ok(!zh.markdown.includes('<script>'));
    assert.equal(escapeMarkdown('a_b & c &amp; [x]'), 'a\\_b & c &amp;amp; \\[x\\]');
    assert.equal(escapeLineStart('1986. A year'), '1986\\. A year');
    assert.equal(escapeLineStart('- not a list'), '\\- not a list');
    assert.equal(escapeLineStart('v1.5 is out'), 'v1.5 is out');
  });

  it('shows an item without a usable date as first seen, and labels still-trending stories', () => {
    for (const language of ['zh', 'en'] as const) {
      const { input } = buildInput(language);
      const flaggedId = input.stories[0]!.itemIds[0]!;
      const items = { ...input.items, [flaggedId]: { ...input.items[flaggedId]!, dateFlag: 'absurd' as const } };
      const stories = input.stories.map((story, index) => (index === 1 ? { ...story, stillTrending: true } : story));
      const report = buildReport({ ...input, items, stories });
      const markdown = renderMarkdown(report);
      const label = language === 'zh' ? '首次发现' : 'first seen';
      const referenceLines = markdown.split('\n').filter((line) => /^\d+\. /.test(line) && line.includes(' — <'));
      const flagged = report.references.find((r) => r.itemId === flaggedId)!;
      assert.equal(referenceLines.filter((line) => line.includes(`, ${label} `)).length, 1);
      assert.ok(referenceLines[flagged.n - 1]!.includes(`, ${label} `));
      const trendingLabel = language === 'zh' ? '*仍在热榜（非今日新发布）*' : '*Still trending (not new today)*';
      assert.equal(markdown.split(trendingLabel).length - 1, 1);
    }
  });

  it('labels updates and links every story to its sources', () => {
    assert.ok(zh.markdown.includes('**更新**：此前已于 2026-08-20 报道，之后新增 1 个来源'));
    assert.ok(en.markdown.includes('**Update**: first reported on 2026-08-20; 1 new source since'));
    assert.ok(
      zh.markdown.includes(
        '来源：[OpenAI News](https://openai.com/index/replit) · [Hacker News](https://news.ycombinator.com/item?id=45000001)',
      ),
    );
  });

  it('explains the run in "about": window in UTC and local time, source failures, stage counts, empty kinds', () => {
    const about = zh.markdown.slice(zh.markdown.indexOf('## 关于本报告'));
    assert.ok(about.includes('2026-08-19 02:00 UTC — 2026-08-22 02:00 UTC'));
    assert.ok(about.includes('时间窗口（Asia/Shanghai）：2026-08-19 10:00 — 2026-08-22 10:00'));
    assert.ok(about.includes('尝试 9 个，成功 8 个，失败 1 个（另有 1 个已停用）'));
    assert.ok(about.includes('机器之心（timeout）：no response within 20 s'));
    assert.ok(about.includes('库中条目 420'));
    assert.ok(about.includes('arXiv 本时段无新论文（arXiv 周末不发布）'));
    assert.ok(about.includes('用时：12.3 秒'));
  });

  it('says there is not enough history yet when history is empty, in both languages', () => {
    const { markdown } = render('zh', { history: false });
    assert.ok(markdown.includes('### 上升话题\n\n历史数据不足'));
    assert.ok(render('en', { history: false }).markdown.includes('### Rising topics\n\nNot enough history yet'));
  });

  it('writes each rising line so that the ratio follows from the counts shown', () => {
    const lines = en.markdown.split('\n').filter((line) => line.includes(' items today'));
    assert.ok(lines.length > 0);
    for (const line of lines) {
      const division = / (\d+) ÷ ([\d.]+) ≈ ([\d.]+)×/.exec(line);
      if (!division) {
        assert.match(line, /none over the previous \d+ days/);
        continue;
      }
      const [, today, baseline, ratio] = division.map(Number) as [number, number, number, number];
      assert.equal(ratio, Math.round((today / baseline) * 10) / 10);
    }
  });

  it('puts no section heading directly before another heading of the same or higher level', () => {
    const lines = zh.markdown.split('\n').filter((line) => line.trim() !== '');
    lines.forEach((line, index) => {
      const heading = /^(#+) /.exec(line);
      const next = lines[index + 1] ? /^(#+) /.exec(lines[index + 1]!) : null;
      if (heading && next) assert.ok(next[1]!.length > heading[1]!.length, `empty section at ${line}`);
    });
  });
});

describe('a story whose source gave only a headline', () => {
  it('is not repeated under its heading: the citation goes with the source line', () => {
    const report = buildReport(buildInput('en').input);
    const story = report.sections[0]!.stories[0]!;
    const n = story.summary[0]!.cites[0]!;
    story.summary = [{ text: story.title, cites: [n] }];
    const data = story.data;
    delete story.data;
    const markdown = renderMarkdown(report);
    const heading = `#### ${escapeMarkdown(story.title)}`;
    const after = markdown
      .slice(markdown.indexOf(heading) + heading.length)
      .split('\n')
      .filter(Boolean);
    assert.match(after[0]!, /^Sources: /);
    assert.ok(after[0]!.includes(`[\\[${n}\\]][ref-${n}]`));

    // With the story's own data, the data line is what it says, above the source line.
    assert.ok(data, 'the fixture story has counters');
    story.data = data;
    const withData = renderMarkdown(report)
      .slice(markdown.indexOf(heading) + heading.length)
      .split('\n')
      .filter(Boolean);
    assert.ok(withData[0]!.startsWith(escapeMarkdown(data.text)), withData[0]);
    assert.match(withData[1]!, /^Sources: /);
  });
});
