import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildInput } from '../../test/fixtures/report/build-input.js';
import { realText } from '../../test/support/fixtures.js';
import type { Report } from '../core/report.js';
import type { CitedText } from '../core/types.js';
import { SECTIONS } from '../core/types.js';
import { buildReport, risingTopics } from './extractive.js';

/** Every cited text of the report, in document order. */
function citedTexts(report: Report): CitedText[] {
  return [
    ...report.topStories.map((top) => top.line),
    ...report.executiveSummary,
    ...report.sections.flatMap((section) =>
      section.stories.flatMap((story) => [...story.summary, ...(story.data ? [story.data] : [])]),
    ),
    ...report.dataSections.risingTopics.map((topic) => ({ text: topic.term, cites: topic.cites })),
    ...report.dataSections.topRepositories.map((line) => ({ text: line.name, cites: line.cites })),
    ...report.dataSections.topModels.map((line) => ({ text: line.name, cites: line.cites })),
    ...report.dataSections.topPapers.map((line) => ({ text: line.title, cites: line.cites })),
  ];
}

describe('buildReport', () => {
  const { input, knownUrls, outOfWindowItemId } = buildInput('zh');
  const report = buildReport(input);

  it('numbers references 1..n in order of first use, and every one is cited', () => {
    assert.deepEqual(
      report.references.map((reference) => reference.n),
      report.references.map((_, index) => index + 1),
    );
    const firstUse: number[] = [];
    for (const text of citedTexts(report)) {
      assert.ok(text.cites.length > 0, `uncited line: ${text.text}`);
      for (const n of text.cites) if (!firstUse.includes(n)) firstUse.push(n);
    }
    assert.deepEqual(
      firstUse,
      report.references.map((reference) => reference.n),
    );
  });

  it('cites only collected items inside the window, by their own URL', () => {
    for (const reference of report.references) {
      const item = input.items[reference.itemId]!;
      assert.equal(reference.url, item.url);
      assert.ok(knownUrls.has(reference.url));
      assert.equal(reference.title, item.title);
      assert.equal(reference.sourceName, item.sourceName);
      assert.ok(reference.publishedAt >= input.window.start && reference.publishedAt <= input.window.end);
    }
    assert.ok(!report.references.some((reference) => reference.itemId === outOfWindowItemId));
    for (const story of report.sections.flatMap((section) => section.stories)) {
      assert.ok(story.links.length > 0);
      for (const link of story.links) assert.ok(knownUrls.has(link.url), link.url);
    }
  });

  it('summarizes every story with 1–3 sentences found verbatim in the cited item', () => {
    for (const story of report.sections.flatMap((section) => section.stories)) {
      assert.ok(story.summary.length >= 1 && story.summary.length <= 3, story.title);
      for (const sentence of story.summary) {
        assert.equal(sentence.cites.length, 1);
        const reference = report.references[sentence.cites[0]! - 1]!;
        const item = input.items[reference.itemId]!;
        assert.ok(item.text.includes(sentence.text) || item.title === sentence.text, sentence.text);
        assert.ok(input.stories.find((s) => s.id === story.id)!.itemIds.includes(item.id));
      }
    }
    for (const top of report.topStories) {
      const item = input.items[report.references[top.line.cites[0]! - 1]!.itemId]!;
      assert.ok(item.text.includes(top.line.text) || item.title === top.line.text);
    }
  });

  it('keeps sections in SECTIONS order and omits sections without stories', () => {
    const present = report.sections.map((section) => section.section);
    assert.deepEqual(
      present,
      [...present].sort((a, b) => SECTIONS.indexOf(a) - SECTIONS.indexOf(b)),
    );
    assert.ok(!present.includes('applications'));
    for (const section of report.sections) assert.ok(section.stories.length > 0);
    assert.deepEqual(
      report.categories,
      report.sections.map((section) => section.heading),
    );
    assert.equal(report.sections[0]!.heading, '大语言模型（LLM）');
  });

  it('picks the top stories by score and writes 3–5 executive lines from the data', () => {
    assert.equal(report.topStories.length, 6);
    const scores = report.topStories.map((top) => input.stories.find((s) => s.id === top.storyId)!.score.total);
    assert.deepEqual(
      scores,
      [...scores].sort((a, b) => b - a),
    );
    assert.ok(report.executiveSummary.length >= 3 && report.executiveSummary.length <= 5);
    assert.ok(report.executiveSummary[0]!.text.startsWith('大语言模型（LLM）：3 条报道'));
    assert.equal(buildReport(input, { topStories: 2 }).topStories.length, 2);
  });

  it("shows the pipeline's choice of top stories, in its order, instead of the best scores", () => {
    const chosen = [input.stories[4]!.id, input.stories[1]!.id, 'not-a-selected-story'];
    const report = buildReport({ ...input, topStoryIds: chosen });
    assert.deepEqual(
      report.topStories.map((top) => top.storyId),
      chosen.slice(0, 2),
    );
  });

  it('leads a section’s executive line with its top stories only (a section without one, its best story), then who follows', () => {
    const top = input.stories[1]!;
    const report = buildReport({ ...input, topStoryIds: [top.id] });
    const sectionOf = (id: string) => input.stories.find((story) => story.id === id)!.section;
    const titleOf = (id: string) => report.sections.flatMap((s) => s.stories).find((story) => story.id === id)!.title;
    const line = report.executiveSummary[0]!.text;
    const [lead, ...rest] = line.split('；其后有 ');
    assert.ok(lead!.includes(titleOf(top.id)), line);
    // No other story of the top story's section leads beside it; those that follow are named after it.
    const others = input.stories.filter((s) => s.id !== top.id && s.section === sectionOf(top.id));
    for (const other of others)
      assert.ok(!lead!.includes(titleOf(other.id)), `${line} leads with ${titleOf(other.id)}`);
    assert.ok(
      others.length === 0 || others.some((other) => rest.join('').includes(titleOf(other.id))),
      `${line} names none of the section's other stories`,
    );
    // Every other section's line leads with exactly one story.
    for (const other of report.executiveSummary.slice(1)) {
      // (Counters in parentheses are listed with 、 too.)
      assert.ok(!/、/.test(other.text.split('；')[0]!.replace(/（[^）]*）/g, '')), other.text);
    }
  });

  it('flags a reference whose item had no usable date, and marks still-trending stories', () => {
    const [first] = input.stories;
    const itemId = first!.itemIds[0]!;
    const items = { ...input.items, [itemId]: { ...input.items[itemId]!, dateFlag: 'future' as const } };
    const stories = input.stories.map((story, index) => (index === 0 ? { ...story, stillTrending: true } : story));
    const report = buildReport({ ...input, items, stories });
    const reference = report.references.find((r) => r.itemId === itemId)!;
    assert.equal(reference.dateFlag, 'future');
    assert.ok(report.references.filter((r) => r.itemId !== itemId).every((r) => r.dateFlag === undefined));
    const shown = report.sections.flatMap((section) => section.stories);
    assert.equal(shown.find((story) => story.id === first!.id)!.stillTrending, true);
    assert.equal(shown.filter((story) => story.stillTrending).length, 1);
  });

  it('marks a story reported earlier as an update', () => {
    const story = report.sections.flatMap((section) => section.stories).find((s) => s.id === 's-zdr')!;
    assert.deepEqual(story.update, { previousReportDate: '2026-08-20', previousSourceCount: 1, newSourceCount: 1 });
  });

  it('fills the data sections from engagement, best first', () => {
    const data = report.dataSections;
    assert.deepEqual(
      data.topRepositories.map((line) => line.name),
      ['vllm-project/vllm', 'example/csharp-llama'],
    );
    assert.equal(data.topRepositories[0]!.starsGained, 412);
    assert.deepEqual(
      data.topModels.map((line) => [line.name, line.likes]),
      [['Qwen/Qwen4-Omni-30B', 1532]],
    );
    assert.equal(data.topPapers.length, 2);
    assert.ok(data.topPapers[0]!.upvotes >= data.topPapers[1]!.upvotes);
    assert.equal(data.baselineDays, 3);
    // New terms (nothing on the baseline days) first, by count, written as the titles write them.
    assert.deepEqual(
      data.risingTopics.map((topic) => [topic.term, topic.ratio === null]),
      [
        ['GPT-5.6', true],
        ['Replit', true],
        ['Qwen4', false],
      ],
    );
    const qwen = data.risingTopics[2]!;
    assert.equal(qwen.ratio, Math.round((qwen.today / qwen.baseline) * 10) / 10);
  });

  it('says there is no baseline rather than inventing rising topics when history is empty', () => {
    const noHistory = buildReport(buildInput('zh', { history: false }).input);
    assert.equal(noHistory.dataSections.baselineDays, 0);
    assert.deepEqual(noHistory.dataSections.risingTopics, []);
  });

  it('is deterministic and uses the window, never the clock', () => {
    assert.deepEqual(buildReport(buildInput('zh').input), report);
    assert.equal(report.generatedAt, input.window.end);
    assert.equal(report.date, '2026-08-22');
    assert.ok(report.title.includes('2026-08-22'));
    assert.ok(report.tags.includes('GPT-5.6'));
  });

  it('writes English section names and summary lines for an English report', () => {
    const english = buildReport(buildInput('en').input);
    assert.equal(english.sections[0]!.heading, 'Large language models (LLM)');
    assert.match(english.executiveSummary[0]!.text, /^Large language models \(LLM\): 3 stories/);
    assert.match(english.title, /^AI Daily Report 2026-08-22$/);
  });
});

