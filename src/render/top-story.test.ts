import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { titleAndLine } from './top-story.js';

describe('titleAndLine', () => {
  it('finds a line that is the title, ignoring surrounding space', () => {
    assert.deepEqual(titleAndLine('Gemma 4 is out', ' Gemma 4 is out '), { kind: 'same' });
  });

  it('splits a line that opens with the title where the title ends, keeping every character of the rest', () => {
    assert.deepEqual(
      titleAndLine(
        'Introducing AI Futures',
        'Introducing AI Futures, a new OpenAI blog exploring how transformative AI could reshape power.',
      ),
      { kind: 'leads', rest: ', a new OpenAI blog exploring how transformative AI could reshape power.' },
    );
    assert.deepEqual(titleAndLine('Qwen 4', 'Qwen 4 is released under Apache 2.0.'), {
      kind: 'leads',
      rest: ' is released under Apache 2.0.',
    });
    assert.deepEqual(titleAndLine('阿里发布千问4', '阿里发布千问4，参数规模达到万亿。'), {
      kind: 'leads',
      rest: '，参数规模达到万亿。',
    });
  });

  it('does not split inside a word, and leaves unrelated lines alone', () => {
    assert.deepEqual(titleAndLine('GPT-5', 'GPT-5o is a smaller model.'), { kind: 'other' });
    assert.deepEqual(titleAndLine('Llama', 'Llamas are not models.'), { kind: 'other' });
    assert.deepEqual(titleAndLine('A new model', 'Researchers released a new model.'), { kind: 'other' });
    assert.deepEqual(titleAndLine('', 'Anything.'), { kind: 'other' });
  });
});
