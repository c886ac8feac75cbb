import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makeItem } from '../../test/fixtures/report/build-input.js';
import { dataLines, isDataItem, modelOf, paperOf, repositoryOf, usableHistoryDays } from './data-sections.js';

describe('data items from any source kind', () => {
  it('recognises a model by HF id or huggingface.co/org/name URL, not datasets, spaces or papers', () => {
    const fromFeed = makeItem({
      title: 'Trending: org/model',
      url: 'https://huggingface.co/deepseek-ai/DeepSeek-V4',
      sourceId: 'some-feed',
      engagement: { likes: 900 },
    });
    assert.equal(modelOf(fromFeed), 'deepseek-ai/DeepSeek-V4');
    assert.equal(isDataItem(fromFeed), true);
    for (const url of [
      'https://huggingface.co/datasets/org/set',
      'https://huggingface.co/spaces/org/app',
      'https://huggingface.co/blog/post',
    ]) {
      assert.equal(modelOf(makeItem({ title: 't', url, sourceId: 'f', engagement: { likes: 1 } })), undefined, url);
    }
    assert.equal(isDataItem(makeItem({ title: 't', url: 'https://huggingface.co/org/m', sourceId: 'f' })), false);
  });

  it('recognises a repository by GitHub id or URL, and a paper by arXiv id or an arxiv / HF papers URL', () => {
    const repo = makeItem({
      title: 'Show HN: thing',
      url: 'https://github.com/Owner/Repo.git',
      sourceId: 'hn',
      sourceKind: 'hackernews',
      engagement: { stars: 10 },
    });
    assert.equal(repositoryOf(repo), 'owner/repo');
    const paper = (url: string) => makeItem({ title: 'P', url, sourceId: 'hn', engagement: { points: 3 } });
    assert.equal(paperOf(paper('https://arxiv.org/abs/2608.01234v2')), '2608.01234');
    assert.equal(paperOf(paper('https://arxiv.org/pdf/2608.01234.pdf')), '2608.01234');
    assert.equal(paperOf(paper('https://huggingface.co/papers/2608.01234')), '2608.01234');
    assert.equal(isDataItem(paper('https://example.com/blog')), false);
  });

  it('makes one line per thing, sums a paper over its items, and names the story only when one holds it', () => {
    const hn = makeItem({
      id: 'hn1',
      title: 'A paper on HN',
      url: 'https://arxiv.org/abs/2608.00001',
      sourceId: 'hn',
      engagement: { points: 40, comments: 10 },
    });
    const hf = makeItem({
      id: 'hf1',
      title: 'A paper on HF',
      url: 'https://huggingface.co/papers/2608.00001',
      sourceId: 'hf',
      engagement: { upvotes: 25 },
    });
    const modelA = makeItem({
      id: 'm1',
      title: 'a',
      url: 'https://huggingface.co/org/a',
      sourceId: 'hf-models',
      engagement: { likes: 5, downloads: 100 },
    });
    const modelB = makeItem({
      id: 'm2',
      title: 'b',
      url: 'https://huggingface.co/org/b',
      sourceId: 'feed',
      engagement: { likes: 50 },
    });
    const lines = dataLines([hn, hf, modelA, modelB, modelA], (id) => (id === 'hn1' ? 'story-1' : undefined));
    assert.deepEqual(
      lines.papers.map((p) => [p.title, p.points, p.comments, p.upvotes, p.storyId, p.itemIds]),
      [['A paper on HN', 40, 10, 25, 'story-1', ['hn1', 'hf1']]],
    );
    assert.deepEqual(
      lines.models.map((m) => [m.name, m.likes, 'storyId' in m]),
      [
        ['org/b', 50, false],
        ['org/a', 5, false],
      ],
    );
  });

  it('counts only history days on which some source was collected', () => {
    assert.equal(
      usableHistoryDays([
        { date: 'a', items: 3, terms: {}, collected: ['x'] },
        { date: 'b', items: 0, terms: {}, collected: [] },
      ]),
      1,
    );
  });
});