describe('risingTopics', () => {
  const item = buildInput('en').input.items;
  const items = Object.values(item);
  const today = { date: 'd', items: 20, terms: { 'gpt-5.6': 4, openai: 10, rare: 2 } };
  const day = (terms: Record<string, number>) => ({ date: 'h', items: 20, terms });

  it('keeps terms above the minimum count that rose by the ratio, with a ratio that follows from the counts', () => {
    const history = [day({ openai: 9, 'gpt-5.6': 1 }), day({ openai: 10 }), day({ openai: 11, 'gpt-5.6': 1 })];
    const topics = risingTopics(today, history, items);
    assert.deepEqual(
      topics.map((topic) => [topic.term, topic.today, topic.baseline, topic.baselineDays, topic.ratio]),
      [['gpt-5.6', 4, 0.67, 3, 6]],
    );
    assert.ok(topics[0]!.itemIds.length > 0);
  });

  it('needs enough earlier days before anything is rising', () => {
    assert.deepEqual(risingTopics(today, [day({ openai: 9 })], items), []);
    assert.equal(risingTopics(today, [day({ openai: 9 })], items, { minDays: 1 }).length, 1);
  });

  it('rests a term on the days its own sources were collected, not on days before a feed was first seen', () => {
    const perSource = {
      ...today,
      termSources: { 'gpt-5.6': ['new-feed'], openai: ['old-feed'], rare: ['old-feed'] },
    };
    const history = [1, 2, 3, 4].map(() => ({ ...day({ openai: 2 }), collected: ['old-feed'] }));
    const topics = risingTopics(perSource, history, items);
    assert.deepEqual(
      topics.map((topic) => topic.term),
      ['openai'],
    );
    const withNewFeed = history.map((entry, index) =>
      index < 3 ? { ...entry, collected: ['new-feed', 'old-feed'] } : entry,
    );
    const both = risingTopics(perSource, withNewFeed, items);
    const gpt = both.find((topic) => topic.term === 'gpt-5.6')!;
    assert.equal(gpt.baselineDays, 3);
    assert.equal(gpt.ratio, null);
  });

  it('drops terms that no report item uses (nothing to cite)', () => {
    const topics = risingTopics({ date: 'd', items: 10, terms: { zzzunused: 8 } }, [day({}), day({}), day({})], items);
    assert.deepEqual(topics, []);
  });
});

