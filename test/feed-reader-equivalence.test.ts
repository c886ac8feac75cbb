/**
 * The fast reader of common RSS and Atom (src/sources/common-feed-reader.ts) against feedsmith: on
 * every document it answers for, parseFeedDocument gives exactly what it gives through feedsmith
 * alone. Documents: the real captures, feedparser's conformance documents, our own hostile fixtures,
 * and edits of the real RSS and Atom captures that break the common shape in each way the reader
 * must notice (it must decline them) or write it differently (it must still read them).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { FetchError } from '../src/core/errors.js';
import type { RawItem } from '../src/core/types.js';
import { decodeBody } from '../src/http/charset.js';
import { readCommonFeed } from '../src/sources/common-feed-reader.js';
import { parseFeedDocument } from '../src/sources/feed.js';
import { prepareFeedXml } from '../src/sources/feed-xml.js';
import { filesUnder, repoRoot, sharedDir } from './support/fixtures.js';

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
  return readCommonFeed(prepareFeedXml(body)) !== undefined;
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

/** `edit` applied to the document from its first item (or entry) on. */
function inItems(edit: (xml: string) => string, opening = '<item>'): (xml: string) => string {
  return (xml) => {
    const at = xml.indexOf(opening);
    return at === -1 ? xml : xml.slice(0, at) + edit(xml.slice(at));
  };
}

/** In the entries of an Atom document. */
function inEntries(edit: (xml: string) => string): (xml: string) => string {
  return inItems(edit, '<entry>');
}

/** What the reader must do with an edited document: decline it, or still read it (and agree). */
type Expected = 'declines' | 'reads';

