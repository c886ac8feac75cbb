/**
 * Behaviour of each connector beyond the contract: hostile and broken feeds, the URLs each
 * `collect` requests, filters and partial failures.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { realText, repoRoot } from '../../test/support/fixtures.js';
import { FetchError } from '../core/errors.js';
import type { RawItem, SourceConfig, SourceKind } from '../core/types.js';
import type { FetchDocument, FetchedDocument, FetchOptions } from '../http/types.js';
import { arxivConnector, arxivIdOf, parseArxivDocument } from './arxiv.js';
import { FEED_ACCEPT, feedConnector, parseFeedDocument, repairBareAmpersands } from './feed.js';
import { githubConnector } from './github.js';
import { hackernewsConnector, parseAlgoliaSearch, selectStories } from './hackernews.js';
import { htmlConnector, parseHtmlList } from './html.js';
import { huggingfaceConnector, previousUtcDates } from './huggingface.js';
import { createItemMatcher, createKeywordMatcher, DEFAULT_AI_KEYWORDS } from './keywords.js';
import { redditConnector } from './reddit.js';
import type { Connector } from './types.js';

const ownFixture = (name: string) => readFileSync(path.join(repoRoot, 'test/fixtures/sources', name), 'utf8');
const NOW = new Date('2026-08-22T02:00:00Z');

interface Request {
  url: string;
  options?: FetchOptions;
}

function doc(url: string, text: string, notModified = false): FetchedDocument {
  return {
    requestUrl: url,
    url,
    status: notModified ? 304 : 200,
    headers: {},
    notModified,
    byteLength: Buffer.byteLength(text),
    text,
    charset: 'utf-8',
    charsetSource: 'utf-8-valid',
    elapsedMs: 0,
  };
}

/** A fetch answering exact URLs, then scheme+host+path; anything else fails like DNS would. */
function fakeFetch(bodies: Record<string, string>, requests: Request[] = []): FetchDocument {
  return async (url, options) => {
    requests.push({ url, options });
    const parsed = new URL(url);
    const body = bodies[url] ?? bodies[`${parsed.origin}${parsed.pathname}`];
    if (body === undefined) throw new FetchError('dns', `no body for ${url}`, { url });
    return doc(url, body);
  };
}

async function run<P>(
  connector: Connector<P>,
  url: string,
  params: unknown,
  fetch: FetchDocument,
  warnings: string[] = [],
): Promise<RawItem[]> {
  const source: SourceConfig = {
    id: 'test-source',
    name: 'Test source',
    kind: connector.kind as SourceKind,
    url,
    authority: 0.5,
    section: 'llm',
    enabled: true,
    filterTopics: false,
    params: params as Record<string, unknown>,
  };
  return connector.collect({
    source,
    params: connector.paramsSchema.parse(params),
    fetch,
    now: NOW,
    warn: (message) => warnings.push(message),
  });
}

function expectFetchError(kind: string): (error: unknown) => boolean {
  return (error) => {
    assert.ok(error instanceof FetchError, `not a FetchError: ${String(error)}`);
    assert.equal(error.kind, kind);
    return true;
  };
}

const tinyRss = (items: string, channelExtra = '') =>
  `<rss version="2.0"><channel><title>T</title><link>https://site.example/</link>${channelExtra}${items}</channel></rss>`;

