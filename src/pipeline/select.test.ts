import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { realText } from '../../test/support/fixtures.js';
import type { Section, Story } from '../core/types.js';
import {
  chooseTopStories,
  entityFamilies,
  familyStem,
  ordinaryPapers,
  promotionalStories,
  selectStories,
} from './select.js';

function story(id: string, section: Section, extra: Partial<Story> = {}): Story {
  const score = { recency: 0, authority: 0, coverage: 0, engagement: 0, relevance: 0, newsValue: 1, total: 0 };
  return {
    id,
    title: id,
    itemIds: [id],
    sourceIds: ['s'],
    keys: [],
    section,
    score,
    firstSeenAt: '2026-08-21T00:00:00.000Z',
    ...extra,
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

  it('stops at the total, and reads no story after it', () => {
    let read = 0;
    function* counted() {
      for (const story of stories) {
        read++;
        yield story;
      }
    }
    const { selected, overCap } = selectStories(counted(), { maxStories: 2, defaultSectionCap: 10 });
    assert.deepEqual(
      selected.map((s) => s.id),
      ['1', '2'],
    );
    assert.deepEqual(overCap, []);
    assert.equal(read, 2);
    // Over a section's cap before the report is full: read and over cap.
    const capped = selectStories(stories, { maxStories: 2, sectionCaps: { llm: 1 }, defaultSectionCap: 10 });
    assert.deepEqual(
      capped.selected.map((s) => s.id),
      ['1', '3'],
    );
    assert.deepEqual(
      capped.overCap.map((s) => s.id),
      ['2'],
    );
  });

  it('handles zero caps and no stories', () => {
    assert.deepEqual(selectStories(stories, { maxStories: 0, defaultSectionCap: 5 }).selected, []);
    assert.deepEqual(selectStories([], { maxStories: 5, defaultSectionCap: 5 }), { selected: [], overCap: [] });
  });
});

/** Model ids of the real Hugging Face trending capture: one release and its re-uploads. */
const trendingIds = Object.keys(
  JSON.parse(realText('huggingface/hf-api-trending_models-keyed-by-id_2026-08-22.json')) as Record<string, unknown>,
);

describe('entity families', () => {
  it('puts a model and its quantised, uncensored and re-uploaded variants in one family (real capture)', () => {
    const family = (id: string) => entityFamilies({ title: id, keys: [`hf:${id.toLowerCase()}`] });
    const qwen = trendingIds.filter((id) => id.toLowerCase().includes('qwen3.8'));
    const others = trendingIds.filter((id) => !qwen.includes(id));
    assert.ok(qwen.length >= 5 && others.length >= 2);
    for (const id of qwen) assert.deepEqual(family(id), ['qwen3.8'], id);
    for (const id of others) assert.ok(!family(id).includes('qwen3.8'), id);
    assert.equal(new Set(others.map((id) => family(id).join())).size, others.length, 'different models stay apart');
  });

  it('strips variant and size suffixes but keeps versions apart', () => {
    const stems = ['DeepSeek-V4-Pro', 'DeepSeek-V4-Flash', 'DeepSeek-V4-Pro-Base', 'DeepSeek-V4-Flash-Base'].map(
      familyStem,
    );
    assert.deepEqual(new Set(stems), new Set(['deepseek-v4']));
    assert.notEqual(familyStem('DeepSeek-V3'), familyStem('DeepSeek-V4'));
    assert.equal(familyStem('meta-llama/Llama-3.1-8B-Instruct'), 'llama-3.1');
    assert.equal(familyStem('Qwen3-30B-A3B-Instruct-2507-FP8'), 'qwen3');
    assert.equal(familyStem('Mistral-7B-Instruct'), 'mistral');
    assert.equal(familyStem('gpt-4o-mini'), 'gpt-4o');
    assert.equal(familyStem('8B'), undefined);
  });

  it('reads versioned names in titles, and nothing from titles without one', () => {
    assert.deepEqual(entityFamilies({ title: 'Introducing GPT-5 for developers', keys: [] }), ['gpt-5']);
    assert.deepEqual(entityFamilies({ title: 'GPT-5 system card', keys: ['url:openai.com/x'] }), ['gpt-5']);
    assert.deepEqual(entityFamilies({ title: 'Our principles', keys: [] }), []);
  });
});

