import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cleanModelText, unsafeOutput } from './output-safety.js';

describe('unsafeOutput', () => {
  it('refuses URLs, images, HTML, Markdown links and template syntax', () => {
    for (const text of [
      'See https://example.com for more.',
      'Visit www.example.org today.',
      'Details at example.com/path here.',
      'Click javascript:alert(1)',
      'An image ![alt](pic.png)',
      'A [link](x) here',
      'Bold <b>text</b>',
      '<script>alert(1)</script>',
      'Hello {{ user }}',
      'Value ${secret}',
      '{% include x %}',
    ]) {
      assert.ok(unsafeOutput(text), text);
    }
  });

  it('accepts plain prose with names, versions and numbers', () => {
    for (const text of [
      'OpenAI released GPT-4.1 with a 1M-token context window.',
      'Qwen3-Coder 在 SWE-bench 上得分 69.6%。',
      'Latency fell from 120 ms to 80 ms (a 33% cut).',
    ]) {
      assert.equal(unsafeOutput(text), undefined, text);
    }
  });

  it('removes control and bidirectional characters and collapses whitespace', () => {
    assert.equal(cleanModelText(' a\u202e b\n\tc\u0007 '), 'a b c');
  });
});
