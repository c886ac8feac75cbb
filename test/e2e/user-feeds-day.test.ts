/**
 * A day of the user's own feeds with `preset: none`: a Hacker News "best" bridge (metadata lines
 * for text, mostly off-topic), an AI lab blog (a post that names no AI term, a footer, a subheading,
 * a planted instruction to AI summarizers) and a feed full of boilerplate. The AI vocabulary
 * applies, `filterTopics: auto` filters the HN bridge and keeps the lab blog whole (its URL names
 * the topic, so a simple majority of clearly on-topic posts suffices: docs/decisions/0120), and no summary
 * holds markup, metadata, a footer or the planted instruction.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { stringify as stringifyYaml } from 'yaml';
import { runCommand } from '../../src/cli/commands/run.js';
import { silentLogger } from '../../src/core/log.js';
import type { Report } from '../../src/core/report.js';
import { repoRoot } from '../support/fixtures.js';

const fixtures = path.join(repoRoot, 'test/fixtures/feed-text');
const feeds = [
  { id: 'hn-best', url: 'https://hnrss.example/best', file: 'hn-best.xml' },
  { id: 'lab-blog', url: 'https://ai-lab.example/feed', file: 'lab-blog.xml' },
  { id: 'boilerplate', url: 'https://example.org/feed', file: 'boilerplate.xml' },
];

describe('a day of the user’s own feeds with preset none', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'ai-daily-user-feeds-'));
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
      language: 'en',
      store: { path: './data/ai-daily.db' },
      sources: feeds.map((feed) => ({ id: feed.id, kind: 'feed', url: feed.url })),
    };
    writeFileSync(path.join(dir, 'ai-daily.config.yaml'), stringifyYaml(config));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('filters the off-topic bridge, keeps the lab blog whole, and quotes only clean sentences', async () => {
    const summary = await runCommand({ cwd: dir, log: silentLogger, replay: 'day.json', out: 'out' });
    assert.equal(summary.sources.ok, 3);
    const markdown = readFileSync(path.join(dir, 'out', summary.markdown), 'utf8');
    const report = JSON.parse(readFileSync(path.join(dir, 'out', summary.json), 'utf8')) as Report;
    const stories = report.sections.flatMap((section) => section.stories);
    const titles = stories.map((story) => story.title);

    for (const offTopic of ['Jane Roe', 'Cherry blossoms', 'Laws of UX', 'mechanical typewriter']) {
      assert.ok(!titles.some((title) => title.includes(offTopic)), `${offTopic} is filtered`);
    }
    assert.equal(report.manifest.counts.offTopic, 4, 'the four off-topic items are counted');
    assert.ok(titles.includes('Open-weight LLM beats larger models on long-context reasoning'));
    assert.ok(titles.includes('Our principles'), 'the AI lab blog keeps a post that names no AI term');

    const hn = stories.find((story) => story.title.startsWith('Open-weight LLM'));
    assert.ok(hn && hn.score.engagement > 0, 'the counters of the metadata lines reach the score');

    const summaries = stories.flatMap((story) => story.summary.map((sentence) => sentence.text));
    for (const text of summaries) {
      assert.doesNotMatch(
        text,
        /<\/?[a-z]+[\s>/]|&(?:lt|gt|amp|#\d+);|appeared first on|continue reading|SYSTEM NOTICE|ignore all previous|^(?:score|comments|by|discussion):/im,
        text,
      );
    }
    const principles = stories.find((story) => story.title === 'Our principles');
    assert.equal(
      principles?.summary[0]?.text,
      'We explain how the lab decides what to release and when it holds work back for review.',
      'the subheading is passed over',
    );
    const coder = stories.find((story) => story.title === 'A compact coding model for laptops');
    assert.equal(
      coder?.summary[0]?.text,
      'The lab released a compact coding model that runs on a laptop without a GPU.',
      'the planted instruction is passed over; the item stays',
    );
    assert.doesNotMatch(markdown, /appeared first on|SYSTEM NOTICE|Score: \d|&lt;br/);
  });
});