/** Edits of an RSS capture that break the common shape one way, or write it differently. */
const RSS_EDITS: ReadonlyArray<readonly [string, Expected, (xml: string) => string]> = [
  ['markup in a description', 'declines', inItems((x) => x.replace(/<description>/, '<description><p>lead</p>'))],
  ['its own closing tag in CDATA', 'declines', inItems((x) => x.replace(/<title>/, '<title><![CDATA[a </title> b]]>'))],
  ['a stray closing tag', 'declines', inItems((x) => x.replace(/<\/item>/, '</guid></item>'))],
  ['an unclosed element', 'declines', inItems((x) => x.replace(/<\/item>/, '<extra></item>'))],
  ['an unclosed CDATA section', 'declines', (x) => `${x}<![CDATA[`],
  ['an xml:base', 'declines', (x) => x.replace(/<item>/, '<item xml:base="https://elsewhere.example/">')],
  ['a default namespace', 'declines', (x) => x.replace(/<rss /, '<rss xmlns="http://purl.org/rss/1.0/" ')],
  [
    'content under another prefix',
    'declines',
    (x) =>
      inItems((y) => y.replace(/<\/title>/, '</title><c:encoded>body</c:encoded>'))(
        x.replace(/<rss /, '<rss xmlns:c="http://purl.org/rss/1.0/modules/content/" '),
      ),
  ],
  [
    'dc bound elsewhere',
    'declines',
    (x) =>
      inItems((y) => y.replace(/<\/title>/, '</title><dc:creator>someone</dc:creator>'))(
        x.replace(/<rss /, '<rss xmlns:dc="http://purl.org/rss/1.0/modules/content/" '),
      ),
  ],
  [
    'a Media RSS title',
    'declines',
    (x) =>
      inItems((y) => y.replace(/<\/title>/, '</title><media:title>m</media:title>'))(
        x.replace(/<rss /, '<rss xmlns:media="http://search.yahoo.com/mrss/" '),
      ),
  ],
  [
    'an iTunes summary',
    'declines',
    inItems((x) => x.replace(/<\/title>/, '</title><itunes:summary>s</itunes:summary>')),
  ],
  [
    'an item outside the channel',
    'declines',
    (x) => x.replace(/<\/channel>/, '</channel><item><title>outside</title></item>'),
  ],
  [
    'two channels',
    'declines',
    (x) => x.replace(/<\/channel>/, '</channel><channel><item><title>second</title></item></channel>'),
  ],
  ['a nested item', 'declines', inItems((x) => x.replace(/<\/title>/, '</title><item><title>inner</title></item>'))],
  ['a processing instruction in an item', 'declines', inItems((x) => x.replace(/<\/title>/, '</title><?pi data?>'))],
  ['an empty item', 'declines', (x) => x.replace(/<item>/, '<item></item><item>')],
  [
    'an author with CDATA',
    'declines',
    inItems((x) => x.replace(/<\/title>/, '</title><author><![CDATA[Jane]]></author>')),
  ],
  [
    'an author of elements without a name',
    'declines',
    inItems((x) => x.replace(/<\/title>/, '</title><author><email>j@example.com</email></author>')),
  ],
  ['a truncated tail', 'declines', (x) => x.slice(0, Math.floor(x.length * 0.7))],
  [
    'elements nested 120 deep',
    'declines',
    inItems((x) => x.replace(/<\/title>/, `</title>${'<x>'.repeat(120)}${'</x>'.repeat(120)}`)),
  ],
  [
    'elements nested 90 deep',
    'reads',
    inItems((x) => x.replace(/<\/title>/, `</title>${'<x>'.repeat(90)}${'</x>'.repeat(90)}`)),
  ],
  [
    'an author',
    'reads',
    inItems((x) => x.replace(/<\/title>/, '</title><author>jane@example.com (Jane Doe)</author>')),
  ],
  [
    'an author "name <email>"',
    'reads',
    inItems((x) =>
      x.replace(/<\/title>/, '</title><author>Jane Doe &lt;mailto:jane@example.com?subject=hi&gt;</author>'),
    ),
  ],
  [
    'an author with a name element',
    'reads',
    inItems((x) =>
      x.replace(
        /<\/title>/,
        '</title><author><name> Jane Doe </name><title>Editor</title></author><author>www.example.com/jane</author>',
      ),
    ),
  ],
  [
    'a renamed prefix in use on the channel only',
    'reads',
    (x) =>
      x.replace(
        /<channel>/,
        '<channel><atom10:link xmlns:atom10="http://www.w3.org/2005/Atom" rel="self" href="https://feed.example/self"/>',
      ),
  ],
  [
    'a renamed prefix in use in an item',
    'declines',
    inItems((x) =>
      x.replace(
        /<\/title>/,
        '</title><atom10:link xmlns:atom10="http://www.w3.org/2005/Atom" href="https://elsewhere.example/"/>',
      ),
    ),
  ],
  [
    'a root default namespace of its own',
    'reads',
    (x) => x.replace(/<rss /, '<rss xmlns="com-wordpress:feed-additions:1" '),
  ],
  [
    'a namespace renamed but unused',
    'reads',
    (x) => x.replace(/<rss /, '<rss xmlns:author="http://www.w3.org/2005/Atom" '),
  ],
  [
    'upper-case names',
    'reads',
    (x) => x.replace(/<(\/?)pubDate>/g, '<$1PUBDATE>').replace(/<(\/?)title>/g, '<$1Title>'),
  ],
  ['an unquoted isPermaLink', 'reads', inItems((x) => x.replace(/<guid[^>]*>/, '<guid isPermaLink=false>'))],
  [
    'isPermaLink false, twice',
    'reads',
    (x) => x.replace(/<guid[^>]*>/g, '<guid isPermaLink="true" isPermaLink=" FALSE ">'),
  ],
  [
    'comments and entities in fields',
    'reads',
    (x) =>
      x.replace(/<title>/g, '<title><!-- note --> &lt;b&gt;&amp;').replace(/<\/title>/g, ' &#8217;<!---->x</title>'),
  ],
  ['CR LF line ends', 'reads', (x) => x.replace(/\n/g, '\r\n')],
  [
    'self-closed fields',
    'reads',
    inItems((x) =>
      x.replace(/<title>[^<]*<\/title>/, '<title/>').replace(/<description>/, '<description/><description>'),
    ),
  ],
  [
    'a DOCTYPE with an entity',
    'reads',
    (x) => x.replace(/<rss /, '<!DOCTYPE rss [<!ENTITY e "x">]><rss ').replace(/<\/title>/, '&e;</title>'),
  ],
  ['bare ampersands', 'reads', (x) => x.replace(/<\/title>/g, ' Q&A</title>')],
];

