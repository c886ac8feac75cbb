import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { sharedDir } from '../../test/support/fixtures.js';
import { htmlToText } from '../core/sanitize.js';
import { extractArticle } from './article.js';

const articlesDir = path.join(sharedDir, 'fixtures/articles');

/** Word tokens for overlap: lower-cased letter/digit runs, and each CJK character on its own. */
function overlapTokens(text: string): string[] {
  return (
    text
      .normalize('NFKC')
      .toLowerCase()
      .match(/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]|[\p{L}\p{N}]+/gu) ?? []
  );
}

/** Bag-of-words F1 of `actual` against `expected`. */
function wordF1(actual: string, expected: string): number {
  const want = new Map<string, number>();
  for (const token of overlapTokens(expected)) want.set(token, (want.get(token) ?? 0) + 1);
  const got = overlapTokens(actual);
  let common = 0;
  for (const token of got) {
    const left = want.get(token) ?? 0;
    if (left > 0) {
      common += 1;
      want.set(token, left - 1);
    }
  }
  const expectedCount = overlapTokens(expected).length;
  if (common === 0 || got.length === 0 || expectedCount === 0) return 0;
  const precision = common / got.length;
  const recall = common / expectedCount;
  return (2 * precision * recall) / (precision + recall);
}

describe('extractArticle on real pages (Readability test suite, Firefox reader output as reference)', () => {
  const pages = readdirSync(articlesDir).filter((name) => statSync(path.join(articlesDir, name)).isDirectory());

  it('has the captured pages', () => {
    assert.ok(pages.length >= 50, `found ${pages.length} pages in ${articlesDir}`);
  });

  it('extracts the main text: mean word F1 >= 0.95, no page below 0.6', () => {
    const scores: { page: string; f1: number }[] = [];
    for (const page of pages) {
      const source = readFileSync(path.join(articlesDir, page, 'source.html'), 'utf8');
      const expected = htmlToText(readFileSync(path.join(articlesDir, page, 'expected.html'), 'utf8'));
      const article = extractArticle(source, `https://articles.example/${page}/index.html`);
      scores.push({ page, f1: wordF1(article?.text ?? '', expected) });
    }
    const mean = scores.reduce((sum, score) => sum + score.f1, 0) / scores.length;
    const worst = [...scores].sort((a, b) => a.f1 - b.f1).slice(0, 3);
    const summary = `mean F1 ${mean.toFixed(3)}; worst ${worst.map((s) => `${s.page} ${s.f1.toFixed(3)}`).join(', ')}`;
    assert.ok(mean >= 0.95, summary);
    assert.ok(worst[0]!.f1 >= 0.6, summary);
  });

  it('keeps a Chinese article whole and leaves the page chrome out', () => {
    const source = readFileSync(path.join(articlesDir, 'qq', 'source.html'), 'utf8');
    const article = extractArticle(source, 'https://articles.example/qq/')!;
    assert.match(article.text, /DeepMind/);
    assert.ok(article.text.length > 500);
    assert.doesNotMatch(article.text, /<script|function\s*\(|document\.write/u);
  });

  it("extracts a small page's article and gives nothing for a page without one", () => {
    const html =
      '<html><head><title>T</title></head><body><nav>Home · About</nav><article><h1>Title</h1>' +
      `${'<p>A paragraph of real article text that goes on for a while, with <a href="/more">a link</a>, to be readable. </p>'.repeat(8)}` +
      '</article></body></html>';
    const article = extractArticle(html, 'https://news.example/a/b.html');
    assert.ok(article);
    assert.match(article.text, /real article text/);
    assert.equal(extractArticle('<html><body></body></html>', 'https://news.example/'), undefined);
    assert.equal(extractArticle('not html at all \u0000', 'https://news.example/'), undefined);
  });
});
