import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makeItem } from '../../test/fixtures/cluster/items.js';
import { realText } from '../../test/support/fixtures.js';
import { PRESETS } from '../config/presets.js';
import type { PipelineItem, SourceConfig } from '../core/types.js';
import { parseFeedDocument } from '../sources/feed.js';
import {
  AUTO_KEEP_SHARE_NAMED,
  classifyStory,
  fieldVouches,
  isAiByConstruction,
  isClearlyOnTopic,
  isOnTopic,
  isTopicalSource,
  sourceNamesTopic,
  termMatcher,
  topicFilter,
} from './classify.js';
import { normalizeItem } from './normalize.js';

const topics = PRESETS.ai!.topics;

describe('classifyStory', () => {
  it('puts anything with a paper into papers first', () => {
    const hn = makeItem({ id: 'a', title: 'New open-source video model', url: 'https://arxiv.org/abs/2608.00001' });
    assert.equal(classifyStory([hn]), 'papers');
    assert.equal(classifyStory([makeItem({ id: 'b', title: 'x', sourceKind: 'arxiv' })]), 'papers');
  });

  it('puts repositories and models into opensource', () => {
    assert.equal(
      classifyStory([makeItem({ id: 'a', title: 'Qwen/Qwen3.8-27B', url: 'https://huggingface.co/Qwen/Qwen3.8-27B' })]),
      'opensource',
    );
    assert.equal(
      classifyStory([makeItem({ id: 'b', title: 'DeepClaude', url: 'https://github.com/aattaran/deepclaude' })]),
      'opensource',
    );
    assert.equal(
      classifyStory([makeItem({ id: 'c', title: 'Meta 开源 Astryx：面向 Agent 的 React 设计系统' })]),
      'opensource',
    );
  });

  it('applies the keyword rules in order', () => {
    const section = (title: string) => classifyStory([makeItem({ id: 'x', title })]);
    assert.equal(section('Introducing Muse Image and Muse Video'), 'multimodal');
    assert.equal(section('阿里公布全模态模型新进展'), 'multimodal');
    assert.equal(section('Introducing Claude Opus 4.7'), 'llm');
    assert.equal(section('Replit expands access to software creation with GPT-5.6 Luna'), 'llm');
    assert.equal(section('ChatGPT Ads expands across Europe'), 'products');
    assert.equal(section('Microsoft launches Copilot Memory for Microsoft 365'), 'products');
    assert.equal(section('Looped language models improve compositional tool calling'), 'llm');
    assert.equal(section('阿里研究员透露大模型将扩展至5-10T参数'), 'llm');
    assert.equal(
      section('Anthropic and NEC collaborate to build Japan’s largest AI engineering workforce'),
      'applications',
    );
  });

  it('falls back to the text opening, then the source section, then applications', () => {
    const withText = makeItem({
      id: 'a',
      title: 'Dreaming',
      text: 'A better memory for ChatGPT: the language model now…',
    });
    assert.equal(classifyStory([withText]), 'llm');
    const plain = makeItem({ id: 'b', title: 'Our principles', section: 'products' });
    assert.equal(classifyStory([plain], 'products'), 'products');
    assert.equal(classifyStory([], undefined), 'applications');
  });
});

