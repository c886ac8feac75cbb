import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { realText, repoRoot } from '../../test/support/fixtures.js';
import { cleanText, htmlToText } from '../core/sanitize.js';
import type { Item, RawItem, SourceConfig } from '../core/types.js';
import { parseFeedDocument } from '../sources/feed.js';
import {
  cleanFeedText,
  counterLine,
  extractMetadata,
  isBoilerplateLine,
  looksLikeHtml,
  parseCount,
  removeBoilerplate,
  unwrapMarkup,
  withoutTexEscapes,
} from './feed-text.js';
import { normalizeItem } from './normalize.js';

const source: SourceConfig = {
  id: 'feed-text-test',
  name: 'Feed text test',
  kind: 'feed',
  url: 'https://example.org/',
  authority: 0.5,
  section: 'applications',
  enabled: true,
  filterTopics: false,
  params: {},
};
const fetchedAt = new Date('2026-09-30T00:00:00Z');

function normalized(raws: RawItem[]): Item[] {
  return raws.map((raw) => normalizeItem(raw, { source, fetchedAt }));
}
function realItems(relative: string): Item[] {
  return normalized(parseFeedDocument(realText(relative), 'https://example.org/'));
}
function ownItems(name: string): Item[] {
  const file = path.join(repoRoot, 'test/fixtures/feed-text', name);
  return normalized(parseFeedDocument(readFileSync(file, 'utf8'), 'https://example.org/'));
}

