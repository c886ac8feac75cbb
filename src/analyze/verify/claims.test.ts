import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { verifySentences } from './index.js';
import { superlativeClaims } from './superlatives.js';
import { findTransliterations } from './transliteration.js';
import type { DroppedSentence, ExcerptText } from './types.js';

/** Excerpts numbered from 1, each its own item. */
function excerpts(...texts: string[]): Map<number, ExcerptText> {
  return new Map(texts.map((text, index) => [index + 1, { text, itemId: `item-${index + 1}` }]));
}

function verdict(text: string, cites: number[], given: Map<number, ExcerptText>, language: 'zh' | 'en' = 'zh') {
  const result = verifySentences([{ text, cites }], given, language);
  return result.dropped[0] as DroppedSentence | undefined;
}

describe('counts of the cited items', () => {
  const papers = excerpts(
    'WithEveryone generates group images with up to ten identities.',
    'SWE-bench Science has 119 tasks from 98 repositories.',
    'Replit introduces Free Mode.',
  );
  for (const [sentence, cites] of [
    ['另有两篇论文值得一读：WithEveryone 和 SWE-bench Science。', [1, 2]],
    ['今天有三条消息：WithEveryone、SWE-bench Science 和 Replit。', [1, 2, 3]],
    ['Two papers stand out: WithEveryone and SWE-bench Science.', [1, 2]],
    ['Three releases today: WithEveryone, SWE-bench Science and Replit.', [1, 2, 3]],
    ['另有 2 个项目值得关注：WithEveryone 和 SWE-bench Science。', [1, 2]],
  ] as const) {
    test(`"${sentence}" counts no more than it cites: kept`, () => {
      assert.equal(verdict(sentence, [...cites], papers, /[\u4e00-\u9fff]/u.test(sentence) ? 'zh' : 'en'), undefined);
    });
  }
  test('a count larger than the cited items is dropped, naming the count', () => {
    const dropped = verdict('另有三篇论文值得一读：WithEveryone 和 SWE-bench Science。', [1, 2], papers);
    assert.equal(dropped?.reason, 'unsupported-number');
    assert.equal(dropped?.detail, 'count "三篇" is more than the 2 cited papers');
  });
  test('two excerpts of one item are one item', () => {
    const oneItem = new Map<number, ExcerptText>([
      [1, { text: 'WithEveryone: group images', itemId: 'a' }],
      [2, { text: 'WithEveryone handles ten identities.', itemId: 'a' }],
    ]);
    assert.equal(verdict('两篇论文讨论了 WithEveryone。', [1, 2], oneItem)?.reason, 'unsupported-number');
  });
  test('a count of things the excerpts state stays strict: "三款模型" needs three in the text, or three cited items', () => {
    const one = excerpts('Alibaba released two models today.');
    assert.equal(verdict('Alibaba 发布了两款模型。', [1], one), undefined);
    assert.equal(verdict('Alibaba 发布了三款模型。', [1], one)?.reason, 'unsupported-number');
  });
  test('other numbers are not counts: "两倍", "两家客户" stay strict', () => {
    const one = excerpts('NVIDIA grew 3x.', 'Replit grew.');
    assert.equal(verdict('NVIDIA 增长了两倍。', [1, 2], one)?.reason, 'unsupported-number');
    assert.equal(verdict('NVIDIA 的收入来自两家客户。', [1, 2], one)?.reason, 'unsupported-number');
  });
});

describe('co-location: a number stands in one cited item with what the sentence says it of', () => {
  const two = excerpts('OpenAI released GPT-5 today.', 'Anthropic said Claude Opus 4.8 improved by 20% on SWE-bench.');
  for (const sentence of [
    'OpenAI 发布了 GPT-5，Anthropic 的 Claude Opus 4.8 提升了20%。',
    'OpenAI released GPT-5, while Claude Opus 4.8 improved by 20%.',
    'OpenAI released GPT-5 and Claude Opus 4.8 improved by 20%.',
    'Anthropic 表示，提升幅度为20%。',
  ]) {
    test(`synthesis kept: ${sentence}`, () => {
      assert.equal(verdict(sentence, [1, 2], two, /[\u4e00-\u9fff]/u.test(sentence) ? 'zh' : 'en'), undefined);
    });
  }
  for (const sentence of [
    'GPT-5 提升了20%。',
    'OpenAI 发布了 GPT-5，提升了20%。',
    'OpenAI 为 Anthropic 带来了20%的提升。',
    'GPT-5 improved by 20%.',
  ]) {
    test(`figure of another excerpt dropped: ${sentence}`, () => {
      const dropped = verdict(sentence, [1, 2], two, /[\u4e00-\u9fff]/u.test(sentence) ? 'zh' : 'en');
      assert.equal(dropped?.reason, 'unsupported-number');
      assert.match(dropped?.detail ?? '', /number "20%" does not stand with "(?:GPT-5|OpenAI)"/);
    });
  }
  test('a sentence that names nothing needs the number in some cited item only', () => {
    assert.equal(verdict('提升了20%。', [1, 2], two), undefined);
  });
  test('a date must stand with its name too', () => {
    const dated = excerpts('OpenAI released GPT-5.', 'On 9月22日 Alibaba opened its conference.');
    assert.equal(verdict('9月22日，Alibaba 召开大会。', [1, 2], dated), undefined);
    assert.equal(verdict('OpenAI 于9月22日发布 GPT-5。', [1, 2], dated)?.reason, 'unsupported-number');
  });
});

