import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { sharedDir } from '../../test/support/fixtures.js';
import { capitalisedWords, countTerms, extractTerms, foldLatin, isMeaningfulTerm, termKeys } from './terms.js';

/** What capitalisedWords answers, one pattern per word over every text (its reference). */
function capitalisedByPatterns(surface: string, texts: readonly string[]): boolean {
  if (!/^\p{Lu}\p{Ll}+$/u.test(surface)) return false;
  const word = `(?<![\\p{L}\\p{Nd}])${surface}(?![\\p{L}\\p{Nd}])`;
  const midSentence = new RegExp(`[\\p{L}\\p{Nd},;:)]\\s+${word}`, 'u');
  const lower = new RegExp(`(?<![\\p{L}\\p{Nd}])${surface.toLowerCase()}(?![\\p{L}\\p{Nd}])`, 'u');
  return texts.some((text) => midSentence.test(text)) && !texts.some((text) => lower.test(text));
}

/** The text of the real article pages (their extracted HTML, tags cut). */
function articleTexts(): string[] {
  const articles = path.join(sharedDir, 'fixtures/articles');
  const texts: string[] = [];
  for (const name of readdirSync(articles).sort()) {
    const dir = path.join(articles, name);
    if (!statSync(dir).isDirectory()) continue;
    texts.push(readFileSync(path.join(dir, 'expected.html'), 'utf8').replace(/<[^>]*>/g, ' '));
  }
  return texts;
}

describe('extractTerms', () => {
  it('gives a word seen before the same term as the first time, as a separate object', () => {
    const text = 'OpenAI ships LLMs; the agents of OpenAI, and GPT-5.6 agents';
    const first = extractTerms(text);
    assert.deepEqual(
      first.map((term) => `${term.key} ${term.surface} ${term.named}`),
      [
        'openai OpenAI true',
        'ship ships false',
        'llm LLMs true',
        'agent agents false',
        'openai OpenAI true',
        'gpt-5.6 GPT-5.6 true',
        'agent agents false',
      ],
    );
    first[0]!.key = 'changed';
    assert.deepEqual(extractTerms(text), extractTerms(text));
    assert.equal(extractTerms(text)[0]!.key, 'openai', 'a term handed out is the caller’s own');
  });

  it('segments Chinese into whole words, never fragments of a name', () => {
    const keys = termKeys('阿里巴巴发布通义千问大模型，智能体能力大幅提升');
    assert.ok(keys.has('阿里巴巴'));
    assert.ok(keys.has('通义千问'));
    assert.ok(keys.has('大模型'));
    assert.ok(keys.has('智能体'));
    for (const fragment of ['巴巴', '里巴', '阿里', '义千', '千问大', '发布']) assert.equal(keys.has(fragment), false);
  });

  it('splits Latin names from the Chinese around them', () => {
    assert.deepEqual(
      extractTerms('阿里：Qwen4.5后模型将扩展至5-10T参数')
        .map((term) => term.key)
        .slice(0, 2),
      ['阿里', 'qwen4.5'],
    );
    assert.ok(
      !extractTerms('Qwen4和下代视频模型').some((term) => /\p{Script=Han}/u.test(term.key) && /q/u.test(term.key)),
    );
  });

  it('keeps the AI words added to the dictionary whole inside longer runs', () => {
    assert.ok(termKeys('千问新版上线').has('千问'));
    assert.ok(termKeys('月之暗面和字节跳动的新智能体').has('月之暗面'));
  });

  it('keeps versions and folds case and plural to one form', () => {
    assert.deepEqual(
      extractTerms('GPT-5.6 and Agents: agents, an Agent, LLMs at https://example.com/x').map((term) => term.key),
      ['gpt-5.6', 'agent', 'agent', 'agent', 'llm'],
    );
    assert.equal(foldLatin('Libraries'), 'library');
    assert.equal(foldLatin('Boxes'), 'box');
    assert.equal(foldLatin('analysis'), 'analysis');
    assert.equal(foldLatin('robotics'), 'robotics');
    assert.equal(foldLatin('GPUs'), 'gpu');
  });

  it('marks names by their form: mixed case, acronyms, versions and proper nouns', () => {
    const named = Object.fromEntries(
      extractTerms('OpenAI ships GPT-5.6 with Partners 阿里巴巴').map((t) => [t.key, t.named]),
    );
    assert.equal(named.openai, true);
    assert.equal(named['gpt-5.6'], true);
    assert.equal(named.ship, false);
    assert.equal(named.阿里巴巴, true);
  });

  it('drops stopwords, generic headline words, bare numbers and single characters', () => {
    assert.deepEqual(
      extractTerms('The future of driving with partners: 3.5 times faster than a 我们的模型').map((term) => term.key),
      ['faster', '模型'],
    );
    assert.equal(isMeaningfulTerm('2026'), false);
    assert.equal(isMeaningfulTerm('llama.cpp'), true);
  });
});