describe('topics', () => {
  it('matches Latin terms on word boundaries and CJK terms as substrings', () => {
    const matcher = termMatcher(['ai', 'language model', '大模型']);
    assert.deepEqual(matcher.matches('Said the AI about a language model'), ['ai', 'language model']);
    assert.deepEqual(matcher.matches('Paid training, email, maid'), []);
    assert.deepEqual(matcher.matches('国产大模型发布'), ['大模型']);
  });

  it('counts off-topic items', () => {
    assert.equal(isOnTopic({ title: 'Let’s Buy Spirit Air', text: 'An airline.' }, topics), false);
    assert.equal(isOnTopic({ title: 'DeepClaude – Claude Code agent loop', text: '' }, topics), true);
    assert.equal(isOnTopic({ title: 'Weekly notes', text: 'We trained a new foundation model.' }, topics), true);
    assert.equal(isOnTopic({ title: '小米新款人形机器人亮相', text: '搭载自研大模型' }, topics), true);
    assert.equal(isOnTopic({ title: 'Anything', text: '' }, []), true);
  });

  it('does not take a general word for the topic: a bare "model", 开源 (open source), a "prompt"', () => {
    for (const title of [
      'Moving to a DevOps model for platform teams',
      'A pay-per-use model for serverless databases',
      'Netflix 开源工作流引擎 Conductor',
      'Payment is due promptly; the prompt reply helped',
      'Embedding a video in your page',
    ]) {
      assert.equal(isOnTopic({ title, text: '' }, topics), false, title);
    }
    for (const title of [
      'A new frontier model from the lab',
      'Open-weight models catch up',
      'Gemma 3 and Grok 4 compared',
      '阿里研究员透露Qwen4.5后模型将扩展至5-10T参数',
      '通义千问发布新版本',
      '具身智能公司获融资',
      'MiniMax H3 开源后，本地 AIGC 走到了哪里？',
    ]) {
      assert.equal(isOnTopic({ title, text: '' }, topics), true, title);
    }
  });

  it('counts an item as clearly on topic with a title term or two terms in its text', () => {
    assert.equal(
      isClearlyOnTopic({ title: 'Ruby on App Engine', text: 'Our new model for apps, built with AI.' }, topics),
      false,
    );
    assert.equal(
      isClearlyOnTopic({ title: 'Beyond the Map', text: 'Machine learning and neural networks drive it.' }, topics),
      true,
    );
    assert.equal(isClearlyOnTopic({ title: 'AI in Maps', text: '' }, topics), true);
  });
});

