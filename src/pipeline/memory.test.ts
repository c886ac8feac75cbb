import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Story } from '../core/types.js';
import { applyMemory, keptStories, type ReportedStory, storyMemory } from './memory.js';

function story(id: string, itemIds: string[], sourceIds: string[], keys: string[]): Story {
  const score = { recency: 0, authority: 0, coverage: 0, engagement: 0, relevance: 0, newsValue: 1, total: 0 };
  return { id, title: id, itemIds, sourceIds, keys, section: 'papers', score, firstSeenAt: '2026-08-21T00:00:00.000Z' };
}

const reported: ReportedStory[] = [
  {
    storyId: 'old1',
    reportDate: '2026-08-19',
    itemIds: ['i1'],
    keys: ['arxiv:2608.00001'],
    sourceIds: ['arxiv-cs-ai'],
  },
  {
    storyId: 'old2',
    reportDate: '2026-08-20',
    itemIds: ['i2'],
    keys: ['url:openai.com/index/x', 'near'],
    sourceIds: ['openai-news'],
  },
  { storyId: 'old3', reportDate: '2026-08-20', itemIds: ['i9'], keys: ['arxiv:2608.00001'], sourceIds: ['hf-papers'] },
];

describe('applyMemory', () => {
  it('splits fresh, repeated and updated stories', () => {
    const stories = [
      story('a', ['i5'], ['arxiv-cs-ai', 'hf-papers'], ['arxiv:2608.00001']), // same paper, no new source
      story('b', ['i2', 'i6'], ['openai-news', 'hackernews-ai'], ['url:openai.com/index/x']), // gained HN
      story('c', ['i7'], ['blog'], ['url:blog.example/post', 'near']),
      story('d', ['i8'], ['blog'], ['near']),
    ];
    const result = applyMemory(stories, reported);
    assert.deepEqual(
      result.repeated.map((s) => s.id),
      ['a'],
    );
    assert.deepEqual(
      result.updates.map((s) => s.id),
      ['b'],
    );
    assert.deepEqual(result.updates[0]!.updateOf, { reportDate: '2026-08-20', previousSourceIds: ['openai-news'] });
    assert.deepEqual(
      result.fresh.map((s) => s.id),
      ['c', 'd'],
      '"near" alone matches nothing',
    );
    assert.deepEqual(
      result.kept.map((s) => s.id),
      ['b', 'c', 'd'],
    );
    assert.equal(stories[1]!.updateOf, undefined, 'input is not mutated');
  });

  it('ignores reports of the same day or later, so a re-run is idempotent', () => {
    const stories = [story('b', ['i2'], ['openai-news'], [])];
    assert.equal(applyMemory(stories, reported, { reportDate: '2026-08-20' }).fresh.length, 1);
    assert.equal(applyMemory(stories, reported, { reportDate: '2026-08-21' }).repeated.length, 1);
  });

  it('matches on story id too', () => {
    const result = applyMemory([story('old1', ['new'], ['arxiv-cs-ai'], [])], reported);
    assert.equal(result.repeated.length, 1);
  });
});

describe('keptStories', () => {
  it('keeps what applyMemory keeps, reading one story at a time', () => {
    const stories = [
      story('a', ['i5'], ['arxiv-cs-ai', 'hf-papers'], ['arxiv:2608.00001']),
      story('b', ['i2', 'i6'], ['openai-news', 'hackernews-ai'], ['url:openai.com/index/x']),
      story('c', ['i7'], ['blog'], ['url:blog.example/post', 'near']),
      story('old1', ['i10'], ['arxiv-cs-ai'], []),
    ];
    const judge = storyMemory(reported);
    assert.deepEqual([...keptStories(stories, judge)], applyMemory(stories, reported).kept);
    assert.deepEqual(
      stories.map((s) => judge(s)),
      ['repeated', { updateOf: { reportDate: '2026-08-20', previousSourceIds: ['openai-news'] } }, 'fresh', 'repeated'],
    );
    let read = 0;
    function* counted() {
      for (const s of stories) {
        read++;
        yield s;
      }
    }
    assert.equal(keptStories(counted(), judge).next().value?.id, 'b');
    assert.equal(read, 2, 'no story after the first kept one is read');
  });
});
