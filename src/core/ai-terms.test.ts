import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isAiFieldLink, namesAiModel } from './ai-terms.js';

describe('isAiFieldLink', () => {
  it('knows a lab, a subdomain of one and an AI organisation on GitHub, and nothing else', () => {
    assert.equal(isAiFieldLink('https://openai.com/index/gpt'), true);
    assert.equal(isAiFieldLink('https://research.openai.com/a'), true);
    assert.equal(isAiFieldLink('https://www.Anthropic.com/news'), true);
    assert.equal(isAiFieldLink('https://a.b.huggingface.co/x'), true);
    assert.equal(isAiFieldLink('https://github.com/QwenLM/Qwen3'), true);
    assert.equal(isAiFieldLink('https://github.com/rust-lang/rust'), false);
    assert.equal(isAiFieldLink('https://notopenai.com/'), false, 'a host that merely ends in a known name');
    assert.equal(isAiFieldLink('https://openai.com.evil.example/'), false);
    assert.equal(isAiFieldLink('https://x.ai/'), true);
    assert.equal(isAiFieldLink('https://max.ai/'), false);
    assert.equal(isAiFieldLink('not a url'), false);
    assert.equal(isAiFieldLink(undefined), false);
  });
});

describe('namesAiModel', () => {
  it('answers the same for a title asked again, and for the next title', () => {
    for (const [title, names] of [
      ['GLM-5.1 is out', true],
      ['GLM-5.1 is out', true],
      ['A new database', false],
      ['A new database', false],
      ['Qwen3.8-27B-Instruct', true],
      ['Llama-Instruct', true],
      ['Llama-Instruct', true],
      ['Plain words', false],
    ] as const) {
      assert.equal(namesAiModel(title), names, title);
    }
  });

  it('knows each model-name shape, and its near misses (each shape is tried only where its cue stands)', () => {
    for (const [title, names] of [
      ['Phi-4 lands', true],
      ['Sophi-4 lands', false],
      ['FLUX.1 Kontext', true],
      ['o4-mini for all', true],
      ['so3 and po4', false],
      ['Bonsai-27B', true],
      ['Mixtral-8x7B', true],
      ['Qwen-A3B', true],
      ['Bonsai 27B', false],
      ['Fast-Instruct', true],
      ['Fast-instruct', false],
      ['Model-GGUF', true],
      ['Baichuan2-13B-Chat', true],
      ['Baichuan-Chat', false],
      ['DeepSeek-V3-Base', true],
      ['Data-Base', false],
    ] as const) {
      assert.equal(namesAiModel(title), names, title);
    }
  });
});