describe('what each story says (issue 14: no bare story)', () => {
  /** The fixture with its first story (two items) made titles-only, and a one-item story with counters only. */
  function titlesOnly(titles: [string, string], engagement = {}) {
    const { input } = buildInput('en');
    const merged = input.stories.find((story) => story.itemIds.length === 2)!;
    merged.itemIds.forEach((id, index) => {
      input.items[id] = { ...input.items[id]!, title: titles[index]!, text: '', engagement };
    });
    return { input, merged };
  }

  it('heads a merged story with its most informative title and says what the other adds', () => {
    const { input, merged } = titlesOnly([
      'Replit launches Free Mode for students in India and Brazil',
      'Replit Free Mode powered by GPT-5.6 Luna reaches 40 million users',
    ]);
    const report = buildReport({ ...input, topStoryIds: [merged.id] });
    const story = report.sections.flatMap((section) => section.stories).find((s) => s.id === merged.id)!;
    assert.equal(story.title, 'Replit Free Mode powered by GPT-5.6 Luna reaches 40 million users');
    assert.deepEqual(
      story.summary.map((sentence) => sentence.text),
      ['Replit launches Free Mode for students in India and Brazil'],
    );
    assert.equal(report.topStories[0]!.title, story.title);
    assert.equal(report.topStories[0]!.line.text, 'Replit launches Free Mode for students in India and Brazil');
  });

  it('leads a merged story with the sentences of the article its headline comes from, and links the headline to it', () => {
    const { input } = buildInput('zh');
    const merged = input.stories.find((story) => story.itemIds.length === 2)!;
    const [firstId, secondId] = merged.itemIds as [string, string];
    // Like qbitai on 2026-09-22: a speech report first, the more informative Qwen title second.
    input.items[firstId] = {
      ...input.items[firstId]!,
      title: '阿里吴泳铭最新演讲',
      text: '9月22日，在2026杭州云栖大会上，阿里巴巴集团CEO吴泳铭发表演讲，阐述了对机器智能时代的思考。',
    };
    input.items[secondId] = {
      ...input.items[secondId]!,
      title: '阿里研究员透露Qwen4.5后模型将扩展至5-10T参数',
      text: '未来Qwen4.5、Qwen5等版本将扩展至5-10T参数。',
    };
    const report = buildReport({ ...input, topStoryIds: [merged.id] });
    const story = report.sections.flatMap((section) => section.stories).find((s) => s.id === merged.id)!;
    assert.equal(story.title, '阿里研究员透露Qwen4.5后模型将扩展至5-10T参数');
    assert.equal(story.summary[0]!.text, '未来Qwen4.5、Qwen5等版本将扩展至5-10T参数。');
    assert.equal(story.links[0]!.url, input.items[secondId]!.url);
    assert.equal(report.topStories[0]!.line.text, '未来Qwen4.5、Qwen5等版本将扩展至5-10T参数。');
  });

  it('reads a titles-only story’s counters as its line, and lists a story with nothing to say as a headline', () => {
    const counted = titlesOnly(['It’s Replit’s world now', 'Replit ships Free Mode with GPT-5.6 Luna'], {
      points: 1172,
      comments: 412,
    });
    const withData = buildReport({ ...counted.input, topStoryIds: [counted.merged.id] });
    const story = withData.sections.flatMap((section) => section.stories).find((s) => s.id === counted.merged.id)!;
    assert.equal(story.title, 'Replit ships Free Mode with GPT-5.6 Luna');
    assert.match(story.data?.text ?? '', /^1,172 points and 412 comments on /);
    assert.equal(withData.topStories[0]!.line.text, story.data!.text);

    const bare = titlesOnly(['It’s Replit’s world now', 'Replit ships Free Mode with GPT-5.6 Luna']);
    const report = buildReport({ ...bare.input, topStoryIds: [bare.merged.id] });
    assert.ok(!report.sections.some((section) => section.stories.some((s) => s.id === bare.merged.id)));
    assert.deepEqual(report.topStories, [], 'a bare story takes no top slot, and none is put in its place');
    const headlines = report.sections.flatMap((section) => section.otherHeadlines ?? []);
    assert.deepEqual(
      headlines.map((link) => link.title),
      ['Replit ships Free Mode with GPT-5.6 Luna'],
    );
  });
});

