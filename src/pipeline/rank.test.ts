import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makeItem } from '../../test/fixtures/cluster/items.js';
import { realText } from '../../test/support/fixtures.js';
import { PRESETS } from '../config/presets.js';
import type { PipelineItem, RawItem, SourceConfig, Story } from '../core/types.js';
import { parseFeedDocument } from '../sources/feed.js';
import { parseTrendingPage } from '../sources/github.js';
import { parseDailyPapers, parseHfModels } from '../sources/huggingface.js';
import { classifyStory } from './classify.js';
import { clusterItems } from './cluster.js';
import { normalizeItem } from './normalize.js';
import {
  compareStories,
  coverageScore,
  DEFAULT_WEIGHTS,
  engagementBaselines,
  itemEngagement,
  publisherOf,
  rankedStories,
  rankStories,
  recencyScore,
  SNAPSHOT_MIN_ITEMS,
  scoreStory,
  snapshotSources,
  sortStories,
  UNKNOWN_ENGAGEMENT,
} from './rank.js';

const now = new Date('2026-08-21T10:00:00Z');
const options = { now, windowHours: 24, topics: PRESETS.ai!.topics };

describe('rankStories', () => {
  it('ranks a multi-source fresh story above a lone old one and explains why', () => {
    const items = [
      makeItem({
        id: 'p1',
        title: 'A reasoning model paper',
        url: 'https://arxiv.org/abs/2608.1',
        sourceId: 'arxiv',
        sourceKind: 'arxiv',
        authority: 0.6,
        publishedAt: '2026-08-21T08:00:00Z',
      }),
      makeItem({
        id: 'p2',
        title: 'A reasoning model paper',
        url: 'https://huggingface.co/papers/2608.1',
        sourceId: 'hf',
        sourceKind: 'huggingface',
        authority: 0.75,
        publishedAt: '2026-08-21T09:00:00Z',
        engagement: { upvotes: 80 },
      }),
      makeItem({
        id: 'o1',
        title: 'Company picnic photos',
        sourceId: 'blog',
        authority: 0.6,
        publishedAt: '2026-08-20T11:00:00Z',
      }),
    ];
    const stories = rankStories(clusterItems(items), new Map(items.map((item) => [item.id, item])), options);
    assert.equal(stories.length, 2);
    const [top, bottom] = stories;
    assert.deepEqual(top!.itemIds, ['p2', 'p1']);
    assert.deepEqual(top!.sourceIds, ['hf', 'arxiv']);
    assert.equal(top!.section, 'papers');
    assert.equal(top!.firstSeenAt, '2026-08-21T08:00:00.000Z');
    assert.ok(top!.score.coverage > 0 && bottom!.score.coverage === 0);
    assert.ok(top!.score.engagement > 0.9);
    assert.equal(bottom!.score.relevance, 0);
    for (const story of stories) {
      const { recency, authority, coverage, engagement, relevance, total } = story.score;
      const weighted =
        DEFAULT_WEIGHTS.recency * recency +
        DEFAULT_WEIGHTS.authority * authority +
        DEFAULT_WEIGHTS.coverage * coverage +
        DEFAULT_WEIGHTS.engagement * engagement +
        DEFAULT_WEIGHTS.relevance * relevance;
      assert.ok(Math.abs(total - weighted) < 1e-5);
    }
  });

  it('accepts a record of items, skips missing ones and honours weights', () => {
    const item = makeItem({ id: 'a', title: 'An AI agent', publishedAt: '2026-08-21T10:00:00Z' });
    const clusters = [
      { id: 'c1', itemIds: ['a', 'missing'], keys: [] },
      { id: 'c2', itemIds: ['gone'], keys: [] },
    ];
    const stories = rankStories(
      clusters,
      { a: item },
      { ...options, weights: { recency: 1, authority: 0, coverage: 0, engagement: 0, relevance: 0 } },
    );
    assert.equal(stories.length, 1);
    assert.deepEqual(stories[0]!.itemIds, ['a']);
    assert.equal(stories[0]!.score.total, 1);
  });

  it('gives no recency to an item whose date is only the fetch time', () => {
    const dated = makeItem({ id: 'a', title: 'An AI agent', publishedAt: '2026-08-21T10:00:00Z' });
    const undated = {
      ...makeItem({ id: 'b', title: 'Another AI agent', publishedAt: options.now.toISOString() }),
      dateFlag: 'missing' as const,
    };
    const stories = rankStories(
      [
        { id: 'c1', itemIds: ['a'], keys: [] },
        { id: 'c2', itemIds: ['b'], keys: [] },
      ],
      { a: dated, b: undated },
      options,
    );
    assert.ok(stories.find((s) => s.id === 'c1')!.score.recency > 0);
    assert.equal(stories.find((s) => s.id === 'c2')!.score.recency, 0);
  });

  it('orders equal scores by their parts, then by title — never by id', () => {
    const a = makeItem({ id: 'a', title: 'Same AI thing one' });
    const b = makeItem({ id: 'b', title: 'Same AI thing two' });
    const stories = rankStories(
      [
        { id: 'zz', itemIds: ['a'], keys: [] },
        { id: 'aa', itemIds: ['b'], keys: [] },
      ],
      { a, b },
      options,
    );
    assert.equal(stories[0]!.score.total, stories[1]!.score.total);
    assert.deepEqual(
      stories.map((story) => story.title),
      ['Same AI thing one', 'Same AI thing two'],
    );
  });

  it('puts a headline that says what happened before one that does not, when the scores tie', () => {
    const soft = makeItem({ id: 'a', title: "An AI lab's new economic analysis" });
    const hard = makeItem({ id: 'b', title: 'The AI lab announces a 4.5 GW partnership with Oracle' });
    const stories = rankStories(
      [
        { id: 'a', itemIds: ['a'], keys: [] },
        { id: 'b', itemIds: ['b'], keys: [] },
      ],
      { a: soft, b: hard },
      options,
    );
    assert.equal(stories[0]!.score.total, stories[1]!.score.total);
    assert.deepEqual(
      stories.map((story) => story.id),
      ['b', 'a'],
    );
  });
});

