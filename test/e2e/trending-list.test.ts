/**
 * A list is not news: a trending-models feed that dates every entry with the time the list was taken
 * (built from the real Hugging Face trending capture), next to OpenAI's real news feed, over two days
 * with one store. On the first day nothing in the list can be told new; on the second, the entries
 * that joined the list are news and the rest are still trending (or already reported).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCommand } from '../../src/cli/commands/run.js';
import { silentLogger } from '../../src/core/log.js';
import type { Report, ReportStory } from '../../src/core/report.js';
import { entityFamilies } from '../../src/pipeline/select.js';
import { realDir, realText } from '../support/fixtures.js';

const TRENDING_URL = 'https://trending.example/models.xml';

interface TrendingModel {
  id: string;
  likes: number;
  downloads: number;
  pipeline_tag?: string;
}

const models = Object.values(
  JSON.parse(realText('huggingface/hf-api-trending_models-keyed-by-id_2026-08-22.json')) as Record<
    string,
    { repoData: TrendingModel }
  >,
).map((entry) => entry.repoData);

function trendingFeed(listed: readonly TrendingModel[], listTakenAt: string): string {
  const entries = listed.map(
    (model) => `<item><title>${model.id}</title><link>https://huggingface.co/${model.id}</link>
<guid>https://huggingface.co/${model.id}</guid>
<description>Type: ${model.pipeline_tag ?? 'unknown'}&lt;br/&gt;Downloads: ${model.downloads}&lt;br/&gt;Likes: ${model.likes}</description>
<pubDate>${new Date(listTakenAt).toUTCString()}</pubDate></item>`,
  );
  return `<?xml version="1.0"?>
<rss version="2.0"><channel><title>Trending models</title><link>https://trending.example/</link>
${entries.join('\n')}
</channel></rss>`;
}

const config = `preset: none
sources:
  - id: openai-news
    name: OpenAI News
    kind: feed
    url: https://openai.com/news/rss.xml
    authority: 1
    section: products
    filterTopics: false
  - id: trending-models
    name: Trending models
    kind: feed
    url: ${TRENDING_URL}
    authority: 0.6
    section: opensource
    filterTopics: false
`;

function writeDay(dir: string, day: string, listed: readonly TrendingModel[]): string {
  const listFile = path.join(dir, `trending-${day}.xml`);
  writeFileSync(listFile, trendingFeed(listed, `${day}T01:30:00Z`));
  const dayFile = path.join(dir, `${day}.json`);
  const responses = [
    {
      url: 'https://openai.com/news/rss.xml',
      file: path.relative(dir, path.join(realDir, 'rss/openai-news_2026-08-20_trimmed.xml')),
      status: 200,
      contentType: 'application/rss+xml',
    },
    { url: TRENDING_URL, file: path.basename(listFile), status: 200, contentType: 'application/rss+xml' },
  ];
  writeFileSync(dayFile, JSON.stringify({ day, now: `${day}T02:00:00Z`, timezone: 'Asia/Shanghai', responses }));
  return dayFile;
}

function allStories(report: Report): ReportStory[] {
  return report.sections.flatMap((section) => section.stories);
}

/**
 * Top stories never put a still-trending story above a news story (roundups, guides, customer
 * stories and the like may follow it), and one family takes one slot.
 */
function assertTopStoriesSound(report: Report): void {
  const byId = new Map(allStories(report).map((story) => [story.id, story]));
  const top = report.topStories.map((entry) => byId.get(entry.storyId)!);
  const firstTrending = top.findIndex((story) => story.stillTrending);
  if (firstTrending >= 0)
    assert.ok(top.slice(firstTrending).every((story) => story.stillTrending || story.score.newsValue < 1));
  const families = top.flatMap((story) => entityFamilies({ title: story.title, keys: [] }));
  assert.equal(new Set(families).size, families.length, `one slot per family: ${families.join(', ')}`);
}

describe('a trending list over two days', () => {
  let dir: string;
  const firstList = models.slice(0, 8);
  const joined = models.slice(8);
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'ai-daily-trending-'));
    writeFileSync(path.join(dir, 'ai-daily.config.yaml'), config);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('day 1: the list is still trending, below the news, and labelled', async () => {
    assert.ok(joined.length >= 1 && firstList.length >= 5);
    const day = writeDay(dir, '2026-08-21', firstList);
    const summary = await runCommand({ cwd: dir, log: silentLogger, replay: day, out: 'out' });
    const report = JSON.parse(readFileSync(path.join(dir, 'out', summary.json), 'utf8')) as Report;
    const markdown = readFileSync(path.join(dir, 'out', summary.markdown), 'utf8');
    const stories = allStories(report);
    const listed = stories.filter((story) => story.sourceNames.includes('Trending models'));
    const news = stories.filter((story) => !story.sourceNames.includes('Trending models'));
    assert.ok(listed.length >= 1 && news.length >= 1);
    for (const story of listed) {
      assert.equal(story.stillTrending, true, story.title);
      assert.equal(story.score.recency, 0, 'the list date is not the entry date');
    }
    for (const story of news) assert.equal(story.stillTrending, undefined, story.title);
    for (const section of report.sections) {
      const families = section.stories.flatMap((story) => entityFamilies({ title: story.title, keys: [] }));
      for (const family of new Set(families)) {
        assert.ok(families.filter((f) => f === family).length <= 2, `at most two of ${family} in ${section.section}`);
      }
    }
    assert.ok(firstList.filter((model) => model.id.includes('Qwen3.8')).length > 2, 'the list has more to cap');
    assertTopStoriesSound(report);
    assert.ok(markdown.includes('仍在热榜'));
    // The list's date is when the entry was first seen, and the references say so.
    const listedReferences = report.references.filter((r) => r.sourceName === 'Trending models');
    assert.ok(listedReferences.length >= 1);
    for (const reference of listedReferences) assert.equal(reference.dateFlag, 'listed');
    for (const reference of report.references.filter((r) => r.sourceName === 'OpenAI News'))
      assert.equal(reference.dateFlag, undefined);
    const firstSeenLines = markdown.split('\n').filter((line) => line.includes('Trending models, 首次发现 '));
    assert.equal(firstSeenLines.length, listedReferences.length);
  });

  it('day 2: entries that joined the list are news; the rest are still trending or already reported', async () => {
    const day = writeDay(dir, '2026-08-22', models);
    const summary = await runCommand({ cwd: dir, log: silentLogger, replay: day, out: 'out' });
    const report = JSON.parse(readFileSync(path.join(dir, 'out', summary.json), 'utf8')) as Report;
    const stories = allStories(report);
    for (const model of joined) {
      const story = stories.find((s) => s.title === model.id);
      assert.ok(story, `${model.id} is in the report`);
      assert.equal(story.stillTrending, undefined, `${model.id} joined the list today`);
    }
    for (const model of firstList) {
      const story = stories.find((s) => s.title === model.id);
      if (story) assert.equal(story.stillTrending, true, `${model.id} was listed yesterday`);
    }
    assert.ok(report.manifest.counts.alreadyReported > 0, 'yesterday’s entries were reported yesterday');
    assertTopStoriesSound(report);
  });
});
