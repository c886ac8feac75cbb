import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type ExecutiveSection, executiveLine, shortName } from './labels.js';

const papers: ExecutiveSection = {
  section: 'papers',
  storyCount: 8,
  leading: [{ title: 'EnvHarness', sources: 1, data: '163 upvotes and a comment on Hugging Face.' }],
  following: [
    { title: 'FACET', sources: 1, data: '54 upvotes on Hugging Face.' },
    { title: 'Qwen 4 released', sources: 3 },
  ],
  moreCount: 5,
  bareTitles: [],
  bareCount: 2,
};

describe('executiveLine', () => {
  it('gives the section’s leaders, who follows with their counters, how many more, and the headlines without text', () => {
    assert.equal(
      executiveLine('en', papers),
      'arXiv papers: 8 stories, led by EnvHarness (163 upvotes and a comment on Hugging Face); then FACET (54 upvotes on Hugging Face), Qwen 4 released (3 sources) and 5 more; 2 more are headlines only',
    );
    const zh = executiveLine('zh', {
      ...papers,
      leading: [{ title: 'EnvHarness', sources: 1, data: 'Hugging Face 上 163 个赞同。' }],
      following: [{ title: 'FACET', sources: 2, data: 'Hugging Face 上 54 个赞同。' }],
      moreCount: 6,
    });
    assert.equal(
      zh,
      'arXiv 论文：8 条报道，居前的是 EnvHarness（Hugging Face 上 163 个赞同）；其后有 FACET（2 个来源，Hugging Face 上 54 个赞同）等 7 条；另有 2 条仅有标题',
    );
  });

  it('names the headlines of a section that has nothing else, and says when it names all it has', () => {
    const bare: ExecutiveSection = {
      section: 'llm',
      storyCount: 0,
      leading: [],
      following: [],
      moreCount: 0,
      bareTitles: ['Up to 3.2x Faster Inference', 'Google Discover gets an AI feed'],
      bareCount: 2,
    };
    assert.equal(
      executiveLine('zh', bare),
      '大语言模型（LLM）：仅有标题的 2 条：Up to 3.2x Faster Inference；Google Discover gets an AI feed',
    );
    assert.equal(
      executiveLine('en', bare),
      'Large language models (LLM): 2 headlines only: Up to 3.2x Faster Inference; Google Discover gets an AI feed',
    );
    assert.equal(
      executiveLine('en', { ...papers, storyCount: 1, following: [], moreCount: 0, bareCount: 0 }),
      'arXiv papers: 1 story, namely EnvHarness (163 upvotes and a comment on Hugging Face)',
    );
  });
});

describe('shortName', () => {
  it('takes the name before a colon, and only a short one', () => {
    assert.equal(shortName('EnvHarness: Awakening Static Worlds for Agent Learning'), 'EnvHarness');
    assert.equal(shortName('SWE-bench Science: Can Coding Agents Resolve Engineering Tasks?'), 'SWE-bench Science');
    assert.equal(shortName('Introducing AI Futures'), 'Introducing AI Futures');
    assert.equal(
      shortName('Why we think that this is true: a long opening'),
      'Why we think that this is true: a long opening',
    );
  });
});
