import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makeItem } from '../../test/fixtures/cluster/items.js';
import { PRESETS } from '../config/presets.js';
import { classifyStory, isOnTopic, termMatcher } from './classify.js';

const topics = PRESETS.ai!.topics;

describe('classifyStory', () => {
  it('puts anything with a paper into papers first', () => {
    const hn = makeItem({ id: 'a', title: 'New open-source video model', url: 'https://arxiv.org/abs/2608.00001' });
    assert.equal(classifyStory([hn]), 'papers');
    assert.equal(classifyStory([makeItem({ id: 'b', title: 'x', sourceKind: 'arxiv' })]), 'papers');
  });

  it('puts repositories and models into opensource', () => {
    assert.equal(
      classifyStory([makeItem({ id: 'a', title: 'Qwen/Qwen3.8-27B', url: 'https://huggingface.co/Qwen/Qwen3.8-27B' })]),
      'opensource',
    );
    assert.equal(
      classifyStory([makeItem({ id: 'b', title: 'DeepClaude', url: 'https://github.com/aattaran/deepclaude' })]),
      'opensource',
    );
    assert.equal(
      classifyStory([makeItem({ id: 'c', title: 'Meta 开源 Astryx：面向 Agent 的 React 设计系统' })]),
      'opensource',
    );
  });

  it('applies the keyword rules in order', () => {
    const section = (title: string) => classifyStory([makeItem({ id: 'x', title })]);
    assert.equal(section('Introducing Muse Image and Muse Video'), 'multimodal');
    assert.equal(section('阿里公布全模态模型新进展'), 'multimodal');
    assert.equal(section('Introducing Claude Opus 4.7'), 'llm');
    assert.equal(section('Replit expands access to software creation with GPT-5.6 Luna'), 'llm');
    assert.equal(section('ChatGPT Ads expands across Europe'), 'products');
    assert.equal(section('Microsoft launches Copilot Memory for Microsoft 365'), 'products');
    assert.equal(section('Looped language models improve compositional tool calling'), 'llm');
    assert.equal(section('阿里研究员透露大模型将扩展至5-10T参数'), 'llm');
    assert.equal(
      section('Anthropic and NEC collaborate to build Japan’s largest AI engineering workforce'),
      'applications',
    );
  });

  it('falls back to the text opening, then the source section, then applications', () => {
    const withText = makeItem({
      id: 'a',
      title: 'Dreaming',
      text: 'A better memory for ChatGPT: the language model now…',
    });
    assert.equal(classifyStory([withText]), 'llm');
    const plain = makeItem({ id: 'b', title: 'Our principles', section: 'products' });
    assert.equal(classifyStory([plain], 'products'), 'products');
    assert.equal(classifyStory([], undefined), 'applications');
  });
});

describe('topics', () => {
  it('matches Latin terms on word boundaries and CJK terms as substrings', () => {
    const matcher = termMatcher(['ai', 'language model', '大模型']);
    assert.deepEqual(matcher.matches('Said the AI about a language model'), ['ai', 'language model']);
    assert.deepEqual(matcher.matches('Paid training, email, maid'), []);
    assert.deepEqual(matcher.matches('国产大模型发布'), ['大模型']);
  });

  it('counts off-topic items', () => {
    assert.equal(isOnTopic({ title: 'Let’s Buy Spirit Air', text: 'An airline.' }, topics), false);
    assert.equal(isOnTopic({ title: 'DeepClaude – Claude Code agent loop', text: '' }, topics), true);
    assert.equal(isOnTopic({ title: 'Weekly notes', text: 'We trained a new model.' }, topics), true);
    assert.equal(isOnTopic({ title: '小米新款人形机器人亮相', text: '搭载自研大模型' }, topics), true);
    assert.equal(isOnTopic({ title: 'Anything', text: '' }, []), true);
  });
});
