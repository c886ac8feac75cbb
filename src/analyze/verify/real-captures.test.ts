/**
 * The verifier against whole real captures: every sentence of a source, copied word for word, is
 * supported by its own paragraph; the same sentence with one digit changed is not (unless the
 * changed number happens to be elsewhere in the paragraph).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { captureText } from '../../../test/support/verify-labelled.js';
import { sourceSentenceRefusal } from '../../core/hygiene.js';
import { verifySentences } from './index.js';
import { findMarkup } from './markup.js';

const CAPTURES = [
  'huggingface/hf-api-daily_papers_date-2026-08-21.json',
  'huggingface/hf-api-daily_papers_date-2026-08-20.json',
  'rss/qbitai-zh_2026-09-22_transcribed.xml',
  'rss/infoq-cn_2026-09-22_transcribed.xml',
  'atom/aibase-daily-zh_scraped-by-ai-news-direct_2026-04-30.xml',
  'digest/daily-arxiv-ai-enhanced_2026-06-25_AI_enhanced_Chinese.jsonl',
  'rss/anthropic-news_scraped-by-olshansk_2026-08-22.xml',
  'rss/openai-news_2026-08-20_trimmed.xml',
  'digest/techrss-llm-digest_2026-02-27.json',
  'rss/google-blog-ai_2026-08-19_trimmed.xml',
  'atom/theverge-ai_2026-08-20_trimmed.xml',
];

interface Sample {
  file: string;
  paragraph: string;
  sentence: string;
  language: 'zh' | 'en';
}

function samples(): Sample[] {
  const found: Sample[] = [];
  for (const file of CAPTURES) {
    const paragraphs = captureText(file)
      .split(/\n+/)
      .filter((paragraph) => paragraph.trim().length > 20)
      .slice(0, 400);
    for (const paragraph of paragraphs) {
      for (const sentence of paragraph.split(/(?<=[.!?])\s+(?=[A-Z])|(?<=[。！？])/)) {
        // Markup, URLs, emails, commands and instructions to the reader are refused by design.
        if (sentence.trim().length <= 8 || findMarkup(sentence) !== undefined) continue;
        if (sourceSentenceRefusal(sentence) !== undefined) continue;
        found.push({ file, paragraph, sentence, language: /[\u4e00-\u9fff]/u.test(sentence) ? 'zh' : 'en' });
      }
    }
  }
  return found;
}

function keptAgainst(sentence: string, paragraph: string, language: 'zh' | 'en'): boolean {
  const result = verifySentences(
    [{ text: sentence, cites: [1] }],
    new Map([[1, { text: paragraph, itemId: 'x' }]]),
    language,
  );
  return result.kept.length === 1;
}

test('every sentence of real sources, copied word for word, is supported by its paragraph', () => {
  const all = samples();
  assert.ok(all.length > 1000, `${all.length} sentences`);
  assert.ok(all.filter((sample) => sample.language === 'zh').length > 200);
  const dropped = all.filter((sample) => !keptAgainst(sample.sentence, sample.paragraph, sample.language));
  assert.deepEqual(
    dropped.map((sample) => `${sample.file}: ${sample.sentence.slice(0, 120)}`),
    [],
  );
});

test('the same sentences with one digit changed are dropped (≥ 95%; the rest name a number the paragraph has elsewhere)', (t) => {
  let changed = 0;
  let caught = 0;
  for (const sample of samples()) {
    const digit = /\d/.exec(sample.sentence);
    if (!digit) continue;
    const replaced = String((Number(digit[0]) + 1) % 10);
    const mutated = sample.sentence.slice(0, digit.index) + replaced + sample.sentence.slice(digit.index + 1);
    changed += 1;
    if (!keptAgainst(mutated, sample.paragraph, sample.language)) caught += 1;
  }
  t.diagnostic(`${caught} of ${changed} one-digit changes dropped`);
  assert.ok(changed > 500);
  assert.ok(caught / changed >= 0.95, `${caught}/${changed}`);
});
