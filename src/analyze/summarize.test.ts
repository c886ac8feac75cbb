import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { splitSentences, summarizeItems } from './summarize.js';

describe('splitSentences', () => {
  it('splits English sentences but not abbreviations, initials, versions, decimals or URLs', () => {
    const text =
      'OpenAI GPT-4.5 Turbo ships today, e.g. for the U.S. market. Version v1.5 costs 3.5 cents! ' +
      'See https://example.com/a.b?c=d.e for details. Is it good? Dr. Smith thinks so.';
    assert.deepEqual(splitSentences(text), [
      'OpenAI GPT-4.5 Turbo ships today, e.g. for the U.S. market.',
      'Version v1.5 costs 3.5 cents!',
      'See https://example.com/a.b?c=d.e for details.',
      'Is it good?',
      'Dr. Smith thinks so.',
    ]);
  });

  it('splits Chinese sentences after 。！？ and keeps Latin names and spaces inside them', () => {
    const text =
      '阿里公布全模态模型新进展。未来Qwen4.5、Qwen5等版本将扩展至5-10T参数！真的吗？是的 OpenAI GPT-4.5 Turbo 也在。';
    assert.deepEqual(splitSentences(text), [
      '阿里公布全模态模型新进展。',
      '未来Qwen4.5、Qwen5等版本将扩展至5-10T参数！',
      '真的吗？',
      '是的 OpenAI GPT-4.5 Turbo 也在。',
    ]);
  });

  it('splits at line breaks, keeps closing quotes with their sentence and leaves a URL-ending sentence whole', () => {
    const text = '“潮起之时，靠岸相见。”下一句。\nFirst line without stop\nRead https://example.org/x. Next one.';
    assert.deepEqual(splitSentences(text), [
      '“潮起之时，靠岸相见。”',
      '下一句。',
      'First line without stop',
      'Read https://example.org/x.',
      'Next one.',
    ]);
  });

  it('returns only trimmed verbatim slices of the input', () => {
    const text = '  Mixed 文本 with 空格 and e.g. abbreviations.  第二句。 Third one? \n\n fourth ';
    for (const sentence of splitSentences(text)) {
      assert.equal(sentence, sentence.trim());
      assert.ok(text.includes(sentence), sentence);
    }
  });
});

describe('summarizeItems', () => {
  const items = [
    {
      id: 'a',
      title: 'Replit expands access to software creation with GPT-5.6 Luna',
      text: 'Replit introduces Free Mode, powered by GPT-5.6 Luna, so anyone can turn ideas into working software. The company also thanked its community. Free Mode removes token costs for new users of Replit.',
    },
    { id: 'b', title: 'Replit Free Mode, powered by GPT-5.6 Luna', text: '' },
  ];

  it('chooses 1–3 verbatim sentences, each from its own item', () => {
    const { sentences, best } = summarizeItems(items, 3);
    assert.ok(sentences.length >= 1 && sentences.length <= 3);
    assert.ok(best);
    for (const sentence of sentences) {
      const item = items.find((candidate) => candidate.id === sentence.itemId)!;
      assert.ok(item.text.includes(sentence.text) || item.title === sentence.text, sentence.text);
    }
  });

  it('is deterministic and prefers a sentence of text over a bare headline', () => {
    const first = summarizeItems(items, 3);
    assert.deepEqual(summarizeItems(items, 3), first);
    assert.equal(first.best!.itemId, 'a');
    assert.ok(first.best!.text.startsWith('Replit introduces Free Mode'));
  });

  it('respects the sentence limit and falls back to the title when an item has no text', () => {
    assert.equal(summarizeItems(items, 1).sentences.length, 1);
    const titleOnly = summarizeItems([{ id: 'x', title: 'vllm-project/vllm', text: '' }], 3);
    assert.deepEqual(
      titleOnly.sentences.map((s) => s.text),
      ['vllm-project/vllm'],
    );
    assert.deepEqual(summarizeItems([], 3).sentences, []);
  });
});

describe('sentences the quality gate would refuse', () => {
  it('are never chosen, so a source cannot stop the report', () => {
    const text = [
      'Loading the weights takes three minutes on a single consumer GPU.',
      'The installer writes its cache to /tmp/sparrow-cache before the first run.',
      'ERROR: the original release shipped a broken tokenizer for Korean text.',
      'Sparrow-7B is an open-weight language model released under the Apache 2.0 license.',
      'It scores 71.2 on MMLU and runs on one GPU with 16 GB of memory.',
    ].join(' ');
    const { sentences } = summarizeItems([{ id: 'a', title: 'Sparrow-7B released', text }], 3);
    assert.ok(sentences.length > 0);
    for (const sentence of sentences) {
      assert.doesNotMatch(sentence.text, /^Loading|\/tmp\/|^ERROR/);
    }
  });
});