describe('news value', () => {
  it('ranks a customer story below the same story told as news, by its news value', () => {
    const base = { sourceId: 'openai', authority: 0.9, publishedAt: '2026-08-21T08:00:00Z' };
    const items = [
      makeItem({
        ...base,
        id: 'c',
        title: 'Stampli cuts launch hours by 68% using ChatGPT Work',
        url: 'https://openai.com/index/stampli',
      }),
      makeItem({
        ...base,
        id: 'n',
        title: 'Stampli launches an AI agent for invoices',
        url: 'https://openai.com/index/stampli-agent',
      }),
    ];
    const stories = rankStories(
      [
        { id: 'c', itemIds: ['c'], keys: [] },
        { id: 'n', itemIds: ['n'], keys: [] },
      ],
      new Map(items.map((item) => [item.id, item])),
      options,
    );
    assert.deepEqual(
      stories.map((story) => story.id),
      ['n', 'c'],
    );
    const [news, customer] = stories;
    assert.equal(news!.score.newsValue, 1);
    assert.ok(customer!.score.newsValue < 1);
    const parts = customer!.score;
    const sum =
      DEFAULT_WEIGHTS.recency * parts.recency +
      DEFAULT_WEIGHTS.authority * parts.authority +
      DEFAULT_WEIGHTS.coverage * parts.coverage +
      DEFAULT_WEIGHTS.engagement * parts.engagement +
      DEFAULT_WEIGHTS.relevance * parts.relevance;
    assert.ok(Math.abs(parts.total - sum * parts.newsValue) < 1e-5, 'the news value multiplies the weighted sum');
  });
});

