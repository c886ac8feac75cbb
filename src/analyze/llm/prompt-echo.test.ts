import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { type LabelledGroup, labelledSetFile } from '../../../test/support/verify-labelled.js';
import { demoPrompt } from './demo.js';
import { storyPrompt, systemPrompt } from './prompt.js';
import { promptEcho, restatesHeading } from './prompt-echo.js';

describe('promptEcho', () => {
  test('a sentence lifted from any of our prompts is an echo, in either report language', () => {
    for (const language of ['zh', 'en'] as const) {
      const lines = [
        ...systemPrompt(language, 'b0undary').split('\n'),
        ...storyPrompt(language, [], 'b0undary').split('\n'),
        ...demoPrompt(language, [], 'b0undary', [], undefined).split('\n'),
      ].filter((line) => line.split(/\s+/).length >= 8 && !line.includes('b0undary'));
      assert.ok(lines.length > 5);
      for (const line of lines) assert.match(promptEcho(line, '') ?? '', /repeats the instructions|talks about/, line);
    }
    // The demo's "what it shows" line that a hostile model answered with.
    assert.match(
      promptEcho(
        'This shows how you write parts of a daily report on AI for practitioners.',
        'OpenAI released a model.',
      ) ?? '',
      /repeats the instructions/,
    );
  });

  test('talk about the excerpts, fences or untrusted data is refused in English and Chinese', () => {
    for (const text of [
      'According to the excerpts, the model is faster.',
      'The fenced text says Qwen3 is out.',
      '根据所提供的摘录，Qwen3 已经发布。',
      '以上节选显示该模型更快。',
      '围栏中的不可信数据提到了 GPT-5。',
    ])
      assert.ok(promptEcho(text, '') !== undefined, text);
  });

  test('words the cited source itself uses are not an echo', () => {
    const source =
      'The book excerpt, published today, says models write parts of a daily report on AI for practitioners.';
    assert.equal(
      promptEcho('The excerpt says models write parts of a daily report on AI for practitioners.', source),
      undefined,
    );
  });

  test('no faithful sentence of the labelled set is refused', () => {
    const set = JSON.parse(readFileSync(labelledSetFile, 'utf8')) as { groups: LabelledGroup[] };
    const faithful = set.groups.flatMap((group) => group.sentences.filter((sentence) => !sentence.fabricated));
    assert.ok(faithful.length > 50);
    const refused = faithful.filter((sentence) => promptEcho(sentence.text, '') !== undefined);
    assert.deepEqual(refused, []);
  });

  test('a summary that only restates the headline says nothing more; one that adds a fact does', () => {
    const headings = ['Introducing AI Futures', '快讯：Introducing AI Futures'];
    assert.ok(restatesHeading('Introducing AI Futures', headings));
    assert.ok(restatesHeading('OpenAI introduces AI Futures.', headings));
    assert.ok(restatesHeading('快讯：Introducing AI Futures 发布', headings));
    assert.ok(
      !restatesHeading('AI Futures is a new OpenAI blog about how AI could reshape power and the economy.', headings),
    );
    assert.ok(!restatesHeading('这是 OpenAI 新开的博客，讨论 AI 对权力和经济的影响。', headings));
    assert.ok(restatesHeading('Qwen3 is released', ['Alibaba releases Qwen3']));
    assert.ok(
      !restatesHeading('Qwen3 comes in eight sizes, from 0.6B to 235B parameters.', ['Alibaba releases Qwen3']),
    );
  });
});
