import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AI_TERMS } from './ai-terms.js';
import { termListsTest, termMatcher } from './term-matcher.js';

/**
 * `count` texts of 1 to `maxPieces` pieces, each drawn by `draw` from a seeded generator: the same
 * texts on every run.
 */
function randomTexts(seed: number, count: number, maxPieces: number, draw: (next: () => number) => string): string[] {
  let state = seed;
  const next = () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
  const texts: string[] = [];
  for (let round = 0; round < count; round++) {
    let text = '';
    const length = 1 + Math.floor(next() * maxPieces);
    for (let index = 0; index < length; index++) text += draw(next);
    texts.push(text);
  }
  return texts;
}

describe('termMatcher', () => {
  const matcher = termMatcher(['AI', 'agent', 'open source', 'large language model', 'language model', '大模型']);

  it('matches whole words, any case, with an optional plural', () => {
    assert.equal(matcher.test('New AGENTS for coding'), true);
    assert.equal(matcher.test('The agentic turn'), false, 'agentic is another word');
    assert.equal(matcher.test('Said the maid'), false, '"ai" inside a word is not AI');
    assert.deepEqual(matcher.matches('LLMs and AI agents'), ['ai', 'agent']);
  });

  it('treats spaces and hyphens inside a term alike and prefers the longest term', () => {
    assert.deepEqual(matcher.matches('An open-source large-language-model release'), [
      'open source',
      'large language model',
    ]);
  });

  it('finds Chinese terms anywhere', () => {
    assert.deepEqual(matcher.matches('国产大模型发布'), ['大模型']);
  });

  it('finds Latin terms that touch Chinese or Japanese characters, never inside Latin words', () => {
    assert.deepEqual(matcher.matches('AI进入科学发现'), ['ai']);
    assert.deepEqual(matcher.matches('面向Agent的设计'), ['agent']);
    assert.deepEqual(matcher.matches('多个Agents协作'), ['agent']);
    assert.deepEqual(matcher.matches('AIエージェント'), ['ai']);
    assert.equal(matcher.test('He said the build would FAIL'), false);
    assert.equal(matcher.test('AIé'), false, 'an accented Latin letter continues the word');
    assert.equal(matcher.test('Reagent进展'), false, 'a term inside a Latin word stays unmatched next to Chinese');
  });

  it('finds a name with a version glued to it, never a longer word', () => {
    const names = termMatcher(['qwen', 'gemma', 'gpt-4', 'ai']);
    assert.deepEqual(names.matches('阿里研究员透露Qwen4.5后模型'), ['qwen']);
    assert.deepEqual(names.matches('Gemma3 and GPT-4 on AI2 benchmarks'), ['gemma', 'gpt-4', 'ai']);
    assert.equal(names.test('Qwenly and gemmas4u'), false);
  });

  it('finds every term whatever was asked before (a shared pattern keeps no position)', () => {
    const shared = termMatcher(['ai', 'agent', 'gpt']);
    assert.equal(shared.test('Meta 开源 Astryx：面向 Agent 的 React 设计系统'), true);
    assert.deepEqual(shared.matches('黄仁勋把矛头对准 AI 实验室'), ['ai']);
    assert.deepEqual(shared.matches('一个很长很长很长的标题里面终于提到了 Agent'), ['agent']);
    assert.deepEqual(shared.matches('啊GPT-6 Astra'), ['gpt']);
  });

  it('counts distinct terms up to a limit, as many as matches finds', () => {
    const text = 'AI agents and more agents: an open-source 大模型 release';
    assert.equal(matcher.matches(text).length, 4);
    assert.equal(matcher.count(text, 2), 2);
    assert.equal(matcher.count(text, 10), 4);
    assert.equal(matcher.count('agents, agents', 2), 1, 'one term found twice counts once');
    assert.equal(matcher.count('nothing here', 2), 0);
  });

  it('finds the same terms whatever character a term starts with', () => {
    // Terms that start outside ASCII, with punctuation or with a symbol are tried at every word start.
    const odd = termMatcher(['.net', 'c++', 'éclair', 'ai']);
    assert.deepEqual(odd.matches('C++ and .NET ship an Éclair; AI too'), ['.net', 'c++', 'éclair', 'ai']);
    assert.equal(odd.test('naïve'), false);
  });

  it('knows every character that case-insensitive matching folds to ASCII (letters: never before a term)', () => {
    const foldsToAscii: number[] = [];
    for (let code = 0x80; code <= 0x10ffff; code++) {
      if (code >= 0xd800 && code <= 0xdfff) continue;
      if (/[\x00-\x7f]/iu.test(String.fromCodePoint(code))) foldsToAscii.push(code);
    }
    assert.deepEqual(foldsToAscii, [0x17f, 0x212a]);
    assert.equal(termMatcher(['star']).test('a ſtar'), true);
    assert.equal(termMatcher(['star']).test('aſtar éſtar'), false);
  });

  it('reads each character as its lower-cased self would be read (so the text is not lower-cased)', () => {
    // The patterns are case-insensitive and read the text as it is; only a text holding "İ" or "Σ"
    // is lower-cased first. Every other code point must lower-case to one of the same length that
    // the patterns read alike, that continues a word (or not) alike, and that is ASCII only if it is
    // (the word-start pattern's classes) or is the Kelvin sign.
    const sameFold = /^(.)\1$/isu;
    const word = /^(?![\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}])[\p{L}\p{N}\p{M}]$/u;
    const unspaced = /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]$/u;
    const irregular: number[] = [];
    for (let code = 0; code <= 0x10ffff; code++) {
      if (code >= 0xd800 && code <= 0xdfff) continue;
      const char = String.fromCodePoint(code);
      const lower = char.toLowerCase();
      if (
        lower.length !== char.length ||
        lower.codePointAt(0) === undefined ||
        String.fromCodePoint(lower.codePointAt(0)!) !== lower ||
        !sameFold.test(char + lower) ||
        word.test(char) !== word.test(lower) ||
        unspaced.test(char) !== unspaced.test(lower) ||
        lower.charCodeAt(0) < 0x80 !== (code < 0x80 || code === 0x212a)
      ) {
        irregular.push(code);
      }
    }
    assert.deepEqual(irregular, [0x130]);
    // "Σ" is lower-cased by the letters around it: the only such character of toLowerCase.
    assert.equal('ΑΣ'.toLowerCase(), 'ας');
    assert.equal('ΑΣΑ'.toLowerCase(), 'ασα');
  });

  it('finds in any case what it finds in the lower-cased text', () => {
    const terms = [...AI_TERMS, 'σσ', 'k8s', 'i', 'ia', '.net', 'c++', 'x-ray'];
    const matchers = [termMatcher(terms), termMatcher([...terms, 'ÿÿÿ'])];
    const pieces = [
      'AI',
      'Ai',
      'aI',
      'İ',
      'ı',
      'i\u0307',
      'Σ',
      'σ',
      'ς',
      'ΣΣ',
      '\u212a8S',
      'K8s',
      'ſ',
      'A.',
      '.NET',
      'C++',
    ];
    const fillers = [' ', '-', '.', 'é', 'É', '的', 'Ω', 'x', 'X', '1', '\u{1d400}', '\u{10400}', '\u{10428}'];
    for (const text of randomTexts(11, 3000, 10, (next) => {
      const from = next() < 0.5 ? pieces : fillers;
      return from[Math.floor(next() * from.length)]!;
    })) {
      const lower = text.toLowerCase();
      for (const matcher of matchers) {
        assert.deepEqual(matcher.matches(text), matcher.matches(lower), text);
        assert.equal(matcher.test(text), matcher.test(lower), text);
        for (const atMost of [1, 2]) assert.equal(matcher.count(text, atMost), matcher.count(lower, atMost), text);
      }
    }
  });

  it('finds what a lookbehind for the word start finds', () => {
    // `general` has a term that starts outside ASCII and never occurs in the texts.
    const terms = [...AI_TERMS, 'a', 'x-ray', 'apache 2.0', 'k8s', 'tokens', 'c++'];
    const fast = termMatcher(terms);
    const general = termMatcher([...terms, 'ÿÿÿ']);
    const word = '(?![\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}])[\\p{L}\\p{N}\\p{M}]';
    const alternation = [...terms]
      .sort((a, b) => b.length - a.length)
      .map((term) =>
        term
          .split(/[\s-]+/)
          .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
          .join('[\\s-]+'),
      )
      .join('|');
    const lookbehind = new RegExp(`(?<!${word})(?:${alternation})(?:s|\\d+(?:\\.\\d+)*)?(?!${word})`, 'iu');
    const pieces = [
      'ai',
      'AI',
      'agent',
      'ſ',
      '\u212a',
      'K8S',
      'x',
      'ray',
      '-',
      ' ',
      '\u3000',
      '2.0',
      '4.5',
      'é',
      '大模型',
      '的',
      'gpt',
      'tokens',
      'open',
      'weights',
      'apache',
      'c++',
      'qwen',
      'llama',
      'said',
      'main',
      '.',
      's',
      '1',
      'kai',
      'ml',
      '\u0301',
      'Agent',
      'GPT',
      'AI2',
      'İ',
      'Σ',
    ];
    for (const text of randomTexts(7, 3000, 12, (next) => pieces[Math.floor(next() * pieces.length)]!)) {
      assert.deepEqual(fast.matches(text), general.matches(text), text);
      assert.equal(fast.test(text), general.test(text), text);
      assert.equal(fast.test(text), lookbehind.test(text.toLowerCase()) || /大模型/.test(text), text);
      for (const atMost of [0, 1, 2, 5]) {
        const count = fast.count(text, atMost);
        assert.equal(count, general.count(text, atMost), text);
        assert.deepEqual(fast.countAndTest(text, atMost), { terms: count, any: fast.test(text) }, text);
      }
    }
  });

  it('tells which of several lists a text holds a term of, as each matcher would', () => {
    const lists = [
      ['open source', 'weights', '开源'],
      ['image', 'video', 'vision-language', '视频'],
      ['openai', 'meta', 'ai'],
      ['launch', 'new', 'open'],
      [],
      ['agent', 'agents', 'llm', 'ſtar', 'éclair', '大模型'],
    ];
    const each = lists.map((list) => termMatcher(list));
    const holds = termListsTest(lists);
    const pieces = [
      'open',
      'Open Source',
      'source',
      'weights',
      'IMAGEs',
      'video',
      'vision language',
      'OpenAI',
      'ai',
      'agents',
      'LLM',
      'star',
      'ÉCLAIR',
      'new',
      'launch',
      '开源',
      '视频',
      '大模型',
      'İ',
      'Σ',
      'ſ',
      'é',
      '的',
      ' ',
      '-',
      '.',
      'x',
      '1',
    ];
    for (const text of randomTexts(5, 3000, 12, (next) => pieces[Math.floor(next() * pieces.length)]!)) {
      let expected = 0;
      each.forEach((matcher, list) => {
        if (matcher.test(text)) expected |= 1 << list;
      });
      assert.equal(holds(text), expected, text);
    }
    assert.equal(holds('Meta opens a new open-source vision-language model'), 0b1111);
  });

  it('matches nothing with no terms', () => {
    assert.equal(termMatcher([]).test('anything at all'), false);
  });
});
