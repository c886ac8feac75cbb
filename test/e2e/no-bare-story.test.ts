/**
 * No bare story (issue 14): on the shared recorded days, the Chinese day and a day of the user's own
 * feeds, in Chinese and in English, no top story and no story of the detailed sections is a bare
 * title — each has a sentence beyond its headline or its own data as a sentence; an item with
 * nothing to say is one of its section's other headlines, never a top story. Prints the share of
 * selected stories with an informative line (the figure the README quotes). The recorded day in LLM
 * mode (a faithful scripted model on loopback) has no bare story either.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { stringify as stringifyYaml } from 'yaml';
import { runCommand } from '../../src/cli/commands/run.js';
import { silentLogger } from '../../src/core/log.js';
import { informativeStories, isBareStory, type Report } from '../../src/core/report.js';
import { repoRoot, sharedDir } from '../support/fixtures.js';
import { removeLlmDays, runLlmDay } from '../support/llm-day.js';
import { faithfulAnswer } from '../support/mock-llm-server.js';
import { CHINESE_DAY, writeCaptureDay } from '../support/replay-day.js';

interface Day {
  name: string;
  /** Writes day.json (and a config) into `dir`. */
  prepare: (dir: string) => void;
}

const sharedDay = (date: string): Day => ({
  name: date,
  prepare: (dir) => {
    const file = path.join(sharedDir, 'fixtures/days', `${date}.json`);
    const day = JSON.parse(readFileSync(file, 'utf8')) as { responses: { file: string }[] };
    // Bodies are named relative to the day file: point them at the shared captures from `dir`.
    for (const response of day.responses) {
      response.file = path.relative(dir, path.resolve(path.dirname(file), response.file));
    }
    writeFileSync(path.join(dir, 'day.json'), JSON.stringify(day));
  },
});

const days: Day[] = [
  sharedDay('2026-08-22'),
  sharedDay('2026-04-28'),
  {
    name: 'chinese-day',
    prepare: (dir) => {
      writeCaptureDay(dir, CHINESE_DAY);
    },
  },
  {
    name: 'user-feeds',
    prepare: (dir) => {
      const fixtures = path.join(repoRoot, 'test/fixtures/feed-text');
      const feeds = [
        { id: 'hn-best', url: 'https://hnrss.example/best', file: 'hn-best.xml' },
        { id: 'lab-blog', url: 'https://ai-lab.example/feed', file: 'lab-blog.xml' },
        { id: 'boilerplate', url: 'https://example.org/feed', file: 'boilerplate.xml' },
      ];
      const day = {
        day: '2025-12-17',
        now: '2025-12-17T12:00:00Z',
        timezone: 'Asia/Shanghai',
        responses: feeds.map((feed) => ({
          url: feed.url,
          file: path.relative(dir, path.join(fixtures, feed.file)),
          status: 200,
          contentType: 'application/rss+xml; charset=utf-8',
        })),
      };
      writeFileSync(path.join(dir, 'day.json'), JSON.stringify(day));
      const config = {
        preset: 'none',
        store: { path: './data/ai-daily.db' },
        sources: feeds.map((feed) => ({ id: feed.id, kind: 'feed', url: feed.url })),
      };
      writeFileSync(path.join(dir, 'ai-daily.config.yaml'), stringifyYaml(config));
    },
  },
];

describe('no bare story: every top story and every detailed story says something', () => {
  const dirs: string[] = [];
  after(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  const totals = { informative: 0, selected: 0 };

  for (const day of days) {
    for (const lang of ['zh', 'en'] as const) {
      it(`${day.name} (${lang})`, async () => {
        const dir = mkdtempSync(path.join(tmpdir(), 'ai-daily-bare-'));
        dirs.push(dir);
        day.prepare(dir);
        const summary = await runCommand({ cwd: dir, log: silentLogger, replay: 'day.json', out: 'out', lang });
        const report = JSON.parse(readFileSync(path.join(dir, 'out', summary.json), 'utf8')) as Report;
        const markdown = readFileSync(path.join(dir, 'out', summary.markdown), 'utf8');
        const stories = report.sections.flatMap((section) => section.stories);
        assert.ok(stories.length > 0);
        for (const story of stories) assert.ok(!isBareStory(story), `a bare story: ${story.title}`);
        const byId = new Map(stories.map((story) => [story.id, story]));
        for (const top of report.topStories) {
          const story = byId.get(top.storyId);
          assert.ok(story, `top story ${top.title} is a story of the sections`);
          assert.notEqual(top.line.text.trim(), top.title.trim(), `a bare top story: ${top.title}`);
        }
        // The other headlines are listed with their source and link, in Markdown as in JSON.
        for (const link of report.sections.flatMap((section) => section.otherHeadlines ?? [])) {
          assert.ok(markdown.includes(link.url), link.url);
          assert.ok(!report.topStories.some((top) => top.title === link.title), `${link.title} is no top story`);
        }
        const share = informativeStories(report);
        totals.informative += share.informative;
        totals.selected += share.selected;
        process.stdout.write(
          `# ${day.name} ${lang}: ${share.informative} of ${share.selected} selected stories with an informative line\n`,
        );
      });
    }
  }

  // LLM mode: the model writes over the same selection; a story it leaves (or whose text fails the
  // check) keeps its extractive line, so no story of an LLM report is bare either.
  for (const lang of ['zh', 'en'] as const) {
    it(`2026-08-22 in LLM mode (${lang})`, async () => {
      try {
        const { json: report } = await runLlmDay((request) => ({ kind: 'object', value: faithfulAnswer(request) }), {
          lang,
        });
        const stories = report.sections.flatMap((section) => section.stories);
        assert.ok(stories.length > 0);
        assert.ok((report.llm?.storiesWritten ?? 0) > 0, 'the model wrote some stories');
        for (const story of stories) assert.ok(!isBareStory(story), `a bare story: ${story.title}`);
        for (const top of report.topStories) {
          assert.notEqual(top.line.text.trim(), top.title.trim(), `a bare top story: ${top.title}`);
        }
      } finally {
        removeLlmDays();
      }
    });
  }

  it('prints the share over all days', () => {
    process.stdout.write(`# all days: ${totals.informative} of ${totals.selected} selected stories informative\n`);
    assert.ok(totals.selected > 0);
  });
});
