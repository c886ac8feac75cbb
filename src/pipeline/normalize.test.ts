import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { realDir, realText } from '../../test/support/fixtures.js';
import type { Item, RawItem, SourceConfig } from '../core/types.js';
import { parseFeedDocument } from '../sources/feed.js';
import {
  arxivIdFromUrl,
  canonicalUrl,
  cleanEngagement,
  DERIVED_TITLE_MAX,
  detectLanguage,
  githubRepoFromUrl,
  itemDate,
  itemIdentity,
  MAX_TEXT_CHARS,
  MAX_TITLE_CHARS,
  mergeExternalIds,
  normalizeItem,
  parseDate,
  pipelineItem,
  resolveUrl,
  titleFromText,
  titleText,
  truncate,
  withoutClickTracking,
} from './normalize.js';

const source: SourceConfig = {
  id: 'test-feed',
  name: 'Test Feed',
  kind: 'feed',
  url: 'https://blog.example.com/feed.xml',
  authority: 0.5,
  section: 'llm',
  enabled: true,
  filterTopics: false,
  params: {},
};
const fetchedAt = new Date('2026-08-22T02:00:00Z');
const normalize = (raw: Partial<RawItem>, overrides: Partial<SourceConfig> = {}) =>
  normalizeItem(
    { title: 'A title', url: 'https://blog.example.com/post', ...raw },
    {
      source: { ...source, ...overrides },
      fetchedAt,
    },
  );
const sha = (text: string) => createHash('sha256').update(text).digest('hex');