describe('topicFilter', () => {
  /** The ten titles of a real Hacker News top-10 day, as a "best stories" source gives them. */
  function hackerNewsBest(): PipelineItem[] {
    const markdown = realText('digest/hn-top10-daily-archive_2026-05-04.md');
    return [...markdown.matchAll(/^\d+\. \[(.+?)\]\((.+?)\)/gm)].map((match, index) =>
      makeItem({ id: `hn-${index}`, sourceId: 'hn-best', title: match[1] ?? '', url: match[2] }),
    );
  }
  /** Posts of a real AI lab blog (AI at Meta), titles and text as normalised. */
  function labBlog(): PipelineItem[] {
    const raws = parseFeedDocument(
      realText('rss/meta-ai-blog_scraped-by-olshansk_2026-08-22.xml'),
      'https://ai.meta.com/',
    );
    return raws.map((raw, index) => {
      const item = normalizeItem(raw, {
        source: { ...sourceOf('meta-ai'), filterTopics: 'auto' },
        fetchedAt: new Date('2026-08-22T00:00:00Z'),
      });
      return makeItem({ id: `meta-${index}`, sourceId: 'meta-ai', title: item.title, text: item.text });
    });
  }
  function sourceOf(id: string): SourceConfig {
    return {
      id,
      name: id,
      kind: 'feed',
      url: 'https://example.org/',
      authority: 0.5,
      section: 'llm',
      enabled: true,
      filterTopics: 'auto',
      params: {},
    };
  }

  it('auto filters a real "best stories" source that is mostly off-topic, item by item', () => {
    const items = hackerNewsBest();
    assert.equal(items.length, 10);
    const result = topicFilter(items, [sourceOf('hn-best')], topics);
    assert.deepEqual(result.filteredSources, ['hn-best']);
    assert.deepEqual(
      result.kept.map((item) => item.title),
      ['DeepClaude – Claude Code agent loop with DeepSeek V4 Pro, 17x cheaper'],
    );
    assert.equal(result.offTopic.length, 9, 'off-topic items are returned, to be counted');
  });

  it('auto keeps every post of a real AI lab blog, also those whose words name no topic', () => {
    const items = labBlog();
    const offTopicPosts = items.filter((item) => !isOnTopic(item, topics));
    assert.ok(offTopicPosts.length > 0, 'some posts of the lab blog mention no topic term');
    assert.ok(sourceNamesTopic(sourceOf('meta-ai'), topics), 'the source names its topic');
    assert.ok(isTopicalSource(items, topics, AUTO_KEEP_SHARE_NAMED));
    const result = topicFilter(items, [sourceOf('meta-ai')], topics);
    assert.equal(result.kept.length, items.length);
    assert.deepEqual(result.filteredSources, []);
  });

  it('auto measures what the source published recently, not only the window', () => {
    const [today] = labBlog().filter((item) => !isOnTopic(item, topics));
    assert.ok(today);
    const recent = new Map([['meta-ai', labBlog()]]);
    assert.equal(topicFilter([today], [sourceOf('meta-ai')], topics, recent).kept.length, 1);
    assert.equal(topicFilter([today], [sourceOf('meta-ai')], topics).kept.length, 0, 'alone it would be filtered');
  });

  /** A real feed capture, parsed and normalised as one source's items. */
  function capturedFeed(capture: string, source: SourceConfig): PipelineItem[] {
    return parseFeedDocument(realText(capture), source.url).map((raw, index) => {
      const item = normalizeItem(raw, { source, fetchedAt: new Date('2026-09-23T00:00:00Z') });
      return makeItem({ id: `${source.id}-${index}`, sourceId: source.id, title: item.title, text: item.text });
    });
  }

  it('auto filters a real general cloud blog that writes about ML now and then, item by item', () => {
    const source = {
      ...sourceOf('google-cloud-blog'),
      name: 'Google Cloud Blog',
      url: 'https://cloudblog.withgoogle.com/rss/',
    };
    const items = capturedFeed('rss/google-cloud-blog_2019-09.xml', source);
    assert.ok(items.length >= 15);
    assert.equal(sourceNamesTopic(source, topics), false);
    const result = topicFilter(items, [source], topics);
    assert.deepEqual(result.filteredSources, ['google-cloud-blog']);
    const kept = result.kept.map((item) => item.title);
    assert.ok(kept.some((title) => /machine learning forecasting/i.test(title)));
    assert.ok(kept.some((title) => /Text-to-Speech/.test(title)));
    for (const offTopic of [
      /shadow IT/,
      /Pixelbook/,
      /Kubernetes security audit/,
      /Hadoop/,
      /Active Directory/,
      /Ruby/,
    ]) {
      assert.ok(!kept.some((title) => offTopic.test(title)), `${offTopic} is left out`);
    }
  });

  it('auto filters a real tech outlet that covers AI among much else, and keeps its AI posts', () => {
    const source = { ...sourceOf('infoq-cn'), name: 'InfoQ 中文', url: 'https://www.infoq.cn/feed' };
    const items = capturedFeed('rss/infoq-cn_2026-09-22_transcribed.xml', source);
    const result = topicFilter(items, [source], topics);
    assert.deepEqual(result.filteredSources, ['infoq-cn']);
    const kept = result.kept.map((item) => item.title);
    assert.ok(kept.some((title) => title.includes('Astryx')));
    assert.ok(kept.some((title) => title.includes('鸿蒙编码大模型')));
    for (const offTopic of ['Conductor', 'Rustls', 'Lambda SnapStart', 'iOS 27']) {
      assert.ok(!kept.some((title) => title.includes(offTopic)), `${offTopic} is left out`);
    }
  });

  it('true filters, false keeps, whatever the source published', () => {
    const items = [...hackerNewsBest(), ...labBlog()];
    const always = topicFilter(
      items,
      [
        { id: 'meta-ai', filterTopics: true },
        { id: 'hn-best', filterTopics: false },
      ],
      topics,
    );
    assert.ok(always.kept.filter((item) => item.sourceId === 'meta-ai').every((item) => isOnTopic(item, topics)));
    assert.equal(always.kept.filter((item) => item.sourceId === 'hn-best').length, 10);
  });

  it('finds Latin terms glued to Chinese text', () => {
    const items = [
      makeItem({ id: 'a', sourceId: 'zh', title: 'AI进入科学发现' }),
      makeItem({ id: 'b', sourceId: 'zh', title: '面向Agent的设计' }),
      makeItem({ id: 'c', sourceId: 'zh', title: '樱花季赏花指南' }),
    ];
    const result = topicFilter(items, [{ id: 'zh', filterTopics: true }], topics);
    assert.deepEqual(
      result.kept.map((item) => item.id),
      ['a', 'b'],
    );
  });
});

