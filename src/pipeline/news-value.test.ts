import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { realDir, realText } from '../../test/support/fixtures.js';
import { parseFeedDocument } from '../sources/feed.js';
import {
  GENRE_TITLE_PATTERNS,
  hasGenreCue,
  itemGenre,
  NOT_NEWS_VALUE,
  newsValueOf,
  type StoryGenre,
  soundsLikeNews,
  storyGenre,
} from './news-value.js';

/** Titles, URLs and tags of a real feed capture, as the feed parser gives them. */
function captured(capture: string, base: string): { title: string; url: string; tags: string[] }[] {
  return parseFeedDocument(realText(capture), base).map((raw) => ({
    title: raw.title,
    url: raw.url ?? base,
    tags: raw.tags ?? [],
  }));
}

function genreOfTitle(items: readonly { title: string; url: string; tags: string[] }[], title: string): StoryGenre {
  const item = items.find((candidate) => candidate.title.includes(title));
  assert.ok(item, `the capture holds "${title}"`);
  return itemGenre(item);
}

describe('itemGenre on real captured titles', () => {
  it('finds every AIbase daily roundup a roundup, whatever news its headlines carry', () => {
    const items = captured('atom/aibase-daily-zh_scraped-by-ai-news-direct_2026-04-30.xml', 'https://news.aibase.com/');
    assert.ok(items.length >= 10);
    for (const item of items) assert.equal(itemGenre(item), 'roundup', item.title);
  });

  it('tells an Anthropic appointment and office opening from its launches and partnerships', () => {
    const items = captured(
      'atom/anthropic-news_scraped-by-ai-news-direct_2026-04-30.xml',
      'https://www.anthropic.com/',
    );
    assert.equal(genreOfTitle(items, 'names Theo Hourmouzis General Manager'), 'personnel');
    assert.equal(genreOfTitle(items, 'appoints Vas Narasimhan to Board'), 'personnel');
    assert.equal(genreOfTitle(items, 'Introducing Claude Opus 4.7'), 'news');
    assert.equal(genreOfTitle(items, 'Anthropic and NEC collaborate'), 'news');
    assert.equal(genreOfTitle(items, 'Claude for Creative Work'), 'news');
    assert.equal(genreOfTitle(items, 'election safeguards'), 'news');
    assert.equal(genreOfTitle(items, 'Australian government and Anthropic sign MOU'), 'news');
  });

  it('finds customer stories, shopping roundups, events and tips among lab-blog posts', () => {
    const openai = captured('rss/openai-news_2025-07-28.xml', 'https://openai.com/');
    assert.equal(genreOfTitle(openai, 'Resolving digital threats 100x faster with OpenAI'), 'customer-story');
    assert.equal(genreOfTitle(openai, 'Model ML is helping financial firms'), 'customer-story');
    assert.equal(genreOfTitle(openai, 'Stargate advances with 4.5 GW partnership with Oracle'), 'news');
    assert.equal(genreOfTitle(openai, 'Announcing OpenAI DevDay 2025'), 'news');
    assert.equal(genreOfTitle(openai, 'OpenAI and UK Government announce strategic partnership'), 'news');
    const google = captured('rss/google-blog-ai_2025-07-26.xml', 'https://blog.google/');
    assert.equal(genreOfTitle(google, 'Try on styles with AI, jump on great prices and more'), 'roundup');
    assert.equal(genreOfTitle(google, 'Startups can apply now'), 'event');
    assert.equal(genreOfTitle(google, '5 tips for getting started with Flow'), 'promotion');
    assert.equal(genreOfTitle(google, 'Web Guide'), 'news');
    const deepmind = captured('rss/google-deepmind-blog_2025-07-26.xml', 'https://deepmind.google/');
    assert.equal(genreOfTitle(deepmind, 'Gemini 2.5 Flash-Lite is now ready'), 'news');
  });

  it('finds a customer story whose title names a launch metric, and keeps a model speed-up news', () => {
    const openai = captured('rss/openai-news_2026-08-20_trimmed.xml', 'https://openai.com/');
    assert.equal(genreOfTitle(openai, 'Stampli cuts launch hours by 68% using ChatGPT'), 'customer-story');
    const item = {
      title: 'Up to 3.2x Faster Inference with LFM2.5-DSpark',
      url: 'https://huggingface.co/blog/x',
      tags: [],
    };
    assert.equal(itemGenre(item), 'news');
  });

  it('finds Chinese practice write-ups and promotions, and keeps Chinese releases news', () => {
    const infoq = captured('rss/infoq-cn_2026-09-22_transcribed.xml', 'https://www.infoq.cn/');
    assert.equal(genreOfTitle(infoq, '快手分销增长 Agent 实践'), 'customer-story');
    assert.equal(genreOfTitle(infoq, '菜鸟如何用 Agent'), 'customer-story');
    assert.equal(genreOfTitle(infoq, '快手电商导购的 Harness Loop 实践'), 'customer-story');
    assert.equal(genreOfTitle(infoq, 'Meta 开源 Astryx'), 'news');
    assert.equal(genreOfTitle(infoq, '上线鸿蒙编码大模型'), 'news');
    const qbitai = captured('rss/qbitai-zh_2026-09-22_transcribed.xml', 'https://www.qbitai.com/');
    assert.equal(genreOfTitle(qbitai, '特惠第二波'), 'promotion');
    assert.equal(genreOfTitle(qbitai, 'GPT-6 Astra'), 'news');
  });
});

