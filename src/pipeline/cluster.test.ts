import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { labelledItems, loadLabelledSet, makeItem } from '../../test/fixtures/cluster/items.js';
import { clusterItems, comparableTitle, itemKeys, modelFamilyKeys, sortById, urlKey } from './cluster.js';

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
    assert.ok(scores.recall >= 0.95, `recall ${scores.recall}`);
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

  it('joins re-reports that name one entity by any alias and one quantity in any spelling, on the same day', () => {
    const pairs: Array<[string, string]> = [
      ['阿里研究员透露Qwen4.5后模型将扩展至5-10T参数', '阿里吴泳铭：千问将训练5-10万亿参数规模的新模型'],
      ['DeepSeek open-sources V4 preview with 1.6 trillion parameters', '深度求索开源 DeepSeek-V4 预览版，1.6T 参数'],
      ['Moonshot AI launches Kimi K3 with 2.4T parameters', '月之暗面发布 Kimi K3：总参数 2.4万亿'],
      ['ByteDance model tops 120亿 downloads', '字节跳动 model tops 12B downloads'],
    ];
    for (const [first, second] of pairs) {
      const items = [
        makeItem({ id: 'a', title: first, url: 'https://a.example/1', publishedAt: '2026-09-22T03:00:00Z' }),
        makeItem({ id: 'b', title: second, url: 'https://b.example/2', publishedAt: '2026-09-22T10:00:00Z' }),
      ];
      const clusters = clusterItems(items);
      assert.equal(clusters.length, 1, `${first} | ${second}`);
      assert.ok(clusters[0]!.keys.includes('near'));
      const daysApart = items.map((item, index) => ({ ...item, publishedAt: `2026-09-${20 + 3 * index}T03:00:00Z` }));
      assert.equal(clusterItems(daysApart).length, 2, `days apart: ${first}`);
    }
  });

  it('keeps apart same-entity items whose quantities, versions or terms differ', () => {
    const apart: Array<[string, string]> = [
      ['阿里公布全模态模型新进展，Qwen4和下代视频模型均在训练中', '阿里研究员透露Qwen4.5后模型将扩展至5-10T参数'],
      ['英伟达发布 Nemotron 3 Nano：120亿参数端侧模型', '英伟达开源 Nemotron 3 Omni：300亿参数'],
      ['Anthropic and NEC collaborate to build AI engineering workforce', 'Anthropic names a General Manager'],
      ['OpenAI o3-mini', 'OpenAI o3-mini System Card'],
      [
        '从 AI 工具到经营智能体：快手分销增长 Agent 实践',
        '复杂业务 Agent 的持续进化：快手电商导购的 Harness Loop 实践',
      ],
      ['月之暗面发布 Kimi K3：上下文 100万 token', '月之暗面发布 Kimi K2.6：上下文 100万 token'],
    ];
    for (const [first, second] of apart) {
      const clusters = clusterItems([
        makeItem({ id: 'a', title: first, url: 'https://a.example/1', sourceId: 'lab' }),
        makeItem({ id: 'b', title: second, url: 'https://b.example/2', sourceId: 'lab' }),
      ]);
      assert.equal(clusters.length, 2, `${first} | ${second}`);
    }
  });

  it('joins the posts of one event that share its distinctive name, not those sharing only the company', () => {
    const day = '2026-09-22T0';
    const items = [
      makeItem({
        id: 'a',
        title: '阿里吴泳铭最新演讲：未来机器思考的总量将达到人类的1000倍以上',
        publishedAt: `${day}2:52:05Z`,
      }),
      makeItem({ id: 'b', title: '阿里吴泳铭：千问将训练5-10万亿参数规模的新模型', publishedAt: `${day}9:00:00Z` }),
      makeItem({ id: 'c', title: '阿里发布程序员“数字分身”QoderWake', publishedAt: `${day}8:00:00Z` }),
    ];
    const clusters = clusterItems(items);
    assert.deepEqual(clusters.map((cluster) => [...cluster.itemIds].sort()).sort(), [['a', 'b'], ['c']]);
  });

  it("makes one story of an organisation's variants and re-uploads of one release, headed by the official item", () => {
    const hf = (id: string, model: string, authority = 0.6) =>
      makeItem({
        id,
        title: model,
        url: `https://huggingface.co/${model}`,
        externalIds: { hfModel: model },
        authority,
        publishedAt: '2026-04-22T10:00:00Z',
      });
    const clusters = clusterItems([
      hf('a-quant', 'unsloth/DeepSeek-V4-Flash-GGUF', 0.9),
      hf('b-pro', 'deepseek-ai/DeepSeek-V4-Pro'),
      hf('c-flash', 'deepseek-ai/DeepSeek-V4-Flash'),
      hf('d-pro-base', 'deepseek-ai/DeepSeek-V4-Pro-Base'),
      hf('e-flash-base', 'deepseek-ai/DeepSeek-V4-Flash-Base'),
      hf('f-stem-quant', 'antirez/deepseek-v4-gguf'),
      hf('g-update', 'deepseek-ai/DeepSeek-V4-Flash-0731'),
      hf('h-finetune', 'someone/DeepSeek-V4-Flash-Instruct'),
    ]);
    const release = clusters.find((cluster) => cluster.itemIds.includes('b-pro'))!;
    assert.deepEqual([...release.itemIds].sort(), [
      'a-quant',
      'b-pro',
      'c-flash',
      'd-pro-base',
      'e-flash-base',
      'f-stem-quant',
    ]);
    assert.notEqual(release.itemIds[0], 'a-quant', 'the re-upload is not the headline');
    assert.notEqual(release.itemIds[0], 'f-stem-quant');
    assert.equal(clusters.length, 3, "a dated update and another team's fine-tune stay apart");
  });

  it('handles no items and duplicate ids', () => {
    assert.deepEqual(clusterItems([]), []);
    const item = makeItem({ id: 'a', title: 'Same' });
    assert.deepEqual(clusterItems([item, item])[0]!.itemIds, ['a']);
  });
});