describe('score parts', () => {
  it('decays recency over the window', () => {
    const nowMs = now.getTime();
    assert.equal(recencyScore(nowMs, nowMs, 24), 1);
    assert.equal(recencyScore(nowMs + 3_600_000, nowMs, 24), 1);
    assert.ok(Math.abs(recencyScore(nowMs - 12 * 3_600_000, nowMs, 24) - 0.5) < 1e-9);
    assert.equal(recencyScore(Number.NaN, nowMs, 24), 0);
  });

  it('counts publishers, not feeds: two feeds of one outlet are one publisher', () => {
    const item = (sourceId: string, url: string, sourceKind: PipelineItem['sourceKind'] = 'feed') =>
      makeItem({ id: `${sourceId}-${url}`, title: 'A story', sourceId, url, sourceKind });
    assert.equal(publisherOf(item('openai-news', 'https://openai.com/index/x')), 'openai.com');
    assert.equal(publisherOf(item('openai-research', 'https://www.openai.com/research/y')), 'openai.com');
    assert.equal(publisherOf(item('aibase', 'https://news.aibase.com/zh/daily/1')), 'aibase.com');
    assert.equal(publisherOf(item('bbc', 'https://www.bbc.co.uk/news/1')), 'bbc.co.uk');
    assert.equal(publisherOf(item('hn-ai', 'https://openai.com/index/x', 'hackernews')), 'hackernews');
    const options = { now: new Date('2026-08-22T02:00:00Z'), windowHours: 48, topics: [] };
    const twoFeeds = scoreStory(
      [item('openai-news', 'https://openai.com/index/x'), item('openai-research', 'https://openai.com/research/x')],
      options,
    );
    assert.equal(twoFeeds.coverage, 0, 'one publisher through two feeds');
    const twoPublishers = scoreStory(
      [item('openai-news', 'https://openai.com/index/x'), item('verge', 'https://www.theverge.com/ai/x')],
      options,
    );
    assert.ok(twoPublishers.coverage > 0);
  });

  it('saturates coverage', () => {
    assert.equal(coverageScore(1), 0);
    assert.ok(coverageScore(2) < coverageScore(3) && coverageScore(10) <= 1);
  });

  it('reads every counter an item has, whatever its connector kind', () => {
    const hn = makeItem({ id: 'h', title: 't', sourceKind: 'hackernews', engagement: { points: 600 } });
    const feedWithPoints = makeItem({ id: 'f', title: 't', sourceKind: 'feed', engagement: { points: 600 } });
    const hf = makeItem({
      id: 'm',
      title: 't',
      sourceKind: 'huggingface',
      engagement: { likes: 5, downloads: 2_000_000 },
    });
    const gh = makeItem({ id: 'g', title: 't', sourceKind: 'github', engagement: { stars: 400, starsGained: 10 } });
    const quiet = makeItem({ id: 'q', title: 't', sourceKind: 'hackernews', engagement: { points: 0, comments: 0 } });
    const noCounters = makeItem({ id: 'n', title: 't' });
    assert.equal(itemEngagement(hn), 1);
    assert.equal(itemEngagement(feedWithPoints), itemEngagement(hn));
    assert.ok(itemEngagement(hf) >= 0.8 - 1e-9, 'downloads count when likes are few');
    assert.ok(itemEngagement(gh) < 0.5);
    assert.equal(itemEngagement(quiet), 0);
    assert.equal(itemEngagement(noCounters), UNKNOWN_ENGAGEMENT, 'unknown is not zero');
  });
});

// ---------------------------------------------------------------------------------------------
// Real captures: per-source standards and snapshot lists

const sourceDefaults = { enabled: true, filterTopics: false, authority: 0.6, section: 'opensource' as const };

function feedSource(id: string, extra: Partial<SourceConfig> = {}): SourceConfig {
  return { ...sourceDefaults, id, name: id, kind: 'feed', url: `https://${id}.example/feed.xml`, params: {}, ...extra };
}

function presetSource(id: string): SourceConfig {
  const source = PRESETS.ai!.sources.find((s) => s.id === id)!;
  return { enabled: true, filterTopics: false, params: {}, ...source };
}

function normalizeAll(raws: readonly RawItem[], source: SourceConfig, fetchedAt: Date): PipelineItem[] {
  return raws.map((raw) => ({
    ...normalizeItem(raw, { source, fetchedAt }),
    sourceKind: source.kind,
    sourceName: source.name,
    sourceAuthority: source.authority,
    sourceSection: source.section,
  }));
}

