import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type DataItem, modelSize, storyDataLine } from './story-data.js';

const item = (overrides: Partial<DataItem> & Pick<DataItem, 'id'>): DataItem => ({
  url: 'https://example.org/post',
  sourceKind: 'feed',
  sourceName: 'Example',
  engagement: {},
  externalIds: {},
  ...overrides,
});

describe('storyDataLine', () => {
  it('reads a GitHub repository’s stars and stars gained as a sentence in either language', () => {
    const repo = item({
      id: 'r',
      url: 'https://github.com/acme/agent',
      sourceKind: 'github',
      sourceName: 'GitHub Trending',
      engagement: { stars: 54665, starsGained: 1062 },
    });
    assert.deepEqual(storyDataLine([repo], 'zh'), { text: 'GitHub 上 54,665 星，今日新增 1,062。', itemIds: ['r'] });
    assert.deepEqual(storyDataLine([repo], 'en'), { text: '54,665 stars on GitHub, 1,062 today.', itemIds: ['r'] });
  });

  it('reads Hacker News points and comments, and a model’s likes, downloads, organisation and size', () => {
    const hn = item({
      id: 'h',
      url: 'https://news.example/ai-product',
      sourceKind: 'hackernews',
      engagement: { points: 1172, comments: 412 },
    });
    assert.equal(storyDataLine([hn], 'zh')?.text, 'Hacker News 上 1,172 分、412 条评论。');
    assert.equal(storyDataLine([hn], 'en')?.text, '1,172 points and 412 comments on Hacker News.');
    const model = item({
      id: 'm',
      url: 'https://huggingface.co/acme/Chat-7B-Instruct',
      sourceKind: 'huggingface',
      engagement: { likes: 748, downloads: 12000 },
      externalIds: { hfModel: 'acme/Chat-7B-Instruct' },
    });
    assert.equal(
      storyDataLine([model], 'zh')?.text,
      'Hugging Face 上 748 个赞、12,000 次下载，发布方 acme，模型 7B 参数。',
    );
    assert.equal(
      storyDataLine([model], 'en')?.text,
      '748 likes and 12,000 downloads on Hugging Face, from acme, 7B parameters.',
    );
    // Two platforms: one clause each, citing the items whose numbers they state.
    const both = storyDataLine([hn, model], 'en');
    assert.deepEqual(both?.itemIds, ['h', 'm']);
    assert.match(both?.text ?? '', /^1,172 points and 412 comments on Hacker News; 748 likes .* parameters\.$/);
  });

  it('writes one for a count of one in the singular, and none without a counter above zero', () => {
    const paper = item({
      id: 'p',
      url: 'https://huggingface.co/papers/2608.19880',
      sourceKind: 'huggingface',
      engagement: { upvotes: 1, comments: 0 },
    });
    assert.equal(storyDataLine([paper], 'en')?.text, '1 upvote on Hugging Face.');
    assert.equal(storyDataLine([item({ id: 'x', engagement: { points: 0 } })], 'zh'), undefined);
    assert.equal(storyDataLine([], 'en'), undefined);
  });
});

describe('modelSize', () => {
  it('reads a parameter count from a model name, and nothing from a version', () => {
    assert.equal(modelSize('Qwen3-7B-Instruct'), '7B');
    assert.equal(modelSize('Llama-3.1-70b'), '70B');
    assert.equal(modelSize('MiniMax-M2.7'), undefined);
    assert.equal(modelSize('GLM-5.1'), undefined);
  });
});
