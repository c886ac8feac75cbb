/**
 * The main text of an article page: Readability (the library behind Firefox Reader View) on a
 * linkedom document, then the same sanitising and cleaning as feed text (src/core/sanitize.ts).
 * The page's chrome — navigation, ads, comments, scripts — is left out.
 */
import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import { htmlToText } from '../core/sanitize.js';
import { MAX_TEXT_CHARS } from './normalize.js';

export interface ExtractedArticle {
  title: string;
  /** Plain text, paragraphs on their own lines; at most MAX_TEXT_CHARS characters. */
  text: string;
}

/** Readability's limit on elements; a hostile page larger than this gives no text rather than a long parse. */
const MAX_ELEMENTS = 30_000;

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/**
 * Extracts the article of `html`, served at `url` (relative links resolve against it, or against
 * the page's own <base>). Undefined when the page holds no readable article.
 */
export function extractArticle(html: string, url: string): ExtractedArticle | undefined {
  // linkedom has no document URL; a <base> gives Readability the URL to resolve links against.
  const withBase = /<base\s[^>]*href=/iu.test(html)
    ? html
    : /<head[^>]*>/iu.test(html)
      ? html.replace(/<head[^>]*>/iu, (head) => `${head}<base href="${escapeAttribute(url)}">`)
      : `<head><base href="${escapeAttribute(url)}"></head>${html}`;
  const { document } = parseHTML(withBase);
  let parsed: ReturnType<Readability<string>['parse']>;
  try {
    // linkedom's Document is not the DOM lib's type, but it implements what Readability uses.
    parsed = new Readability(document as unknown as ConstructorParameters<typeof Readability>[0], {
      maxElemsToParse: MAX_ELEMENTS,
    }).parse();
  } catch {
    return undefined;
  }
  if (!parsed?.content) return undefined;
  const text = htmlToText(parsed.content).slice(0, MAX_TEXT_CHARS).trim();
  if (text === '') return undefined;
  return { title: (parsed.title ?? '').trim(), text };
}