describe('feed: parseFeedDocument', () => {
  it('strips a BOM and whitespace before the XML declaration', () => {
    const text = `\uFEFF\n  <?xml version="1.0" encoding="utf-8"?>${tinyRss('<item><title>One</title><link>https://a.example/1</link></item>')}`;
    assert.deepEqual(
      parseFeedDocument(text).map((item) => item.title),
      ['One'],
    );
  });

  it('gives FetchError empty for an empty or blank body', () => {
    assert.throws(() => parseFeedDocument('', 'https://x.example/feed'), expectFetchError('empty'));
    assert.throws(() => parseFeedDocument(' \n\t', 'https://x.example/feed'), expectFetchError('empty'));
  });

  it('gives FetchError not-a-feed for an HTML error page and for JSON that is not a feed', () => {
    const html = '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>502</h1></body></html>';
    assert.throws(() => parseFeedDocument(html, 'https://x.example/feed'), expectFetchError('not-a-feed'));
    assert.throws(() => parseFeedDocument('{"error":"rate limited"}'), expectFetchError('not-a-feed'));
    assert.throws(() => parseFeedDocument('[1,2,3]'), expectFetchError('not-a-feed'));
    assert.throws(() => parseFeedDocument('just some text'), expectFetchError('not-a-feed'));
  });

  it('does not expand entities declared in a DOCTYPE (billion laughs)', () => {
    const text = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>${tinyRss('<item><title>&lol3; &amp; friends</title><link>https://a.example/1</link></item>')}`;
    let items: RawItem[] = [];
    try {
      items = parseFeedDocument(text);
    } catch (error) {
      expectFetchError('parse')(error);
      return;
    }
    assert.equal(items.length, 1);
    assert.ok(!(items[0]?.title ?? '').includes('lollol'));
    assert.ok((items[0]?.title.length ?? 0) < 100);
  });

  it('never resolves external entities (XXE)', () => {
    const text = `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>${tinyRss('<item><title>&xxe;</title><link>https://a.example/1</link></item>')}`;
    try {
      const items = parseFeedDocument(text);
      assert.ok(items.every((item) => !item.title.includes('root:')));
    } catch (error) {
      expectFetchError('parse')(error);
    }
  });

  it('gives items or FetchError parse for truncated XML, never another error', () => {
    const text = '<rss version="2.0"><channel><title>T</title><item><title>Half</title><link>https://a.example/1</li';
    try {
      parseFeedDocument(text);
    } catch (error) {
      expectFetchError('parse')(error);
    }
  });

  it('treats an empty guid as absent and falls back to the link', () => {
    const items = parseFeedDocument(
      tinyRss('<item><title>A</title><link>https://a.example/1</link><guid isPermaLink="false"></guid></item>'),
    );
    assert.equal(items[0]?.guid, undefined);
    assert.equal(items[0]?.url, 'https://a.example/1');
  });

  it('uses a permalink guid as the link when an item has no link', () => {
    const items = parseFeedDocument(tinyRss('<item><title>A</title><guid>https://a.example/p/1</guid></item>'));
    assert.equal(items[0]?.url, 'https://a.example/p/1');
  });

  it('resolves relative links against xml:base, the site link, then the document URL', () => {
    const rss = parseFeedDocument(
      tinyRss(
        '<item><title>A</title><link>/posts/a</link></item><item xml:base="https://other.example/blog/"><title>B</title><link>b.html</link></item>',
      ),
      'https://feeds.example/rss',
    );
    assert.deepEqual(
      rss.map((item) => item.url),
      ['https://site.example/posts/a', 'https://other.example/blog/b.html'],
    );
    const atom = parseFeedDocument(
      '<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://atom.example/base/"><title>F</title><id>f</id>' +
        '<link rel="self" href="/feed.xml"/><entry><title>E</title><id>e1</id><link rel="enclosure" href="/e.mp3"/><link rel="alternate" href="entries/e1"/><updated>2026-08-21T00:00:00Z</updated></entry></feed>',
      'https://elsewhere.example/atom',
    );
    assert.equal(atom[0]?.url, 'https://atom.example/base/entries/e1');
    assert.equal(atom[0]?.contentHtml, undefined);
  });

  it('prefers content:encoded over description and keeps dc:creator and categories', () => {
    const items = parseFeedDocument(
      `<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>T</title>
      <item><title><![CDATA[Caf&eacute; &amp; <b>AI</b>]]></title><link>https://a.example/1</link><description>short</description>
      <content:encoded><![CDATA[<p>long</p>]]></content:encoded><dc:creator>Ada</dc:creator><category>LLM</category>
      <pubDate>Fri, 21 Aug 2026 10:00:00 +0800</pubDate></item></channel></rss>`,
    );
    const item = items[0];
    assert.ok(item);
    assert.equal(item.contentHtml, '<p>long</p>');
    assert.deepEqual(item.authors, ['Ada']);
    assert.deepEqual(item.tags, ['LLM']);
    assert.equal(item.published, 'Fri, 21 Aug 2026 10:00:00 +0800');
  });

  it('keeps items without a title, with an empty title (normalize makes one from the text)', () => {
    const items = parseFeedDocument(
      tinyRss(
        '<item><description>&lt;p&gt;A note without a title&lt;/p&gt;</description><link>https://a.example/n</link></item><item><link>https://a.example/empty</link></item>',
      ),
    );
    assert.deepEqual(
      items.map((item) => [item.title, item.url]),
      [
        ['', 'https://a.example/n'],
        ['', 'https://a.example/empty'],
      ],
    );
  });

  it('returns [] for a valid feed with no items', () => {
    assert.deepEqual(parseFeedDocument(tinyRss('')), []);
  });

  it('repairs bare ampersands only, leaving entity and character references alone', () => {
    assert.equal(
      repairBareAmpersands('Plants & Animals &amp; &#39; &#x2019; &eacute; R&D'),
      'Plants &amp; Animals &amp; &#39; &#x2019; &eacute; R&amp;D',
    );
  });
});

describe('feed: collect', () => {
  it('sends a feed Accept header with conditional GET and returns [] on 304', async () => {
    const requests: Request[] = [];
    const fetch: FetchDocument = async (url, options) => {
      requests.push({ url, options });
      return doc(url, '', true);
    };
    assert.deepEqual(await run(feedConnector, 'https://openai.com/news/rss.xml', {}, fetch), []);
    assert.equal(requests[0]?.options?.accept, FEED_ACCEPT);
    assert.equal(requests[0]?.options?.conditional, true);
  });
});

describe('arxiv', () => {
  it('extracts version-less ids from URLs, OAI guids and old-style ids', () => {
    assert.equal(arxivIdOf('http://arxiv.org/abs/2202.12139v1'), '2202.12139');
    assert.equal(arxivIdOf('https://arxiv.org/abs/2604.21935'), '2604.21935');
    assert.equal(arxivIdOf('oai:arXiv.org:2604.21935v2'), '2604.21935');
    assert.equal(arxivIdOf('http://arxiv.org/abs/cond-mat/0412498v1'), 'cond-mat/0412498');
    assert.equal(arxivIdOf('https://arxiv.org/api/errors#incorrect_id_format_for_abc'), undefined);
  });

  it('tags replaced papers and strips the pre-2024 RSS title suffix', () => {
    const text = `<rss version="2.0"><channel><title>cs.AI</title><link>http://rss.arxiv.org/rss/cs.AI</link>
      <item><title>Old style title. (arXiv:2401.01234v2 [cs.AI] UPDATED)</title><link>https://arxiv.org/abs/2401.01234</link>
      <description>arXiv:2401.01234v2 Announce Type: replace-cross
Abstract: We revise things.</description><guid isPermaLink="false">oai:arXiv.org:2401.01234v2</guid><category>cs.AI</category></item></channel></rss>`;
    const [item] = parseArxivDocument(text);
    assert.equal(item?.title, 'Old style title.');
    assert.equal(item?.contentText, 'We revise things.');
    assert.deepEqual(item?.tags, ['cs.AI', 'announce:replace-cross']);
  });

  it('fetches source.url by default and the export API when a query is set', async () => {
    const requests: Request[] = [];
    const bodies = {
      'https://rss.arxiv.org/rss/cs.AI': realText('arxiv/arxiv-rss_cs.AI_2026-04-27_trimmed.xml'),
      'https://export.arxiv.org/api/query': realText('arxiv/arxiv-api_cs.RO-neural_2025-10-17.xml'),
    };
    const rss = await run(arxivConnector, 'https://rss.arxiv.org/rss/cs.AI', {}, fakeFetch(bodies, requests));
    assert.equal(rss.length, 3);
    const api = await run(
      arxivConnector,
      'https://rss.arxiv.org/rss/cs.AI',
      { query: 'cat:cs.RO AND abs:neural', maxResults: 2 },
      fakeFetch(bodies, requests),
    );
    assert.equal(api.length, 2);
    const apiUrl = new URL(requests[1]?.url ?? '');
    assert.equal(apiUrl.origin + apiUrl.pathname, 'https://export.arxiv.org/api/query');
    assert.equal(apiUrl.searchParams.get('search_query'), 'cat:cs.RO AND abs:neural');
    assert.equal(apiUrl.searchParams.get('max_results'), '2');
    assert.equal(apiUrl.searchParams.get('sortBy'), 'submittedDate');
  });
});

describe('keywords', () => {
  const matches = createKeywordMatcher(DEFAULT_AI_KEYWORDS);

  it('matches whole words, plurals and hyphenated phrases, case-insensitively', () => {
    assert.ok(matches('OpenAI ships a new AI model'));
    assert.ok(matches('How we evaluate LLMs'));
    assert.ok(matches('Machine-learning at scale'));
    assert.ok(matches('Claude 5 system card'));
  });

  it('does not match inside other words', () => {
    assert.ok(!matches('Kaiser said the maiden voyage was fun'));
    assert.ok(!matches('The history of the paperclip'));
    assert.ok(!matches('Reagents in organic chemistry'));
  });

  it('matches Chinese keywords anywhere, and an empty list matches everything', () => {
    assert.ok(createKeywordMatcher(['大模型'])('国产大模型发布'));
    assert.ok(createKeywordMatcher([])('anything at all'));
  });
});

describe('hackernews', () => {
  const algolia = ownFixture('hn-algolia-search_by_date.json');

  it('parses Algolia hits: Ask HN posts link to their HN page and keep their text', () => {
    const items = parseAlgoliaSearch(JSON.parse(algolia));
    assert.equal(items.length, 4);
    const ask = items[1];
    assert.equal(ask?.url, 'https://news.ycombinator.com/item?id=44991234');
    assert.equal(ask?.discussionUrl, 'https://news.ycombinator.com/item?id=44991234');
    assert.match(ask?.contentHtml ?? '', /evals keep drifting/);
    assert.deepEqual(ask?.engagement, { points: 143, comments: 88 });
    assert.equal(ask?.published, '2026-08-21T20:30:00Z');
  });

  it('sends one Algolia request for recent stories above minPoints and filters titles by keyword', async () => {
    const requests: Request[] = [];
    const items = await run(
      hackernewsConnector,
      'https://hn.algolia.com/api/v1/search_by_date',
      { minPoints: 50 },
      fakeFetch({ 'https://hn.algolia.com/api/v1/search_by_date': algolia }, requests),
    );
    assert.equal(requests.length, 1);
    const url = new URL(requests[0]?.url ?? '');
    assert.equal(url.searchParams.get('tags'), 'story');
    const since = Math.floor(NOW.getTime() / 1000) - 36 * 3600;
    assert.equal(url.searchParams.get('numericFilters'), `created_at_i>${since},points>=50`);
    assert.deepEqual(
      items.map((item) => item.externalIds?.hackernews),
      ['44990001', '44991234'],
    );
  });

  it('applies minPoints locally as well', async () => {
    const items = await run(
      hackernewsConnector,
      'https://hn.algolia.com/api/v1/search_by_date',
      { minPoints: 200, keywords: [] },
      fakeFetch({ 'https://hn.algolia.com/api/v1/search_by_date': algolia }),
    );
    assert.deepEqual(
      items.map((item) => item.title),
      ['Claude 5 system card'],
    );
  });

  it('Firebase: fetches topstories then each item; a failed item is a warning', async () => {
    const requests: Request[] = [];
    const warnings: string[] = [];
    const bodies = {
      'https://hacker-news.firebaseio.com/v0/topstories.json': '[34469378, 8863, 99999999]',
      'https://hacker-news.firebaseio.com/v0/item/34469378.json': realText(
        'hackernews/hn-firebase-item-34469378_2023-01.json',
      ),
      'https://hacker-news.firebaseio.com/v0/item/8863.json': realText(
        'hackernews/hn-firebase-item-8863-story_pretty_2014-10.json',
      ),
    };
    const items = await run(
      hackernewsConnector,
      'https://hn.algolia.com/api/v1/search_by_date',
      { api: 'firebase', minPoints: 100, keywords: [], limit: 3 },
      fakeFetch(bodies, requests),
      warnings,
    );
    assert.equal(requests.length, 4);
    assert.deepEqual(
      items.map((item) => item.title),
      ['Paper map sales are booming', 'My YC app: Dropbox - Throw away your USB drive'],
    );
    assert.equal(warnings.length, 1);
    // The default AI keywords keep neither story.
    const filtered = await run(
      hackernewsConnector,
      'https://hn.algolia.com/api/v1/search_by_date',
      { api: 'firebase' },
      fakeFetch(bodies),
    );
    assert.deepEqual(filtered, []);
  });

  it('Firebase: fails when every item request fails', async () => {
    const bodies = { 'https://hacker-news.firebaseio.com/v0/topstories.json': '[1, 2]' };
    await assert.rejects(
      run(hackernewsConnector, 'https://hn.algolia.com/api/v1/search_by_date', { api: 'firebase' }, fakeFetch(bodies)),
      expectFetchError('dns'),
    );
  });
});

describe('huggingface', () => {
  const day21 = realText('huggingface/hf-api-daily_papers_date-2026-08-21.json');
  const day20 = realText('huggingface/hf-api-daily_papers_date-2026-08-20.json');

  it('lists the UTC dates before now', () => {
    assert.deepEqual(previousUtcDates(NOW, 2), ['2026-08-21', '2026-08-20']);
    assert.deepEqual(previousUtcDates(new Date('2026-03-01T00:30:00Z'), 1), ['2026-02-28']);
  });

  it('requests today plus ?date= for each earlier day, merging papers once each', async () => {
    const requests: Request[] = [];
    const bodies = {
      'https://huggingface.co/api/daily_papers': day21,
      'https://huggingface.co/api/daily_papers?date=2026-08-21': day21,
      'https://huggingface.co/api/daily_papers?date=2026-08-20': day20,
    };
    const items = await run(
      huggingfaceConnector,
      'https://huggingface.co/api/daily_papers',
      { type: 'daily-papers' },
      fakeFetch(bodies, requests),
    );
    assert.deepEqual(
      requests.map((r) => r.url),
      [
        'https://huggingface.co/api/daily_papers',
        'https://huggingface.co/api/daily_papers?date=2026-08-21',
        'https://huggingface.co/api/daily_papers?date=2026-08-20',
      ],
    );
    const ids = items.map((item) => item.externalIds?.arxiv);
    assert.equal(new Set(ids).size, ids.length);
    assert.equal(items.length, 17 + 15);
  });

  it('warns about a failed date as long as one request succeeded, fails when all did', async () => {
    const warnings: string[] = [];
    const items = await run(
      huggingfaceConnector,
      'https://huggingface.co/api/daily_papers',
      { type: 'daily-papers', days: 2 },
      fakeFetch({ 'https://huggingface.co/api/daily_papers?date=2026-08-20': day20 }),
      warnings,
    );
    assert.equal(items.length, 15);
    assert.equal(warnings.length, 2);
    await assert.rejects(
      run(huggingfaceConnector, 'https://huggingface.co/api/daily_papers', { type: 'daily-papers' }, fakeFetch({})),
      expectFetchError('dns'),
    );
  });

  it('models: reads an /api/models array; a body that is not JSON is a parse error', async () => {
    const models = JSON.stringify([
      {
        id: 'Qwen/Qwen3.8-27B',
        likes: 11747,
        downloads: 1373584,
        pipeline_tag: 'image-text-to-text',
        createdAt: '2026-08-05T08:22:59.000Z',
        trendingScore: 950,
      },
      { modelId: 'unsloth/Qwen3.8-27B-GGUF', likes: 900, downloads: 50000 },
    ]);
    const url = 'https://huggingface.co/api/models?sort=trendingScore&limit=30';
    const items = await run(huggingfaceConnector, url, { type: 'models' }, fakeFetch({ [url]: models }));
    assert.deepEqual(
      items.map((item) => item.externalIds?.hfModel),
      ['Qwen/Qwen3.8-27B', 'unsloth/Qwen3.8-27B-GGUF'],
    );
    assert.deepEqual(items[0]?.engagement, { likes: 11747, downloads: 1373584 });
    await assert.rejects(
      run(huggingfaceConnector, url, { type: 'models' }, fakeFetch({ [url]: '<html>oops</html>' })),
      expectFetchError('parse'),
    );
  });
});

describe('github', () => {
  const trending = realText('github/github-trending_2023-05.html');

  it('trending: keeps AI repositories only unless aiOnly is false', async () => {
    const bodies = { 'https://github.com/trending': trending };
    const ai = await run(
      githubConnector,
      'https://github.com/trending?since=daily',
      { mode: 'trending' },
      fakeFetch(bodies),
    );
    const all = await run(
      githubConnector,
      'https://github.com/trending?since=daily',
      { mode: 'trending', aiOnly: false },
      fakeFetch(bodies),
    );
    assert.equal(all.length, 25);
    assert.ok(ai.length > 5 && ai.length < 25, `ai-only kept ${ai.length}`);
    const names = ai.map((item) => item.externalIds?.github);
    assert.ok(names.includes('smol-ai/developer'));
    assert.ok(names.includes('microsoft/guidance'));
  });

  it('search: sends the token as a Bearer header only when it is non-empty', async () => {
    const requests: Request[] = [];
    const bodies = {
      'https://api.github.com/search/repositories': realText(
        'github/github-api-search-repositories_q-github-language-python_page1_2014-03-03.json',
      ),
    };
    const items = await run(
      githubConnector,
      'https://api.github.com/search/repositories',
      { mode: 'search', token: '' },
      fakeFetch(bodies, requests),
    );
    assert.equal(items.length, 30);
    assert.equal(requests[0]?.options?.headers?.Authorization, undefined);
    const q = new URL(requests[0]?.url ?? '').searchParams;
    assert.match(q.get('q') ?? '', / created:>2026-08-15$/);
    assert.equal(q.get('sort'), 'stars');
    assert.equal(q.get('order'), 'desc');
    await run(
      githubConnector,
      'https://api.github.com/search/repositories',
      { mode: 'search', token: 'ghp_x' },
      fakeFetch(bodies, requests),
    );
    assert.equal(requests[1]?.options?.headers?.Authorization, 'Bearer ghp_x');
  });
});

describe('reddit', () => {
  it('applies minScore to JSON listings', async () => {
    const url = 'https://www.reddit.com/r/test/new.json';
    const body = realText('reddit/reddit-listing_r-test_new_2020.json');
    const requests: Request[] = [];
    assert.equal((await run(redditConnector, url, { minScore: 0 }, fakeFetch({ [url]: body }, requests))).length, 1);
    assert.equal((await run(redditConnector, url, { minScore: 5 }, fakeFetch({ [url]: body }))).length, 0);
    assert.equal(requests[0]?.options?.accept, 'application/json');
  });

  it('reads RSS/Atom feeds through the feed parser', async () => {
    const url = 'https://www.reddit.com/r/funny/.rss';
    const items = await run(
      redditConnector,
      url,
      {},
      fakeFetch({ [url]: realText('reddit/reddit-frontpage_atom_2016-01-27.xml') }),
    );
    assert.equal(items.length, 25);
    assert.equal(items[0]?.externalIds?.reddit, '42tizy');
  });
});

describe('html', () => {
  const page = ownFixture('html-list-page.html');
  const params = htmlConnector.paramsSchema.parse({
    item: 'article',
    title: 'h3',
    date: 'time',
    dateAttribute: 'datetime',
    summary: 'p',
  });

  it('reads entries with selectors, resolving relative links and skipping linkless and repeated entries', () => {
    const items = parseHtmlList(page, 'https://example.com/news/', params);
    assert.deepEqual(
      items.map((item) => [item.title, item.url, item.published]),
      [
        ['Introducing Model X', 'https://example.com/news/model-release', '2026-08-20T09:00:00Z'],
        ['Safety update', 'https://blog.example.com/posts/safety', '2026-08-18'],
        ['From the archive', 'https://example.com/archive/old-post?ref=list', undefined],
      ],
    );
    assert.equal(items[0]?.contentText, 'A new model for reasoning tasks.');
  });

  it('reads the date text when no attribute is named, and the link text when no title selector is given', () => {
    const items = parseHtmlList(
      page,
      'https://example.com/news/',
      htmlConnector.paramsSchema.parse({ item: 'article', date: 'time' }),
    );
    assert.equal(items[0]?.published, 'Aug 20, 2026');
    assert.equal(items[1]?.title, 'Safety update');
  });

  it('rejects params without an item selector or with an invalid selector', () => {
    assert.equal(htmlConnector.paramsSchema.safeParse({}).success, false);
    assert.equal(htmlConnector.paramsSchema.safeParse({ item: 'article[' }).success, false);
  });
});

describe('keyword filters that know the field', () => {
  it('keeps a Hacker News thread that links to an AI lab or names a model, whatever its words', () => {
    const story = (title: string, url: string): RawItem => ({ title, url, engagement: { points: 800 } });
    const kept = selectStories(
      [
        story('Show HN: It finally works', 'https://huggingface.co/MiniMaxAI/MiniMax-M2.7'),
        story('We rebuilt our product from scratch', 'https://www.anthropic.com/news/claude-design'),
        story('ERNIE-Image is out', 'https://example.com/ernie'),
        story('Ghostty: a fast, GPU-accelerated terminal emulator', 'https://github.com/ghostty-org/ghostty'),
      ],
      { minPoints: 50, keywords: [...DEFAULT_AI_KEYWORDS] },
    );
    assert.deepEqual(
      kept.map((item) => item.url),
      [
        'https://huggingface.co/MiniMaxAI/MiniMax-M2.7',
        'https://www.anthropic.com/news/claude-design',
        'https://example.com/ernie',
      ],
    );
  });

  it('knows the field only for AI keywords', () => {
    const matches = createItemMatcher(['rust']);
    assert.equal(matches({ title: 'It finally works', url: 'https://huggingface.co/a/b' }), false);
    assert.equal(matches({ title: 'Rust 2.0', url: 'https://example.com' }), true);
  });
});
