import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { countTerms, extractTerms, foldLatin, isMeaningfulTerm, termKeys } from './terms.js';

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