describe('topics that know the field', () => {
  const on = (title: string, url?: string) => isOnTopic({ title, text: '', ...(url ? { url } : {}) }, topics);

  it('counts model names that carry no AI word, in the lexicon and in model-name shapes', () => {
    for (const title of [
      'MiniMaxAI/MiniMax-M2.7',
      'ERNIE-Image is out',
      'GLM-5.1 tops SWE-bench Pro',
      '智谱发布GLM-5.1',
      '文心一言 5.0 上线',
      'Tencent open-sources Hunyuan-T2',
      'Phi-4 runs on a laptop',
      'Yi-34B-Chat',
      'Ornith-1.0-35B',
      'Mixtral-8x7B-Instruct-v0.1',
      'Bonsai-27B-mlx-1bit',
      'Foo-Bar-GGUF',
      'o3 and o4-mini are now in the API',
    ]) {
      assert.ok(on(title), title);
    }
  });

  it('counts links to AI labs, model hubs and AI organisations on GitHub, whatever the title', () => {
    assert.ok(on('Show HN: a thing', 'https://huggingface.co/MiniMaxAI/MiniMax-M2.7'));
    assert.ok(on('It is here', 'https://github.com/QwenLM/Qwen4'));
    assert.ok(on('Our principles', 'https://openai.com/index/our-principles'));
    assert.ok(on('新版本', 'https://www.bigmodel.cn/news/1'));
    assert.ok(on('Release notes', 'https://platform.moonshot.cn/blog/k3'));
  });

  it('keeps a terminal emulator, a generic dev tool and ordinary versions out', () => {
    for (const [title, url] of [
      ['Ghostty 1.2: a fast, GPU-accelerated terminal emulator', 'https://github.com/ghostty-org/ghostty'],
      ['Alacritty – a cross-platform, OpenGL terminal emulator', 'https://github.com/alacritty/alacritty'],
      ['Bun is being ported from Zig to Rust', 'https://github.com/oven-sh/bun/commit/46d3bc2'],
      ['iOS 27 virtualisation on Apple Silicon', 'https://example.com/ios'],
      ['Step 3: configure the proxy', 'https://example.com/step'],
      ['O2 raises prices', 'https://example.com/o2'],
      ['Windows 11 24H2 update', 'https://example.com/win'],
    ] as const) {
      assert.equal(on(title, url), false, title);
    }
  });

  it('knows the field only for topics about AI', () => {
    const rust = ['rust', 'webassembly'];
    assert.equal(fieldVouches({ title: 'Qwen3-8B-Instruct', text: '' }, rust), false);
    assert.equal(fieldVouches({ title: 'x', text: '', url: 'https://huggingface.co/a/b' }, rust), false);
    assert.equal(fieldVouches({ title: 'Qwen3-8B-Instruct', text: '' }, topics), true);
  });

  it('keeps a source that is AI by construction whole under auto: a model hub list, an AI arXiv category', () => {
    assert.ok(isAiByConstruction({ id: 'hf', filterTopics: 'auto', kind: 'huggingface' }, topics));
    assert.ok(
      isAiByConstruction(
        { id: 'ax', filterTopics: 'auto', kind: 'arxiv', url: 'https://rss.arxiv.org/rss/cs.CL' },
        topics,
      ),
    );
    assert.equal(
      isAiByConstruction(
        { id: 'ax', filterTopics: 'auto', kind: 'arxiv', url: 'https://rss.arxiv.org/rss/math.AG' },
        topics,
      ),
      false,
    );
    assert.equal(isAiByConstruction({ id: 'f', filterTopics: 'auto', kind: 'feed' }, topics), false);
    // A hub list of model ids, most naming no AI word: kept whole under auto, filtered under true.
    const items = ['baidu/Unlimited-OCR', 'thinkingmachines/Inkling', 'Lightricks/LTX-2.5'].map((title, index) =>
      makeItem({ id: `m${index}`, sourceId: 'hf', title, url: `https://example.com/${index}` }),
    );
    const hub = { id: 'hf', kind: 'huggingface' as const };
    assert.equal(topicFilter(items, [{ ...hub, filterTopics: 'auto' }], topics).kept.length, 3);
    assert.equal(topicFilter(items, [{ ...hub, filterTopics: true }], topics).kept.length, 0);
  });
});
