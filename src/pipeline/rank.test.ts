import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makeItem } from '../../test/fixtures/cluster/items.js';
import { PRESETS } from '../config/presets.js';
import { clusterItems } from './cluster.js';
import {
  coverageScore,
  DEFAULT_WEIGHTS,
  itemEngagement,
  rankStories,
  recencyScore,
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
});

describe('score parts', () => {
  it('decays recency over the window', () => {
    const nowMs = now.getTime();
    assert.equal(recencyScore(nowMs, nowMs, 24), 1);
    assert.equal(recencyScore(nowMs + 3_600_000, nowMs, 24), 1);
    assert.ok(Math.abs(recencyScore(nowMs - 12 * 3_600_000, nowMs, 24) - 0.5) < 1e-9);
    assert.equal(recencyScore(Number.NaN, nowMs, 24), 0);
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
