/**
 * Stored rows for the web app's tests over a store they fill themselves: an item of the `news`
 * source (https://news.example/<id>) and a published story of its items. `fields` changes what a
 * test is about (a story's section or keys).
 */
import type { Item, Story } from '../../src/core/types.js';

export function newsItem(id: string, title: string): Item {
  const url = `https://news.example/${id}`;
  return {
    id,
    sourceId: 'news',
    identity: `url:${id}`,
    url,
    canonicalUrl: url,
    title,
    text: `${title}.`,
    language: 'en',
    publishedAt: '2026-08-21T10:00:00.000Z',
    fetchedAt: '2026-08-22T02:00:00.000Z',
    authors: [],
    engagement: {},
    tags: [],
    externalIds: {},
  };
}

export function newsStory(id: string, title: string, itemIds: string[], fields: Partial<Story> = {}): Story {
  return {
    id,
    title,
    itemIds,
    sourceIds: ['news'],
    keys: ['k:zephyr'],
    section: 'llm',
    score: { recency: 0.5, authority: 0.4, coverage: 0, engagement: 0.2, relevance: 1, newsValue: 1, total: 0.5 },
    firstSeenAt: '2026-08-21T10:00:00.000Z',
    ...fields,
  };
}
