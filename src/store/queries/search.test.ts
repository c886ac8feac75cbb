import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
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

  it('matches every term: FTS for three characters or more, LIKE for shorter, in any case', async () => {
    const store = await Store.open(':memory:');
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
    } finally {
      await store.close();
    }
  });
});