describe('transliterated names', () => {
  const source = excerpts("It's Greg Brockman's OpenAI now. Sam Altman shares five principles. NVIDIA grew.");
  for (const sentence of ['格雷格·布罗克曼掌管 OpenAI。', '布罗克曼掌管 OpenAI。', '克劳德发布了新模型。']) {
    test(`"${sentence}" names someone the excerpt spells otherwise: dropped`, () => {
      const dropped = verdict(sentence, [1], source);
      assert.equal(dropped?.reason, 'unsupported-name');
      assert.match(dropped?.detail ?? '', /name "[^"]*[·\p{Script=Han}]+"/u);
    });
  }
  for (const sentence of [
    '萨姆·奥特曼分享了五条原则。',
    '奥特曼分享了五条原则。',
    '英伟达增长了。',
    'Greg Brockman 掌管 OpenAI。',
  ]) {
    test(`"${sentence}" uses an established spelling: kept`, () =>
      assert.equal(verdict(sentence, [1], source), undefined));
  }
  test('a transliteration in the cited text is supported', () => {
    assert.equal(verdict('格雷格·布罗克曼掌管 OpenAI。', [1], excerpts('格雷格·布罗克曼领导 OpenAI')), undefined);
  });
  test('ordinary words are no transliterations', () => {
    const text =
      '特别是在发布新的价格体系后，基于数据库的科技公司维护了思维链，克服了伦理和安全问题，图像质量明显提升。';
    assert.deepEqual(findTransliterations(text, []), []);
    assert.deepEqual(
      findTransliterations('据说格雷格·布罗克曼表示，蒙特卡洛方法很好。', []).map((m) => m.text),
      ['格雷格·布罗克曼', '蒙特卡洛'],
    );
  });
});

describe('superlatives and firsts', () => {
  const plain = excerpts('Seedance 2.0 generates video from text and images.');
  for (const sentence of [
    'Seedance 2.0 是首个文本生成视频模型。',
    'Seedance 2.0 是最大的视频模型。',
    'Seedance 2.0 是最强的视频模型。',
    'Seedance 2.0 是史上最快的视频模型。',
    'Seedance 2.0 达到最先进水平。',
    'Seedance 2.0 在视频生成上领先。',
    'Seedance 2.0 是独家发布。',
    'Seedance 2.0 is the first video model of its kind.',
    'Seedance 2.0 is state-of-the-art.',
    'Seedance 2.0 sets a new record for video.',
    "Seedance 2.0 is the world's largest video model.",
    'Seedance 2.0 is an unprecedented video model.',
  ]) {
    test(`unsupported claim dropped: ${sentence}`, () => {
      const dropped = verdict(sentence, [1], plain, /[\u4e00-\u9fff]/u.test(sentence) ? 'zh' : 'en');
      assert.equal(dropped?.reason, 'unsupported-claim');
      assert.match(dropped?.detail ?? '', /^claim "/);
    });
  }
  for (const [sentence, excerpt] of [
    ['Seedance 2.0 是首个文本生成视频模型。', 'Seedance 2.0 is the first text-to-video model'],
    ['Seedance 2.0 is the first of its kind.', 'Seedance 2.0 是首款同类模型'],
    ['Seedance 2.0 达到 SOTA 水平。', 'Seedance 2.0 reaches state-of-the-art quality'],
    ['Seedance 2.0 is state of the art.', '火山引擎开放全球SOTA级视频生成能力：Seedance 2.0'],
    ['Seedance 2.0 是最大的视频模型。', 'Seedance 2.0 is the largest video model'],
    ['Seedance 2.0 在视频生成上领先。', 'Seedance 2.0 outperforms every other video model'],
    ['The best-performing agent is Seedance 2.0.', 'Seedance 2.0 表现最好'],
  ] as const) {
    test(`same claim across languages kept: ${sentence}`, () => {
      assert.equal(
        verdict(sentence, [1], excerpts(excerpt), /[\u4e00-\u9fff]/u.test(sentence) ? 'zh' : 'en'),
        undefined,
      );
    });
  }
  test('words that only look like claims are none: 最新, 最高 (up to), 首席, 第一季度, "at first", "First,"', () => {
    for (const text of [
      '最新模型最高提升30%。',
      '首席执行官在第一季度发言。',
      'At first it was slow.',
      'First, the model reads the text.',
      'It is leading to better code.',
      '文章介绍了最佳实践。',
      'It supports first-party plugins.',
    ]) {
      assert.deepEqual(superlativeClaims(text), [], text);
    }
  });
});
