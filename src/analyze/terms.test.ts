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
        { title: 'Qwen4 release: Qwen4 Qwen4 is out' },
        { title: 'Another Qwen4 story', tags: ['Qwen4'] },
        { title: 'Unrelated', tags: ['GPU', 'the'] },
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

  it('counts titles and keywords, not body text', () => {
    const day = countTerms([
      { title: 'EnvHarness for agents', tags: ['environment generation'], text: 'substantial' } as never,
    ]);
    assert.equal(day.terms.envharness, 1);
    assert.equal(day.terms.environment, 1);
    assert.equal(day.terms.substantial, undefined);
  });
});