function singletons(items: readonly PipelineItem[]) {
  return items.map((item) => ({ id: `s-${item.id}`, itemIds: [item.id], keys: [] }));
}

/** An RSS document of a trending-models list as some feeds publish it: one date for every entry. */
function trendingModelsFeed(listTakenAt: string): string {
  const models = JSON.parse(realText('huggingface/hf-api-trending_models-keyed-by-id_2026-08-22.json')) as Record<
    string,
    { repoData: { id: string; likes: number; downloads: number; pipeline_tag?: string } }
  >;
  const entries = Object.values(models).map(
    ({ repoData }) => `<item><title>${repoData.id}</title><link>https://huggingface.co/${repoData.id}</link>
<description>Type: ${repoData.pipeline_tag ?? 'unknown'}&lt;br/&gt;Downloads: ${repoData.downloads}&lt;br/&gt;Likes: ${repoData.likes}</description>
<pubDate>${listTakenAt}</pubDate></item>`,
  );
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>Trending models</title><link>https://hf.example/</link>${entries.join('\n')}</channel></rss>`;
}

describe('engagement standards per source (real captures)', () => {
  const fetchedAt = new Date('2026-08-22T02:00:00Z');
  const papersSource = presetSource('huggingface-daily-papers');
  const modelsSource = presetSource('huggingface-trending-models');
  const papers = normalizeAll(
    parseDailyPapers(JSON.parse(realText('huggingface/hf-api-daily_papers_date-2026-08-21.json'))),
    papersSource,
    fetchedAt,
  );
  const snapshot = JSON.parse(realText('huggingface/hf-api-models_sort-likes+downloads_projected_2026-08-21.json')) as {
    models: unknown[];
  };
  const models = normalizeAll(parseHfModels(snapshot.models), modelsSource, fetchedAt);
  const baselines = engagementBaselines([...papers, ...models]);

  it('scores each source by its own standards, so neither kind dominates', () => {
    assert.ok(papers.length >= 10 && models.length >= 10);
    const best = (items: PipelineItem[]) => Math.max(...items.map((item) => itemEngagement(item, baselines)));
    const median = (items: PipelineItem[]) => {
      const sorted = items.map((item) => itemEngagement(item, baselines)).sort((a, b) => a - b);
      return sorted[Math.floor(sorted.length / 2)]!;
    };
    assert.ok(best(papers) > 0.85 && best(models) > 0.85, 'the best of each source scores near the top');
    assert.ok(Math.abs(best(papers) - best(models)) < 0.15);
    assert.ok(
      median(papers) < best(papers) - 0.15 && median(models) < best(models) - 0.15,
      'the middle is not the top',
    );
  });

  it('never scores more of a counter lower within one source', () => {
    const votes = [...new Set(papers.map((item) => item.engagement.upvotes ?? 0))].sort((a, b) => a - b);
    const scores = votes.map((upvotes) => itemEngagement({ ...papers[0]!, engagement: { upvotes } }, baselines));
    for (let i = 1; i < scores.length; i++) assert.ok(scores[i]! >= scores[i - 1]!);
    assert.ok(scores[scores.length - 1]! > scores[0]!);
  });
});