describe('itemGenre from URL paths, tags and model names', () => {
  it('reads podcast, event and customer-story paths and tags', () => {
    const at = (url: string, tags: string[] = []) => itemGenre({ title: 'A conversation with our team', url, tags });
    assert.equal(at('https://example.org/podcast/episode-12'), 'podcast');
    assert.equal(at('https://example.org/events/ai-summit-2026/'), 'event');
    assert.equal(at('https://example.org/customer-stories/acme'), 'customer-story');
    assert.equal(at('https://example.org/blog/acme', ['Customer Stories']), 'customer-story');
    assert.equal(at('https://example.org/blog/acme', ['Webinar']), 'event');
    assert.equal(at('https://example.org/blog/acme'), 'news');
  });

  it('finds a re-uploaded model by its format segment, not the original', () => {
    const model = (id: string) => itemGenre({ title: id, url: `https://huggingface.co/${id}`, tags: [] });
    assert.equal(model('unsloth/Qwen3.8-27B-GGUF'), 'repackaged');
    assert.equal(model('orcarouter/Qwen3.8-27B-Uncensored-FP8'), 'repackaged');
    assert.equal(model('OBLITERATUS/Qwen3.8-27B-OBLITERATED'), 'repackaged');
    assert.equal(model('Qwen/Qwen3.8-27B'), 'news');
    assert.equal(model('Lightricks/LTX-2.5'), 'news');
  });

  it('never takes news for another genre: releases, deals, funding, policy, incidents', () => {
    for (const title of [
      'How OpenAI is launching GPT-6 to every user',
      'Acme raises $200M Series C to build AI agents',
      'EU regulators fine X over AI training data',
      'A breach at an AI startup leaks customer chats',
      'Acme and OpenAI announce a partnership, and more',
      'DeepSeek-V4 正式发布',
    ]) {
      assert.equal(soundsLikeNews(title), true, title);
      assert.equal(itemGenre({ title, url: 'https://example.org/news/x', tags: [] }), 'news', title);
    }
  });
});

describe('storyGenre and newsValueOf', () => {
  it('makes a story news when any item is news, and gives news the full value', () => {
    const roundup = {
      title: 'AI日报：A 发布新模型；B 完成融资；C 上线新功能',
      url: 'https://example.org/daily/1',
      tags: [],
    };
    const news = { title: 'A releases a new model', url: 'https://example.org/a', tags: [] };
    assert.equal(storyGenre([roundup]), 'roundup');
    assert.equal(storyGenre([roundup, news]), 'news');
    assert.equal(newsValueOf('news'), 1);
    assert.equal(newsValueOf('podcast'), NOT_NEWS_VALUE);
    assert.ok(NOT_NEWS_VALUE < newsValueOf('roundup') && newsValueOf('roundup') < 1, 'a roundup retells news');
  });
});

