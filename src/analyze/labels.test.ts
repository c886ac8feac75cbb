import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { executiveLine } from './labels.js';

describe('executiveLine', () => {
  it('names a story’s coverage only when more than one source reports it', () => {
    const leading = [
      { title: 'Qwen 4 released', sources: 3 },
      { title: 'A new benchmark', sources: 1 },
    ];
    assert.equal(
      executiveLine('en', 'llm', 5, leading),
      'Large language models (LLM): 5 stories, led by Qwen 4 released (3 sources); A new benchmark',
    );
    assert.equal(
      executiveLine('zh', 'llm', 2, leading),
      '大语言模型（LLM）：2 条报道，包括 Qwen 4 released（3 个来源）；A new benchmark',
    );
  });
});