describe('canonicalUrl', () => {
  it('lower-cases the host, drops default port, fragment and credentials', () => {
    assert.equal(canonicalUrl('HTTPS://Blog.Example.COM:443/Post#comments'), 'https://blog.example.com/Post');
    assert.equal(canonicalUrl('http://user:pw@example.com:80/a'), 'http://example.com/a');
    assert.equal(canonicalUrl('http://example.com:8080/a'), 'http://example.com:8080/a');
  });

  it('drops tracking parameters and sorts the rest', () => {
    assert.equal(
      canonicalUrl(
        'https://example.com/a?utm_source=rss&b=2&utm_medium=feed&a=1&fbclid=x&gclid=y&ref=hn&spm=1.2&from=timeline',
      ),
      'https://example.com/a?a=1&b=2',
    );
    assert.equal(canonicalUrl('https://example.com/a?source=rss&id=5'), 'https://example.com/a?id=5');
    assert.equal(canonicalUrl('https://example.com/a?source=github&id=5'), 'https://example.com/a?id=5&source=github');
    assert.equal(canonicalUrl('https://example.com/?utm_campaign=x'), 'https://example.com/');
  });

  it('strips a trailing slash except on the root', () => {
    assert.equal(canonicalUrl('https://example.com/blog/post/'), 'https://example.com/blog/post');
    assert.equal(canonicalUrl('https://example.com/'), 'https://example.com/');
    assert.equal(canonicalUrl('https://example.com'), 'https://example.com/');
  });

  it('does not upgrade http to https', () => {
    assert.equal(canonicalUrl('http://example.com/a'), 'http://example.com/a');
  });

  it('maps mobile hosts to their desktop twin where it is safe', () => {
    assert.equal(
      canonicalUrl('https://m.youtube.com/watch?v=abc&feature=share'),
      'https://www.youtube.com/watch?v=abc',
    );
    assert.equal(canonicalUrl('https://youtu.be/abc?si=tracking'), 'https://www.youtube.com/watch?v=abc');
    assert.equal(canonicalUrl('https://mobile.twitter.com/user/status/1'), 'https://twitter.com/user/status/1');
    assert.equal(canonicalUrl('https://en.m.wikipedia.org/wiki/GPT-4'), 'https://en.wikipedia.org/wiki/GPT-4');
    assert.equal(
      canonicalUrl('https://old.reddit.com/r/MachineLearning/comments/abc/x/'),
      'https://www.reddit.com/r/MachineLearning/comments/abc/x',
    );
    assert.equal(canonicalUrl('https://m.example.com/a'), 'https://m.example.com/a', 'unknown m. hosts are kept');
  });

  it('maps every arXiv form to https://arxiv.org/abs/<id>', () => {
    for (const url of [
      'https://arxiv.org/abs/2408.12345',
      'http://arxiv.org/abs/2408.12345v2',
      'https://arxiv.org/pdf/2408.12345',
      'https://arxiv.org/pdf/2408.12345v3.pdf',
      'https://arxiv.org/html/2408.12345v1',
      'https://export.arxiv.org/abs/2408.12345',
      'https://www.arxiv.org/abs/2408.12345/',
      'https://arxiv.org/abs/2408.12345?context=cs#x',
    ]) {
      assert.equal(canonicalUrl(url), 'https://arxiv.org/abs/2408.12345', url);
    }
    assert.equal(canonicalUrl('https://arxiv.org/abs/hep-th/9901001v1'), 'https://arxiv.org/abs/hep-th/9901001');
    assert.equal(canonicalUrl('https://arxiv.org/list/cs.AI/recent'), 'https://arxiv.org/list/cs.AI/recent');
  });

  it('case-folds github owner/name and keeps the rest of the path', () => {
    assert.equal(canonicalUrl('https://github.com/OpenAI/Whisper/'), 'https://github.com/openai/whisper');
    assert.equal(canonicalUrl('https://www.github.com/OpenAI/Whisper.git'), 'https://github.com/openai/whisper');
    assert.equal(
      canonicalUrl('https://github.com/OpenAI/Whisper/tree/Main/Docs'),
      'https://github.com/openai/whisper/tree/Main/Docs',
    );
    assert.equal(canonicalUrl('https://github.com/topics/LLM'), 'https://github.com/topics/LLM');
  });

  it('resolves against a base and rejects non-http schemes', () => {
    assert.equal(canonicalUrl('/post/1/', 'https://Blog.example.com/feed.xml'), 'https://blog.example.com/post/1');
    assert.equal(canonicalUrl('javascript:alert(1)'), undefined);
    assert.equal(canonicalUrl('mailto:a@b.c'), undefined);
    assert.equal(canonicalUrl('not a url'), undefined);
  });

  it('an item’s canonical URL and external ids are those of the full parse, plain links included', () => {
    const links = [
      'https://blog.example.com/post',
      'https://blog.example.com/',
      'https://blog.example.com',
      'https://blog.example.com/post/',
      'https://blog.example.com/post//',
      'HTTPS://Blog.Example.com/Post',
      'https://blog.example.com:443/post',
      'http://blog.example.com:8080/post',
      'https://user:pw@blog.example.com/post',
      'https://blog.example.com/post?utm_source=x&b=2&a=1',
      'https://blog.example.com/post?',
      'https://blog.example.com/post#top',
      'https://blog.example.com/post#',
      'https://blog.example.com./post',
      'https://blog.example.com/a/./b/../c',
      'https://blog.example.com/a b/%7e/ü',
      'https://blog.example.com\\post',
      'https://0x7f.1/post',
      'https://[::1]/post',
      'https://m.youtube.com/watch?v=x',
      'https://youtu.be/abc',
      'https://en.m.wikipedia.org/wiki/X',
      'https://github.com/Owner/Repo.git/',
      'https://www.github.com/Owner/Repo',
      'https://GitHub.com/Owner/Repo',
      'https://git%68ub.com/owner/repo',
      'https://ｇｉｔｈｕｂ.com/owner/repo',
      'https://arxiv.org/abs/2408.12345v2',
      'https://arxiv.org/abs/2408.12345',
      'https://arxiv.org/abs/2408.1234',
      'https://export.arxiv.org/pdf/2408.12345',
      'https://huggingface.co/papers/2408.12345',
      'https://doi.org/10.48550/arXiv.2408.12345',
      'https://xn--bcher-kva.example/post',
    ];
    for (const link of links) {
      const href = canonicalUrl(link) === undefined ? undefined : new URL(link).href;
      if (href === undefined) continue;
      const item = normalize({ url: link, guid: undefined });
      assert.equal(item.canonicalUrl, canonicalUrl(href), link);
      assert.equal(item.identity, `url:${canonicalUrl(href)}`, link);
      const expected: Record<string, string> = {};
      const arxiv = arxivIdFromUrl(link);
      const github = githubRepoFromUrl(link);
      if (arxiv) expected.arxiv = arxiv;
      if (github) expected.github = github;
      assert.deepEqual(mergeExternalIds({}, link), expected, link);
    }
  });
});