describe('a publisher opening a publication of its own', () => {
  /** Each item of a real capture with the opening of its text, as normalize gives it to genre detection. */
  function withText(capture: string, base: string): { title: string; url: string; tags: string[]; text: string }[] {
    return parseFeedDocument(realText(capture), base).map((raw) => ({
      title: raw.title,
      url: raw.url ?? base,
      tags: raw.tags ?? [],
      text: raw.contentText ?? (raw.contentHtml ?? '').replace(/<[^>]*>/g, ' '),
    }));
  }

  it('finds "Introducing AI Futures, a new OpenAI blog" a publication, and no other introduction of the lab blogs', () => {
    const day = withText('rss/openai-news_2026-08-20_trimmed.xml', 'https://openai.com/');
    assert.equal(genreOfTitle(day, 'Introducing AI Futures'), 'publication');
    assert.equal(newsValueOf('publication'), NOT_NEWS_VALUE);
    // Years of "Introducing …" posts (models, benchmarks, programmes, offices, features): none is one.
    const introductions = [
      ...withText('rss/openai-news_2025-07-28.xml', 'https://openai.com/'),
      ...withText('rss/google-deepmind-blog_2025-07-26.xml', 'https://deepmind.google/'),
      ...withText('rss/meta-ai-blog_scraped-by-olshansk_2026-08-22.xml', 'https://ai.meta.com/'),
    ].filter((item) => /^(?:introducing|announcing|launching|meet|welcome)\b/i.test(item.title));
    assert.ok(introductions.length > 50, `${introductions.length} introductions`);
    for (const item of introductions) assert.notEqual(itemGenre(item), 'publication', item.title);
  });

  it('reads what the title introduces in the opening sentence, and tells a publication from a release', () => {
    const genre = (title: string, text = '') => itemGenre({ title, url: 'https://example.org/p', tags: [], text });
    assert.equal(genre('Introducing X', 'X is our new newsletter about agents. It comes weekly.'), 'publication');
    assert.equal(genre('Welcome to the Anthropic blog'), 'publication');
    assert.equal(genre('Launching The Frontier, a new video series'), 'publication');
    assert.equal(genre('OpenAI推出全新博客 AI Futures'), 'publication');
    assert.equal(genre('某实验室上线新专栏：AI 与社会'), 'publication');
    // Releases, and posts that merely appear on a blog.
    assert.equal(genre('Introducing Qwen4', 'Introducing Qwen4, a new model series for coding.'), 'news');
    assert.equal(genre('Introducing Llama 5', 'Llama 5 is a new series of open models.'), 'news');
    assert.equal(genre('Introducing GPT-4.1 in the API', 'GPT-4.1 in the API—a new family of models.'), 'news');
    assert.equal(genre('Announcing our safety update', 'In a new blog post, we describe our work.'), 'news');
    assert.equal(genre('Announcing X', 'Our safety team is hiring. X is a new blog post series.'), 'news');
    assert.equal(genre('A new blog on agents', 'Introducing Y, a new blog.'), 'news', 'the title introduces nothing');
  });
});

describe('guides and advertorials', () => {
  const genre = (title: string, tags: string[] = [], url = 'https://example.com/post') =>
    itemGenre({ title, url, tags });

  it('finds a how-to or a tutorial a guide, unless it says news', () => {
    assert.equal(genre("How to build scalable web apps with OpenAI's Privacy Filter"), 'guide');
    assert.equal(genre('A practical guide to evaluating agents'), 'guide');
    assert.equal(genre('大模型微调入门教程'), 'guide');
    assert.equal(genre('Getting started with Gemini in Colab', ['tutorial']), 'guide');
    assert.equal(genre('How to use GPT-5.5 in your app'), 'news', 'a versioned model release is news');
    assert.equal(newsValueOf('guide'), NOT_NEWS_VALUE);
  });

  it('finds a post tagged sponsored or 推广 a promotion, whatever it says, and a conference notice an event', () => {
    assert.equal(genre('浪潮信息发布新一代智算平台', ['推广']), 'promotion');
    assert.equal(genre('Acme launches an AI platform', ['Sponsored']), 'promotion');
    assert.equal(genre('2026 East Forward出海大会：全球化到达下一站'), 'event');
  });

  it("finds a showcase of one named customer's work a customer story", () => {
    assert.equal(genre('Pioneering an AI clinical copilot with Penda Health'), 'customer-story');
    assert.equal(genre('Scaling customer support with Acme Corp'), 'customer-story');
    assert.equal(genre('Pioneering an AI clinical copilot with Penda Health, launched today'), 'news');
    assert.equal(genre('Scaling laws with mixture of experts'), 'news', 'no named customer');
  });
});

