/**
 * The RSS and Atom feeds of the reports, parsed back with feedsmith and fast-xml-parser: valid
 * XML, every entry links its report page, titles with markup read as written, and the same entries
 * give byte-identical feeds.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { parseAtomFeed, parseRssFeed } from 'feedsmith';
import { escapeXml, renderAtom, renderRss } from './feeds.js';
import { mergeSiteEntries, type SiteEntry } from './site-index.js';

const HOSTILE_TITLE = 'AI <b>bold</b> \u0001& "quoted"\ufffe ]]> <!-- x -->';
const HOSTILE_TITLE_READ = 'AI <b>bold</b> & "quoted" ]]> <!-- x -->';

function entry(date: string, language: 'zh' | 'en', title = `Report ${date}`): SiteEntry {
  const [year, month] = date.split('-');
  return {
    date,
    language,
    title,
    description: `About ${date} <script>alert(1)</script>`,
    generatedAt: `${date}T02:00:00Z`,
    base: `${year}/${month}/${date}${language === 'zh' ? '' : `.${language}`}`,
  };
}

const ENTRIES = mergeSiteEntries(
  [entry('2026-04-28', 'zh'), entry('2026-08-22', 'en'), entry('2026-08-22', 'zh', HOSTILE_TITLE)],
  undefined,
  'zh',
);

describe('feeds', () => {
  it('RSS 2.0: valid XML, one item per report, newest first, each linking its HTML page', () => {
    const xml = renderRss(ENTRIES, { title: 'AI Daily & Co', language: 'zh' });
    assert.equal(XMLValidator.validate(xml), true);
    assert.equal(renderRss(ENTRIES, { title: 'AI Daily & Co', language: 'zh' }), xml, 'deterministic');
    assert.match(xml, /<!-- output\.siteUrl is not set/);
    const feed = parseRssFeed(xml);
    assert.equal(feed.title, 'AI Daily & Co');
    const items = feed.items ?? [];
    assert.deepEqual(
      items.map((item) => item.link),
      ['2026/08/2026-08-22.html', '2026/08/2026-08-22.en.html', '2026/04/2026-04-28.html'],
    );
    assert.equal(items[0]?.title, HOSTILE_TITLE_READ, 'markup reads as text');
    assert.equal(items[2]?.description, 'About 2026-04-28 <script>alert(1)</script>');
    assert.doesNotMatch(xml, /<script>|<b>/);
  });

  it('Atom: valid XML, absolute links and ids under output.siteUrl', () => {
    const xml = renderAtom(ENTRIES, { title: 'AI Daily', language: 'en', siteUrl: 'https://news.example/daily' });
    assert.equal(XMLValidator.validate(xml), true);
    assert.doesNotMatch(xml, /siteUrl is not set/);
    const feed = parseAtomFeed(xml);
    assert.equal(feed.updated, '2026-08-22T02:00:00.000Z');
    const links = (feed.entries ?? []).map((item) => item.links?.[0]?.href);
    assert.deepEqual(links, [
      'https://news.example/daily/reports/2026/08/2026-08-22.html',
      'https://news.example/daily/reports/2026/08/2026-08-22.en.html',
      'https://news.example/daily/reports/2026/04/2026-04-28.html',
    ]);
    assert.deepEqual(
      (feed.entries ?? []).map((item) => item.id),
      links,
    );
    const parsed = new XMLParser({ ignoreAttributes: false, htmlEntities: true }).parse(xml) as {
      feed: { entry: { title: string }[] };
    };
    assert.equal(parsed.feed.entry[0]?.title, HOSTILE_TITLE_READ);
  });

  it('Atom without a site URL: relative links, urn ids, and a comment that says so', () => {
    const xml = renderAtom(ENTRIES, { title: 'AI Daily', language: 'zh' });
    assert.equal(XMLValidator.validate(xml), true);
    assert.match(xml, /<!-- output\.siteUrl is not set/);
    const feed = parseAtomFeed(xml);
    assert.deepEqual(
      (feed.entries ?? []).map((item) => [item.links?.[0]?.href, item.id]),
      [
        ['2026/08/2026-08-22.html', 'urn:ai-daily:report:2026-08-22'],
        ['2026/08/2026-08-22.en.html', 'urn:ai-daily:report:2026-08-22.en'],
        ['2026/04/2026-04-28.html', 'urn:ai-daily:report:2026-04-28'],
      ],
    );
  });

  it('escapeXml drops characters XML 1.0 does not allow', () => {
    assert.equal(escapeXml('a\u0000b\u000bc\ud800d\ufffee<&>'), 'abcde&#60;&#38;&#62;');
  });
});