describe('withoutClickTracking', () => {
  it('drops click and campaign tracking from a link and keeps the rest as written', () => {
    assert.equal(
      withoutClickTracking('https://www.infoq.cn/article/He6bUhlNIuPEa99GGRYC?utm_source=rss&utm_medium=article'),
      'https://www.infoq.cn/article/He6bUhlNIuPEa99GGRYC',
    );
    // Other parameters keep their order and spelling; names a site may use (ref, from, source) stay.
    assert.equal(
      withoutClickTracking('https://e.example/a?b=2&UTM_Source=x&a=1&fbclid=y&ref=hn&from=timeline&source=rss#top'),
      'https://e.example/a?b=2&a=1&ref=hn&from=timeline&source=rss#top',
    );
    assert.equal(withoutClickTracking('https://e.example/a?utm%5Fsource=x&id=3'), 'https://e.example/a?id=3');
    assert.equal(withoutClickTracking('https://e.example/a?gclid=1&&msclkid=2'), 'https://e.example/a');
    // Nothing to drop: the very string back. A "?" inside the fragment is no query.
    for (const url of [
      'https://e.example/a?q=utm_source',
      'https://e.example/a#/x?utm_source=1',
      'https://e.example/',
    ]) {
      assert.equal(withoutClickTracking(url), url);
    }
  });

  it('leaves no tracking parameter in the links of the real captures, and changes nothing else of an item', () => {
    const raws = parseFeedDocument(realText('rss/infoq-cn_2026-09-22_transcribed.xml'));
    assert.ok(raws.some((raw) => String(raw.url).includes('utm_source=')));
    for (const raw of raws) {
      const item = normalizeItem(raw, { source, fetchedAt: new Date('2026-09-23T02:00:00Z') });
      assert.ok(!item.url.includes('utm_'), item.url);
      assert.equal(item.canonicalUrl, canonicalUrl(String(raw.url)));
      assert.equal(item.url, String(raw.url).replace(/\?utm_source=rss&utm_medium=article$/, ''));
    }
  });
});

describe('resolveUrl', () => {
  it('gives what the URL parser gives, also for links it returns as written without a parse', () => {
    const parsed = (url: string, base?: string) => {
      try {
        const href = new URL(url.trim(), base);
        return href.protocol === 'http:' || href.protocol === 'https:' ? href.href : undefined;
      } catch {
        return undefined;
      }
    };
    const hosts = [
      'example.com',
      'a.b-c.org',
      'xn--bcher-kva.example',
      'EXAMPLE.com',
      '1.2.3',
      'x.0x7f',
      'a..b',
      'ex_ample.com',
    ];
    const paths = [
      '/',
      '',
      '/a/b',
      '/./a',
      '/a/..',
      '/a/.',
      '/%2e/x',
      '/a%2Fb',
      '/%zz',
      '/a b',
      "/it's",
      '/x?q=1&r=2',
      "/x?q='",
      '/x#frag',
      '/x#a b',
      '/é',
      '/a\\b',
      '/.well-known/x',
      '/{x}',
      '/x?y#z?w',
    ];
    for (const scheme of ['https://', 'http://', 'HTTPS://', 'ftp://']) {
      for (const host of hosts) {
        for (const port of ['', ':443', ':8080']) {
          for (const path of paths) {
            const url = `${scheme}${host}${port}${path}`;
            for (const base of [undefined, 'https://example.com/feed.xml', 'not a url']) {
              assert.equal(resolveUrl(url, base), parsed(url, base), `${url} (base ${base})`);
            }
          }
        }
      }
    }
    assert.equal(resolveUrl('/relative/path', 'https://example.com/feed.xml'), 'https://example.com/relative/path');
  });

  it('keeps an arXiv abstract page in its canonical form', () => {
    for (const url of [
      'https://arxiv.org/abs/2408.12345',
      'https://arxiv.org/abs/2408.1234',
      'http://arxiv.org/abs/2408.12345v2',
    ]) {
      assert.equal(normalize({ url }).canonicalUrl, canonicalUrl(url), url);
    }
  });
});

describe('arxivIdFromUrl / githubRepoFromUrl', () => {
  it('extracts arXiv ids from arXiv, Hugging Face papers and DOI URLs', () => {
    assert.equal(arxivIdFromUrl('https://arxiv.org/pdf/2501.01234v2.pdf'), '2501.01234');
    assert.equal(arxivIdFromUrl('https://huggingface.co/papers/2501.01234'), '2501.01234');
    assert.equal(arxivIdFromUrl('https://doi.org/10.48550/arXiv.2501.01234'), '2501.01234');
    assert.equal(arxivIdFromUrl('https://arxiv.org/abs/cs.AI/0101001'), 'cs.AI/0101001');
    assert.equal(arxivIdFromUrl('https://example.com/abs/2501.01234'), undefined);
    assert.equal(arxivIdFromUrl('https://huggingface.co/openai/whisper'), undefined);
  });

  it('extracts owner/name from github URLs, not from reserved paths', () => {
    assert.equal(githubRepoFromUrl('https://github.com/Meta-Llama/llama3/blob/main/README.md'), 'meta-llama/llama3');
    assert.equal(githubRepoFromUrl('https://github.com/huggingface/transformers.git'), 'huggingface/transformers');
    assert.equal(githubRepoFromUrl('https://github.com/trending/python'), undefined);
    assert.equal(githubRepoFromUrl('https://github.com/openai'), undefined);
    assert.equal(githubRepoFromUrl('https://gitlab.com/a/b'), undefined);
  });
});