/** Edits of an Atom capture (feeds and the arXiv API). */
const ATOM_EDITS: ReadonlyArray<readonly [string, Expected, (xml: string) => string]> = [
  [
    'xhtml content',
    'declines',
    inEntries((x) =>
      x.replace(/<title[^>]*>/, '<title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">x</div>'),
    ),
  ],
  ['an xhtml type on text', 'declines', inEntries((x) => x.replace(/<title[^>]*>/, '<title type="xhtml">'))],
  [
    'an Atom prefix in use',
    'declines',
    (x) =>
      inEntries((y) => y.replace(/<\/id>/, '</id><a:link href="https://elsewhere.example/"/>'))(
        x.replace(/<feed\s/, '<feed xmlns:a="http://www.w3.org/2005/Atom" '),
      ),
  ],
  ['an xml:base', 'declines', (x) => x.replace(/<entry>/, '<entry xml:base="https://elsewhere.example/">')],
  ['a nested entry', 'declines', inEntries((x) => x.replace(/<\/id>/, '</id><entry><id>inner</id></entry>'))],
  [
    'Dublin Core Terms',
    'declines',
    inEntries((x) => x.replace(/<\/id>/, '</id><dcterms:issued>2020-01-01</dcterms:issued>')),
  ],
  ['a link with another attribute', 'declines', inEntries((x) => x.replace(/<link /, '<link foo="bar" '))],
  ['an rss element in the text', 'declines', (x) => x.replace(/<entry>/, '<!-- <rss version="2.0"> --><entry>')],
  ['a truncated tail', 'declines', (x) => x.slice(0, Math.floor(x.length * 0.7))],
  [
    'elements nested 120 deep',
    'declines',
    inEntries((x) => x.replace(/<\/id>/, `</id>${'<x>'.repeat(120)}${'</x>'.repeat(120)}`)),
  ],
  [
    'a link without attributes first',
    'reads',
    inEntries((x) => x.replace(/<link /, '<link>https://text.example/</link><link type="text/html"/><link ')),
  ],
  [
    'categories without terms',
    'reads',
    inEntries((x) =>
      x.replace(/<\/id>/, '</id><category>plain</category><category label=" Lab "/><category scheme="s"/>'),
    ),
  ],
  [
    'authors with and without names',
    'reads',
    inEntries((x) =>
      x.replace(
        /<\/id>/,
        '</id><author>Plain</author><author><email>e@example.com</email></author><author><name><![CDATA[Ann &amp; Bo]]></name></author>',
      ),
    ),
  ],
  [
    'typed text and content',
    'reads',
    inEntries((x) =>
      x
        .replace(/<title[^>]*>/, '<title type="html">&lt;b&gt;Bold&lt;/b&gt; ')
        .replace(/<summary[^>]*>/, '<summary type="text"> '),
    ),
  ],
  [
    'content by reference',
    'reads',
    inEntries((x) => x.replace(/<\/id>/, '</id><content type="text/html" src="https://example.com/x"/>')),
  ],
  [
    'Atom 0.3 dates',
    'reads',
    inEntries((x) =>
      x
        .replace(/<published>/, '<issued>2001-01-01T00:00:00Z</issued><published>')
        .replace(/<\/id>/, '</id><modified>2002-02-02T00:00:00Z</modified>'),
    ),
  ],
  [
    'Dublin Core',
    'reads',
    (x) =>
      inEntries((y) => y.replace(/<\/id>/, '</id><dc:creator>Dee</dc:creator><dc:subject>s</dc:subject>'))(
        x.replace(/<feed\s/, '<feed xmlns:dc="http://purl.org/dc/elements/1.1/" '),
      ),
  ],
  ['CR LF line ends', 'reads', (x) => x.replace(/\n/g, '\r\n')],
];

describe('the fast reader of common RSS and Atom gives what feedsmith gives', () => {
  it('on the real captures, feedparser documents and our fixtures it answers for, and answers for the common ones', () => {
    let answeredCount = 0;
    let realAnswered = 0;
    const documents = xmlTexts();
    for (const { label, text } of documents) {
      if (checkEquivalent(label, text)) {
        answeredCount++;
        if (/^(?:rss|atom|arxiv)\//.test(label)) realAnswered++;
      }
    }
    assert.ok(documents.length > 1500, `only ${documents.length} documents`);
    // Most real feeds are of the common shape: the reader must answer for them, or it is no faster.
    assert.ok(realAnswered >= 30, `the reader answered for only ${realAnswered} real RSS and Atom captures`);
    assert.ok(answeredCount > 300, `the reader answered for only ${answeredCount} documents`);
  });

  for (const [format, folders, edits] of [
    ['RSS', ['rss'], RSS_EDITS],
    ['Atom', ['atom', 'arxiv'], ATOM_EDITS],
  ] as const) {
    it(`on edits of the real ${format} captures that break the common shape, or write it differently`, () => {
      const captures = folders
        .flatMap((folder) => filesUnder(path.join(sharedDir, 'fixtures/real', folder)))
        .filter((file) => file.endsWith('.xml'))
        .map((file) => ({ label: path.basename(file), text: readFileSync(file, 'utf8') }))
        .filter(({ text }) => answered(text));
      assert.ok(captures.length >= 5, `only ${captures.length} ${format} captures read`);
      for (const [edit, expected, apply] of edits) {
        let changed = 0;
        let read = 0;
        for (const { label, text } of captures) {
          const edited = apply(text);
          if (edited === text) continue; // the capture has nothing this edit changes
          changed++;
          if (checkEquivalent(`${label}, ${edit}`, edited)) read++;
        }
        assert.ok(changed > 0, `"${edit}" changed no capture`);
        if (expected === 'declines') assert.equal(read, 0, `the reader answered for "${edit}"`);
        else assert.ok(read > 0, `the reader never answered for "${edit}"`);
      }
    });
  }
});
