/**
 * Keeping what can be kept from imperfect feeds: DOCTYPEs, unsafe element names, truncation,
 * reused guids, markup in titles, untitled items (parse + normalize, as the collector runs them).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '../../test/support/fixtures.js';
import type { RawItem, SourceConfig } from '../core/types.js';
import { normalizeItem, reusedGuids } from '../pipeline/normalize.js';
import { authorNameOf, parseFeedDocument } from './feed.js';

const source: SourceConfig = {
  id: 'imperfect',
  name: 'Imperfect',
  kind: 'feed',
  url: 'https://feed.example/rss.xml',
  authority: 0.5,
  section: 'applications',
  enabled: true,
  filterTopics: false,
  params: {},
};
const fetchedAt = new Date('2026-08-22T02:00:00Z');

/**
 * Parses and normalises as the collector does: reused guids are found over the whole document,
 * and an item normalize refuses is skipped.
 */
function collectLike(text: string) {
  const raws = parseFeedDocument(text, source.url);
  const reused = reusedGuids(raws, source.url);
  return raws.flatMap((raw) => {
    try {
      return [normalizeItem(raw, { source, fetchedAt, reusedGuids: reused })];
    } catch {
      return [];
    }
  });
}

const rss = (items: string, prolog = '') =>
  `<?xml version="1.0"?>${prolog}<rss version="2.0"><channel><title>T</title><link>https://feed.example/</link>${items}</channel></rss>`;
const item = (title: string, link: string, extra = '') =>
  `<item><title>${title}</title><link>${link}</link>${extra}</item>`;
const hostile = (name: string) => readFileSync(path.join(repoRoot, 'test/fixtures/hostile', name), 'utf8');