describe('genre cues', () => {
  it('finds a cue in every title a title pattern matches (a title without one is news unless its path or tags say)', () => {
    const words = [
      'How',
      'to',
      'build',
      'a',
      'guide',
      'for',
      'AI',
      'Weekly',
      'roundup',
      'Podcast',
      'Ep.',
      '12',
      'ep 3',
      'webinar',
      'Register',
      'now',
      'Join',
      'us',
      'apply',
      'Applications',
      'are',
      'open',
      'Pioneering',
      'Scaling',
      'with',
      'Penda',
      'Health',
      'cuts',
      '68%',
      '3x',
      '10 times',
      'using',
      'ChatGPT',
      'is',
      'helping',
      ',',
      'and',
      'more',
      '5',
      'tips',
      'deals',
      'on',
      'sale',
      'names',
      'general',
      'manager',
      'joins',
      'board',
      'opens',
      'office',
      'officially',
      'new',
      'tutorial',
      'getting',
      'started',
      'step-by-step',
      'best',
      'practices',
      'AI日报：',
      '；',
      '|',
      '｜',
      '周报',
      '实践',
      '案例',
      '特惠',
      '任命',
      '办公室',
      '大会：',
      '峰会',
      '指南',
      '播客',
      'recap',
      'digest',
      'newsletter',
      'this',
      'week',
      'in',
      'daily',
      'brief',
      'ſ',
      '\u212a',
      'launches',
      'GPT-5',
      'model',
      'listen',
    ];
    let seed = 11;
    const next = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    let matched = 0;
    for (let round = 0; round < 20_000; round++) {
      const length = 1 + Math.floor(next() * 8);
      const parts: string[] = [];
      for (let index = 0; index < length; index++) parts.push(words[Math.floor(next() * words.length)]!);
      const title = parts.join(next() < 0.8 ? ' ' : '');
      if (GENRE_TITLE_PATTERNS.some((pattern) => pattern.test(title))) {
        matched++;
        assert.ok(hasGenreCue(title), title);
      }
    }
    assert.ok(matched > 1000, 'the titles exercise the patterns');
    for (const file of readdirSync(path.join(realDir, 'rss')).sort()) {
      if (!file.endsWith('.xml') || /gb2312|iso-8859/.test(file)) continue;
      for (const match of realText(`rss/${file}`).matchAll(/<title>(?:<!\[CDATA\[)?([^<\]]{1,300})/g)) {
        const title = match[1]!.trim();
        if (GENRE_TITLE_PATTERNS.some((pattern) => pattern.test(title))) assert.ok(hasGenreCue(title), title);
      }
    }
    assert.equal(hasGenreCue('OpenAI releases a faster model for developers'), false);
    assert.equal(
      itemGenre({ title: 'OpenAI releases a faster model', url: 'https://x.example/events/a', tags: [] }),
      'news',
    );
    assert.equal(itemGenre({ title: 'A faster model', url: 'https://x.example/events/a', tags: [] }), 'event');
    // The URL parser drops tabs and line breaks: such a URL is parsed, not read raw.
    assert.equal(itemGenre({ title: 'A faster model', url: 'https://x.example/pod\tcasts/1', tags: [] }), 'podcast');
    assert.equal(
      itemGenre({ title: 'A faster model', url: 'https://x.example/Customers/', tags: [] }),
      'customer-story',
    );
  });
});