describe('detectLanguage', () => {
  it('recognises Chinese, also with English product names inside', () => {
    assert.equal(detectLanguage('OpenAI 发布 GPT-5，推理能力大幅提升'), 'zh');
    assert.equal(detectLanguage('谷歌发布新一代大模型'), 'zh');
  });

  it('recognises English, also quoting a Chinese name', () => {
    assert.equal(detectLanguage('OpenAI releases a new reasoning model for developers'), 'en');
    assert.equal(
      detectLanguage("Alibaba's 通义千问 Qwen family gets a large update with new reasoning and coding models today"),
      'en',
    );
  });

  it('gives other for Japanese, Korean, Russian, accented Latin and no letters', () => {
    assert.equal(detectLanguage('新しい言語モデルが発表されました'), 'other');
    assert.equal(detectLanguage('새로운 언어 모델이 발표되었습니다'), 'other');
    assert.equal(detectLanguage('Новая языковая модель'), 'other');
    assert.equal(detectLanguage('Übersicht für Käufer: größere Modelle öffentlich verfügbar'), 'other');
    assert.equal(detectLanguage('12345 !!! ---'), 'other');
  });

  it('classifies a character the same each time it is seen, astral ones included', () => {
    for (let run = 0; run < 2; run++) {
      assert.equal(detectLanguage('𠀀𠀁𠀂 模型'), 'zh');
      assert.equal(detectLanguage('Новая языковая модель'), 'other');
      assert.equal(detectLanguage('“Quoted” — a plain English sentence… with punctuation'), 'en');
    }
  });

  it('reads an all-ASCII text (its fast path) as the character loop reads it', () => {
    const digits = '1'.repeat(20_000);
    const samples = ['', 'a', '12345 !!! ---', 'Plain English.\nSecond line', `${digits}a`, `${digits.slice(1)}a`, 'x'];
    for (const text of samples) {
      // '€' is no letter: the text with it counts the same letters, by the loop over every character.
      assert.equal(detectLanguage(text), detectLanguage(`${text}€`), JSON.stringify(text.slice(-20)));
    }
    assert.equal(detectLanguage(`${digits}a`), 'other');
    assert.equal(detectLanguage(`${digits.slice(1)}a`), 'en');
  });
});

