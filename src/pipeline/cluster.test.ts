import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { labelledItems, loadLabelledSet, makeItem } from '../../test/fixtures/cluster/items.js';
import { clusterItems, itemKeys, modelFamilyKeys, urlKey } from './cluster.js';

/** Pairwise precision and recall of predicted clusters against story labels. */
function pairwiseScores(labels: Map<string, string>, clusters: { itemIds: string[] }[]) {
  const predicted = new Map<string, number>();
  clusters.forEach((cluster, index) => {
    for (const id of cluster.itemIds) predicted.set(id, index);
  });
  const ids = [...labels.keys()];
  let truePositive = 0;
  let falsePositive = 0;
  let falseNegative = 0;
  const mistakes: string[] = [];
  for (let i = 0; i < ids.length; i++) {
    for (let j = i + 1; j < ids.length; j++) {
      const a = ids[i]!;
      const b = ids[j]!;
      const same = labels.get(a) === labels.get(b);
      const together = predicted.get(a) === predicted.get(b);
      if (same && together) truePositive++;
      else if (together) {
        falsePositive++;
        mistakes.push(`merged ${a}/${b}`);
      } else if (same) {
        falseNegative++;
        mistakes.push(`missed ${a}/${b}`);
      }
    }
  }
  const pairs = (ids.length * (ids.length - 1)) / 2;
  return {
    precision: truePositive / Math.max(1, truePositive + falsePositive),
    recall: truePositive / Math.max(1, truePositive + falseNegative),
    positives: truePositive + falseNegative,
    negatives: pairs - truePositive - falseNegative,
    mistakes,
  };
}

