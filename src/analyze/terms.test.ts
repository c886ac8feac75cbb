import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { countTerms, isMeaningfulToken, meaningfulTokens, tokens } from './terms.js';

describe('tokens', () => {
  it('makes Latin words (with versions) and CJK bigrams, lower-cased, ignoring URLs', () => {
    assert.deepEqual(tokens('阿里Qwen4.5模型 GPT-5.6 https://example.com/x'), ['阿里', 'qwen4.5', '模型', 'gpt-5.6']);
  });

  it('drops stopwords, bare numbers and single letters from meaningful tokens', () => {
    assert.deepEqual(meaningfulTokens('The new model is 3.5 times faster than a 我们的模型'), [
      'model',
      'times',
      'faster',
      '模型',
    ]);
    assert.equal(isMeaningfulToken('2026'), false);
    assert.equal(isMeaningfulToken('llama.cpp'), true);
  });
});

describe('countTerms', () => {
  it('counts each term once per item and records the item count', () => {
    const day = countTerms(
      [
        { title: 'Qwen4 release', text: 'Qwen4 Qwen4 Qwen4 is out' },
        { title: 'Another Qwen4 story', text: '' },
        { title: 'Unrelated', text: 'GPU prices' },
      ],
      '2026-08-22',
    );
    assert.equal(day.date, '2026-08-22');
    assert.equal(day.items, 3);
    assert.equal(day.terms.qwen4, 2);
    assert.equal(day.terms.gpu, 1);
    assert.equal(day.terms.the, undefined);
    assert.deepEqual(Object.keys(day.terms), [...Object.keys(day.terms)].sort());
  });
});