describe('snapshot lists (real captures)', () => {
  const now = new Date('2026-08-22T02:00:00Z');
  const windowStart = '2026-08-20T02:00:00.000Z';
  const rankOptions = { now, windowHours: 48, topics: PRESETS.ai!.topics };

  it('knows a list from its connector: GitHub trending rows are undated, so they are still trending', () => {
    const source = presetSource('github-trending');
    const repos = normalizeAll(parseTrendingPage(realText('github/github-trending_2023-05.html')), source, now);
    assert.ok(repos.length >= 5 && repos.every((item) => item.dateFlag === 'missing'));
    const snapshots = snapshotSources([source], repos);
    assert.deepEqual(snapshots.get(source.id), {
      reason: 'connector',
      listDated: true,
      firstFetchedAt: now.toISOString(),
    });
    const stories = rankStories(singletons(repos), new Map(repos.map((item) => [item.id, item])), {
      ...rankOptions,
      snapshots,
    });
    assert.ok(stories.every((story) => story.stillTrending === true && story.score.recency === 0));
  });

  it('calls an entry new when it first appears in a list fetched before without it', () => {
    const source = presetSource('github-trending');
    const today = normalizeAll(parseTrendingPage(realText('github/github-trending_2023-05.html')), source, now);
    // The list was first fetched before the window with the first three rows; two more rows appeared
    // in a fetch inside the window (an earlier day of a 48-hour window), the rest today.
    const earlier = today.slice(0, 3).map((item) => ({ ...item, fetchedAt: '2026-08-19T02:00:00.000Z' }));
    const yesterday = today.slice(3, 5).map((item) => ({ ...item, fetchedAt: '2026-08-21T02:00:00.000Z' }));
    const items = [...earlier, ...yesterday, ...today.slice(5)];
    const snapshots = snapshotSources([source], items);
    assert.equal(snapshots.get(source.id)?.firstFetchedAt, '2026-08-19T02:00:00.000Z');
    const stories = rankStories(singletons(items), new Map(items.map((item) => [item.id, item])), {
      ...rankOptions,
      snapshots,
    });
    const trending = new Set(stories.filter((story) => story.stillTrending).flatMap((story) => story.itemIds));
    assert.deepEqual([...trending].sort(), earlier.map((item) => item.id).sort());
    const firstTrending = stories.findIndex((story) => story.stillTrending);
    assert.ok(
      stories.slice(firstTrending).every((story) => story.stillTrending),
      'news first, then the list',
    );
  });

  it('detects a feed whose entries all carry the moment the list was taken, and ranks them below news', () => {
    const source = feedSource('trending-models-feed');
    const listed = normalizeAll(parseFeedDocument(trendingModelsFeed('Sat, 22 Aug 2026 01:37:12 GMT')), source, now);
    assert.ok(listed.length >= SNAPSHOT_MIN_ITEMS);
    const news = normalizeAll(
      parseFeedDocument(realText('rss/openai-news_2026-08-20_trimmed.xml')),
      presetSource('openai-news'),
      now,
    ).filter((item) => item.publishedAt >= windowStart);
    assert.ok(news.length > 0);
    const sources = [source, presetSource('openai-news')];
    const snapshots = snapshotSources(sources, [...listed, ...news]);
    assert.deepEqual(snapshots.get(source.id), {
      reason: 'detected',
      listDated: true,
      firstFetchedAt: now.toISOString(),
    });
    assert.equal(snapshots.has('openai-news'), false);
    const all = [...listed, ...news];
    const stories = rankStories(singletons(all), new Map(all.map((item) => [item.id, item])), {
      ...rankOptions,
      snapshots,
      baselines: engagementBaselines(all),
    });
    const newsIds = new Set(news.map((item) => item.id));
    const order = stories.map((story) => newsIds.has(story.itemIds[0]!));
    assert.deepEqual(order, [...news.map(() => true), ...listed.map(() => false)]);
    for (const story of stories.filter((s) => s.stillTrending)) assert.equal(story.score.recency, 0);
  });

  it('makes a story of one item as the general rules make it (score, section, first seen, list flags)', () => {
    const listSource = feedSource('trending-models-feed');
    const trending = presetSource('github-trending');
    const papersSource = presetSource('huggingface-daily-papers');
    const all = [
      ...normalizeAll(parseFeedDocument(trendingModelsFeed('Sat, 22 Aug 2026 01:37:12 GMT')), listSource, now),
      ...normalizeAll(parseTrendingPage(realText('github/github-trending_2023-05.html')), trending, now),
      ...normalizeAll(
        parseDailyPapers(JSON.parse(realText('huggingface/hf-api-daily_papers_date-2026-08-21.json'))),
        papersSource,
        now,
      ),
      ...normalizeAll(
        parseFeedDocument(realText('rss/openai-news_2026-08-20_trimmed.xml')),
        presetSource('openai-news'),
        now,
      ),
      ...normalizeAll(
        parseFeedDocument(realText('rss/qbitai-zh_2026-09-22_transcribed.xml')),
        feedSource('qbitai'),
        now,
      ),
      ...normalizeAll(
        parseFeedDocument(realText('arxiv/arxiv-rss_cs.AI_2026-04-27_trimmed.xml')),
        feedSource('arxiv-as-feed'),
        now,
      ),
    ];
    // Odd dates and flags: a date toISOString writes otherwise, an unreadable one, a stand-in.
    all.push(
      { ...all.at(-1)!, id: 'offset-date', publishedAt: '2026-08-21T09:00:00+08:00' },
      { ...all.at(-1)!, id: 'no-date', publishedAt: 'soon' },
      { ...all.at(-2)!, id: 'stand-in', dateFlag: 'missing' },
    );
    const sources = [listSource, trending, papersSource];
    const options = {
      ...rankOptions,
      snapshots: snapshotSources(sources, all),
      baselines: engagementBaselines(all),
    };
    assert.ok(options.snapshots.size >= 2);
    const byId = new Map(all.map((item) => [item.id, item]));
    const stories = rankStories(singletons(all), byId, options);
    assert.equal(stories.length, all.length);
    const sections = new Set<string>();
    for (const story of stories) {
      const item = byId.get(story.itemIds[0]!)!;
      const ms = Date.parse(item.publishedAt);
      const listed = !item.dateFlag && options.snapshots.get(item.sourceId)?.listDated === true;
      assert.deepEqual(story.score, scoreStory([item], options), item.id);
      assert.equal(story.section, classifyStory([item], item.sourceSection), item.id);
      assert.equal(story.firstSeenAt, Number.isNaN(ms) ? item.publishedAt : new Date(ms).toISOString(), item.id);
      assert.deepEqual(story.listedItemIds, listed ? [item.id] : undefined, item.id);
      sections.add(story.section);
    }
    assert.ok(sections.size >= 3, 'several sections');
    assert.ok(stories.some((story) => story.stillTrending) && stories.some((story) => !story.stillTrending));
  });

  it('does not take a daily listing (every entry dated the same day, at midnight) for a snapshot', () => {
    const source = feedSource('arxiv-as-feed');
    const listing = normalizeAll(
      [
        ...parseFeedDocument(realText('arxiv/arxiv-rss_cs.AI_2026-04-27_trimmed.xml')),
        ...parseFeedDocument(realText('arxiv/arxiv-rss_cs.CL_2026-04-27_trimmed.xml')),
        ...parseFeedDocument(realText('arxiv/arxiv-rss_cs.LG_2026-04-27_trimmed.xml')),
      ],
      source,
      new Date('2026-04-28T02:00:00Z'),
    );
    assert.ok(listing.length >= SNAPSHOT_MIN_ITEMS);
    assert.equal(new Set(listing.map((item) => item.publishedAt)).size, 1);
    assert.equal(snapshotSources([source], listing).size, 0);
  });

  it('takes `snapshot: true` from the config, and `snapshot: false` turns detection off', () => {
    const listed = normalizeAll(
      parseFeedDocument(trendingModelsFeed('Sat, 22 Aug 2026 01:37:12 GMT')),
      feedSource('x'),
      now,
    );
    const flagged = feedSource('x', { snapshot: true });
    assert.equal(snapshotSources([flagged], listed.slice(0, 1)).get('x')?.reason, 'config');
    assert.equal(snapshotSources([feedSource('x', { snapshot: false })], listed).size, 0);
  });
});

