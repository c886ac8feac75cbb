/**
 * The fast reader of common RSS (src/sources/rss-reader.ts) against feedsmith: on every document it
 * answers for, parseFeedDocument gives exactly what it gives through feedsmith alone. Documents: the
 * real captures, feedparser's conformance documents, our own hostile fixtures, and edits of the real
 * RSS captures that break the common shape in each way the reader must notice.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { FetchError } from '../src/core/errors.js';
import type { RawItem } from '../src/core/types.js';
import { decodeBody } from '../src/http/charset.js';
import { parseFeedDocument } from '../src/sources/feed.js';
import { prepareFeedXml } from '../src/sources/feed-xml.js';
import { readCommonRss } from '../src/sources/rss-reader.js';
import { sharedDir } from './support/fixtures.js';

const repoRoot = path.resolve(import.meta.dirname, '..');

function filesUnder(dir: string): string[] {
  const files: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) files.push(...filesUnder(full));
    else files.push(full);
  }
  return files.sort();
}

type Outcome = { items: RawItem[] } | { error: string };

function outcome(text: string, reader: 'fast-then-feedsmith' | 'feedsmith'): Outcome {
  try {
    return { items: parseFeedDocument(text, 'https://feed.example/path/feed.xml', { reader }) };
  } catch (error) {
    if (error instanceof FetchError) return { error: `${error.kind}: ${error.message}` };
    throw error;
  }
}

/** Whether the fast reader answers for a document (as parseFeedDocument would hand it over). */
function answered(text: string): boolean {
  const body = text.replace(/^\uFEFF/, '').replace(/^\s+/, '');
  if (body.startsWith('{') || body.startsWith('[') || body === '') return false;
  return readCommonRss(prepareFeedXml(body)) !== undefined;
}

/** Checks one document; returns whether the fast reader answered for it. */
function checkEquivalent(label: string, text: string): boolean {
  const fast = outcome(text, 'fast-then-feedsmith');
  const slow = outcome(text, 'feedsmith');
  assert.deepEqual(fast, slow, `${label}: the fast reader and feedsmith disagree`);
  return answered(text);
}

function xmlTexts(): Array<{ label: string; text: string }> {
  const documents: Array<{ label: string; text: string }> = [];
  const real = path.join(sharedDir, 'fixtures/real');
  for (const file of filesUnder(real)) {
    if (!/\.(?:xml|rss|atom|rdf)$/.test(file)) continue;
    documents.push({ label: path.relative(real, file), text: readFileSync(file, 'utf8') });
  }
  const feedparser = path.join(sharedDir, 'fixtures/feedparser');
  for (const file of filesUnder(feedparser)) {
    if (!/\.(?:xml|rss|rdf|atom)$/.test(file)) continue;
    documents.push({ label: path.relative(feedparser, file), text: decodeBody(readFileSync(file)).text });
  }
  for (const file of filesUnder(path.join(repoRoot, 'test/fixtures'))) {
    if (!file.endsWith('.xml')) continue;
    documents.push({ label: path.relative(repoRoot, file), text: readFileSync(file, 'utf8') });
  }
  return documents;
}

/** `edit` applied to the document from its first item on. */
function inItems(edit: (xml: string) => string): (xml: string) => string {
  return (xml) => {
    const at = xml.indexOf('<item>');
    return at === -1 ? xml : xml.slice(0, at) + edit(xml.slice(at));
  };
}

