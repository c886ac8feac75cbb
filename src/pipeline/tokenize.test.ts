import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hasDigit, STOPWORDS, shingles, tokenize, tokenSpans, tokenText } from './tokenize.js';

describe('tokenize', () => {
  it('keeps model names, sizes and versions whole', () => {
    assert.deepEqual(tokenize('OpenAI’s GPT-4o beats Qwen3.8-27B (v2) on llama.cpp, c++ and 27B tasks.'), [
      'openai',
      'gpt-4o',
      'beats',
      'qwen3.8-27b',
      'v2',
      'llama.cpp',
      'c++',
      '27b',
      'tasks',
    ]);
  });

  it('removes stopwords and single letters', () => {
    assert.deepEqual(tokenize('The state of the art is a moving target'), ['state', 'art', 'moving', 'target']);
  });

  it('drops exactly the stopwords: every word of two or three letters, each stopword with a letter changed', () => {
    const letters = 'abcdefghijklmnopqrstuvwxyz';
    const words: string[] = [];
    for (const a of letters) for (const b of letters) words.push(a + b, ...[...letters].map((c) => a + b + c));
    for (const stopword of STOPWORDS) {
      for (let i = 0; i < stopword.length; i++) {
        for (const c of letters) words.push(stopword.slice(0, i) + c + stopword.slice(i + 1));
      }
      words.push(`${stopword}s`, `x${stopword}`);
    }
    for (const word of words) {
      if (!/^[a-z]+$/.test(word) || word.length < 2) continue; // (it’s; single letters go anyway)
      assert.deepEqual(tokenize(word), STOPWORDS.has(word) ? [] : [word], word);
    }
  });

  it('turns CJK runs into bigrams and keeps single characters', () => {
    assert.deepEqual(tokenize('阿里发布多模态模型'), ['阿里', '里发', '发布', '布多', '多模', '模态', '态模', '模型']);
    assert.deepEqual(tokenize('字 与 Qwen4'), ['字', '与', 'qwen4']);
  });

  it('normalises full-width characters', () => {
    assert.deepEqual(tokenize('ＧＰＴ－５ 发布'), ['gpt-5', '发布']);
  });

  it('reads words as [a-z0-9]+(?:[-._+][a-z0-9]+)*\\+* and CJK runs, whatever surrounds them', () => {
    // (a connector joins only before a word character; single letters go, a lone digit stays)
    assert.deepEqual(tokenize('c+++b a+b a-.b a--b x. .x 9.9.9- gpt-5.1+ ___ a_b+ +ab 7 q'), [
      'c+++',
      'a+b',
      '9.9.9',
      'gpt-5.1+',
      'a_b+',
      'ab',
      '7',
    ]);
  });

  it('stops at the limit, inside a CJK run too', () => {
    assert.deepEqual(tokenize('多模态模型 gpt-5', 2), ['多模', '模态']);
    assert.deepEqual(tokenize('the a gpt-5 多模态', 2), ['gpt-5', '多模']);
  });

  it('gives the tokens as spans of the normalised text', () => {
    const text = tokenText('ＧＰＴ－５ and the 多模态 c++');
    const spans = new Int32Array(2 * text.length);
    const count = tokenSpans(text, Number.POSITIVE_INFINITY, spans);
    const tokens = Array.from({ length: count }, (_, k) => text.slice(spans[2 * k], spans[2 * k + 1]));
    assert.deepEqual(tokens, tokenize('ＧＰＴ－５ and the 多模态 c++'));
    assert.equal(tokenSpans(text, 2, spans), 2);
  });

  it('returns nothing for empty or punctuation-only text', () => {
    assert.deepEqual(tokenize(''), []);
    assert.deepEqual(tokenize('— !!! …'), []);
  });
});

describe('shingles', () => {
  it('joins consecutive tokens', () => {
    assert.deepEqual(shingles(['a1', 'b2', 'c3'], 2), ['a1 b2', 'b2 c3']);
    assert.deepEqual(shingles(['a1'], 3), ['a1']);
    assert.deepEqual(shingles([], 2), []);
    assert.deepEqual(shingles(['x', 'y'], 1), ['x', 'y']);
  });

  it('detects digits', () => {
    assert.equal(hasDigit('gpt-5'), true);
    assert.equal(hasDigit('claude'), false);
  });
});