describe('chooseTopStories', () => {
  const options = { count: 6, maxPerFamily: 1, maxPerSource: 2, maxPapers: 2 };

  it('gives one slot to a release and its variants, two to a source, two to papers', () => {
    const ranked = [
      story('v1', 'llm', { title: 'DeepSeek-V4-Pro', sourceIds: ['hf'] }),
      story('v2', 'llm', { title: 'DeepSeek-V4-Flash', sourceIds: ['hf-2'] }),
      story('p1', 'papers', { sourceIds: ['arxiv'] }),
      story('p2', 'papers', { sourceIds: ['arxiv-2'] }),
      story('p3', 'papers', { sourceIds: ['arxiv-3'] }),
      story('v3', 'llm', { title: 'DeepSeek-V4-Pro-Base', sourceIds: ['hf-3'] }),
      story('i1', 'applications', { sourceIds: ['infoq'] }),
      story('i2', 'applications', { sourceIds: ['infoq'] }),
      story('i3', 'applications', { sourceIds: ['infoq'] }),
      story('o1', 'products', { sourceIds: ['openai'] }),
      story('o2', 'products', { sourceIds: ['hn'] }),
    ];
    // The same six stories; the news leads and the papers follow it, each in rank order.
    assert.deepEqual(chooseTopStories(ranked, options), ['v1', 'i1', 'i2', 'o1', 'p1', 'p2']);
  });

  it('lets a roundup or a customer story take a top slot only when the news is used up', () => {
    const notNews = (id: string, source: string) =>
      story(id, 'applications', {
        sourceIds: [source],
        score: { recency: 1, authority: 1, coverage: 0, engagement: 1, relevance: 1, newsValue: 0.7, total: 0.9 },
      });
    const ranked = [
      notNews('roundup', 'digest'),
      notNews('customer', 'lab'),
      story('n1', 'llm', { sourceIds: ['lab'] }),
      story('n2', 'products', { sourceIds: ['verge'] }),
      story('n3', 'llm', { sourceIds: ['blog'] }),
    ];
    assert.deepEqual(chooseTopStories(ranked, { ...options, count: 3 }), ['n1', 'n2', 'n3']);
    assert.deepEqual(
      chooseTopStories(ranked, { ...options, count: 5 }),
      ['n1', 'n2', 'n3', 'roundup', 'customer'],
      'with too little news they fill the slots, after the news',
    );
  });

  it('orders the top: news, then papers, then entries still trending, then roundups and guides', () => {
    const guide = story('guide', 'applications', {
      sourceIds: ['hf-blog'],
      score: { recency: 1, authority: 1, coverage: 0, engagement: 1, relevance: 1, newsValue: 0.7, total: 0.9 },
    });
    const trending = story('trending', 'opensource', { sourceIds: ['hub'], stillTrending: true });
    const ranked = [guide, story('paper', 'papers', { sourceIds: ['arxiv'] }), story('news', 'llm'), trending];
    assert.deepEqual(chooseTopStories(ranked, { ...options, count: 4 }), ['news', 'paper', 'trending', 'guide']);
    assert.deepEqual(
      chooseTopStories(ranked, { ...options, count: 2 }),
      ['news', 'paper'],
      'an entry still trending waits for the news, like a guide',
    );
  });

  it('never gives a top slot to a post of a filtered source whose headline is not about the topic', () => {
    const textOnly = story('text-only', 'applications', {
      sourceIds: ['cloud-blog'],
      score: { recency: 1, authority: 1, coverage: 0, engagement: 1, relevance: 0.5, newsValue: 1, total: 0.9 },
    });
    const headline = story('headline', 'applications', {
      sourceIds: ['cloud-blog'],
      score: { recency: 0, authority: 0, coverage: 0, engagement: 0, relevance: 1, newsValue: 1, total: 0.1 },
    });
    const lab = story('lab', 'llm', {
      sourceIds: ['lab-blog'],
      score: { recency: 0, authority: 0, coverage: 0, engagement: 0, relevance: 0, newsValue: 1, total: 0.05 },
    });
    const ranked = [textOnly, headline, lab];
    assert.deepEqual(
      chooseTopStories(ranked, { ...options, count: 3, filteredSources: ['cloud-blog'] }),
      ['headline', 'lab'],
      'a source kept whole keeps its posts eligible; a quiet day has fewer top stories',
    );
    assert.deepEqual(chooseTopStories(ranked, { ...options, count: 3 }), ['text-only', 'headline', 'lab']);
  });

  it('fills the slots with papers, then with one source, when the day has nothing else', () => {
    const papers = ['a', 'b', 'c', 'd'].map((id) => story(id, 'papers', { sourceIds: [`s-${id}`] }));
    assert.deepEqual(chooseTopStories(papers, options), ['a', 'b', 'c', 'd']);
    const oneSource = ['a', 'b', 'c'].map((id) => story(id, 'llm', { sourceIds: ['only'] }));
    assert.deepEqual(chooseTopStories(oneSource, options), ['a', 'b', 'c']);
    // Two sources: three from each, not two from one and four from the other.
    const twoSources = ['x1', 'x2', 'x3', 'x4', 'x5', 'y1', 'y2', 'y3', 'y4'].map((id) =>
      story(id, 'llm', { sourceIds: [id[0]!] }),
    );
    assert.deepEqual(chooseTopStories(twoSources, options), ['x1', 'x2', 'x3', 'y1', 'y2', 'y3']);
    const variants = ['X-1-Pro', 'X-1-Flash'].map((title) => story(title, 'llm', { title }));
    assert.deepEqual(chooseTopStories(variants, options), ['X-1-Pro'], 'the family cap is never lifted');
  });

  it('never gives a top slot to a story it is told to keep off the top, in any pass', () => {
    const papers = ['a', 'b', 'c'].map((id) => story(id, 'papers', { sourceIds: [`s-${id}`] }));
    assert.deepEqual(chooseTopStories(papers, { ...options, neverOnTop: new Set(['b']) }), ['a', 'c']);
  });

  it('keeps ordinary papers off the top: votes per hour since listed, against the fastest of the day', () => {
    const now = new Date('2026-08-22T02:00:00Z');
    const item = (votes: number | undefined, publishedAt: string) => ({
      engagement: votes === undefined ? {} : { upvotes: votes },
      publishedAt,
    });
    // Like the real 2026-08-22 lists: 163 upvotes in two days; 92 after five days; 54 after three.
    const items = new Map([
      ['fast', item(163, '2026-08-19T20:00:00Z')],
      ['old', item(92, '2026-08-16T20:00:00Z')],
      ['slow', item(54, '2026-08-18T20:00:00Z')],
      ['close', item(120, '2026-08-19T20:00:00Z')],
      ['arxiv', item(undefined, '2026-08-21T00:00:00Z')],
    ]);
    const stories = [...items.keys()].map((id) => story(id, 'papers'));
    assert.deepEqual([...ordinaryPapers(stories, items, now)].sort(), ['old', 'slow']);
    // A paper an hour old is counted over 12 hours: 10 votes do not make it the day's paper.
    const fresh = new Map([...items, ['fresh', item(10, '2026-08-22T01:00:00Z')]]);
    assert.ok(ordinaryPapers([...stories, story('fresh', 'papers')], fresh, now).has('fresh'));
    // Only papers are judged, and a day of papers without votes has no ordinary paper.
    assert.deepEqual([...ordinaryPapers([story('fast', 'llm'), story('old', 'llm')], items, now)], []);
    assert.deepEqual([...ordinaryPapers([story('arxiv', 'papers')], items, now)], []);
  });

  it('keeps customer stories, event notices and promotions off the top, and nothing else', () => {
    const items = new Map([
      [
        'customer',
        {
          title: 'Stampli cuts launch hours by 68% using ChatGPT Work',
          url: 'https://openai.com/index/stampli',
          tags: [],
        },
      ],
      [
        'webinar',
        { title: 'Join our webinar: building agents with Gemini', url: 'https://blog.example/webinar', tags: [] },
      ],
      [
        'launch',
        { title: 'OpenAI releases GPT-6 with a 2M-token context', url: 'https://openai.com/index/gpt-6', tags: [] },
      ],
      ['guide', { title: 'How to fine-tune Qwen on your own data', url: 'https://hf.co/blog/fine-tune', tags: [] }],
    ]);
    const stories = [...items.keys()].map((id) => story(id, 'applications'));
    assert.deepEqual([...promotionalStories(stories, items)].sort(), ['customer', 'webinar']);
  });

  it('keeps at most N stories of one family in a section', () => {
    const ranked = ['Qwen3.8-27B', 'Qwen3.8-27B-GGUF', 'Qwen3.8-27B-FP8', 'Other-2'].map((title) =>
      story(title, 'opensource', { title }),
    );
    const { selected, overCap } = selectStories(ranked, {
      maxStories: 10,
      defaultSectionCap: 10,
      maxPerFamilyInSection: 2,
    });
    assert.deepEqual(
      selected.map((s) => s.id),
      ['Qwen3.8-27B', 'Qwen3.8-27B-GGUF', 'Other-2'],
    );
    assert.deepEqual(
      overCap.map((s) => s.id),
      ['Qwen3.8-27B-FP8'],
    );
  });
});
