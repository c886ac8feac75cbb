import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Section, Story } from '../core/types.js';
import { selectStories } from './select.js';

function story(id: string, section: Section): Story {
  const score = { recency: 0, authority: 0, coverage: 0, engagement: 0, relevance: 0, total: 0 };
  return {
    id,
    title: id,
    itemIds: [id],
    sourceIds: ['s'],
    keys: [],
    section,
    score,
    firstSeenAt: '2026-08-21T00:00:00.000Z',
  };
}

describe('selectStories', () => {
  const stories = [
    story('1', 'llm'),
    story('2', 'llm'),
    story('3', 'papers'),
    story('4', 'llm'),
    story('5', 'papers'),
    story('6', 'products'),
  ];

  it('keeps score order within section caps and the total', () => {
    const { selected, overCap } = selectStories(stories, {
      maxStories: 4,
      sectionCaps: { llm: 2 },
      defaultSectionCap: 1,
    });
    assert.deepEqual(
      selected.map((s) => s.id),
      ['1', '2', '3', '6'],
    );
    assert.deepEqual(
      overCap.map((s) => s.id),
      ['4', '5'],
    );
  });

  it('stops at the total', () => {
    const { selected, overCap } = selectStories(stories, { maxStories: 2, defaultSectionCap: 10 });
    assert.deepEqual(
      selected.map((s) => s.id),
      ['1', '2'],
    );
    assert.equal(overCap.length, 4);
  });

  it('handles zero caps and no stories', () => {
    assert.deepEqual(selectStories(stories, { maxStories: 0, defaultSectionCap: 5 }).selected, []);
    assert.deepEqual(selectStories([], { maxStories: 5, defaultSectionCap: 5 }), { selected: [], overCap: [] });
  });
});