describe('feeds: keeping what can be kept', () => {
  it('ignores a DOCTYPE that declares entities: every item is kept and no entity is expanded', () => {
    const doctype = '<!DOCTYPE rss [ <!ENTITY secret "EXPANDED"> <!ENTITY ext SYSTEM "file:///etc/hostname"> ]>';
    const items = collectLike(
      rss(
        item('Harmless', 'https://feed.example/a') +
          item('Uses &secret; and &ext;', 'https://feed.example/b', '<description>x &secret; y</description>'),
        doctype,
      ),
    );
    assert.deepEqual(
      items.map((i) => i.url),
      ['https://feed.example/a', 'https://feed.example/b'],
    );
    for (const kept of items) assert.doesNotMatch(`${kept.title} ${kept.text}`, /EXPANDED/);
  });

  it('keeps the items of the XXE and billion-laughs documents without resolving or expanding anything', () => {
    const xxe = collectLike(hostile('xxe.xml'));
    assert.equal(xxe.length, 1);
    assert.doesNotMatch(`${xxe[0]?.title} ${xxe[0]?.text}`, /root:|\/bin\//);
    const laughs = collectLike(hostile('billion-laughs.xml'));
    assert.equal(laughs.length, 1);
    assert.doesNotMatch(laughs[0]?.title ?? '', /(?:lol){10}/);
  });

  it('skips __proto__ / constructor / prototype elements without losing their items', () => {
    const items = collectLike(hostile('proto-pollution.xml'));
    assert.deepEqual(
      items.map((i) => i.title),
      ['First', 'Second'],
    );
    assert.deepEqual(items[1]?.tags, ['__proto__', 'constructor']);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(({} as Record<string, unknown>).isAdmin, undefined);
  });

  it('keeps the complete items before a truncation', () => {
    const whole = rss(
      item('First complete', 'https://feed.example/1') +
        item('Second complete', 'https://feed.example/2', '<description><![CDATA[<p>ok</p>]]></description>') +
        item('Cut off', 'https://feed.example/3', '<description>half'),
    );
    const cut = whole.slice(0, whole.indexOf('half') + 4);
    assert.deepEqual(
      collectLike(cut).map((i) => i.title),
      ['First complete', 'Second complete'],
    );
    const atom = `<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title><entry><id>tag:a,1</id><title>Only entry</title><link href="https://feed.example/e1"/></entry><entry><id>tag:a,2</id><title>Bro`;
    assert.deepEqual(
      collectLike(atom).map((i) => i.title),
      ['Only entry'],
    );
  });

  it('tells apart items that share one guid but have different links; a unique guid alone stays the identity', () => {
    const shared = '<guid isPermaLink="false">same-guid</guid>';
    const items = collectLike(
      rss(
        item('One story', 'https://feed.example/one', shared) +
          item('Another story', 'https://feed.example/two', shared) +
          item('A third story', 'https://feed.example/three', shared) +
          item('Own guid', 'https://feed.example/own', '<guid isPermaLink="false">own-guid</guid>'),
      ),
    );
    assert.equal(new Set(items.map((i) => i.id)).size, 4);
    assert.deepEqual(
      items.map((i) => i.identity),
      [
        'guid:same-guid url:https://feed.example/one',
        'guid:same-guid url:https://feed.example/two',
        'guid:same-guid url:https://feed.example/three',
        'guid:own-guid',
      ],
    );
  });

  it('a guid repeated with the same link is one item', () => {
    const shared = '<guid isPermaLink="false">dup</guid>';
    const items = collectLike(
      rss(item('Story', 'https://feed.example/s', shared) + item('Story (again)', 'https://feed.example/s', shared)),
    );
    assert.equal(new Set(items.map((i) => i.id)).size, 1);
    assert.equal(items[0]?.identity, 'guid:dup');
  });

  it('removes a dangerous element from a title but keeps the text around it', () => {
    const items = collectLike(
      rss(
        item('First post', 'https://feed.example/1') +
          item('Second &lt;svg onload=alert(1)&gt; post', 'https://feed.example/2') +
          item('Third <![CDATA[<script src=x> post]]>', 'https://feed.example/3'),
      ),
    );
    assert.deepEqual(
      items.map((i) => i.title),
      ['First post', 'Second post', 'Third post'],
    );
  });

  it('gives an untitled item a title from the first sentence of its text, capped', () => {
    const long = 'word '.repeat(80);
    const items = collectLike(
      rss(
        `<item><link>https://feed.example/1</link><description>&lt;p&gt;Model weights are out. More to come later.&lt;/p&gt;</description></item>` +
          `<item><link>https://feed.example/2</link><description>${long}</description></item>` +
          `<item><link>https://feed.example/3</link></item>`,
      ),
    );
    assert.equal(items[0]?.title, 'Model weights are out.');
    assert.ok((items[1]?.title.length ?? 0) <= 120 && items[1]?.title.endsWith('…'), items[1]?.title);
    // Neither a title nor text: kept by the parser, refused by normalize (the collector skips it).
    assert.equal(items.length, 2);
  });

  it('an empty or channel-less but well-formed feed gives no items, a broken one an error', () => {
    assert.deepEqual(parseFeedDocument('<rss version="2.0"></rss>'), []);
    assert.deepEqual(parseFeedDocument('<?xml version="1.0"?><rss version="2.0"><channel></channel></rss>'), []);
    assert.deepEqual(parseFeedDocument('<feed xmlns="http://www.w3.org/2005/Atom"></feed>'), []);
    assert.throws(() => parseFeedDocument('<rss version="2.0"><channel><title>x</rss>'), { name: 'FetchError' });
  });

  it('decodes Atom base64 content and maps Dublin Core dates and descriptions', () => {
    const encoded = Buffer.from('Base64 <b>body</b>').toString('base64');
    const [atom] = parseFeedDocument(
      `<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>t</title><content type="application/octet-stream">${encoded}</content></entry></feed>`,
    );
    assert.equal(atom?.contentText, 'Base64 <b>body</b>');
    const [old] = parseFeedDocument(
      `<feed version="0.3" xmlns="http://purl.org/atom/ns#"><entry><title>t</title><summary type="text/html" mode="base64">${encoded}</summary></entry></feed>`,
    );
    assert.equal(old?.contentHtml, 'Base64 <b>body</b>');
    const dc = (element: string) =>
      parseFeedDocument(
        rss(`<item><title>t</title>${element}</item>`).replace(
          '<rss version="2.0">',
          '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/">',
        ),
      )[0];
    for (const element of ['dc:date', 'dcterms:created', 'dcterms:issued', 'dcterms:modified']) {
      assert.equal(dc(`<${element}>2026-08-21T10:00:00Z</${element}>`)?.published, '2026-08-21T10:00:00Z', element);
    }
    assert.equal(dc('<dc:description>Described</dc:description>')?.contentHtml, 'Described');
    assert.equal(dc('<dcterms:description>Termed</dcterms:description>')?.contentHtml, 'Termed');
  });

  it('reads the body of an RSS item from <body>, <xhtml:body> and <fullitem>', () => {
    for (const element of ['body', 'xhtml:body', 'fullitem']) {
      const [found] = parseFeedDocument(rss(`<item><title>t</title><${element}>Full text</${element}></item>`));
      assert.equal(found?.contentHtml, 'Full text', element);
    }
  });

  it('keeps author names, not the addresses written with them', () => {
    assert.equal(authorNameOf('me@example.com (Example editor)'), 'Example editor');
    assert.equal(authorNameOf('Example editor (me@example.com)'), 'Example editor');
    assert.equal(authorNameOf('Jane Doe (Research)'), 'Jane Doe (Research)');
    assert.equal(authorNameOf('  '), undefined);
  });
});

/** A RawItem list is what the parser hands the collector; a reused guid is found over it. */
describe('reusedGuids', () => {
  it('lists only guids given to different links', () => {
    const raws: RawItem[] = [
      { title: 'a', guid: 'g1', url: 'https://x.example/a' },
      { title: 'b', guid: 'g1', url: 'https://x.example/b?utm_source=rss' },
      { title: 'c', guid: 'g2', url: 'https://x.example/c' },
      { title: 'd', guid: 'g2', url: 'https://x.example/c?utm_source=rss' },
      { title: 'e', url: 'https://x.example/e' },
    ];
    assert.deepEqual([...reusedGuids(raws)], ['g1']);
  });
});
