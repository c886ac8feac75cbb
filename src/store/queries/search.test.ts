import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { storeBackends } from '../../../test/support/store-backends.js';
import type { Item } from '../../core/types.js';
import { Store } from '../store.js';
import { likePattern, search, searchTerms } from './search.js';

function item(id: string, title: string, text: string): Item {
  return {
    id,
    sourceId: 's',
    identity: `url:${id}`,
    url: `https://example.org/${id}`,
    canonicalUrl: `https://example.org/${id}`,
    title,
    text,
    language: 'zh',
    publishedAt: `2026-08-2${id.length}T00:00:00.000Z`,
    fetchedAt: '2026-08-22T00:00:00.000Z',
    authors: [],
    engagement: {},
    tags: [],
    externalIds: {},
  };
}

describe('search queries', () => {
  it('splits a query into terms, without control characters, NFKC-folded', () => {
    assert.deepEqual(searchTerms('  千问\u0000Ｑｗｅｎ  agent\t'), ['千问', 'Qwen', 'agent']);
    assert.deepEqual(searchTerms(' \n '), []);
    assert.equal(likePattern('50%_a\\b'), '%50\\%\\_a\\\\b%');
  });
});

for (const backend of storeBackends()) {
  describe(`search queries on ${backend.name}`, backend.skip ? { skip: backend.skip } : {}, () => {
    after(() => backend.cleanup());

    it('matches every term, of any length, in any case; stories by title', async () => {
      const store = await Store.connect(await backend.location());
      try {
        await store.saveItems([
          item('a', '阿里：千问将训练新模型', '通义千问 Qwen 的智能体'),
          item('bb', 'OpenAI ships an Agent SDK', 'agents, tools and 100% coverage'),
          item('ccc', '其他新闻', '与模型无关'),
        ]);
        const ids = async (q: string) => (await search(store, q)).items.map((hit) => hit.id).sort();
        assert.deepEqual(await ids('千问'), ['a']);
        assert.deepEqual(await ids('智能体'), ['a']);
        assert.deepEqual(await ids('qwen'), ['a']);
        assert.deepEqual(await ids('AGENT'), ['bb']);
        assert.deepEqual(await ids('模型'), ['a', 'ccc']);
        assert.deepEqual(await ids('模型 千问'), ['a'], 'every term');
        assert.deepEqual(await ids('100%'), ['bb']);
        assert.deepEqual(await ids('0%'), ['bb'], 'a % matches itself');
        assert.deepEqual(await ids('%'), ['bb']);
        assert.deepEqual(await ids('_'), []);
        await store.upsertSources(
          [{ id: 's', name: 'Source S', kind: 'feed', url: 'https://example.org/feed' } as never],
          new Date('2026-08-22T00:00:00Z'),
        );
        await store.saveReport({
          date: '2026-08-22',
          language: 'zh',
          mode: 'extractive',
          generatedAt: '2026-08-22T02:00:00.000Z',
          markdownPath: 'm.md',
          jsonPath: 'm.json',
          manifest: {},
          stories: [
            {
              id: 'st1',
              title: 'OpenAI 发布 Agent SDK',
              itemIds: ['bb'],
              sourceIds: ['s'],
              keys: [],
              section: 'products',
              score: { recency: 1, authority: 1, coverage: 0, engagement: 0, relevance: 1, newsValue: 1, total: 0.7 },
              firstSeenAt: '2026-08-21T07:00:00.000Z',
            },
          ],
        });
        const result = await search(store, 'agent sdk');
        assert.deepEqual(
          result.stories.map((story) => story.storyId),
          ['st1'],
          'a story title, in any ASCII case',
        );
        assert.deepEqual(
          result.items.map((hit) => [hit.id, hit.sourceName, hit.stories.map((story) => story.storyId)]),
          [['bb', 'Source S', ['st1']]],
        );
        assert.deepEqual((await search(store, '发布')).stories.length, 1);
      } finally {
        await store.close();
      }
    });
  });
}
