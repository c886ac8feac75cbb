import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { buildInput } from '../../test/fixtures/report/build-input.js';
import { buildReport } from '../analyze/extractive.js';
import { escapeLineStart, escapeMarkdown, markdownUrl, renderMarkdown } from './markdown.js';

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
      zh.markdown.includes(
        '#### [C\\# & \\<script\\>alert(1)\\</script\\>: a \\[test\\] \\*repo\\* \\#1 \\| \\`x\\`](',
      ),
    );
    assert.ok(!zh.markdown.includes('<script>'));
    assert.equal(escapeMarkdown('a_b & c &amp; [x]'), 'a_b & c &amp;amp; \\[x\\]');
    // Only what would be read as markup where it stands is escaped.
    assert.equal(
      escapeMarkdown('demo_code/llm_2 and _x_ and x_ and __init__'),
      'demo_code/llm_2 and \\_x\\_ and x\\_ and \\_\\_init\\_\\_',
    );
    assert.equal(
      escapeMarkdown('GPT-4.5, e.g. this, U.S. law, v1.2.3, Qwen2.5-VL, LFM2.5-DSpark'),
      'GPT-4.5, e.g. this, U.S. law, v1.2.3, Qwen2.5-VL, LFM2.5-DSpark',
    );
    // A dot before a label of two or more letters could end a domain (cs.CL: Chile): it stays escaped.
    assert.equal(escapeMarkdown('arXiv cs.CL'), 'arXiv cs\\.CL');
    assert.equal(escapeMarkdown('see x.ai, www.a and evil.com/z'), 'see x\\.ai, www\\.a and evil\\.com/z');
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
    // Failed sources: one line with a count, the reason in the report's language; no error text.
    assert.ok(
      about.includes('来源：尝试 9 个，成功 8 个（另有 1 个已停用）；1 个来源今日未能获取（超时 1 个）'),
      about,
    );
    assert.ok(!about.includes('机器之心') && !about.includes('no response within'));
    assert.ok(about.includes('库中条目 420'));
    assert.ok(about.includes('arXiv 本时段无新论文（arXiv 周末不发布）'));
    assert.ok(about.includes('用时：12.3 秒'));
  });

  it('leaves rising topics out when history is empty, and says why in one line of "about", in both languages', () => {
    const { markdown } = render('zh', { history: false });
    assert.ok(!markdown.includes('### 上升话题'));
    assert.ok(markdown.includes('- 上升话题：需要至少 3 天的历史数据（目前 0 天），本期未列出'), markdown);
    const english = render('en', { history: false }).markdown;
    assert.ok(!english.includes('### Rising topics'));
    assert.match(english, /\n- Rising topics: left out until 3 earlier days of history are stored \(0 so far\)\n/);
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

describe('headlines, quiet days and the about section on a phone', () => {
  it("links every headline (top stories and sections) to its story's best source, the first link", () => {
    for (const language of ['zh', 'en'] as const) {
      const { report, markdown } = render(language);
      for (const section of report.sections) {
        for (const story of section.stories) {
          const heading = `#### [${escapeMarkdown(story.title, 'link-text')}](${markdownUrl(story.links[0]!.url)})\n`;
          assert.ok(markdown.includes(heading), heading);
        }
      }
      const stories = new Map(report.sections.flatMap((section) => section.stories.map((story) => [story.id, story])));
      report.topStories.forEach((top, index) => {
        const url = markdownUrl(stories.get(top.storyId)!.links[0]!.url);
        assert.ok(
          markdown.includes(`\n${index + 1}. **[${escapeMarkdown(top.title.trim(), 'link-text')}](${url})**`),
          top.title,
        );
      });
    }
  });

  it('leaves a headline as text when its best source is not an http(s) URL', () => {
    const report = buildReport(buildInput('en').input);
    const story = report.sections[0]!.stories[0]!;
    story.links = [{ ...story.links[0]!, url: 'javascript:alert(1)' }, ...story.links.slice(1)];
    const markdown = renderMarkdown(report);
    assert.ok(markdown.includes(`\n#### ${escapeMarkdown(story.title)}\n`));
    assert.ok(!markdown.includes('javascript:'));
  });

  it('says at the top, in one line, when a day is quiet: few stories or few sources fetched', () => {
    assert.ok(!render('zh').markdown.includes('今日新闻较少'), 'an ordinary day says nothing');
    const report = buildReport(buildInput('zh').input);
    report.sections = report.sections.slice(0, 1);
    report.manifest.sources = report.manifest.sources.map((source, index) =>
      index < 6 ? { ...source, status: 'failed' as const, errorKind: 'timeout' as const } : source,
    );
    const markdown = renderMarkdown(report);
    const stories = report.sections[0]!.stories.length;
    const top = markdown.slice(markdown.indexOf('**报告日期**'), markdown.indexOf('## 今日重点'));
    assert.match(
      top,
      new RegExp(`\\n\\*今日新闻较少，共 ${stories} 条报道；9 个来源中仅 2 个获取成功，报道可能不全。\\*\\n`),
    );
    const english = renderMarkdown({ ...report, language: 'en' });
    assert.match(
      english,
      /\n\*A quiet day: \d+ stor(?:y|ies); only 2 of 9 sources could be fetched, so the report may be incomplete\.\*\n/,
    );
  });

  it('leaves the data insights out when none of its parts has anything to show', () => {
    const report = buildReport(buildInput('zh', { history: false }).input);
    assert.ok(renderMarkdown(report).includes('## 数据洞察'), 'shown while a list has entries');
    report.dataSections = { ...report.dataSections, topRepositories: [], topModels: [], topPapers: [] };
    const markdown = renderMarkdown(report);
    assert.ok(!markdown.includes('## 数据洞察') && !markdown.includes('### 上升话题'));
    assert.ok(markdown.includes('- 上升话题：需要至少 3 天的历史数据'));
  });

  it('states failed sources as one line with a count and reasons in the language of the report', () => {
    const report = buildReport(buildInput('en').input);
    report.manifest.sources = report.manifest.sources.map((source, index) =>
      index < 3
        ? {
            ...source,
            status: 'failed' as const,
            errorKind: 'unavailable' as const,
            error: 'no recorded response for https://x.example/feed',
          }
        : source,
    );
    const markdown = renderMarkdown(report);
    const about = markdown.slice(markdown.indexOf('## About this report'));
    assert.match(
      about,
      /\n- Sources: 9 attempted, 5 fetched \(1 more disabled\); 4 sources could not be fetched today \(3 unavailable; 1 timed out\)\n/,
    );
    assert.ok(!about.includes('recorded response') && !about.includes('&#47;') && !about.includes('OpenAI News'));
    const zh = renderMarkdown({ ...report, language: 'zh' });
    assert.ok(zh.includes('4 个来源今日未能获取（无法获取 3 个；超时 1 个）'));
    assert.ok(
      !/unavailable|timeout/.test(zh.slice(zh.indexOf('## 关于本报告'))),
      'no English error kind in a zh report',
    );
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
    const heading = `#### [${escapeMarkdown(story.title, 'link-text')}](`;
    const after = markdown
      .slice(markdown.indexOf('\n', markdown.indexOf(heading)))
      .split('\n')
      .filter(Boolean);
    assert.match(after[0]!, /^Sources: /);
    assert.ok(after[0]!.includes(`[\\[${n}\\]][ref-${n}]`));

    // With the story's own data, the data line is what it says, above the source line.
    assert.ok(data, 'the fixture story has counters');
    story.data = data;
    const rendered = renderMarkdown(report);
    const withData = rendered
      .slice(rendered.indexOf('\n', rendered.indexOf(heading)))
      .split('\n')
      .filter(Boolean);
    assert.ok(withData[0]!.startsWith(escapeMarkdown(data.text)), withData[0]);
    assert.match(withData[1]!, /^Sources: /);
  });
});

describe('a digest story (issue 14 item 5)', () => {
  /** The fixture's report with its first story made a digest of three headlines. */
  function digestReport(language: 'zh' | 'en') {
    const { input } = buildInput(language);
    const report = buildReport(input);
    const story = report.sections[0]!.stories[0]!;
    const cite = story.summary[0]!.cites;
    story.title = 'AI日报：模型甲正式发布；- 产品乙上线；3. 公司丙完成融资';
    story.digest = true;
    story.summary = ['模型甲正式发布', '- 产品乙上线', '3. 公司丙完成融资'].map((text) => ({ text, cites: cite }));
    return { report, story };
  }

  it('shows its title as a link and its headlines as a bullet list, each with the digest’s citation', () => {
    for (const language of ['zh', 'en'] as const) {
      const { report, story } = digestReport(language);
      const markdown = renderMarkdown(report);
      const n = story.summary[0]!.cites[0]!;
      const block = markdown.slice(
        markdown.indexOf('#### [AI日报'),
        markdown.indexOf('\n#### ', markdown.indexOf('#### [AI日报') + 1),
      );
      assert.match(
        block,
        new RegExp(`^#### \\[AI日报：.*\\]\\(${story.links[0]!.url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\)`, 'u'),
      );
      assert.ok(block.includes(language === 'zh' ? '*本期汇总*：' : '*In this digest*: '), block);
      const bullets = block.split('\n').filter((line) => line.startsWith('- '));
      assert.equal(bullets.length, 3, block);
      for (const bullet of bullets) assert.ok(bullet.endsWith(`[\\[${n}\\]][ref-${n}]`), bullet);
      // A headline that opens like list markup stays text inside its bullet.
      assert.ok(bullets[1]!.startsWith('- \\- 产品乙上线'), bullets[1]);
      assert.ok(bullets[2]!.startsWith('- 3\\. 公司丙完成融资'), bullets[2]);
    }
  });
});
