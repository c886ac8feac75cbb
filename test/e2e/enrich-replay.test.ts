/**
 * Article text for thin stories through the whole run: InfoQ 中文 gives titles only; a recorded
 * day that also holds one story's own page (a real Chinese article page from the Readability
 * suite stands in for it) gives that story summary sentences from the page. The same day without
 * the page leaves every story as it was.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCommand } from '../../src/cli/commands/run.js';
import { silentLogger } from '../../src/core/log.js';
import { isBareStory, type Report, type ReportStory } from '../../src/core/report.js';
import { realDir, sharedDir } from '../support/fixtures.js';

const STORY_TITLE = 'Meta 开源 Astryx：面向 Agent 的 React 设计系统';
const PAGE_URL = 'https://www.infoq.cn/article/He6bUhlNIuPEa99GGRYC';
const PAGE_FILE = path.join(sharedDir, 'fixtures/articles/gmw/source.html');

function writeDay(dir: string, withPage: boolean): void {
  const responses = [
    {
      url: 'https://www.infoq.cn/feed',
      file: path.relative(dir, path.join(realDir, 'rss/infoq-cn_2026-09-22_transcribed.xml')),
      status: 200,
      contentType: 'application/rss+xml',
    },
    ...(withPage
      ? [{ url: PAGE_URL, file: path.relative(dir, PAGE_FILE), status: 200, contentType: 'text/html; charset=utf-8' }]
      : []),
  ];
  writeFileSync(
    path.join(dir, 'day.json'),
    JSON.stringify({ day: '2026-09-23', now: '2026-09-23T02:00:00Z', timezone: 'Asia/Shanghai', responses }),
  );
}

function storyNamed(report: Report, title: string): ReportStory {
  const story = report.sections.flatMap((section) => section.stories).find((s) => s.title === title);
  assert.ok(story, `no story "${title}"`);
  return story;
}

describe('article text for thin stories in a replayed run', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'ai-daily-enrich-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('summarises a titles-only story from its own page when the day holds it, and from the title when not', async () => {
    const without = path.join(dir, 'without');
    const withPage = path.join(dir, 'with');
    for (const [folder, has] of [
      [without, false],
      [withPage, true],
    ] as const) {
      mkdirSync(folder, { recursive: true });
      writeDay(folder, has);
    }

    const plain = await runCommand({ cwd: without, log: silentLogger, replay: 'day.json', out: 'out' });
    const plainReport = JSON.parse(readFileSync(path.join(without, 'out', plain.json), 'utf8')) as Report;
    const plainStory = storyNamed(plainReport, STORY_TITLE);
    assert.deepEqual(
      plainStory.summary.map((sentence) => sentence.text),
      [STORY_TITLE],
      'a replayed day without the page leaves the story as it was',
    );

    const enriched = await runCommand({ cwd: withPage, log: silentLogger, replay: 'day.json', out: 'out' });
    const report = JSON.parse(readFileSync(path.join(withPage, 'out', enriched.json), 'utf8')) as Report;
    const story = storyNamed(report, STORY_TITLE);
    const page = readFileSync(PAGE_FILE, 'utf8');
    assert.ok(story.summary.length >= 2, 'real summary sentences');
    for (const sentence of story.summary) {
      assert.notEqual(sentence.text, STORY_TITLE);
      // Every sentence is the page's own text (its first characters appear in the page).
      assert.ok(page.includes(sentence.text.slice(0, 12)), `not from the page: ${sentence.text}`);
      assert.ok(sentence.cites.length > 0);
    }
    // The other InfoQ stories, whose pages the day does not hold, are unchanged.
    const other = report.sections
      .flatMap((section) => section.stories)
      .filter((s) => s.title !== STORY_TITLE && s.sourceNames.some((name) => /infoq/i.test(name)));
    for (const s of other) assert.deepEqual(s.summary, storyNamed(plainReport, s.title).summary);
    // Those have nothing to say: they are the sections' other headlines, and the story with its page leads.
    const headlines = report.sections.flatMap((section) => section.otherHeadlines ?? []);
    assert.ok(headlines.length > 0 && headlines.every((link) => link.sourceName === 'InfoQ 中文'));
    assert.ok(!headlines.some((link) => link.title === STORY_TITLE));
    assert.equal(report.topStories[0]?.title, STORY_TITLE);
  });

  it('gives every thin story its page, more than the ten pages a run of earlier versions fetched', async () => {
    const folder = path.join(dir, 'every');
    mkdirSync(folder, { recursive: true });
    const feed = path.join(realDir, 'rss/infoq-cn_2026-09-22_transcribed.xml');
    const links = [...readFileSync(feed, 'utf8').matchAll(/<link>(https:\/\/www\.infoq\.cn\/[^<?]+)/g)].map(
      (match) => match[1]!,
    );
    // A real article page of the Readability suite stands in for each InfoQ article.
    const articles = path.join(sharedDir, 'fixtures/articles');
    const pages = readdirSync(articles)
      .sort()
      .map((name) => path.join(articles, name, 'source.html'))
      .filter((file) => existsSync(file));
    assert.ok(links.length > 10 && pages.length >= links.length);
    const responses = [
      {
        url: 'https://www.infoq.cn/feed',
        file: path.relative(folder, feed),
        status: 200,
        contentType: 'application/rss+xml',
      },
      ...links.map((url, index) => ({
        url,
        file: path.relative(folder, pages[index]!),
        status: 200,
        contentType: 'text/html; charset=utf-8',
      })),
    ];
    writeFileSync(
      path.join(folder, 'day.json'),
      JSON.stringify({ day: '2026-09-23', now: '2026-09-23T02:00:00Z', timezone: 'Asia/Shanghai', responses }),
    );
    const summary = await runCommand({ cwd: folder, log: silentLogger, replay: 'day.json', out: 'out' });
    const report = JSON.parse(readFileSync(path.join(folder, 'out', summary.json), 'utf8')) as Report;
    const stories = report.sections.flatMap((section) => section.stories);
    const withText = stories.filter((story) => !isBareStory(story));
    assert.ok(withText.length > 10, `${withText.length} stories summarised from their pages`);
  });
});