describe('sortStories', () => {
  it('orders stories as sort(compareStories) does: ties of total and trending, equal stories, odd totals', () => {
    let seed = 5;
    const next = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
    const story = (index: number, total: number): Story => ({
      id: `s${pick([1, 2, 3, index])}`,
      title: pick(['OpenAI launches a model', 'A quiet post', 'Zeta', 'A quiet post']),
      itemIds: [],
      sourceIds: [],
      keys: [],
      section: 'llm',
      score: {
        recency: pick([0, 0.5]),
        authority: pick([0.5, 1]),
        coverage: 0,
        engagement: pick([0, 0.25]),
        relevance: 1,
        newsValue: 1,
        total,
      },
      firstSeenAt: '2026-08-21T00:00:00.000Z',
      ...(next() < 0.2 ? { stillTrending: true } : {}),
    });
    const totals = [0, 0.1, 0.123456, 0.5, 0.999999, 1, -0];
    const stories = Array.from({ length: 400 }, (_, index) => story(index, pick(totals)));
    // Positions, not contents: stories equal in every part must keep their order too.
    const positions = (list: readonly Story[], of: readonly Story[]) => list.map((entry) => of.indexOf(entry));
    assert.deepEqual(positions(sortStories(stories), stories), positions([...stories].sort(compareStories), stories));
    // A total that scoring never gives (not six decimals, or outside 0..1) takes the comparator alone.
    for (const odd of [0.1234567, 1.5, Number.NaN]) {
      const withOdd = [...stories.slice(0, 50), story(999, odd), ...stories.slice(50, 100)];
      assert.deepEqual(positions(sortStories(withOdd), withOdd), positions([...withOdd].sort(compareStories), withOdd));
    }
  });
});