describe('countTerms', () => {
  it('counts each term once per item, with the sources that used it', () => {
    const day = countTerms(
      [
        { title: 'Qwen4 release: Qwen4 Qwen4 is out', sourceId: 'a' },
        { title: 'Another Qwen4 story', tags: ['Qwen4'], sourceId: 'b' },
        { title: 'Unrelated', tags: ['GPUs', 'the'], sourceId: 'b' },
      ],
      '2026-08-22',
    );
    assert.equal(day.date, '2026-08-22');
    assert.equal(day.items, 3);
    assert.equal(day.terms.qwen4, 2);
    assert.equal(day.terms.gpu, 1);
    assert.equal(day.terms.the, undefined);
    assert.deepEqual(day.termSources?.qwen4, ['a', 'b']);
    assert.deepEqual(day.termSources?.gpu, ['b']);
    assert.deepEqual(Object.keys(day.terms), [...Object.keys(day.terms)].sort());
  });

  it('records every source of a term, whatever order the items come in, and none for items without one', () => {
    const day = countTerms([
      { title: 'Agents', sourceId: 'b' },
      { title: 'Agents' },
      { title: 'Agents', sourceId: 'a' },
      { title: 'Agents', sourceId: 'b' },
      { title: 'Agents', sourceId: 'c' },
      { title: 'Robots' },
      { title: 'Robots', sourceId: 'a' },
    ]);
    assert.equal(day.terms.agent, 5);
    assert.deepEqual(day.termSources, { agent: ['a', 'b', 'c'], robot: ['a'] });
  });

  it('counts titles and keywords, not body text', () => {
    const day = countTerms([
      { title: 'EnvHarness for agents', tags: ['environment generation'], text: 'substantial' } as never,
    ]);
    assert.equal(day.terms.envharness, 1);
    assert.equal(day.terms.agent, 1);
    assert.equal(day.terms.environment, 1);
    assert.equal(day.terms.substantial, undefined);
    assert.equal(day.termSources, undefined);
  });
});

describe('capitalisedWords', () => {
  it('finds a word capitalised mid-sentence and never lower-cased, as one pattern per word would', () => {
    const texts = [
      'Chips by Nvidia and AMD. Nvidia leads; Meta, Google and 𝐀 Cohere follow (Mistral) Apple',
      'The apple fell.\tIstanbul and İstanbul, i̇stanbul; Café and Cafe\u0301 x2 Zeta2 Zeta',
      '   Leading Space, then:\n\n  Newline words like Alpha and Alpha-beta',
    ];
    const capitalised = capitalisedWords(texts);
    const words = new Set(texts.flatMap((text) => text.match(/[\p{L}\p{Nd}]+/gu) ?? []));
    for (const word of [...words, 'İstanbul', 'Absent']) {
      assert.equal(capitalised(word), capitalisedByPatterns(word, texts), word);
    }
    assert.equal(capitalised('Nvidia'), true);
    assert.equal(capitalised('Apple'), false, 'written "apple" too');
    assert.equal(capitalised('Chips'), false, 'only at the start of a text');
  });

  it('agrees with one pattern per word on the capitalised words of real article pages', () => {
    // A dozen pages and one word in five: the reference reads every text twice per word.
    const texts = articleTexts().slice(0, 12);
    assert.equal(texts.length, 12);
    const capitalised = capitalisedWords(texts);
    const all = [...new Set(texts.flatMap((text) => text.match(/\p{Lu}\p{Ll}+/gu) ?? []))].sort();
    const words = all.filter((_, index) => index % 5 === 0);
    let proper = 0;
    for (const word of words) {
      const expected = capitalisedByPatterns(word, texts);
      assert.equal(capitalised(word), expected, word);
      if (expected) proper++;
    }
    assert.ok(proper > 20 && proper < words.length, `${proper} of ${words.length} words read as proper nouns`);
  });
});

describe('terms of an ASCII text', () => {
  it('are the terms the general pattern finds (versions, "C++", dotted and hyphenated names)', () => {
    const ascii = 'GPT-5.6 and llama.cpp beat C++ at 3.5x; Qwen4.5_mini, e.g. x.y, end-. -start LLMs';
    // A Han character sends the text down the general path; it adds its own term and nothing else.
    const general = extractTerms(`${ascii} 模型`).filter((term) => /^[\x00-\x7f]*$/.test(term.surface));
    assert.deepEqual(extractTerms(ascii), general);
  });
});