describe('parseDate', () => {
  const iso = (raw: string, timezone?: string) => parseDate(raw, timezone)?.date.toISOString();

  it('reads RFC 822 with numeric offsets and zone names', () => {
    assert.deepEqual(parseDate('Tue, 10 Jun 2003 04:00:00 GMT'), {
      date: new Date('2003-06-10T04:00:00Z'),
      offset: 'Z',
    });
    assert.deepEqual(parseDate('Sun, 19 May 2002 15:21:36 EDT'), {
      date: new Date('2002-05-19T19:21:36Z'),
      offset: '-04:00',
    });
    assert.equal(iso('Mon, 27 Apr 2026 00:00:00 -0400'), '2026-04-27T04:00:00.000Z');
    assert.equal(iso('Wed, 02 Oct 2002 08:00:00 PST'), '2002-10-02T16:00:00.000Z');
    assert.equal(iso('02 Oct 2002 13:00 +0100'), '2002-10-02T12:00:00.000Z');
    assert.equal(iso('Wed, 02 Oct 02 08:00:00 +0000'), '2002-10-02T08:00:00.000Z');
    assert.equal(iso('Wed,\n 03 Jan 2018\n 10:00:00 +0000'), '2018-01-03T10:00:00.000Z');
  });

  it('reads "CST" as China Standard Time when the source lives in China', () => {
    assert.equal(iso('Mon, 10 Jan 2020 14:33:00 CST', 'Asia/Shanghai'), '2020-01-10T06:33:00.000Z');
    assert.equal(iso('Mon, 10 Jan 2020 14:33:00 CST'), '2020-01-10T20:33:00.000Z');
  });

  it('reads ISO 8601 and keeps the written offset', () => {
    assert.deepEqual(parseDate('2023-01-25T19:03:02+01:00'), {
      date: new Date('2023-01-25T18:03:02Z'),
      offset: '+01:00',
    });
    assert.deepEqual(parseDate('2026-08-21T10:00:00.123Z'), {
      date: new Date('2026-08-21T10:00:00.123Z'),
      offset: 'Z',
    });
    assert.equal(iso('2026-08-21T10:00:00+0800'), '2026-08-21T02:00:00.000Z');
  });

  it('reads dates without offset as wall-clock time in the given time zone', () => {
    assert.deepEqual(parseDate('2018-09-18 14:38:10', 'Asia/Shanghai'), { date: new Date('2018-09-18T06:38:10Z') });
    assert.equal(iso('2020/1/10 14:33:00', 'Asia/Shanghai'), '2020-01-10T06:33:00.000Z');
    assert.equal(iso('2020/1/10 14:33:00'), '2020-01-10T14:33:00.000Z');
    assert.equal(iso('2023-12-16'), '2023-12-16T00:00:00.000Z');
    assert.equal(iso('2023-12-16', 'Asia/Shanghai'), '2023-12-15T16:00:00.000Z');
    assert.equal(iso('2020年1月10日 14:33', 'Asia/Shanghai'), '2020-01-10T06:33:00.000Z');
    assert.equal(iso('2026-07-01 12:00:00', 'America/New_York'), '2026-07-01T16:00:00.000Z', 'summer time');
    assert.equal(iso('2026-01-01 12:00:00', 'America/New_York'), '2026-01-01T17:00:00.000Z', 'winter time');
  });

  it('reads epoch seconds and milliseconds, and month-first English dates', () => {
    assert.equal(iso('1724227200'), '2024-08-21T08:00:00.000Z');
    assert.equal(iso('1724227200000'), '2024-08-21T08:00:00.000Z');
    assert.equal(iso('August 21, 2024'), '2024-08-21T00:00:00.000Z');
    assert.equal(iso('Aug 21, 2024 3:04 pm'), '2024-08-21T15:04:00.000Z');
  });

  it('reads the common RFC 822 and ISO forms (read without a regex) as the general patterns do', () => {
    // A leading space keeps a date off the fast path (the general path trims it): both must agree.
    const pad = (value: number, width: number) => String(value).padStart(width, '0');
    const cases: string[] = [];
    for (const year of [99, 999, 1000, 2024, 2025, 2100, 9999]) {
      for (const [month, day] of [
        [1, 31],
        [2, 28],
        [2, 29],
        [2, 30],
        [4, 31],
        [12, 0],
        [13, 1],
      ] as const) {
        for (const [hour, minute, second] of [
          [0, 0, 0],
          [23, 59, 59],
          [24, 0, 0],
          [12, 60, 0],
          [12, 30, 60],
        ] as const) {
          const time = `${pad(hour, 2)}:${pad(minute, 2)}:${pad(second, 2)}`;
          const monthName = ['Jan', 'Feb', 'Apr', 'Dec', 'Xyz', 'FEB'][(month + day) % 6] ?? 'Jan';
          for (const zone of ['GMT', 'gmt', '+0000', '-0000', '+0530', '-1400', '+1500', '+0160', 'EDT']) {
            cases.push(`Thu, ${pad(day, 2)} ${monthName} ${pad(year, 4)} ${time} ${zone}`);
          }
          for (const fraction of ['', '.000', '.123', '.999', '.12', '.1234']) {
            for (const zone of ['Z', 'z', '+01:00', '-00:00', '+14:00', '+15:00', '+01:60', '+0100', '']) {
              cases.push(`${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}T${time}${fraction}${zone}`);
            }
          }
        }
      }
    }
    const fetchedAt = new Date(8.64e15);
    for (const raw of cases) {
      assert.deepEqual(parseDate(raw), parseDate(` ${raw}`), raw);
      // The ISO string written without toISOString() for a time in UTC.
      assert.deepEqual(itemDate(raw, fetchedAt, 'UTC'), itemDate(` ${raw}`, fetchedAt, 'UTC'), raw);
    }
    assert.ok(cases.filter((raw) => parseDate(raw) !== undefined).length > 1000);
  });

  it('rejects what it cannot read', () => {
    for (const raw of [
      '',
      'yesterday',
      '2026-13-01',
      '2026-02-30',
      '31 Foo 2026',
      'Mon, 10 Jan 2020 14:33:00 XYZ',
      'x'.repeat(500),
    ]) {
      assert.equal(parseDate(raw), undefined, raw);
    }
  });

  it('parses every date written in the real captures', () => {
    const dates = new Set<string>();
    for (const folder of readdirSync(realDir, { withFileTypes: true })) {
      if (!folder.isDirectory()) continue;
      for (const file of readdirSync(path.join(realDir, folder.name))) {
        const text = readFileSync(path.join(realDir, folder.name, file), 'latin1');
        for (const match of text.matchAll(/<(pubDate|updated|published|dc:date)>\s*([^<]*?)\s*<\//g)) {
          if (match[2]) dates.add(match[2]);
        }
      }
    }
    assert.ok(dates.size > 100);
    const unreadable = [...dates].filter((raw) => parseDate(raw) === undefined);
    assert.deepEqual(unreadable, []);
  });
});

describe('truncate', () => {
  it('cuts on a word boundary with an ellipsis and never splits a surrogate pair', () => {
    assert.equal(truncate('short', 10), 'short');
    assert.equal(truncate('the quick brown fox jumps', 15), 'the quick…');
    assert.equal(truncate('人工智能人工智能人工智能', 5), '人工智能…');
    const cut = truncate('😀'.repeat(10), 6);
    assert.ok(!/[\ud800-\udbff]…$/.test(cut), cut);
    assert.ok(cut.length <= 6);
  });
});

describe('titleText', () => {
  it('sanitises markup, decodes entities, keeps angle brackets that are not HTML', () => {
    assert.equal(titleText('<b>New</b> model &amp; tools'), 'New model & tools');
    assert.equal(titleText('AT&amp;T and a &lt; b'), 'AT&T and a < b');
    assert.equal(titleText('Why List<T> beats a < b'), 'Why List<T> beats a < b');
    assert.equal(titleText('Hi<script>alert(1)</script> there'), 'Hi there');
    assert.equal(titleText('  multi\n line\ttitle  '), 'multi line title');
  });
});

describe('cleanEngagement / mergeExternalIds', () => {
  it('keeps only finite non-negative counters and converts digit strings', () => {
    const engagement = cleanEngagement({
      points: 42,
      comments: '17',
      stars: '1,234',
      likes: -1,
      downloads: Number.NaN,
      upvotes: Number.POSITIVE_INFINITY,
      starsGained: '12abc',
      bogus: 5,
    });
    assert.deepEqual(engagement, { points: 42, comments: 17, stars: 1234 });
    assert.deepEqual(cleanEngagement(null), {});
  });

  it('merges connector ids with ids derived from the URL', () => {
    assert.deepEqual(mergeExternalIds({ hackernews: 123 }, 'https://arxiv.org/abs/2408.12345'), {
      hackernews: '123',
      arxiv: '2408.12345',
    });
    assert.deepEqual(mergeExternalIds({ arxiv: '2408.12345v3', github: 'OpenAI/Whisper' }, 'https://github.com/x/y'), {
      arxiv: '2408.12345',
      github: 'openai/whisper',
    });
    assert.deepEqual(mergeExternalIds({ reddit: 't3_abc' }, 'https://huggingface.co/papers/2501.00001'), {
      reddit: 'abc',
      arxiv: '2501.00001',
    });
    assert.deepEqual(mergeExternalIds({ arxiv: 'not-an-id' }, undefined), {});
    // A canonical arXiv abstract URL fills only a missing arXiv id.
    assert.deepEqual(mergeExternalIds({ arxiv: '2501.00001' }, 'https://arxiv.org/abs/2408.12345'), {
      arxiv: '2501.00001',
    });
    assert.deepEqual(mergeExternalIds({ github: 'a/b' }, 'https://arxiv.org/abs/2408.12345'), {
      github: 'a/b',
      arxiv: '2408.12345',
    });
  });
});

describe('normalizeItem', () => {
  it('builds a complete item', () => {
    const item = normalize({
      guid: ' post-1 ',
      url: '/post/1/?utm_source=rss',
      baseUrl: 'https://blog.example.com/',
      title: 'OpenAI <em>GPT-4.5</em> Turbo',
      contentHtml: '<p>Hello <b>world</b>.</p><script>evil()</script>',
      authors: [' Alice ', 'Bob', 'Alice', ''],
      published: 'Fri, 21 Aug 2026 10:00:00 +0800',
      engagement: { points: 10 },
      tags: ['AI', 'ai', ' LLM '],
      discussionUrl: 'https://news.ycombinator.com/item?id=1',
    });
    assert.equal(item.sourceId, 'test-feed');
    assert.equal(item.guid, 'post-1');
    assert.equal(item.identity, 'guid:post-1');
    assert.equal(item.id, sha('test-feed\nguid:post-1').slice(0, 24));
    assert.equal(item.url, 'https://blog.example.com/post/1/', 'the link keeps no campaign tracking');
    assert.equal(item.canonicalUrl, 'https://blog.example.com/post/1');
    assert.equal(item.title, 'OpenAI GPT-4.5 Turbo');
    assert.equal(item.text, 'Hello world.');
    assert.equal(item.language, 'en');
    assert.equal(item.publishedAt, '2026-08-21T02:00:00.000Z');
    assert.equal(item.publishedOffset, '+08:00');
    assert.equal(item.dateFlag, undefined);
    assert.equal(item.fetchedAt, '2026-08-22T02:00:00.000Z');
    assert.deepEqual(item.authors, ['Alice', 'Bob']);
    assert.deepEqual(item.tags, ['AI', 'LLM']);
    assert.deepEqual(item.engagement, { points: 10 });
    assert.equal(item.discussionUrl, 'https://news.ycombinator.com/item?id=1');
  });

  it('identity falls back to the canonical URL, then to a hash of title and text', () => {
    const byUrl = normalize({ url: 'https://Blog.example.com/p/?fbclid=1' });
    assert.equal(byUrl.identity, 'url:https://blog.example.com/p');
    assert.equal(byUrl.id, sha('test-feed\nurl:https://blog.example.com/p').slice(0, 24));
    const sameUrl = normalize({ url: 'https://blog.example.com/p#top' });
    assert.equal(sameUrl.id, byUrl.id);

    const byHash = normalize({
      url: undefined,
      discussionUrl: 'https://news.ycombinator.com/item?id=9',
      contentText: 'body',
    });
    assert.equal(byHash.identity, `hash:${sha('A title\nbody').slice(0, 32)}`);
    assert.equal(byHash.url, 'https://news.ycombinator.com/item?id=9');
    const otherSource = normalize(
      { url: undefined, discussionUrl: 'https://news.ycombinator.com/item?id=9', contentText: 'body' },
      { id: 'other' },
    );
    assert.notEqual(otherSource.id, byHash.id, 'ids are per source');
  });

  it('uses a permalink guid as the URL when there is no link', () => {
    const item = normalize({ url: undefined, guid: 'https://blog.example.com/p/7' });
    assert.equal(item.url, 'https://blog.example.com/p/7');
    assert.equal(item.identity, 'guid:https://blog.example.com/p/7');
  });

  it('throws for an item with no link or with neither title nor text', () => {
    assert.throws(() => normalize({ url: undefined }), /no http\(s\) link/);
    assert.throws(() => normalize({ url: 'javascript:alert(1)' }), /no http\(s\) link/);
    assert.throws(() => normalize({ title: '  <script>x</script> ' }), /neither a title nor text/);
  });

  it('takes the title from the text when the title is empty', () => {
    const item = normalize({ title: '', contentText: 'First line here\nsecond line' });
    assert.equal(item.title, 'First line here');
  });

  it('flags missing, unparsable, future and absurd dates and uses fetchedAt', () => {
    const cases: [string | undefined, string][] = [
      [undefined, 'missing'],
      ['   ', 'missing'],
      ['not a date', 'unparsable'],
      ['2026-08-22T02:30:00Z', 'future'],
      ['1970-01-01T00:00:00Z', 'absurd'],
      ['1994-12-31', 'absurd'],
    ];
    for (const [published, flag] of cases) {
      const item = normalize({ published });
      assert.equal(item.dateFlag, flag, String(published));
      assert.equal(item.publishedAt, fetchedAt.toISOString());
      assert.equal(item.publishedOffset, undefined);
    }
    const slightlyAhead = normalize({ published: '2026-08-22T02:05:00Z' });
    assert.equal(slightlyAhead.dateFlag, undefined, 'clock skew under 10 minutes is tolerated');
  });

  it('uses the source time zone for dates without offset', () => {
    const item = normalize({ published: '2018-09-18 14:38:10' }, { timezone: 'Asia/Shanghai' });
    assert.equal(item.publishedAt, '2018-09-18T06:38:10.000Z');
    assert.equal(item.publishedOffset, undefined);
  });

  it('caps title, text, authors and tags', () => {
    const item = normalize({
      title: 'word '.repeat(1000),
      contentText: 'x '.repeat(30_000),
      authors: Array.from({ length: 50 }, (_, index) => `Author ${index}`),
      tags: Array.from({ length: 50 }, (_, index) => `tag${index}`),
    });
    assert.ok(item.title.length <= MAX_TITLE_CHARS);
    assert.ok(item.title.endsWith('…'));
    assert.ok(!item.title.includes('wor…'), 'cut on a word boundary');
    assert.ok(item.text.length <= MAX_TEXT_CHARS);
    assert.equal(item.authors.length, 20);
    assert.equal(item.tags.length, 20);
  });

  it('derives external ids from the canonical URL', () => {
    assert.deepEqual(normalize({ url: 'https://arxiv.org/pdf/2408.12345v2' }).externalIds, { arxiv: '2408.12345' });
    assert.equal(
      normalize({ url: 'https://arxiv.org/pdf/2408.12345v2' }).canonicalUrl,
      'https://arxiv.org/abs/2408.12345',
    );
    assert.deepEqual(normalize({ url: 'https://github.com/Foo/Bar' }).externalIds, { github: 'foo/bar' });
  });

  it('detects Chinese items', () => {
    assert.equal(
      normalize({ title: '谷歌发布新一代大模型 Gemini', contentText: '该模型在多项基准测试中表现出色。' }).language,
      'zh',
    );
  });

  it('survives wrongly typed fields from a buggy connector', () => {
    const hostile = {
      title: 'ok',
      url: 'https://blog.example.com/x',
      authors: [1, null, { toString: () => 'x' }, 'Real Name'],
      tags: 'not-an-array',
      engagement: { points: '12', comments: { valueOf: () => 3 } },
      externalIds: { arxiv: 5 },
      published: 12345,
    } as unknown as RawItem;
    const item = normalizeItem(hostile, { source, fetchedAt });
    assert.deepEqual(item.authors, ['Real Name']);
    assert.deepEqual(item.tags, []);
    assert.deepEqual(item.engagement, { points: 12 });
    assert.equal(item.dateFlag, 'missing');
  });
});

describe('titleFromText', () => {
  it('takes the first sentence of the first non-empty line', () => {
    assert.equal(titleFromText('\nWeights released. Details follow.\nSecond line'), 'Weights released.');
    assert.equal(titleFromText('新模型发布。细节稍后公布。'), '新模型发布。');
    assert.equal(titleFromText('Version 2.5 ships today'), 'Version 2.5 ships today');
  });

  it('caps a long sentence on a word boundary with an ellipsis', () => {
    const title = titleFromText(`${'longish words '.repeat(30)}end.`);
    assert.ok(title.length <= DERIVED_TITLE_MAX && title.endsWith('…'), title);
    assert.ok(title.startsWith('longish words longish'));
  });

  it('gives "" for empty text', () => {
    assert.equal(titleFromText(''), '');
  });
});

describe('itemIdentity', () => {
  it('is the guid, with the canonical link only when the guid is reused', () => {
    assert.equal(itemIdentity('g', 'https://x.example/a?utm_source=rss', 't', ''), 'guid:g');
    assert.equal(
      itemIdentity('g', 'https://x.example/a?utm_source=rss', 't', '', true),
      'guid:g url:https://x.example/a',
    );
    assert.equal(itemIdentity(undefined, 'https://x.example/a', 't', ''), 'url:https://x.example/a');
    assert.match(itemIdentity(undefined, undefined, 't', 'x'), /^hash:[0-9a-f]{32}$/);
    assert.notEqual(itemIdentity(undefined, undefined, 't', 'x'), itemIdentity(undefined, undefined, 't', 'y'));
  });
});

describe('pipelineItem', () => {
  const source = { kind: 'feed', name: 'Lab blog', authority: 0.9, section: 'llm' } as const;
  // Required<Item>: a field added to Item does not compile here until the test carries it too.
  // Keys in the order normalizeItem and the store write them: the required ones, then the optional.
  const full: Required<Item> = {
    id: 'i1',
    sourceId: 'lab',
    identity: 'guid:x',
    url: 'https://lab.example/a',
    canonicalUrl: 'https://lab.example/a',
    title: 'A model',
    text: 'A model ships.',
    language: 'en',
    publishedAt: '2026-08-21T10:00:00.000Z',
    fetchedAt: '2026-08-22T02:00:00.000Z',
    authors: ['A'],
    engagement: { points: 3 },
    tags: ['t'],
    externalIds: { arxiv: '2601.00001' },
    guid: 'x',
    publishedOffset: '+08:00',
    dateFlag: 'missing',
    discussionUrl: 'https://news.example/1',
  };

  it('carries every field of the item, then its source, as a spread would', () => {
    const made = pipelineItem(full, source);
    const spread = {
      ...full,
      sourceKind: source.kind,
      sourceName: source.name,
      sourceAuthority: source.authority,
      sourceSection: source.section,
    };
    assert.deepEqual(made, spread);
    // The same key order too: JSON of an item (fingerprints, caches) is unchanged.
    assert.deepEqual(Object.keys(made), Object.keys(spread));
  });

  it('leaves out the optional fields the item lacks', () => {
    const { guid: _g, publishedOffset: _o, dateFlag: _d, discussionUrl: _u, ...plain } = full;
    const made = pipelineItem(plain, source);
    for (const key of ['guid', 'publishedOffset', 'dateFlag', 'discussionUrl']) assert.ok(!(key in made), key);
    assert.deepEqual(Object.keys(made), [
      ...Object.keys(plain),
      'sourceKind',
      'sourceName',
      'sourceAuthority',
      'sourceSection',
    ]);
  });
});
