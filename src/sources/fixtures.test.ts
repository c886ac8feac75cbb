/**
 * Every real capture that some connector requests, parsed by that connector's parser: item
 * counts and a few field values per file. Files no connector requests are listed with the reason.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import iconv from 'iconv-lite';
import { realBytes, realDir, realText } from '../../test/support/fixtures.js';
import { FetchError } from '../core/errors.js';
import type { RawItem } from '../core/types.js';
import { parseArxivDocument } from './arxiv.js';
import { parseFeedDocument } from './feed.js';
import { parseGithubSearch, parseTrendingPage } from './github.js';
import { parseFirebaseIds, parseFirebaseItem } from './hackernews.js';
import { parseDailyPapers, parseHfModels } from './huggingface.js';
import { parseRedditDocument } from './reddit.js';

/**
 * Decodes a capture with the encoding its XML declaration names (UTF-8 when none). In production
 * the fetcher does charset detection; here the test does it so that the parsers see real text.
 */
export function decodeForTest(bytes: Buffer): string {
  const head = bytes.subarray(0, 512).toString('latin1');
  const declared = /<\?xml[^>]*encoding\s*=\s*["']([\w.:-]+)["']/i.exec(head)?.[1]?.toLowerCase() ?? 'utf-8';
  // WHATWG decodes the gb2312 label as GBK; gb18030 is its superset.
  const encoding = declared === 'gb2312' || declared === 'gbk' ? 'gb18030' : declared;
  assert.ok(iconv.encodingExists(encoding), `unknown encoding ${encoding}`);
  return iconv.decode(bytes, encoding);
}

/** Every file under fixtures/real that a test below parses (collected as the tables are built). */
const covered = new Set<string>();
const use = (file: string) => {
  covered.add(file);
  return file;
};

/** Captures no connector requests, with the reason they are left out. */
const LEFT_OUT: Record<string, string> = {
  'hackernews/hn-firebase-maxitem_2014-10-08.json': 'maxitem.json is never requested (topstories is)',
  'hackernews/hn-firebase-updates_pretty_2014-10-08.json': 'updates.json is never requested (topstories is)',
  'reddit/reddit-comments_post-with-replies_r-test_2020.json': 'comment threads are never requested, only listings',
  'github/github-trending-developers_2022-04.html':
    'the developers page is not requested; a test below shows it yields no repositories',
};
/** Whole folders no connector requests: other projects' digests, not source responses. */
const LEFT_OUT_FOLDERS: Record<string, string> = {
  digest: "third-party digests (other projects' outputs), not responses of any source we request",
};

interface FeedCase {
  file: string;
  count: number;
  title: string;
  url?: string;
  published?: string;
  check?: (items: RawItem[]) => void;
}

function first(items: RawItem[]): RawItem {
  const item = items[0];
  assert.ok(item, 'no items');
  return item;
}

const FEEDS: FeedCase[] = [
  {
    file: 'rss/anthropic-news_scraped-by-olshansk_2026-08-22.xml',
    count: 255,
    title: 'How Claude’s text watermark works',
    url: 'https://www.anthropic.com/news/claude-text-watermark',
    published: 'Fri, 14 Aug 2026 00:00:00 +0000',
  },
  {
    file: 'rss/bair-blog_2026-04_trimmed.xml',
    count: 3,
    title: 'Gradient-based Planning for World Models at Longer Horizons',
    url: 'http://bair.berkeley.edu/blog/2026/04/20/grasp/',
    published: 'Mon, 20 Apr 2026 02:00:00 -0700',
  },
  {
    file: 'rss/biorxiv-genomics_rss1.0-rdf_2023-12_trimmed.xml',
    count: 1,
    title:
      'Complete genome of the Medicago anthracnose fungus, Colletotrichum destructivum, reveals a mini-chromosome-like region within a core chromosome.',
    url: 'http://biorxiv.org/cgi/content/short/2023.12.16.571984v1?rss=1',
    published: '2023-12-16',
  },
  {
    file: 'rss/cloudflare-blog_2021-10_trimmed.xml',
    count: 1,
    title: 'Privacy-Preserving Compromised Credential Checking',
    url: 'https://blog.cloudflare.com/privacy-preserving-compromised-credential-checking/',
    published: 'Thu, 14 Oct 2021 12:59:53 GMT',
    check: (items) => {
      assert.deepEqual(first(items).authors, ['Luke Valenta']);
      assert.match(first(items).contentHtml ?? '', /<figure/);
    },
  },
  {
    file: 'rss/deeplearning-ai-the-batch_scraped-by-olshansk_2026-06-04.xml',
    count: 372,
    title: 'Gemini Flash Gets Pricey, AI Act Delays, Agents Drive Online Traffic',
    url: 'https://www.deeplearning.ai/the-batch/issue-355',
  },
  {
    file: 'rss/donthitsave_utf8-bom_2019-05.xml',
    count: 10,
    title: 'Skipping Around',
    url: 'https://donthitsave.com/comic/2019/05/24/skipping-around',
  },
  {
    file: 'rss/golem-de_rss1.0-rdf_iso-8859-1_2023-01_trimmed.xml',
    count: 1,
    title: 'Digitalministerium: Neue Glasfaserförderung mit Schnellkasse',
    published: '2023-01-25T19:03:02+01:00',
    check: (items) => assert.deepEqual(first(items).authors, ['Achim Sawall']),
  },
  {
    file: 'rss/google-blog-ai_2025-07-26.xml',
    count: 20,
    title: 'Web Guide: An experimental AI-organized search results page',
    url: 'https://blog.google/products/search/web-guide-labs/',
  },
  {
    file: 'rss/google-blog-ai_2026-08-19_trimmed.xml',
    count: 6,
    title: '5 new ways to level up your learning with Search',
    published: 'Wed, 19 Aug 2026 19:00:00 +0000',
  },
  {
    file: 'rss/google-cloud-blog_2019-09.xml',
    count: 20,
    title: 'Want to keep your employees productive? Pay attention to shadow IT clues',
    published: 'Tue, 03 Sep 2019 18:00:00 -0000',
  },
  {
    file: 'rss/google-deepmind-blog_2025-07-26.xml',
    count: 100,
    title: 'Aeneas transforms how historians connect the past',
    url: 'https://deepmind.google/discover/blog/aeneas-transforms-how-historians-connect-the-past/',
  },
  {
    file: 'rss/google-deepmind-news_2026-04-27_trimmed.xml',
    count: 3,
    title: 'Announcing our partnership with the Republic of Korea',
    published: 'Mon, 27 Apr 2026 07:00:06 +0000',
  },
  {
    file: 'rss/huggingface-blog_2026-04-27_trimmed.xml',
    count: 3,
    title: "How to build scalable web apps with OpenAI's Privacy Filter",
    url: 'https://huggingface.co/blog/openai-privacy-filter-web-apps',
    check: (items) => assert.ok(items.every((item) => item.contentHtml === undefined)),
  },
  {
    file: 'rss/huggingface-blog_2026-08-20_trimmed.xml',
    count: 6,
    title: 'Up to 3.2x Faster Inference with LFM2.5-DSpark',
    url: 'https://huggingface.co/blog/LiquidAI/lfm25-dspark',
    published: 'Thu, 20 Aug 2026 16:52:57 GMT',
  },
  {
    file: 'rss/hunch-net-machine-learning-theory_2009-01.xml',
    count: 10,
    title: 'Nearly all natural problems require nonlinearity',
    url: 'http://hunch.net/?p=524',
    check: (items) => assert.deepEqual(first(items).tags, ['Machine Learning', 'Supervised']),
  },
  {
    file: 'rss/infoq-cn_2026-09-22_transcribed.xml',
    count: 20,
    title: 'Meta 开源 Astryx：面向 Agent 的 React 设计系统',
    published: 'Tue, 22 Sep 2026 15:12:00 GMT',
  },
  {
    file: 'rss/insanity-industries_xml-base-relative_2021-03_trimmed.xml',
    count: 2,
    title: 'Pareto-optimal compression',
    url: 'https://insanity.industries/post/pareto-optimal-compression/',
    check: (items) => {
      // Each item's xml:base becomes its base for relative links in the content.
      assert.equal(items[1]?.baseUrl, 'https://insanity.industries/post/pacman-tracking-leftover-packages/');
      assert.deepEqual(first(items).authors, ['Jonas Große Sundrup']);
    },
  },
  {
    file: 'rss/jn-pt-news_iso-8859-1_2018-01-03.xml',
    count: 40,
    title: 'Mãe de utente é a nova presidente da Raríssimas',
    published: 'Wed, 03 Jan 2018 13:47:00 GMT',
  },
  {
    file: 'rss/kc0011-forum-zh_gb2312_2020-01.xml',
    count: 20,
    title: '建国35周年纪念，华表，和平鸽',
    url: 'http://www.kc0011.net/dispbbs.asp?BoardID=10&ID=25164257&Page=1',
    published: '2020/1/10 14:33:00',
  },
  {
    file: 'rss/lilianweng-lillog_2026-07_trimmed.xml',
    count: 4,
    title: 'Harness Engineering for Self-Improvement',
    published: 'Sat, 04 Jul 2026 00:00:00 +0000',
  },
  {
    file: 'rss/macworld_leading-whitespace-no-xmldecl_2017-11.xml',
    count: 30,
    title: 'Best smart lock',
    url: 'https://www.techhive.com/article/3212828/connected-home/best-smart-lock.html#tk.rss_all',
  },
  {
    file: 'rss/meta-ai-blog_scraped-by-olshansk_2026-08-22.xml',
    count: 88,
    title:
      'Reimagining Independence: How Meta’s AI Models Are Helping the University of Pittsburgh Transform Assistive Robotics',
  },
  {
    file: 'rss/meta-engineering-ai-research_2026-02_trimmed.xml',
    count: 3,
    title: 'RCCLX: Innovating GPU Communications on AMD Platforms',
    published: 'Tue, 24 Feb 2026 21:30:54 +0000',
  },
  {
    file: 'rss/microsoft-ai-blog_2025-07-28.xml',
    count: 10,
    title: 'Driving the grid of the future: How Microsoft and our partners are reenvisioning energy with AI',
    published: 'Mon, 28 Jul 2025 15:00:00 +0000',
    check: (items) => {
      // <guid isPermaLink="false"></guid>: an empty guid is no guid, so identity falls back to the link.
      assert.ok(items.every((item) => item.guid === undefined && item.url));
      // content:encoded wins over description.
      assert.match(first(items).contentHtml ?? '', /^<h2 class="wp-block-heading"/);
      assert.deepEqual(first(items).authors, ['ceprodblogsupp']);
    },
  },
  {
    file: 'rss/openai-news_2025-07-28.xml',
    count: 599,
    title: 'Resolving digital threats 100x faster with OpenAI',
    url: 'https://openai.com/index/outtake',
    check: (items) => assert.equal(items.filter((item) => item.contentHtml === undefined).length, 74),
  },
  {
    file: 'rss/openai-news_2026-04-27_trimmed.xml',
    count: 3,
    title: 'The next phase of the Microsoft OpenAI partnership',
    published: 'Mon, 27 Apr 2026 06:00:00 GMT',
  },
  {
    file: 'rss/openai-news_2026-08-20_trimmed.xml',
    count: 6,
    title: 'Introducing AI Futures',
    url: 'https://openai.com/index/introducing-ai-futures',
    published: 'Thu, 20 Aug 2026 07:00:00 GMT',
    check: (items) => assert.deepEqual(first(items).tags, ['AI Futures']),
  },
  {
    file: 'rss/openai-research_scraped-by-olshansk_2026-08-22.xml',
    count: 194,
    title: 'How enabling two settings tripled our scores on the ARC-AGI-3 benchmark',
    check: (items) => assert.ok(items.every((item) => item.guid === undefined && item.url?.startsWith('https://'))),
  },
  {
    file: 'rss/qbitai-zh_2026-09-22_transcribed.xml',
    count: 10,
    title: '阿里研究员透露Qwen4.5后模型将扩展至5-10T参数',
    url: 'https://www.qbitai.com/2026/09/493629.html',
    check: (items) => assert.deepEqual(first(items).tags, ['资讯', '阿里巴巴']),
  },
  {
    file: 'rss/qq-news-china_gb2312_2018-09-18.xml',
    count: 20,
    title: '习近平为何如此强调崇尚英雄？',
    url: 'http://news.qq.com/a/20180918/009846.htm',
    published: '2018-09-18 14:38:10',
  },
  {
    file: 'rss/qq-tech-internet_gb2312_2018-09-19.xml',
    count: 1,
    title: '拟298亿元重组盛大游戏后 世纪华通发20亿回购预案',
    url: 'http://tech.qq.com/a/20180919/009008.htm',
  },
  {
    file: 'rss/the-gradient_2026-04_trimmed.xml',
    count: 3,
    title: 'After Orthogonality: Virtue-Ethical Agency and AI Alignment',
    url: 'https://thegradient.pub/virtue-ethics-ai-alignment/',
  },
  {
    file: 'rss/vector-institute_2026-04_trimmed.xml',
    count: 3,
    title: 'Vector researchers advance representation learning and deep learning research at ICLR 2026',
  },
  {
    file: 'atom/aibase-daily-zh_scraped-by-ai-news-direct_2026-04-30.xml',
    count: 20,
    title: 'AI日报：DeepSeek识图模式灰测；小红书成立AI一级部门；阿里发布程序员“数字分身”QoderWake',
    url: 'https://news.aibase.com/zh/daily/27658',
    published: '2026-04-30T13:03:03.802837+00:00',
  },
  {
    file: 'atom/anthropic-news_scraped-by-ai-news-direct_2026-04-30.xml',
    count: 13,
    title: 'Claude for Creative Work',
    url: 'https://www.anthropic.com/news/claude-for-creative-work',
    published: '2026-04-28T00:00:00+00:00',
    check: (items) => {
      assert.ok(items.every((item) => item.contentHtml === undefined && item.contentText === undefined));
      assert.ok(items.some((item) => item.title.includes('Australia & New Zealand')));
    },
  },
  {
    file: 'atom/heise-developer_2016-02-01.xml',
    count: 15,
    title: 'Java-Anwendungsserver: Red Hat gibt WildFly 10 frei',
    published: '2016-02-01T17:22:00+01:00',
  },
  {
    file: 'atom/hexo-blog-zh_relative-self-link_2020-02.xml',
    count: 3,
    title: 'REPL技术分析——Python的交互式',
    url: 'https://chinomars.github.io/2020/02/12/REPL%E6%8A%80%E6%9C%AF%E5%88%86%E6%9E%90%E2%80%94%E2%80%94Python%E7%9A%84%E4%BA%A4%E4%BA%92%E5%BC%8F/',
    published: '2020-02-11T16:20:11.000Z',
    // The relative self link "/atom.xml" is not used as a base; the site link is.
    check: (items) => assert.equal(first(items).baseUrl, 'https://chinomars.github.io/'),
  },
  {
    file: 'atom/theverge-ai_2026-08-20_trimmed.xml',
    count: 4,
    title: 'Google Discover is getting an AI chatbot-tuned feed',
    url: 'https://www.theverge.com/tech/983088/google-discover-ai-chatbot-feed',
    published: '2026-08-20T17:50:22-04:00',
    check: (items) => {
      assert.equal(items[1]?.title, 'It’s Greg Brockman’s OpenAI now');
      assert.deepEqual(first(items).authors, ['Emma Roth']);
      assert.deepEqual(first(items).tags, ['AI', 'Apps', 'Google', 'News', 'Tech']);
    },
  },
  {
    file: 'other/jsonfeed-v1_inessential.com_2017.json',
    count: 20,
    title: 'James Dempsey and the Breakpoints Benefit App Camp for Girls',
    url: 'http://inessential.com/2017/06/02/james_dempsey_and_the_breakpoints_benefi',
    published: '2017-06-02T22:05:47-07:00',
    check: (items) => assert.match(first(items).contentHtml ?? '', /^<p>On Wednesday night/),
  },
];

function assertFeedCase(items: RawItem[], expected: FeedCase): void {
  assert.equal(items.length, expected.count);
  const item = first(items);
  assert.equal(item.title, expected.title);
  if (expected.url !== undefined) assert.equal(item.url, expected.url);
  if (expected.published !== undefined) assert.equal(item.published, expected.published);
  for (const each of items) {
    assert.ok(each.title.length > 0);
    assert.ok(each.url || each.guid);
    assert.ok(!/\uFFFD/.test(each.title), `replacement character in ${each.title}`);
  }
  expected.check?.(items);
}

describe('feed captures (parseFeedDocument)', () => {
  for (const expected of FEEDS) {
    it(use(expected.file), () => {
      const items = parseFeedDocument(decodeForTest(realBytes(expected.file)), 'https://feeds.example.org/feed.xml');
      assertFeedCase(items, expected);
    });
  }

  /** Items, or a FetchError of kind 'parse': any other outcome is a bug. */
  function itemsOrParseError(text: string): RawItem[] | FetchError {
    try {
      return parseFeedDocument(text);
    } catch (error) {
      assert.ok(error instanceof FetchError, `not a FetchError: ${String(error)}`);
      assert.equal(error.kind, 'parse');
      return error;
    }
  }

  it(use('rss/physorg-sci-tech_2021-07.xml'), () => {
    // Malformed: a bare "&" in <category>Plants & Animals</category>.
    const result = itemsOrParseError(realText('rss/physorg-sci-tech_2021-07.xml'));
    assert.ok(Array.isArray(result), 'expected the items to be recovered');
    assert.equal(result.length, 30);
    assert.equal(first(result).title, 'SuperBIT: A low-cost, balloon-borne telescope to rival Hubble');
    assert.equal(first(result).published, 'Tue, 20 Jul 2021 19:00:03 EDT');
    assert.deepEqual(result[2]?.tags, ['Plants & Animals']);
  });

  it(use('rss/techcrunch-feedburner_2011-11-02.xml'), () => {
    // Malformed for strict parsers: a newline before the XML declaration.
    const result = itemsOrParseError(realText('rss/techcrunch-feedburner_2011-11-02.xml'));
    assert.ok(Array.isArray(result), 'expected the items to be recovered');
    assert.equal(result.length, 20);
    assert.equal(
      first(result).title,
      'Angie’s List Sets Price Range IPO At $11 To $13 Per Share; Valued At Over $600M',
    );
    assert.equal(first(result).url, 'http://feedproxy.google.com/~r/Techcrunch/~3/kTeeGj4FnwU/');
    assert.deepEqual(first(result).authors, ['Leena Rao']);
  });
});

describe('arXiv captures (parseArxivDocument)', () => {
  const unwrap = (file: string) => JSON.parse(realText(file)) as { url: string; status_code: number; body: string };

  const cases: { file: string; count: number; id?: string; title?: string; published?: string; tags?: string[] }[] = [
    {
      file: 'arxiv/arxiv-api_classic_au-del_maestro_2016-10-09.xml',
      count: 10,
      id: '1201.4869',
      title: 'A Luttinger Liquid Core Inside Helium-4 Filled Nanopores',
      published: '2012-01-23T21:15:02Z',
      tags: ['cond-mat.mes-hall', 'cond-mat.other'],
    },
    {
      file: 'arxiv/arxiv-api_cs.RO-neural_2025-10-17.xml',
      count: 2,
      id: '2510.14968',
      // The multi-line title is joined into one line.
      title: 'RDD: Retrieval-Based Demonstration Decomposer for Planner Alignment in Long-Horizon Tasks',
      published: '2025-10-16T17:59:37Z',
    },
    {
      file: 'arxiv/arxiv-api_id_list-1601.00001_2020-09-04.xml',
      count: 1,
      id: '1601.00001',
      title: 'Inelastic effects in molecular transport junctions: The probe technique at high bias',
    },
    {
      file: 'arxiv/arxiv-api_new-format_q-all-testing_max100_2026-04-12.xml',
      count: 100,
      id: '2202.12139',
      title: 'Testing Deep Learning Models: A First Comparative Study of Multiple Testing Techniques',
      published: '2022-02-24T15:05:19Z',
      tags: ['cs.SE', 'cs.LG'],
    },
    {
      file: 'arxiv/arxiv-rss_cs.AI_2026-04-27_trimmed.xml',
      count: 3,
      id: '2604.21935',
      title: 'Math Takes Two: A test for emergent mathematical reasoning in communication',
      published: 'Mon, 27 Apr 2026 00:00:00 -0400',
      tags: ['cs.AI', 'cs.LG'],
    },
    {
      file: 'arxiv/arxiv-rss_cs.CL_2026-04-27_trimmed.xml',
      count: 3,
      id: '2604.22002',
      title:
        'When Cow Urine Cures Constipation on YouTube: Limits of LLMs in Detecting Culture-specific Health Misinformation',
    },
    {
      file: 'arxiv/arxiv-rss_cs.LG_2026-04-27_trimmed.xml',
      count: 3,
      id: '2604.21952',
      title: 'Focus Session: Hardware and Software Techniques for Accelerating Multimodal Foundation Models',
    },
    { file: 'arxiv/arxiv-rss_cs_empty-weekend_2026-03-29.xml', count: 0 },
  ];

  for (const expected of cases) {
    it(use(expected.file), () => {
      const items = parseArxivDocument(realText(expected.file));
      assert.equal(items.length, expected.count);
      if (expected.count === 0) return;
      const item = first(items);
      assert.equal(item.externalIds?.arxiv, expected.id);
      assert.equal(item.url, `https://arxiv.org/abs/${expected.id}`);
      if (expected.title) assert.equal(item.title, expected.title);
      if (expected.published) assert.equal(item.published, expected.published);
      if (expected.tags) assert.deepEqual(item.tags, expected.tags);
      for (const each of items) {
        // New-style ids (2202.12139) and old-style ones (cond-mat/0412498), never with a version.
        assert.match(each.externalIds?.arxiv ?? '', /^(?:\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?\/\d{7})$/);
        assert.ok((each.contentText ?? '').length > 50);
        assert.doesNotMatch(each.contentText ?? '', /Announce Type|^Abstract:/);
        assert.ok((each.authors ?? []).length > 0);
      }
    });
  }

  it('RSS: the abstract has no "arXiv:… Announce Type: … Abstract:" prefix and authors are split', () => {
    const item = first(parseArxivDocument(realText('arxiv/arxiv-rss_cs.AI_2026-04-27_trimmed.xml')));
    assert.match(item.contentText ?? '', /^Although language models demonstrate remarkable proficiency/);
    assert.deepEqual(item.authors, ['Michael Cooper', 'Samuel Cooper']);
  });

  it(use('arxiv/arxiv-api_recording-wrapper_q-testing_max10_2026-04-12.json'), () => {
    const recording = unwrap('arxiv/arxiv-api_recording-wrapper_q-testing_max10_2026-04-12.json');
    const items = parseArxivDocument(recording.body, recording.url);
    assert.equal(items.length, 10);
    assert.equal(first(items).externalIds?.arxiv, '2202.12139');
  });

  it(use('arxiv/arxiv-api_recording-wrapper_zero-results_2026-04-12.json'), () => {
    const recording = unwrap('arxiv/arxiv-api_recording-wrapper_zero-results_2026-04-12.json');
    assert.deepEqual(parseArxivDocument(recording.body, recording.url), []);
  });

  it(use('arxiv/arxiv-api_recording-wrapper_error-400-bad-id_2026-04-12.json'), () => {
    const recording = unwrap('arxiv/arxiv-api_recording-wrapper_error-400-bad-id_2026-04-12.json');
    assert.throws(
      () => parseArxivDocument(recording.body, recording.url),
      (error: unknown) =>
        error instanceof FetchError &&
        error.kind === 'parse' &&
        error.message.includes('incorrect id format for abc') &&
        error.url === recording.url,
    );
  });
});

describe('GitHub captures', () => {
  const trending: { file: string; count: number; first: string; stars: number; gained: number; language: string }[] = [
    {
      file: 'github/github-trending_2020-02.html',
      count: 25,
      first: 'domlysz/BlenderGIS',
      stars: 1096,
      gained: 107,
      language: 'Python',
    },
    {
      file: 'github/github-trending_2022-04.html',
      count: 25,
      first: 'BoomingTech/Pilot',
      stars: 1553,
      gained: 190,
      language: 'C++',
    },
    {
      file: 'github/github-trending_2023-05.html',
      count: 25,
      first: 'smol-ai/developer',
      stars: 5096,
      gained: 1582,
      language: 'Python',
    },
    {
      file: 'github/github-trending_relativepaths_2018-11.html',
      count: 2,
      first: 'campoy/go-tooling-workshop',
      stars: 553,
      gained: 164,
      language: 'Go',
    },
  ];
  for (const expected of trending) {
    it(use(expected.file), () => {
      const items = parseTrendingPage(realText(expected.file));
      assert.equal(items.length, expected.count);
      const item = first(items);
      assert.equal(item.title, expected.first);
      assert.equal(item.url, `https://github.com/${expected.first}`);
      assert.equal(item.externalIds?.github, expected.first.toLowerCase());
      assert.deepEqual(item.engagement, { stars: expected.stars, starsGained: expected.gained });
      assert.deepEqual(item.tags, [expected.language]);
      assert.ok(items.every((each) => /^[\w.-]+\/[\w.-]+$/.test(each.externalIds?.github ?? '')));
    });
  }

  it('github/github-trending-developers_2022-04.html (a different page) yields no repositories', () => {
    assert.deepEqual(parseTrendingPage(realText('github/github-trending-developers_2022-04.html')), []);
  });

  it(use('github/github-api-search-repositories_q-github-language-python_page1_2014-03-03.json'), () => {
    const items = parseGithubSearch(
      JSON.parse(realText('github/github-api-search-repositories_q-github-language-python_page1_2014-03-03.json')),
    );
    assert.equal(items.length, 30);
    const item = first(items);
    assert.equal(item.title, 'kennethreitz/legit');
    assert.equal(item.externalIds?.github, 'kennethreitz/legit');
    assert.equal(item.engagement?.stars, 3036);
    assert.equal(item.published, '2011-06-25T05:58:18Z');
    assert.equal(item.contentText, 'Git for Humans, Inspired by GitHub for Mac™.');
  });

  /** PyGithub ReplayData: 10 lines per request (the 10th is the JSON body), then a blank line. */
  function replayBodies(file: string): unknown[] {
    const lines = realText(file).split('\n');
    const bodies: unknown[] = [];
    for (let start = 0; start + 9 < lines.length; start += 11) bodies.push(JSON.parse(lines[start + 9] ?? ''));
    return bodies;
  }

  it(use('github/github-api-search-repositories_pygithub-replay_2014-03.txt'), () => {
    const pages = replayBodies('github/github-api-search-repositories_pygithub-replay_2014-03.txt').map((body) =>
      parseGithubSearch(body),
    );
    assert.deepEqual(
      pages.map((page) => page.length),
      [30, 30],
    );
    assert.equal(first(pages[0] ?? []).title, 'kennethreitz/legit');
    assert.match(first(pages[1] ?? []).title, /\/Github-Auto-Deploy$/);
  });

  it(use('github/github-api-search-repositories_no-results_pygithub-replay_2018-11.txt'), () => {
    const bodies = replayBodies('github/github-api-search-repositories_no-results_pygithub-replay_2018-11.txt');
    assert.equal(bodies.length, 1);
    assert.deepEqual(parseGithubSearch(bodies[0]), []);
  });
});

describe('Hacker News captures (Firebase)', () => {
  it(use('hackernews/hn-firebase-topstories_2023-01_trimmed.json'), () => {
    const ids = parseFirebaseIds(JSON.parse(realText('hackernews/hn-firebase-topstories_2023-01_trimmed.json')));
    assert.equal(ids.length, 9);
    assert.equal(ids[0], 34493929);
  });

  it(use('hackernews/hn-firebase-topstories_pretty_2014-10-08.json'), () => {
    const ids = parseFirebaseIds(JSON.parse(realText('hackernews/hn-firebase-topstories_pretty_2014-10-08.json')));
    assert.equal(ids.length, 100);
    assert.equal(ids[0], 8422599);
  });

  it(use('hackernews/hn-firebase-item-34469378_2023-01.json'), () => {
    const item = parseFirebaseItem(JSON.parse(realText('hackernews/hn-firebase-item-34469378_2023-01.json')));
    assert.ok(item);
    assert.equal(item.title, 'Paper map sales are booming');
    assert.equal(item.url, 'https://www.wsj.com/articles/why-paper-map-sales-are-booming-11674164824');
    assert.equal(item.discussionUrl, 'https://news.ycombinator.com/item?id=34469378');
    assert.equal(item.published, '2023-01-21T19:23:17.000Z');
    assert.deepEqual(item.engagement, { points: 117, comments: 174 });
    assert.equal(item.externalIds?.hackernews, '34469378');
  });

  it(use('hackernews/hn-firebase-item-8863-story_pretty_2014-10.json'), () => {
    const item = parseFirebaseItem(JSON.parse(realText('hackernews/hn-firebase-item-8863-story_pretty_2014-10.json')));
    assert.ok(item);
    assert.equal(item.title, 'My YC app: Dropbox - Throw away your USB drive');
    assert.equal(item.published, '2007-04-04T19:16:40.000Z');
    assert.deepEqual(item.engagement, { points: 111 });
    assert.deepEqual(item.authors, ['dhouston']);
  });

  it(use('hackernews/hn-firebase-item-8952-comment_pretty_2014-10.json'), () => {
    // A comment is not a story.
    assert.equal(
      parseFirebaseItem(JSON.parse(realText('hackernews/hn-firebase-item-8952-comment_pretty_2014-10.json'))),
      undefined,
    );
  });
});

describe('Hugging Face captures', () => {
  const papers: { file: string; count: number; id: string; title: string; published: string; upvotes: number }[] = [
    {
      file: 'huggingface/hf-api-daily_papers_date-2024-06-14.json',
      count: 28,
      id: '2406.09414',
      title: 'Depth Anything V2',
      published: '2024-06-14T00:20:32.674Z',
      upvotes: 45,
    },
    {
      file: 'huggingface/hf-api-daily_papers_date-2025-06-16.json',
      count: 9,
      id: '2506.11924',
      title: 'Aligned Novel View Image and Geometry Synthesis via Cross-modal Attention Instillation',
      // submittedOnDailyAt: the day it was on the daily list, not the arXiv date.
      published: '2025-06-16T04:13:42.201Z',
      upvotes: 20,
    },
    {
      file: 'huggingface/hf-api-daily_papers_date-2026-08-20.json',
      count: 15,
      id: '2608.16590',
      title: 'Zetta ζ: An Efficient Closed-Loop Embodied Harness for Self-Evolving Physical Intelligence',
      published: '2026-08-20T00:00:00.000Z',
      upvotes: 92,
    },
    {
      file: 'huggingface/hf-api-daily_papers_date-2026-08-21.json',
      count: 17,
      id: '2608.19880',
      title: 'EnvHarness: Awakening Static Worlds for Agent Learning',
      published: '2026-08-21T00:00:00.000Z',
      upvotes: 163,
    },
  ];
  for (const expected of papers) {
    it(use(expected.file), () => {
      const items = parseDailyPapers(JSON.parse(realText(expected.file)));
      assert.equal(items.length, expected.count);
      const item = first(items);
      assert.equal(item.externalIds?.arxiv, expected.id);
      assert.equal(item.url, `https://huggingface.co/papers/${expected.id}`);
      assert.equal(item.title, expected.title);
      assert.equal(item.published, expected.published);
      assert.equal(item.engagement?.upvotes, expected.upvotes);
      for (const each of items) {
        assert.ok((each.contentText ?? '').length > 50);
        assert.ok((each.authors ?? []).length > 0);
      }
    });
  }

  it('daily papers: githubRepo becomes externalIds.github, ai_keywords become tags', () => {
    const item = first(parseDailyPapers(JSON.parse(realText('huggingface/hf-api-daily_papers_date-2025-06-16.json'))));
    assert.equal(item.externalIds?.github, 'cvlab-kaist/moai');
    assert.equal(item.tags?.[0], 'diffusion-based framework');
  });

  it(use('huggingface/hf-api-models_sort-likes+downloads_projected_2026-08-21.json'), () => {
    // Derived shape: the origin repository wrapped the /api/models array as {date, fetched_at, source, models}.
    const wrapper = JSON.parse(realText('huggingface/hf-api-models_sort-likes+downloads_projected_2026-08-21.json'));
    const items = parseHfModels(wrapper.models);
    assert.equal(items.length, 529);
    const item = first(items);
    assert.equal(item.externalIds?.hfModel, 'black-forest-labs/FLUX.1-dev');
    assert.equal(item.url, 'https://huggingface.co/black-forest-labs/FLUX.1-dev');
    assert.deepEqual(item.engagement, { likes: 14200, downloads: 606804 });
    assert.equal(item.published, '2024-07-31T21:13:44.000Z');
  });

  it(use('huggingface/hf-api-trending_models-keyed-by-id_2026-08-22.json'), () => {
    // Derived shape: /api/trending items re-keyed by model id; rebuilt as the API's {recentlyTrending: [...]}.
    const keyed = JSON.parse(realText('huggingface/hf-api-trending_models-keyed-by-id_2026-08-22.json'));
    const items = parseHfModels({ recentlyTrending: Object.values(keyed) });
    assert.equal(items.length, 10);
    const item = first(items);
    assert.equal(item.title, 'Qwen/Qwen3.8-27B');
    assert.deepEqual(item.engagement, { likes: 12054, downloads: 2090699 });
    // /api/trending gives lastModified only: not a release date, so the entry is dated when first seen.
    assert.equal(item.published, undefined);
  });
});

describe('Reddit captures', () => {
  it(use('reddit/reddit-listing_r-test_new_2020.json'), () => {
    // Two posts; the stickied one is dropped.
    const items = parseRedditDocument(realText('reddit/reddit-listing_r-test_new_2020.json'));
    assert.equal(items.length, 1);
    const item = first(items);
    assert.equal(item.title, 'Veggies');
    assert.equal(item.url, 'https://i.imgur.com/LrN2mPw.jpg');
    assert.equal(item.discussionUrl, 'https://www.reddit.com/r/test/comments/hyhquk/veggies/');
    assert.equal(item.published, '2020-07-27T00:05:10.000Z');
    assert.deepEqual(item.engagement, { upvotes: 4, comments: 0 });
    assert.equal(item.externalIds?.reddit, 'hyhquk');
  });

  it(use('reddit/reddit-api-info_url-example.org_2014-10.json'), () => {
    // Seven posts; the NSFW one is dropped; minScore filters by score.
    const text = realText('reddit/reddit-api-info_url-example.org_2014-10.json');
    const items = parseRedditDocument(text);
    assert.equal(items.length, 6);
    assert.equal(first(items).title, 'Example Domain');
    assert.ok(items.every((item) => item.externalIds?.reddit !== '2j2bnj'));
    assert.deepEqual(
      parseRedditDocument(text, { minScore: 3 }).map((item) => item.externalIds?.reddit),
      ['d3gms'],
    );
  });

  const feeds: { file: string; count: number; title: string; id: string; published: string }[] = [
    {
      file: 'reddit/reddit-frontpage_rss2_2015-11-12.xml',
      count: 25,
      title: 'The water is too deep, so he improvises',
      id: '3skxqc',
      published: 'Thu, 12 Nov 2015 21:16:39 +0000',
    },
    {
      file: 'reddit/reddit-frontpage_atom_2016-01-27.xml',
      count: 25,
      title: 'How the British as seen by Americans and Europeans',
      id: '42tizy',
      published: '2016-01-26T20:31:34+00:00',
    },
    {
      file: 'reddit/reddit-atom-mediarss_2023-07_trimmed.xml',
      count: 25,
      title: 'Any reason to keep 1G connections to my servers?',
      id: '157kyrd',
      published: '2023-07-23T17:38:30+00:00',
    },
  ];
  for (const expected of feeds) {
    it(use(expected.file), () => {
      const items = parseRedditDocument(realText(expected.file));
      assert.equal(items.length, expected.count);
      const item = first(items);
      assert.equal(item.title, expected.title);
      assert.equal(item.externalIds?.reddit, expected.id);
      assert.equal(item.published, expected.published);
      assert.match(item.discussionUrl ?? '', new RegExp(`/comments/${expected.id}/`));
    });
  }
});

describe('coverage of the real captures', () => {
  it('parses every capture a connector requests; the others are listed with a reason', () => {
    const missing: string[] = [];
    for (const folder of readdirSync(realDir, { withFileTypes: true })) {
      if (!folder.isDirectory() || LEFT_OUT_FOLDERS[folder.name]) continue;
      for (const file of readdirSync(path.join(realDir, folder.name))) {
        const relative = `${folder.name}/${file}`;
        if (!covered.has(relative) && !LEFT_OUT[relative]) missing.push(relative);
      }
    }
    assert.deepEqual(missing, []);
    for (const reason of [...Object.values(LEFT_OUT), ...Object.values(LEFT_OUT_FOLDERS)])
      assert.ok(reason.length > 10);
  });
});