describe('clusterItems on the labelled set', () => {
  const set = loadLabelledSet();
  const labels = new Map(set.items.map((item) => [item.id, item.story]));

  it('meets the precision and recall bars', () => {
    const clusters = clusterItems(labelledItems(set));
    const scores = pairwiseScores(labels, clusters);
    console.log(
      `cluster labelled set: ${set.items.length} items, ${scores.positives} same-story pairs, ${scores.negatives} different-story pairs; ` +
        `pairwise precision ${scores.precision.toFixed(3)}, recall ${scores.recall.toFixed(3)}; ${scores.mistakes.join(', ') || 'no mistakes'}`,
    );
    assert.ok(scores.positives >= 40, 'the set has enough same-story pairs to mean something');
    assert.ok(scores.precision >= 0.98, `precision ${scores.precision}`);
    assert.ok(scores.recall >= 0.9, `recall ${scores.recall}`);
  });

  it('never merges items labelled as hard negatives with their look-alikes', () => {
    const clusters = clusterItems(labelledItems(set));
    const clusterOf = new Map<string, number>();
    clusters.forEach((cluster, index) => {
      for (const id of cluster.itemIds) clusterOf.set(id, index);
    });
    const hardNegatives = set.items.filter((item) => item.note?.startsWith('hard negative'));
    assert.ok(hardNegatives.length >= 10);
    for (const item of hardNegatives) {
      for (const other of set.items) {
        if (other.story !== item.story && clusterOf.get(other.id) === clusterOf.get(item.id)) {
          assert.fail(`${item.id} (${item.title}) merged with ${other.id} (${other.title})`);
        }
      }
    }
  });

  it('gives the same clusters and ids for any input order', () => {
    const items = labelledItems(set);
    const reference = clusterItems(items);
    let seed = 7;
    for (let round = 0; round < 5; round++) {
      const shuffled = [...items];
      for (let i = shuffled.length - 1; i > 0; i--) {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        const j = seed % (i + 1);
        [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
      }
      assert.deepEqual(clusterItems(shuffled), reference);
    }
  });
});

describe('clusterItems rules', () => {
  it('joins one paper seen on arXiv, Hugging Face and Hacker News into one story with three sources', () => {
    const items = [
      makeItem({ id: 'hf', title: 'A Paper', url: 'https://huggingface.co/papers/2608.00001', authority: 0.75 }),
      makeItem({ id: 'ax', title: 'A Paper', url: 'https://arxiv.org/abs/2608.00001v3', authority: 0.6 }),
      makeItem({
        id: 'hn',
        title: 'Totally different HN title',
        url: 'https://arxiv.org/pdf/2608.00001',
        authority: 0.5,
      }),
    ];
    const clusters = clusterItems(items);
    assert.equal(clusters.length, 1);
    assert.deepEqual(clusters[0]!.itemIds, ['hf', 'ax', 'hn']);
    assert.equal(clusters[0]!.keys[0], 'arxiv:2608.00001');
  });

  it('picks the representative by authority, then the earliest item', () => {
    const url = 'https://lab.example/post';
    const items = [
      makeItem({ id: 'b', title: 'Post', url, authority: 0.5, publishedAt: '2026-08-21T01:00:00Z' }),
      makeItem({ id: 'c', title: 'Post', url, authority: 0.9, publishedAt: '2026-08-21T05:00:00Z' }),
      makeItem({ id: 'a', title: 'Post', url, authority: 0.9, publishedAt: '2026-08-21T03:00:00Z' }),
    ];
    assert.deepEqual(clusterItems(items)[0]!.itemIds, ['a', 'c', 'b']);
  });

  it('derives the id from the strongest key, else from the representative', () => {
    const withKey = clusterItems([makeItem({ id: 'x', title: 'T', url: 'https://github.com/Owner/Repo' })]);
    const alsoWithKey = clusterItems([makeItem({ id: 'y', title: 'Other', url: 'https://github.com/owner/repo/' })]);
    assert.equal(withKey[0]!.id, alsoWithKey[0]!.id);
    assert.match(withKey[0]!.id, /^[0-9a-f]{16}$/);
    const home = clusterItems([makeItem({ id: 'z', title: 'T', url: 'https://example.org/' })]);
    const otherHome = clusterItems([makeItem({ id: 'w', title: 'T2', url: 'https://example.org/' })]);
    assert.notEqual(home[0]!.id, otherHome[0]!.id, 'a home page is no identity');
  });

  it('joins near-identical titles from different URLs and marks them "near"', () => {
    const clusters = clusterItems([
      makeItem({
        id: 'a',
        title: 'Google launches Gemini 3 Ultra with a 2M context window',
        url: 'https://a.example/1',
      }),
      makeItem({
        id: 'b',
        title: 'Show HN: Google launches Gemini 3 Ultra with 2M context window',
        url: 'https://b.example/2',
      }),
    ]);
    assert.equal(clusters.length, 1);
    assert.ok(clusters[0]!.keys.includes('near'));
  });

  it('keeps titles apart whose versions disagree', () => {
    const clusters = clusterItems([
      makeItem({ id: 'a', title: 'OpenAI releases GPT-5.1 to all ChatGPT users today', url: 'https://a.example/1' }),
      makeItem({ id: 'b', title: 'OpenAI releases GPT-5.2 to all ChatGPT users today', url: 'https://b.example/2' }),
    ]);
    assert.equal(clusters.length, 2);
  });

  it('joins on similar titles plus a shared opening of the text', () => {
    const text =
      'The company said on Tuesday that the new model handles contracts, invoices and reports in twelve languages.';
    const clusters = clusterItems([
      makeItem({ id: 'a', title: 'Acme unveils document model for enterprises', url: 'https://a.example/1', text }),
      makeItem({
        id: 'b',
        title: 'Acme unveils a document model for enterprise paperwork',
        url: 'https://b.example/2',
        text,
      }),
    ]);
    assert.equal(clusters.length, 1);
  });

  it('refuses to merge two papers through a shared code repository', () => {
    const clusters = clusterItems([
      makeItem({ id: 'p1', title: 'Paper one', externalIds: { arxiv: '2601.00001', github: 'big/monorepo' } }),
      makeItem({ id: 'p2', title: 'Paper two', externalIds: { arxiv: '2601.00002', github: 'big/monorepo' } }),
    ]);
    assert.equal(clusters.length, 2);
  });

  it('handles no items and duplicate ids', () => {
    assert.deepEqual(clusterItems([]), []);
    const item = makeItem({ id: 'a', title: 'Same' });
    assert.deepEqual(clusterItems([item, item])[0]!.itemIds, ['a']);
  });
});

describe('keys', () => {
  it('reads ids from URLs', () => {
    const keys = itemKeys(
      makeItem({
        id: 'a',
        title: 't',
        url: 'https://news.ycombinator.com/item?id=1',
        externalIds: { arxiv: '2408.12345v2' },
      }),
    );
    assert.deepEqual(keys, ['arxiv:2408.12345', 'url:news.ycombinator.com/item?id=1']);
    assert.deepEqual(itemKeys(makeItem({ id: 'b', title: 't', url: 'https://github.com/trending' })), [
      'url:github.com/trending',
    ]);
    assert.ok(
      itemKeys(makeItem({ id: 'c', title: 't', url: 'https://huggingface.co/Qwen/Qwen3.8-27B' })).includes(
        'hf:qwen/qwen3.8-27b',
      ),
    );
  });

  it('normalises URLs and ignores home pages', () => {
    assert.equal(urlKey('https://www.Example.com/a/b/#top'), 'example.com/a/b');
    assert.equal(urlKey('https://example.com/'), undefined);
    assert.equal(urlKey('not a url'), undefined);
  });

  it('gives a quantised model a reference to its base model', () => {
    assert.deepEqual(modelFamilyKeys('Qwen/Qwen3.8-27B'), ['hfbase:qwen3.8-27b', 'hfrelease:qwen/qwen3.8-27b']);
    assert.deepEqual(modelFamilyKeys('deepseek-ai/DeepSeek-V4-Pro-Base'), [
      'hfbase:deepseek-v4-pro-base',
      'hfrelease:deepseek-ai/deepseek-v4',
    ]);
    assert.deepEqual(modelFamilyKeys('unsloth/Qwen3.8-27B-GGUF'), ['hfbase:unsloth/qwen3.8-27b', 'hfref:qwen3.8-27b']);
    assert.deepEqual(modelFamilyKeys('someone/tiny'), []);
  });

  it('gives keys that follow the item when it changes, and a fresh array each time', () => {
    const item = makeItem({ id: 'k1', title: 'A paper', url: 'https://arxiv.org/abs/2408.12345v2' });
    const first = itemKeys(item);
    assert.deepEqual(first, ['arxiv:2408.12345', 'url:arxiv.org/abs/2408.12345v2']);
    first.push('url:changed-by-the-caller');
    assert.deepEqual(itemKeys(item), ['arxiv:2408.12345', 'url:arxiv.org/abs/2408.12345v2']);
    item.url = 'https://github.com/owner/repo';
    item.canonicalUrl = 'https://github.com/owner/repo';
    assert.deepEqual(itemKeys(item), ['github:owner/repo', 'url:github.com/owner/repo']);
    item.externalIds = { arxiv: '2501.00001' };
    assert.deepEqual(itemKeys(item), ['arxiv:2501.00001', 'github:owner/repo', 'url:github.com/owner/repo']);
  });
});