describe('clusterItems reads repeated work once', () => {
  /** 600 characters: a space every ninth (from the first), eight times `letters(k)` after the k-th. */
  const wordText = (letters: (k: number) => string) =>
    Array.from({ length: 600 }, (_, i) => (i % 9 === 0 ? ' ' : letters(Math.floor(i / 9)))).join('');
  /** Words of letters a-m (offset 0) or n-z (offset 13): two openings that share no word. */
  const alpha = (offset: number) => (k: number) => String.fromCharCode(97 + offset + (k % 13));
  const titleA = 'orchard lantern meadow harbor violet cascade';
  // Shares five of nine title words with A: alike enough only with an alike text opening.
  const titleB = 'orchard lantern meadow harbor violet summit glacier compass';
  const titleC = 'orchard lantern meadow harbor violet ridge beacon falcon';

  it('takes a text opening seen before as read again, and tells apart openings the hash mixes up', () => {
    const text = wordText(alpha(0));
    // The same length and the same characters where the opening's hash looks (every ninth), other words.
    const lookAlike = wordText(alpha(13));
    assert.equal(lookAlike.length, text.length);
    const items = [
      makeItem({ id: 'a', title: titleA, text }),
      makeItem({ id: 'b', title: titleB, text: `${text.slice(0, 300)}${text.slice(300)}` }),
      makeItem({ id: 'c', title: titleC, text: lookAlike, url: 'https://example.org/c' }),
    ];
    const clusters = clusterItems(items);
    assert.deepEqual(clusters.map((cluster) => [...cluster.itemIds].sort()).sort(), [['a', 'b'], ['c']]);
  });

  it('gives a title set seen before the same signature ("Show HN:", "[pdf]", another word order)', () => {
    const items = [
      makeItem({ id: 'a', title: 'Sparse Mixture Routing for Long Context Retrieval' }),
      makeItem({
        id: 'b',
        title: 'Show HN: Sparse Mixture Routing for Long Context Retrieval',
        url: 'https://x.org/b',
      }),
      makeItem({ id: 'c', title: 'Retrieval: Long Context, Sparse Mixture Routing [pdf]', url: 'https://y.org/c' }),
      makeItem({ id: 'd', title: 'Dense Mixture Routing for Short Context Retrieval', url: 'https://z.org/d' }),
    ];
    const clusters = clusterItems(items);
    assert.deepEqual(clusters.map((cluster) => [...cluster.itemIds].sort()).sort(), [['a', 'b', 'c'], ['d']]);
  });

  it('strips aggregator boilerplate from titles as the three patterns in turn do', () => {
    const patterns = [
      /^\s*(?:show|ask|tell|launch)\s+hn\s*[:：-]\s*/i,
      /^\s*\[[a-z]{1,3}\]\s*/i,
      /\s*\[(?:pdf|video)\]\s*$/i,
    ];
    // biome-ignore format: one title a line
    const titles = [
      'Show HN: A tool', ' show hn: a tool', '\u00a0Show HN - a tool', '\u3000LAUNCH HN： a tool', 'Ask hN:x', 'Tell Hn : x',
      'Show HN a tool', 'Shown HN: x', '[R] Show HN: x', 'Show HN: [pdf] x [pdf]', '[D] Technology [video] ', 'Learning HN: x',
      'Launch\tHN:\tx', 'Technical notes', 'A paper [PDF]', '', ' ', 'sHOW hn:', 'Show\u00a0HN: x', 'x Show HN: y',
    ];
    for (const title of titles) {
      let expected = title;
      for (const pattern of patterns) expected = expected.replace(pattern, '');
      assert.equal(comparableTitle(title), expected, JSON.stringify(title));
    }
  });

  it('orders items by id, hex ids or not, and counts an id once', () => {
    const hex = ['0a1b2c3d4e5f6071-2', '0a1b2c3d4e5f6071-10', 'ffffffff00000000', '0a1b2c3d00000000'];
    const clusters = clusterItems([
      ...hex.map((id, k) => makeItem({ id, title: `Story number ${k} about topic ${id}` })),
      makeItem({ id: 'ffffffff00000000', title: 'A later item with an id seen before' }),
    ]);
    assert.deepEqual(clusters.flatMap((cluster) => cluster.itemIds).sort(), [...hex].sort());
    const kept = clusterItems([
      makeItem({ id: 'x1', title: 'First of the id' }),
      makeItem({ id: 'x1', title: 'Second of the id' }),
      makeItem({ id: 'Z', title: 'Another id' }),
    ]);
    assert.deepEqual(kept.flatMap((cluster) => cluster.itemIds).sort(), ['Z', 'x1']);
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

  it('reads a plain URL without the URL parser, as the parser reads it', () => {
    /** urlKey as the URL parser alone gives it. */
    const parsedKey = (url: string): string | undefined => {
      let parsed: URL;
      try {
        parsed = new URL(url);
      } catch {
        return undefined;
      }
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined;
      const path = parsed.pathname.replace(/\/+$/, '');
      if (path === '' && parsed.search === '') return undefined;
      return `${parsed.hostname.toLowerCase().replace(/^www\./, '')}${path}${parsed.search}`;
    };
    // biome-ignore format: one URL a line
    const urls = [
      'https://arxiv.org/abs/2601.10000', 'http://example.com', 'https://example.com/', 'https://example.com?',
      'https://example.com/?', 'https://example.com?q=1', 'https://www.example.com//a//b//', 'https://www.www.example.com/x',
      'https://example.com/a/./b', 'https://example.com/a/../b', 'https://example.com/a/.', 'https://example.com/.well-known/x',
      'https://example.com/a/%2e%2e/b', 'https://example.com/a%20b', 'https://example.com/a b', 'https://example.com/a\\b',
      'https://example.com/a?b=c d', "https://example.com/a?b='c'", 'https://example.com/a?b=<c>', 'https://example.com/a?x=1#f',
      'https://example.com/a#f', 'https://example.com/a?', 'https://example.com/A/B?Q=R&s=t;u:v@w/x?y',
      'https://EXAMPLE.com/a', 'HTTPS://example.com/a', 'https://example.com:443/a', 'https://example.com:8080/a',
      'https://user@example.com/a', 'https://192.168.0.1/a', 'https://1.2.3/a', 'https://example.0x1f/a', 'https://example.0x/a',
      'https://example.123/a', 'https://0x7f.example/a', 'https://xn--bcher-kva.example/a', 'https://xn--invalid/a',
      'https://-a-.example/a', 'https://a..b/a', 'https://example.com./a', 'https://localhost/a', 'https://a_b.example/a',
      'https:///example.com/a', 'https:/example.com/a', 'ftp://example.com/a', ' https://example.com/a', 'https://example.com/a\t',
      'https://例子.测试/路径', 'https://example.com/路径?q=值', 'https://example.com/~user/_x-y.z', 'https://example.com/a?b=%zz',
      'https://github.com/Owner/Repo.git', 'https://huggingface.co/Qwen/Qwen3.8-27B', 'https://news.ycombinator.com/item?id=1',
    ];
    for (const url of urls) assert.equal(urlKey(url), parsedKey(url), url);
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

  it('sorts clusters by id as a stable sort does, ids that share their first half included', () => {
    const ids = ['ffffffff00000000', '0000000000000001', '0123456789abcdef', '0123456789abcdee', '0123456789abcdef'];
    for (let k = 0; k < 200; k++)
      ids.push(`${(k % 7).toString(16).padStart(8, '0')}${((k * 7919) % 97).toString(16).padStart(8, '0')}`);
    const clusters = ids.map((id, k) => ({ id, itemIds: [`item-${k}`], keys: [] }));
    const expected = [...clusters].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    assert.deepEqual(sortById([...clusters]), expected);
  });
});