/** What no item text may hold once cleaned: tags, entities, feed footers, metadata lines. */
const LEFTOVER =
  /<\/?(?:p|a|br|div|span|img|li)\b|&(?:lt|gt|amp|quot|#\d+);|appeared first on|点击查看原文|阅读原文|转载请注明|^(?:score|points|comments|likes|downloads|by|type)\s*:/im;

describe('feed text on real captures', () => {
  it('Microsoft AI Blogs: the WordPress footer goes, the prose stays', () => {
    const raw = realText('rss/microsoft-ai-blog_2025-07-28.xml');
    assert.match(raw, /appeared first on/, 'the capture carries the footer');
    const items = realItems('rss/microsoft-ai-blog_2025-07-28.xml');
    assert.ok(items.length >= 5);
    for (const item of items) assert.doesNotMatch(item.text, LEFTOVER, item.title);
    const withProse = items.filter((item) => item.text.length > 200);
    assert.ok(withProse.length >= items.length - 2, 'posts keep their prose (two hold only tags and the footer)');
  });

  it('Vector Institute and Engineering at Meta: escaped HTML and footers become prose', () => {
    for (const file of [
      'rss/vector-institute_2026-04_trimmed.xml',
      'rss/meta-engineering-ai-research_2026-02_trimmed.xml',
    ]) {
      const items = realItems(file);
      assert.ok(items.length > 0, file);
      for (const item of items) {
        assert.doesNotMatch(item.text, LEFTOVER, `${file}: ${item.title}`);
        assert.ok(item.text.length > 200, `${file}: ${item.title} keeps its prose`);
      }
    }
  });

  it('InfoQ China: escaped HTML with a 点击查看原文 link keeps only the article text', () => {
    const raw = realText('rss/infoq-cn_2026-09-22_transcribed.xml');
    assert.match(raw, /点击查看原文/);
    const items = realItems('rss/infoq-cn_2026-09-22_transcribed.xml');
    assert.ok(items.length >= 10);
    for (const item of items) {
      assert.doesNotMatch(item.text, LEFTOVER, item.title);
      // The description is the link alone: nothing of it is prose.
      assert.equal(item.text, '', item.title);
      assert.notEqual(item.title, '');
    }
  });
});

describe('feed text from bridges and hostile feeds', () => {
  it('an HN bridge: counters become engagement, By: an author, the rest leaves the prose', () => {
    const [flash, showHn, logs] = ownItems('hn-bridge.xml');
    assert.ok(flash && showHn && logs);
    assert.equal(flash.text, '', 'a description of metadata alone leaves no prose');
    assert.deepEqual(flash.engagement, { points: 173, comments: 88 });
    assert.deepEqual(flash.authors, ['xnx']);
    assert.deepEqual(showHn.engagement, { points: 1200, comments: 1034 });
    assert.equal(showHn.text, '');
    assert.equal(
      logs.text,
      'We trained a small language model on a year of our own server logs. It now answers questions about outages faster than our on-call engineers.',
    );
    assert.deepEqual(logs.engagement, { points: 42, comments: 7 });
  });

  it('an HF bridge: an Atom summary without type holding escaped (and doubly escaped) HTML', () => {
    const [qwen, vision] = ownItems('hf-bridge.xml');
    assert.ok(qwen && vision);
    assert.equal(qwen.text, '');
    assert.deepEqual(qwen.engagement, { downloads: 85_549, likes: 748 });
    assert.equal(vision.text, 'A small vision-language model that reads charts and screenshots on a phone.');
    assert.deepEqual(vision.engagement, { downloads: 3400, likes: 12 });
  });

  it('footers, share and cookie lines, read-more links and 转载 notices go; the sentences stay', () => {
    const [english, chinese, excerpt] = ownItems('boilerplate.xml');
    assert.ok(english && chinese && excerpt);
    assert.equal(
      english.text,
      'The lab released a reasoning model that checks its own arithmetic before it answers.\nIt is available to researchers today.',
    );
    assert.equal(chinese.text, '该公司发布了新版本的大模型，推理速度提升了一倍。');
    assert.equal(excerpt.text, 'The team describes how the agent plans its steps and where it still fails');
  });

  it('the connector’s own counters win over those in the text', () => {
    const [item] = normalized([
      {
        title: 'x',
        url: 'https://example.org/x',
        contentText: 'Points: 5\nComments: 2',
        engagement: { points: 99 },
      },
    ]);
    assert.deepEqual(item?.engagement, { points: 99, comments: 2 });
  });
});

describe('feed text rules', () => {
  it('reads counters as feeds write them', () => {
    assert.equal(parseCount('85,549'), 85_549);
    assert.equal(parseCount('1 234'), 1234);
    assert.equal(parseCount('1.2k'), 1200);
    assert.equal(parseCount('3.4M'), 3_400_000);
    assert.equal(parseCount('1.2万'), 12_000);
    assert.equal(parseCount('748 likes'), 748);
    assert.equal(parseCount('3.5'), undefined, 'a decimal without a unit is no counter');
    assert.equal(parseCount('many'), undefined);
  });

  it('keeps prose that merely has a colon', () => {
    const prose = [
      'Note: the model runs on one GPU and answers in under a second.',
      'Source: the company said the model was trained on licensed data, and that it will publish a report on how it was evaluated before the end of the year, along with the weights.',
      'Why it matters: agents need memory.',
    ].join('\n');
    const extracted = extractMetadata(prose);
    assert.equal(extracted.text, prose);
    assert.deepEqual(extracted.engagement, {});
  });

  it('drops runs of field lines of any label', () => {
    const extracted = extractMetadata('A model for charts.\nParameters: 7B\nContext: 128k\nQuantization: int4');
    assert.equal(extracted.text, 'A model for charts.');
  });

  it('tells markup from prose that mentions a tag', () => {
    assert.equal(looksLikeHtml('Type: a<br/>Likes: 3'), true);
    assert.equal(looksLikeHtml('Use the <T> parameter when a < b'), false);
    assert.equal(looksLikeHtml('The <div> element groups content'), false);
    assert.equal(cleanFeedText('Use the <T> parameter when a < b').text, 'Use the <T> parameter when a < b');
  });

  it('cleanFeedText gives what its steps give one after the other (clean text with nothing to take out comes back as it was)', () => {
    const texts = [
      'Plain prose.\nA second line with a colon: it stays.',
      'Intro line.\nScore: 173\nBy: xnx\nThe rest of it.',
      'A paragraph. READ MORE »',
      'A paragraph … [Continue Reading]\n\nThe post X appeared first on Y.',
      'Prose about spreading threads, already read.',
      '中文正文。\n阅读原文',
      'Pipeline: text-generation\nSize: 7B\nA model.',
      ...parseFeedDocument(realText('rss/microsoft-ai-blog_2025-07-28.xml')).map((raw) =>
        htmlToText(raw.contentHtml ?? ''),
      ),
    ].map((text) => cleanText(text));
    for (const text of texts) {
      const fields = extractMetadata(withoutTexEscapes(unwrapMarkup(text)));
      assert.deepEqual(cleanFeedText(text), { ...fields, text: removeBoilerplate(fields.text) });
    }
    assert.equal(cleanFeedText(texts[0] as string).text, texts[0]);
  });

  it('keeps a line that only ends with words like "read more"', () => {
    assert.equal(removeBoilerplate('Some reasons to read more books'), 'Some reasons to read more books');
    assert.equal(removeBoilerplate('Learn to code in a week'), 'Learn to code in a week');
  });
});

describe('counterLine', () => {
  it('reads a line of counts and units alone, with the symbols between them', () => {
    assert.deepEqual(counterLine('⭐ 54,665 stars 📈 1,062 stars today'), { stars: 54665, starsGained: 1062 });
    assert.deepEqual(counterLine('1,172 points · 412 comments'), { points: 1172, comments: 412 });
    assert.deepEqual(counterLine('⭐ 1.2k stars | 🍴 300 forks | 500 stars this week'), { stars: 1200 });
  });

  it('leaves prose that mentions a count alone', () => {
    assert.equal(counterLine('The repository passed 50,000 stars this week.'), undefined);
    assert.equal(counterLine('Qwen 7B'), undefined);
    assert.equal(counterLine('⭐'), undefined);
  });

  it('takes such a line out of the text and its counters into the engagement', () => {
    const fields = extractMetadata('An agent framework for the terminal.\n⭐ 54,665 stars 📈 1,062 stars today');
    assert.equal(fields.text, 'An agent framework for the terminal.');
    assert.deepEqual(fields.engagement, { stars: 54665, starsGained: 1062 });
  });
});

describe('withoutTexEscapes', () => {
  it("writes TeX's escaped characters as themselves, and leaves an escaped backslash alone", () => {
    assert.equal(
      withoutTexEscapes('achieves a pass@1 below 50\\% on R\\&D tasks (pass\\_at\\_k, \\#1, \\$5)'),
      'achieves a pass@1 below 50% on R&D tasks (pass_at_k, #1, $5)',
    );
    assert.equal(withoutTexEscapes('a path C:\\\\%TEMP%'), 'a path C:\\\\%TEMP%');
    assert.equal(
      cleanFeedText('Accuracy rises by 12\\% over the baseline.').text,
      'Accuracy rises by 12% over the baseline.',
    );
  });

  it('leaves no TeX escape in the real paper abstracts', () => {
    const abstracts = realText('huggingface/hf-api-daily_papers_date-2026-08-21.json');
    assert.match(abstracts, /\\\\%/);
    const papers = JSON.parse(abstracts) as { paper: { summary: string } }[];
    for (const paper of papers) assert.doesNotMatch(cleanFeedText(paper.paper.summary).text, /(?<!\\)\\[%&_#$]/);
  });
});

describe('extractMetadata without a colon or a digit', () => {
  it('takes nothing out of a text that has neither (read without looking at its lines)', () => {
    for (const text of [
      'A plain line',
      'Two lines\nof prose',
      '  spaced  out \n\n\n text ',
      'By the way\nScore high',
      '',
    ]) {
      assert.deepEqual(extractMetadata(text), { text: cleanText(text), engagement: {}, authors: [] }, text);
    }
    // One colon or one digit and the lines are read.
    assert.deepEqual(extractMetadata('Prose\nScore: 3').engagement, { points: 3 });
    assert.deepEqual(extractMetadata('Prose\n12 points').engagement, { points: 12 });
  });
});

describe('isBoilerplateLine', () => {
  it('recognises each kind of footer line, in English (any case) and in Chinese, and no prose', () => {
    const boilerplate = ['The post Hello appeared first on Blog.', 'This article was originally published on X.'];
    boilerplate.push(
      'Read more',
      'READ THE FULL story here',
      '[…]',
      '(...)',
      '&hellip;',
      '12 Comments',
      'Leave a reply »',
    );
    boilerplate.push('Share on Twitter', 'Join our newsletter today', 'Related posts:', 'You might also like', 'Tags');
    boilerplate.push('We use cookies to improve', 'Our COOKIE POLICY', '阅读原文', '点击查看原文', '转载请注明出处');
    boilerplate.push(
      '本文来自微信公众号',
      '原标题：新模型',
      'more »',
      'Comments (3)',
      ' Read more ',
      'Share prices fell',
    );
    for (const line of boilerplate) assert.equal(isBoilerplateLine(line), true, line);
    const prose = ['&HELLIP;', 'The model reads more data', 'Cookies are tasty', '调查显示', 'the post office'];
    for (const line of [...prose, 'x'.repeat(401)]) assert.equal(isBoilerplateLine(line), false, line);
  });
});

describe('removeBoilerplate: the clue pre-check', () => {
  it('finds trailing markers in any case of ASCII letters and in Chinese', () => {
    // Each marker is found only once the text passes the cheap pre-check (read/post/[/阅/查).
    assert.equal(removeBoilerplate('The model is out. READ MORE »'), 'The model is out.');
    assert.equal(removeBoilerplate('The model is out. Continue Reading…'), 'The model is out.');
    assert.equal(removeBoilerplate('The model is out [...]'), 'The model is out');
    assert.equal(removeBoilerplate('The model is out. THE POST Model appeared first on Blog.'), 'The model is out.');
    assert.equal(removeBoilerplate('新模型发布了。阅读原文 >'), '新模型发布了。');
    assert.equal(removeBoilerplate('新模型发布了。点击查看'), '新模型发布了。');
  });

  it('finds each clue on its own line, next to other clues and to words holding "read" or "post"', () => {
    // Clues are looked for only around "[", 阅, 查, "read" and "post"; a clue found near another
    // one (on the line before) must not hide it.
    const cases: [string, string][] = [
      ['x the post\nThe results. Read more', 'x the post\nThe results.'],
      ['A [\nkeep reading »', 'A ['],
      ['Intro text. Continue reading\nalready spread', 'Intro text.\nalready spread'],
      ['It is posted. The post Hello appeared first on Blog.\nnext', 'It is posted.\nnext'],
      ['阅读原文\n正文继续阅读', '正文'],
      ['调查结果\n点击查看原文 >>', '调查结果'],
      ['Spread thin [...]\nposterior read more', 'Spread thin\nposterior read more'],
      ['See the notes. [Read more about it]', 'See the notes.'],
      ['reading the post\nthe post', 'reading the post\nthe post'],
      ['Last line. READ MORE…', 'Last line.'],
    ];
    for (const [text, expected] of cases) assert.equal(removeBoilerplate(text), expected, text);
  });

  it('leaves a text without any clue as it is', () => {
    const text = 'A plain paragraph about models.\nA second line, with no marker at all';
    assert.equal(removeBoilerplate(text), text);
  });
});