describe('rankedStories: stories worked out as they are read', () => {
  const fetchedAt = new Date('2026-08-22T02:00:00Z');
  /** A day of real captures: lab and media feeds, Hugging Face papers and models, a GitHub trending list. */
  function realDay(): { items: PipelineItem[]; sources: SourceConfig[] } {
    const sources: SourceConfig[] = [];
    const items: PipelineItem[] = [];
    const add = (source: SourceConfig, raws: readonly RawItem[]) => {
      sources.push(source);
      items.push(...normalizeAll(raws, source, fetchedAt));
    };
    const feeds = [
      'openai-news_2026-08-20_trimmed.xml',
      'openai-research_scraped-by-olshansk_2026-08-22.xml',
      'anthropic-news_scraped-by-olshansk_2026-08-22.xml',
      'meta-ai-blog_scraped-by-olshansk_2026-08-22.xml',
      'google-blog-ai_2026-08-19_trimmed.xml',
      'huggingface-blog_2026-08-20_trimmed.xml',
      'qbitai-zh_2026-09-22_transcribed.xml',
      'infoq-cn_2026-09-22_transcribed.xml',
      'deeplearning-ai-the-batch_scraped-by-olshansk_2026-06-04.xml',
      'microsoft-ai-blog_2025-07-28.xml',
    ];
    feeds.forEach((file, index) => {
      const id = file.slice(0, file.indexOf('_'));
      add(
        feedSource(id, { authority: [1, 0.9, 0.8, 0.7, 0.6][index % 5]! }),
        parseFeedDocument(realText(`rss/${file}`)),
      );
    });
    add(
      presetSource('huggingface-daily-papers'),
      parseDailyPapers(JSON.parse(realText('huggingface/hf-api-daily_papers_date-2026-08-21.json'))),
    );
    const models = JSON.parse(realText('huggingface/hf-api-models_sort-likes+downloads_projected_2026-08-21.json')) as {
      models: unknown[];
    };
    add(presetSource('huggingface-trending-models'), parseHfModels(models.models));
    add(presetSource('github-trending'), parseTrendingPage(realText('github/github-trending_2023-05.html')));
    return { items, sources };
  }

  const day = realDay();
  const byId = new Map(day.items.map((item) => [item.id, item]));
  const clusters = clusterItems(day.items);
  const optionSets: { name: string; options: Parameters<typeof rankStories>[2] }[] = [
    { name: 'the defaults', options: { now: fetchedAt, windowHours: 48, topics: PRESETS.ai!.topics } },
    {
      name: 'relevance weighing most, a short window',
      options: {
        now: fetchedAt,
        windowHours: 12,
        topics: PRESETS.ai!.topics,
        weights: { relevance: 3, recency: 0.1, authority: 0.1, coverage: 0, engagement: 0.5 },
      },
    },
    { name: 'no topics', options: { now: fetchedAt, windowHours: 48, topics: [] } },
    {
      name: 'engagement standards and snapshot lists',
      options: {
        now: fetchedAt,
        windowHours: 48,
        topics: PRESETS.ai!.topics,
        baselines: engagementBaselines(day.items),
        snapshots: snapshotSources(day.sources, day.items),
      },
    },
  ];

  for (const { name, options: rankOptions } of optionSets) {
    it(`gives rankStories' order, whole and in part, with ${name}`, () => {
      const full = rankStories(clusters, byId, rankOptions);
      assert.ok(full.length > 300);
      assert.deepEqual([...rankedStories(clusters, byId, rankOptions)], full);
      for (const read of [1, 2, 5, 12, 30, 100]) {
        const ranking = rankedStories(clusters, byId, rankOptions);
        const first: Story[] = [];
        for (const story of ranking) {
          first.push(story);
          if (first.length === read) break;
        }
        assert.deepEqual(first, full.slice(0, read), `the first ${read}`);
        if (read <= 30) {
          assert.ok(
            ranking.evaluated < full.length / 2,
            `${ranking.evaluated} of ${full.length} worked out for ${read}`,
          );
        }
      }
      const ranking = rankedStories(clusters, byId, rankOptions);
      assert.equal(ranking.size, full.length);
      assert.equal(ranking.itemCount, day.items.length);
      assert.deepEqual(
        [...ranking.outlines()].map((outline) => outline.id),
        clusters.map((cluster) => cluster.id),
      );
      assert.equal(ranking.evaluated, 0, 'outlines work out no story');
    });
  }

  it('works out ties of total before giving either, so equal scores keep their order', () => {
    // Many stories of one total: one date, one authority, no counters; headlines on and off the
    // topics, guides and roundups (news value below 1), stories of two items, lists still trending.
    let seed = 11;
    const next = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
    const titles = [
      'OpenAI releases a new reasoning model',
      'A quiet post about gardening',
      'How to fine-tune a language model',
      'AI weekly roundup: five things',
      'Zeta',
      'Company picnic photos',
    ];
    const items = Array.from({ length: 600 }, (_, index) =>
      makeItem({
        id: `i${String(index).padStart(4, '0')}`,
        title: pick(titles),
        text: pick(['', 'A large language model and an agent.', 'Nothing to see.']),
        sourceId: pick(['a', 'b', 'list']),
        authority: pick([0.6, 0.6, 0.8]),
        publishedAt: pick(['2026-08-21T08:00:00.000Z', '2026-08-21T08:00:00.000Z', '2026-08-20T08:00:00.000Z']),
        ...(next() < 0.2 ? { engagement: { points: pick([10, 100]) } } : {}),
      }),
    );
    const pairs = Array.from({ length: 500 }, (_, index) => ({
      id: `s${index}`,
      itemIds: next() < 0.2 ? [items[index]!.id, items[index + 100]!.id] : [items[index]!.id],
      keys: [],
    }));
    // Stories compareStories finds equal (one id, one title, one score) keep their clusters' order.
    for (const suffix of ['x', 'y', 'z']) {
      items.push(makeItem({ id: `dup-${suffix}`, title: 'Zeta', sourceId: 'a', authority: 0.6 }));
      pairs.push({ id: 'dup', itemIds: [`dup-${suffix}`], keys: [] });
    }
    const sources = ['a', 'b'].map((id) => feedSource(id)).concat(feedSource('list', { snapshot: true }));
    const itemsById = new Map(items.map((item) => [item.id, item]));
    const rankOptions = { ...options, snapshots: snapshotSources(sources, items) };
    const full = rankStories(pairs, itemsById, rankOptions);
    assert.ok(full.some((story) => story.stillTrending) && full.some((story) => story.score.newsValue < 1));
    assert.deepEqual([...rankedStories(pairs, itemsById, rankOptions)], full);
    for (let trial = 0; trial < 20; trial++) {
      const read = 1 + Math.floor(next() * 120);
      const first: Story[] = [];
      for (const story of rankedStories(pairs, itemsById, rankOptions)) {
        first.push(story);
        if (first.length === read) break;
      }
      assert.deepEqual(first, full.slice(0, read), `the first ${read}`);
    }
  });
});