describe('a digest is shown as its own headline list (issue 14 item 5)', () => {
  /** The fixture with a one-item story made a real AIbase daily (its title and its glued scraped text). */
  function withDigest() {
    const { input } = buildInput('zh');
    const entry = realText('atom/aibase-daily-zh_scraped-by-ai-news-direct_2026-04-30.xml').split('<entry>')[1]!;
    const title = /<title>([^<]+)<\/title>/u.exec(entry)![1]!;
    const text = /<summary>([^<]+)<\/summary>/u.exec(entry)![1]!;
    const story = input.stories.find((candidate) => candidate.itemIds.length === 1)!;
    const id = story.itemIds[0]!;
    input.items[id] = { ...input.items[id]!, title, text, url: 'https://news.aibase.com/zh/daily/27658' };
    return { input, story, id, title };
  }

  it('titles the story with the digest and lists its headlines, each citing the digest, no sentence of its text', () => {
    const { input, story, id, title } = withDigest();
    const report = buildReport({ ...input, topStoryIds: [story.id] });
    const shown = report.sections.flatMap((section) => section.stories).find((s) => s.id === story.id)!;
    assert.equal(shown.digest, true);
    assert.equal(shown.title, title);
    assert.equal(shown.links[0]!.url, 'https://news.aibase.com/zh/daily/27658');
    assert.deepEqual(
      shown.summary.map((line) => line.text),
      ['DeepSeek识图模式灰测', '小红书成立AI一级部门', '阿里发布程序员“数字分身”QoderWake'],
    );
    const n = report.references.find((reference) => reference.itemId === id)!.n;
    for (const line of shown.summary) assert.deepEqual(line.cites, [n]);
    assert.ok(!JSON.stringify(report).includes('标志着'), 'no sentence of the digest’s text');
    assert.equal(report.topStories[0]!.line.text, 'DeepSeek识图模式灰测');
    // Other stories are no digests.
    for (const other of report.sections.flatMap((section) => section.stories)) {
      if (other.id !== story.id) assert.equal(other.digest, undefined);
    }
  });
});