/** Edits that each break the common shape one way (or keep it, differently written). */
const EDITS: ReadonlyArray<readonly [string, (xml: string) => string]> = [
  ['an author', inItems((x) => x.replace(/<\/title>/, '</title><author>jane@example.com (Jane Doe)</author>'))],
  ['markup in a description', inItems((x) => x.replace(/<description>/, '<description><p>lead</p>'))],
  ['its own closing tag in CDATA', inItems((x) => x.replace(/<title>/, '<title><![CDATA[a </title> b]]>'))],
  ['a stray closing tag', inItems((x) => x.replace(/<\/item>/, '</guid></item>'))],
  ['an unclosed element', inItems((x) => x.replace(/<\/item>/, '<extra></item>'))],
  ['an unclosed CDATA section', (x) => `${x}<![CDATA[`],
  ['an xml:base', (x) => x.replace(/<item>/, '<item xml:base="https://elsewhere.example/">')],
  ['a default namespace', (x) => x.replace(/<rss /, '<rss xmlns="http://purl.org/rss/1.0/" ')],
  [
    'content under another prefix',
    (x) =>
      inItems((y) => y.replace(/<\/title>/, '</title><c:encoded>body</c:encoded>'))(
        x.replace(/<rss /, '<rss xmlns:c="http://purl.org/rss/1.0/modules/content/" '),
      ),
  ],
  [
    'dc bound elsewhere',
    (x) =>
      inItems((y) => y.replace(/<\/title>/, '</title><dc:encoded>body</dc:encoded>'))(
        x.replace(/<rss /, '<rss xmlns:dc="http://purl.org/rss/1.0/modules/content/" '),
      ),
  ],
  ['upper-case names', (x) => x.replace(/<(\/?)pubDate>/g, '<$1PUBDATE>').replace(/<(\/?)title>/g, '<$1Title>')],
  ['an unquoted isPermaLink', inItems((x) => x.replace(/<guid[^>]*>/, '<guid isPermaLink=false>'))],
  ['isPermaLink false', (x) => x.replace(/<guid[^>]*>/g, '<guid isPermaLink=" FALSE ">')],
  [
    'comments and entities in fields',
    (x) =>
      x.replace(/<title>/g, '<title><!-- note --> &lt;b&gt;&amp;').replace(/<\/title>/g, ' &#8217;<!---->x</title>'),
  ],
  ['CR LF line ends', (x) => x.replace(/\n/g, '\r\n')],
  [
    'self-closed fields',
    inItems((x) =>
      x.replace(/<title>[^<]*<\/title>/, '<title/>').replace(/<description>/, '<description/><description>'),
    ),
  ],
  [
    'a Media RSS title',
    (x) =>
      inItems((y) => y.replace(/<\/title>/, '</title><media:title>m</media:title>'))(
        x.replace(/<rss /, '<rss xmlns:media="http://search.yahoo.com/mrss/" '),
      ),
  ],
  ['an iTunes summary', inItems((x) => x.replace(/<\/title>/, '</title><itunes:summary>s</itunes:summary>'))],
  ['an empty item', (x) => x.replace(/<item>/, '<item></item><item>')],
  ['an item outside the channel', (x) => x.replace(/<\/channel>/, '</channel><item><title>outside</title></item>')],
  ['two channels', (x) => x.replace(/<\/channel>/, '</channel><channel><item><title>second</title></item></channel>')],
  ['a nested item', inItems((x) => x.replace(/<\/title>/, '</title><item><title>inner</title></item>'))],
  ['a processing instruction in an item', inItems((x) => x.replace(/<\/title>/, '</title><?pi data?>'))],
  [
    'a DOCTYPE with an entity',
    (x) => x.replace(/<rss /, '<!DOCTYPE rss [<!ENTITY e "x">]><rss ').replace(/<\/title>/, '&e;</title>'),
  ],
  ['bare ampersands', (x) => x.replace(/<\/title>/g, ' Q&A</title>')],
  ['a truncated tail', (x) => x.slice(0, Math.floor(x.length * 0.7))],
];

describe('the fast reader of common RSS gives what feedsmith gives', () => {
  it('on the real captures, feedparser documents and our fixtures it answers for, and answers for the common ones', () => {
    let answeredCount = 0;
    let realRssAnswered = 0;
    const documents = xmlTexts();
    for (const { label, text } of documents) {
      if (checkEquivalent(label, text)) {
        answeredCount++;
        if (label.startsWith('rss/')) realRssAnswered++;
      }
    }
    assert.ok(documents.length > 1500, `only ${documents.length} documents`);
    // Most real RSS feeds are of the common shape: the reader must answer for them, or it is no faster.
    assert.ok(realRssAnswered >= 10, `the reader answered for only ${realRssAnswered} real RSS captures`);
    assert.ok(answeredCount > 100, `the reader answered for only ${answeredCount} documents`);
  });

  it('on edits of the real RSS captures that break the common shape, or write it differently', () => {
    const real = path.join(sharedDir, 'fixtures/real/rss');
    const captures = filesUnder(real)
      .map((file) => ({ label: path.basename(file), text: readFileSync(file, 'utf8') }))
      .filter(({ text }) => answered(text) && /<rss [^>]*>/.test(text) && /<item>/.test(text));
    assert.ok(captures.length >= 5);
    const answeredByEdit = new Map<string, number>();
    for (const { label, text } of captures) {
      for (const [edit, apply] of EDITS) {
        const edited = apply(text);
        if (edited === text) continue; // the capture has nothing this edit changes
        if (checkEquivalent(`${label}, ${edit}`, edited)) answeredByEdit.set(edit, (answeredByEdit.get(edit) ?? 0) + 1);
      }
    }
    // The shapes it must refuse, it refuses (their equivalence then holds by construction).
    for (const edit of [
      'an author',
      'markup in a description',
      'its own closing tag in CDATA',
      'a stray closing tag',
      'an unclosed element',
      'an xml:base',
      'a default namespace',
      'content under another prefix',
      'dc bound elsewhere',
      'a Media RSS title',
      'an item outside the channel',
      'two channels',
      'a nested item',
      'a truncated tail',
    ]) {
      assert.equal(answeredByEdit.get(edit) ?? 0, 0, `the reader answered for "${edit}"`);
    }
    // And the ones that are still common RSS, it reads.
    for (const edit of [
      'upper-case names',
      'an unquoted isPermaLink',
      'comments and entities in fields',
      'CR LF line ends',
    ]) {
      assert.ok((answeredByEdit.get(edit) ?? 0) > 0, `the reader never answered for "${edit}"`);
    }
  });
});
